"""Configuration files: discovery, keys, overrides, and clear errors for typos."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

FONT = "<font>x</font> <center>y</center>\n"


@pytest.fixture
def site(tmp_path, monkeypatch, capsys):
    def _site(config: str, files: dict[str, str], *args: str, config_name: str = ".pagelint.toml"):
        (tmp_path / config_name).write_text(config)
        for name, content in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content)
        code, out, err = run_cli(["check", "--format", "json", *args, "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        diagnostics = json.loads(out)["diagnostics"] if out.strip() else []
        return code, diagnostics, err

    return _site


def test_ignore_and_severity_from_the_file(site):
    code, found, _ = site('ignore = ["M100"]\n[severity]\nM001 = "info"\n', {"a.md": FONT})
    assert {d["severity"] for d in found} == {"info"} and code == 0


def test_severity_from_the_file_reaches_site_wide_findings(site):
    pages = {"_config.yml": "title: Lab\n", "a.md": "---\npermalink: /same/\n---\nA.\n", "b.md": "---\npermalink: /same/\n---\nB.\n"}
    code, found, _ = site("", pages)
    assert [d["severity"] for d in found if d["code"] == "J005"] == ["warning"] * 2 and code == 1  # the control
    code, found, _ = site('[severity]\nJ005 = "info"\n', pages)
    assert [d["severity"] for d in found if d["code"] == "J005"] == ["info"] * 2 and code == 0


def test_fail_on_from_the_file_and_cli_overrides_it(site):
    assert site('fail-on = "never"\n', {"a.md": FONT})[0] == 0
    assert site('fail-on = "never"\n', {"a.md": FONT}, "--fail-on", "warning")[0] == 1


def test_pyproject_tool_section(site):
    code, found, _ = site('[tool.pagelint]\nignore = ["M001"]\n', {"a.md": FONT}, config_name="pyproject.toml")
    assert found == [] and code == 0
    code, found, _ = site('[tool.other]\nignore = ["M001"]\n', {"a.md": FONT}, config_name="pyproject.toml")
    assert [(d["column"], d["code"]) for d in found] == [(1, "M001"), (16, "M001")] and code == 1


def test_per_path_overrides(site):
    config = '[[overrides]]\nfiles = ["_drafts/*"]\nignore = ["markup"]\n'
    _, found, _ = site(config, {"_drafts/a.md": FONT, "b.md": FONT})
    assert {d["path"] for d in found} == {"b.md"}


def test_exclude_defaults_and_extend_exclude(site):
    _, found, _ = site('extend-exclude = ["old/"]\n', {"_site/a.md": FONT, "old/b.md": FONT, "c.md": FONT})
    assert {d["path"] for d in found} == {"c.md"}


@pytest.mark.parametrize(
    "config, named",
    [
        ('selct = ["M001"]\n', "'selct'"),
        ('select = ["M999"]\n', "'M999'"),
        ('[severity]\nM001 = "fatal"\n', "fatal"),
        ('[rules.M001]\ncolour = true\n', "'colour'"),
        ('[rules.L004]\nallowed-hosts = "example.org"\n', "rules.L004.allowed-hosts: expected list, got str"),
        ('[rules.C003]\nfuture-days = "60"\n', "rules.C003.future-days: expected int, got str"),
        ('[[overrides]]\nfiles = ["x"]\nignor = ["M001"]\n', "'ignor'"),
        ('fail-on = "sometimes"\n', "fail-on"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_config_errors_exit_2_and_name_the_key(site, config, named):
    code, _, err = site(config, {"a.md": FONT})
    assert code == 2 and named in err and ".pagelint.toml" in err and "Traceback" not in err


BOTH = [("drafts/note.md", "S006"), ("page.md", "S006")]


@pytest.mark.parametrize(
    "config, args, expected",
    [
        ('ignore = ["S006"]\n', ["--extend-select", "S006"], BOTH),  # the command line brings it back
        ('ignore = ["S006"]\n', ["--select", "S006"], BOTH),  # --select replaces the file's ignores too
        ('extend-select = ["S006"]\n', ["--select", "S006", "--ignore", "S006"], []),
        ('ignore = ["S006"]\n[[overrides]]\nfiles = ["drafts/*"]\nignore = ["spelling"]\n', ["--select", "S006"], BOTH[1:]),
    ],
    ids=["extend-select-over-file-ignore", "select-over-file-ignore", "cli-ignore", "overrides-still-apply"],
)
def test_command_line_selection_is_a_layer_over_the_file(site, config, args, expected):
    files = {"page.md": "We studied the theorie of graphs.\n", "drafts/note.md": "A theorie again.\n"}
    _, found, _ = site(config, files, *args)
    assert [(d["path"], d["code"]) for d in found] == expected
