"""Configuration values: numbers finite and within their ranges, booleans real booleans, and
a `pyproject.toml` that cannot be read is an error, not passed over. Every error is one line
(exit 2) that names the file and the key."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


def _check(tmp_path, monkeypatch, capsys, *args):
    (tmp_path / "a.md").write_text("Hello.\n")
    code, _, err = run_cli(["check", *args, "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert "Traceback" not in err and "internal error" not in err, err
    return code, err


def test_invalid_pyproject_found_upwards_is_an_error_with_its_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\nversion = 1.0.0\n')
    (tmp_path / "site").mkdir()
    code, err = _check(tmp_path / "site", monkeypatch, capsys)
    assert code == 2 and str(tmp_path / "pyproject.toml") in err and "invalid TOML" in err and "line 3" in err, err
    assert err.count("\n") == 1
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\nversion = "1.0.0"\n')  # the control
    assert _check(tmp_path / "site", monkeypatch, capsys)[0] == 0


@pytest.mark.parametrize(
    "pyproject, found",
    [
        ('[tool]\npagelint = "x"\n', "tool.pagelint: expected a table"),
        ("[tool.pagelint]\nmax-file-size = 0\n", "max-file-size"),  # the control: [tool.pagelint] is read
    ],
)
def test_pyproject_tool_pagelint_must_be_a_table(tmp_path, monkeypatch, capsys, pyproject, found):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    code, err = _check(tmp_path, monkeypatch, capsys)
    assert code == 2 and "pyproject.toml" in err and found in err, err


def test_pyproject_whose_tool_is_no_table_does_not_configure_pagelint(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text('tool = "pagelint"\n')
    assert _check(tmp_path, monkeypatch, capsys)[0] == 0
    code, err = _check(tmp_path, monkeypatch, capsys, "--config", "pyproject.toml")  # named: it must be one
    assert code == 2 and "pyproject.toml: tool: expected a table" in err, err
