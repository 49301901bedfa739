"""Write pagelint/data/template_fingerprints.txt: hashes of the sample sentences and titles of
the site templates (academicpages, al-folio, Hugo Blox), never their text.

    python tools/template_fingerprints.py SITES_ROOT [--exclude DIR ...]

SITES_ROOT holds checkouts of sites built from the templates. A sentence (or a front matter
title) of a sample location (`_posts`, `_talks`, `content/post`...) is the template's when it
recurs, unchanged, in that location on `--min-sites` different sites: an owner's own text does
not. `--exclude` leaves sites out (those a measurement is made on, so that it stays honest).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import frontmatter

from pagelint.text.fingerprints import FINGERPRINTED_KEYS, body_sentences, fingerprint, normalised, short_body

OUT = Path(__file__).resolve().parent.parent / "pagelint" / "data" / "template_fingerprints.txt"
SAMPLE_LOCATIONS = re.compile(
    r"^(?:_posts|_publications|_talks|_teaching|_portfolio|_news|_projects|_books"
    r"|content/(?:[a-z]{2}/)?(?:post|event|publication|project|talk|teaching|blog|courses))/"
    r"|^_pages/about[^/]*\.md$|^content/(?:[a-z]{2}/)?(?:_index\.md|authors/admin/_index\.md)$"
)
# pagelint's own invented sample sentence and short page, the documented examples of rule P002:
# they stand for a template's, which cannot be quoted.
DOCUMENTED_EXAMPLES = ("Replace this sentence with a summary of your talk, written in Markdown like any page.", "An invented sample announcement.")
SHORT_TITLE_WORDS = 3  # a title of fewer words counts only with a number in it (`project 1`)


def sample_texts(site: Path):
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.suffix not in (".md", ".html", ".markdown") or not SAMPLE_LOCATIONS.search(relative):
            continue
        text = path.read_text("utf-8", "replace")
        try:
            post = frontmatter.loads(text)
        except Exception:  # an unreadable sample proves nothing
            continue
        title = str(post.metadata.get("title") or "")
        words = normalised(title).split()
        if len(words) >= SHORT_TITLE_WORDS or (len(words) >= 2 and any(word.isdigit() for word in words)):
            yield fingerprint(title)
        for key in FINGERPRINTED_KEYS:
            value = post.metadata.get(key)
            if isinstance(value, str):
                yield from (fingerprint(value[a:b]) for a, b in body_sentences(value, 0, len(value)))
        yield from (fingerprint(post.content[a:b]) for a, b in body_sentences(post.content, 0, len(post.content)))
        whole = short_body(post.content, 0, len(post.content))
        if whole is not None:
            yield fingerprint(post.content[whole[0] : whole[1]])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--min-sites", type=int, default=2)
    options = parser.parse_args()
    sites_of: dict[str, set[str]] = defaultdict(set)
    for site in sorted(p for p in options.root.iterdir() if p.is_dir() and p.name not in options.exclude):
        for digest in sample_texts(site):
            sites_of[digest].add(site.name)
    recurring = {digest for digest, sites in sites_of.items() if len(sites) >= options.min_sites}
    kept = sorted(recurring | {fingerprint(example) for example in DOCUMENTED_EXAMPLES})
    header = (
        "# Hashes (pagelint.text.fingerprints.fingerprint) of the site templates' sample sentences and titles,\n"
        "# written by tools/template_fingerprints.py: no template text is kept here.\n"
    )
    OUT.write_text(header + "".join(f"{digest}\n" for digest in kept))
    print(f"{len(kept)} fingerprints written to {OUT}")


if __name__ == "__main__":
    main()
