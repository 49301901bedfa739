"""Every URL of a page with its exact span: body links and URL-valued front matter keys.

The link rules and the online checker read links through here, so that they agree on what
a link is and where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pagelint.model.markdown import Link

# Keys whose string value is a URL or a path, in academicpages, al-folio and their forks.
URL_KEY_SUFFIXES = ("url", "link", "_href")
URL_KEYS = frozenset(
    {
        "redirect_from", "redirect_to", "redirect", "website", "homepage", "pdf", "slides", "poster", "code",
        "video", "html", "preview", "googlescholar", "scholar", "orcid", "researchgate", "linkedin_url",
        "github_url", "external_url", "paperurl", "slidesurl", "bibtexurl", "materialurl", "codeurl", "videourl",
    }
)
# Values of these keys are usernames or ids in the templates, not URLs.
NOT_URL_KEYS = frozenset({
    "permalink", "github", "twitter", "linkedin", "gitlab", "bitbucket", "instagram", "facebook", "youtube", "keybase", "stackoverflow",
    "url_pattern",
})
_LOOKS_LIKE_URL = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|/|\.{1,2}/|www\.)|\.(?:pdf|html?|md|bib|pptx?|zip)$", re.IGNORECASE)
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A URL to check. `start`/`end` delimit the URL itself in the document's text;
    `link` is the body link it comes from (None for a front matter value)."""

    url: str
    start: int
    end: int
    link: Link | None = None
    key: str = ""  # the front matter key path, for front matter values


def _is_url_key(path: str) -> bool:
    last = _INDEX.sub("", path.rsplit(".", 1)[-1]).lower()
    if last in NOT_URL_KEYS:
        return False
    return last in URL_KEYS or last.endswith(URL_KEY_SUFFIXES)


def front_matter_targets(doc) -> list[LinkTarget]:
    block = doc.front_matter
    if block is None or not block.positions or not isinstance(block.data, dict):
        return []
    targets = []
    for path, position in block.positions.items():
        if not _is_url_key(path):
            continue
        raw = doc.text[position.value_start : position.value_end]
        if not raw or raw[0] in "[{|>&*!":  # collections, block scalars, aliases, tags
            continue
        start, end = position.value_start, position.value_end
        if raw[0] in "'\"" and len(raw) >= 2 and raw[-1] == raw[0]:
            start, end = start + 1, end - 1
        url = doc.text[start:end]
        if "\n" in url or not _LOOKS_LIKE_URL.search(url.strip()):
            continue
        targets.append(LinkTarget(url, start, end, key=path))
    return targets


def bibliography_targets(doc) -> list[LinkTarget]:
    """The URLs of a `.bib` file's link fields (`url`, al-folio's `pdf`, `html`, ...), and its DOIs as links."""
    targets = []
    for entry in doc.bibliography.entries:
        for item in entry.fields:
            url = item.value.strip()
            if item.name == "doi" and url.startswith("10."):
                targets.append(LinkTarget("https://doi.org/" + url, item.start, item.end, key=item.name))
            elif _is_url_key(item.name) and url.lower().startswith(("http://", "https://")) and not any(char.isspace() for char in url):
                start = item.start + item.value.index(url)
                targets.append(LinkTarget(url, start, start + len(url), key=item.name))
    return targets


def link_targets(doc) -> list[LinkTarget]:
    """Body links that have their URL in place (not reference uses), then front matter URLs."""
    if doc.bibliography is not None:
        return bibliography_targets(doc)
    targets = [LinkTarget(link.url, link.url_start, link.url_end, link) for link in doc.links if link.url_start >= 0]
    return targets + front_matter_targets(doc)


def url_host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""


def external_targets(doc) -> list[LinkTarget]:
    """The page's `http(s)://` links with a host, Liquid-free: what can be requested."""
    return [
        target
        for target in doc.link_targets
        if target.url[:8].lower().startswith(("http://", "https://"))
        and "{{" not in target.url
        and "{%" not in target.url
        and url_host(target.url)
        and " " not in target.url.strip()
    ]
