"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Artifact URIs are relative to the repository root (the folder holding `.git` above the working
folder, else the working folder) under `uriBaseId` `%SRCROOT%`, however the paths were given, as
GitHub code scanning expects; a file outside it keeps an absolute `file:` URI. Each result has a
`partialFingerprints` entry, by which code scanning follows an alert across commits.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from urllib.parse import quote

from pagelint import __version__
from pagelint.diagnostics import Severity
from pagelint.reporters import json_format
from pagelint.reporters.fingerprint import fingerprints
from pagelint.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "%SRCROOT%"  # the base GitHub's own analyses name the repository root with
FINGERPRINT = "pagelintFindingHash/v1"


def repository_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


class _Locator:
    """Artifact locations of the run's paths, relative to `root` where they lie under it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.known: dict[str, dict] = {}

    def relative(self, path: str) -> str | None:
        """`path` from the root, as a URI reference (`a page.md` is `a%20page.md`), or None
        when it lies outside."""
        try:
            inside = (Path.cwd() / path).absolute().relative_to(self.root)
        except ValueError:
            return None
        return quote(PurePath(inside).as_posix(), safe="/")

    def location(self, path: str) -> dict:
        if path not in self.known:
            relative = self.relative(path)
            self.known[path] = (
                {"uri": relative, "uriBaseId": ROOT_ID} if relative is not None else {"uri": (Path.cwd() / path).absolute().as_uri()}
            )
        return self.known[path]

    def uri(self, path: str) -> str:
        return str(self.location(path)["uri"])


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


def _result(diagnostic, rule_index: int, artifact: dict, fingerprint: str) -> dict:
    result = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": _region(diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    fix = diagnostic.fix
    if fix is not None:
        result["fixes"] = [
            {
                "description": {"text": f"Replace with {fix.replacement!r}"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
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
    locator = _Locator(repository_root(Path.cwd().absolute()))
    results = [
        _result(diagnostic, index[diagnostic.code], locator.location(diagnostic.path), fingerprint)
        for diagnostic, fingerprint in zip(
            result.diagnostics, fingerprints(result.diagnostics, locator.uri), strict=True
        )
    ]
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
                "originalUriBaseIds": {ROOT_ID: {"uri": locator.root.as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    json_format.write(document, out)
