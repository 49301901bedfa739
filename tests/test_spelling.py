"""Spelling rules: the typos generic tools miss, and nothing on names, venues or acronyms."""

from __future__ import annotations

import json

DEFAULT = "S001,S002,S003,S004,S005,S007"  # the spelling rules on by default


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
    page = "A PH.D. student (PhD, Ph.D.) at Neurips, in Physical review letters; NEURIPS DEADLINE IS NEAR; a tip.\n"
    expected = [
        (page.index(written) + 1, fix)
        for written, fix in (("PH.D.", "Ph.D."), ("Neurips", "NeurIPS"), ("Physical review letters", "Physical Review Letters"))
    ]
    assert [(f.column, f.fix) for f in found(page, "S003")] == expected


def test_repeated_words(found):
    page = "There there is the the slip; testing testing testing; had had; in In Silico; Bora Bora.\n"
    assert [(f.column, f.fix) for f in found(page, "S004")] == [(1, "There"), (16, "the")]


def test_confusables(found):
    page = "In 2023 he lead the group. They lead the group. Better then before. It's own cache. Could of been.\n"
    result = found(page, "S005")
    expected = [(page.index(word) + 1, fix) for word, fix in (("lead", "led"), ("then", "than"), ("It's", "Its"), ("of been", "have"))]
    assert [(f.column, f.fix) for f in result] == expected
    clause = "To find out more then you can read the review. It costs more then we paid.\n"  # an `if` left out; a comparison
    assert [f.column for f in found(clause, "S005")] == [clause.rindex("then") + 1]


def test_code_and_urls_are_not_prose(found):
    assert found("`accpeted` and https://example.org/Univeristy\n", "S") == []
    assert found("accpeted and Univeristy\n", "S") == [(1, 1, 9, "S001", "accepted"), (1, 14, 24, "S001", "University")]


def test_pages_in_other_languages_are_not_checked(found):
    english = "It was accpeted at the Univeristy.\n"
    assert [f.column for f in found(english, "S")] == [8, 24]
    # The French paragraph goes unchecked (`la la la` is no repeated word); the English line is still English.
    assert [f.column for f in found(english + "\nLe projet est une approche pour la recherche et les ressources des la la la.\n", "S")] == [8, 24]
    assert found("Univeristy\n", "S", name="_pages/fr/cv.md") == []
    assert found("Univeristy\n", "S", name="_pages/cv.md") == [(1, 1, 11, "S001", "University")]
    assert found("---\nlang: de\n---\nUniveristy der der\n", "S") == []
    assert found("---\nlang: en\n---\nUniveristy the the\n", "S") == [(4, 1, 11, "S001", "University"), (4, 12, 19, "S004", "the")]


def test_displayed_front_matter_is_prose(found):
    assert found("---\ntitle: Accpeted at Neurips\n---\n", "S001,S003") == [(2, 8, 16, "S001", "Accepted"), (2, 20, 27, "S003", "NeurIPS")]


def test_words_accepted_for_a_page_or_the_whole_site(found):
    page = "We love Neurips and Github.\n"
    assert found(page, "S003,S007") == [(1, 9, 16, "S003", "NeurIPS"), (1, 21, 27, "S007", "GitHub")]
    files = {"_config.yml": "title: T\n", ".pagelint-words.txt": "# accepted words\nGithub\n"}
    assert found("<!-- pagelint-words Neurips -->\n" + page, "S003,S007", files=files) == []


def test_link_titles_alt_text_and_lower_case_labels_are_not_checked(found):
    page = (
        'A [link](https://example.org "Github") and ![Neurips logo](logo.png).\n\n'
        "*Annals of Math.* [journal](https://doi.org/10.1/x) [arxiv](https://arxiv.org/abs/1)\n\n"
        "We use [Github](https://github.com) and github daily.\n"
    )
    assert [(f.line, f.fix) for f in found(page, "S003,S007")] == [(5, "GitHub"), (5, "GitHub")]
    assert found("---\ntitle: github\n---\n", "S007") == []
    assert found("---\ntitle: Github\n---\n", "S007") == [(2, 8, 14, "S007", "GitHub")]


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
    assert [f.column for f in found("The project is an approach for the theroy of systems.\n", "S006", name="about.md")] == [36]
    # the control first: once both pages exist, the capitalised word they share is learned as a name
    assert [f.column for f in found("Die Forschungsgruppe arbeitet\n", "S006", name="_pages/x.md")] == [5, 22]
    assert found("Die Forschungsgruppe arbeitet\n", "S006", name="_pages/de/y.md", files={"_pages/x.md": ""}) == []


def test_the_dictionary_is_loaded_only_when_the_check_runs(lint):
    from pagelint.text import lexicons

    # S009 and T009, on by default, need it only for a page with a word of six letters or more, or two
    # words of seven letters together (0.09 s, once per process)
    lexicons.english_words.cache_clear()
    lint({"about.md": "The sum of a set.\n"})
    assert lexicons.english_words.cache_info().currsize == 0
    lint({"about.md": "The theories of graphs.\n"}, "--ignore", "S009,T009")
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
    # S009, the certain tier, takes the two whose correction is unambiguous and inside the word
    assert found_words == [("S006", "sheduling"), ("S009", "sheduling"), ("S006", "throughtput"), ("S009", "throughtput"), ("S006", "benchmakrs")]


