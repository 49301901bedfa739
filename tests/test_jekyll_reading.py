"""The files a Jekyll site publishes, as Jekyll's reader decides: a file the build does not
read is not judged as a page of the site (and the run says so), and a link to it is broken.
Each reading rule is tested with a positive control: the same page where the site does read it
is checked and reports its defect."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from pagelint.model.generators.jekyll_reading import JekyllReading, ruby_fnmatch
from pagelint.model.site import Site, SiteFinder
from tests.conftest import ROOT, run_cli

DEFECT = "---\ntitle: Notes\n---\n<center>Centred</center>\n"  # M001 in any page that is checked
CONFIG = (
    "title: Ada\ninclude: [.htaccess, _pages, .well-known]\nexclude: [docs/, '*.gemspec', '*.draft.md', README.md, notes]\n"
    "collections:\n  publications:\n    output: true\n  archive:\n    output: false\n"
)


@pytest.fixture
def site(tmp_path, monkeypatch, capsys):
    """Write a site and check it: (paths of M001 findings, stderr)."""

    def check(files: dict[str, str], *args: str, config: str = CONFIG, paths=(".",)):
        (tmp_path / "_config.yml").write_text(config)
        for name, content in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content)
        _, out, err = run_cli(["check", "--format", "json", "--select", "M001,L006", *args, *paths], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        return sorted(d["path"] for d in json.loads(out)["diagnostics"] if d["code"] == "M001"), err

    return check


@pytest.mark.parametrize(
    "skipped, published",
    [
        ("docs/guide.md", "guide.md"),  # exclude a folder
        ("talks/old/slides.draft.md", "talks/old/slides.md"),  # exclude a glob: `*` matches `/` too, at any depth
        ("README.md", "ABOUT.md"),  # exclude a file
        ("notes/a.md", "note/a.md"),  # exclude a name, which also excludes what it prefixes
        (".github/contributing.md", ".well-known/contact.md"),  # a dot-folder is skipped, unless included
        ("_unknown/page.md", "_pages/page.md"),  # an underscore folder is skipped, unless a collection or included
        ("_drafts/idea.md", "_posts/2020-01-01-idea.md"),  # drafts need --drafts
    ],
)
def test_a_file_jekyll_does_not_read_is_not_checked(site, skipped, published):
    found, err = site({skipped: DEFECT, published: DEFECT})
    assert found == [published]
    assert "is not published by its site" in err and "--unpublished" in err


def test_published_false_and_future_posts_are_not_checked(site):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    files = {
        "hidden.md": "---\npublished: false\n---\n<center>x</center>\n",
        "shown.md": "---\npublished: true\n---\n<center>x</center>\n",
        f"_posts/{tomorrow}-later.md": "---\ntitle: Later\n---\n<center>x</center>\n",
        "_posts/2020-01-01-earlier.md": "---\ntitle: Earlier\n---\n<center>x</center>\n",
    }
    found, err = site(files)
    assert found == ["_posts/2020-01-01-earlier.md", "shown.md"]
    assert "2 files are not published" in err
    found, _ = site(files, config=CONFIG + "future: true\nunpublished: true\n")
    assert len(found) == 4


def test_drafts_are_checked_when_the_site_shows_them(site):
    assert site({"_drafts/idea.md": DEFECT}, config=CONFIG + "show_drafts: true\n")[0] == ["_drafts/idea.md"]


def test_a_collection_without_output_is_checked_but_has_no_url(site):
    """Its documents are shown through layouts, so they are checked; a link to one is broken."""
    files = {"_archive/old.md": DEFECT, "index.md": "---\ntitle: Home\n---\n[Old](/archive/old/) [New](/publications/new/)\n"}
    files["_publications/new.md"] = "---\ntitle: New\npermalink: /publications/new/\n---\n"
    files["_archive/old.md"] = "---\ntitle: Old\npermalink: /archive/old/\n---\n<center>x</center>\n"
    found, _ = site(files)
    assert found == ["_archive/old.md"]


def test_a_link_to_a_file_the_site_does_not_publish_is_broken(tmp_path, monkeypatch, capsys):
    (tmp_path / "_config.yml").write_text(CONFIG)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.pdf").write_text("%PDF")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "cv.pdf").write_text("%PDF")
    (tmp_path / "index.md").write_text("---\ntitle: Home\n---\n[Guide](/docs/guide.pdf) and [CV](/files/cv.pdf)\n")
    _, out, _ = run_cli(["check", "--format", "json", "--select", "L006", "index.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    found = json.loads(out)["diagnostics"]
    assert [d["message"] for d in found] == [
        "`/docs/guide.pdf` points to /docs/guide.pdf, which the site does not publish: "
        "in folder `docs`, which Jekyll does not read: excluded by `_config.yml` (`exclude: docs/`)"
    ]


def test_a_file_named_on_the_command_line_is_skipped_with_a_note(site):
    """The pre-commit hook passes every staged file, the README the build excludes too."""
    found, err = site({"README.md": DEFECT, "about.md": DEFECT}, paths=("README.md", "about.md"))
    assert found == ["about.md"]
    assert "pagelint: note: README.md is not published by its site (excluded by `_config.yml` (`exclude: README.md`))" in err


def test_unpublished_files_are_checked_as_plain_pages_when_asked(site):
    found, err = site({"docs/guide.md": DEFECT, "guide.md": DEFECT}, "--unpublished")
    assert found == ["docs/guide.md", "guide.md"] and "not published" not in err
    found, _ = site({"docs/guide.md": DEFECT}, config=CONFIG, paths=("docs/guide.md",))
    assert found == []
    (Path.cwd() / ".pagelint.toml").write_text("unpublished = true\n")
    assert site({"docs/guide.md": DEFECT}, paths=("docs/guide.md",))[0] == ["docs/guide.md"]


def test_a_post_skipped_for_its_name_is_still_reported(site, tmp_path, monkeypatch, capsys):
    (tmp_path / "_config.yml").write_text(CONFIG)
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "field-notes.md").write_text(DEFECT)
    _, out, _ = run_cli(["check", "--format", "json", "--select", "J003", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["J003"]


@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("/s/*.gemspec", "/s/a/b.gemspec", True),  # `*` crosses `/`
        ("/s/?.md", "/s/a.md", True),
        ("/s/[ab].md", "/s/c.md", False),
        ("/s/[!ab].md", "/s/c.md", True),
        ("/s/{a,b}.md", "/s/a.md", False),  # braces are literal without FNM_EXTGLOB
        ("/s/\\*.md", "/s/*.md", True),
        ("/s/docs", "/s/docs/x.md", False),  # whole string; the prefix rule is Jekyll's, not fnmatch's
    ],
)
def test_ruby_fnmatch(pattern, path, matches):
    assert ruby_fnmatch(pattern, path) is matches


def test_the_reading_of_one_file_walks_no_folder(tmp_path, monkeypatch):
    """A one-file pre-commit run must not list the site to learn whether the file is published."""
    (tmp_path / "_config.yml").write_text(CONFIG)
    site = SiteFinder().site_for(tmp_path / "page.md")
    assert isinstance(site, Site)
    monkeypatch.setattr(os, "walk", lambda *args, **kwargs: pytest.fail("the site was walked"))
    monkeypatch.setattr(os, "scandir", lambda *args, **kwargs: pytest.fail("a folder was listed"))
    assert site.reading(tmp_path / "docs" / "a.md").read is False
    assert site.reading(tmp_path / "a.md").read is True


def test_future_is_measured_against_the_build_time():
    rules = JekyllReading({}, {}, today=datetime.datetime(2024, 6, 1))
    post = PurePosixPath("_posts/2024-06-02-x.md")
    assert not rules.with_front_matter(rules.by_path(post), post, {}).read
    assert rules.with_front_matter(rules.by_path(post), post, {"date": "2024-05-31"}).read


PLANTED = {
    "index.md": "---\ntitle: Home\n---\n",
    "README.md": "# Read me\n",
    "guide.md": "---\n---\n",
    "docs/guide.md": "---\n---\n",
    "lib/x.gemspec": "spec\n",
    "talks/old/slides.draft.md": "---\n---\n",
    "talks/old/slides.md": "---\n---\n",
    "notes/a.md": "---\n---\n",
    "notes-old.md": "---\n---\n",
    "note/a.md": "---\n---\n",
    ".github/contributing.md": "---\n---\n",
    ".well-known/contact.md": "---\n---\n",
    "#scratch.md": "---\n---\n",
    "backup.md~": "---\n---\n",
    "_unknown/page.md": "---\n---\n",
    "_pages/about.md": "---\npermalink: /about/\n---\n",
    "_pages/_old/about.md": "---\n---\n",
    "_drafts/idea.md": "---\n---\n",
    "_posts/2020-01-01-idea.md": "---\n---\n",
    "_posts/idea.md": "---\n---\n",
    "_posts/2099-01-01-later.md": "---\n---\n",
    "blog/_posts/2021-02-03-nested.md": "---\n---\n",
    "hidden.md": "---\npublished: false\n---\n",
    "_publications/paper.md": "---\n---\n",
    "_publications/_wip/paper.md": "---\n---\n",
    "_publications/2099/later.md": "---\ndate: 2099-01-01\n---\n",
    "_archive/old.md": "---\n---\n",
}


@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed (apt-get install jekyll): the oracle test needs it")
def test_the_reading_rules_agree_with_the_real_jekyll(tmp_path):
    source = tmp_path / "site"
    for name, content in {"_config.yml": CONFIG, **PLANTED}.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(content)
    report = tmp_path / "read.json"
    subprocess.run(
        ["jekyll", "build", "--quiet", "-s", str(source), "-d", str(tmp_path / "_site"), "--plugins", str(ROOT / "bench" / "data")],
        env={**os.environ, "READING_REPORT": str(report)}, check=True, capture_output=True,
    )
    jekyll = {entry["path"]: entry["write"] for entry in json.loads(report.read_text())}
    site = SiteFinder().site_for(source / "_config.yml")
    assert site is not None
    from pagelint.model.document import Document

    ours = {}
    for name in PLANTED:
        reading = site.reading(source / name, Document(str(source / name), name, (source / name).read_bytes()).data)
        if reading.read:
            ours[name] = reading.has_url
    assert ours == jekyll
    assert len(jekyll) >= 8 and False in jekyll.values()  # both kinds of reading are planted


def test_a_key_given_twice_takes_its_last_value_for_the_url(site, tmp_path, monkeypatch, capsys):
    """Psych keeps the last of two `permalink:` keys, so a leftover first one clashes with nothing."""
    files = {"index.md": "---\npermalink: /\n---\n", "talks.md": "---\npermalink: /\npermalink: /talks/\n---\n"}
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    (tmp_path / "_config.yml").write_text(CONFIG)
    _, out, _ = run_cli(["check", "--format", "json", "--select", "J005", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert json.loads(out)["diagnostics"] == []
    (tmp_path / "talks.md").write_text("---\npermalink: /talks/\npermalink: /\n---\n")
    _, out, _ = run_cli(["check", "--format", "json", "--select", "J005", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert sorted(d["path"] for d in json.loads(out)["diagnostics"]) == ["index.md", "talks.md"]


def test_a_folder_without_binaries_is_a_checkout_without_them(tmp_path, monkeypatch, capsys):
    """A copy of the text files only (or Git LFS) lacks every PDF: a link to one is not judged."""
    (tmp_path / "_config.yml").write_text(CONFIG)
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "README.md").write_text("notes\n")
    (tmp_path / "index.md").write_text("---\ntitle: Home\n---\n[CV](/files/cv.pdf)\n")
    def broken():
        _, out, _ = run_cli(["check", "--format", "json", "--select", "L006", "index.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        return [d["code"] for d in json.loads(out)["diagnostics"]]
    assert broken() == []
    (tmp_path / "files" / "talk.pdf").write_bytes(b"%PDF")
    assert broken() == ["L006"]
