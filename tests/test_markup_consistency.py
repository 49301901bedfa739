"""Markup and consistency rules: positive and negative cases of each."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

from pagelint.rules.consistency import item_date


def test_deprecated_tags_and_attributes(lint):
    page = '<center>x</center> <p align="center">y</p> <font face="Arial">z</font> <img src="a.png" alt="a" width="20">\n'
    result = lint({"p.md": page}, "--select", "M001", paths=["p.md"])
    expected = [(page.index(text) + 1, severity) for text, severity in (("<center>", "warning"), ('align=', "info"), ("<font", "warning"))]
    assert [(d["column"], d["severity"]) for d in result] == expected


def test_unbalanced_block_tags_are_paired(found):
    page = "<div>\n<div>a</div>\n<section>\n</div>\n\n</ul>\n"
    # the `</div>` on line 4 closes the outer `<div>`: the `<section>` inside it was left open
    assert [(f.line, f.code) for f in found(page, "M002")] == [(3, "M002"), (6, "M002")]
    assert found("<div>\n<ul><li>a<li>b</ul>\n</div>\n<p>open paragraph\n", "M002") == []
    assert found("<div>\n<ul><li>a<li>b</ul>\n<p>open paragraph\n", "M002") == [(1, 1, 6, "M002", None)]


def test_pages_with_liquid_branches_are_not_paired(found):
    assert found("{% if a %}<div class='x'>{% else %}<div>{% endif %}\n</div>\n", "M002") == []
    assert found("{% for p in site.posts %}<div>{{ p.title }}\n{% endfor %}\n</div>\n</div>\n", "M002") == []
    # The same tags between Liquid that does not branch are paired.
    assert found("{% include a.html %}<div class='x'>{% include b.html %}<div>{% include c.html %}\n</div>\n", "M002") == [
        (1, 21, 36, "M002", None)
    ]
    assert found("{% include a.html %}<div>{{ p.title }}\n{% include b.html %}\n</div>\n</div>\n", "M002") == [(4, 1, 7, "M002", None)]


def test_liquid_that_does_not_branch_does_not_stop_the_pairing(found):
    page = "{% include search.html %}\n\n<div class=\"talks\">\n\n<div class=\"table\">\n{% bibliography %}\n</div>\n"
    assert [(f.line, f.code) for f in found(page, "M002")] == [(3, "M002")]


def test_image_alt(found):
    page = '![](a.png) ![Lab photo](b.png) <img src="c.png"> <img src="d.png" alt="">\n'
    assert [f.column for f in found(page, "M003")] == [1, 32]


def test_missing_image(found):
    files = {"_config.yml": "title: T\n", "images/me.jpg": "JPEG"}
    page = '![Me](/images/me.jpg) ![Me](/images/me.jpeg) <img src="{{ base_path }}/images/mee.jpg" alt="x">\n'
    assert [(f.column, f.fix) for f in found(page, "M004", files=files)] == [(29, "/images/me.jpg"), (56, "/images/me.jpg")]


def test_markdown_in_html_block(found):
    page = '<div class="x">\n**Bold** here\n## Heading\n</div>\n\n<div markdown="1">\n**fine**\n</div>\n\n<h3>2024</h3>\n1. **fine** too\n'
    assert [f.line for f in found(page, "M005")] == [2, 3]


def test_html_blocks_end_as_kramdown_ends_them(found):
    """Each case as the real Jekyll 4.3 built it: an element's `markdown="1"` content is
    Markdown however deeply it is nested; a line of closing tags after a blank line closes the
    element, and what follows is Markdown; a reveal.js slide's `<textarea>` is raw text."""
    page = (
        '<div class="row">\n  <div class="col" markdown="1">\nWith [Prof. X](https://example.org/x).\n\nMore **bold**.\n  </div>\n</div>\n\n'
        '<div class="grid">\n  <p>A</p>\n\n</div>\n---\n### Visitors\n<div class="grid">\n## Not converted\n</div>\n\n'
        '<section data-markdown>\n<textarea data-template>\n# Slide\n</textarea>\n</section>\n'
    )
    assert [(f.line, f.code) for f in found(page, "M005,L001")] == [(16, "M005")]


def test_heading_structure(found):
    page = "---\ntitle: T\n---\n# T again\n\n## A\n\n#### B\n"
    assert [f.line for f in found(page, "M006")] == [4, 8]


def test_whitespace(found):
    page = "Li,  Xuanyu and Model(e.g., x) after 2028(expected). Sentence.  Next. f(x) and x\n| a  | b |\n    indented  text\n"
    assert [(f.line, f.column, f.fix) for f in found(page, "M007")] == [
        (1, 4, " "), (1, 22, " ("), (1, 42, " ("), (3, 13, " ")
    ]


