"""`--fix` and `--diff` end to end: what is written, what is kept (mode, line endings, BOM),
what is reported, and what happens when a write fails or the process dies mid-write."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from pagelint.rules import all_rules
from tests.conftest import codes, run_subprocess

# Two safe fixes (S001, S003) and one finding without a fix (M001).
PAGE = "---\ntitle: T\n---\nMy paper was accpeted.\n\nIt appeared at Neurips.\n\n<font>x</font>\n"
FIXED = "---\ntitle: T\n---\nMy paper was accepted.\n\nIt appeared at NeurIPS.\n\n<font>x</font>\n"
FLAGS = ("--select", "S001,S003,M001")


def test_fix_writes_reports_fixed_and_remaining_and_a_second_fix_changes_nothing(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    code, out, _ = cli("check", "--fix", *FLAGS, "a.md")
    assert code == 1 and page.read_text() == FIXED
    assert "Fixed 2 findings, 1 remains. Found 1 problem (0 errors, 1 warning, 0 info) in 1 file." in out
    assert codes(json.loads(cli("check", "--format", "json", *FLAGS, "a.md")[1])["diagnostics"]) == ["M001"]
    before = os.stat(page)
    code, out, _ = cli("check", "--fix", *FLAGS, "a.md")
    after = os.stat(page)
    assert code == 1 and "Fixed" not in out
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not rewritten


def test_fix_of_everything_says_none_remain(tmp_path, cli):
    (tmp_path / "a.md").write_text("My paper was accpeted.\n")
    code, out, _ = cli("check", "--fix", "a.md")
    assert code == 0 and out.strip() == "Fixed 1 finding, none remain. All checks passed (1 file checked)."


def test_diff_prints_the_fix_changes_nothing_and_exits_1(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    code, out, _ = cli("check", "--diff", *FLAGS, "a.md")
    assert code == 1 and page.read_text() == PAGE
    assert out.startswith("--- a/a.md\n+++ b/a.md\n")
    assert "-My paper was accpeted.\n+My paper was accepted.\n" in out
    assert "+It appeared at NeurIPS.\n" in out and "-<font>" not in out


def test_diff_without_anything_to_fix_exits_0_and_prints_nothing(tmp_path, cli):
    (tmp_path / "a.md").write_text("<font>x</font>\n")
    assert cli("check", "--diff", "a.md")[:2] == (0, "")
    (tmp_path / "a.md").write_text("<font>x</font> accpeted\n")
    assert cli("check", "--diff", "a.md")[:2] == (1, "--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-<font>x</font> accpeted\n+<font>x</font> accepted\n")


def test_unsafe_fixes_only_when_asked(tmp_path, cli):
    page = tmp_path / "a.md"
    original = "<!-- pagelint-disable-next-line M001 -->\nplain\n"
    page.write_text(original)
    cli("check", "--fix", "a.md")
    assert page.read_text() == original
    cli("check", "--fix", "--unsafe-fixes", "a.md")
    assert page.read_text() == "\nplain\n"


def test_mode_line_endings_and_byte_order_mark_are_kept(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_bytes(codecs.BOM_UTF8 + PAGE.replace("\n", "\r\n").encode())
    page.chmod(0o604)
    cli("check", "--fix", "--ignore", "E005", *FLAGS, "a.md")
    assert page.read_bytes() == codecs.BOM_UTF8 + FIXED.replace("\n", "\r\n").encode()
    assert page.stat().st_mode & 0o7777 == 0o604


def test_mixed_line_endings_are_kept_line_by_line(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_bytes(b"first line\r\nMy paper was accpeted.\nlast\r\n")
    cli("check", "--fix", "a.md")
    assert page.read_bytes() == b"first line\r\nMy paper was accepted.\nlast\r\n"


def test_read_only_file_is_reported_and_left_whole(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    page.chmod(0o444)
    code, out, err = cli("check", "--fix", "--format", "json", *FLAGS, "a.md")
    assert code == 2 and err == "pagelint: a.md: fixes not written: file is read-only\n"
    assert page.read_text() == PAGE and sorted(os.listdir(tmp_path)) == ["a.md"]
    assert codes(json.loads(out)["diagnostics"]) == ["S001", "S003", "M001"]  # the findings are still reported, unfixed


CRASH_DURING_WRITE = textwrap.dedent(
    """
    import os, sys
    real_fdopen = os.fdopen

    class DiesHalfway:
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            os._exit(9)  # the process dies with half the new content on disk

    os.fdopen = lambda fd, mode: DiesHalfway(real_fdopen(fd, mode))
    from pagelint.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_crash_mid_write_leaves_the_original_intact(tmp_path):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_DURING_WRITE, "check", "--fix", *FLAGS, "a.md"], cwd=tmp_path, capture_output=True, timeout=60
    )
    assert crashed.returncode == 9
    assert page.read_text() == PAGE
    [leftover] = [name for name in os.listdir(tmp_path) if name != "a.md"]
    assert leftover.endswith(".pagelint-tmp")
    # The half-written temporary file is not a page: the next run checks a.md alone and fixes it,
    # and removes the temporary file once it is stale (a minute old: not a run's going on meanwhile).
    an_hour_ago = time.time() - 3600
    os.utime(tmp_path / leftover, (an_hour_ago, an_hour_ago))
    result = run_subprocess(["check", "--fix", "--format", "json", *FLAGS, "."], cwd=tmp_path)
    assert json.loads(result.stdout)["files_checked"] == 1 and page.read_text() == FIXED
    assert os.listdir(tmp_path) == ["a.md"]


