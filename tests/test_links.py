"""Offline link rules: each defect found at its exact span, look-alikes that are correct not."""

from __future__ import annotations

import pytest

from pagelint.rules.links import arxiv_problem, domain_near_miss, identifier_problem, orcid_problem

SITE = {
    "_config.yml": "title: Ada\nbaseurl: ''\ncollections:\n  publications:\n    output: true\n    permalink: /:collection/:path/\n",
    "files/cv.pdf": "%PDF",
    "files/evox.pdf": "%PDF",
    "_pages/about.md": "---\npermalink: /about/\nredirect_from:\n  - /bio/\n---\n# About\n",
    "_publications/evox.md": "---\ntitle: EvoX\n---\nBody\n",
}


def test_doubled_parentheses_with_fix(found):
    assert found("[EvoX]((https://arxiv.org/abs/2101.00001))\n", "L001", files=SITE) == [
        (1, 8, 42, "L001", "https://arxiv.org/abs/2101.00001")
    ]


def test_space_between_bracket_and_parenthesis(found):
    assert found("[npj paper] (https://example.org/p)\n", "L001", files=SITE) == [(1, 12, 13, "L001", "")]


def test_correct_links_with_parentheses_are_not_malformed(found):
    page = (
        "[Mercury](https://en.wikipedia.org/wiki/Mercury_(planet)) and [x](https://example.org/a)\n"
        "A reference [1] (2019) is prose, and `[code] (https://x.org)` is code.\n"
    )
    assert found(page, "L001", files=SITE) == []
    assert found(page.replace("`", ""), "L001", files=SITE) == [(2, 44, 45, "L001", "")]  # out of the code span
    assert found(page.replace("](https://en", "] (https://en"), "L001", files=SITE) == [(1, 10, 11, "L001", "")]


def test_markdown_link_in_html_block_and_html_file(found):
    assert [f.code for f in found("<div>\n[x](https://a.org)\n</div>\n", "L001", files=SITE)] == ["L001"]
    assert [f.code for f in found("<p>[x](https://a.org)</p>\n", "L001", name="p.html", files=SITE)] == ["L001"]
    assert found("<div>\n<a href='https://a.org'>x</a>\n</div>\n", "L001", files=SITE) == []


def test_empty_link(found):
    assert [f.code for f in found("[Chapter 1]() and [](https://a.org) ![](img.png)\n", "L002", files=SITE)] == ["L002", "L002"]


@pytest.mark.parametrize(
    "url, fixed",
    [
        ("maito:ada@uni.edu", "mailto:ada@uni.edu"),
        ("htps://example.org", "https://example.org"),
        ("hhttps://example.org", "https://example.org"),
        ("http//example.org", "http://example.org"),
        ("https:/example.org", "https://example.org"),
        ("www.example.org", "https://www.example.org"),
        ("ada@uni.edu", "mailto:ada@uni.edu"),
    ],
)
def test_scheme_typos(found, url, fixed):
    assert [(f.code, f.fix) for f in found(f"[x]({url})\n", "L003", files=SITE)] == [("L003", fixed)]


def test_correct_schemes_are_not_typos(found):
    page = "[a](https://a.org) [b](mailto:a@b.edu) [c](/files/cv.pdf) [d](tel:+4412) [e](ftp://f.org/x)\n"
    assert found(page, "L003", files=SITE) == []
    typos = page.replace("https://a", "htps://a").replace("mailto:", "maito:")
    assert found(typos, "L003", files=SITE) == [(1, 5, 17, "L003", "https://a.org"), (1, 23, 36, "L003", "mailto:a@b.edu")]


def test_insecure_link_is_info_with_unsafe_fix_and_allowed_hosts(found):
    page = "[a](http://a.example.org/x) [b](http://localhost:4000/) [c](https://c.org)\n"
    assert [(f.column, f.fix) for f in found(page, "L004", files=SITE)] == [(5, "https://")]
    config = {".pagelint.toml": '[rules.L004]\nallowed-hosts = ["example.org"]\n'}
    assert found(page, "L004", files={**SITE, **config}) == []


