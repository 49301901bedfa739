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


# Across the site: the bibliography against news items, publication pages and jekyll-scholar's settings.

ALFOLIO = (
    "include: [_pages]\nplugins: [jekyll-scholar]\ncollections:\n  news:\n    output: true\n"
    "scholar:\n  last_name: [Okafor]\n  first_name: [Chidi, C.]\n  source: /_bibliography/\n  bibliography: papers.bib\n"
)
REEF = "@article{okafor2021,\n  title = {Acoustic Monitoring of Coral Reef Fish Choruses},\n  author = {Okafor, Chidi and Bassey, Ene},\n  journal = {Marine Letters},\n  year = {2021},\n  doi = {10.5555/reef.7},\n}\n"


def _found(lint, files, *codes):
    return [(d["path"], d["line"], d["code"]) for d in lint(files, "--select", ",".join(codes))]


def test_a_news_item_with_a_title_a_word_away_from_the_entry_is_reported_and_the_same_title_is_not(lint):
    site = {"_config.yml": ALFOLIO, "_bibliography/papers.bib": REEF}
    found = _found(lint, {**site, "_news/a.md": "---\nlayout: post\n---\nOur paper *Acoustic Monitoring of Coral Reef Bird Choruses* is out.\n",
                          "_news/b.md": "---\nlayout: post\n---\nOur paper *acoustic monitoring of coral reef fish choruses* is out.\n"}, "C007")
    assert found == [("_news/a.md", 4, "C007")]


def test_a_news_item_that_links_the_entrys_doi_is_compared_with_it_and_one_naming_another_paper_is_not(lint):
    site = {"_config.yml": ALFOLIO, "_bibliography/papers.bib": REEF}
    linked = "---\nlayout: post\n---\n[Acoustic Monitoring of Reef Fish Choruses at Night](https://doi.org/10.5555/reef.7) appeared.\n"
    unrelated = "---\nlayout: post\n---\nI gave a talk, *Seagrass Meadows of the Gulf of Guinea Revisited*, in Lagos.\n"
    assert _found(lint, {**site, "_news/a.md": linked, "_news/b.md": unrelated}, "C007") == [("_news/a.md", 4, "C007")]


def test_a_series_title_with_another_number_is_another_paper(lint):
    bib = "@misc{w23,\n  title = {Findings of the Tidal Shared Task 2023 on Estuaries},\n  year = {2023},\n}\n"
    news = "---\nlayout: post\n---\nOur *Findings of the Tidal Shared Task 2022 on Estuaries* is out; so is *Findings of the Tidal Shared Task 2023 on Estuarie*.\n"
    assert _found(lint, {"_config.yml": ALFOLIO, "_bibliography/papers.bib": bib, "_news/a.md": news}, "C007") == [("_news/a.md", 4, "C007")]


HUGO = "baseURL: https://example.org/\ntitle: Lab\n"


def _bundle(title: str, date: str, venue: str) -> str:
    return f"---\ntitle: \"{title}\"\ndate: {date}\npublication: \"{venue}\"\n---\n"


def test_a_hugo_bundle_is_compared_with_its_own_cite_bib_by_title_year_and_venue(lint):
    cite = "@article{k,\n  title = {Acoustic Monitoring of Coral Reef Fish Choruses},\n  journal = {Marine Letters},\n  year = {2021},\n}\n"
    files = {
        "hugo.yaml": HUGO,
        "content/publication/same/index.md": _bundle("Acoustic monitoring of coral reef fish choruses", "2020-12-30", "*Marine Letters*"),
        "content/publication/same/cite.bib": cite,
        "content/publication/other/index.md": _bundle("Acoustic Monitoring of Coral Reefs", "2017-01-01", "Journal of Ocean Sound"),
        "content/publication/other/cite.bib": cite,
        "content/publication/stranger/index.md": _bundle("Seagrass Meadows Revisited in the Gulf", "2021-01-01", "*Marine Letters*"),
        "content/publication/stranger/cite.bib": cite,
    }
    assert _found(lint, files, "C007") == [
        ("content/publication/other/index.md", 2, "C007"), ("content/publication/other/index.md", 3, "C007"),
        ("content/publication/other/index.md", 4, "C007"), ("content/publication/stranger/index.md", 2, "C007"),
    ]


