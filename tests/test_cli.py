"""The command line: exit codes, formats, stdin, bad input, explain."""

from __future__ import annotations

import json
import os
import re
import sys

import jsonschema
import pytest

from pagelint import __version__
from tests.conftest import ROOT, run_subprocess

FONT_PAGE = "---\ntitle: T\n---\nHi <font color=red>there</font>\n"


def write(tmp_path, name: str, content: str | bytes):
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


def test_text_output_line_format_and_exit_code(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    code, out, _ = cli("check", "a.md")
    assert code == 1
    assert out.splitlines()[0].startswith("a.md:4:4: warning: M001 [deprecated-html] `<font>`")
    assert "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file." in out


def test_clean_file_exits_zero(tmp_path, cli):
    write(tmp_path, "a.md", "Hello\n")
    code, out, _ = cli("check", "a.md")
    assert code == 0 and "All checks passed" in out
    write(tmp_path, "a.md", "Hello <font>there</font>\n")
    code, out, _ = cli("check", "a.md")
    assert code == 1 and "All checks passed" not in out


def test_fail_on_controls_the_exit_code(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    assert cli("check", "--fail-on", "error", "a.md")[0] == 0
    assert cli("check", "--fail-on", "never", "a.md")[0] == 0
    assert cli("check", "--fail-on", "info", "a.md")[0] == 1


def test_json_output_follows_the_documented_contract(tmp_path, cli):
    write(tmp_path, "sub/a.md", FONT_PAGE)
    code, out, _ = cli("check", "--format", "json", "sub")
    document = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "output.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)
    assert document["version"] == __version__ and document["files_checked"] == 1
    diagnostic = document["diagnostics"][0]
    assert diagnostic["path"] == os.path.join("sub", "a.md")
    assert (diagnostic["line"], diagnostic["column"], diagnostic["end_line"], diagnostic["end_column"]) == (4, 4, 4, 20)
    assert document["summary"] == {"error": 0, "warning": 1, "info": 0}


def test_github_format(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    _, out, _ = cli("check", "--format", "github", "a.md")
    assert out.startswith("::warning file=a.md,line=4,col=4,endLine=4,endColumn=20,title=M001 deprecated-html::")


def test_sarif_format_is_sarif_2_1_0_with_rules(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    _, out, _ = cli("check", "--format", "sarif", "a.md")
    sarif = json.loads(out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    result = run["results"][0]
    assert rule_ids[result["ruleIndex"]] == "M001" == result["ruleId"]
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4, "startColumn": 4, "endLine": 4, "endColumn": 20,
    }


def test_select_and_ignore(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    assert cli("check", "--ignore", "M001", "a.md")[0] == 0
    assert cli("check", "--select", "F", "a.md")[0] == 0
    assert cli("check", "--select", "markup", "a.md")[0] == 1


def test_unknown_rule_on_the_command_line_is_a_usage_error(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    code, _, err = cli("check", "--select", "Z999", "a.md")
    assert code == 2 and "Z999" in err


def test_missing_path_is_a_usage_error(cli):
    code, _, err = cli("check", "nope.md")
    assert code == 2 and "nope.md" in err and "Traceback" not in err


def test_statistics_and_show_source(tmp_path, cli):
    write(tmp_path, "a.md", "Ünï <font>x</font> 聂 <center>y</center>\n")
    _, out, _ = cli("check", "--statistics", "--show-source", "a.md")
    assert "    2  M001  deprecated-html" in out
    lines = out.splitlines()
    source_index = lines.index("    1 | Ünï <font>x</font> 聂 <center>y</center>")
    assert lines[source_index + 1] == "      |     ^^^^^^"
    caret_for_center = lines[source_index + 4]
    assert caret_for_center == "      |                       ^^^^^^^^"  # 聂 is two cells wide


def test_quiet_prints_findings_only(tmp_path, cli):
    write(tmp_path, "a.md", FONT_PAGE)
    _, out, _ = cli("check", "--quiet", "a.md")
    assert len(out.splitlines()) == 1


def test_rule_and_rules_commands(cli):
    code, out, _ = cli("rule", "deprecated-html")
    assert code == 0 and out.startswith("M001 deprecated-html") and "Bad:" in out and "<font" in out
    assert cli("rule", "m001")[0] == 0
    assert cli("rule", "X999")[0] == 2
    code, out, _ = cli("rules")
    assert code == 0 and "M001  deprecated-html" in out and "F001  front-matter-syntax" in out


def test_rule_command_prints_each_option_with_its_default_and_help(cli):
    from pagelint.rules import find_rule

    code, out, _ = cli("rule", "L004")
    lines = out.splitlines()
    assert code == 0 and "Options (in .pagelint.toml, under [rules.L004]):" in lines
    for name, option in find_rule("L004").options.items():
        assert lines[lines.index(f"    {name} = []") + 1] == f"        {option.help}"
    assert "Options" not in cli("rule", "M001")[1]


def test_version_and_no_command(cli):
    assert cli("--version")[0] == 0
    assert cli()[0] == 2


def test_stdin_with_filename():
    result = run_subprocess(["check", "-", "--stdin-filename", "docs/x.md"], stdin=FONT_PAGE.encode())
    assert result.returncode == 1
    assert result.stdout.decode().startswith("docs/x.md:4:4: warning: M001")


def test_stdin_fix_prints_the_fixed_text():
    page = "<!-- pagelint-disable-next-line M001 -->\nplain\n"
    result = run_subprocess(["check", "-", "--fix", "--unsafe-fixes", "--stdin-filename", "x.md"], stdin=page.encode())
    assert result.returncode == 0 and result.stdout.decode() == "\nplain\n"


def test_piped_output_has_no_colour_codes(tmp_path):
    write(tmp_path, "a.md", FONT_PAGE)
    result = run_subprocess(["check", "a.md"], cwd=tmp_path)
    assert b"\x1b[" not in result.stdout


# Bad input: every case gets a clear finding or message and the run goes on ------------


def _codes_by_path(out: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for diagnostic in json.loads(out)["diagnostics"]:
        found.setdefault(diagnostic["path"], []).append(diagnostic["code"])
    return found


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path, cli):
    write(tmp_path, "empty.md", "")
    write(tmp_path, "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "latin1.md", b"Universit\xe9 de Montr\xe9al <font>x</font>\n")
    write(tmp_path, "bom.md", b"\xef\xbb\xbf---\ntitle: x\n---\n<center>c</center>\n")
    write(tmp_path, "crlf.md", b"---\r\ntitle: x\r\n---\r\nHi <tt>x</tt>\r\n")
    write(tmp_path, "unclosed.md", "---\ntitle: x\n\nBody\n")
    write(tmp_path, "list.md", "---\n- a\n- b\n---\nBody\n")
    write(tmp_path, "scalar.md", "---\njust a string\n---\nBody\n")
    write(tmp_path, "broken.md", "---\ntitle: 'it's'\n---\nBody\n")
    code, out, err = cli("check", "--format", "json", ".")
    assert code == 1 and err == ""
    found = _codes_by_path(out)
    assert found["binary.md"] == ["E902"]
    assert found["latin1.md"] == ["E002", "M001"]
    assert found["bom.md"] == ["E005", "M001"]
    assert found["crlf.md"] == ["M001"]
    assert found["unclosed.md"] == ["F002"]
    assert found["broken.md"] == ["F001"]
    assert found["list.md"] == found["scalar.md"] == ["F004"]
    assert "empty.md" not in found
    diagnostics = json.loads(out)["diagnostics"]
    bom = next(d for d in diagnostics if d["path"] == "bom.md" and d["code"] == "M001")
    assert (bom["line"], bom["column"]) == (4, 1)
    latin = next(d for d in diagnostics if d["path"] == "latin1.md" and d["code"] == "E002")
    assert (latin["line"], latin["column"]) == (1, 10) and "byte offset 9" in latin["message"]


def test_large_file_is_checked_within_the_limit(tmp_path, cli):
    line = "Word " * 19 + "<font>x</font>\n"
    write(tmp_path, "big.md", line * (50_000_000 // len(line)))
    code, out, _ = cli("check", "--format", "json", "--select", "E", "big.md")
    assert code == 1 and _codes_by_path(out) == {"big.md": ["E901"]}


def test_directory_symlink_loop_is_walked_once(tmp_path, cli):
    write(tmp_path, "site/a.md", FONT_PAGE)
    os.symlink(tmp_path / "site", tmp_path / "site" / "loop")
    code, out, _ = cli("check", "--format", "json", "site")
    assert json.loads(out)["files_checked"] == 1


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_reported(tmp_path, cli):
    target = write(tmp_path, "secret.md", FONT_PAGE)
    target.chmod(0)
    code, out, _ = cli("check", "--format", "json", ".")
    assert _codes_by_path(out) == {"secret.md": ["E900"]}


def test_unreadable_file_is_reported_even_as_root(tmp_path, cli, monkeypatch):
    write(tmp_path, "secret.md", FONT_PAGE)
    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.path.basename(path) == "secret.md":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    code, out, _ = cli("check", "--format", "json", "secret.md")
    diagnostic = json.loads(out)["diagnostics"][0]
    assert code == 1 and diagnostic["code"] == "E900" and "Permission denied" in diagnostic["message"]


def test_seed_pages_font_tags_at_exact_positions(cli):
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("shared seeds not present")
    code, out, _ = cli("check", "--format", "json", "--select", "M001", *map(str, seeds))
    found = [(d["line"], d["column"], d["end_column"]) for d in json.loads(out)["diagnostics"]]
    assert found == [(28, 14, 30), (71, 250, 269)]


def test_colour_on_a_terminal_comes_from_rich():
    import io

    from pagelint.diagnostics import Category, Diagnostic, RunResult, Severity
    from pagelint.reporters import ReportOptions, report

    result = RunResult([Diagnostic("a.md", 1, 2, 1, 5, "M001", "deprecated-html", Category.MARKUP, Severity.ERROR, "m [x]")], 1)
    coloured, plain = io.StringIO(), io.StringIO()
    report("text", result, coloured, ReportOptions(color=True))
    report("text", result, plain, ReportOptions(color=False))
    assert "\x1b[" in coloured.getvalue() and "\x1b[" not in plain.getvalue()
    assert "m [x]" in coloured.getvalue()  # markup in messages is printed literally
    assert plain.getvalue().startswith("a.md:1:2: error: M001 [deprecated-html] m [x]\n")


def test_json_output_carries_the_notes_of_the_run(tmp_path, cli):
    """What stderr notes (here: a file the site does not publish) is in the JSON too."""
    write(tmp_path, "_config.yml", "title: T\nexclude: [notes.md]\n")
    write(tmp_path, "notes.md", FONT_PAGE)
    write(tmp_path, "a.md", FONT_PAGE)
    code, out, err = cli("check", "--format", "json", "a.md", "notes.md")
    document = json.loads(out)
    jsonschema.validate(document, json.loads((ROOT / "schemas" / "output.schema.json").read_text()))
    [note] = document["notes"]
    assert code == 1 and note.startswith("notes.md is not published by its site") and f"pagelint: note: {note}" in err.splitlines()
    _, clean, _ = cli("check", "--format", "json", "a.md")
    assert json.loads(clean)["notes"] == []


def test_the_json_schema_knows_every_rule_code_and_category():
    from pagelint.diagnostics import CATEGORY_OF_LETTER, Category
    from pagelint.rules import all_rules

    diagnostic = json.loads((ROOT / "schemas" / "output.schema.json").read_text())["$defs"]["diagnostic"]["properties"]
    assert set(diagnostic["category"]["enum"]) == {category.value for category in Category}
    assert all(re.fullmatch(diagnostic["code"]["pattern"], rule.code) for rule in all_rules())
    assert set(CATEGORY_OF_LETTER) <= set(re.search(r"\[(\w+)\]", diagnostic["code"]["pattern"]).group(1))
