"""What a checked site and its configuration can make pagelint read or reach: schema files and
their `$ref`s stay inside the site, and nothing but `check --online` opens a connection."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

SITE = {"_config.yml": "title: T\ninclude: [_pages]\n", "a.md": "---\ntitle: 3.5\n---\nNo links here.\n"}


class CountingServer:
    """A loopback HTTP server that counts every connection made to it (TLS and other
    protocols included) and answers each GET with a schema that makes `title` a string."""

    SERVED = b'{"type": "string", "description": "served by the loopback server"}'

    def __init__(self):
        self.connections = 0
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(counter.SERVED)))
                self.end_headers()
                self.wfile.write(counter.SERVED)

            do_HEAD = do_GET

        class Counting(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request, client_address):
                counter.connections += 1
                return True

        self.httpd = Counting(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def counting_server():
    started = CountingServer()
    yield started
    started.close()


@pytest.fixture
def site_folder(tmp_path):
    """The folder of the site; the rest of `tmp_path` is outside it."""
    (tmp_path / "site").mkdir()
    return tmp_path / "site"


@pytest.fixture
def site(site_folder, monkeypatch, capsys):
    """Write a site (a `.pagelint.toml` with `[schemas]` among its files) and check it:
    (exit code, stdout, stderr)."""

    def _check(files: dict[str, str], *args: str):
        for name, content in {**SITE, **files}.items():
            (site_folder / name).parent.mkdir(parents=True, exist_ok=True)
            (site_folder / name).write_text(content, encoding="utf-8")
        return run_cli(["check", "--format", "json", "--select", "F004", *args, "."], cwd=site_folder, monkeypatch=monkeypatch, capsys=capsys)

    return _check


def schemas_table(schema_file: str = "s.json") -> str:
    return f'[schemas]\n"*.md" = "{schema_file}"\n[online]\ntimeout = 0.5\nretries = 0\n'


def title_ref(ref: str) -> str:
    return json.dumps({"type": "object", "properties": {"title": {"$ref": ref}}})


def messages(out: str) -> list[str]:
    return [d["message"] for d in json.loads(out)["diagnostics"]]


def assert_one_line_config_error(code: int, err: str, *names: str):
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("pagelint: configuration error: "), err
    for name in names:
        assert name in err, err


# Remote references ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "https", "ftp", "network-path"])
@pytest.mark.parametrize("mode", [[], ["--offline"], ["--online", "--allow-private"]], ids=["default", "offline", "online"])
def test_a_remote_ref_is_a_config_error_and_nothing_reaches_the_server(site, counting_server, scheme, mode):
    address = f"127.0.0.1:{counting_server.port}/x.json"
    ref = f"//{address}" if scheme == "network-path" else f"{scheme}://{address}"
    code, out, err = site({".pagelint.toml": schemas_table(), "s.json": title_ref(ref)}, *mode)
    assert_one_line_config_error(code, err, "s.json", "remote")
    assert "served by the loopback server" not in out + err
    assert counting_server.connections == 0


def test_the_counting_server_sees_what_online_checking_requests(site, counting_server):
    """The control of the test above: a link to the server on the page is requested."""
    page = f"---\ntitle: x\n---\n<http://127.0.0.1:{counting_server.port}/page>\n"
    code, _, err = site({".pagelint.toml": schemas_table(), "s.json": title_ref("#/$defs/title"), "a.md": page}, "--online", "--allow-private")
    assert_one_line_config_error(code, err, "s.json", "$defs/title")  # the schemas are checked before any page
    assert counting_server.connections == 0
    code, _, err = site({"s.json": '{"type": "object"}', "a.md": page}, "--online", "--allow-private", "--extend-select", "L1")
    assert code in (0, 1), err
    assert counting_server.connections > 0


def test_a_remote_ref_in_a_referenced_file_names_that_file(site, counting_server):
    files = {
        ".pagelint.toml": schemas_table(),
        "s.json": title_ref("defs/title.json"),
        "defs/title.json": json.dumps({"$ref": f"http://127.0.0.1:{counting_server.port}/x.json"}),
    }
    code, _, err = site(files)
    assert_one_line_config_error(code, err, "title.json", "remote")
    assert counting_server.connections == 0


def test_the_validator_itself_never_fetches_a_remote_ref(tmp_path, counting_server):
    """Past the configuration's check (a schema changed during the run), the registry still refuses."""
    from pagelint.model.schemas import SchemaFile, user_schema, validator

    (tmp_path / "s.json").write_text(title_ref(f"http://127.0.0.1:{counting_server.port}/x.json"))
    schema_file = SchemaFile(str(tmp_path / "s.json"), str(tmp_path))
    with pytest.raises(Exception, match="Unresolvable"):
        list(validator(schema_file, user_schema(schema_file)).iter_errors({"title": 3}))
    assert counting_server.connections == 0


# Local references ----------------------------------------------------------------------


