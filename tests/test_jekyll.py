"""Jekyll semantics: Ruby's date rules, permalinks across the site, Liquid, hostile YAML."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pagelint.model.generators.ruby_dates import build_zone, read_date
from tests.conftest import codes


@pytest.mark.parametrize(
    "value, quoted, verdict, published",
    [
        ("2023-8-7", False, "ok", "2023-08-07"),
        ("2024-05-01 00:32:13", False, "ok", "2024-05-01"),
        ("2020-09-28 11:12:00-0400", False, "ok", "2020-09-28"),
        ("May 3, 2021", True, "ok", "2021-05-03"),
        ("1999-11-26-27", False, "ignores", "1999-11-26"),
        ("2024-04-10 to 2024-04-12", False, "ignores", "2024-04-10"),
        ("2019-02-30", False, "shifts", "2019-03-02"),
        ("2020-02-29", False, "ok", "2020-02-29"),
        ("2020-13-01", False, "fails", ""),
        ("2020-00-10", False, "fails", ""),
        ("2020-01-00", False, "fails", ""),
        ("TBD", False, "fails", ""),
        (2023, False, "fails", ""),
        (None, False, "fails", ""),
        ("2023-05", False, "fails", ""),
        ("Summer 2023", False, "fails", ""),
        ("02/13/2023", False, "fails", ""),
        ("2023-05-01T25:00:00", False, "fails", ""),
        ("11/1/2016", False, "shifts", "2016-01-11"),
        ("13/1/2016", False, "ok", "2016-01-13"),
        ("1/2/23", False, "shifts", "2001-02-23"),
        ("2023-05-01 23:30:00 -0500", False, "shifts", "2023-05-02"),
        ("2023-05-01 23:30:00 -0500", True, "shifts", "2023-05-02"),
        ("2023-05-01 24:00:00", False, "shifts", "2023-05-02"),
        ("October 12-15, 1993", False, "shifts", "-0015-10-12"),
        ("2022-03-05T12:00:00+0100", True, "ok", "2022-03-05"),
    ],
)
def test_ruby_date_rules(value, quoted, verdict, published):
    reading = read_date(value, quoted=quoted)
    assert (reading.verdict, reading.published) == (verdict, published)


def test_a_date_without_a_year_takes_the_year_of_the_build():
    now = datetime(2031, 6, 15, tzinfo=UTC)
    reading = read_date("14-Sep", now=now)
    assert (reading.verdict, reading.published) == ("shifts", "2031-09-01")


def test_a_time_without_a_zone_is_utc_to_yaml_but_local_to_ruby():
    new_york = build_zone("America/New_York")
    assert read_date("2023-05-01 01:00:00", zone=new_york).published == "2023-04-30"
    assert read_date("2023-05-01 01:00:00", quoted=True, zone=new_york).published == "2023-05-01"
    assert build_zone("Not/AZone") is UTC


def test_shifted_date_names_why():
    assert "28 days" in read_date("2019-02-30").explanation
    assert "month 20, day 23" in read_date("2023").explanation


SITE = {
    "_config.yml": "title: T\ninclude: [_pages]\ncollections:\n  publications: {output: true}\n  talks: {output: true}\n"
    "publication_category:\n  talks: {title: Talks}\n",
    "_publications/.gitkeep": "",
    "_talks/.gitkeep": "",
}


def test_pages_with_dates_are_not_judged(found):
    page = "---\ndate: TBD\n---\n"
    assert found(page, "F,J", name="_pages/x.md", files=SITE) == []
    assert found(page, "F,J", name="_talks/x.md", files=SITE) == [(1, 1, 4, "F004", None), (2, 7, 10, "J001", None)]


def test_duplicate_permalinks_name_every_file_but_not_across_languages(lint):
    files = {
        "_pages/a.md": "---\npermalink: /same/\n---\n",
        "_pages/b.md": "---\npermalink: /same/\n---\n",
        "_pages/c.md": "---\npermalink: /other/\nlang: en\n---\n",
        "_pages/d.md": "---\npermalink: /other/\nlang: fr\n---\n",
        "_pages/e.md": "---\npermalink: /same\n---\n",
    }
    found = lint({**SITE, **files}, "--select", "J005")
    assert sorted(d["path"] for d in found) == ["_pages/a.md", "_pages/b.md"]
    assert "_pages/b.md" in next(d for d in found if d["path"] == "_pages/a.md")["message"]


def test_a_permalink_with_spaces(lint):
    files = {
        "_publications/a.md": "---\npermalink: /publication/2017-08-08-Sparse graphs of knots   # change the slug\n---\n",
        "_publications/b.md": "---\npermalink: /publication/2017-08-08-sparse-graphs\n---\n",
    }
    found = lint({**SITE, **files}, "--select", "J004")
    assert [(d["path"], d["line"], "has spaces" in d["message"]) for d in found] == [("_publications/a.md", 2, True)]


def test_polyglot_sites_may_repeat_permalinks(lint):
    files = {"_config.yml": "title: T\ninclude: [_pages]\nlanguages: [en, fr]\n", "_pages/a.md": "---\npermalink: /x/\n---\n", "_pages/b.md": "---\npermalink: /x/\n---\n"}
    assert lint(files, "--select", "J005") == []
    one_language = lint({**files, "_config.yml": "title: T\ninclude: [_pages]\n"}, "--select", "J005")
    assert [(d["path"], d["line"], d["code"]) for d in one_language] == [("_pages/a.md", 2, "J005"), ("_pages/b.md", 2, "J005")]


def test_liquid_blocks_and_math(lint):
    page = (
        "---\ntitle: Notes\n---\n"
        "{% for p in site.posts %}{{ p.title }}{% endfor %}\n"
        "{% raw %}$\\frac{{a}}{b}${% endraw %} and {{ site.title }} cost $5 and $6\n"
        "{% endif %}\n{% capture x %}\n$$ {{a}} $$\n"
    )
    found = [(d["line"], d["column"], d["severity"]) for d in lint({**SITE, "p.md": page}, "--select", "J006", paths=["p.md"])]
    assert found == [(6, 1, "error"), (7, 1, "error"), (8, 4, "warning")]
    # Without front matter the file is copied as it is: Liquid never reads it.
    assert lint({**SITE, "q.md": page.split("---\n", 2)[2]}, "--select", "J006", paths=["q.md"]) == []


def test_liquid_outside_a_jekyll_site_is_not_judged(lint):
    page = "---\ntitle: Slides\n---\n$$ \\frac{{2\\left( {x + 4} \\right)}}{3} $$\n"
    assert lint({"content/slides.md": page}, "--select", "J006") == []
    assert [d["severity"] for d in lint({**SITE, "slides.md": page}, "--select", "J006", paths=["slides.md"])] == ["error"]


def test_liquid_as_liquid_parses_it(lint):
    page = "---\ntitle: Notes\n---\n{% comment %}{% foo %}{% endif %}{% endcomment %}{% comment %}{% if x %}{% endcomment %}\n"
    found = lint({**SITE, "p.md": page}, "--select", "J006", paths=["p.md"])
    assert [(d["column"], d["severity"]) for d in found] == [(63, "error")]
    assert "`{% if %}` is never closed: `{% endcomment %}` comes first" in found[0]["message"]
    unknown = lint({**SITE, "q.md": "---\ntitle: Q\n---\n{% foo %}\n"}, "--select", "J006", paths=["q.md"])
    assert [(d["severity"], "Unknown tag 'foo'" in d["message"]) for d in unknown] == [("error", True)]
    unlisted_plugin = {"_config.yml": "title: T\nplugins: [jekyll-private-tags]\n", "r.md": "---\ntitle: R\n---\n{% foo %}\n"}
    assert [d["severity"] for d in lint(unlisted_plugin, "--select", "J006", paths=["r.md"])] == ["info"]
    gemfile_plugins = {**SITE, "Gemfile": "group :jekyll_plugins do\n  gem 'jekyll-private-tags'\nend\n", "t.md": "---\ntitle: T\n---\n{% foo %}\n"}
    assert [d["severity"] for d in lint(gemfile_plugins, "--select", "J006", paths=["t.md"])] == ["info"]
    listed_plugin = {"_config.yml": "title: T\nplugins: [jekyll/scholar]\n", "s.md": "---\ntitle: S\n---\n{% cite ada %}{% quote ada %}x{% endquote %}\n"}
    assert lint(listed_plugin, "--select", "J006", paths=["s.md"]) == []


def test_quoting_fix_for_yaml_booleans(lint):
    page = "---\ntitle: no\ncategory: talks\nvenue: ON\n---\n"
    found = lint({**SITE, "_publications/p.md": page}, "--select", "F004", paths=["_publications/p.md"])
    assert [(d["line"], d["fix"]["replacement"]) for d in found] == [(2, '"no"'), (4, '"ON"')]


def test_custom_schema_from_the_configuration(lint, tmp_path):
    schema = '{"type": "object", "required": ["orcid"], "properties": {"orcid": {"type": "string"}}}'
    files = {
        "schemas/person.json": schema,
        ".pagelint.toml": '[schemas]\n"_people/*.md" = "schemas/person.json"\n',
        "_people/ada.md": "---\ntitle: Ada\n---\n",
        "_config.yml": "title: T\ncollections:\n  people: {output: true}\n",
    }
    found = lint({**SITE, **files}, "--select", "F004", paths=["_people/ada.md"])
    assert [d["message"] for d in found] == ["required key `orcid` is missing"]


def test_unknown_schema_file_is_a_config_error(tmp_path, monkeypatch, capsys):
    from tests.conftest import run_cli

    (tmp_path / ".pagelint.toml").write_text('[schemas]\n"*.md" = "missing.json"\n')
    (tmp_path / "a.md").write_text("x\n")
    code, _, err = run_cli(["check", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "missing.json" in err


@pytest.mark.parametrize(
    "front_matter, verdict",
    [
        ("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
         "d: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\n", None),
        ("x: " + "[" * 300 + "]" * 300 + "\n", "invalid YAML: nested more than 64 levels deep"),
        ("? [a, b]\n: c\n", None),  # Psych takes a sequence for a key, as Jekyll does
        ("x: !!python/object/apply:os.system [echo]\n", "invalid YAML: could not determine a constructor"),
        ("title: " + "x" * 1_200_000 + "\n", "front matter is 1,200,008 characters long"),
        ("1: one\n2.5: two\nnull: three\n", None),
        ("tags:\n" + "  - tag word word\n" * 560_000, "file is 10,080,014 bytes, over max-file-size"),
    ],
    ids=["alias-bomb", "deep-nesting", "unhashable-key", "python-tag", "1mb-value", "non-string-keys", "10mb-front-matter"],
)
def test_hostile_yaml_is_reported_or_tolerated_never_run(lint, front_matter, verdict):
    """Each is reported as what it is (`verdict`) or read as plain data (None); a crash would end
    the run with exit 2, which `lint` refuses."""
    result = lint({**SITE, "_publications/p.md": f"---\n{front_matter}---\n"}, "--select", "ALL", paths=["_publications/p.md"])
    verdicts = [d["message"] for d in result if d["code"] in ("F001", "E901")]
    if verdict is None:
        assert verdicts == [] and "F004" in codes(result)  # read: the schema finds the title missing
    else:
        assert len(verdicts) == 1 and verdicts[0].startswith(verdict), verdicts


def test_fast_path_agrees_with_jsonschema_on_every_shipped_schema():
    import json
    from importlib import resources

    import jsonschema
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pagelint.model.schemas import surely_valid

    schemas = [
        json.loads(path.read_text("utf-8"))
        for path in resources.files("pagelint.schemas").iterdir()
        if path.name.endswith(".schema.json") and path.name != "output.schema.json"
    ]
    keys = st.sampled_from(["title", "date", "paperurl", "author", "collections", "redirect_from", "x", "tags", "main"])
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    )

    @settings(max_examples=300, deadline=None)
    @given(data=st.dictionaries(keys, values, max_size=5))
    def agree(data):
        for schema in schemas:
            if surely_valid(data, schema):
                assert jsonschema.Draft202012Validator(schema).is_valid(data)

    agree()


@pytest.mark.parametrize(
    "name, content, line, hint",
    [
        ("_config.yml", 'title: "Lab"\nauthor:\n\tname: "Ana"\n', 3, "TAB"),
        ("_pages/a.md", "---\ntitle: x\nauthor:\n\tname: y\n---\nBody\n", 4, "TAB"),
        ("_pages/b.md", "---\ntitle: x\n* tags\n---\nBody\n", 3, "not Markdown"),
        ("_pages/c.md", "---\ntitle: 'Ana's page'\n---\nBody\n", 2, "apostrophe"),
        ("_pages/d.md", '---\ntitle: "Talk" at MIT\n---\nBody\n', 2, "closing quote"),
        ("_pages/e.md", "---\ntitle: x\nexcerpt: Note: read me\n---\nBody\n", 3, "must be quoted"),
    ],
)
def test_yaml_errors_point_at_the_line_with_a_hint(lint, name, content, line, hint):
    found = [d for d in lint({**SITE, name: content}, "--select", "F001") if d["path"] == name]
    assert [d["line"] for d in found] == [line] and hint in found[0]["message"]


def test_a_whole_number_where_text_is_expected_prints_as_written(found):
    files = {**SITE}
    assert found("---\ntitle: 1984\n---\n", "F004", name="_talks/a.md", files=files) == []
    assert [f.code for f in found("---\ntitle: no\n---\n", "F004", name="_talks/b.md", files=files)] == ["F004"]


def test_missing_category_is_judged_only_where_a_page_lists_by_category(found):
    config = {"_config.yml": SITE["_config.yml"] + "  conferences: {title: Papers}\n", "_pages/publications.md": "All of them.\n"}
    page = "---\ntitle: A paper\n---\n"
    assert found(page, "J007", name="_publications/a.md", files=config) == []
    grouped = {**config, "_pages/publications.html": "{% for c in site.publication_category %}{% endfor %}\n"}
    assert [f.code for f in found(page, "J007", name="_publications/b.md", files=grouped)] == ["J007"]


def test_liquid_written_on_purpose_beside_a_dollar_is_no_mathematics(found):
    files = {"_config.yml": "title: T\n"}
    page = '---\ntitle: Awards\n---\nPrize: ${{ page.amount | remove: "$" }}. <script>$(".{{ page.id }}").hide();</script>\n'
    assert found(page, "J006", files=files) == []
    assert [f.code for f in found("---\ntitle: M\n---\nWe show $\\frac{{a}}{b}$.\n", "J006", files=files)] == ["J006"]
