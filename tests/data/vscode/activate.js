// Loads editors/vscode/extension.js with stand-ins for `vscode` and the language client,
// activates it, and prints what it would start: the command, its arguments and the documents.
"use strict";

const Module = require("module");
const path = require("path");

const configured = JSON.parse(process.argv[3] || "null");
const started = [];
const stubs = {
  vscode: {
    workspace: {
      getConfiguration: () => ({ get: (name, fallback) => configured ?? fallback }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    commands: { registerCommand: () => ({ dispose() {} }), executeCommand: async () => {} },
  },
  "vscode-languageclient/node": {
    LanguageClient: class {
      constructor(id, name, server, options) {
        started.push({ id, server, selector: options.documentSelector });
      }
      async start() {}
      async stop() {}
    },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in stubs ? stubs[request] : load.call(this, request, ...rest);
};

const extension = require(path.resolve(process.argv[2]));
extension.activate({ subscriptions: [] }).then(() => console.log(JSON.stringify(started)));
