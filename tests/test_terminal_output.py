r"""Control characters in file names and in the text findings quote are shown as escapes
(`\x1b`, `\r`), never sent raw to a terminal or a CI log: the text and github formats, the
tables of `report`, the notes and error lines. The machine formats escape them their own way."""

from __future__ import annotations

import json
import os
import re
import sys
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from tests.conftest import run_cli, run_subprocess

NAME = "a\x1b[31mb\rc.md"  # would turn the rest of the line red, then go back to its start
SHOWN = r"a\x1b[31mb\rc.md"
PAGE = "---\ntitle: T\n---\n\nA \x1b[2J [x](htps://e.org) and [a](#no\x1bpe) [b](#x\ry) [c](#p\u0085q)\n"
# What must never reach the terminal: C0 controls but tab and the output's own line ends, DEL, C1.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile(tmp_path, monkeypatch, capsys):
    """A page whose name holds ESC and CR, and which quotes ESC, CR and a C1 control in
    anchors the findings name; returns `pagelint ARGS...` run on it: (code, stdout, stderr)."""
    (tmp_path / NAME).write_text(PAGE, encoding="utf-8", newline="")

    def pagelint(*args: str):
        return run_cli(list(args), cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)

    pagelint.root = tmp_path
    return pagelint


def test_text_format_shows_control_characters_of_names_and_messages(hostile):
    code, out, _ = hostile("check", ".")
    assert code == 1 and not RAW.search(out)
    lines = out.splitlines()
    assert f"{SHOWN}:5:12: warning: L003 [scheme-typo] `htps:` is not a URL scheme; did you mean `https:`?" in lines
    anchors = [line.split(" id ")[-1] for line in lines if "L007" in line]
    assert anchors == [r"`no\x1bpe`", r"`x\ry`", r"`p\x85q`"]
    _, unescaped, _ = hostile("check", "--format", "json", ".")  # the control: the findings do quote them
    messages = [d["message"] for d in json.loads(unescaped)["diagnostics"] if d["code"] == "L007"]
    assert [message.split(" id ")[-1] for message in messages] == ["`no\x1bpe`", "`x\ry`", "`p\x85q`"]


def test_source_excerpt_shows_control_characters_with_the_caret_under_the_span(hostile):
    _, out, _ = hostile("check", "--show-source", "--select", "L003", ".")
    assert not RAW.search(out)
    source, caret = out.splitlines()[1:3]
    assert source == r"    5 | A \x1b[2J [x](htps://e.org) and [a](#no\x1bpe) [b](#x\ry) [c](#p\x85q)"
    assert caret.index("^") == source.index("htps://e.org") and caret.count("^") == len("htps://e.org")