def test_spaces_after_a_list_marker_are_not_doubled_spaces(found):
    page = "*  First item\n2.  Second  item\n>  quoted\n"
    assert [(f.line, f.column) for f in found(page, "M007")] == [(2, 11)]


def test_author_highlight(found):
    page = (
        "+ **Ada Byron**, Tom Lee. One.\n+ Tom Lee, **Ada Byron**. Two.\n"
        "+ Tom Lee, ***Ada Byron***. Three.\n+ Tom Lee, Ada Byron. Four.\n\nAda Byron writes prose.\n"
    )
    result = found(page, "C001")
    assert [(f.line, f.fix) for f in result] == [(3, "**Ada Byron**"), (4, "**Ada Byron**")]


def test_author_from_config(found):
    files = {"_config.yml": "title: T\nauthor:\n  name: Ada Byron\n"}
    page = "+ <b>Ada Byron</b>, Tom Lee. One.\n+ Tom Lee, <b>Ada Byron</b>. Two.\n+ Tom Lee, **Ada Byron**. Three.\n"
    assert [(f.line, f.fix) for f in found(page, "C001", files=files)] == [(3, "<b>Ada Byron</b>")]


def test_duplicate_publications(found):
    page = (
        '+ "Routing Experts at Scale with Sparse Gates". NeurIPS 2024.\n'
        '+ "Routing experts at scale with sparse gates". NeurIPS 2024.\n'
        "+ [Paper](https://arxiv.org/abs/2401.01234) one.\n+ [Same](https://arxiv.org/abs/2401.01234v2) two.\n"
        '+ **Sep 2024:** "Routing Experts at Scale with Sparse Gates" accepted.\n'
    )
    assert [f.line for f in found(page, "C002")] == [2, 4]


def test_posters_at_one_congress_are_two_works(found):
    congress = "*[Fifth Congress of Marine Sciences](https://cms.example.org/2023)*, Vigo, 2023"
    page = (
        f"- Ada Quinn, Bo Rahm. Coral reef mapping with low-cost drones. {congress}.\n"
        f"- Ada Quinn, Lia Moss. Sediment transport after winter storms. {congress}.\n"
        '- Ada Quinn. Kelp forests in warming seas, poster at the "Fifth Congress of Marine Sciences", Vigo, 2023.\n'
        '- Lia Moss. Seagrass carbon stocks, poster at the "Fifth Congress of Marine Sciences", Vigo, 2023.\n'
        '- "Tidal pools as sentinels of warming", in the abstract book https://doi.org/10.5555/fcms.2023.\n'
        '- "Seagrass meadows of the Atlantic coast", in the abstract book https://doi.org/10.5555/fcms.2023.\n'
    )
    assert found(page, "C002") == []
    again = '- "Seagrass meadows of the Atlantic coast", in the abstract book of the congress, 2023, https://doi.org/10.5555/fcms.2023.\n'
    assert [line for line, *_ in found(page + again, "C002")] == [7]


def test_an_item_that_lists_several_papers_is_no_entry(found):
    page = (
        "- Reef ecology ([2023](https://arxiv.org/abs/2301.01234), [2024](https://arxiv.org/abs/2402.01234))\n"
        "- Kelp forests ([2023](https://arxiv.org/abs/2301.01234))\n"
        "- Warming seas ([2024](https://arxiv.org/abs/2402.01234), [2025](https://doi.org/10.5555/ws.2025))\n"
    )
    assert found(page, "C002") == []
    assert [line for line, *_ in found(page + "- Reef maps. [arXiv](https://arxiv.org/abs/2402.01234)\n", "C002")] == [4]


def test_duplicate_publication_files(lint):
    files = {
        "_config.yml": "title: T\ncollections:\n  publications: {output: true}\n",
        "_publications/a.md": "---\ntitle: Routing Experts at Scale\ndate: 2024-01-01\n---\n",
        "_publications/b.md": "---\ntitle: Routing experts at scale\ndate: 2024-06-01\n---\n",
        "_publications/c.md": "---\ntitle: Routing experts at scale\ndate: 2025-06-01\n---\n",
        # the conference and the journal version of one year
        "_publications/d.md": "---\ntitle: Tidal Energy Maps\ndate: 2023-01-01\nvenue: Ocean Conference 2023\n---\n",
        "_publications/e.md": "---\ntitle: Tidal energy maps\ndate: 2023-09-01\nvenue: Journal of Ocean Studies\n---\n",
    }
    result = lint(files, "--select", "C002")
    assert [d["path"] for d in result] == ["_publications/b.md"]


