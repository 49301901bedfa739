"""A real editor: headless Neovim's built-in LSP client opens a page of the example site and
shows pagelint's diagnostics where `pagelint check` reports them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
SCRIPT = Path(__file__).resolve().parent / "data" / "neovim" / "diagnostics.lua"


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (Debian package `neovim`): no real-editor test")
def test_neovim_shows_the_diagnostics_of_check(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    page = "_pages/about.md"
    out = tmp_path / "diagnostics.txt"
    environment = {**os.environ, "PAGELINT_OUT": str(out), "PAGELINT_CMD": f"{sys.executable}\t-m\tpagelint\tserver"}
    subprocess.run(
        ["nvim", "--headless", "--clean", "-c", f"luafile {SCRIPT}", page], cwd=site, env=environment, timeout=300, capture_output=True, stdin=subprocess.DEVNULL,
    )
    shown = sorted(out.read_text("utf-8").splitlines())
    checked = subprocess.run([sys.executable, "-m", "pagelint", "check", "--format", "json", page], cwd=site, capture_output=True, text=True, timeout=300)
    lines = (site / page).read_text("utf-8").split("\n")
    expected = sorted(
        # Neovim converts the server's UTF-16 columns to bytes of the line
        f"{found['code']} {found['line'] - 1} {len(lines[found['line'] - 1][: found['column'] - 1].encode())}"
        for found in json.loads(checked.stdout)["diagnostics"]
    )
    assert shown != ["timeout"] and len(expected) > 5
    assert shown == expected
