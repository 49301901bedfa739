"""`check --online` against servers the tests start on 127.0.0.1 (no other network)."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pagelint.config import OnlineSettings
from pagelint.rules.online import ONLINE_CODES
from pagelint.rules.online import RULES as ONLINE_RULES
from tests.conftest import run_cli
from tests.loopback import Drip, Http2Server, Mute, NeverAccepts, make_certificate, server_context

FAST = """[online]
timeout = 0.5
retries = 1
retry-delay = 0.01
"""
QUICK_TIMEOUT = FAST.replace("timeout = 0.5", "timeout = 0.25").replace("retries = 1", "retries = 0")


class Server:
    """A loopback HTTP server answering from `routes`: path -> (status, headers, body) or a
    behaviour name. It counts requests by (method, path)."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None):
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, str]] = []
        self.user_agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self._answer(head=True)

            def do_GET(self):
                self._answer(head=False)

            def _answer(self, head: bool):
                server.requests.append((self.command, self.path))
                server.user_agents.append(self.headers.get("User-Agent", ""))
                route = server.routes.get(self.path, (404, {}, b"not here"))
                if callable(route):
                    route = route(self, head)
                    if route is None:
                        return
                status, headers, body = route
                self.send_response(status)
                for name, value in {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        class HttpAndHttps(ThreadingHTTPServer):
            """With `tls`, a connection that starts with a TLS handshake is served over TLS."""

            def finish_request(self, request, client_address):
                if tls is not None and request.recv(1, socket.MSG_PEEK) == b"\x16":
                    try:
                        request = tls.wrap_socket(request, server_side=True)
                    except (ssl.SSLError, OSError):
                        return
                super().finish_request(request, client_address)

        self.httpd = HttpAndHttps((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    started = Server()
    yield started
    started.close()


@pytest.fixture
def check_online(tmp_path, monkeypatch, capsys):
    """Write `page.md` (and a configuration) and run `check --online`; returns (code, diagnostics, stderr)."""

    def _check(page: str, *args: str, config: str = FAST, files: dict[str, str] | None = None):
        (tmp_path / ".pagelint.toml").write_text(config, encoding="utf-8")
        (tmp_path / "page.md").write_text(page, encoding="utf-8")
        for name, content in (files or {}).items():
            (tmp_path / name).write_text(content, encoding="utf-8")
        code, out, err = run_cli(["check", "--format", "json", "--online", *args, "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        assert code in (0, 1), err
        return code, json.loads(out)["diagnostics"], err

    return _check


def online_findings(diagnostics):
    return [(d["code"], d["line"], d["message"]) for d in diagnostics if d["code"] in ONLINE_CODES]


def test_dead_link_reported_at_every_occurrence_with_one_request(server, check_online):
    server.routes["/ok"] = (200, {}, b"fine")
    page = f"[a]({server.base}/gone) and [b]({server.base}/ok)\n\nAgain: [c]({server.base}/gone)\n"
    code, found, _ = check_online(page, "--allow-private", files={"other.md": f"<{server.base}/gone>\n"})
    dead = [(d["path"], d["line"], d["column"], d["code"], d["severity"]) for d in found if d["code"] == "L101"]
    column = page.index("/gone") - len(server.base) + 1
    assert dead == [("other.md", 1, 2, "L101", "warning"), ("page.md", 1, column, "L101", "warning"), ("page.md", 3, 12, "L101", "warning")]
    assert all("404 Not Found" in d["message"] for d in found if d["code"] == "L101")
    assert code == 1
    assert server.requests.count(("GET", "/gone")) == 1  # HEAD 404, then one GET: the URL is checked once


def test_second_run_makes_no_request_for_cached_links_and_refresh_ignores_the_cache(server, check_online, tmp_path):
    server.routes["/ok"] = (200, {}, b"fine")
    page = f"[a]({server.base}/ok) [b]({server.base}/gone)\n"
    first = check_online(page, "--allow-private")[1]
    seen = len(server.requests)
    assert seen >= 2 and (tmp_path / ".pagelint-cache" / "links.sqlite").is_file()
    second = check_online(page, "--allow-private")[1]
    assert len(server.requests) == seen  # nothing requested: both outcomes come from the cache
    assert online_findings(second) == online_findings(first) != []
    check_online(page, "--allow-private", "--refresh")
    assert len(server.requests) > seen


def test_expired_failures_are_requested_again(server, check_online):
    server.routes["/ok"] = (200, {}, b"fine")
    page = f"[a]({server.base}/ok) [b]({server.base}/gone)\n"
    config = FAST + "ttl-failure = 0\n"
    check_online(page, "--allow-private", config=config)
    server.requests.clear()
    check_online(page, "--allow-private", config=config)
    assert {path for _, path in server.requests} == {"/gone"}


def test_redirects_permanent_temporary_chains_and_loops(server, check_online):
    base = server.base
    server.routes.update({
        "/moved": (301, {"Location": "/new"}, b""),
        "/new": (200, {}, b"new"),
        "/temporary": (302, {"Location": "/new"}, b""),
        "/chain": (308, {"Location": "/chain2"}, b""),
        "/chain2": (301, {"Location": f"{base}/chain3"}, b""),
        "/chain3": (302, {"Location": "/new"}, b""),
        "/loop": (301, {"Location": "/loop2"}, b""),
        "/loop2": (302, {"Location": "/loop"}, b""),
    })
    page = "\n\n".join(f"[{name}]({base}/{name})" for name in ("moved", "temporary", "chain", "loop")) + "\n"
    _, found, _ = check_online(page, "--allow-private")
    by_line = {(d["line"], d["code"]): d for d in found if d["code"] in ("L101", "L102")}
    assert sorted(by_line) == [(1, "L102"), (5, "L102"), (7, "L101")]
    assert by_line[(1, "L102")]["fix"]["replacement"] == f"{base}/new"
    assert by_line[(5, "L102")]["fix"]["replacement"] == f"{base}/chain3"  # the permanent hops only
    assert "redirect loop" in by_line[(7, "L101")]["message"]


def test_head_rejected_falls_back_to_get_and_fragments_are_checked(server, check_online):
    def no_head(handler, head):
        return (405, {}, b"") if head else (200, {}, b'<h2 id="methods">Methods</h2>')

    server.routes["/paper"] = no_head
    page = f"[a]({server.base}/paper#methods) [b]({server.base}/paper#results)\n"
    _, found, _ = check_online(page, "--allow-private")
    assert [(d["code"], d["message"]) for d in found if d["code"] in ("L101", "L106")] == [("L106", "no anchor #results in the page")]
    assert server.requests == [("HEAD", "/paper"), ("GET", "/paper")]


@pytest.mark.parametrize("as_date", [False, True], ids=["seconds", "HTTP date"])
def test_rate_limited_answers_wait_for_retry_after(as_date):
    import email.utils

    retry_after = email.utils.formatdate(time.time() + 30, usegmt=True) if as_date else "7"
    answers = iter([(429, {"Retry-After": retry_after}, b""), (200, {}, b"ok")])
    with Server() as server:
        server.routes["/busy"] = lambda handler, head: next(answers)
        waits: list[float] = []

        async def record(seconds):
            waits.append(seconds)

        outcome = run_checker(server.base + "/busy", OnlineSettings(retries=2), record)
    assert outcome.kind == "ok" and len(waits) == 1
    assert 20 <= waits[0] <= 31 if as_date else waits == [7.0]


def test_retry_after_beyond_the_bound_is_not_waited_for():
    with Server() as server:
        server.routes["/busy"] = (429, {"Retry-After": "3600"}, b"")
        waits: list[float] = []

        async def record(seconds):
            waits.append(seconds)

        outcome = run_checker(server.base + "/busy", OnlineSettings(retries=2), record)
    assert outcome.kind == "accepted" and "3600 s" in outcome.reason and waits == []
    assert server.requests == [("HEAD", "/busy")]


def test_server_errors_are_retried_with_growing_delays():
    with Server() as server:
        server.routes["/broken"] = (500, {}, b"")
        waits: list[float] = []

        async def record(seconds):
            waits.append(seconds)

        outcome = run_checker(server.base + "/broken", OnlineSettings(retries=2, retry_delay=1.0), record)
    assert outcome.kind == "dead" and outcome.reason == "500 Internal Server Error"
    assert len(waits) == 2 and 1.0 <= waits[0] <= 2.0 and 2.0 <= waits[1] <= 4.0  # backoff with jitter
    assert server.requests.count(("GET", "/broken")) == 3


def run_checker(url, settings, sleep, allow_private=True):
    from pagelint.online.checker import Checker

    async def go():
        async with Checker(settings, allow_private=allow_private, sleep=sleep) as checker:
            return await checker.check(url, probe_https=False)

    return asyncio.run(go())


Server.__enter__ = lambda self: self
Server.__exit__ = lambda self, *exc: self.close()


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_server_that_never_answers_times_out(silent_server, check_online):
    url, accepted = silent_server
    _, found, _ = check_online(f"[a]({url}/x)\n", "--allow-private", config=QUICK_TIMEOUT)
    assert [(d["code"], d["message"]) for d in found if d["code"] in ("L101", "L103")] == [
        ("L103", "timeout: no complete answer within 0.25 s")
    ]
    assert accepted


def test_an_answer_dripping_a_byte_at_a_time_times_out_at_the_deadline_and_holds_no_other_host(server, check_online):
    """Bytes keep coming, more often than a read timeout would notice, and the answer is never
    complete: given up at `timeout`, while the links of another host are all checked meanwhile."""
    for index in range(6):
        server.routes[f"/paper/{index}"] = (200, {}, b"a paper")
    given_up = []
    drip = Drip("127.0.0.2", interval=0.1, on_close=lambda sent: given_up.append((sent, len(server.requests))))
    try:
        page = f"[slow](http://127.0.0.2:{drip.port}/paper)\n\n" + "".join(f"[p]({server.base}/paper/{index})\n\n" for index in range(6))
        config = FAST.replace("timeout = 0.5", "timeout = 1").replace("retries = 1", "retries = 0") + "per-host = 1\nconcurrency = 2\n"
        _, found, _ = check_online(page, "--allow-private", "--jobs", "1", config=config)
        assert online_findings(found) == [("L103", 1, "timeout: no complete answer within 1 s")]
        drip.wait_for_clients()
        [(sent, others_done)] = given_up
        assert 2 <= sent < len(Drip.ANSWER)  # it was dripping, and not done
        assert others_done == 6  # the other host's links did not wait for it
    finally:
        drip.close()


def test_endless_bodies_are_cut_at_the_cap_and_slow_ones_time_out(server, check_online):
    def endless(handler, head, pause=0.0):
        if head:
            return 405, {}, b""
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(b"<p>more</p>" * 100)
                time.sleep(pause)
        except OSError:
            return None

    server.routes["/endless"] = endless
    server.routes["/dribble"] = lambda handler, head: endless(handler, head, pause=0.2)
    page = f"[a]({server.base}/endless#end)\n\n[b]({server.base}/dribble#end)\n"
    config = QUICK_TIMEOUT + "max-body = 20000\n"
    _, found, _ = check_online(page, "--allow-private", config=config)
    assert [(d["line"], d["code"]) for d in found if d["code"] in ONLINE_CODES] == [(3, "L103")]


def test_tls_failure_is_a_dead_link_with_the_reason(server, check_online):
    server.routes["/"] = (200, {}, b"plain http")
    _, found, _ = check_online(f"[a](https://127.0.0.1:{server.port}/)\n", "--allow-private")
    messages = [d["message"] for d in found if d["code"] == "L101"]
    assert len(messages) == 1 and messages[0].startswith("dead link: TLS error")


def test_refused_connection_is_a_dead_link(check_online):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, found, _ = check_online(f"[a](http://127.0.0.1:{port}/)\n", "--allow-private")
    assert [d["message"] for d in found if d["code"] == "L101"] == ["dead link: connection refused"]


def test_private_addresses_are_never_requested_without_allow_private(server, check_online):
    server.routes["/"] = (200, {}, b"secret")
    _, found, _ = check_online(f"[a](http://localhost:{server.port}/) [b]({server.base}/)\n")
    refused = [(d["severity"], d["message"]) for d in found if d["code"] == "L101"]
    assert refused == [
        ("info", "localhost resolves to 127.0.0.1, a loopback address: not requested (--allow-private allows it)"),
        ("info", "127.0.0.1 is a loopback address: not requested (--allow-private allows it)"),
    ]
    assert server.requests == []


def test_a_redirect_from_an_allowed_host_to_a_private_one_is_refused(check_online):
    inner = Server("127.0.0.2")
    outer = Server()
    try:
        outer.routes["/jump"] = (302, {"Location": f"{inner.base}/admin"}, b"")
        config = FAST + 'allow-private = ["127.0.0.1/32"]\n'
        _, found, _ = check_online(f"[a]({outer.base}/jump)\n", config=config)
        assert [d["message"] for d in found if d["code"] == "L101"] == [
            f"127.0.0.2 is a loopback address: not requested (--allow-private allows it) (after redirects to {inner.base}/admin)"
        ]
        assert outer.requests == [("HEAD", "/jump")] and inner.requests == []
    finally:
        inner.close()
        outer.close()


def test_soft_errors_accepted_statuses_and_user_agent(server, check_online):
    server.routes["/people/ada"] = (200, {}, b"<h1>Ada</h1>")
    server.routes["/people/bob"] = (200, {}, b"<h1>Sorry, page not found</h1>")
    server.routes["/bot-wall"] = (403, {}, b"")
    page = f"[a]({server.base}/people/ada)\n\n[b]({server.base}/people/bob)\n\n[c]({server.base}/bot-wall)\n"
    config = FAST + 'contact = "mailto:ada@example.org"\n[online.hosts."127.0.0.1"]\nsoft-error = ["page not found"]\n'
    _, found, _ = check_online(page, "--allow-private", config=config)
    assert [(d["line"], d["code"], d["severity"]) for d in found if d["code"] in ONLINE_CODES] == [
        (3, "L105", "warning"), (5, "L101", "info"),
    ]
    assert all(agent.startswith("pagelint/") and "mailto:ada@example.org" in agent for agent in server.user_agents)


def test_online_findings_follow_suppressions_severity_and_exclusions(server, check_online):
    page = (
        f"<!-- pagelint-disable-next-line dead-link -->\n[a]({server.base}/one)\n\n"
        f"[b]({server.base}/two)\n\n[c]({server.base}/skipped/x)\n"
    )
    config = FAST + f'exclude = ["{server.base}/skipped/*"]\n[severity]\nL101 = "error"\n'
    _, found, _ = check_online(page, "--allow-private", config=config)
    assert [(d["line"], d["code"], d["severity"]) for d in found if d["code"] in ONLINE_CODES] == [(4, "L101", "error")]
    assert ("GET", "/skipped/x") not in server.requests and ("HEAD", "/skipped/x") not in server.requests


def test_offline_flag_and_default_make_no_request(server, check_online, tmp_path, monkeypatch, capsys):
    (tmp_path / "page.md").write_text(f"[a]({server.base}/gone)\n", encoding="utf-8")
    (tmp_path / ".pagelint.toml").write_text("[online]\nenabled = true\n", encoding="utf-8")
    for args in (["--offline"], []):
        if not args:
            (tmp_path / ".pagelint.toml").write_text("", encoding="utf-8")
        code, out, err = run_cli(["check", *args, "--allow-private", "--format", "json", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        assert code in (0, 1), err
        assert not {d["code"] for d in json.loads(out)["diagnostics"]} & ONLINE_CODES
    assert server.requests == []
    _, found, _ = check_online(f"[a]({server.base}/gone)\n", "--allow-private")
    assert [(code, line) for code, line, _ in online_findings(found)] == [("L101", 1)] and server.requests


def test_offline_check_never_imports_httpx_httpcore_or_h2(tmp_path):
    (tmp_path / "page.md").write_text("[a](https://example.org/x)\n", encoding="utf-8")
    names = "('httpx', 'httpcore', 'h2', 'pagelint.online.transport.http2')"
    probe = (
        f"import sys; from pagelint.cli import main; main(['check', 'page.md']); print([n in sys.modules for n in {names}]);"
        f"import pagelint.online.checker; print([n in sys.modules for n in {names}])"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    offline, online = done.stdout.strip().splitlines()[-2:]
    assert offline == "[False, False, False, False]", done.stderr
    assert online.startswith("[True, True,")  # the control: the checker imports httpx and httpcore (and httpcore h2)


def test_an_online_run_whose_links_are_all_cached_never_imports_httpx(server, tmp_path):
    (tmp_path / "page.md").write_text(f"[a]({server.base}/gone)\n", encoding="utf-8")
    (tmp_path / ".pagelint.toml").write_text(FAST, encoding="utf-8")
    run = (
        "import contextlib, io, sys; from pagelint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):\n"
        "    main(['check', '--online', '--allow-private', '--jobs', '1', '--format', 'json', 'page.md'])\n"
        "print('L101' in out.getvalue(), 'httpx' in sys.modules)"
    )
    answers = [subprocess.run([sys.executable, "-c", run], cwd=tmp_path, capture_output=True, text=True, timeout=60) for _ in range(2)]
    assert [done.stdout.split()[-2:] for done in answers] == [["True", "True"], ["True", "False"]], answers[-1].stderr
    assert server.requests.count(("HEAD", "/gone")) == 1  # the second answer came from the cache


def test_online_rule_examples_against_a_local_server(server, check_online):
    """The documented bad example of each online rule is reported, the good one is not,
    with example.org served by the local server."""
    server.routes.update({
        "/talks/slides-2019.pdf": (200, {}, b""),
        "/old-group/": (301, {"Location": "/group/"}, b""),
        "/group/": (200, {}, b""),
        "/data.zip": (200, {}, b""),
        "/lab/": (200, {}, b""),
        "/people/ada": (200, {}, b"<h1>Ada</h1>"),
        "/people/former-student": (200, {}, b"<h1>Page not found</h1>"),
        "/notes.html": lambda handler, head: (405, {}, b"") if head else (200, {}, b'<a id="lemma-2"></a>'),
    })
    host = f"127.0.0.1:{server.port}"
    config = FAST + '[online.hosts."127.0.0.1"]\nsoft-error = ["page not found"]\n'
    for rule in ONLINE_RULES:
        if rule.code in ("L103", "L104"):
            continue  # a silent server and an https server: tested above and below
        for example, expected in ((rule.bad, True), (rule.good, False)):
            local = example.replace("https://example.org", f"http://{host}").replace("http://example.org", f"http://{host}")
            _, found, _ = check_online(local, "--allow-private", "--refresh", config=config)
            assert (rule.code in {d["code"] for d in found}) is expected, (rule.code, example, found)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_links_left_when_the_budget_runs_out_are_a_note_not_a_finding(silent_server, check_online, jobs):
    url, _ = silent_server
    config = FAST.replace("timeout = 0.5", "timeout = 5\nbudget = 0.2\nper-host = 2")
    page = "".join(f"[a]({url}/{index})\n" for index in range(5))  # two under way, three waiting
    _code, found, err = check_online(page, "--allow-private", "--jobs", jobs, config=config)
    assert not {d["code"] for d in found} & ONLINE_CODES
    assert "pagelint: note: 5 links not checked: the time budget (0.2 s) ran out" in err
    assert "Traceback" not in err and "Task exception" not in err


def test_parallel_run_reports_the_same_online_findings(server, check_online, monkeypatch):
    from pagelint.run import runner

    other = Server("127.0.0.3")  # a second host, for the second process
    try:
        pages = {f"p{index}.md": f"[x]({(server, other)[index % 2].base}/gone{index % 3})\n" for index in range(6)}
        serial = check_online("", "--allow-private", "--jobs", "1", files=pages)[1]
        monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 1)  # files checked in processes too
        parallel = check_online("", "--allow-private", "--jobs", "2", "--refresh", files=pages)[1]
        assert parallel == serial and len([d for d in serial if d["code"] == "L101"]) == 6
        assert len(other.requests) == 2 * 2 * 3  # HEAD and GET, two runs, three URLs: each once a run
    finally:
        other.close()


@pytest.fixture
def certificate(tmp_path):
    cert, key = make_certificate(tmp_path)
    return cert, server_context(cert, key)


@pytest.fixture
def ports(monkeypatch):
    """(address, port) -> the loopback port that answers in its place: the tests' servers
    cannot listen on ports 80 and 443, where L104 compares pages."""
    from pagelint.online.transport.streams import AsyncioBackend

    mapped: dict[tuple[str, int], int] = {}
    connect = AsyncioBackend.connect_tcp

    async def connect_mapped(self, host, port, *args, **kwargs):
        return await connect(self, host, mapped.get((host, port), port), *args, **kwargs)

    monkeypatch.setattr(AsyncioBackend, "connect_tcp", connect_mapped)
    return mapped


def test_https_available_when_the_https_form_answers_the_same(certificate, check_online, ports):
    cert, context = certificate
    with Server(tls=context) as server:
        over_tls = []

        def lab(handler, head):
            over_tls.append(isinstance(handler.connection, ssl.SSLSocket))
            return 200, {}, b"lab"

        server.routes["/lab/"] = lab
        server.routes["/plain-only"] = lambda handler, head: (404 if isinstance(handler.connection, ssl.SSLSocket) else 200, {}, b"")
        ports[("127.0.0.1", 80)] = ports[("127.0.0.1", 443)] = server.port
        page = (f"[a](http://127.0.0.1/lab/)\n\n[b](http://127.0.0.1:80/plain-only)\n\n[c]({server.base}/lab/)\n\n"
                "[d](http://127.0.0.1:80/lab/)\n")
        config = FAST + f'ca-bundle = "{cert}"\n'
        _, found, _ = check_online(page, "--allow-private", config=config)
        https = [(d["line"], d["fix"]) for d in found if d["code"] == "L104"]
        assert https == [
            (1, {"replacement": "https", "line": 1, "column": 5, "end_line": 1, "end_column": 9}),
            # https:// on port 80 would not answer: the port goes with the scheme
            (7, {"replacement": "https://127.0.0.1", "line": 7, "column": 5, "end_line": 7, "end_column": 24}),
        ]
        # The link on an explicit port other than 80 is not compared: two https:// requests, for lines 1 and 7.
        assert over_tls.count(True) == 2 and over_tls.count(False) == 3
        _, found, _ = check_online(page, "--allow-private", "--refresh")  # the certificate is not trusted
        assert not [d for d in found if d["code"] in ONLINE_CODES]


@pytest.mark.parametrize(
    ("url", "replacement", "end"),
    [("http://lab.example.org/a", "https", 4), ("  HTTP://lab.example.org:80/a", "https://lab.example.org", 27),
     ("http://lab.example.org:80?next=/a", "https://lab.example.org", 25), ("http://[2001:db8::1]:80", "https://[2001:db8::1]", 23)],
)
def test_the_https_fix_drops_an_explicit_port_80_with_the_scheme(url, replacement, end):
    from pagelint.diagnostics import LinkOccurrence
    from pagelint.online.session import _https_fix

    fix = _https_fix(LinkOccurrence(url, "a.md", (100, 100 + len(url)), (3, 10, 3, 10 + len(url)), frozenset({"L104"})))
    start = len(url) - len(url.lstrip())
    assert (fix.replacement, fix.start, fix.end, fix.column, fix.end_column) == (replacement, 100 + start, 100 + end, 10 + start, 10 + end)


@pytest.mark.parametrize("port_443", [Mute, NeverAccepts])
def test_a_host_whose_port_443_never_completes_a_handshake_has_no_https_and_no_dead_link(server, check_online, ports, port_443):
    """A port 443 that accepts and never speaks TLS, or drops packets: asked once for the
    host, within tls-timeout, however many of its links there are; the links are fine."""
    silent = port_443()
    try:
        for index in range(3):
            server.routes[f"/paper/{index}"] = (200, {}, b"a paper")
        ports[("127.0.0.1", 80)] = server.port
        ports[("127.0.0.1", 443)] = silent.port
        page = "".join(f"[p](http://127.0.0.1/paper/{index})\n\n" for index in range(3))
        config = FAST.replace("timeout = 0.5", "timeout = 30\ntls-timeout = 0.2")
        _, found, _ = check_online(page, "--allow-private", "--jobs", "1", config=config)
        assert not online_findings(found)
        assert sorted(server.requests) == [("HEAD", f"/paper/{index}") for index in range(3)]
        if isinstance(silent, Mute):
            assert len(silent.accepted) == 1  # one handshake for the host
    finally:
        silent.close()


@pytest.mark.parametrize("ttl_failure", [3600, 0])
def test_a_host_without_https_is_not_asked_again_while_its_verdict_lives(server, check_online, ports, ttl_failure):
    """The verdict "no https" is cached for the failures' time to live: for a link new to the
    second run, the host is asked again only once the verdict has expired."""
    mute = Mute()
    try:
        for index in range(2):
            server.routes[f"/paper/{index}"] = (200, {}, b"a paper")
        ports[("127.0.0.1", 80)] = server.port
        ports[("127.0.0.1", 443)] = mute.port
        config = FAST.replace("timeout = 0.5", "timeout = 30\ntls-timeout = 0.2") + f"ttl-failure = {ttl_failure}\n"
        check_online("[p](http://127.0.0.1/paper/0)\n", "--allow-private", "--jobs", "1", config=config)
        assert len(mute.accepted) == 1
        page = "[p](http://127.0.0.1/paper/0)\n\n[q](http://127.0.0.1/paper/1)\n"
        _, found, _ = check_online(page, "--allow-private", "--jobs", "1", config=config)
        assert not online_findings(found) and ("HEAD", "/paper/1") in server.requests
        assert len(mute.accepted) == (1 if ttl_failure else 2)
    finally:
        mute.close()


def test_tls_verdicts_are_cached_for_the_time_to_live_of_their_kind(certificate, check_online, ports, tmp_path):
    """ "https" lives as long as a working link (ttl-ok), "no https" as a failure (ttl-failure);
    a host that was not asked (a refused address) gets no verdict."""
    from pagelint.online.session import tls_key

    cert, context = certificate
    mute = Mute("127.0.0.2")
    try:
        with Server(tls=context) as server, Server("127.0.0.2") as plain:
            server.routes["/paper"] = plain.routes["/paper"] = (200, {}, b"a paper")
            ports[("127.0.0.1", 80)], ports[("127.0.0.2", 80)] = server.port, plain.port
            ports[("127.0.0.1", 443)], ports[("127.0.0.2", 443)] = server.port, mute.port
            config = FAST + f'ca-bundle = "{cert}"\ntls-timeout = 0.2\nttl-ok = 5000\nttl-failure = 3000\nallow-private = ["127.0.0.1/32", "127.0.0.2/32"]\n'
            page = "[a](http://127.0.0.1/paper)\n\n[b](http://127.0.0.2/paper)\n\n[c](http://10.1.2.3/paper)\n"
            _, found, _ = check_online(page, "--jobs", "1", config=config)
            assert [d["line"] for d in found if d["code"] == "L104"] == [1]
    finally:
        mute.close()
    with sqlite3.connect(tmp_path / ".pagelint-cache" / "links.sqlite") as cache:
        rows = dict(cache.execute("SELECT url, outcome FROM links WHERE url LIKE ?", (tls_key("%"),)))
        lives = dict(cache.execute("SELECT url, expires - ? FROM links", (time.time(),)))
    assert rows == {tls_key("127.0.0.1"): '{"serves_tls":true}', tls_key("127.0.0.2"): '{"serves_tls":false}'}
    assert 4900 < lives[tls_key("127.0.0.1")] <= 5000 and 2900 < lives[tls_key("127.0.0.2")] <= 3000


def test_cache_is_shared_by_concurrent_writers_and_survives_a_broken_file(tmp_path):
    from pagelint.online.cache import LinkCache

    first, second = LinkCache(tmp_path / "c" / "links.sqlite"), LinkCache(tmp_path / "c" / "links.sqlite")
    first.store("https://a.example.org/", {"kind": "ok"}, 60)
    second.store("https://b.example.org/", {"kind": "dead"}, 60)
    second.flush()
    first.flush()
    assert set(second.lookup(["https://a.example.org/", "https://b.example.org/"])) == {"https://a.example.org/", "https://b.example.org/"}
    first.close()
    second.close()
    assert (tmp_path / "c" / ".gitignore").read_text() == "*\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_broken_cache_is_started_afresh_with_a_note_and_progress_bar_runs(server, tmp_path, jobs):
    from pagelint.config import Settings
    from pagelint.diagnostics import LinkOccurrence, OnlineRun
    from pagelint.online.cache import LinkCache
    from pagelint.online.session import LinkSession

    (tmp_path / "not-a-database").write_text("garbage " * 100)
    settings = Settings(base=tmp_path, online=OnlineSettings(cache=str(tmp_path / "not-a-database"), retries=0))
    occurrence = LinkOccurrence(server.base + "/gone", "page.md", (4, 30), (1, 5, 1, 31), ONLINE_CODES)
    session = LinkSession(settings, None, OnlineRun(allow_private=True, progress=True, jobs=jobs))
    session.add([occurrence])
    found, notes, health = session.finish({"page.md": [occurrence]})
    assert [d.code for d in found] == ["L101"] and health == {"dead": 1, "redirected": 0, "ok": 0}
    assert len(notes) == 1 and "is broken (file is not a database)" in notes[0]
    assert set(LinkCache(tmp_path / "not-a-database").lookup([server.base + "/gone"])) == {server.base + "/gone"}


def test_unusable_cache_is_a_note(server, tmp_path):
    from pagelint.config import Settings
    from pagelint.diagnostics import LinkOccurrence, OnlineRun
    from pagelint.online.session import LinkSession

    (tmp_path / "a-folder").mkdir()
    settings = Settings(base=tmp_path, online=OnlineSettings(cache=str(tmp_path / "a-folder"), retries=0))
    occurrence = LinkOccurrence(server.base + "/gone", "page.md", (4, 30), (1, 5, 1, 31), ONLINE_CODES)
    session = LinkSession(settings, None, OnlineRun(allow_private=True))
    session.add([occurrence])
    found, notes, _ = session.finish({"page.md": [occurrence]})
    assert [d.code for d in found] == ["L101"]
    assert len(notes) == 1 and "not usable" in notes[0]


def test_check_with_a_broken_cache_prints_one_note_and_the_next_run_uses_the_new_cache(server, check_online, tmp_path):
    server.routes["/ok"] = (200, {}, b"fine")
    (tmp_path / ".pagelint-cache").mkdir()
    (tmp_path / ".pagelint-cache" / "links.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    page = f"[a]({server.base}/ok) [b]({server.base}/gone)\n"
    _, first, err = check_online(page, "--allow-private")
    assert err.splitlines() == [
        f"pagelint: note: link cache {tmp_path / '.pagelint-cache' / 'links.sqlite'} is broken (file is not a database): "
        "moved to links.sqlite.old and started afresh"
    ]
    seen = len(server.requests)
    _, second, err = check_online(page, "--allow-private")
    assert err == "" and len(server.requests) == seen and online_findings(second) == online_findings(first) != []


def test_fix_writes_permanent_redirect_targets_after_the_offline_fixes(server, check_online, tmp_path):
    server.routes["/old"] = (301, {"Location": "/new"}, b"")
    server.routes["/new"] = (200, {}, b"new")
    page = f"Read [this](({server.base}/new)) and [that]({server.base}/old#part).\n"
    _, found, _ = check_online(page, "--allow-private", "--fix")
    assert (tmp_path / "page.md").read_text() == f"Read [this]({server.base}/new) and [that]({server.base}/new#part).\n"
    assert not {d["code"] for d in found} & {"L001", "L102"}


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        ("http://[fe80::1]/", "refused", "fe80::1 is a link-local address"),
        ("http://0.0.0.0:9/", "refused", "0.0.0.0 is a private address"),
        ("http://[::ffff:127.0.0.1]/", "refused", "::ffff:127.0.0.1 is a loopback address"),
        ("http://224.0.0.1/", "refused", "224.0.0.1 is a multicast address"),
        ("http://100.64.1.1/", "refused", "100.64.1.1 is a private address"),
        ("http://10.1.2.3/", "refused", "10.1.2.3 is a private address"),
        ("http://256.1.1.1/", "dead", "invalid URL"),
        ("http://xn--zz.invalid/", "dead", "invalid URL"),
    ],
)
def test_addresses_that_are_never_requested_and_urls_that_cannot_be(url, kind, reason):
    async def no_wait(seconds):
        pass

    outcome = run_checker(url, OnlineSettings(retries=0), no_wait, allow_private=False)
    assert outcome.kind == kind and outcome.reason.startswith(reason)


class FakeDNS(dict):
    """name -> address, None for an unknown name, or SILENT for name servers that never answer;
    `asked` lists the names looked up."""

    SILENT = "silent"

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []


@pytest.fixture
def fake_dns(monkeypatch):
    """Host names of the tests resolve here, without a resolver."""
    names = FakeDNS()
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        names.asked.append(host)
        if host in names:
            if names[host] is None:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            if names[host] == FakeDNS.SILENT:
                time.sleep(1)  # what a resolver does when its queries are dropped, in short
                raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
            return real(names[host], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def test_a_public_name_resolving_to_a_private_address_is_refused_after_dns(server, check_online, fake_dns):
    fake_dns["lab.example.org"] = "127.0.0.1"
    fake_dns["gone.example.org"] = None
    server.routes["/"] = (200, {}, b"inside")
    page = f"[a](http://lab.example.org:{server.port}/)\n\n[b](http://gone.example.org/)\n"
    _, found, _ = check_online(page)
    assert [(d["line"], d["severity"], d["message"]) for d in found if d["code"] == "L101"] == [
        (1, "info", "lab.example.org resolves to 127.0.0.1, a loopback address: not requested (--allow-private allows it)"),
        (3, "warning", "dead link: host gone.example.org not found (Name or service not known)"),
    ]
    assert server.requests == []
    check_online(page, "--allow-private", "--refresh")
    assert server.requests == [("HEAD", "/")]  # the connection went to the address that was checked


def test_a_machine_without_network_gets_one_note_not_a_dead_link_per_url(server, check_online, fake_dns):
    fake_dns["papers.example.org"] = fake_dns["lab.example.edu"] = None
    server.routes["/1"] = server.routes["/2"] = (200, {}, b"a paper")
    page = f"[a](http://papers.example.org:{server.port}/1) [b](http://lab.example.edu:{server.port}/2)\n"
    code, found, err = check_online(page, "--allow-private")
    assert code == 0 and online_findings(found) == []
    assert "no host name could be resolved (2 hosts): this machine looks offline" in err
    fake_dns["papers.example.org"] = fake_dns["lab.example.edu"] = "127.0.0.1"  # back online
    code, found, err = check_online(page, "--allow-private")  # no failure was cached: both are requested
    assert code == 0 and online_findings(found) == [] and sorted(server.requests) == [("HEAD", "/1"), ("HEAD", "/2")]


def test_one_unknown_host_among_others_is_a_dead_link(check_online, fake_dns):
    fake_dns["gone.example.org"] = None
    fake_dns["lab.example.edu"] = "127.0.0.1"
    _, found, err = check_online("[a](https://gone.example.org/) [b](https://lab.example.edu/)\n")
    assert next(message for _, _, message in online_findings(found)).startswith("dead link: host gone.example.org not found")
    assert "offline" not in err


ONE_AT_A_TIME = FAST.replace("retries = 1", "retries = 0") + "per-host = 1\n"


def test_head_errors_confirmed_twice_by_get_are_believed_for_the_rest_of_the_host(server, check_online):
    page = "".join(f"[p{index}]({server.base}/moved/{index})\n\n" for index in range(5))
    _, found, _ = check_online(page, "--allow-private", config=ONE_AT_A_TIME)
    assert [code for code, _, _ in online_findings(found)] == ["L101"] * 5
    assert sorted(method for method, _ in server.requests) == ["GET", "GET"] + ["HEAD"] * 5


def test_a_host_that_answers_head_wrongly_is_asked_with_get(server, check_online):
    def get_only(handler, head):
        return (404, {}, b"") if head else (200, {}, b"a paper")

    for index in range(4):
        server.routes[f"/paper/{index}"] = get_only
    page = "".join(f"[p{index}]({server.base}/paper/{index})\n\n" for index in range(4))
    _, found, _ = check_online(page, "--allow-private", config=ONE_AT_A_TIME)
    assert online_findings(found) == []
    assert sorted(method for method, _ in server.requests) == ["GET"] * 4 + ["HEAD"]


def test_a_fragment_cited_after_its_page_was_read_is_looked_up_too(server, check_online):
    # Links are requested while the pages are checked: the page may be read for #methods
    # before another page cites #results. Both are decided, in this run and from the cache.
    def no_head(handler, head):
        return (405, {}, b"") if head else (200, {}, b'<h2 id="methods">Methods</h2>')

    server.routes["/paper"] = no_head
    pages = {"a.md": f"[a]({server.base}/paper#methods)\n", "b.md": f"[b]({server.base}/paper#results)\n"}
    for extra in ((), ("--refresh",), ()):
        _, found, _ = check_online("", "--allow-private", "--jobs", "1", *extra, files=pages)
        assert [(d["path"], d["code"]) for d in found if d["code"] in ONLINE_CODES] == [("b.md", "L106")]


class BlockedChecker:
    """For the scheduler: checks wait until their URL is released; records what is under
    way, the most under way at once per host, and the holds on hosts. Two a host at once."""

    def __init__(self):
        self.gates = {}
        self.under_way = []
        self.most = {}  # host -> most of its URLs under way at once
        self.most_in_all = 0
        self.holds = []

    def per_host(self, host):
        return 2

    def hold(self, host):
        self.holds.append(("hold", host))

    async def release(self, host):
        self.holds.append(("release", host))

    async def check(self, url, fragments, probe_https):
        from pagelint.online.outcome import Outcome

        host = url.split("/")[2]
        self.under_way.append(url)
        self.most[host] = max(self.most.get(host, 0), sum(u.split("/")[2] == host for u in self.under_way))
        self.most_in_all = max(self.most_in_all, len(self.under_way))
        await self.gates.setdefault(url, asyncio.Event()).wait()
        self.under_way.remove(url)
        return Outcome("ok")

    async def answer(self, urls):
        """Release the checks of `urls` one after another, letting the scheduler move."""
        for url in urls:
            await asyncio.sleep(0)
            self.gates.setdefault(url, asyncio.Event()).set()
            for _ in range(5):
                await asyncio.sleep(0)


def schedule(urls, limit, expect_first=None, answer_order=None):
    """Add `urls` to a scheduler of `limit` runners; the checks under way at first must be
    `expect_first` (if given); then all are answered (in `answer_order`, by default in order).
    Returns the checker and the positions done."""
    from pagelint.online.lanes import HostScheduler

    async def go():
        checker, done = BlockedChecker(), []
        scheduler = HostScheduler(checker, lambda url, outcome, position: done.append(position), limit=limit)
        for position, url in enumerate(urls):
            scheduler.add(url, frozenset(), False, position)
        await asyncio.sleep(0)
        if expect_first is not None:
            assert sorted(checker.under_way) == expect_first
        await checker.answer(answer_order or urls)
        await asyncio.wait_for(scheduler.finished(), 10)  # a bug would leave it waiting for ever
        return checker, done

    return asyncio.run(go())


def test_the_scheduler_keeps_per_host_limits_and_never_holds_a_host_behind_another():
    urls = [f"http://a.example/{index}" for index in range(6)] + ["http://b.example/0"]
    checker, done = schedule(urls, 3, ["http://a.example/0", "http://a.example/1", "http://b.example/0"])
    assert sorted(done) == list(range(7)) and checker.most == {"a.example": 2, "b.example": 1}
    assert sorted(checker.holds) == [("hold", "a.example"), ("hold", "b.example"), ("release", "a.example"), ("release", "b.example")]


@given(
    hosts=st.lists(st.sampled_from("abcd"), min_size=1, max_size=12),
    limit=st.integers(1, 4),
    order=st.randoms(use_true_random=False),
)
@settings(deadline=None)
def test_the_scheduler_checks_every_url_within_its_limits_whatever_the_order(hosts, limit, order):
    urls = [f"http://{host}.example/{index}" for index, host in enumerate(hosts)]
    answers = list(urls)
    order.shuffle(answers)
    checker, done = schedule(urls, limit, answer_order=answers)
    assert sorted(done) == list(range(len(urls)))
    assert all(most <= 2 for most in checker.most.values()) and checker.most_in_all <= limit
    holds = [host for action, host in checker.holds if action == "hold"]
    assert sorted(holds) == sorted(set(holds)) == sorted(host for action, host in checker.holds if action == "release")


def test_a_host_left_waiting_for_a_runner_may_be_done_before_one_is_free():
    # One runner in all: a.example's second URL waits for a second runner of its host, but
    # the first runner takes it itself; b.example waits behind, and gets the runner after.
    urls = ["http://a.example/0", "http://a.example/1", "http://b.example/0"]
    checker, done = schedule(urls, 1, ["http://a.example/0"])
    assert done == [0, 1, 2] and checker.most == {"a.example": 1, "b.example": 1}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_while_requesting_is_one_line(server, tmp_path, monkeypatch, capsys, jobs):
    from pagelint.online.checker import Checker

    async def broken(self, url, fragments=frozenset(), probe_https=True):
        raise ValueError("a bug")

    monkeypatch.setattr(Checker, "check", broken)
    (tmp_path / "page.md").write_text(f"[a]({server.base}/x)\n", encoding="utf-8")
    code, _, err = run_cli(["check", "--online", "--allow-private", "--jobs", jobs, "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "internal error" in err and "a bug" in err and "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_while_links_are_requested_stops_at_once(sigint_not_ignored, silent_server, tmp_path, jobs):
    """Requests under way (to a server that never answers) are dropped: one line, exit 2,
    no process left requesting."""
    import os
    import signal

    url, accepted = silent_server
    (tmp_path / "page.md").write_text("".join(f"[p]({url}/{index})\n" for index in range(20)), encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "pagelint", "check", "--online", "--allow-private", "--jobs", jobs, "."], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not accepted and time.monotonic() < deadline:  # requests are under way
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=30)  # the timeout is 10 s a request: an answer in 30 s is no wait for them
    assert run.returncode == 2 and err.decode() == "pagelint: interrupted\n"
    with pytest.raises(ProcessLookupError):
        os.killpg(run.pid, 0)  # nothing of the run is left


def test_a_name_is_looked_up_once_a_run_however_many_links_use_it(check_online, fake_dns):
    fake_dns["gone.example.org"] = None
    page = "".join(f"[p](https://gone.example.org/{index}) [q](https://lab.example.edu/{index})\n" for index in range(6))
    fake_dns["lab.example.edu"] = None
    check_online(page, "--jobs", "1")
    assert sorted(fake_dns.asked) == ["gone.example.org", "lab.example.edu"]


def test_name_servers_that_never_answer_make_a_machine_look_offline(check_online, fake_dns):
    fake_dns["papers.example.org"] = fake_dns["lab.example.edu"] = FakeDNS.SILENT
    page = "[a](https://papers.example.org/1) [b](https://lab.example.edu/2) [c](https://lab.example.edu/3)\n"
    code, found, err = check_online(page, config=QUICK_TIMEOUT)
    assert code == 0 and online_findings(found) == []
    assert "no host name could be resolved (2 hosts): this machine looks offline" in err


def test_a_machine_that_resolves_almost_no_name_gets_one_note_and_the_rest_is_checked(server, check_online, fake_dns):
    names = [f"site{index}.example.org" for index in range(9)]
    for name in names:
        fake_dns[name] = None
    page = "".join(f"[{name}](https://{name}/)\n\n" for name in names) + f"[gone]({server.base}/gone)\n"
    _code, found, err = check_online(page, "--allow-private")
    assert "9 of 10 host names could not be resolved" in err
    assert [(code, line) for code, line, _ in online_findings(found)] == [("L101", 19)]  # the server's dead link only
    for name in names[2:]:  # seven of nine names resolve now: the two others are dead links
        fake_dns[name] = "127.0.0.1"
    _, found, err = check_online(page.replace("https://", "http://").replace(".org/", f".org:{server.port}/"), "--allow-private")
    assert "could not be resolved" not in err
    assert sorted(message for _, _, message in online_findings(found) if "not found" in message) == [
        "dead link: host site0.example.org not found (Name or service not known)",
        "dead link: host site1.example.org not found (Name or service not known)",
    ]


def test_once_names_clearly_do_not_resolve_the_others_are_not_looked_up(server, check_online, fake_dns):
    from pagelint.online.transport.safety import LOOKUPS_AT_ONCE

    names = [f"site{index}.example.org" for index in range(60)]
    for name in names:
        fake_dns[name] = None
    page = "".join(f"[{name}](https://{name}/)\n\n" for name in names) + f"[gone]({server.base}/gone)\n"
    _, found, err = check_online(page, "--allow-private", "--jobs", "1")
    assert 20 <= len(fake_dns.asked) < 20 + LOOKUPS_AT_ONCE  # those under way when the twentieth failed
    assert "60 of 61 host names could not be resolved" in err
    assert [(code, line) for code, line, _ in online_findings(found)] == [("L101", 121)]


def test_report_online_shows_the_health_of_the_links(server, tmp_path, monkeypatch, capsys):
    server.routes["/ok"] = (200, {}, b"fine")
    (tmp_path / ".pagelint.toml").write_text(FAST, encoding="utf-8")
    (tmp_path / "page.md").write_text(f"[a]({server.base}/ok) [b]({server.base}/gone)\n", encoding="utf-8")
    code, _, err = run_cli(["report", "--online", "--allow-private", "-o", "report.html", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert code == 0, err
    assert "Link health (checked online)" in html and 'dead</th><td class="num">1<' in html and 'ok</th><td class="num">1<' in html


@pytest.mark.parametrize(
    ("soft", "hard", "allowed", "raised"),
    [
        (1024, 4096, 256, []),  # enough already
        (256, 10240, 256, [320]),  # macOS: raised as far as needed
        (256, 256, 192, []),  # cannot be raised: fewer connections, not dead links
        (40, 40, 1, []),
    ],
)
def test_connections_stay_within_the_limit_of_open_files(monkeypatch, soft, hard, allowed, raised):
    import resource

    from pagelint.online.session import connections_allowed

    calls = []
    monkeypatch.setattr(resource, "getrlimit", lambda which: (soft, hard))
    monkeypatch.setattr(resource, "setrlimit", lambda which, limits: calls.append(limits[0]))
    assert connections_allowed(256) == allowed and calls == raised


def test_over_http2_a_private_address_is_refused_on_the_first_hop_and_after_redirects(tmp_path, check_online):
    pytest.importorskip("h2")
    cert, key = make_certificate(tmp_path)
    outer = Http2Server("127.0.0.1", server_context(cert, key, alpn=["h2"]))
    inner = Http2Server("127.0.0.2", server_context(cert, key, alpn=["h2"]))
    try:
        outer.routes["/paper"] = (200, {})
        outer.routes["/jump"] = (302, {"location": "/hop"})
        outer.routes["/hop"] = (301, {"location": f"{inner.base}/admin"})
        config = FAST + f'ca-bundle = "{cert}"\n'
        page = f"[a]({outer.base}/paper)\n\n[b]({outer.base}/jump)\n"
        _, found, _ = check_online(page, config=config)
        assert [d["severity"] for d in found if d["code"] == "L101"] == ["info", "info"]
        assert outer.connections == inner.connections == 0  # the first hop: nothing reached either
        _, found, _ = check_online(page, "--refresh", config=config + 'allow-private = ["127.0.0.1/32"]\n')
        assert [(d["line"], d["message"]) for d in found if d["code"] == "L101"] == [
            (3, f"127.0.0.2 is a loopback address: not requested (--allow-private allows it) (after redirects to {inner.base}/admin)")
        ]
        assert sorted(outer.requests) == [("HEAD", "/hop"), ("HEAD", "/jump"), ("HEAD", "/paper")]  # spoken over HTTP/2
        assert inner.connections == 0  # the redirect's hop to it was refused
    finally:
        outer.close()
        inner.close()


def test_the_http2_pool_is_handed_the_guarded_backend_through_its_public_argument():
    pytest.importorskip("h2")
    from pagelint.online.checker import Checker

    async def go():
        async with Checker(OnlineSettings()) as checker:
            assert checker.http2 is not None
            transport = checker.http2.make_pool("example.org")
            return transport.pool, checker.backend

    pool, backend = asyncio.run(go())
    assert pool._network_backend is backend  # read here only, to prove what the constructor did


class ProbingChecker(BlockedChecker):
    """Its https:// comparisons wait until `compared` is set."""

    def __init__(self):
        super().__init__()
        self.compared = asyncio.Event()

    async def probe_https(self, url, outcome):
        await self.compared.wait()
        outcome.https = True


def test_an_https_comparison_never_holds_up_the_other_links_of_its_host():
    from pagelint.online.lanes import HostScheduler

    async def go():
        checker, done = ProbingChecker(), []
        scheduler = HostScheduler(checker, lambda url, outcome, position: done.append((position, outcome.https)), limit=8)
        urls = [f"http://a.example/{index}" for index in range(5)]
        for position, url in enumerate(urls):
            scheduler.add(url, frozenset(), True, position)
        await checker.answer(urls)
        checked_while_comparing, reported_while_comparing = len(checker.gates), list(done)
        checker.compared.set()
        await asyncio.wait_for(scheduler.finished(), 10)
        return checker, checked_while_comparing, reported_while_comparing, done

    checker, checked, reported, done = asyncio.run(go())
    assert checked == 5 and checker.under_way == [] and reported == []  # every link checked, none waiting on a comparison
    assert sorted(done) == [(index, True) for index in range(5)]
    holds = [action for action, _ in checker.holds]
    assert holds.count("hold") == holds.count("release") == 6  # the host, and each comparison beside it


def test_redirects_to_other_schemes_and_past_the_limit_are_dead(server):
    server.routes["/mail"] = (302, {"Location": "mailto:someone@example.org"}, b"")
    for index in range(4):
        server.routes[f"/hop{index}"] = (302, {"Location": f"/hop{index + 1}"}, b"")

    async def no_wait(seconds):
        pass

    mail = run_checker(server.base + "/mail", OnlineSettings(retries=0), no_wait)
    assert (mail.kind, mail.reason) == ("dead", "redirects to mailto:someone@example.org, which is not http(s)")
    far = run_checker(server.base + "/hop0", OnlineSettings(retries=0, max_redirects=3), no_wait)
    assert (far.kind, far.reason) == ("dead", "more than 3 redirects")
    assert server.requests.count(("HEAD", "/hop3")) == 1 and ("HEAD", "/hop4") not in server.requests


@pytest.mark.parametrize(
    ("url", "https"),
    [
        ("http://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org:80/a", "https://example.org/a"),
        ("http://[2001:db8::1]:80/", "https://[2001:db8::1]/"),
        ("http://example.org:8080/a", None),
        ("http://example.org:bad/a", None),
        ("https://example.org/a", None),
    ],
)
def test_the_https_form_is_compared_only_where_it_can_mean_something(url, https):
    from pagelint.online.checker import https_form

    assert https_form(url) == https


@pytest.mark.parametrize(("slowest", "deadline"), [(None, 3.0), (0.01, 1.0), (0.5, 2.0), (2.0, 3.0)])
def test_the_handshake_deadline_follows_the_host_slowest_answer_within_tls_timeout(slowest, deadline):
    from pagelint.online.checker import Checker

    checker = Checker(OnlineSettings(tls_timeout=3.0))
    if slowest is not None:
        checker.slowest_answer["lab.example.org"] = slowest
    assert checker._handshake_deadline("lab.example.org") == deadline


def test_an_https_origin_choosing_http11_in_its_handshake_never_reaches_the_http2_pool(certificate):
    """HTTP/2 is offered in every handshake (h2 installed); a server that picks HTTP/1.1 is
    asked over the HTTP/1.1 transport alone, its connection kept for the next request."""
    pytest.importorskip("h2")
    from pagelint.online.checker import Checker

    cert, context = certificate
    with Server(tls=context) as server:
        server.routes["/a"] = server.routes["/b"] = (200, {}, b"a page")
        base = f"https://127.0.0.1:{server.port}"

        async def go():
            async with Checker(OnlineSettings(ca_bundle=str(cert)), allow_private=True) as checker:
                checker.hold("127.0.0.1")  # more URLs to come: its connections stay open
                first = await checker.check(base + "/a", probe_https=False)
                second = await checker.check(base + "/b", probe_https=False)
                kept = [len(connections) for connections in checker.http1.idle.values()]
                return first, second, len(checker.http2.pools), checker.http2_origins, kept

        first, second, pools, http2_origins, kept = asyncio.run(go())
    assert first.kind == second.kind == "ok"
    assert pools == 0 and http2_origins == set()
    assert kept == [1]  # one connection carried both


def test_a_doi_style_chain_from_http_to_https_is_followed_and_only_permanent_leads_are_fixes(certificate, check_online):
    """302 (http://) to https://, then a relative 301, then 200: the link works and, its first
    hop being temporary, is no permanent redirect; a chain of 301s from the start is one."""
    cert, context = certificate
    with Server(tls=context) as server:
        secure = f"https://127.0.0.1:{server.port}"
        server.routes["/doi/10.1/x"] = (302, {"Location": f"{secure}/landing"}, b"")
        server.routes["/landing"] = (301, {"Location": "/article/x"}, b"")
        server.routes["/moved"] = (301, {"Location": f"{secure}/landing"}, b"")
        server.routes["/article/x"] = (200, {}, b"the article")
        page = f"[a]({server.base}/doi/10.1/x)\n\n[b]({server.base}/moved)\n"
        _, found, _ = check_online(page, "--allow-private", config=FAST + f'ca-bundle = "{cert}"\n')
        assert online_findings(found) == [("L102", 3, f"permanent redirect to {secure}/article/x")]
        assert server.requests.count(("HEAD", "/article/x")) == 2
