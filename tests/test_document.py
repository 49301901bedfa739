"""The document model: decoding, positions, front matter positions, links and prose spans."""

from __future__ import annotations

import codecs

from pagelint.model.document import Document


def doc(text: str | bytes, path: str = "page.md") -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return Document(path, path, raw)


def test_columns_count_code_points_and_ignore_crlf_and_tabs():
    d = doc("---\r\ntitle: x\r\n---\r\nAb\t聂小楠 [l](https://x.org)\r\n")
    link = d.links[0]
    assert d.position(link.url_start) == (4, 12)
    assert d.line_text(4) == "Ab\t聂小楠 [l](https://x.org)"


def test_bom_is_removed_and_remembered():
    d = doc(codecs.BOM_UTF8 + b"---\ntitle: x\n---\nHi\n")
    assert d.has_bom and d.text.startswith("---") and d.data == {"title": "x"}


def test_invalid_utf8_is_decoded_losslessly_and_located():
    raw = b"ok\ncaf\xe9 au lait\n"
    d = doc(raw)
    assert d.decode_problem.byte_offset == 6
    assert (d.decode_problem.line, d.decode_problem.column) == (2, 4)
    assert d.text.encode("utf-8", "surrogateescape") == raw


def test_front_matter_key_positions_point_at_keys():
    d = doc("---\ntitle: T\nauthor:\n  name: Ada\nredirect_from:\n  - /a/\n  - /b/\n---\nbody\n")
    positions = d.front_matter.positions
    assert d.position(positions["author.name"].key_start) == (4, 3)
    assert d.position(positions["redirect_from[1]"].value_start) == (7, 5)
    assert d.body_first_line == 9


def test_dates_stay_strings_as_jekyll_parses_them_itself():
    assert doc("---\ndate: 2020-13-01\n---\n").data == {"date": "2020-13-01"}


def test_front_matter_that_is_a_list_or_scalar_is_not_a_mapping():
    assert doc("---\n- a\n- b\n---\n").data == {}
    assert doc("---\njust text\n---\n").front_matter.data == "just text"


def test_unclosed_front_matter_keeps_the_whole_file_as_body():
    d = doc("---\ntitle: x\nbody\n")
    assert d.front_matter.closed is False and d.body_start == 0


def test_duplicate_keys_are_recorded_with_both_positions():
    d = doc("---\ndescription: a\ndescription:\n---\n")
    path, first, second = d.front_matter.duplicate_keys[0]
    assert path == "description" and d.position(first.key_start)[0] == 2 and d.position(second.key_start)[0] == 3


def test_alias_bomb_is_bounded():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    ) + "---\n"
    d = doc(bomb)
    assert d.front_matter.error is None and len(d.front_matter.positions) < 200


