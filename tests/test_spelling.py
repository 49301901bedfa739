"""Spelling rules: the typos generic tools miss, and nothing on names, venues or acronyms."""

from __future__ import annotations

import json


def test_misspellings_keep_their_case(found):
    page = "Our paper was accpeted at the Univeristy of X; RESERACH notes.\n"
    assert found(page, "S001") == [(1, 15, 23, "S001", "accepted"), (1, 31, 41, "S001", "University"), (1, 48, 56, "S001", "RESEARCH")]


def test_phrase_near_misses_but_not_plurals(found):
    page = (
        "Institute of Date Science. Machine Leaning and Computer Sience.\n\n"
        "Data Sciences, data analyses and Social Sciences are fine.\n"
    )
    assert [(f.line, f.code, f.fix) for f in found(page, "S002")] == [
        (1, "S002", "Data"), (1, "S002", "Learning"), (1, "S002", "Science")
    ]


def test_canonical_casing(found):
    page = "A PH.D. student (PhD, Ph.D.) at Neurips, on Github and arxiv; NEURIPS DEADLINE IS NEAR; a tip.\n"
    expected = [(page.index(written) + 1, fix) for written, fix in (("PH.D.", "Ph.D."), ("Neurips", "NeurIPS"), ("Github", "GitHub"), ("arxiv", "arXiv"))]
    assert [(f.column, f.fix) for f in found(page, "S003")] == expected


def test_repeated_words(found):
    page = "There there is the the slip; testing testing testing; had had; in In Silico; Bora Bora.\n"
    assert [(f.column, f.fix) for f in found(page, "S004")] == [(1, "There"), (16, "the")]


def test_confusables(found):
    page = "In 2023 he lead the group. They lead the group. Better then before. It's own cache. Could of been.\n"
    result = found(page, "S005")
    expected = [(page.index(word) + 1, fix) for word, fix in (("lead", "led"), ("then", "than"), ("It's", "Its"), ("of been", "have"))]
    assert [(f.column, f.fix) for f in result] == expected


def test_code_and_urls_are_not_prose(found):
    assert found("`accpeted` and https://example.org/Univeristy\n", "S") == []
    assert found("accpeted and Univeristy\n", "S") == [(1, 1, 9, "S001", "accepted"), (1, 14, 24, "S001", "University")]


def test_pages_in_other_languages_are_not_checked(found):
    english = "It was accpeted at the Univeristy.\n"
    assert [f.column for f in found(english, "S")] == [8, 24]
    # Mostly French: even the English line goes unchecked, and `la la la` is no repeated word.
    assert found(english + "\nLe projet est une approche pour la recherche et les ressources des la la la.\n", "S") == []
    assert found("Univeristy\n", "S", name="_pages/fr/cv.md") == []
    assert found("Univeristy\n", "S", name="_pages/cv.md") == [(1, 1, 11, "S001", "University")]
    assert found("---\nlang: de\n---\nUniveristy der der\n", "S") == []
    assert found("---\nlang: en\n---\nUniveristy der der\n", "S") == [(4, 1, 11, "S001", "University"), (4, 12, 19, "S004", "der")]


def test_displayed_front_matter_is_prose(found):
    assert found("---\ntitle: Accpeted at Neurips\n---\n", "S001,S003") == [(2, 8, 16, "S001", "Accepted"), (2, 20, 27, "S003", "NeurIPS")]


def test_words_accepted_for_a_page_or_the_whole_site(found):
    page = "We love Neurips and Github.\n"
    assert found(page, "S003") == [(1, 9, 16, "S003", "NeurIPS"), (1, 21, 27, "S003", "GitHub")]
    files = {"_config.yml": "title: T\n", ".pagelint-words.txt": "# accepted words\nGithub\n"}
    assert found("<!-- pagelint-words Neurips -->\n" + page, "S003", files=files) == []


def test_link_titles_alt_text_and_lower_case_labels_are_not_checked(found):
    page = (
        'A [link](https://example.org "Github") and ![Neurips logo](logo.png).\n\n'
        "*Annals of Math.* [journal](https://doi.org/10.1/x) [arxiv](https://arxiv.org/abs/1)\n\n"
        "We use [Github](https://github.com) and github daily.\n"
    )
    assert [(f.line, f.fix) for f in found(page, "S003")] == [(5, "GitHub"), (5, "GitHub")]
    assert found("---\ntitle: github\n---\n", "S003") == []
    assert found("---\ntitle: Github\n---\n", "S003") == [(2, 8, 14, "S003", "GitHub")]


def test_a_known_misspelling_in_a_phrase_is_reported_once(found):
    assert [f.code for f in found("Methods of artifical intelligence.\n", "S")] == ["S001"]