def test_local_refs_resolve_by_relative_path_file_uri_and_shipped_id(site, site_folder):
    defs = json.dumps({"$defs": {"title": {"type": "string", "description": "the person's name"}}})
    files = {".pagelint.toml": schemas_table("schemas/s.json"), "schemas/defs.json": defs}
    for ref in ("defs.json#/$defs/title", (site_folder / "schemas/defs.json").as_uri() + "#/$defs/title"):
        code, out, err = site({**files, "schemas/s.json": title_ref(ref)})
        assert code == 1, err
        assert messages(out) == ["`title` should be a string, not a number (the person's name)"]
    shipped = json.dumps({"$ref": "https://pagelint.dev/schemas/academicpages-page.schema.json"})
    code, out, err = site({**files, "schemas/s.json": shipped})
    assert code == 1, err
    assert messages(out)[0].startswith("`title` should be a string, not a number")


def test_a_recursive_schema_is_not_a_cycle(site):
    tree = {"type": "object", "properties": {"title": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}}}}
    code, out, err = site({".pagelint.toml": schemas_table(), "s.json": json.dumps(tree), "a.md": "---\ntitle: x\nchildren: [{title: 3.5}]\n---\n"})
    assert code == 1, err
    assert messages(out) == ["`children[0].title` should be a string, not a number"]


@pytest.mark.parametrize(
    "files, names",
    [
        ({"s.json": title_ref("../outside.json")}, ["s.json", "outside.json", "outside"]),
        ({"s.json": title_ref("/etc/passwd")}, ["s.json", "/etc/passwd", "outside"]),
        ({"s.json": title_ref("missing.json")}, ["s.json", "missing.json"]),
        ({"s.json": title_ref("#/$defs/nowhere")}, ["s.json", "#/$defs/nowhere"]),
        ({"s.json": json.dumps({"$ref": "b.json"}), "b.json": json.dumps({"$ref": "s.json"})}, ["b.json", "cycle"]),
        ({"s.json": json.dumps({"anyOf": [{"type": "string"}, {"$ref": "#"}]})}, ["s.json", "cycle"]),
        ({"s.json": title_ref("bad.json"), "bad.json": '{\n  "type": "string",\n}\n'}, ["bad.json:3:", "JSON"]),
    ],
    ids=["parent-folder", "absolute-path", "missing-file", "pointer-to-nowhere", "cycle-across-files", "cycle-in-place", "invalid-json"],
)
def test_a_bad_local_ref_is_a_one_line_config_error(site, tmp_path, files, names):
    (tmp_path / "outside.json").write_text('{"type": "string"}')
    code, _, err = site({".pagelint.toml": schemas_table(), **files})
    assert_one_line_config_error(code, err, *names)


# The `[schemas]` table ------------------------------------------------------------------


@pytest.mark.parametrize("where", ["absolute", "parent-folders", "symlink"])
def test_a_schema_file_outside_the_site_is_a_config_error_naming_the_key(site, site_folder, tmp_path, where):
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"type": "object"}')
    path = {"absolute": str(outside), "parent-folders": "../elsewhere.json", "symlink": "linked.json"}[where]
    if where == "symlink":
        (site_folder / "linked.json").symlink_to(outside)
    code, _, err = site({".pagelint.toml": f'[schemas]\n"_people/*.md" = "{path}"\n'})
    assert_one_line_config_error(code, err, "schemas._people/*.md", "outside")


def test_a_schema_file_in_the_site_above_the_configuration_is_allowed(site):
    files = {"_pages/.pagelint.toml": '[schemas]\n"*.md" = "../schemas/s.json"\n', "schemas/s.json": '{"properties": {"title": {"type": "string"}}}',
             "_pages/a.md": "---\ntitle: 3.5\n---\n", "a.md": "---\ntitle: ok\n---\n"}
    code, out, err = site(files)
    assert code == 1, err
    assert messages(out) == ["`title` should be a string, not a number"]


def test_schema_files_are_read_up_to_a_limit_and_json_errors_name_the_line(site):
    code, _, err = site({".pagelint.toml": schemas_table(), "s.json": '{"description": "' + "x" * 1_000_000 + '"}'})
    assert_one_line_config_error(code, err, "schemas.*.md", "s.json", "1 MB")
    code, _, err = site({"s.json": '{\n  "type": "object",\n  "required": ["title"\n}\n'})
    assert_one_line_config_error(code, err, "schemas.*.md", "s.json:4:", "JSON")


def test_schemas_come_only_from_the_checked_schemas_table(site, site_folder, tmp_path):
    (tmp_path / "elsewhere.json").write_text('{"type": "object"}')
    config = f'[rules.F004]\nschemas = {{"{site_folder}/*" = "{tmp_path / "elsewhere.json"}"}}\n'
    code, _, err = site({".pagelint.toml": config})
    assert_one_line_config_error(code, err, "schemas")


# No connection outside `check --online` -------------------------------------------------

NETWORK_MODULES = frozenset({
    "socket", "ssl", "asyncio", "http.client", "urllib.request", "httpx", "httpcore", "h11", "requests", "aiohttp", "ftplib",
    "smtplib", "xmlrpc.client", "webbrowser",
})
PACKAGE = ROOT / "pagelint"


