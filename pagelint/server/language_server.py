"""The Language Server Protocol server over stdio (pygls): diagnostics pushed on open, change
(debounced) and save and answered when pulled, quick fixes and a fix-all action that make
the same edits as `check --fix`, and a hover that explains the rule."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.server import LanguageServer
from pygls.uris import to_fs_path

from pagelint import __version__
from pagelint.config import ConfigError
from pagelint.diagnostics import Diagnostic, Severity
from pagelint.rules import find_rule
from pagelint.server import positions
from pagelint.server.state import WorkspaceState

logger = logging.getLogger(__name__)

PARENT_POLL_SECONDS = 2.0
FIX_ALL_KIND = f"{lsp.CodeActionKind.SourceFixAll.value}.pagelint"
RULES_URL = "https://github.com/pagelint/pagelint#rules"
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning, Severity.INFO: lsp.DiagnosticSeverity.Information,
}


class PagelintProtocol(LanguageServerProtocol):
    @lsp_method(lsp.INITIALIZE)
    def lsp_initialize(self, params: lsp.InitializeParams) -> lsp.InitializeResult:
        # pygls applies incremental changes in the encoding it negotiates, and would take
        # UTF-8 when the client offers only that, which its codec miscounts: offer it ours.
        general = params.capabilities.general
        if general is not None:
            general.position_encodings = [lsp.PositionEncodingKind(positions.choose_encoding(general.position_encodings))]
        return super().lsp_initialize(params)


class PagelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("pagelint", __version__, protocol_cls=PagelintProtocol, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.state: WorkspaceState | None = None
        self.encoding = positions.UTF16
        self.push = True  # diagnostics are pushed to clients that do not pull them
        # One thread checks, so the linter's caches need no lock, and the loop stays free
        # to read the newest change (and shutdown) while a check runs.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagelint-check")
        # Changes are coalesced: a change while its document is being checked waits for that
        # check, then the newest text is checked once (the result of the older one is dropped).
        self.checking: dict[str, asyncio.Task] = {}
        self.changed_meanwhile: set[str] = set()
        self.results: dict[str, tuple[int | None, list[Diagnostic]]] = {}  # by URI: the version checked, its findings
        self.uris: dict[Path, str] = {}  # of the open documents, as the client wrote them
        self._shown_errors: set[str] = set()

    async def run_in_worker(self, call: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.worker, call, *args)

    def workspace_state(self) -> WorkspaceState:
        if self.state is None:
            root = self.workspace.root_path
            self.state = WorkspaceState(Path(root) if root else None)
        return self.state

    # Checking ----------------------------------------------------------------------

    async def check(self, uri: str) -> list[Diagnostic] | None:
        """Check the document as it is now and publish what changed; None where a newer
        version came in meanwhile (its own check will publish)."""
        if uri not in self.workspace.text_documents:  # closed meanwhile
            return None
        document = self.workspace.get_text_document(uri)
        path = path_of(uri)
        self.uris[path] = uri
        version, text = document.version, document.source
        try:
            changed = await self.run_in_worker(self.workspace_state().open, path, text)
        except ConfigError as exc:
            self.tell_once(f"pagelint: configuration error: {exc}")
            changed = {path: []}
        except Exception as exc:  # a bug must not end the editor's session
            logger.exception("checking %s", path)
            self.tell_once(f"pagelint: internal error on {path.name}: {exc!r}")
            return None
        if uri not in self.workspace.text_documents or self.workspace.get_text_document(uri).version != version:
            return None  # closed, or stale: the newer text's check publishes
        self.publish_changed(changed)
        self.results[uri] = (version, changed[path])
        return changed[path]

    def publish_changed(self, changed: dict[Path, list[Diagnostic]]) -> None:
        """Publish the findings of the open documents among `changed` (their findings known
        before are stale: code actions and hovers check them again)."""
        for path, found in changed.items():
            uri = self.uris.get(path)
            if uri is not None:
                self.results.pop(uri, None)
                self.publish(uri, found)

    def publish(self, uri: str, found: list[Diagnostic]) -> None:
        if not self.push:
            return
        document = self.workspace.get_text_document(uri)
        lines = positions.lines_of(document.source)
        self.publish_diagnostics(uri, [self.to_lsp(diagnostic, lines) for diagnostic in found], document.version)

    def schedule(self, uri: str) -> None:
        """Check `uri` now, or after the check of it under way, of the text as it is then."""
        if uri in self.checking:
            self.changed_meanwhile.add(uri)
            return

        async def until_unchanged() -> None:
            try:
                await self.check(uri)
                while uri in self.changed_meanwhile:
                    self.changed_meanwhile.discard(uri)
                    await self.check(uri)
            finally:
                self.checking.pop(uri, None)

        self.checking[uri] = asyncio.ensure_future(until_unchanged())

    async def findings(self, uri: str) -> list[Diagnostic]:
        """The findings of the document's current version (checked now if they are not known)."""
        version = self.workspace.get_text_document(uri).version
        known = self.results.get(uri)
        if known is not None and known[0] == version:
            return known[1]
        return await self.check(uri) or []

    def tell_once(self, message: str) -> None:
        if message not in self._shown_errors:
            self._shown_errors.add(message)
            self.show_message(message, lsp.MessageType.Error)

    # Conversions -------------------------------------------------------------------

    def to_lsp(self, diagnostic: Diagnostic, lines: list[str]) -> lsp.Diagnostic:
        return lsp.Diagnostic(
            range=self.range(lines, diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column),
            message=f"[{diagnostic.name}] {diagnostic.message}",
            severity=_SEVERITY[diagnostic.severity],
            code=diagnostic.code,
            code_description=lsp.CodeDescription(href=f"{RULES_URL}-{diagnostic.code.lower()}"),
            source="pagelint",
        )

    def range(self, lines: list[str], line: int, column: int, end_line: int, end_column: int) -> lsp.Range:
        return lsp.Range(self.position(lines, line, column), self.position(lines, end_line, end_column))

    def position(self, lines: list[str], line: int, column: int) -> lsp.Position:
        """A 1-based line and code point column as the client counts."""
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return lsp.Position(line - 1, positions.to_client(text, column - 1, self.encoding))

    def contains(self, lines: list[str], diagnostic: Diagnostic, where: lsp.Range) -> bool:
        """Whether the diagnostic's range meets `where` (a cursor or a selection)."""
        found = self.range(lines, diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column)
        return (found.start.line, found.start.character) <= (where.end.line, where.end.character) and (
            where.start.line, where.start.character
        ) <= (found.end.line, found.end.character)


