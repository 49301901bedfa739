"""The text of a `.bib` file's fields as the page rules read it: LaTeX decoded with a map back
to the file, so that spelling, typography, encoding and link findings land on the right line
and column of the `.bib` file; duplicate fields; malformed entries found where they are."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from pagelint.model.bibtex import decode_latex, read_bibliography
from pagelint.model.document import Document
from tests.conftest import run_cli

CONFIG = "title: Tide Lab\nscholar:\n  source: /_bibliography/\n"


def _site(tmp_path, bib: str) -> None:
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "_bibliography").mkdir(exist_ok=True)
    (tmp_path / "_bibliography" / "papers.bib").write_text(bib, encoding="utf-8")


def _findings(tmp_path, monkeypatch, capsys, bib: str, *args: str) -> list[dict]:
    _site(tmp_path, bib)
    code, out, err = run_cli(["check", "--format", "json", *args, "_bibliography/papers.bib"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code in (0, 1), err
    return json.loads(out)["diagnostics"]


def _where(findings: list[dict]) -> list[tuple[int, int, str]]:
    return [(d["line"], d["column"], d["code"]) for d in findings]


def _decoded(source: str) -> list[str]:
    return [run.text for run in decode_latex(source)[0]]


@pytest.mark.parametrize(("latex", "text"), [
    ('M{\\"u}ller', "Müller"),
    ("Caf\\'e and \\'{E}cole", "Café and École"),
    ("Stra{\\ss}e and {\\ss}", "Straße and ß"),
    ('{\\"{o}}pfel, \\"o, \\" o', "öpfel, ö, ö"),
    ("Ng \\& Jordan", "Ng & Jordan"),
    ("pages 10--12, yes---no", "pages 10–12, yes—no"),
    ("Fig.~3", "Fig.\u00a03"),
    ("On {BERT} and {{GPU}s}", "On BERT and GPUs"),
    ("An \\emph{exact} and \\textbf{bold} claim", "An exact and bold claim"),
    ("Ko{\\c{c}} and {\\v{S}}ablica and Pa{\\l}ka and {\\o}re", "Koç and Šablica and Pałka and øre"),
    ("na{\\\"\\i}ve", "naïve"),
    ("``quoted''", "\u201cquoted\u201d"),
    ("See \\url{https://example.org/x} here", "See here"),
    ("Read \\href{https://example.org}{the notes}", "Read the notes"),
])
def test_latex_is_decoded_to_the_text_a_reader_sees(latex, text):
    assert _decoded(latex) == [text]


def test_a_line_break_and_the_next_lines_indentation_are_one_space():
    assert _decoded("Sparse Graphs of\n               Tidal Flows") == ["Sparse Graphs of Tidal Flows"]


def test_math_cuts_the_text_so_that_its_letters_are_no_words():
    assert _decoded("Bounds in $O(n \\log n)$ time for $k$-cores") == ["Bounds in", "time for", "-cores"]


def test_every_character_maps_to_the_offset_of_the_latex_it_came_from():
    source = 'x{\\"u}y \\emph{z}'
    (run,), markup = decode_latex(source, base=100)
    assert run.text == "xüy z"
    assert [offset - 100 for offset in run.offsets] == [0, 2, 6, 7, 14, 15]  # the end: after `z`, before the closing brace
    assert (102, 105) in markup and (108, 113) in markup  # `\"u` and `\emph`


def test_a_fix_may_not_edit_part_of_a_latex_accent():
    text = '@misc{k1,\n  title = {Universit{\\"a}t},\n}\n'
    doc = Document("refs.bib", "refs.bib", text.encode())
    accent = text.index('\\"a')
    assert doc.edits_code(accent + 1, accent + 5)  # ends inside the accent's span
    assert not doc.edits_code(text.index("Universit"), text.index("t},") + 1)  # the whole word, accents and all
    assert not doc.edits_code(0, 1)


def test_a_misspelling_after_accents_on_a_wrapped_line_is_reported_at_its_column(tmp_path, monkeypatch, capsys):
    bib = (
        "@article{lund2021,\n"
        "  author  = {Lund, Ada},\n"
        "  title   = {Tidal {\\\"O}resund Flows at the\n"
        "             Univeristy of Bergen},\n"
        "  journal = {Graph Journal},\n"
        "  year    = {2021},\n"
        "}\n"
    )
    found = _findings(tmp_path, monkeypatch, capsys, bib)
    assert _where(found) == [(4, 14, "S001")]
    assert found[0]["end_column"] == 24


def test_column_alignment_and_wrapping_inside_a_value_are_no_finding(tmp_path, monkeypatch, capsys):
    bib = (
        "@article{lund2021,\n"
        "  author    =   {Lund, Ada and M{\\\"u}ller, J{\\\"o}rg},\n"
        "  title     =   {Sparse    Graphs of\n"
        "                Tidal Flows with {BERT} on {GPU}s},\n"
        "  journal   =   {Graph Journal},\n"
        "  year      =   {2021},\n"
        "  abstract  =   {We study the the tides.},\n"
        "}\n"
    )
    assert _where(_findings(tmp_path, monkeypatch, capsys, bib)) == [(7, 27, "S004")]  # the positive control


def test_mojibake_in_an_authors_name_is_fixed_exactly(tmp_path, monkeypatch, capsys):
    bib = "@article{oresund2020,\n  author  = {Or\u00c4\u0192san, Constantin and Lund, Ada},\n  title   = {Tides},\n  journal = {J},\n  year = {2020},\n}\n"
    found = _findings(tmp_path, monkeypatch, capsys, bib)
    assert _where(found) == [(2, 16, "E001")]
    run_cli(["check", "--fix", "_bibliography/papers.bib"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert (tmp_path / "_bibliography" / "papers.bib").read_text("utf-8") == bib.replace("\u00c4\u0192", "\u0103")


def test_pdf_copy_artifacts_in_titles_and_abstracts(tmp_path, monkeypatch, capsys):
    bib = (
        "@article{lund2022,\n"
        "  title    = {Strati\ufb01ed Tides},\n"
        "  journal  = {Graph Journal},\n"
        "  year     = {2022},\n"
        "  abstract = {We ran an exper iment and an experimen-\n"
        "              tal study, in vivo.},\n"
        "}\n"
    )
    found = _findings(tmp_path, monkeypatch, capsys, bib)
    assert _where(found) == [(2, 21, "T001"), (5, 25, "T009"), (5, 44, "T002")]
    run_cli(["check", "--fix", "_bibliography/papers.bib"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    fixed = (tmp_path / "_bibliography" / "papers.bib").read_text("utf-8")
    assert fixed == bib.replace("\ufb01", "fi").replace("experimen-\n              tal", "experimental")


def test_venue_casing_in_a_venue_field(tmp_path, monkeypatch, capsys):
    bib = "@inproceedings{lund2023,\n  title     = {Tides},\n  booktitle = {Advances in Neurips},\n  year      = {2023},\n}\n"
    assert _where(_findings(tmp_path, monkeypatch, capsys, bib)) == [(3, 28, "S003")]


def test_names_and_venues_of_the_bibliography_are_learned_as_words(tmp_path, monkeypatch, capsys):
    """S006 reads the title: the authors' and the venue's words pass, an unknown word does not (the positive control)."""
    bib = (
        "@article{pelletrovic2021,\n"
        "  author  = {Pelletrovic, Anna and {Quarnstedt}, Bo},\n"
        "  title   = {Quarnstedt Flows in Quasigraphica, after Pelletrovic and Zorblatt},\n"
        "  journal = {Quasigraphica},\n"
        "  year    = {2021},\n"
        "}\n"
    )
    found = _findings(tmp_path, monkeypatch, capsys, bib, "--select", "S006")
    assert [(d["line"], d["message"].split("`")[1]) for d in found] == [(3, "Zorblatt")]


def test_a_news_page_accepts_the_names_of_the_bibliography(tmp_path, monkeypatch, capsys):
    _site(tmp_path, "@article{q1,\n  author  = {Zorbl{\\\"a}tt, Anna and Quarnstedt, Bo},\n  title = {Tides},\n  journal = {J},\n  year = {2021},\n}\n")
    (tmp_path / "news.md").write_text("---\ntitle: News\n---\nA paper with Quarnstedt on Wexlorian tides.\n", encoding="utf-8")
    _, out, _ = run_cli(["check", "--format", "json", "--select", "S006", "news.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert [d["message"].split("`")[1] for d in json.loads(out)["diagnostics"]] == ["Wexlorian"]


def test_private_and_tracking_parameters_in_url_fields(tmp_path, monkeypatch, capsys):
    bib = (
        "@article{lund2024,\n  title = {Tides},\n  journal = {J},\n  year = {2024},\n"
        "  url   = {https://journals.example.org/doi/10.5555/t1?casa_token=Zq8x:AbC-123&volume=4},\n"
        "  pdf   = {https://journals.example.org/doi/pdf/10.5555/t1},\n"
        "}\n"
    )
    found = _findings(tmp_path, monkeypatch, capsys, bib)
    assert _where(found) == [(5, 56, "L005")]  # at the parameter
    assert "casa_token" in found[0]["message"] and "https://journals.example.org/doi/10.5555/t1?volume=4" in found[0]["message"]


def test_a_duplicated_field_written_alike_is_deleted_and_nothing_else_changes(tmp_path, monkeypatch, capsys):
    bib = (
        "% Tide Lab papers\n"
        "@article{lund2021,\n"
        "  title   = {Tides},\n"
        "  year    = {2021},\n"
        "  journal = {Graph Journal},\n"
        "  year    = {2021},   \n"
        "}\n\n"
        "@misc{one, title = {A}, year = {2020}, note = {x}, year = {2020}}\n"
        "@misc{two, title = {B}, year = {2020},\n  year = {2019},\n}\n"
    )
    found = _findings(tmp_path, monkeypatch, capsys, bib)
    assert [(line, code, bool(d["fix"])) for (line, _, code), d in zip(_where(found), found, strict=True)] == [
        (6, "B009", True), (9, "B009", True), (11, "B009", False),
    ]
    run_cli(["check", "--fix", "_bibliography/papers.bib"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert (tmp_path / "_bibliography" / "papers.bib").read_text("utf-8") == (
        bib.replace("  year    = {2021},   \n", "").replace(", note = {x}, year = {2020}}", ", note = {x}}")
    )


MALFORMED = (
    "@article{swallow2021,\n"
    "  title   = {Swallowing Paper,\n"
    "  journal = {Graph Journal},\n"
    "  year    = {2021},\n"
    "}\n\n"
    "@article{comma2022,\n"
    "  title   = {Comma Paper}\n"
    "  journal = {Graph Journal},\n"
    "  year    = {2022},\n"
    "}\n\n"
    "@article{key2023\n"
    "  title   = {Key Paper},\n"
    "}\n\n"
    "@article{after2024,\n"
    "  title   = {After the the Errors},\n"
    "  journal = {Graph Journal},\n"
    "  year    = {2024},\n"
    "}\n"
)


def test_malformed_entries_are_reported_where_they_go_wrong_and_the_rest_is_checked(tmp_path, monkeypatch, capsys):
    """The field after a missing comma is still read: `comma2022` has its `journal` (no B003)."""
    found = _where(_findings(tmp_path, monkeypatch, capsys, MALFORMED))
    assert found == [(2, 13, "B001"), (8, 26, "B001"), (13, 1, "B001"), (18, 20, "S004")]


def test_an_entry_that_swallows_the_next_names_the_field():
    (failure, *_) = read_bibliography(MALFORMED).failures
    assert "`title`" in failure.message and "`journal`" in failure.message


def test_a_markdown_page_of_a_site_with_a_bibliography_does_not_import_the_parser(tmp_path):
    """The site's vocabulary reads the `.bib` file's names line by line (its LaTeX decoded), not
    through bibtexparser: the page's dictionary typo is reported, which asks for that vocabulary."""
    _site(tmp_path, "@article{q1,\n  author = {Quarnstedt, Bo},\n  title = {Tides},\n}\n")
    (tmp_path / "page.md").write_text("# Tides\n\nWe give recommondations.\n", encoding="utf-8")
    probe = "import sys; from pagelint.cli import main; main(['check', 'page.md']); print('bibtexparser' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "S009" in done.stdout and done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr


