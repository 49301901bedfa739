"""Encoding rules (E): text that is not what the author typed, and files that cannot be read."""

from __future__ import annotations

from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule


class InvalidUtf8(Rule):
    code = "E002"
    name = "invalid-utf8"
    summary = "File is not valid UTF-8"
    rationale = (
        "Jekyll reads files as UTF-8. Bytes that are not UTF-8 (a file saved as Latin-1 or "
        "Windows-1252 by an old editor) are shown as replacement characters or stop the build. "
        "The first bad byte is reported with its offset; the rest of the file is still checked."
    )
    bad = "Université de Montréal\n"
    good = "Université de Montréal\n"
    example_encodings = ("latin-1", "utf-8")  # bad, good
    severity = Severity.ERROR

    def check(self, doc, options):
        problem = doc.decode_problem
        if problem is None:
            return
        start = doc.offset(problem.line, problem.column)
        yield self.diagnostic(
            doc,
            start,
            start + len(problem.bad_bytes),
            f"not valid UTF-8: byte {problem.bad_bytes[:4].hex(' ')} at byte offset {problem.byte_offset}",
        )


class IoError(Rule):
    code = "E900"
    name = "io-error"
    summary = "File could not be read"
    rationale = "A file that cannot be read (permissions, a vanished file, a broken link) is not checked at all."
    bad = "(an unreadable file)"
    good = "(a readable file)"
    severity = Severity.ERROR
    engine_reported = True


class FileTooLarge(Rule):
    code = "E901"
    name = "file-too-large"
    summary = "File is larger than `max-file-size` and was skipped"
    rationale = (
        "A page of many megabytes is almost always generated or pasted by mistake. It is skipped "
        "without being read, so that one file cannot stall a run; raise `max-file-size` to check it."
    )
    bad = "(a 100 MB page)"
    good = "(a page of normal size)"
    engine_reported = True


class BinaryFile(Rule):
    code = "E902"
    name = "binary-file"
    summary = "File looks binary (it contains NUL bytes)"
    rationale = (
        "A file with a text extension that contains NUL bytes is a binary file saved under the "
        "wrong name, or a corrupted page. It is not checked further."
    )
    bad = "(a PNG renamed to page.md)"
    good = "(a text page)"
    engine_reported = True


RULES = (InvalidUtf8(), IoError(), FileTooLarge(), BinaryFile())