def test_deep_nesting_is_an_error_not_a_crash():
    d = doc("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert d.front_matter.error is not None


def test_python_tags_are_never_constructed():
    d = doc("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n")
    assert d.front_matter.error is not None and "constructor" in d.front_matter.error.message


def test_links_of_every_kind_with_exact_spans():
    text = (
        "See [paper](https://a.org/p \"T\") and ![fig](img/f.png), <https://b.org>, "
        "a [ref][r], <a href='https://c.org/x'>c</a> and https://d.org/y.\n\n"
        "[r]: https://e.org\n"
    )
    d = doc(text)
    found = [(link.kind, link.url, d.text[link.url_start : link.url_end] if link.url_start >= 0 else None) for link in d.links]
    assert found == [
        ("inline", "https://a.org/p", "https://a.org/p"),
        ("inline", "img/f.png", "img/f.png"),
        ("autolink", "https://b.org", "https://b.org"),
        ("reference", "https://e.org", None),
        ("html", "https://c.org/x", "https://c.org/x"),
        ("bare", "https://d.org/y", "https://d.org/y"),
        ("definition", "https://e.org", "https://e.org"),
    ]
    assert d.links[1].is_image


def test_doubled_parentheses_stay_visible_in_the_url():
    d = doc("[EvoX]((https://arxiv.org/abs/2101.00001))\n")
    assert d.links[0].url == "(https://arxiv.org/abs/2101.00001)"


def test_balanced_parentheses_belong_to_the_url():
    d = doc("[w](https://en.wikipedia.org/wiki/Mercury_(planet)) after\n")
    assert d.links[0].url == "https://en.wikipedia.org/wiki/Mercury_(planet)"


def test_code_is_neither_link_nor_prose():
    d = doc("Use `[x](y)` here.\n\n```\n[a](b) <font>\n```\n")
    assert d.links == [] and d.body.tags == []
    uncoded = doc("Use [x](y) here.\n\n[a](b) <font>\n")
    assert [link.url for link in uncoded.links] == ["y", "b"] and [tag.name for tag in uncoded.body.tags] == ["font"]
    prose = "".join(d.text[s:e] for s, e in d.prose_spans)
    assert "[x](y)" not in prose and "Use" in prose and "here." in prose


def test_markdown_links_in_html_blocks_are_marked_unrendered():
    d = doc("<div>\n[x](https://a.org)\n</div>\n")
    assert d.links[0].rendered is False


def test_html_files_have_no_markdown_but_tags_and_links():
    d = doc('<p>Hi <a href="/cv.pdf">CV</a></p>\n', path="index.html")
    assert [(link.kind, link.url) for link in d.links] == [("html", "/cv.pdf")]


def test_prose_excludes_urls_tags_liquid_math_and_emails():
    d = doc('Hi <b>you</b> {{ site.title }} $x^2$ mail a.b@c.edu or https://x.org/p now\n')
    prose = "".join(d.text[s:e] for s, e in d.prose_spans)
    for gone in ("<b>", "site.title", "x^2", "a.b@c.edu", "https://x.org/p"):
        assert gone not in prose
    assert "Hi" in prose and "you" in prose and "now" in prose


def test_pathological_brackets_are_linear():
    d = doc("[" * 200_000 + "(" * 200_000 + "\n[x](https://a.org)\n")
    assert [link.url for link in d.links] == ["https://a.org"]  # the one link after them, and none inside them


def test_yaml_files_are_whole_documents():
    d = doc("title: Site\nauthor:\n  name: Ada\n", path="_config.yml")
    assert d.data["author"] == {"name": "Ada"} and d.links == [] and d.body_start == len(d.text)


def test_cr_only_line_endings_are_line_breaks_as_lf_is():
    lf = "---\ntitle: x\n---\nAb [l](https://x.org)\n"
    d, control = doc(lf.replace("\n", "\r")), doc(lf)
    assert d.data == control.data == {"title": "x"}
    assert d.position(d.links[0].url_start) == control.position(control.links[0].url_start) == (4, 8)
    assert d.line_text(4) == "Ab [l](https://x.org)" and d.line_count == control.line_count


def test_a_lone_cr_in_a_file_with_lf_line_breaks_is_no_line_break():
    d = doc("---\ntitle: x\n---\nAb\rcd [l](https://x.org)\n")
    assert d.position(d.links[0].url_start) == (4, 11)


def test_cr_only_pages_are_found_and_their_permalinks_read(lint):
    files = {
        "_config.yml": "title: T\ninclude: [_pages]\n",
        "_pages/research.md": "---\rpermalink: /research/areas/\rtitle: R\r---\rResearch.\r",
        "_pages/team.md": "---\npermalink: /research/team/\n---\nSee [areas](/research/areas/) and [x](/research/missing/).\n",
        "notes.txt": "---\rtitle: Notes\r---\rA <font>note</font>.\r",  # discovered for its front matter
    }
    found = {(d["path"], d["code"], d["message"].split("`")[1] if "`" in d["message"] else "") for d in lint(files, "--select", "L006,M001")}
    assert ("_pages/team.md", "L006", "/research/missing/") in found  # the control: links are judged
    assert not any(item[2] == "/research/areas/" for item in found)
    assert ("notes.txt", "M001", "<font>") in found
