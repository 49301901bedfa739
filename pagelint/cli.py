"""Command line: `pagelint check`, `report`, `init`, `rule`, `rules`, `words` and `server`.

Exit codes: 0 nothing at or above the fail level, 1 something is, 2 usage, configuration
or internal error. Nothing here raises a traceback at the user unless `--debug` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from pagelint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMAT_CHOICES = ("text", "json", "github", "sarif", "junit", "gitlab")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pagelint", description="Lint academic homepages written in Markdown (Jekyll sites)."
    )
    parser.add_argument("--version", action="version", version=f"pagelint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files and folders (default: .)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders; - reads stdin")
    check.add_argument("--stdin-filename", help="the name of the file read from stdin (for its site and kind)")
    _add_run_arguments(check)
    check.add_argument("--format", choices=FORMAT_CHOICES, default="text", help="output format (default: text)")
    check.add_argument("--fail-on", choices=("error", "warning", "info", "never"), help="lowest severity that fails the run (default: warning)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes whose intent is a guess")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--show-source", action="store_true", help="print the offending line under each finding")
    check.add_argument("--no-color", action="store_true", help="never colour the output (also: NO_COLOR)")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.set_defaults(handler=_check)

    site_report = commands.add_parser("report", help="a site report: an HTML file with -o, else a summary")
    site_report.add_argument("paths", nargs="?", default=".", metavar="SITE", help="the site's folder (default: .)")
    site_report.add_argument("--output", "-o", type=Path, metavar="FILE", help="write a self-contained HTML report here")
    _add_run_arguments(site_report)
    site_report.add_argument("--no-color", action="store_true", help="never colour the summary (also: NO_COLOR)")
    site_report.set_defaults(handler=_report)

    init = commands.add_parser("init", help="write a commented .pagelint.toml for the site here")
    init.add_argument("site", nargs="?", default=".", type=Path, metavar="SITE", help="the site's folder (default: .)")
    init.add_argument("--force", action="store_true", help="replace an existing .pagelint.toml")
    init.set_defaults(handler=_init)

    rule = commands.add_parser("rule", help="explain a rule")
    rule.add_argument("rule", metavar="CODE|NAME")
    rule.set_defaults(handler=_explain)

    commands.add_parser("rules", help="list every rule").set_defaults(handler=_list_rules)

    server = commands.add_parser("server", help="a language server over stdio, for editors (needs the `server` extra)")
    server.set_defaults(handler=_serve)

    words = commands.add_parser("words", help="the site word list (.pagelint-words.txt) of the dictionary check")
    words.add_argument("--add-unknown", action="store_true", required=True, help="add the words S006 reports now")
    words.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders (default: .)")
    words.add_argument("--config", type=Path, help="use this configuration file instead of discovering one")
    words.set_defaults(handler=_add_unknown_words)
    return parser


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="use this configuration file instead of discovering one")
    parser.add_argument("--select", type=_codes, help="rules to run instead of the defaults (codes, prefixes, names)")
    parser.add_argument("--ignore", type=_codes, default=[], help="rules not to run")
    parser.add_argument("--extend-select", type=_codes, default=[], help="rules to run in addition")
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help=(
        "processes to check files in (default: one per core, up to 8, for 200 files or more) and, with --online, to request links from"
    ))
    online = parser.add_mutually_exclusive_group()
    online.add_argument("--online", action="store_true", help="also request every external link (dead links, redirects, timeouts)")
    online.add_argument("--offline", action="store_true", help="never request links, even with `online.enabled` in the configuration")
    parser.add_argument("--refresh", action="store_true", help="with --online: request every link again, ignoring the cache")
    parser.add_argument("--allow-private", action="store_true", help="with --online: also request loopback and private addresses")
    parser.add_argument(
        "--unpublished", action="store_true",
        help="also check files the site does not publish (excluded, drafts, `published: false`), as plain pages",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:
        return EXIT_ERROR if exit_request.code not in (0, None) else EXIT_CLEAN
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("pagelint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:  # an internal error: one line, not a traceback
        if getattr(args, "debug", False):
            raise
        print(f"pagelint: internal error: {exc!r} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_ERROR


def _lint(args, paths: list[str], options, stdin: BinaryIO | None = None) -> tuple | int:
    """Run the rules as the command line asks: (linter, result, fail_on, what was read from
    `stdin`: its bytes, or the finding that it was too large), or an exit code."""
    from pagelint.config import ConfigError, rules_matching
    from pagelint.diagnostics import OnlineRun
    from pagelint.run.discovery import UsageError
    from pagelint.run.linter import Linter
    from pagelint.run.runner import default_jobs, run, stdin_target

    for selectors in (args.select or [], args.ignore, args.extend_select):
        unknown = [selector for selector in selectors if not rules_matching(selector)]
        if unknown:
            print(f"pagelint: error: unknown rule or category {unknown[0]!r}", file=sys.stderr)
            return EXIT_ERROR
    overrides = {"select": args.select, "ignore": args.ignore, "extend_select": args.extend_select, "fail_on": getattr(args, "fail_on", None)}
    linter = Linter(overrides, args.config)
    linter.debug = args.debug
    try:
        first = Path(paths[0]) if paths != ["-"] else Path(options.stdin_filename or "stdin")
        settings = linter.settings_for(first / "_" if first.is_dir() else first)
        jobs = args.jobs if args.jobs is not None else default_jobs()
        if jobs < 1:
            print("pagelint: error: --jobs must be at least 1", file=sys.stderr)
            return EXIT_ERROR
        if (getattr(args, "online", False) or settings.online.enabled) and not getattr(args, "offline", True):
            progress = getattr(args, "format", "text") == "text" and not getattr(args, "quiet", False) and sys.stderr.isatty()
            online = OnlineRun(refresh=args.refresh, allow_private=args.allow_private, progress=progress, jobs=jobs)
            options = replace(options, online=online)
        raw = linter.read_stream(stdin, stdin_target(options)) if stdin is not None else None
        result = run(linter, paths, replace(options, unpublished=args.unpublished), raw, jobs)
        fail_on = settings.fail_on
    except ConfigError as exc:
        _tell(f"pagelint: configuration error: {exc}")
        return EXIT_ERROR
    except UsageError as exc:
        _tell(f"pagelint: error: {exc}")
        return EXIT_ERROR
    return linter, result, fail_on, raw


def _tell(line: str) -> None:
    """A line for the user on stderr, with the control characters of the file names and
    messages it quotes shown, not sent."""
    from pagelint.reporters.terminal import visible

    print(visible(line), file=sys.stderr)


def _print_notes(linter, result) -> bool:
    """The run's notes and internal errors on stderr; True when there were internal errors."""
    for note in result.notes:
        _tell(f"pagelint: note: {note}")
    for message in linter.internal_errors:
        _tell(f"pagelint: {message}")
    return bool(linter.internal_errors)


