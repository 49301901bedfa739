"""Fuzz targets: each takes bytes and must not raise. Importable without atheris, so that
tests/test_fuzz.py replays the saved crash inputs of fuzz/regressions/ through them; the
driver, fuzz/fuzz_targets.py, runs them under atheris."""

from __future__ import annotations

from pagelint.model.front_matter import locate, parse
from pagelint.config import FileSettings
from pagelint.model import liquid as liquid_model
from pagelint.model.document import Document
from pagelint.run.linter import Linter
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
    text = "---\n" + data.decode("utf-8", "surrogateescape") + "\n---\n"
    block = locate(text)
    if block is not None and block.closed:
        parse(text, block)


_TAGS = liquid_model.tags_for(("jekyll-scholar",))


def liquid(data: bytes) -> None:
    doc = Document("page.md", "page.md", data)
    for event in liquid_model.parse(doc.text, doc.body_start, _TAGS):
        assert 0 <= event.start <= event.end <= len(doc.text)


_LINTER = Linter({"select": ["ALL"]})
_ALL = FileSettings(tuple(all_rules()), {}, {})


def rules(data: bytes) -> None:
    doc = Document("page.md", "page.md", data)
    _LINTER.check_document(doc, _ALL)
    if _LINTER.internal_errors:
        raise RuntimeError(_LINTER.internal_errors.pop())


TARGETS = {"document": document, "html": html, "frontmatter": front_matter, "liquid": liquid, "rules": rules}
