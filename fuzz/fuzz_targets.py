"""Coverage-guided fuzzing of the parsers with atheris.

    pip install atheris
    python fuzz/fuzz_targets.py TARGET [-max_total_time=600] [-atheris_runs=N] [corpus_dir]

TARGET is one of: document (decoding, front matter split and body scan of a Markdown page),
frontmatter (YAML/TOML parsing with positions), html (an HTML page's tags and links),
rules (every registered rule on the loaded page). A crash is any exception escaping the code
under test; atheris saves the input as `crash-*`, which then becomes a regression test in
tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from pagelint import frontmatter
    from pagelint.config import FileSettings
    from pagelint.document import Document
    from pagelint.engine import Linter
    from pagelint.rules import all_rules


def _touch_views(doc: Document) -> None:
    doc.front_matter
    doc.body
    for link in doc.links:
        assert 0 <= link.start <= link.end <= len(doc.text)
    for start, end in doc.prose_spans:
        assert 0 <= start <= end <= len(doc.text)


def document(data: bytes) -> None:
    _touch_views(Document("page.md", "page.md", data))


def html(data: bytes) -> None:
    _touch_views(Document("page.html", "page.html", data))


def front_matter(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    block = frontmatter.locate("---\n" + text + "\n---\n")
    if block is not None and block.closed:
        frontmatter.parse("---\n" + text + "\n---\n", block)


_LINTER = Linter({"select": ["ALL"]})
_ALL = FileSettings(tuple(all_rules()), {}, {})


def rules(data: bytes) -> None:
    doc = Document("page.md", "page.md", data)
    _LINTER.check_document(doc, _ALL)
    if _LINTER.internal_errors:
        raise RuntimeError(_LINTER.internal_errors[0])


TARGETS = {"document": document, "html": html, "frontmatter": front_matter, "rules": rules}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