@pytest.mark.parametrize(("doi_line", "reported"), [("doi: \"https://doi.org/10.5555/reef.2021\"\n", True), ("#doi: \"https://doi.org/10.5555/reef.2021\"\n", False)])
def test_a_commented_out_doi_does_not_match_a_page_with_an_entry(lint, doi_line, reported):
    cite = "@article{k,\n  title = {Acoustic Monitoring of Coral Reef Fish Choruses},\n  journal = {Marine Letters},\n  year = {2021},\n  doi = {10.5555/reef.2021},\n}\n"
    copied = _bundle("Seagrass Meadows Revisited in the Gulf", "2024-01-01", "Marine Letters").replace("---\ntitle", "---\n" + doi_line + "title")
    files = {"hugo.yaml": HUGO, "content/publication/reef/cite.bib": cite,
             "content/publication/reef/index.md": _bundle("Acoustic Monitoring of Coral Reef Fish Choruses", "2021-02-01", "Marine Letters"),
             "content/publication/seagrass/index.md": copied}
    expected = [("content/publication/seagrass/index.md", 3, "C007"), ("content/publication/seagrass/index.md", 4, "C007")]
    assert _found(lint, files, "C007") == (expected if reported else [])


@pytest.mark.parametrize(("page", "entry"), [
    ("*ACM Computing Surveys*", "ACM Comput. Surv."), ("ICML 2021", "International Conference on Machine Learning"),
    ("Marine Letters", "arXiv preprint arXiv:2101.01234"),
])
def test_abbreviated_and_preprint_venues_are_not_judged(lint, page, entry):
    cite = f"@article{{k,\n  title = {{Acoustic Monitoring of Coral Reef Fish Choruses}},\n  journal = {{{entry}}},\n  year = {{2021}},\n}}\n"
    files = {"hugo.yaml": HUGO, "content/publication/p/cite.bib": cite,
             "content/publication/p/index.md": _bundle("Acoustic Monitoring of Coral Reef Fish Choruses", "2021-02-01", page)}
    control = {"content/publication/q/cite.bib": cite.replace(entry, "Journal of Ocean Sound"),
               "content/publication/q/index.md": _bundle("Acoustic Monitoring of Coral Reef Fish Choruses", "2021-02-01", "Marine Letters")}
    assert _found(lint, {**files, **control}, "C007") == [("content/publication/q/index.md", 4, "C007")]


def test_the_owners_name_missing_from_every_author_list_is_reported_in_the_config(lint):
    sample = ALFOLIO.replace("[Okafor]", "[Einstein]").replace("[Chidi, C.]", "[Albert, A.]")
    assert _found(lint, {"_config.yml": sample, "_bibliography/papers.bib": REEF}, "C008") == [("_config.yml", 7, "C008")]
    assert _found(lint, {"_config.yml": ALFOLIO}, "C008") == []


@pytest.mark.parametrize(("author", "reported"), [
    ("Okafor, Chidi", False), ("Okafor, C.", False), ("Okafor, Chdi", True), ("Okafor, chidi", True), ("Okafór, Chidi", True),
    ("Okafor, Ngozi", False), ("Okafor, J.", False), ("Okaf{\\'o}r, Chidi", False), ("Chdi Okafor", True), ("Okafor*, Chidi", False),
])
def test_the_owner_written_a_letter_or_an_accent_away_is_reported_at_the_author(lint, author, reported):
    bib = REEF.replace("Okafor, Chidi", author)
    found = _found(lint, {"_config.yml": ALFOLIO, "_bibliography/papers.bib": bib}, "C008")
    assert found == ([("_bibliography/papers.bib", 3, "C008")] if reported else [])


def test_a_name_split_two_ways_in_one_file_is_reported_at_the_less_usual_split(lint):
    bib = (
        "@misc{a,\n  title = {A},\n  author = {Ryu, So Im and Ahn, Ji Woo},\n}\n@misc{b,\n  title = {B},\n  author = {So Im Ryu and Ji Woo Ahn},\n}\n"
        "@misc{c,\n  title = {C},\n  author = {Im Ryu, So and Woo Ahn, Ji},\n}\n"
    )
    found = lint({"_config.yml": ALFOLIO, "_bibliography/papers.bib": bib}, "--select", "C009")
    assert [(d["line"], d["column"]) for d in found] == [(11, 13), (11, 28)]
    assert "`Im Ryu` the family name; the same name is `Ryu, So Im` on line 3 and 1 more" in found[0]["message"]


