"""Placeholder (P) and typography (T) rules: what they report, what they leave alone, and
fixes that are certain and change nothing when applied twice. All pages are invented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pagelint.text.fingerprints import body_sentences, fingerprint, short_body, visible
from tests.conftest import ROOT

TALK = "---\ntitle: \"{title}\"\ncollection: talks\nvenue: \"{venue}\"\nlocation: \"{location}\"\n---\n\n{body}\n"
SAMPLE_SENTENCE = "Replace this sentence with a summary of your talk, written in Markdown like any page."
SHORT_SAMPLE = "An invented sample announcement."  # the tool's documented short sample page


def found(lint, files, select):
    """The findings of `select` in `files` (each call lints its own files only)."""
    return [(d["line"], d["code"], d["message"]) for d in lint(files, "--select", select, paths=list(files))]


def test_placeholder_values_by_key_and_in_prose(lint):
    page = TALK.format(title="Sparse Graphs", venue="Journal 1", location="City, Country",
                       body="Joint work with Your Name. [Slides](https://example.com/s.pdf) and [code](https://github.com/ada/sparse).")
    result = found(lint, {"_talks/t.md": page}, "P001")
    assert [(line, code) for line, code, _ in result] == [(4, "P001"), (5, "P001"), (8, "P001"), (8, "P001")]
    assert "sample venue" in result[0][2] and "placeholder address" in result[3][2]


def test_placeholder_values_leave_real_text_alone(lint):
    # `Journal 1` only as a venue; `your name` in a sentence is not the template's capitalised sample.
    page = TALK.format(title="Sparse Graphs", venue="Journal of Graph Theory", location="Lund, Sweden",
                       body="Paste your name in the box. Table 2 of Journal 1 readers.")
    control = TALK.format(title="Sparse Graphs", venue="Journal 1", location="Lund, Sweden", body="Text.")
    assert found(lint, {"_talks/a.md": page}, "P001") == []
    assert [line for line, _, _ in found(lint, {"_talks/b.md": control}, "P001")] == [4]


def test_the_permalink_of_a_numbered_sample_page(lint):
    talk = "---\ntitle: Sparse Graphs\ncollection: talks\npermalink: {permalink}\n---\nA talk on sparse graphs.\n"
    kept = found(lint, {"_talks/a.md": talk.format(permalink="/talks/2014-03-01-talk-3")}, "P001")
    assert [(line, "numbered sample page" in message) for line, _, message in kept] == [(4, True)]
    assert found(lint, {"_talks/b.md": talk.format(permalink="/talks/2024-05-27-talk-4")}, "P001") == []  # the owner's own numbering


def test_placeholder_in_a_commented_yaml_mapping_is_not_a_value(lint):
    page = "---\ntitle: Ada\nsocial:\n  # a link such as mailto:your-email@example.com\n  - icon: envelope\n    link: mailto:ada@lund.example.se\n---\nHi.\n"
    assert found(lint, {"content/authors/admin/_index.md": page}, "P001") == []


def test_template_sample_page_is_one_finding_and_a_leftover_sentence_is_reported_on_its_line(lint):
    sample = TALK.format(title="Sparse Graphs", venue="Lund", location="Lund, Sweden", body=SAMPLE_SENTENCE)
    own = TALK.format(title="Sparse Graphs", venue="Lund", location="Lund, Sweden",
                      body="We show sparsifiers of dense graphs exist in every dimension we tried.\n\nOur second result bounds their size by the number of vertices.\n\n"
                      "A third paragraph explains the experiments in some detail here.\n\n" + SAMPLE_SENTENCE)
    assert [(line, "sample pages" in message) for line, _, message in found(lint, {"_talks/a.md": sample}, "P002")] == [(8, True)]
    assert [(line, "sample content" in message) for line, _, message in found(lint, {"_talks/b.md": own}, "P002")] == [(14, True)]


def test_a_short_sample_page_is_fingerprinted_whole(lint):
    news = "---\nlayout: post\ndate: 2015-10-22\ninline: true\n---\n\n{body}\n"
    assert [(line, "sample pages" in message) for line, _, message in found(lint, {"_news/a.md": news.format(body=SHORT_SAMPLE)}, "P002")] == [(7, True)]
    assert found(lint, {"_news/b.md": news.format(body="An invented announcement of our own.")}, "P002") == []
    assert short_body("Coming soon.", 0, 12) is None  # a stub any owner writes proves nothing


def test_hidden_text_is_not_fingerprinted():
    text = f"[//]: # ({SAMPLE_SENTENCE})\n<!-- {SAMPLE_SENTENCE} -->\nVisible words of the owner, six or more of them.\n"
    shown = [text[a:b] for a, b in body_sentences(text, 0, len(text))]
    assert shown == ["Visible words of the owner, six or more of them."]
    assert len(visible(text)) == len(text)


def test_fingerprint_tool_keeps_sentences_recurring_on_two_sites_only(tmp_path, monkeypatch):
    shared = "This sentence is the template's own and recurs on every site built from it."
    for site, own in (("a", "Ada wrote this sentence herself for her own talk page."), ("b", "Bo wrote another sentence that nobody else has written.")):
        folder = tmp_path / "sites" / site / "_talks"
        folder.mkdir(parents=True)
        (folder / "t.md").write_text(f"---\ntitle: Mine {site}\n---\n\n{shared}\n\n{own}\n")
        (folder / "short.md").write_text("---\ntitle: News\n---\n\nA shared short announcement.\n")
        (folder / "mine.md").write_text(f"---\ntitle: News\n---\n\nShort news of site {site}.\n")
    out = tmp_path / "fingerprints.txt"
    script = (ROOT / "tools" / "template_fingerprints.py").read_text().replace(
        'OUT = Path(__file__).resolve().parent.parent / "pagelint" / "data" / "template_fingerprints.txt"', f"OUT = Path({str(out)!r})")
    tool = tmp_path / "tool.py"
    tool.write_text(script.replace("Path(__file__).resolve().parent.parent)", f"Path({str(ROOT)!r}))"))
    subprocess.run([sys.executable, str(tool), str(tmp_path / "sites")], check=True, capture_output=True)
    kept = {line for line in out.read_text().splitlines() if not line.startswith("#")}
    assert fingerprint(shared) in kept
    assert fingerprint("Ada wrote this sentence herself for her own talk page.") not in kept
    assert fingerprint("A shared short announcement.") in kept and fingerprint("Short news of site a.") not in kept
    assert fingerprint(SAMPLE_SENTENCE) in kept and fingerprint(SHORT_SAMPLE) in kept  # the rule's documented examples


def test_pdf_hyphenation_only_where_the_joined_word_is_certain(lint):
    page = "We ran an experimen-\ntal study of scal- able soft- ware for pre- and post-training of well- known models.\n"
    result = found(lint, {"a.md": page}, "T002")
    assert [message.split("`")[3] for _, _, message in result] == ["experimental", "scalable"]


def test_full_width_punctuation_in_english_only(lint):
    english = "Interests\uff1amachine learning\uff0coptimisation.\n"
    chinese = "研究兴趣\uff1a机器学习\uff0c优化。\n"
    numbers = "Scores: 6.2\uff0c5.3\uff0c8.7 and more.\n"
    assert len(found(lint, {"a.md": english}, "T006")) == 2
    assert found(lint, {"b.md": chinese, "c.md": numbers}, "T006") == []


def test_stray_full_stops_but_not_ellipses_or_paths(lint):
    assert [line for line, _, _ in found(lint, {"a.md": "Graph Journal 12(1):132..\n\nSee ../notes and so on...\n\nIn 2019, .\n"}, "T007")] == [1, 5]


def test_latex_quotes_inside_a_fenced_block_are_code(lint):
    page = "```\nprint(``quoted'')\n```\n\nOur paper ``Sparse Graphs'' won.\n"
    assert [line for line, _, _ in found(lint, {"a.md": page}, "T003")] == [5]


def test_emphasis_closed_after_a_space_and_correct_emphasis(lint):
    page = "---\ntitle: Sparse\npublication: \"In *Graph Workshop (GW 2019) *, 2019\"\n---\n\n*Equal contribution. A *good* and **bold** word, 2 * 3 * 4.\n"
    assert [line for line, _, _ in found(lint, {"content/publication/a/index.md": page}, "T004")] == [3]


def test_split_word_only_where_neither_part_is_a_word(lint):
    page = "We ran an exper iment in vivo on robust ness, with Ada Lund and mach ine.\n"
    result = found(lint, {"a.md": page}, "T009")
    assert [(line, "`experiment`" in message) for line, _, message in result] == [(1, True)]
    learned = "---\ntitle: Exper\n---\nThe exper iment of Exper.\n"  # a part the page names is a word of its own
    assert found(lint, {"b.md": learned}, "T009") == []


def test_value_whitespace_in_titles_venues_and_citations(lint):
    page = "---\ntitle: \" Sparse Graphs\"\nvenue: 'Graph  Workshop'\ncitation: \"Lund,  A. Two  spaces collapse in a paragraph.\"\nsummary: |\n  Indented  text.\n---\nText.\n"
    assert [(line, message) for line, _, message in found(lint, {"a.md": page}, "T010")] == [
        (2, "space inside the quotes of the value"), (3, "spaces doubled between words")]


def test_the_gap_after_an_emoji_is_not_a_doubled_space(lint):
    gap = "---\ntitle: \"\U0001f389  Special issue on sparse graphs\"\n---\nText.\n"
    doubled = "---\ntitle: \"\U0001f389 Special issue on  sparse graphs\"\n---\nText.\n"
    assert found(lint, {"a.md": gap}, "T010") == []
    assert found(lint, {"b.md": doubled}, "T010") == [(2, "T010", "spaces doubled between words")]


def test_fixes_are_certain_and_a_second_fix_changes_nothing(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_text(
        "---\ntitle: \" Sparse  Graphs \"\nvenue: Graph  Workshop\n---\n"
        "We study strati\ufb01ed \ufb02ows in an experimen-\ntal setting.\n\n"
        "Our paper ``Sparse Graphs'' appeared in *Proceedings of the Graph Workshop *, 2021..\n\n"
        "Interests\uff1amachine learning\uff08convex\uff09, graphs.\n"
    )
    select = ("--select", "T")
    cli("check", "--fix", *select, "a.md")
    assert page.read_text() == (
        "---\ntitle: \"Sparse Graphs\"\nvenue: Graph Workshop\n---\n"
        "We study stratified flows in an experimental setting.\n\n"
        "Our paper \u201cSparse Graphs\u201d appeared in *Proceedings of the Graph Workshop*, 2021.\n\n"
        "Interests: machine learning (convex), graphs.\n"
    )
    before = page.read_bytes()
    code, out, _ = cli("check", "--fix", *select, "a.md")
    assert code == 0 and "Fixed" not in out and page.read_bytes() == before


def test_fingerprint_data_holds_hashes_only():
    for line in (ROOT / "pagelint" / "data" / "template_fingerprints.txt").read_text().splitlines():
        assert line.startswith("#") or (len(line) == 16 and all(c in "0123456789abcdef" for c in line))
    assert Path(ROOT / "pagelint" / "data" / "placeholders.json").exists()


def test_grammar_confusables_are_certain_only(lint):
    page = "There is an unique solution. This a priori bound holds. The work revolves around a UN agency and an AI model.\n\nThis a test.\n"
    result = found(lint, {"a.md": page}, "S008")
    assert [(line, message.split("`")[1]) for line, _, message in result] == [(1, "an"), (3, "This a")]


def test_placeholder_alt_texts_and_a_positive_control(lint):
    page = (
        "![Figure 1](a.png) ![그림1](b.png) ![IMG_2041](c.jpg) ![d.png](d.png)\n\n"
        "![3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b](e.png) ![Ada at the poster session](f.png) ![Figures of merit for graphs](g.png)\n\n"
        '<img src="{{ post.thumbnail }}" alt="image">\n'
    )
    result = found(lint, {"a.md": page}, "M009")
    assert [message.split("`")[1] if "`" in message else "id" for _, _, message in result] == ["Figure 1", "그림1", "IMG_2041", "d.png", "id"]


def test_same_alt_on_every_image(lint):
    same = "![Portrait](a.jpg)\n![Portrait](b.jpg)\n![Portrait](c.jpg)\n"
    differ = "![Portrait](a.jpg)\n![Portrait](b.jpg)\n![The lab](c.jpg)\n"
    assert [line for line, _, _ in found(lint, {"a.md": same}, "M009")] == [1]
    assert found(lint, {"b.md": differ}, "M009") == []


def test_unshown_image_formats(lint):
    page = "![Lab](lab.TIFF) ![Lab](lab.heic?raw=1) ![Lab](lab.jpg) [the TIFF original](lab.tif)\n"
    assert [message.split(" ")[0] for _, _, message in found(lint, {"a.md": page}, "M008")] == ["TIFF", "HEIC"]


def test_a_publication_naming_another_papers_doi_as_its_own(lint):
    copied = "---\ntitle: \"Sparse\"\npaperurl: https://doi.org/10.1000/sparse.2\n---\n\n[Published version](https://doi.org/10.1000/dense.1)\n"
    cited = (
        "---\ntitle: \"Cuts\"\npaperurl: https://arxiv.org/abs/2101.00001\n"
        "citation: 'Ada Lund. Cuts. arXiv https://arxiv.org/abs/2101.00002'\n---\n"
    )
    related = "---\ntitle: \"Trees\"\npaperurl: https://doi.org/10.1000/trees.3\n---\n\nBuilds on [other work](https://doi.org/10.1000/elsewhere.9).\n"
    unnamed = "---\ntitle: \"Paths\"\n---\n\n[Published version](https://doi.org/10.1000/dense.1).\n"
    files = {
        "_config.yml": "collections:\n  publications:\n    output: true\n", "_publications/sparse.md": copied,
        "_publications/cuts.md": cited, "_publications/trees.md": related, "_publications/paths.md": unnamed,
    }
    result = sorted((d["path"], d["line"]) for d in lint(files, "--select", "C010"))
    assert result == [("_publications/cuts.md", 4), ("_publications/sparse.md", 6)]


def test_dictionary_typo_tier_and_what_it_leaves_to_s006(lint):
    page = (
        "We give recommondations for shift scedules.\n\n"
        "Our rewritings are frequentist; ¿Es posible percibir la voz de una persona?\n\n"
        "Meggings aside, the Recommondations list and a gamification study. A reserach plan, a reserach team.\n"
    )
    # `recommondations` recurs (capitalised further on), as `reserach` does: a site's own word, not a slip
    result = [message.split("`")[1] for _, _, message in found(lint, {"a.md": page}, "S009")]
    assert result == ["scedules"]
    assert [message.split("`")[1] for _, _, message in found(lint, {"b.md": "We give recommondations.\n"}, "S009")] == ["recommondations"]
