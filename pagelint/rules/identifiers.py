"""Identifiers that disagree on one publication page: the DOI or arXiv id its front matter
names as the paper's, and another one of the same kind where the page shows the paper's own
link or citation (a link copied with the page from another publication)."""

from __future__ import annotations

import re

from pagelint.rules.base import Rule
from pagelint.rules.consistency import _IDENTIFIER

OWN_KEYS = frozenset({"paperurl", "doi", "arxiv", "arxivid", "url_preprint", "url_pdf"})
# Link texts that present the paper itself, not a related work.
_OWN_LINK_TEXT = re.compile(r"^\s*(?:\[?\s*)?(?:published|publisher|journal|paper|doi|arxiv|preprint|pdf|full text)\b", re.I)


def _key(match: re.Match) -> str:
    kind = "doi" if "doi" in match.group(0).lower() else "arxiv"
    return f"{kind}:{match.group(1).lower().rstrip('.')}"


class ForeignIdentifier(Rule):
    code = "C010"
    name = "foreign-identifier"
    summary = "A publication page's own DOI or arXiv id disagrees with the one its citation or paper link names"
    rationale = (
        "A publication page made by copying another often keeps one of its identifiers: the "
        "front matter's `paperurl` names the paper's DOI, but the `citation` or a `Published "
        "version` link still names the other paper's. Reported when the page names exactly one "
        "identifier of a kind as its own and its citation, or a link whose text presents the paper, "
        "names another of that kind; a link to related work is not read."
    )
    example_path = "_publications/sparse.md"
    example_site = {"_config.yml": "collections:\n  publications:\n    output: true\n"}
    bad = "---\ntitle: \"Sparse Graphs\"\npaperurl: https://doi.org/10.1000/sparse.2\n---\n\n[Published version](https://doi.org/10.1000/dense.1)\n"
    good = (
        "---\ntitle: \"Sparse Graphs\"\npaperurl: https://doi.org/10.1000/sparse.2\n---\n\n[Published version](https://doi.org/10.1000/sparse.2)"
        " builds on [our earlier study](https://doi.org/10.1000/dense.1).\n"
    )

    def check(self, doc, options):
        block = doc.front_matter
        if doc.kind != "publication" or block is None:
            return
        own: dict[str, set[str]] = {}
        for path, position in block.positions.items():
            if path.rsplit(".", 1)[-1] in OWN_KEYS:
                for match in _IDENTIFIER.finditer(doc.text, position.value_start, position.value_end):
                    key = _key(match)
                    own.setdefault(key.split(":", 1)[0], set()).add(key)
        own = {kind: keys for kind, keys in own.items() if len(keys) == 1}
        if not own:
            return
        shown: list[tuple[re.Match, int]] = []
        citation = block.positions.get("citation")
        if citation is not None:
            shown.extend((match, match.start()) for match in _IDENTIFIER.finditer(doc.text, citation.value_start, citation.value_end))
        for link in doc.links:
            if link.url_start >= doc.body_start and _OWN_LINK_TEXT.match(link.text or ""):
                shown.extend((match, link.url_start + match.start()) for match in _IDENTIFIER.finditer(link.url))
        for match, offset in shown:
            key = _key(match)
            kind = key.split(":", 1)[0]
            if kind in own and key not in own[kind]:
                (mine,) = own[kind]
                yield self.diagnostic(
                    doc, offset, offset + len(match.group(0)),
                    f"names `{key.split(':', 1)[1]}`, but the page's own {kind.upper()} is `{mine.split(':', 1)[1]}`",
                )


RULES = (ForeignIdentifier(),)
