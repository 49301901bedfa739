// Starts `pagelint server` over stdio for Markdown pages and BibTeX files: diagnostics,
// quick fixes, "fix all" and hovers all come from the server; this file only launches it.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const [command, ...args] = vscode.workspace.getConfiguration("pagelint").get("path", ["pagelint"]);
  return { command, args: [...args, "server"] };
}

async function start() {
  client = new LanguageClient("pagelint", "pagelint", serverOptions(), {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "file", pattern: "**/*.bib" },
    ],
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("pagelint.restart", async () => {
      await client?.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("pagelint.path")) {
        await vscode.commands.executeCommand("pagelint.restart");
      }
    }),
  );
  await start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