def _check(args) -> int:
    from pagelint.diagnostics import Diagnostic, Severity
    from pagelint.reporters import ReportOptions, report
    from pagelint.run.options import RunOptions

    if args.paths == ["-"] and args.fix and args.format != "text":
        print("pagelint: error: --fix with stdin prints the fixed text; use --format text", file=sys.stderr)
        return EXIT_ERROR
    options = RunOptions(
        fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff, keep_sources=args.show_source,
        keep_checked=args.format == "junit", stdin_filename=args.stdin_filename,
    )
    outcome = _lint(args, args.paths, options, sys.stdin.buffer if args.paths == ["-"] else None)
    if isinstance(outcome, int):
        return outcome
    linter, result, fail_on, stdin = outcome

    if args.paths == ["-"] and args.fix:
        if isinstance(stdin, Diagnostic):  # not all of it was read: nothing can be printed in its place
            print(f"pagelint: error: {stdin.path}: {stdin.message}", file=sys.stderr)
            return EXIT_ERROR
        sys.stdout.write(result.diffs[0] if result.diffs else stdin.decode("utf-8", "surrogateescape"))
        return EXIT_CLEAN
    if args.diff:
        for diff in result.diffs:
            sys.stdout.write(diff)
        return EXIT_FINDINGS if result.diffs else EXIT_CLEAN

    color = (
        args.format == "text" and not args.no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    )
    report(
        args.format,
        result,
        sys.stdout,
        ReportOptions(
            color=color, show_source=args.show_source, statistics=args.statistics, quiet=args.quiet,
            source_lines=result.sources,
        ),
    )
    if _print_notes(linter, result):
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(d.severity >= threshold for d in result.diagnostics) else EXIT_CLEAN