def network_uses(path) -> list[str]:
    """`file:line: what` for each import of a network module (and each `urlopen`) in a file."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name in NETWORK_MODULES]
        elif isinstance(node, ast.ImportFrom):
            names = [name for name in (node.module, *(f"{node.module}.{alias.name}" for alias in node.names)) if name in NETWORK_MODULES]
        elif isinstance(node, ast.Name | ast.Attribute):
            names = [name for name in (getattr(node, "id", None), getattr(node, "attr", None)) if name == "urlopen"]
        else:
            continue
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in names]
    return found


def test_only_the_online_checker_imports_network_modules():
    outside = [path for path in sorted(PACKAGE.rglob("*.py")) if not path.is_relative_to(PACKAGE / "online")]
    # The language server runs its protocol's event loop (asyncio) over stdio, and nothing else:
    # pygls's socket transports are never started.
    stdio_loop = {f"{path.relative_to(ROOT)}:{line}: asyncio" for path in outside if path.is_relative_to(PACKAGE / "server")
                  for line, text in enumerate(path.read_text("utf-8").splitlines(), start=1) if text == "import asyncio"}
    assert outside and [use for path in outside for use in network_uses(path) if use not in stdio_loop] == []
    server = [path.read_text("utf-8") for path in sorted((PACKAGE / "server").rglob("*.py"))]
    assert any("start_io()" in source for source in server) and not any("start_tcp" in source or "start_ws" in source for source in server)
    # The control: the same search does find the online checker's own
    inside = [use for path in sorted((PACKAGE / "online").rglob("*.py")) for use in network_uses(path)]
    assert any(use.endswith(": socket") for use in inside) and any(use.endswith(": httpcore") for use in inside)


LINKS_PAGE = """---
title: Every kind of link
paperurl: https://example.org/paper.pdf
slidesurl: http://example.com/slides.pdf
---
[https](https://example.org/a) [http](http://example.com/b) [mail](mailto:ada@example.org) [tel](tel:+15551234)
[ftp](ftp://ftp.example.org/x) [protocol-relative](//cdn.example.org/x.js) [relative](/about/) [anchor](#top)
<http://localhost:4000/> <https://192.168.1.1/admin> [idn](https://bücher.example/) [doi](https://doi.org/10.1000/182)
![image](https://images.example.org/a.png) [by reference][r] <a href="https://example.net/html">html</a>
<img src="http://example.net/i.png"> [missing](/no/such/page/) [file](files/cv.pdf) [raw ip](http://[::1]:8080/)

[r]: https://example.org/reference
"""


def refuse_network(patch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of opening a connection or resolving a name raise; returns the calls made."""
    calls = []

    def refuse(name):
        def refused(*args, **kwargs):
            calls.append(name)
            raise OSError(f"{name} called during a test that allows no network")

        return refused

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "create_connection"), (socket, "getaddrinfo")):
        patch.setattr(owner, name, refuse(name))
    return calls


def findings(folder, monkeypatch, capsys, *args):
    code, out, err = run_cli(["check", "--format", "json", *args, "."], cwd=folder, monkeypatch=monkeypatch, capsys=capsys)
    assert code in (0, 1) and "internal error" not in err, err
    return sorted((d["path"], d["line"], d["column"], d["code"]) for d in json.loads(out)["diagnostics"])


@pytest.mark.parametrize("pool", [False, True], ids=["one-process", "pool"])
def test_an_offline_check_opens_no_connection_and_finds_what_it_always_finds(tmp_path, monkeypatch, capsys, pool):
    from pagelint.run import runner

    if pool:  # the workers are forked with the network refused, as the test's own process
        monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    jobs = "2" if pool else "1"
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "links.md").write_text(LINKS_PAGE, encoding="utf-8")
    expected = {folder: findings(folder, monkeypatch, capsys, "--select", "ALL", "--jobs", jobs) for folder in (FIXTURES / "site", tmp_path)}
    assert all(expected.values())
    calls = refuse_network(monkeypatch)
    for folder, found in expected.items():
        assert findings(folder, monkeypatch, capsys, "--select", "ALL", "--jobs", jobs) == found
    assert calls == []


def test_the_refused_network_stops_an_online_check(tmp_path, monkeypatch, capsys, counting_server):
    """The control of the test above: `check --online` does try to connect, and is refused."""
    no_network = refuse_network(monkeypatch)
    (tmp_path / "page.md").write_text(f"<http://127.0.0.1:{counting_server.port}/page>\n")
    (tmp_path / ".pagelint.toml").write_text("[online]\ntimeout = 0.5\nretries = 0\n")
    code, out, err = run_cli(["check", "--format", "json", "--online", "--allow-private", "--jobs", "1", "."], cwd=tmp_path,
                             monkeypatch=monkeypatch, capsys=capsys)
    assert no_network and counting_server.connections == 0
    assert "L101" in [d["code"] for d in json.loads(out)["diagnostics"]], err