def path_of(uri: str) -> Path:
    """The file a document is, or for an unsaved one (no file), a name in no folder of a site."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path).absolute() if path else Path("/", uri.rsplit("/", 1)[-1] or "untitled")


def build() -> PagelintServer:
    server = PagelintServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        general = params.capabilities.general
        server.encoding = positions.choose_encoding(general.position_encodings if general else None)
        text_document = params.capabilities.text_document
        server.push = text_document is None or text_document.diagnostic is None
        if params.process_id is not None:
            # A daemon thread, not a task of the event loop: a task still sleeping when the
            # loop closes on `exit` is reported as "destroyed but pending".
            threading.Thread(target=exit_after, args=(params.process_id,), name="pagelint-watchdog", daemon=True).start()

    @server.feature(lsp.INITIALIZED)
    async def initialized(params: lsp.InitializedParams) -> None:
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is not None and watched.dynamic_registration:
            # every file: a page's change may change a site-wide finding; configurations refresh all
            options = lsp.DidChangeWatchedFilesRegistrationOptions(watchers=[lsp.FileSystemWatcher(glob_pattern="**/*")])
            registration = lsp.Registration("pagelint-files", lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
            await server.register_capability_async(lsp.RegistrationParams([registration]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        await server.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        await file_changed([path_of(params.text_document.uri)])
        await server.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.results.pop(uri, None)
        server.uris.pop(path_of(uri), None)
        server.changed_meanwhile.discard(uri)
        server.publish_diagnostics(uri, [])
        await publish_changed(server.workspace_state().close, path_of(uri))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
        await file_changed([path_of(change.uri) for change in params.changes])

    async def file_changed(paths: list[Path]) -> None:
        for path in paths:
            await publish_changed(server.workspace_state().file_changed, path)

    async def publish_changed(call: Any, path: Path) -> None:
        try:
            changed = await server.run_in_worker(call, path)
        except ConfigError as exc:
            server.tell_once(f"pagelint: configuration error: {exc}")
            return
        server.publish_changed(changed)

    @server.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, lsp.DiagnosticOptions(inter_file_dependencies=True, workspace_diagnostics=False))
    async def diagnostic(params: lsp.DocumentDiagnosticParams) -> lsp.FullDocumentDiagnosticReport:
        uri = params.text_document.uri
        lines = positions.lines_of(server.workspace.get_text_document(uri).source)
        return lsp.FullDocumentDiagnosticReport(items=[server.to_lsp(found, lines) for found in await server.findings(uri)])

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        document = server.workspace.get_text_document(uri)
        lines = positions.lines_of(document.source)
        actions = []
        if wanted(params.context, lsp.CodeActionKind.QuickFix.value):
            for found in await server.findings(uri):
                if found.fix is not None and server.contains(lines, found, params.range):
                    actions.append(quick_fix(uri, lines, found, document.version))
        if wanted(params.context, FIX_ALL_KIND):
            fixed = await server.run_in_worker(server.workspace_state().fixed, path_of(uri), document.source)
            if fixed is not None and fixed != document.source:
                end = server.position(lines, len(lines), len(lines[-1]) + 1)
                edit = lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), fixed)
                title = "Fix all pagelint findings (safe fixes)"
                actions.append(lsp.CodeAction(title, kind=FIX_ALL_KIND, edit=workspace_edit(uri, document.version, [edit])))
        return actions

    def quick_fix(uri: str, lines: list[str], found: Diagnostic, version: int | None) -> lsp.CodeAction:
        fix = found.fix
        assert fix is not None
        edit = lsp.TextEdit(server.range(lines, fix.line, fix.column, fix.end_line, fix.end_column), fix.replacement)
        title = f"{found.code}: replace with {fix.replacement!r}" if fix.replacement else f"{found.code}: remove it"
        return lsp.CodeAction(
            title if fix.safe else f"{title} (unsafe: a guess, check it)",
            kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[server.to_lsp(found, lines)],
            is_preferred=fix.safe,
            edit=workspace_edit(uri, version, [edit]),
        )

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        lines = positions.lines_of(server.workspace.get_text_document(uri).source)
        here = lsp.Range(params.position, params.position)
        explained = [explanation(found) for found in await server.findings(uri) if server.contains(lines, found, here)]
        if not explained:
            return None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, "\n\n---\n\n".join(dict.fromkeys(explained))))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(params: None) -> None:
        for running in server.checking.values():
            running.cancel()
        server.worker.shutdown(wait=False, cancel_futures=True)

    return server


def exit_after(client_process: int) -> None:
    """Exit when the editor's process is gone, even if it left our standard input open."""
    time.sleep(PARENT_POLL_SECONDS)  # first let `initialize` be answered, as the client waits for that
    while process_exists(client_process):
        time.sleep(PARENT_POLL_SECONDS)
    logger.warning("the client (process %d) is gone: exiting", client_process)
    os._exit(1)  # the stdin reader thread is blocked in a read that nothing will end


def process_exists(process: int) -> bool:
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, another user's
        return True
    return True


def wanted(context: lsp.CodeActionContext, kind: str) -> bool:
    """Whether the client asks for actions of `kind` (`source` asks for `source.fixAll.pagelint`)."""
    return context.only is None or any(kind.startswith(getattr(asked, "value", asked)) for asked in context.only)


def workspace_edit(uri: str, version: int | None, edits: list[lsp.TextEdit | lsp.AnnotatedTextEdit]) -> lsp.WorkspaceEdit:
    identifier = lsp.OptionalVersionedTextDocumentIdentifier(uri, version)
    return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(identifier, edits)])


def explanation(found: Diagnostic) -> str:
    """The rule's rationale with its bad and good example, as `pagelint rule CODE` shows them."""
    rule = find_rule(found.code)
    if rule is None:
        return f"**{found.code}** {found.name}"
    return (
        f"**{rule.code} {rule.name}**: {rule.summary}\n\n{rule.rationale}\n\n"
        f"Bad:\n\n```markdown\n{rule.bad.rstrip()}\n```\n\nGood:\n\n```markdown\n{rule.good.rstrip()}\n```"
    )


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="pagelint server: %(message)s")  # stderr: stdout is the protocol's
    build().start_io()
    return 0