def _decoding_cost(unit: str, count: int) -> float:
    """The least CPU time of three decodings of a value holding `unit` `count` times."""
    source = unit * count
    costs = []
    for _ in range(3):
        started = time.process_time()
        decode_latex(source)
        costs.append(time.process_time() - started)
    return min(costs)


@pytest.mark.parametrize("unit", ['{\\"u}', "\\url{", "\\emph{x} ", "$a", "\\'", "{{{", "--~`` "])
def test_decoding_grows_linearly(unit):
    """4N against N, with a generous bound (linear is 4, quadratic 16), never an absolute time."""
    ratio = _decoding_cost(unit, 20_000) / max(_decoding_cost(unit, 5_000), 1e-4)
    assert ratio < 9, f"{unit!r}: 4N costs {ratio:.1f} times N"


def test_html_and_urls_in_a_field_are_not_read_as_words(tmp_path, monkeypatch, capsys):
    bib = (
        "@article{lund2025,\n  title = {Tides},\n  journal = {Graph Journal},\n  year = {2025},\n"
        "  note  = {<b class=\"recieved\">Oral</b>, see https://example.org/recieved/the the, recieved in 2025},\n"
        "}\n"
    )
    found = _findings(tmp_path, monkeypatch, capsys, bib)
    assert _where(found) == [(5, 84, "S001")]  # the word in the text, not those in the tag and the URL
