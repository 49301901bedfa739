"""The planted-defect Jekyll sites shared by tests/test_jekyll_build.py and bench/jekyll_compare.py:
writing a case's minimal site, building it with the real `jekyll build`, reading what Jekyll did
from its output and `_site`, checking it with pagelint, and judging whether the two agree.

The agreement rule: every build failure is reported at warning or error; a file copied raw or
built other than as written is reported at warning or error by a message naming the effect (the
date or URL Jekyll produced); nothing that builds as written is reported at warning or error; a
case that depends on an unknown theme is reported at most as information.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pagelint.cli import main as pagelint_main

DATA = Path(__file__).parent / "data" / "jekyll_cases.toml"
CONFIG = """title: Jekyll case
defaults:
  - scope: {path: ""}
    values: {layout: default}
"""
# The layout prints where each page came from, its URL and its date, for the bench to read back.
LAYOUT = (
    "<!DOCTYPE html>\n<html><body data-source=\"{{ page.path }}\" data-url=\"{{ page.url }}\" "
    "data-date=\"{{ page.date | date: '%Y-%m-%d' }}\">\n{{ content }}\n</body></html>\n"
)
KINDS = ("fails", "raw", "changes", "clean", "unknown")
GRAVE = ("warning", "error")


@dataclass(frozen=True)
class Case:
    name: str
    jekyll: str  # what the real build does, as recorded: one of KINDS
    files: dict[str, str]
    expect: str = ""
    meant: str = ""
    config: str = ""
    reported_in: str = ""  # where pagelint should report, when not in the case's file (`_config.yml`)

    @property
    def path(self) -> str:
        """The file that carries the case."""
        return next(iter(self.files))

    @property
    def expected(self) -> str:
        return self.expect.replace("{year}", str(datetime.now(UTC).year))


@dataclass
class Finding:
    code: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} {self.severity}"


@dataclass
class Build:
    """What `jekyll build` did with a case: its verdict and what was read from `_site`."""

    kind: str
    summary: str
    warnings: list[str] = field(default_factory=list)


def load_cases() -> list[Case]:
    cases = [Case(**entry) for entry in tomllib.loads(DATA.read_text("utf-8"))["case"]]
    assert all(case.jekyll in KINDS for case in cases), "unknown kind in jekyll_cases.toml"
    return cases


def write_site(case: Case, folder: Path) -> None:
    (folder / "_layouts").mkdir(parents=True, exist_ok=True)
    (folder / "_layouts" / "default.html").write_text(LAYOUT, encoding="utf-8")
    (folder / "_config.yml").write_text(CONFIG + case.config, encoding="utf-8")
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="")


def lint(case: Case, folder: Path) -> list[Finding]:
    """pagelint's findings on the case's file, with the default rules."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()), contextlib.chdir(folder):
        code = pagelint_main(["check", "--format", "json", "--no-color", "."])
    assert code in (0, 1), f"pagelint exited {code} on {case.name}"
    return [
        Finding(d["code"], d["severity"], d["message"])
        for d in json.loads(output.getvalue())["diagnostics"]
        if d["path"] == (case.reported_in or case.path)
    ]


def agreement(kind: str, expected: str, findings: list[Finding]) -> tuple[bool, str]:
    """Whether pagelint's findings agree with what Jekyll does; the reason when they do not."""
    grave = [finding for finding in findings if finding.severity in GRAVE]
    if kind == "fails":
        return (bool(grave), "" if grave else "the build fails, pagelint reports nothing at warning or error")
    if kind in ("raw", "changes"):
        effect = expected if kind == "changes" else "copies"
        named = [finding for finding in grave if effect in finding.message]
        return (bool(named), "" if named else f"no warning or error names the effect (`{effect}`)")
    if kind == "clean":
        return (not grave, f"it builds as written, pagelint says {', '.join(map(str, grave))}" if grave else "")
    unknown = [finding for finding in findings if finding.severity == "info" and "theme" in finding.message]
    return (bool(unknown) and not grave, "" if unknown and not grave else "expected one information naming the theme")


# Building with the real Jekyll ------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BODY = re.compile(r'<body data-source="([^"]*)" data-url="([^"]*)" data-date="([^"]*)">(.*?)</body>', re.DOTALL)


def jekyll_binary() -> str | None:
    return shutil.which("jekyll")


def build(case: Case, folder: Path) -> Build:
    """Run `jekyll build` on the case's site (in UTC, as GitHub Pages does) and read the result."""
    environment = {**os.environ, "TZ": "UTC", "JEKYLL_ENV": "production"}
    result = subprocess.run(
        [jekyll_binary() or "jekyll", "build", "--source", str(folder), "--destination", str(folder / "_site")],
        capture_output=True, text=True, env=environment, timeout=300, check=False,
    )
    output = _ANSI.sub("", result.stdout + result.stderr)
    warnings = [line.strip() for line in output.splitlines() if re.search(r"\b(Warning|Conflict|Deprecation):", line)]
    if result.returncode != 0:
        return Build("fails", "fails: " + _error_message(output), warnings)
    site = folder / "_site"
    source = (folder / case.path).read_bytes()
    copy = next((path for path in site.rglob("*") if path.is_file() and path.read_bytes() == source), None)
    if copy is not None:
        return Build("raw", f"copies raw to {copy.relative_to(folder).as_posix()}", warnings)
    for page in site.rglob("*.html"):
        body = _BODY.search(page.read_text("utf-8", "replace"))
        if body and body.group(1) == case.path:
            url, dated, content = body.group(2), body.group(3), body.group(4)
            summary = f"builds {url}" + (f", dated {dated}" if dated else "")
            if re.search(r"\btitle: ", content):
                summary += ", front matter printed as text"
            return Build(_built_kind(case, summary), summary, warnings)
    return Build("changes", "not in _site", warnings)


def _built_kind(case: Case, summary: str) -> str:
    if case.jekyll == "changes" and case.expected in summary:
        return "changes"
    if case.meant and case.meant not in summary:
        return "changes"
    return "clean"


def _error_message(output: str) -> str:
    for pattern in (r"Liquid Exception: (.*?)(?: in /\S+)?$", r"ERROR: YOUR SITE COULD NOT BE BUILT:\s*-*\s*(.*?)$", r"Error: (.*?)$"):
        match = re.search(pattern, output, re.MULTILINE)
        if match and match.group(1).strip(" -"):
            return match.group(1).strip()
    return output.strip().splitlines()[-1] if output.strip() else "(no message)"
