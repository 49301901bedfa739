"""The planted-defect Hugo sites of tests/data/hugo_cases.toml: writing one, building it with the
real `hugo`, checking it with pagelint, and whether the two agree. Shared by bench/hugo_compare.py
and tests/test_hugo_build.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CASES = Path(__file__).resolve().parent / "data" / "hugo_cases.toml"
BASE_CONFIG = 'baseURL = "https://ada.example/"\ntitle = "Ada"\n'
# Layouts of the minimal site: each page shows its title, date and content, so that what Hugo read is seen.
SITE = {
    "layouts/_default/single.html": '{{ .Title }}|{{ .Date.Format "2006-01-02" }}|{{ .Params.url_pdf }}|{{ .Content }}\n',
    "layouts/_default/list.html": "{{ range .Pages }}{{ .Title }}{{ end }}\n",
    "layouts/index.html": "{{ range .Site.RegularPages }}{{ .Title }}{{ end }}\n",
    "layouts/shortcodes/callout.html": '<div class="callout">{{ .Inner | markdownify }}</div>\n',
    "layouts/shortcodes/icon.html": "<i>{{ .Get 0 }}</i>\n",
    "content/post/other.md": "---\ntitle: Other\n---\n## Part\n\nText.\n",
}


@dataclass
class Case:
    name: str
    hugo: str  # fails, changes, drops, clean
    files: dict[str, str]
    expect: str = ""
    config: str = ""


@dataclass
class Built:
    kind: str  # fails, changes, drops, clean
    summary: str


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    path: str = field(default="")


def load_cases() -> list[Case]:
    return [Case(**case) for case in tomllib.loads(CASES.read_text("utf-8"))["case"]]


def hugo_binary() -> str | None:
    return shutil.which("hugo")


def write_site(case: Case, folder: Path) -> None:
    for name, text in {**SITE, "hugo.toml": BASE_CONFIG + case.config, **case.files}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def build(case: Case, folder: Path) -> Built:
    run = subprocess.run([hugo_binary() or "hugo", "--source", str(folder)], capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        lines = [line for line in (run.stdout + run.stderr).splitlines() if "ERROR" in line or line.startswith("Error")]
        message = re.sub(r'Error: Error building site: ("[^"]*": )?|ERROR \S+ \S+ |"[^"]*/content/', "", " ".join(lines))
        return Built("fails", message)
    first = next(iter(case.files))
    if not first.startswith("content/"):
        return Built("clean", "builds; the file is no content")
    page = folder / "public" / Path(first).relative_to("content").with_suffix("") / "index.html"
    if first.endswith("/index.md") or "/home/" in first:
        return Built("clean", "builds (a bundle's content, shown through its page)")
    shown = "\n".join(path.read_text("utf-8") for path in sorted((folder / "public").rglob("index.html")))
    if not page.exists() and not _permalinked(case):
        return Built("drops", "builds without the page")
    if case.expect.startswith("lost: "):
        lost = case.expect.removeprefix("lost: ")
        return Built("changes" if lost not in shown else "clean", f"builds; `{lost}` is {'not ' if lost not in shown else ''}published")
    title, date, *_ = page.read_text("utf-8").split("|")
    written = _written_date(case)
    if written and (date.startswith(("0001", "1970")) or (written[:4].isdigit() and not written.startswith(date))):
        return Built("changes", f"builds; dated {date}")
    return Built("clean", f"builds; dated {date}" if written else "builds")


def _permalinked(case: Case) -> bool:
    return "permalinks" in case.config


def _written_date(case: Case) -> str:
    text = next(iter(case.files.values()))
    for line in text.splitlines():
        if line.startswith("date:"):
            return line.split(":", 1)[1].strip()
    return ""


def lint(case: Case, folder: Path) -> tuple[list[Finding], bool]:
    """pagelint's findings in the case's files, and whether it says a file is not published."""
    run = subprocess.run(
        [sys.executable, "-m", "pagelint", "check", "--offline", "--format", "json", "--fail-on", "never", str(folder)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, timeout=120,
    )
    found = []
    for diagnostic in json.loads(run.stdout)["diagnostics"]:
        relative = Path(diagnostic["path"]).resolve().relative_to(folder.resolve()).as_posix()
        if relative in case.files:
            found.append(Finding(diagnostic["code"], diagnostic["severity"], diagnostic["message"], relative))
    alone = subprocess.run(
        [sys.executable, "-m", "pagelint", "check", "--offline", "--fail-on", "never", str(folder / next(iter(case.files)))],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, timeout=120,
    )
    return found, "not published" in alone.stderr


def agreement(case: Case, outcome: str, findings: list[Finding], unpublished: bool) -> tuple[bool, str]:
    """Whether pagelint's findings follow what the build does: a failure or a silent change is
    reported at warning or error; a dropped page is skipped as unpublished; a clean build gets no error."""
    graver = [finding for finding in findings if finding.severity in ("error", "warning")]
    if outcome in ("fails", "changes"):
        return (True, "") if graver else (False, "the build fails or changes, and pagelint reports nothing at warning or error")
    if outcome == "drops":
        return (True, "") if unpublished and not graver else (False, "the page is not published, and pagelint does not say so")
    errors = [finding for finding in findings if finding.severity == "error"]
    return (True, "") if not errors else (False, f"the build is clean, and pagelint reports {errors[0].code} at error")
