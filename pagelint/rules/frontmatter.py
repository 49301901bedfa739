"""Front matter rules (F): YAML/TOML blocks that break the build or lose data."""

from __future__ import annotations

from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule


class FrontMatterSyntax(Rule):
    code = "F001"
    name = "front-matter-syntax"
    summary = "Front matter (or `_config.yml`) is not valid YAML/TOML"
    rationale = (
        "Jekyll stops the build, or drops the page's front matter, when it cannot parse the YAML "
        "between the `---` lines. The error is reported at the parser's line and column in the "
        "file, with a hint for the usual causes: TAB indentation, an apostrophe inside a "
        "single-quoted value, text after a closing quote, an unquoted `: ` in a value."
    )
    bad = "---\ntitle: 'Ada's homepage'\n---\nHello.\n"
    good = "---\ntitle: \"Ada's homepage\"\n---\nHello.\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        block = doc.front_matter
        if block is None or block.error is None:
            return
        error = block.error
        message = error.message + (f" ({error.hint})" if error.hint else "")
        end = doc.text.find("\n", error.offset)
        yield self.diagnostic(doc, error.offset, error.offset if end < 0 else end, message)


class FrontMatterUnclosed(Rule):
    code = "F002"
    name = "front-matter-unclosed"
    summary = "Front matter opened with `---` is never closed"
    rationale = (
        "A file that starts with `---` but has no closing `---` line is read by Jekyll as having "
        "no front matter at all: its layout, title and permalink are silently lost, and the YAML "
        "is published as text."
    )
    bad = "---\ntitle: Publications\n\nMy papers.\n"
    good = "---\ntitle: Publications\n---\n\nMy papers.\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        block = doc.front_matter
        if block is not None and not block.closed and doc.syntax != "yaml":
            opening_end = doc.text.find("\n")
            yield self.diagnostic(
                doc, 0, max(opening_end, 0), "front matter is opened here but never closed with a `---` line"
            )


RULES = (FrontMatterSyntax(), FrontMatterUnclosed())
