"""`pagelint server` end to end: a pytest-lsp client drives the real server over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from pagelint.server import positions  # noqa: E402

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
SERVER = [sys.executable, "-m", "pagelint", "server"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(SITE, tmp_path / "site")
    return tmp_path / "site"


def capabilities(encodings: list[str] | None = None) -> lsp.ClientCapabilities:
    general = lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind(name) for name in encodings]) if encodings else None
    return lsp.ClientCapabilities(general=general)


async def start(client: LanguageClient, root: Path, encodings: list[str] | None = None) -> None:
    await client.initialize_session(lsp.InitializeParams(capabilities=capabilities(encodings), root_uri=root.as_uri()))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, site: Path):
    await start(lsp_client, site)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def utf32_client(lsp_client: LanguageClient, site: Path):
    await start(lsp_client, site, ["utf-32", "utf-16"])
    yield
    await lsp_client.shutdown_session()


async def published(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    """The diagnostics the server publishes next for `uri` (cleared before the action that publishes)."""
    for _ in range(6000):  # a guard against a hang, not a timed assertion
        if uri in client.diagnostics:
            return client.diagnostics[uri]
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics were published for {uri}")


async def open_page(client: LanguageClient, path: Path, text: str | None = None) -> list[lsp.Diagnostic]:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    if text is None:
        text = path.read_bytes().decode("utf-8", "surrogateescape")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "markdown", 1, text)))
    return await published(client, uri)


async def change(client: LanguageClient, path: Path, text: str, version: int) -> list[lsp.Diagnostic]:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    whole = lsp.TextDocumentContentChangeEvent_Type2(text=text)
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(version, uri), [whole]))
    return await published(client, uri)


def codes(found: list[lsp.Diagnostic]) -> list[str]:
    return sorted(str(diagnostic.code) for diagnostic in found)


def check_json(*args: str, cwd: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "pagelint", "check", "--format", "json", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["diagnostics"]


def as_lsp_range(finding: dict, text: str, encoding: str) -> tuple[int, int, int, int]:
    lines = positions.lines_of(text)
    def at(line: int, column: int) -> tuple[int, int]:
        return line - 1, positions.to_client(lines[line - 1] if line <= len(lines) else "", column - 1, encoding)
    return (*at(finding["line"], finding["column"]), *at(finding["end_line"], finding["end_column"]))


def lsp_range(diagnostic: lsp.Diagnostic) -> tuple[int, int, int, int]:
    return diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character


def test_positions_count_utf16_units_beyond_the_basic_plane():
    line = "😀 中𠀀 <font>"  # an emoji and a CJK extension B character: two UTF-16 units each
    column = line.index("<")
    assert positions.to_client(line, column, positions.UTF16) == column + 2
    assert positions.to_client(line, column, positions.UTF32) == column
    assert code_point_column(line, column + 2) == column
    assert positions.choose_encoding(["utf-8", "utf-16"]) == positions.UTF16
    assert positions.choose_encoding(["utf-8", "utf-32"]) == positions.UTF32
    assert positions.choose_encoding(None) == positions.UTF16


@pytest.mark.asyncio
async def test_every_page_of_the_example_site_as_check_reports_it(client: LanguageClient, site: Path):
    expected: dict[str, list] = {}
    for finding in check_json(".", cwd=site):
        expected.setdefault(finding["path"], []).append(finding)
    assert len(expected) >= 3  # the site's deliberate defects are in several pages
    for display, findings in expected.items():
        path = site / display
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        found = await open_page(client, path, text)
        want = sorted((f["code"], as_lsp_range(f, text, positions.UTF16)) for f in findings)
        assert sorted((str(d.code), lsp_range(d)) for d in found) == want, display
        assert all(d.source == "pagelint" and d.code_description is not None for d in found)


@pytest.mark.asyncio
async def test_a_finding_after_astral_characters_lands_on_its_utf16_character(client: LanguageClient, site: Path):
    text = "---\ntitle: Notes\n---\n\n😀𠀀 See <font>this</font>.\n"
    found = [d for d in await open_page(client, site / "_pages" / "notes.md", text) if d.code == "M001"]
    assert found and found[0].range.start.line == 4
    assert found[0].range.start.character == len("😀𠀀 See ") + 2


@pytest.mark.asyncio
async def test_a_utf32_client_gets_code_point_columns(utf32_client: LanguageClient, site: Path):
    text = "---\ntitle: Notes\n---\n\n😀𠀀 See <font>this</font>.\n"
    found = [d for d in await open_page(utf32_client, site / "_pages" / "notes.md", text) if d.code == "M001"]
    assert found and found[0].range.start.character == len("😀𠀀 See ")


@pytest.mark.asyncio
async def test_change_publishes_the_newest_text_and_save_rechecks(client: LanguageClient, site: Path):
    path = site / "_pages" / "notes.md"
    clean = "---\ntitle: Notes\n---\n\nA page.\n"
    assert "M001" not in codes(await open_page(client, path, clean))
    client.diagnostics.pop(path.as_uri(), None)
    for version, body in enumerate(("A <font>", "A <font>page</font>.", "A <center>page</center>."), start=2):
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, path.as_uri()), [lsp.TextDocumentContentChangeEvent_Type2(text=f"---\ntitle: Notes\n---\n\n{body}\n")]
        ))
    def newest(found: list[lsp.Diagnostic]) -> bool:
        return any("center" in d.message for d in found if d.code == "M001") and not any("font" in d.message for d in found)

    for _ in range(6000):  # an older text's findings may come first, if they were current when done
        if newest(client.diagnostics.get(path.as_uri(), [])):
            break
        await asyncio.sleep(0.01)
    await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(path.as_uri()), lsp.Position(0, 0)))
    assert newest(client.diagnostics[path.as_uri()])  # and none of an older text came after
    assert "M001" not in codes(await change(client, path, clean, 5))
    path.write_text(clean, encoding="utf-8")
    client.diagnostics.pop(path.as_uri(), None)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(path.as_uri())))
    assert "M001" not in codes(await published(client, path.as_uri()))


@pytest.mark.asyncio
async def test_pull_diagnostics_answer_as_pushed(client: LanguageClient, site: Path):
    path = site / "_pages" / "about.md"
    pushed = await open_page(client, path)
    report = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(path.as_uri())))
    assert pushed and sorted((str(d.code), lsp_range(d)) for d in report.items) == sorted((str(d.code), lsp_range(d)) for d in pushed)


@pytest.mark.asyncio
async def test_the_fix_all_action_gives_the_text_of_check_fix(client: LanguageClient, site: Path, tmp_path: Path):
    path = site / "_pages" / "about.md"
    text = path.read_text("utf-8")
    await open_page(client, path, text)
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(path.as_uri()), lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
        lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
    ))
    fix_all = [action for action in actions or [] if isinstance(action, lsp.CodeAction) and action.kind == "source.fixAll.pagelint"]
    assert len(fix_all) == 1
    edited = apply(text, fix_all[0])
    fixed_copy = tmp_path / "fixed"
    shutil.copytree(SITE, fixed_copy)
    subprocess.run([sys.executable, "-m", "pagelint", "check", "--fix", "_pages/about.md"], cwd=fixed_copy, capture_output=True, timeout=300)
    assert edited != text and edited == (fixed_copy / "_pages" / "about.md").read_text("utf-8")


@pytest.mark.asyncio
async def test_a_quick_fix_makes_the_edit_of_its_finding(client: LanguageClient, site: Path):
    path = site / "_pages" / "notes.md"
    text = "---\ntitle: Notes\n---\n\n😀 Read ``the paper''.\n"
    found = [d for d in await open_page(client, path, text) if d.code == "T003"]
    assert found
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(path.as_uri()), found[0].range, lsp.CodeActionContext(diagnostics=found, only=[lsp.CodeActionKind.QuickFix]),
    ))
    quick = [action for action in actions or [] if isinstance(action, lsp.CodeAction) and action.kind == lsp.CodeActionKind.QuickFix]
    assert quick and all(action.title.startswith("T003") for action in quick)
    assert apply(text, quick[0]).endswith("Read “the paper”.\n")


def code_point_column(line: str, units: int) -> int:
    """The code point column of a UTF-16 `character` offset, as a client computes it."""
    return len(line.encode("utf-16-le")[: units * 2].decode("utf-16-le"))


def apply(text: str, action: lsp.CodeAction) -> str:
    """The text with the action's edits made, as a UTF-16 client makes them (last edit first)."""
    assert action.edit is not None and action.edit.document_changes
    lines = positions.lines_of(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    def offset(position: lsp.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        return starts[position.line] + code_point_column(lines[position.line], position.character)
    edits = [edit for change in action.edit.document_changes for edit in change.edits]  # type: ignore[union-attr]
    for edit in sorted(edits, key=lambda edit: offset(edit.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.mark.asyncio
async def test_hover_explains_the_rule_with_its_examples(client: LanguageClient, site: Path):
    path = site / "_pages" / "notes.md"
    found = [d for d in await open_page(client, path, "---\ntitle: Notes\n---\n\nSee <font>this</font>.\n") if d.code == "M001"]
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(path.as_uri()), found[0].range.start))
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "M001 deprecated-html" in hover.contents.value and "Bad:" in hover.contents.value and "Good:" in hover.contents.value
    nowhere = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(path.as_uri()), lsp.Position(0, 0)))
    assert nowhere is None


