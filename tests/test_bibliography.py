"""The BibTeX reader and the bibliography rules on input the fixture site does not cover:
hostile files, fixes that keep the rest of the file as it is, and the lazy import of the parser."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pagelint.model.bibtex import read_bibliography
from tests.conftest import run_cli

CONFIG = "scholar:\n  source: /_bibliography/\n"


def _check(tmp_path, monkeypatch, capsys, bib: bytes, *args: str) -> list[tuple[int, str]]:
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "_bibliography").mkdir(exist_ok=True)
    (tmp_path / "_bibliography" / "papers.bib").write_bytes(bib)
    code, out, err = run_cli(["check", "--format", "json", *args, "_bibliography/papers.bib"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code in (0, 1), err
    return [(d["line"], d["code"]) for d in json.loads(out)["diagnostics"]]


def test_field_offsets_point_at_the_values_text():
    text = '@string{j = "Waves"}\n@article{k1,\n  title   = {On {BERT} and "quotes"},\n  journal = j,\n  note    = "x {y} z",\n}\n'
    (entry,) = read_bibliography(text).entries
    assert [(field.name, text[field.start : field.end], field.delimited) for field in entry.fields] == [
        ("title", 'On {BERT} and "quotes"', True), ("journal", "j", False), ("note", "x {y} z", True),
    ]
    assert text[entry.key_start : entry.key_start + 2] == "k1"


def test_a_folder_walk_reads_the_bibliography_as_bibtex_not_as_prose(tmp_path, monkeypatch, capsys):
    """Column alignment (runs of spaces) is no finding; a defect of the same file is (the positive control)."""
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "_bibliography").mkdir()
    (tmp_path / "_bibliography" / "papers.bib").write_text(
        "@article{a1,\n  title     = {Aligned   fields},\n  journal   = {Tides},\n  year      = {20},\n}\n", encoding="utf-8"
    )
    _, out, _ = run_cli(["check", "--format", "json", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert [(d["path"], d["line"], d["code"]) for d in json.loads(out)["diagnostics"]] == [("_bibliography/papers.bib", 4, "B006")]


def test_the_rest_of_a_file_is_checked_after_an_unterminated_entry_at_the_top(tmp_path, monkeypatch, capsys):
    bib = b"@article{open,\n  title = {never closed\n\n@article{b1,\n  title = {Fine},\n  journal = {J},\n  year = {99},\n}\n"
    assert _check(tmp_path, monkeypatch, capsys, bib) == [(2, "B001"), (7, "B006")]  # the brace left open


def test_ten_thousand_nested_braces_are_read(tmp_path, monkeypatch, capsys):
    deep = b"{" * 10_000 + b"x" + b"}" * 10_000
    bib = b"@misc{deep,\n  title = {" + deep + b"},\n  year = {1x},\n}\n@misc{open, title = {" + b"{" * 10_000 + b"\n"
    found = _check(tmp_path, monkeypatch, capsys, bib)
    assert found == [(3, "B006"), (5, "B001")]


def test_invalid_utf8_is_reported_and_the_entries_still_checked(tmp_path, monkeypatch, capsys):
    bib = "@misc{m1,\n  author = {M\xfcller, J}\n,  year = {77},\n}\n".encode("latin-1")
    found = _check(tmp_path, monkeypatch, capsys, bib)
    assert found[0] == (2, "E002") and (3, "B006") in found


def test_a_20_mb_file_gets_a_clear_message(tmp_path, monkeypatch, capsys):
    entry = b"@misc{k, title = {A title}, year = {2020}}\n"
    bib = entry * (20_000_000 // len(entry) + 1)
    assert _check(tmp_path, monkeypatch, capsys, bib) == [(1, "E901")]


def test_fixes_keep_the_rest_of_the_file_byte_identical(tmp_path, monkeypatch, capsys):
    before = (
        "% my comment\n@article{g1,\n  title       = {GPU   Tides},\n  journal     = {J},\n  doi         = {https://doi.org/10.5555/x.1},\n"
        "  bibtex_show = {true},\n}\n"
    )
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "_bibliography").mkdir()
    path = tmp_path / "_bibliography" / "papers.bib"
    path.write_text(before, encoding="utf-8")
    run_cli(["check", "--fix", "_bibliography/papers.bib"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert path.read_text("utf-8") == before.replace("{GPU   Tides}", "{{GPU}   Tides}").replace("{https://doi.org/10.5555/x.1}", "{10.5555/x.1}")


@pytest.mark.parametrize(("name", "content", "imported"), [("page.md", "# Tides\n", False), ("papers.bib", "@misc{a, title={T}}\n", True)])
def test_the_bibtex_parser_is_imported_only_for_bib_files(tmp_path, name, content, imported):
    (tmp_path / name).write_text(content, encoding="utf-8")
    probe = f"import sys; from pagelint.cli import main; main(['check', {name!r}]); print('bibtexparser' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == str(imported), done.stderr


def test_only_the_bibliography_jekyll_scholar_renders_is_checked(tmp_path, monkeypatch, capsys):
    (tmp_path / "_config.yml").write_text("scholar:\n  source: ./refs\n  bibliography: papers\n", encoding="utf-8")
    (tmp_path / "refs").mkdir()
    for name in ("papers.bib", "old.bib"):
        (tmp_path / "refs" / name).write_text("@misc{m1,\n  year = {20},\n}\n", encoding="utf-8")
    _, out, _ = run_cli(["check", "--format", "json", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert [(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]] == [("refs/papers.bib", "B006")]
