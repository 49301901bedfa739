"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import quote

from pagelint import __version__
from pagelint.diagnostics import Severity
from pagelint.reporters import json_format
from pagelint.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A relative URI reference: `a page.md` is `a%20page.md`."""
    return quote(PurePath(path).as_posix(), safe="/")


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fenced(example: str) -> str:
    fence = "`" * max(3, 1 + max(map(len, re.findall("`+", example)), default=0))  # longer than any run inside
    return f"{fence}\n{example.rstrip()}\n{fence}"


def _options_help(rule) -> tuple[str, str]:
    """The rule's options, as text and as Markdown to end its help with ("" without options)."""
    if not rule.options:
        return "", ""
    text = [f"\nOptions (in .pagelint.toml, under [rules.{rule.code}]):"]
    markdown = [f"\n\nOptions (in `.pagelint.toml`, under `[rules.{rule.code}]`):\n"]
    for name, option in rule.options.items():
        text.append(f"  {name} (default {option.default!r}): {option.help}")
        markdown.append(f"- `{name}` (default `{option.default!r}`): {option.help}")
    return "\n".join(text) + "\n", "\n".join(markdown)


def _rule_descriptor(rule) -> dict:
    options_text, options_markdown = _options_help(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": f"{rule.rationale}\n\nBad:\n{rule.bad}\nGood:\n{rule.good}{options_text}",
            "markdown": f"{rule.rationale}\n\nBad:\n\n{_fenced(rule.bad)}\n\nGood:\n\n{_fenced(rule.good)}{options_markdown}",
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.enabled_by_default},
        "properties": {"category": rule.category.value},
    }


def _result(diagnostic, rule_index: int) -> dict:
    uri = _uri(diagnostic.path)
    result = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": _region(diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column),
                }
            }
        ],
    }
    fix = diagnostic.fix
    if fix is not None:
        result["fixes"] = [
            {
                "description": {"text": f"Replace with {fix.replacement!r}"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": _region(fix.line, fix.column, fix.end_line, fix.end_column),
                                "insertedContent": {"text": fix.replacement},
                            }
                        ],
                    }
                ],
            }
        ]
    return result


def report(result, out, options) -> None:
    rules = list(all_rules())
    index = {rule.code: position for position, rule in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pagelint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/pagelint/",
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(diagnostic, index[diagnostic.code]) for diagnostic in result.diagnostics],
            }
        ],
    }
    json_format.write(document, out)