@pytest.mark.asyncio
async def test_bad_input_gives_diagnostics_and_the_server_lives_on(client: LanguageClient, site: Path):
    pages = site / "_pages"
    assert "E002" in codes(await open_page(client, pages / "latin1.md", b"---\ntitle: Caf\xe9\n---\n\nCaf\xe9.\n".decode("utf-8", "surrogateescape")))
    assert "F002" in codes(await open_page(client, pages / "unclosed.md", "---\ntitle: Notes\n\nNo closing line.\n"))
    assert codes(await open_page(client, pages / "image.md", "PNG\x00\x00\x01binary")) == ["E902"]
    huge = "---\ntitle: Huge\n---\n\n" + ("A line of text that goes on.\n" * 700_000)  # 20 MB
    assert len(huge.encode()) > 20_000_000
    assert codes(await open_page(client, pages / "huge.md", huge)) == ["E901"]
    still = await open_page(client, pages / "after.md", "---\ntitle: After\n---\n\nSee <font>this</font>.\n")
    assert "M001" in codes(still)


@pytest.mark.asyncio
async def test_a_page_outside_any_site(client: LanguageClient, tmp_path: Path):
    loose = tmp_path / "loose"
    loose.mkdir()
    assert "M001" in codes(await open_page(client, loose / "notes.md", "# Notes\n\nSee <font>this</font>.\n"))