SITE = {
    "_config.yml": "title: Lab\ninclude: [_pages]\nauthor:\n  name: Oluwaseun Adebayo\n",
    "_publications/p.md": "---\ntitle: P\ncitation: 'Zhiyuan Qiao and Thandiwe Mokoena. Flexcache. 2024.'\n---\n",
    "_pages/team.md": "Ragnarsson leads. Ragnarsson writes.\n",
}


def test_unknown_words_are_reported_with_suggestions_but_not_learned_names(lint):
    page = (
        "Oluwaseun works with [Kazuki Tanaka](https://example.org) and Ragnarsson on the theroy of "
        "Galvatorn; Qiao, Mokoena and Wojciech Zaremba, Szymon Wasik wrote Flexcache. NASA, PyTorch, "
        "pre-training, multimodal codebase, me [at] cs.example.edu, oadebayo &ensp;[AT] example.com.\n"
    )
    found_words = [(d["message"].split("`")[1], d["message"]) for d in lint({**SITE, "about.md": page}, "--select", "S006", paths=["about.md"])]
    assert [word for word, _ in found_words] == ["theroy", "Galvatorn"]
    assert found_words[0][1].startswith("`theroy` is not in the dictionary; did you mean `theory`")


def test_unknown_words_respect_word_lists_and_other_languages(found):
    page = "The theorie of Galvatorn.\n"
    assert [f.column for f in found(page, "S006", name="about.md", files=SITE)] == [5, 16]
    listed = {**SITE, ".pagelint-words.txt": "Galvatorn\n"}
    assert found("<!-- pagelint-words theorie -->\n" + page, "S006", name="about.md", files=listed) == []
    french = "Le projet est une approche pour la recherche et les ressources des systèmes énergétiques.\n"
    assert found(french, "S006", name="about.md") == []
    half_english = french.replace("Le projet est une approche pour la", "The project is an approach for the")
    assert [f.column for f in found(half_english, "S006", name="about.md")] == [36, 53, 64]  # recherche, ressources, des
    # the control first: once both pages exist, the capitalised word they share is learned as a name
    assert [f.column for f in found("Die Forschungsgruppe arbeitet\n", "S006", name="_pages/x.md")] == [5, 22]
    assert found("Die Forschungsgruppe arbeitet\n", "S006", name="_pages/de/y.md", files={"_pages/x.md": ""}) == []


def test_the_dictionary_is_loaded_only_when_the_check_runs(lint):
    from pagelint.text import lexicons

    lexicons.english_words.cache_clear()
    lint({"about.md": "The theorie of graphs.\n"})
    assert lexicons.english_words.cache_info().currsize == 0
    lint({"about.md": "The theorie of graphs.\n"}, "--select", "S006")
    assert lexicons.english_words.cache_info().currsize == 1


def test_no_listed_misspelling_is_a_common_word():
    from pagelint.text import lexicons

    dictionary = lexicons.english_words()
    assert [word for word in lexicons.misspellings() if dictionary.get(word, 99) <= 60] == []
    assert [word for word in [*lexicons.misspellings(), "their"] if dictionary.get(word, 99) <= 60] == ["their"]


def test_words_add_unknown_writes_the_site_list(tmp_path, monkeypatch, capsys):
    from tests.conftest import run_cli

    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / ".pagelint-words.txt").write_text("# ours\nzeta\nHetu\n")
    (tmp_path / "about.md").write_text("Hetu and Galvatorn beat Hetu's theorie.\n")
    code, out, _ = run_cli(["words", "--add-unknown"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "added 2 words" in out
    assert (tmp_path / ".pagelint-words.txt").read_text() == "# ours\nGalvatorn\nHetu\ntheorie\nzeta\n"
    code, out, _ = run_cli(["check", "--select", "S006", "--fail-on", "info", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, out


def test_words_add_unknown_outside_a_site_uses_the_page_folder(tmp_path, monkeypatch, capsys):
    from tests.conftest import run_cli

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("The theroy.\n")
    code, out, _ = run_cli(["words", "--add-unknown", "notes/a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and (tmp_path / "notes" / ".pagelint-words.txt").read_text() == "theroy\n"
    code, out, _ = run_cli(["words", "--add-unknown", "notes"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and out == "pagelint: no unknown words\n"


def test_names_fixture_with_the_dictionary_check_reports_only_the_planted_typos(tmp_path, monkeypatch, capsys):
    from tests.conftest import FIXTURES, run_cli

    (tmp_path / "empty.toml").write_text("")
    args = ["check", "--format", "json", "--select", "S", "--config", str(tmp_path / "empty.toml"), "."]
    code, out, _ = run_cli(args, cwd=FIXTURES / "cases" / "names-and-venues", monkeypatch=monkeypatch, capsys=capsys)
    found_words = [(d["code"], d["message"].split("`")[1]) for d in json.loads(out)["diagnostics"]]
    assert found_words == [("S006", "sheduling"), ("S006", "throughtput"), ("S006", "benchmakrs")]
