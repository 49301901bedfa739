"""Markup rules (M): HTML and Markdown that render badly or not at all."""

from __future__ import annotations

from pagelint.data import load_json
from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule


class DeprecatedHtml(Rule):
    code = "M001"
    name = "deprecated-html"
    summary = "Presentational HTML element removed from HTML5"
    rationale = (
        "Elements such as `<font>`, `<center>` and `<marquee>` were removed from HTML5. Browsers "
        "still guess what they mean, but themes cannot style them, screen readers ignore them, and "
        "they are usually left over from an old editor. Each opening tag is reported once, with "
        "what to write instead."
    )
    bad = "Hiring! <font color=red>Apply now</font>\n"
    good = 'Hiring! <span style="color: red">Apply now</span>\n'

    def check(self, doc, options):
        replacements = load_json("deprecated_html.json")["tags"]
        for tag in doc.body.tags:
            if not tag.closing and tag.name in replacements:
                yield self.diagnostic(
                    doc, tag.start, tag.end, f"`<{tag.name}>` is not HTML5: {replacements[tag.name]}"
                )


class UnusedSuppression(Rule):
    code = "M100"
    name = "unused-suppression"
    summary = "A pagelint-disable comment that suppresses nothing"
    rationale = (
        "A suppression comment that no longer matches any finding hides nothing today but will "
        "silently hide a real problem tomorrow. Remove it."
    )
    bad = "<!-- pagelint-disable-next-line M001 -->\nNothing deprecated here.\n"
    good = "<!-- pagelint-disable-next-line M001 -->\n<center>Old layout</center>\n"
    severity = Severity.INFO
    fixable = True
    engine_reported = True


class UnknownSuppression(Rule):
    code = "M101"
    name = "unknown-suppression"
    summary = "A pagelint-disable comment that names no known rule"
    rationale = (
        "A suppression comment names rules by code, name, code prefix or category. A name that "
        "matches none of them is a typo, and the finding it meant to silence is still reported."
    )
    bad = "<!-- pagelint-disable-next-line M999 -->\n<center>Old layout</center>\n"
    good = "<!-- pagelint-disable-next-line M001 -->\n<center>Old layout</center>\n"
    engine_reported = True


RULES = (DeprecatedHtml(), UnusedSuppression(), UnknownSuppression())
