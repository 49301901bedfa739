"""Safe fixes that would change what a page means, each found by reading every change `--fix`
made to real sites (bench/fix_audit.py), reproduced here with invented pages: the wrong change
is not made, and the same fix is still made where it is right (the positive control)."""

from __future__ import annotations

import json

import pytest

from pagelint.model.document import Document


@pytest.fixture
def fix(tmp_path, cli):
    """Write `files`, run `check --fix --select CODES [extra]` on them; returns the text of `path`
    after fixing and the findings of the same files checked again."""

    def _fix(files: dict[str, str], codes: str, path: str = "page.md", *extra: str) -> tuple[str, list[dict]]:
        for name, content in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content, encoding="utf-8")
        cli("check", "--fix", "--select", codes, *extra, path)
        _, out, _ = cli("check", "--format", "json", "--select", codes, path)
        return (tmp_path / path).read_text(encoding="utf-8"), json.loads(out)["diagnostics"]

    return _fix


ACADEMICPAGES = "title: Ada\npublication_category:\n  talks: {}\nauthor:\n  name: Ada Byron\n"
CONFIG = ACADEMICPAGES + "  github: ada\n"


def test_a_key_is_not_renamed_to_one_the_mapping_already_has(fix):
    text, found = fix({"_config.yml": CONFIG + "  githb: ada-lab\n"}, "F005", "_config.yml")
    assert text == CONFIG + "  githb: ada-lab\n"  # renaming would make `github` a duplicate key
    assert [d["message"] for d in found] == [
        "unknown key `githb` looks like a typo of `github`, which this mapping already has: the template ignores `githb`"
    ]
    text, _ = fix({"_config.yml": ACADEMICPAGES + "  githb: ada-lab\n"}, "F005", "_config.yml")
    assert text == ACADEMICPAGES + "  github: ada-lab\n"


def test_a_numbered_variant_of_a_key_is_no_typo(fix):
    _, found = fix({"_config.yml": CONFIG + "  github2: ada-lab\n  gihub: x\n"}, "F005", "_config.yml")
    assert [d["message"].split("`")[1] for d in found] == ["gihub"]  # the control beside it is still found


def test_a_typo_in_a_mapping_a_later_duplicate_replaced_is_left_to_the_duplicate(fix):
    config = "collections:\n  talks:\n    outlput: true\n  talks:\n    output: true\n  posters:\n    outlput: true\n"
    text, _ = fix({"_config.yml": ACADEMICPAGES + config}, "F005", "_config.yml")
    # the replaced `talks` is F003's to report; `posters` is read, and its typo is fixed
    assert text == ACADEMICPAGES + config.replace("posters:\n    outlput", "posters:\n    output")


def test_two_keys_are_not_both_renamed_to_the_same_one(fix):
    page = "---\nTitle: About\ntitel: About me\n---\nHi.\n"
    text, found = fix({"page.md": page}, "F005")
    assert text == page and [d["fix"] for d in found] == [None, None]
    text, _ = fix({"page.md": "---\nTitle: About\n---\nHi.\n"}, "F005")
    assert text == "---\ntitle: About\n---\nHi.\n"


# Text that no whitespace or text fix may touch: after a blank line, a Liquid block is still
# one block, and so is every other kind of code.
CODE = "int main(int argc)\n{\n    x  =  f(argc);\n}"
CODE_CONTAINERS = {
    "highlight after a blank line": "{% highlight c %}\n\n" + CODE + "\n\n{% endhighlight %}\n",
    "raw": "{% raw %}\n" + CODE + "\n\n{% endraw %}\n",
    "fenced": "```c\n" + CODE + "\n\n```\n",
    "indented": "".join("    " + line + "\n" for line in CODE.split("\n")),
    "pre": "<pre>\n" + CODE + "\n\n</pre>\n",
    "code": "A call <code>" + CODE.replace("\n", " ") + "</code> here.\n",
    "code span": "A call `" + CODE.replace("\n", " ") + "` here.\n",
    "comment": "<!--\n" + CODE + "\n\n-->\n",
}


@pytest.mark.parametrize("container", CODE_CONTAINERS.values(), ids=CODE_CONTAINERS.keys())
def test_whitespace_fixes_never_touch_code(container, fix):
    prose = "Hao Li,  Xuanyu Wang. A Model(e.g., diffusion).\n\n"
    text, found = fix({"page.md": prose + container}, "M007")
    assert text == "Hao Li, Xuanyu Wang. A Model (e.g., diffusion).\n\n" + container  # the positive control: prose is fixed
    assert found == []


def test_code_regions_include_liquid_blocks_across_blank_lines():
    text = "Intro.\n\n{% highlight python %}\n\nx  =  1\n\n{% endhighlight %}\n\nAfter.\n"
    doc = Document("page.md", "page.md", text.encode())
    block_start, block_end = text.index("{% highlight"), text.index("{% endhighlight %}") + len("{% endhighlight %}")
    assert any(start <= block_start and block_end <= end for start, end in doc.code_spans)
    prose = "".join(text[start:end] for start, end in doc.prose_spans)
    assert "x  =  1" not in prose and "Intro." in prose and "After." in prose