def test_a_paper_under_two_topics_of_a_page_is_listed_on_purpose(found):
    entry = "- Task-balanced continual learning ([IJCAI'24](https://arxiv.org/abs/2404.01234))\n"
    page = f"## Continual learning\n\n{entry}\n## Fair learning\n\n{entry}"
    assert found(page, "C002") == []
    assert [f.line for f in found(page + entry, "C002")] == [8]


def test_news_dates():
    assert item_date("**Sep, 2024:** x") == datetime.date(2024, 9, 1)
    assert item_date("[Dec-11-2024] x") == datetime.date(2024, 12, 11)
    assert item_date("2024-05-01 — x") == datetime.date(2024, 5, 1)
    assert item_date("11 March 2023: x") == datetime.date(2023, 3, 11)
    assert item_date("Paper accepted in 2024") is None


def test_news_order(found):
    page = "+ **Sep, 2024:** a\n+ **Jun, 2024:** b\n+ **Mar, 2023:** c\n+ **Jul, 2024:** d\n+ **Jan, 2022:** e\n+ **Jan, 2099:** f\n"
    result = found(page, "C003")
    assert [f.line for f in result] == [4, 6, 6]


def test_inconsistent_venue(lint):
    files = {"a.md": "+ Paper. NeurIPS 2019.\n+ Old. NIPS 2016.\n", "b.md": "+ New. NIPS 2024.\n"}
    assert [(d["path"], d["line"], d["column"]) for d in lint(files, "--select", "C004")] == [("b.md", 1, 8)]


def test_citation_year_against_the_page_date(lint):
    config = {"_config.yml": "collections:\n  publications:\n    output: true\n"}
    page = "---\ntitle: Sparse\ndate: {date}\ncitation: '{citation}'\n---\n"
    cases = {
        "_publications/copied.md": page.format(date="2023-01-11", citation="Lund, A. (2015). Sparse. Graph Journal."),
        "_publications/preprint.md": page.format(date="2020-06-01", citation="Lund, A. (2021). Sparse. Graph Journal."),
        "_publications/two-years.md": page.format(date="2019-06-01", citation="Lund, A. Sparse. Workshop 2016, published 2019."),
        "_publications/arxiv.md": page.format(date="2024-02-01", citation="Lund, A. Sparse. arXiv:2103.01234, 2024. <a href=\"https://x.example/2011\">pdf</a>"),
        "_publications/pages.md": page.format(date="2019-02-01", citation="Lund, A. Sparse. Graph Journal 12, 2001-2009, 2019."),
    }
    found = [(d["path"], d["line"], d["column"]) for d in lint({**config, **cases}, "--select", "C006")]
    assert found == [("_publications/copied.md", 4, 22)]


def test_inconsistent_casing(found):
    page = "We built HETU. Hetu is fast; Hetu scales. Data and data. NASA NASA.\n"
    assert [(f.column, f.code) for f in found(page, "C005")] == [(10, "C005")]


def test_owner_named_family_name_first_in_the_config(found):
    files = {"_config.yml": "title: T\nauthor:\n  name: Byron Ada\n"}
    page = "+ **Ada Byron**, Tom Lee. One.\n+ Tom Lee, **Ada Byron**. Two.\n+ Tom Lee, ***Ada Byron***. Three.\n"
    assert [(f.line, f.fix) for f in found(page, "C001", files=files)] == [(3, "**Ada Byron**")]


def test_owner_absent_from_the_lists_falls_back_to_the_highlighted_name(found):
    files = {"_config.yml": "title: T\nauthor:\n  name: A. B. Lovelace\n"}
    page = "+ **Ada Byron**, Tom Lee. One.\n+ Tom Lee, **Ada Byron**. Two.\n+ Tom Lee, Ada Byron. Three.\n"
    assert [(f.line, f.fix) for f in found(page, "C001", files=files)] == [(3, "**Ada Byron**")]


def test_a_duplicate_names_its_first_entry_whatever_the_hash_seed(tmp_path):
    """An entry that repeats two earlier ones (one by its arXiv id, one by its title) names the
    first of them; the keys are a set, whose order changes with the hash seed."""
    page = tmp_path / "page.md"
    page.write_text(
        '+ "Sparse Routing of Experts in Large Models". [arXiv](https://arxiv.org/abs/2401.01234) 2024.\n'
        '+ "Caching Embeddings for Sparse Expert Layers". 2024.\n'
        '+ "Caching Embeddings for Sparse Expert Layers". [arXiv](https://arxiv.org/abs/2401.01234) 2024.\n'
    )
    messages = set()
    for seed in range(8):
        run = subprocess.run(
            [sys.executable, "-m", "pagelint", "check", "--select", "C002", "--format", "json", str(page)],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=False,
        )
        messages.update((d["line"], d["message"]) for d in json.loads(run.stdout)["diagnostics"])
    assert messages == {(3, "the same paper as the entry on line 1")}