@pytest.mark.asyncio
async def test_shutdown_and_exit_end_the_server(site: Path):
    client = await ClientServerConfig(server_command=SERVER).start()
    await start(client, site)
    await client.shutdown_session()
    assert client._server is not None and client._server.returncode == 0
    await client.stop()


def framed(*messages: dict) -> bytes:
    bodies = [json.dumps({"jsonrpc": "2.0", **message}).encode() for message in messages]
    return b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(body), body) for body in bodies)


def test_a_client_that_watches_its_process_gets_a_clean_exit(site: Path):
    session = framed(
        {"id": 1, "method": "initialize", "params": {"processId": os.getpid(), "rootUri": site.as_uri(), "capabilities": {}}},
        {"method": "initialized", "params": {}},
        {"id": 2, "method": "shutdown"},
        {"method": "exit"},
    )
    done = subprocess.run(SERVER, input=session, capture_output=True, timeout=60)
    assert done.returncode == 0
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout  # shutdown was answered
    assert b"pending" not in done.stderr, done.stderr.decode()


def test_the_server_exits_when_its_client_disappears():
    server = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert server.stdin is not None
    server.stdin.close()
    assert server.wait(timeout=60) is not None


@pytest.mark.asyncio
async def test_the_server_exits_when_its_client_process_is_gone(site: Path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    client = await ClientServerConfig(server_command=SERVER).start()
    await client.initialize_session(lsp.InitializeParams(capabilities=capabilities(), root_uri=site.as_uri(), process_id=gone.pid))
    assert client._server is not None
    await asyncio.wait_for(client._server.wait(), timeout=120)  # a guard against a hang
    assert client._server.returncode == 1
    await client.stop()


def test_check_never_imports_the_servers_libraries(tmp_path: Path):
    (tmp_path / "page.md").write_text("See <font>this</font>.\n", encoding="utf-8")
    probe = "import sys; from pagelint.cli import main; main(['check', 'page.md']); print(sorted(m for m in ('pygls', 'lsprotocol', 'pagelint.server') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
    control = subprocess.run([sys.executable, "-c", "import sys; import pagelint.server.language_server; print('pygls' in sys.modules)"], capture_output=True, text=True, timeout=60)
    assert control.stdout.strip() == "True", control.stderr


def test_without_pygls_the_server_command_says_what_to_install():
    probe = "import sys; sys.modules['pygls'] = None; from pagelint.cli import main; sys.exit(main(['server']))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "pagelint[server]" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.asyncio
async def test_an_unsafe_quick_fix_says_it_is_a_guess(client: LanguageClient, site: Path):
    path = site / "_pages" / "notes.md"
    found = [d for d in await open_page(client, path, '---\ntitle: Notes\npaperurl: ""\n---\n\nText.\n') if d.code == "F006"]
    assert found
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(path.as_uri()), found[0].range, lsp.CodeActionContext(diagnostics=found),
    ))
    quick = [action for action in actions or [] if isinstance(action, lsp.CodeAction) and action.kind == lsp.CodeActionKind.QuickFix]
    assert quick and all("unsafe" in action.title and not action.is_preferred for action in quick)