def test_a_split_the_owners_config_contradicts_is_reported_and_files_that_disagree_are_not(lint):
    config = ALFOLIO.replace("[Okafor]", "[Ryu]").replace("[Chidi, C.]", "[So Im]").replace("  bibliography: papers.bib\n", "")
    files = {
        "_config.yml": config,
        "_bibliography/papers.bib": "@misc{a,\n  title = {A},\n  author = {Im Ryu, So and Woo Ahn, Ji},\n}\n",
        "_bibliography/talks.bib": "@misc{b,\n  title = {B},\n  author = {Ji Woo Ahn},\n}\n",
    }
    assert _found(lint, files, "C009") == [("_bibliography/papers.bib", 3, "C009")]


def test_a_bibliography_a_page_names_with_file_is_checked_and_a_missing_file_or_cited_key_is_reported_at_the_tag(tmp_path, monkeypatch, capsys):
    (tmp_path / "_config.yml").write_text(ALFOLIO, encoding="utf-8")
    (tmp_path / "_bibliography").mkdir()
    for name in ("papers.bib", "talks.bib", "old.bib"):
        (tmp_path / "_bibliography" / name).write_text("@misc{m1,\n  title = {T},\n  year = {20},\n}\n", encoding="utf-8")
    (tmp_path / "_pages").mkdir()
    (tmp_path / "_pages" / "talks.md").write_text(
        "---\ntitle: Talks\n---\n{% bibliography --file talks %}\n{% bibliography -f missing --query @misc %}\n{% bibliography --file {{ page.bib }} %}\n"
        "As {% cite m1 %} and {% cite m2 --file talks %} show, {% cite m3 %} is not {% cite m1 --file talks %}.\n",
        encoding="utf-8",
    )
    _, out, _ = run_cli(["check", "--format", "json", "--select", "B006,J009", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in json.loads(out)["diagnostics"]] == [
        ("_bibliography/papers.bib", 3, 11, "B006"), ("_bibliography/talks.bib", 3, 11, "B006"), ("_pages/talks.md", 5, 20, "J009"),
        ("_pages/talks.md", 7, 22, "J009"), ("_pages/talks.md", 7, 55, "J009"),
    ]


@pytest.mark.parametrize(("with_bibliography", "imported"), [(False, False), (True, True)])
def test_a_news_item_imports_the_bibtex_parser_only_where_the_site_has_a_bibliography(tmp_path, with_bibliography, imported):
    (tmp_path / "_config.yml").write_text(ALFOLIO, encoding="utf-8")
    (tmp_path / "_news").mkdir()
    (tmp_path / "_news" / "a.md").write_text("---\nlayout: post\n---\nOur paper *Acoustic Monitoring of Coral Reef Bird Choruses*.\n", encoding="utf-8")
    if with_bibliography:
        (tmp_path / "_bibliography").mkdir()
        (tmp_path / "_bibliography" / "papers.bib").write_text(REEF, encoding="utf-8")
    probe = "import sys; from pagelint.cli import main; code = main(['check', '_news/a.md']); print(code, 'bibtexparser' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    # the positive control: with the bibliography the news item's title slip is found
    assert done.stdout.strip().splitlines()[-1] == f"{1 if with_bibliography else 0} {imported}", done.stderr


@pytest.mark.parametrize(("page", "reported"), [
    ("Acoustic Monitoring of Coral Reef Fish Choruses", False), ("Acoustic Monitoring of CRF Choruses", False),
    ("Acoustic-Monitoring of Coral Reef Fish Choruses [Monitoreo acústico]", False), ("Acoustic Monitoring of Coral Reef Fish Chorus", True),
])
def test_a_publication_pages_title_is_the_entrys_but_for_spaces_acronyms_and_a_translation(lint, page, reported):
    cite = "@article{k,\n  title = {Acoustic Monitoring of {Coral} Reef Fish Choruses},\n  journal = {Marine Letters},\n  year = {2021},\n}\n"
    files = {"hugo.yaml": HUGO, "content/publication/p/cite.bib": cite, "content/publication/p/index.md": _bundle(page, "2021-02-01", "Marine Letters")}
    assert _found(lint, files, "C007") == ([("content/publication/p/index.md", 2, "C007")] if reported else [])