def test_tracking_and_private_parameters(found):
    page = (
        "[p](https://openreview.net/forum?id=Ab12&referrer=%5BAuthor%20Console%5D(%2Fgroup%3Fid%3DX))\n"
        "[s](https://example.org/s?utm_source=tw&x=1#frag)\n"
        "[o](https://www.overleaf.com/project/5f3a9c)\n"
        "[ok](https://example.org/search?q=utm)\n"
        '<iframe src="https://open.spotify.com/embed/playlist/2jN?utm_source=generator" alt="x"></iframe>\n'
        "[doc](https://docs.google.com/document/d/1AbC/edit?usp=sharing)\n"  # who may edit is the document's setting
        '<iframe src="https://open.spotify.com/embed/playlist/2jN?utm_source=tw"></iframe>\n'
    )
    result = found(page, "L005", files=SITE)
    assert result[0] == (1, 42, 92, "L005", "https://openreview.net/forum?id=Ab12")
    assert result[1].fix == "https://example.org/s?x=1#frag"
    assert (result[2].line, result[2].fix) == (3, None)
    assert (result[3].line, result[3].fix) == (7, "https://open.spotify.com/embed/playlist/2jN")
    assert len(result) == 4


def test_missing_targets(found):
    page = (
        "---\npermalink: /publications/evox-notes/\n---\n"
        "[cv](/files/cv.pdf) [bio](/bio/) [about](/about) [pub](/publications/evox/) [base]({{ base_path }}/files/cv.pdf)\n"
        "[old](/files/cv-2019.pdf) [rel](files/evox.pdf) [gone](/publications/evox-2/) [ext](https://x.org/files/a.pdf)\n"
        "[unknown folder](/images/me.png) [project site](/slides/) [liquid]({{ page.pdf }})\n"
    )
    result = found(page, "L006", name="_publications/evox-notes.md", files=SITE)
    assert [(line, column, fix) for line, column, _, _, fix in result] == [
        (5, 7, "/files/cv.pdf"),
        (5, 33, "/files/evox.pdf"),
        (5, 56, None),
    ]


def test_anchor_ids_as_kramdown_computes_them(found):
    page = (
        "[a](#publications) [b](#Publications) [c](#selected-papers-2024) [d](#talks-1) [e](#custom) [f](#nope)\n\n"
        "## Publications\n\n## Selected Papers (2024)\n\n## Talks\n\n## Talks\n\n## Other {#custom}\n"
    )
    assert [(f.column, f.fix) for f in found(page, "L007", files=SITE)] == [(24, "#publications"), (97, None)]


def test_anchor_naming_a_sibling_document_is_left_to_the_listing_page(found):
    files = {**SITE, "_publications/open-methods.md": "---\ntitle: Open methods\n---\nText.\n"}
    page = "See [open methods](#open-methods) and [fairness](#fairness).\n"
    assert [f.column for f in found(page, "L007", name="_publications/equity.md", files=files)] == [50]


def test_email_rules(found):
    page = (
        "[ada@uni.example.edu](mailto:ada@uni.exampel.edu) [x](mailto:not-an-address)\n"
        "ada.byron@stu.pku.edn.cn, ada [AT] conncet.ust.hk, right: bo@cs.ox.ac.uk, bo@ed.ac.uk, c@gmail.com\n"
    )
    result = found(page, "L008", files=SITE)
    assert [(line, column, fix) for line, column, _, _, fix in result] == [
        (1, 23, None),
        (1, 55, None),
        (2, 11, "stu.pku.edu.cn"),
        (2, 36, "connect.ust.hk"),
    ]


def test_unsafe_urls(found):
    page = (
        "[a](javascript:alert(1)) [b](file:///C:/cv.pdf) [c](http://192.168.1.4/x) [d](http://10.0.0.1)\n"
        '<img src="data:image/png;base64,AAAA"> [e](https://public.example.org)\n'
    )
    assert [f.column for f in found(page, "L009", files=SITE)] == [5, 30, 53, 79]


def test_localhost_in_instructions_is_no_link_but_a_link_to_it_is(found):
    page = (
        "To preview the site, run `bundle exec jekyll serve` and open http://localhost:4000 (or http://127.0.0.1:4000/).\n\n"
        "Our [demo](http://localhost:8000/demo), <http://localhost:4000/about/> and the server at http://192.168.1.20/.\n"
    )
    second = page.split("\n")[2]
    expected = [(3, second.index(url) + 1) for url in ("http://localhost:8000", "http://localhost:4000/about/", "http://192.168")]
    assert [(line, column) for line, column, *_ in found(page, "L009")] == expected


def test_identifier_helpers():
    assert arxiv_problem("2413.01234") and arxiv_problem("1412.12345") and arxiv_problem("1501.1234")
    assert not arxiv_problem("2312.01234v2") and not arxiv_problem("hep-th/9901001") and not arxiv_problem("1412.1234")
    assert not orcid_problem("0000-0002-1825-0097") and orcid_problem("0000-0002-1825-0098")
    assert not orcid_problem("0000-0001-5109-3700") and not orcid_problem("0000-0002-1694-233X")
    assert identifier_problem("https://doi.org/https://doi.org/10.1/x")
    assert not identifier_problem("https://doi.org/10.1145/3514221.3517902")
    assert identifier_problem("https://scholar.google.com/citations?user=abc&hl=en")
    assert not identifier_problem("https://scholar.google.com/citations?user=AbCdEfGhIjKl&hl=en")