def _report(args) -> int:
    from pagelint.reporters.summary import SiteSummary, print_terminal_summary
    from pagelint.run.options import RunOptions

    if args.paths == "-":
        print("pagelint: error: report needs a site folder or files, not stdin", file=sys.stderr)
        return EXIT_ERROR
    outcome = _lint(args, [args.paths], RunOptions(keep_sources=args.output is not None))
    if isinstance(outcome, int):
        return outcome
    linter, result, _, _ = outcome
    failed = _print_notes(linter, result)
    if args.output is None:
        terminal = sys.stdout.isatty()
        color = not args.no_color and "NO_COLOR" not in os.environ and terminal
        print_terminal_summary(SiteSummary.of(result), sys.stdout, color, terminal)
        return EXIT_ERROR if failed else EXIT_CLEAN
    from pagelint.reporters.html import render

    title = Path(args.paths).absolute().name if args.paths == "." else args.paths
    try:
        args.output.write_text(render(result, title, args.paths), encoding="utf-8")
    except OSError as exc:
        print(f"pagelint: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Wrote {args.output} ({len(result.diagnostics)} findings in {result.files_checked} files).")
    return EXIT_ERROR if failed else EXIT_CLEAN


def _init(args) -> int:
    from pagelint.scaffold import init

    return init(args.site, args.force)


def _explain(args) -> int:
    from pagelint.rules import find_rule

    key = args.rule
    rule = find_rule(key)
    if rule is None:
        print(f"pagelint: error: unknown rule {key!r} (see `pagelint rules`)", file=sys.stderr)
        return EXIT_ERROR
    lines = [
        f"{rule.code} {rule.name}",
        "",
        rule.summary,
        "",
        f"Category: {rule.category.value}. Default severity: {rule.severity.label}. "
        f"{'On' if rule.enabled_by_default else 'Off'} by default. {'Fixable.' if rule.fixable else 'Not fixable.'}",
        "",
        rule.rationale,
        "",
        "Bad:",
        *("    " + line for line in rule.bad.splitlines()),
        "",
        "Good:",
        *("    " + line for line in rule.good.splitlines()),
    ]
    if rule.options:
        lines += ["", "Options (in .pagelint.toml, under [rules." + rule.code + "]):"]
        for name, option in rule.options.items():
            lines += [f"    {name} = {option.default!r}", f"        {option.help}"]
    print("\n".join(lines).encode("utf-8", "replace").decode("utf-8"))
    return EXIT_CLEAN


def _list_rules(args) -> int:
    from pagelint.rules import all_rules

    for rule in all_rules():
        flags = ("fix " if rule.fixable else "    ") + ("on " if rule.enabled_by_default else "off")
        print(f"{rule.code}  {rule.name:<28} {rule.category.value:<12} {rule.severity.label:<8} {flags}  {rule.summary}")
    return EXIT_CLEAN


def _serve(args) -> int:
    try:
        from pagelint.server.language_server import main as serve
    except ImportError as missing:
        print(
            f"pagelint: error: the language server needs {missing.name or 'pygls'}: install pagelint with its `server` extra "
            "(pip install 'pagelint[server]')",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return serve()


def _add_unknown_words(args) -> int:
    """Run S006 alone and add the words it reports to the word list of each file's site (or
    folder, for a file outside any site); existing entries and comments are kept."""
    from pagelint.config import ConfigError
    from pagelint.run.discovery import UsageError
    from pagelint.run.fixer import write_atomically
    from pagelint.run.linter import Linter
    from pagelint.run.options import RunOptions
    from pagelint.run.runner import run
    from pagelint.text.vocabulary import word_list_lines, word_list_path

    linter = Linter({"select": ["S006"]}, args.config)
    try:
        result = run(linter, args.paths, RunOptions(keep_sources=True))
    except (ConfigError, UsageError) as exc:
        _tell(f"pagelint: error: {exc}")
        return EXIT_ERROR
    new: dict[Path, set[str]] = {}
    for diagnostic in result.diagnostics:
        line = result.sources[diagnostic.path][diagnostic.line - 1]
        list_path = word_list_path(diagnostic.path, linter.sites.site_for(Path(diagnostic.path)))
        new.setdefault(list_path, set()).add(line[diagnostic.column - 1 : diagnostic.end_column - 1])
    for list_path, words in sorted(new.items()):
        try:
            lines = word_list_lines(list_path, linter.settings_for(list_path).max_file_size) if list_path.exists() else []
        except (OSError, UnicodeDecodeError) as exc:  # what is not read whole cannot be rewritten
            print(f"pagelint: error: {list_path}: cannot read: {exc}", file=sys.stderr)
            return EXIT_ERROR
        comments = [line for line in lines if line.startswith("#")]
        entries = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
        added = words - entries
        merged = sorted(entries | words, key=lambda word: (word.lower(), word))
        write_atomically(list_path, ("\n".join([*comments, *merged]) + "\n").encode("utf-8"))
        print(f"{list_path}: added {len(added)} word{'s' if len(added) != 1 else ''}")
    if not new:
        print("pagelint: no unknown words")
    return EXIT_CLEAN
