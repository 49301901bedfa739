"""The VS Code extension in editors/vscode: its manifest, and what it starts when activated
(run under Node with stand-ins for VS Code's modules; skipped where `node` is absent)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
ACTIVATE = Path(__file__).resolve().parent / "data" / "vscode" / "activate.js"


def test_the_manifest_activates_on_pages_and_declares_its_setting():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    assert manifest["main"] == "./extension.js" and (EXTENSION / "extension.js").is_file()
    assert "onLanguage:markdown" in manifest["activationEvents"]
    assert manifest["contributes"]["configuration"]["properties"]["pagelint.path"]["default"] == ["pagelint"]
    assert "vscode-languageclient" in manifest["dependencies"]


def activated(configured: list[str] | None) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the extension's activation is not run")
    done = subprocess.run(
        [node, str(ACTIVATE), str(EXTENSION / "extension.js"), json.dumps(configured)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_activation_starts_pagelint_server_for_markdown_and_bibtex():
    [client] = activated(None)
    assert client["server"] == {"command": "pagelint", "args": ["server"]}
    selected = {entry.get("language") or entry.get("pattern") for entry in client["selector"]}
    assert selected == {"markdown", "**/*.bib"}


def test_the_configured_command_runs_with_server_appended():
    [client] = activated([".venv/bin/python", "-m", "pagelint"])
    assert client["server"] == {"command": ".venv/bin/python", "args": ["-m", "pagelint", "server"]}