def test_no_space_is_inserted_before_a_parenthesis_inside_a_word(fix):
    page = "Projects I work(ed) on, robust(ish) tools, the approach(es) and identity(ies).\n"
    text, found = fix({"page.md": page}, "M007")
    assert text == page and found == []
    text, _ = fix({"page.md": "A Video Model(e.g., diffusion) and the Society(ACS).\n"}, "M007")
    assert text == "A Video Model (e.g., diffusion) and the Society (ACS).\n"


def test_a_link_target_with_spaces_is_not_prose(fix):
    page = "[Assignment 1](http://ada.example.org/files/Assignment  1.pdf) and [P](http://ada.example.org/Poser(PSP) x.pdf)\n"
    text, found = fix({"page.md": page}, "M007")
    assert text == page and [d["code"] for d in found] == []
    text, _ = fix({"page.md": "[Assignment  1](http://ada.example.org/a.pdf)\n"}, "M007")
    assert text == "[Assignment 1](http://ada.example.org/a.pdf)\n"


def test_email_domains_in_code_and_real_mail_hosts_are_not_corrected(fix):
    page = 'Run `git send-email --to="ada@stu.pku.edn.cn"` to send.\n\nWrite to ada@mail.com, ada@email.com or ada@ymail.com.\n'
    text, found = fix({"page.md": page}, "L008")
    assert text == page and found == []
    text, _ = fix({"page.md": "Write to ada@stu.pku.edn.cn.\n"}, "L008")
    assert text == "Write to ada@stu.pku.edu.cn.\n"


def test_an_email_autolink_needs_no_mailto(fix):
    page = "Patch by Ada Byron <ada@uni.example.edu>.\n"
    text, found = fix({"page.md": page}, "L003")
    assert text == page and found == []
    text, _ = fix({"page.md": "Write to [me](ada@uni.example.edu).\n"}, "L003")
    assert text == "Write to [me](mailto:ada@uni.example.edu).\n"


def test_a_mistyped_http_scheme_is_repaired_only_as_an_unsafe_fix(fix):
    """`htttp:` meant `http:` or `https:`: which one the host serves is a guess, and the
    insecure one is what L004 reports."""
    page = "See [the lab](htttp://lab.example.org/) and [the group](htps://group.example.org/).\n"
    text, found = fix({"page.md": page}, "L003,L004")
    assert text == "See [the lab](htttp://lab.example.org/) and [the group](https://group.example.org/).\n"
    assert [d["code"] for d in found] == ["L003"]
    text, _ = fix({"page.md": page}, "L003", "page.md", "--unsafe-fixes")
    assert text == "See [the lab](http://lab.example.org/) and [the group](https://group.example.org/).\n"


def test_a_misspelling_next_to_its_correction_is_not_made_a_repeated_word(fix):
    page = "A loss which would repell repel the vectors, and repell them.\n"
    text, found = fix({"page.md": page}, "S001,S004")
    assert text == "A loss which would repell repel the vectors, and repel them.\n"
    assert [d["code"] for d in found] == ["S001"]


def test_titles_in_data_files_are_not_corrected(fix):
    data = "einstein:\n  title: 'Papers accpeted at the 1905 meeting'\n"
    text, found = fix({"_config.yml": "title: Ada\n", "_data/citations.yml": data}, "S001", "_data/citations.yml")
    assert text == data and [d["code"] for d in found] == ["S001"]  # reported, not rewritten
    text, _ = fix({"_config.yml": "title: Ada\ninclude: [_pages]\n", "_pages/about.md": "---\ntitle: Accpeted papers\n---\n"}, "S001", "_pages/about.md")
    assert text == "---\ntitle: Accepted papers\n---\n"


def test_a_term_that_is_also_a_name_is_not_corrected(fix):
    page = "Shanshan Yan, Meng Pang and Beng Chin Ooi. A paper. Neurips 2024.\n"
    text, found = fix({"page.md": page}, "S003")
    assert text == page.replace("Neurips", "NeurIPS") and found == []


def test_a_quoted_lower_case_value_is_not_a_term(fix):
    page = 'Scope: "themes", "bibtex", "both", or blank.\n'
    text, found = fix({"page.md": page}, "S007")
    assert text == page and found == []
    text, _ = fix({"page.md": "Export the list as bibtex for the CV.\n"}, "S007")
    assert text == "Export the list as BibTeX for the CV.\n"


def test_a_term_next_to_chinese_text_is_fixed_everywhere_on_the_page(fix):
    page = "### LaTex\n\nLaTex是一种论文排版工具，用LaTex写。\n"
    text, found = fix({"page.md": page}, "S007,C005")
    assert text == "### LaTeX\n\nLaTeX是一种论文排版工具，用LaTeX写。\n" and found == []


def test_a_link_in_html_is_not_repaired_as_markdown(fix):
    """Its parentheses set right, a Markdown link in an .html file would still not be made."""
    text, found = fix({"index.html": "<p>[t]((https://ada.example.org))</p>\n"}, "L001", "index.html")
    assert text == "<p>[t]((https://ada.example.org))</p>\n"
    assert [d["message"] for d in found] == ['Markdown link inside an .html file is not converted: write `<a href="https://ada.example.org">` instead']
    text, _ = fix({"page.md": "[t]((https://ada.example.org))\n"}, "L001")
    assert text == "[t](https://ada.example.org)\n"
