"""Latency of `pagelint server`: from a change of a 500-line page to its diagnostics.

    python bench/bench_server.py [--lines 500] [--width 80] [--changes 30] [--pages 200] [--bad-page KB]

Starts the server over stdio with a client (pytest-lsp's, a test extra) in a copy of the example
site grown to `--pages` pages, opens a generated page of `--lines` lines (prose wrapped at
`--width` characters, as Markdown is usually written) and edits one line
`--changes` times, waiting for the diagnostics after each. Prints the first open (the site's
shared state is built then), and the median and worst time from a change to its diagnostics,
as the editor sees it; and, in this process, the median CPU time of checking
the page once as the server does after a change. Target: under 100 ms a change. With
`--bad-page KB`, a page of that size whose front matter never closes is opened first, unanswered,
so that the changes are measured while the server checks it.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig

from pagelint.server.state import WorkspaceState

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
PROSE = (
    "Our group studies how elastic sharding changes the cost of training sparse models, "
    "and we report [the results](https://example.org/results) with the <b>code</b> released."
)


def page(lines: int, edit: int = 0, width: int = 80) -> str:
    """A page of `lines` lines, prose wrapped at about `width` characters, one line of it edited."""
    wrapped = textwrap.wrap(PROSE, width)
    body = [f"## Section {index}" if index % 10 == 0 else wrapped[index % len(wrapped)] for index in range(lines - 6)]
    body[edit % len(body)] += f" Edit {edit}."
    return "---\ntitle: Long notes\npermalink: /long-notes/\n---\n\n" + "\n".join(body) + "\n"


def grow(site: Path, pages: int) -> None:
    for index in range(pages):
        (site / "_pages" / f"generated-{index}.md").write_text(
            f"---\ntitle: Page {index}\npermalink: /generated-{index}/\n---\n\n{PROSE}\n", encoding="utf-8"
        )


async def wait_for(client, uri: str) -> list[lsp.Diagnostic]:
    while uri not in client.diagnostics:
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics.pop(uri)


async def measure(site: Path, lines: int, width: int, changes: int, bad_kilobytes: int = 0) -> tuple[float, list[float]]:
    client = await ClientServerConfig(server_command=[sys.executable, "-m", "pagelint", "server"]).start()
    await client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=site.as_uri()))
    if bad_kilobytes:
        unclosed = "---\ntitle: Never closed\n" + "key: value\n" * (bad_kilobytes * 1024 // 11)
        bad_uri = (site / "_pages" / "unclosed.md").as_uri()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(bad_uri, "markdown", 1, unclosed)))
    path = site / "_pages" / "long-notes.md"
    uri = path.as_uri()
    started = time.perf_counter()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "markdown", 1, page(lines, width=width))))
    await wait_for(client, uri)
    first_open = time.perf_counter() - started
    latencies = []
    for version in range(2, changes + 2):
        started = time.perf_counter()
        whole = lsp.TextDocumentContentChangeEvent_Type2(text=page(lines, version, width))
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(version, uri), [whole]))
        await wait_for(client, uri)
        latencies.append(time.perf_counter() - started)
    await client.shutdown_session()
    await client.stop()
    return first_open, latencies


def check_cpu(site: Path, lines: int, width: int, changes: int) -> list[float]:
    state = WorkspaceState(site)
    path = site / "_pages" / "long-notes.md"
    state.open(path, page(lines, width=width))
    timings = []
    for edit in range(changes):
        started = time.process_time()
        state.open(path, page(lines, edit + 1, width))
        timings.append(time.process_time() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--width", type=int, default=80, help="characters a line of prose")
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--pages", type=int, default=200, help="pages added to the example site")
    parser.add_argument("--bad-page", type=int, default=0, metavar="KB", help="open a page of KB kilobytes whose front matter never closes first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(SITE, site)
        grow(site, args.pages)
        first_open, latencies = asyncio.run(measure(site, args.lines, args.width, args.changes, args.bad_page))
        cpu = check_cpu(site, args.lines, args.width, args.changes)
    milliseconds = [latency * 1000 for latency in latencies]
    print(f"site: {args.pages + 7} pages; page: {args.lines} lines of about {args.width} characters; {args.changes} changes")
    print(f"first open (site state built): {first_open * 1000:.0f} ms")
    print(f"change -> diagnostics: median {statistics.median(milliseconds):.0f} ms, worst {max(milliseconds):.0f} ms (target < 100 ms)")
    print(f"one check after a change, CPU: median {statistics.median(cpu) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