def test_coloured_text_sends_only_its_own_escape_sequences(hostile, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    _, out, _ = hostile("check", "--show-source", ".")
    assert SHOWN in out and "\x1b[1m" in out  # in rich's own bold
    assert "\r" not in out and "\x1b[31mb" not in out and "\x1b[2J" not in out and "\x85" not in out


def test_github_annotations_show_control_characters(hostile):
    code, out, _ = hostile("check", "--format", "github", ".")
    assert code == 1 and not RAW.search(out)
    lines = out.splitlines()
    assert f"::warning file={SHOWN},line=5,col=12,endLine=5,endColumn=24,title=L003 scheme-typo::" \
        "`htps:` is not a URL scheme; did you mean `https:`?" in lines
    assert [line.split(" id ")[-1] for line in lines if "L007" in line] == [r"`no\x1bpe`", r"`x\ry`", r"`p\x85q`"]


def test_report_piped_prints_plain_lines_that_show_control_characters(hostile):
    code, out, _ = hostile("report", ".")
    assert code == 0 and not RAW.search(out)
    lines = out.splitlines()
    assert f"{SHOWN}\t0\t7\t0\t7" in lines and "page\terror\twarning\tinfo\ttotal" in lines
    assert "│" not in out  # no table borders for `grep` and `cut` to step over


def test_report_in_a_terminal_fits_its_width_and_never_wraps_a_path(hostile, monkeypatch):
    long_name = "publications-" + "x" * 90 + ".md"
    (hostile.root / long_name).write_text("See [x](htps://e.org).\n")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for width in (60, 200):
        monkeypatch.setenv("COLUMNS", str(width))
        code, out, _ = hostile("report", ".", "--no-color")
        lines = out.splitlines()
        assert code == 0 and not RAW.search(out) and "│" in out
        assert max(map(len, lines)) <= width
        # the path's row: one line, cut at its end rather than folded onto the next line
        rows = [line for line in lines if "publications-" in line]
        assert len(rows) == 1 and re.search(r"│\s+0 │\s+1 │\s+0 │\s+1 │$", rows[0])
        if width == 200:
            assert long_name in rows[0]  # the control: a wide terminal shows all of it
        else:
            assert long_name not in rows[0] and "…" in rows[0]


def test_error_lines_show_control_characters(hostile):
    (hostile.root / NAME).chmod(0o444)
    code, _, err = hostile("check", "--fix", "--unsafe-fixes", "--format", "json", ".")
    assert code == 2 and err == f"pagelint: {SHOWN}: fixes not written: file is read-only\n"
    code, _, err = hostile("check", "missing\x1b[2J.md")
    assert code == 2 and err == "pagelint: error: missing\\x1b[2J.md: no such file or directory\n"


def test_notes_show_control_characters(hostile):
    folder = hostile.root / "cache\x1b[2J"
    folder.mkdir()
    (folder / "links.sqlite").write_bytes(b"garbage " * 100)
    (hostile.root / ".pagelint.toml").write_text('[online]\ncache = "cache\\u001b[2J/links.sqlite"\n')
    (hostile.root / NAME).write_text("No links.\n")
    code, _, err = hostile("check", "--online", ".")
    assert code == 0 and not RAW.search(err)
    assert err.startswith(f"pagelint: note: link cache {hostile.root}/cache\\x1b[2J/links.sqlite is broken")


def test_machine_formats_escape_control_characters_themselves(hostile):
    outputs = {name: hostile("check", "--format", name, ".")[1] for name in ("json", "sarif", "gitlab", "junit")}
    for name, out in outputs.items():
        assert not RAW.search(out), name
    assert {d["path"] for d in json.loads(outputs["json"])["diagnostics"]} == {NAME}
    assert {d["location"]["path"] for d in json.loads(outputs["gitlab"])} == {NAME}
    results = json.loads(outputs["sarif"])["runs"][0]["results"]
    assert {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results} == {NAME}
    anchors = [d["message"].split(" id ")[-1] for d in json.loads(outputs["json"])["diagnostics"] if d["code"] == "L007"]
    assert anchors == ["`no\x1bpe`", "`x\ry`", "`p\x85q`"]  # JSON escapes C0 itself; C1 too, as \u0085
    assert "\\u0085" in outputs["json"] and "\\u0085" in outputs["sarif"] and "\\u0085" in outputs["gitlab"]
    case = ElementTree.fromstring(outputs["junit"].encode()).find("testsuite/testcase")
    assert case.get("name") == "a\\u001b[31mb\rc.md"  # XML 1.0 cannot carry ESC at all; CR as &#13;
    assert all(failure.text.startswith(SHOWN) for failure in case.findall("failure"))


def test_a_file_name_that_is_not_utf8_is_shown_on_a_strict_utf8_stdout(tmp_path):
    try:
        (tmp_path / os.fsdecode(b"bad\xffname.md")).write_text("See [x](htps://e.org).\n")
    except (OSError, UnicodeError):  # a file system that allows only UTF-8 names (macOS, Windows)
        pytest.skip("file names must be UTF-8 here")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}  # as under an en_US.UTF-8 locale
    text = run_subprocess(["check", "."], cwd=tmp_path, env=env)
    assert text.returncode == 1 and text.stdout.startswith(rb"bad\xffname.md:1:9: warning: L003 [scheme-typo]"), text.stderr
    machine = run_subprocess(["check", "--format", "json", "."], cwd=tmp_path, env=env)
    assert machine.returncode == 1 and json.loads(machine.stdout)["diagnostics"][0]["path"] == os.fsdecode(b"bad\xffname.md")