def test_brand_casing_in_prose_is_information_and_cv_casing_a_warning(found, lint):
    page = "A PH.D. student at Neurips; code on Github in Pytorch, the Bibtex on Arxiv and arxiv.\n"
    result = [(d["code"], d["severity"], d["fix"]["replacement"]) for d in lint({"p.md": page}, paths=["p.md"])]
    assert result == [
        ("S003", "warning", "Ph.D."), ("S003", "warning", "NeurIPS"), ("S007", "info", "GitHub"), ("S007", "info", "PyTorch"),
        ("S007", "info", "BibTeX"), ("S007", "info", "arXiv"), ("S007", "info", "arXiv"),
    ]


def test_a_name_in_an_author_list_is_no_degree_and_the_lancet_may_follow_the_sentence(found, lint):
    page = "+ Meng Pang, Ada Quinn and Bo Rahm. Reef maps. 2024.\n\nAs the Lancet reported in 2020.\n"
    assert found(page, "S003") == []
    page = "Meng in Civil Engineering, Lakeside University, 2019. In 2020 the lancet wrote.\n"
    assert [fix for _, _, _, _, fix in found(page, "S003")] == ["MEng", "the Lancet"]


def test_code_urls_and_foreign_text_are_not_prose(found, lint):
    page = (
        "`accpeted` and https://example.org/Univeristy\n\n"
        "Le projet est une approche pour la recherche et les ressources des la la la.\n"
    )
    assert found(page, DEFAULT) == []
    assert found("Univeristy\n", DEFAULT, name="_pages/fr/cv.md") == []
    assert found("---\nlang: de\n---\nUniveristy der der\n", DEFAULT) == []


def test_repeated_word_before_a_compound_it_starts_is_no_repeat(found, lint):
    assert found("We build on on-chain data, and in in-memory stores.\n", "S004") == []
    assert [fix for _, _, _, _, fix in found("We build on on the chain.\n", "S004")] == ["on"]


def test_words_of_other_languages_in_short_titles_and_paragraphs_are_not_english(found, lint):
    site = {"_config.yml": "title: T\nlocale: en-US\n"}
    french = "---\ntitle: \"Correspondance inédite d'un géomètre\"\n---\n"
    spanish = "- Profesor invitado, Universidad de Chile, 2021.\n- Correspondance: Pourquoi la guerre?\n"
    assert found(french, DEFAULT, files=site, name="_publications/a.md") == []
    assert found(spanish, DEFAULT, files=site) == []
    english = "---\ntitle: \"Correspondance with my advisor\"\n---\n- Profesor of physics at the Universidad de Chile.\n"
    assert [(line, fix) for line, _, _, _, fix in found(english, DEFAULT, files=site)] == [(2, "Correspondence"), (4, "Professor")]


def test_the_site_language_decides_a_title_without_evidence(found, lint):
    title = "---\ntitle: Optimisation convexe\n---\nMy paper on the theroy was accpeted at the workshop.\n"
    on_a_french_site = found(title, "S001,S006", files={"_config.yml": "title: T\nlocale: fr-FR\n"})
    assert [(line, code) for line, _, _, code, _ in on_a_french_site] == [(4, "S006"), (4, "S001")]  # English words still say English
    on_an_english_site = found(title, "S001,S006", files={"_config.yml": "title: T\nlang: en\n"})
    assert [(line, code) for line, _, _, code, _ in on_an_english_site] == [(2, "S006"), (4, "S006"), (4, "S001")]
    assert found("---\nlang: es-CL\ntitle: Profesor\n---\nMy paper was accpeted.\n", DEFAULT) == []  # the page's lang is final


def test_escaped_front_matter_values_are_checked_as_displayed(found, lint):
    line = r'excerpt: "Slides of my talk na na\u0161em jeziku (in our language) at the Novi Sad symposuim"'
    page = f"---\ntitle: T\n{line}\n---\n"
    assert [(f.line, f.column, f.code, f.fix) for f in found(page, DEFAULT)] == [(3, line.index("symposuim") + 1, "S001", "symposium")]
    page = '---\ntitle: "Visiting the Universit\\u00e9 de Lyon theroy group"\n---\n'
    assert [(column, d) for _, column, _, d, _ in found(page, "S006")] == [(page.split("\n")[1].index("theroy") + 1, "S006")]


def test_double_quoted_escapes_decode_with_their_file_offsets():
    from pagelint.text.yaml_escapes import decode_double_quoted

    text = 'x: "Universit\\u00e9 \\x41\\"b\\\n   c\\q"'
    decoded, offsets = decode_double_quoted(text, 3, len(text))
    assert decoded == '"Université A"bc\\q"'
    assert len(offsets) == len(decoded) + 1 and offsets[-1] == len(text)
    starts = {char: text[offsets[decoded.index(char)] :] for char in "éAbc"}
    assert starts["é"].startswith("\\u00e9") and starts["A"].startswith("\\x41") and starts["b"].startswith("b\\\n")
    assert starts["c"] == 'c\\q"'  # the escaped line break and the indentation after it are dropped


def test_a_language_folder_counts_inside_the_site_only(found, lint):
    files = {"de/_config.yml": "title: T\n", "de/_pages/fr/cv.md": "Univeristy\n"}
    assert [d["code"] for d in lint({**files, "de/about.md": "Univeristy\n"}, "--select", "S001")] == ["S001"]