# Online rules fix what a server answered: tests/test_online.py checks their fixes against a local one.
FIXABLE = [rule for rule in all_rules() if rule.fixable and not rule.bad.startswith("(") and not rule.online]
# Rules whose documented bad example shows a finding that has no fix (the fix needs a
# narrower case): a page that has one.
FIX_EXAMPLES = {"L007": "See [my papers](#Publications).\n\n## Publications\n"}


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda rule: rule.code)
def test_every_fixable_rule_fixes_its_bad_example(rule, lint):
    """The bad example, fixed (unsafe fixes included), keeps none of the findings that had a
    fix, both in the run that fixed it and when the written file is checked again."""
    content = FIX_EXAMPLES[rule.code].encode() if rule.code in FIX_EXAMPLES else rule.bad.encode(rule.example_encodings[0])
    files = {**rule.example_site, rule.example_path: content}
    args = ("--extend-select", rule.code)
    before = [d for d in lint(files, *args, paths=[rule.example_path]) if d["code"] == rule.code]
    fixable = [d for d in before if d["fix"]]
    assert fixable, "the example offers no fix"
    after_fix = [d for d in lint(files, "--fix", "--unsafe-fixes", *args, paths=[rule.example_path]) if d["code"] == rule.code]
    rechecked = [d for d in lint({}, *args, paths=[rule.example_path]) if d["code"] == rule.code]
    assert after_fix == rechecked
    assert len(rechecked) == len(before) - len(fixable) and not any(d["fix"] for d in rechecked)


def test_cr_only_line_endings_are_read_as_line_breaks_and_kept(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_bytes(PAGE.replace("\n", "\r").encode())
    code, out, _ = cli("check", "--format", "json", *FLAGS, "a.md")
    assert [(d["code"], d["line"], d["column"]) for d in json.loads(out)["diagnostics"]] == [
        ("S001", 4, 14), ("S003", 6, 16), ("M001", 8, 1)
    ]
    cli("check", "--fix", *FLAGS, "a.md")
    assert page.read_bytes() == FIXED.replace("\n", "\r").encode()


def test_cr_only_front_matter_error_is_placed_as_in_the_same_page_with_lf(tmp_path, cli):
    page = "---\ntitle: 'it's'\n---\nBody\n"
    (tmp_path / "lf.md").write_text(page)
    (tmp_path / "cr.md").write_bytes(page.replace("\n", "\r").encode())
    code, out, _ = cli("check", "--format", "json", "--select", "F001", "lf.md", "cr.md")
    found = {d["path"]: (d["code"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in json.loads(out)["diagnostics"]}
    assert found["cr.md"] == found["lf.md"] and found["lf.md"][:3] == ("F001", 2, 12)


def test_stdin_fix_of_a_cr_only_page_prints_cr_line_endings():
    result = run_subprocess(["check", "-", "--fix", *FLAGS, "--stdin-filename", "x.md"], stdin=PAGE.replace("\n", "\r").encode())
    assert result.returncode == 0 and result.stdout == FIXED.replace("\n", "\r").encode()
