"""The language server's shared state of a site is built once and updated per file, not per keystroke."""

from __future__ import annotations

import shutil
from pathlib import Path

from pagelint.model.generators.jekyll import Jekyll
from pagelint.server.state import WorkspaceState

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
PAGE = "---\ntitle: Notes\npermalink: {permalink}\n---\n\nSee [the about page](/about/) for {words}.\n"


def test_editing_a_body_rebuilds_nothing_of_the_site_and_a_new_permalink_does(tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    builds = []
    built = Jekyll.url_index
    monkeypatch.setattr(Jekyll, "url_index", lambda self, of: builds.append(of.root) or built(self, of))
    state = WorkspaceState(site)
    page = site / "_pages" / "notes.md"
    first = state.open(page, PAGE.format(permalink="/notes/", words="more"))
    assert page in first and len(builds) == 1  # the first open builds the URL index (the link is checked)
    for words in ("more on graphs", "more on sparse graphs", "more on sparse graphs and trees"):
        state.open(page, PAGE.format(permalink="/notes/", words=words))
    assert len(builds) == 1  # keystrokes in the body: the index stays
    state.open(page, PAGE.format(permalink="/notes-2024/", words="more"))
    state.open(page, PAGE.format(permalink="/notes-2024/", words="more"))
    assert len(builds) == 2  # the front matter changed the page's URL: rebuilt once
