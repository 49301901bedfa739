"""pagelint's reading rules beside the real Jekyll's, file by file.

    python bench/jekyll_reading.py [SITE ...]     # default: every Jekyll site of ../shared/corpus

For each site, its pages and a `_config.yml` reduced to the keys that decide what is read
(`exclude`, `include`, `collections`, `collections_dir`, `show_drafts`, `future`,
`unpublished`) are copied to a temporary folder, and `jekyll build` reads them with a plugin
that lists every file it read and whether it writes it (bench/data/jekyll_reading_report.rb).
Prints, per site, the files where pagelint and Jekyll disagree, and the totals.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pagelint.model.site import SiteFinder  # noqa: E402
from pagelint.run.discovery import discover  # noqa: E402

READING_KEYS = ("exclude", "include", "collections", "collections_dir", "show_drafts", "future", "unpublished")
PLUGIN = ROOT / "bench" / "data" / "jekyll_reading_report.rb"


def jekyll_reads(site: Path) -> dict[str, bool]:
    """Relative path -> whether Jekyll writes it, for every file Jekyll reads of `site`."""
    with tempfile.TemporaryDirectory(prefix="pagelint-reading-") as folder:
        report = Path(folder) / "read.json"
        build = subprocess.run(
            ["jekyll", "build", "--quiet", "-s", str(site), "-d", str(Path(folder) / "_site"), "--plugins", str(PLUGIN.parent)],
            env={**os.environ, "READING_REPORT": str(report), "JEKYLL_ENV": "production"},
            check=False, capture_output=True, text=True,
        )
        if not report.exists():
            raise RuntimeError(f"jekyll cannot read the site: {(build.stderr.strip().splitlines() or ['?'])[-1]}")
        return {entry["path"]: entry["write"] for entry in json.loads(report.read_text())}


def reduced_copy(site: Path, into: Path) -> list[str]:
    """The site's checked files and its reading configuration, copied; their relative paths."""
    original = SiteFinder().site_for(site / "_config.yml")
    config = original.config if original is not None else {}
    into.mkdir(parents=True)
    (into / "_config.yml").write_text(yaml.safe_dump({key: config[key] for key in READING_KEYS if key in config}, default_flow_style=False))
    copied = []
    for target in discover([str(site)], lambda path: _settings()):
        relative = target.path.relative_to(site).as_posix()
        if relative in ("_config.yml", "_config.yaml") or relative.startswith("_data/"):
            continue
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target.path, into / relative)
        copied.append(relative)
    return copied


def _settings():
    from pagelint.config import Settings

    return Settings(base=Path.cwd())


def compare(site: Path) -> tuple[int, list[str]]:
    with tempfile.TemporaryDirectory(prefix="pagelint-reading-site-") as folder:
        copy = Path(folder) / "site"
        files = reduced_copy(site, copy)
        read = jekyll_reads(copy)
        reduced = SiteFinder().site_for(copy / "_config.yml")
        assert reduced is not None
        disagreements = []
        for relative in sorted(files):
            reading = reduced.reading(copy / relative, _front_matter(copy / relative))
            jekyll = ("read, written" if read[relative] else "read, not written") if relative in read else "not read"
            ours = ("read, written" if reading.has_url else "read, not written") if reading.read else "not read"
            if jekyll != ours:
                disagreements.append(f"  {relative}: Jekyll {jekyll}; pagelint {ours} ({reading.why_not or 'published'})")
        return len(files), disagreements


def _front_matter(path: Path) -> dict:
    from pagelint.model.document import Document

    return Document(str(path), str(path), path.read_bytes()).data


def main() -> None:
    if shutil.which("jekyll") is None:
        raise SystemExit("jekyll is not installed (apt-get install jekyll)")
    sites = [Path(argument) for argument in sys.argv[1:]] or sorted(
        path.parent for path in (ROOT.parent / "shared" / "corpus").glob("*/_config.yml")
    )
    total = wrong = 0
    for site in sites:
        try:
            count, disagreements = compare(site)
        except RuntimeError as exc:
            print(f"{site.name}: {exc}")
            continue
        total, wrong = total + count, wrong + len(disagreements)
        print(f"{site.name}: {count} files, {len(disagreements)} disagreements")
        for line in disagreements:
            print(line)
    print(f"\n{len(sites)} sites, {total} files: pagelint and Jekyll agree on {total - wrong} ({100 * (total - wrong) / max(total, 1):.1f}%)")


if __name__ == "__main__":
    main()