@pytest.mark.asyncio
async def test_site_wide_rules_see_unsaved_buffers_over_the_files_on_disk(client: LanguageClient, site: Path):
    path = site / "_pages" / "copy.md"  # not on disk: only in the editor
    assert "J005" in codes(await open_page(client, path, "---\ntitle: Copy\npermalink: /\n---\n\nA copy of the home page.\n"))
    assert "J005" not in codes(await change(client, path, "---\ntitle: Copy\npermalink: /copy/\n---\n\nA copy of the home page.\n", 2))


@pytest.mark.asyncio
async def test_a_saved_configuration_rechecks_the_open_pages(client: LanguageClient, site: Path):
    path = site / "_pages" / "notes.md"
    assert "M001" in codes(await open_page(client, path, "---\ntitle: Notes\n---\n\nSee <font>this</font>.\n"))
    configuration = site / ".pagelint.toml"
    configuration.write_text('ignore = ["M001"]\n', encoding="utf-8")
    client.diagnostics.pop(path.as_uri(), None)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(configuration.as_uri())))
    assert "M001" not in codes(await published(client, path.as_uri()))
    configuration.write_text('ignore = ["M001"\n', encoding="utf-8")  # broken: said, and the server lives on
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(configuration.as_uri())))
    for _ in range(6000):
        if any("configuration error" in message.message for message in client.messages):
            break
        await asyncio.sleep(0.01)
    assert any("configuration error" in message.message for message in client.messages)
    configuration.unlink()
    client.diagnostics.pop(path.as_uri(), None)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(configuration.as_uri())))
    assert "M001" in codes(await published(client, path.as_uri()))