def test_identifiers_in_text_and_links(found):
    page = "arXiv:2413.01234 and doi:10.12/x, fine: arXiv:2312.01234 doi:10.1145/3514221.3517902\n"
    assert [f.column for f in found(page, "L010", files=SITE)] == [7, 26]


def test_an_identifier_ends_at_the_emphasis_around_it(found):
    page = "*arXiv:2301.01234*, **arXiv:2301.01234**, _arXiv:2301.01234_ and *doi:10.1145/3514221.3517902*.\n"
    assert found(page, "L010") == []
    page = "*arXiv:2313.01234* and _doi:10.12/x_\n"
    assert [(column, end) for _, column, end, *_ in found(page, "L010")] == [(8, 18), (29, 36)]


def test_domain_near_miss():
    assert domain_near_miss("stu.pku.edn.cn") == "stu.pku.edu.cn"
    assert domain_near_miss("gmial.com") == "gmail.com"
    assert domain_near_miss("cs.ox.ac.uk") is None and domain_near_miss("example.com") is None
    assert domain_near_miss("mails.tsinghua.edu.cn") is None


def test_mixed_script_domain(found):
    assert [f.code for f in found("[g](https://gіthub.com/x) [ok](https://пример.рф/)\n", "L011", files=SITE)] == ["L011"]


def test_front_matter_urls_are_checked(found):
    page = "---\ntitle: EvoX\npaperurl: 'files/evox.pdf'\nslidesurl: htps://slides.example.org/evox\n---\n"
    result = found(page, "L003,L006", name="_publications/evox.md", files=SITE)
    assert [(line, column, code) for line, column, _, code, _ in result] == [(3, 12, "L006"), (4, 12, "L003")]


def test_pathological_input_stays_linear(found):
    page = "[" * 500_000 + "(" * 500_000 + "\n" + "[x](https://a.org) " * 100_000 + "\n"
    defects = "[x] (https://a.org) [](https://a.org) [x](htps://a.org)\n"  # still found after it, each once
    assert found(page + defects, "L001,L002,L003", files=SITE) == [
        (3, 4, 5, "L001", ""), (3, 21, 38, "L002", None), (3, 43, 55, "L003", "https://a.org")
    ]


def test_ignore_patterns_option(found):
    config = {".pagelint.toml": '[rules.L004]\nignore = ["http://legacy.example.org/*"]\n'}
    page = "[a](http://legacy.example.org/x) [b](http://other.example.org/y)\n"
    assert [f.column for f in found(page, "L004", files={**SITE, **config})] == [38]


def test_a_raw_space_in_a_url_breaks_the_link_only_where_the_converter_is_commonmark(found):
    """kramdown, Jekyll's default, makes the link (the real jekyll writes href="a/L 2.pdf", which
    browsers encode); CommonMark does not, so a site on jekyll-commonmark gets the finding."""
    page = "The [slides](/files/Lecture 2.pdf) are online.\n"
    assert found(page, "L001", files={"_config.yml": "title: T\n"}) == []
    commonmark = found(page, "L001", files={"_config.yml": "title: T\nmarkdown: CommonMarkGhPages\n"})
    assert [(f.column, f.fix) for f in commonmark] == [(14, "/files/Lecture%202.pdf")]


def test_relative_link_of_a_page_published_at_its_own_folder_resolves_as_in_the_checkout(found):
    """`snab/index.md` at /snab/ finds `assets/logo.png` in its own folder, which this checkout
    may lack; `about.md` at /about/ does not: its relative link is broken on the site."""
    files = {**SITE, "snab/index.md": "---\npermalink: /snab/\n---\n![Logo](assets/img/logo.png)\n"}
    page = "---\npermalink: /about/\n---\n![Logo](assets/img/logo.png)\n"
    about = found(page, "L006,M004", name="about.md", files=files)
    assert [(f.code, f.fix) for f in about] == [("M004", "/assets/img/logo.png")]
    assert found(files["snab/index.md"], "L006,M004", name="snab/index.md", files=SITE) == []


def test_email_autolink_is_no_relative_link(found):
    page = "---\ntitle: T\n---\nBy Ada <ada@uni.example.edu> and [her notes](notes.pdf).\n"
    result = found(page, "L006", name="_posts/2025-03-16-notes.md", files={**SITE, "notes.pdf": "%PDF"})
    assert [(f.column, f.fix) for f in result] == [(46, "/notes.pdf")]
