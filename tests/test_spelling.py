"""Spelling rules: the typos generic tools miss, and nothing on names, venues or acronyms."""

from __future__ import annotations


def found(lint, page, select="S", name="p.md", files=None):
    return [(d["line"], d["column"], d["code"], d["fix"]["replacement"] if d["fix"] else None)
            for d in lint({**(files or {}), name: page}, "--select", select, paths=[name])]


def test_misspellings_keep_their_case(lint):
    page = "Our paper was accpeted at the Univeristy of X; RESERACH notes.\n"
    assert found(lint, page, "S001") == [(1, 15, "S001", "accepted"), (1, 31, "S001", "University"), (1, 48, "S001", "RESEARCH")]


def test_phrase_near_misses_but_not_plurals(lint):
    page = (
        "Institute of Date Science. Machine Leaning and Computer Sience.\n\n"
        "Data Sciences, data analyses and Social Sciences are fine.\n"
    )
    assert [(line, code, fix) for line, _, code, fix in found(lint, page, "S002")] == [
        (1, "S002", "Data"), (1, "S002", "Learning"), (1, "S002", "Science")
    ]


def test_canonical_casing(lint):
    page = "A PH.D. student (PhD, Ph.D.) at Neurips, on Github and arxiv; NEURIPS DEADLINE IS NEAR; a tip.\n"
    expected = [(page.index(written) + 1, fix) for written, fix in (("PH.D.", "Ph.D."), ("Neurips", "NeurIPS"), ("Github", "GitHub"), ("arxiv", "arXiv"))]
    assert [(column, fix) for _, column, _, fix in found(lint, page, "S003")] == expected


def test_repeated_words(lint):
    page = "There there is the the slip; testing testing testing; had had; in In Silico; Bora Bora.\n"
    assert [(column, fix) for _, column, _, fix in found(lint, page, "S004")] == [(1, "There"), (16, "the")]


def test_confusables(lint):
    page = "In 2023 he lead the group. They lead the group. Better then before. It's own cache. Could of been.\n"
    result = found(lint, page, "S005")
    expected = [(page.index(word) + 1, fix) for word, fix in (("lead", "led"), ("then", "than"), ("It's", "Its"), ("of been", "have"))]
    assert [(column, fix) for _, column, _, fix in result] == expected


def test_code_urls_and_foreign_text_are_not_prose(lint):
    page = (
        "`accpeted` and https://example.org/Univeristy\n\n"
        "Le projet est une approche pour la recherche et les ressources des la la la.\n"
    )
    assert found(lint, page) == []
    assert found(lint, "Univeristy\n", name="_pages/fr/cv.md") == []
    assert found(lint, "---\nlang: de\n---\nUniveristy der der\n") == []


def test_displayed_front_matter_is_prose(lint):
    assert found(lint, "---\ntitle: Accpeted at Neurips\n---\n", "S001,S003") == [(2, 8, "S001", "Accepted"), (2, 20, "S003", "NeurIPS")]


def test_words_accepted_for_a_page_or_the_whole_site(lint):
    page = "<!-- pagelint-words Neurips -->\nWe love Neurips and Github.\n"
    files = {"_config.yml": "title: T\n", ".pagelint-words.txt": "# accepted words\nGithub\n"}
    assert found(lint, page, "S003", files=files) == []


def test_link_titles_alt_text_and_lower_case_labels_are_not_checked(lint):
    page = (
        'A [link](https://example.org "Github") and ![Neurips logo](logo.png).\n\n'
        "*Annals of Math.* [journal](https://doi.org/10.1/x) [arxiv](https://arxiv.org/abs/1)\n\n"
        "We use [Github](https://github.com) and github daily.\n"
    )
    assert [(line, fix) for line, _, _, fix in found(lint, page, "S003")] == [(5, "GitHub"), (5, "GitHub")]
    assert found(lint, "---\ntitle: github\n---\n", "S003") == []


def test_a_known_misspelling_in_a_phrase_is_reported_once(lint):
    assert [code for _, _, code, _ in found(lint, "Methods of artifical intelligence.\n")] == ["S001"]
