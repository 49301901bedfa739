"""Each folder of `fixtures/` that holds an `expected.txt` is checked from inside that folder
(so its own `.pagelint.toml` applies) and its findings must be exactly the expected ones:
one `path:line:col: CODE` a line, `#` comments allowed."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import FIXTURES, run_cli

CASES = sorted(path.parent for path in FIXTURES.rglob("expected.txt"))


def _expected(folder) -> list[str]:
    lines = (folder / "expected.txt").read_text("utf-8").splitlines()
    return sorted(line.split("#")[0].strip() for line in lines if line.split("#")[0].strip())


@pytest.mark.parametrize("folder", CASES, ids=lambda folder: str(folder.relative_to(FIXTURES)))
def test_fixture_findings_are_exactly_the_expected_ones(folder, monkeypatch, capsys):
    code, out, err = run_cli(["check", "--format", "json", "."], cwd=folder, monkeypatch=monkeypatch, capsys=capsys)
    assert code in (0, 1), err
    found = sorted(
        f"{d['path']}:{d['line']}:{d['column']}: {d['code']}" for d in json.loads(out)["diagnostics"]
    )
    assert found == _expected(folder)


def test_the_fixture_that_expects_nothing_reports_typos_added_to_it(tmp_path, monkeypatch, capsys):
    """names-and-venues expects no finding but S009's two planted typos: the same folder with two typos added reports just them more."""
    folder = shutil.copytree(FIXTURES / "cases" / "names-and-venues", tmp_path / "names-and-venues")
    assert _expected(folder) == ["about.md:27:19: S009", "about.md:27:49: S009"]
    with (folder / "about.md").open("a", encoding="utf-8") as page:
        page.write("\nOur paper was accpeted at Neurips.\n")
    lines = (folder / "about.md").read_text("utf-8").count("\n")
    code, out, err = run_cli(["check", "--format", "json", "."], cwd=folder, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1, err
    assert [(d["path"], d["line"], d["code"]) for d in json.loads(out)["diagnostics"]] == [
        ("about.md", 27, "S009"), ("about.md", 27, "S009"), ("about.md", lines, "S001"), ("about.md", lines, "S003"),
    ]
