"""A whole run: discover the files, check them (in a pool of processes when there are many),
finish the site rules, and with `--online` the links requested meanwhile."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from pagelint.diagnostics import Diagnostic, RunResult, Target
from pagelint.run import fixer
from pagelint.run.linter import Linter
from pagelint.run.one_file import check_file, not_written
from pagelint.run.options import RunOptions
from pagelint.run.pool import check_in_pool

PARALLEL_THRESHOLD = 200  # below this many files, starting processes costs more than it saves


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def stdin_target(options: RunOptions) -> Target:
    name = options.stdin_filename or "-"
    return Target(Path(name), name)


def run(linter: Linter, paths: list[str], options: RunOptions, stdin: bytes | Diagnostic | None = None, jobs: int = 1) -> RunResult:
    """Check (and with `fix`/`diff`, fix) every target; `stdin` is the content for `-` (or
    why it was not read: see `Linter.read_stream`).

    With `jobs` > 1 and many files, files are checked in a pool of processes; the output is
    the same, in the same order, whatever the number of processes."""
    result = RunResult()
    linter.collect_links = options.online is not None
    links = None
    if options.online is not None:  # links are requested while the pages are checked
        from pagelint.online.session import LinkSession

        given = Path(paths[0] if paths != ["-"] else options.stdin_filename or "-")
        settings = linter.settings_for(given / "_" if given.is_dir() else given)
        site = linter.sites.site_for(given / "_" if given.is_dir() else given)
        links = LinkSession(settings, site.root if site else None, options.online)
        linter.on_links = links.add
    try:
        if paths == ["-"]:
            check_file(linter, stdin_target(options), stdin or b"", options, result)
        else:
            targets = linter.discover(paths)
            first = list(itertools.islice(targets, PARALLEL_THRESHOLD)) if jobs > 1 else []
            if len(first) == PARALLEL_THRESHOLD:
                check_in_pool(linter, itertools.chain(first, targets), options, jobs, result)
            else:
                for target in itertools.chain(first, targets):
                    check_file(linter, target, None, options, result)
        result.diagnostics.extend(linter.finish_site_rules())
        if result.unpublished:
            result.notes.append(_unpublished_note(result))
        if links is not None:
            found, notes, result.link_health = links.finish(linter.link_occurrences)
    except BaseException:  # Ctrl-C, an internal error: no request is left under way
        if links is not None:
            links.stop()
        raise
    if links is not None:
        if options.fix and paths != ["-"]:
            found = _fix_online(linter, found, options, result)
        result.diagnostics.extend(found)
        result.notes.extend(notes)
    return result


def _fix_online(linter: Linter, found: list[Diagnostic], options: RunOptions, result: RunResult) -> list[Diagnostic]:
    """Apply the online rules' fixes (a permanent redirect's target, `https`) to the files,
    which already hold the offline fixes: the links' offsets were taken from that text.
    A file's display path is its path from here (stdin is not fixed). Returns the findings left."""
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        if diagnostic.fix is not None and (diagnostic.fix.safe or options.unsafe_fixes):
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
    applied: set[Diagnostic] = set()
    for path, diagnostics in by_path.items():
        target = Target(Path(path), path)
        try:
            raw, read_as = fixer.read_with_state(target.path, linter.settings_for(target.path).max_file_size)
            doc = linter.load(target, raw)
            edits = [
                edit for edit in fixer.select_edits(diagnostics, options.unsafe_fixes)
                if doc.text[edit.start : edit.end].lower().startswith("http")  # the link is still where it was
            ]
            if edits:
                fixer.write_fix(target.path, fixer.encode(fixer.apply_edits(doc.text, edits), doc.has_bom, doc.newline), read_as, options.started_ns)
        except (OSError, fixer.FileChanged) as exc:
            linter.internal_errors.append(f"{path}: {not_written(exc)}")
            continue
        done = {id(edit) for edit in edits}
        applied.update(diagnostic for diagnostic in diagnostics if id(diagnostic.fix) in done)
    result.fixed += len(applied)
    return [diagnostic for diagnostic in found if diagnostic not in applied]


def _unpublished_note(result: RunResult) -> str:
    assert result.first_unpublished is not None
    path, why = result.first_unpublished
    if result.unpublished == 1:
        what = f"{path} is not published by its site ({why}): not checked"
    else:
        what = f"{result.unpublished} files are not published by their site (such as {path}: {why}): not checked"
    return f"{what}; `--unpublished` checks them as plain pages"
