"""Encoding rules (E): text that is not what the author typed, and files that cannot be read."""

from __future__ import annotations

import html.entities
import re
import unicodedata
from pathlib import Path

from pagelint.diagnostics import Fix, Severity
from pagelint.rules.base import Rule


def _text_lines(doc):
    """(start, end) of every line outside code blocks that is not pure ASCII."""
    if doc.text.isascii():
        return
    code = [(region.start, region.end) for region in doc.body.regions if region.kind == "code"]
    starts = doc.line_starts
    text = doc.text
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        line = text[start:end]
        if line.isascii() or any(low <= start < high for low, high in code):
            continue
        yield start, end


def mojibake_spans(doc) -> list:
    """Every mojibake span of the page, as (offset, Mojibake), computed once per document."""
    if "mojibake" not in doc.memo:
        from pagelint.text import mojibake

        doc.memo["mojibake"] = [
            (start, found) for start, end in _text_lines(doc) for found in mojibake.find(doc.text[start:end])
        ]
    return doc.memo["mojibake"]


class Mojibake(Rule):
    code = "E001"
    name = "mojibake"
    summary = "UTF-8 text garbled by a wrong decoding (`ËÅÇÂ∞èÊ•†` for 聂小楠)"
    rationale = (
        "When a UTF-8 file passes through a tool that reads it as Windows-1252, Mac Roman or "
        "another legacy code page and saves it again, every non-ASCII character turns into two "
        "to four wrong ones: names in Chinese, emoji and accented letters become gibberish on "
        "the published page. Each garbled span is reported with the codec chain that produced "
        "it and fixed back to the exact original; a span that lost a byte on the way is "
        "restored when only one character fits, and otherwise reported without a fix."
    )
    bad = "Mei-Ling Zhao (ËµµÁæéÁé≤) from Universität ZÃ¼rich. Hi!ðŸ˜Š\n"
    good = "Mei-Ling Zhao (赵美玲) from Universität Zürich. Hi!😊\n"
    severity = Severity.ERROR
    fixable = True

    def check(self, doc, options):
        for offset, found in mojibake_spans(doc):
            start, end = offset + found.start, offset + found.end
            garbled = doc.text[start:end]
            if found.original is None:
                yield self.diagnostic(
                    doc, start, end,
                    f"mojibake ({found.explanation}): `{garbled}` cannot be restored for sure",
                )
            else:
                yield self.diagnostic(
                    doc, start, end, f"mojibake ({found.explanation}): `{garbled}` should read `{found.original}`",
                    replacement=found.original,
                )


class InvalidUtf8(Rule):
    code = "E002"
    name = "invalid-utf8"
    summary = "File is not valid UTF-8"
    rationale = (
        "Jekyll reads files as UTF-8. Bytes that are not UTF-8 (a file saved as Latin-1 or "
        "Windows-1252 by an old editor) are shown as replacement characters or stop the build. "
        "The first bad byte is reported with its offset and the encoding the file most likely "
        "has; the fix re-encodes the whole file as UTF-8 (a safe fix only when the likely "
        "encodings agree on every byte)."
    )
    bad = "Université de Montréal\n"
    good = "Université de Montréal\n"
    example_encodings = ("latin-1", "utf-8")  # bad, good
    severity = Severity.ERROR
    fixable = True

    def check(self, doc, options):
        problem = doc.decode_problem
        if problem is None:
            return
        start = doc.offset(problem.line, problem.column)
        payload = doc.raw[3:] if doc.has_bom else doc.raw
        guess, decoded, certain = _guess_encoding(payload)
        likely = f"; it looks like {guess}" if guess else ""
        yield self.diagnostic(
            doc, start, start + len(problem.bad_bytes),
            f"not valid UTF-8: byte {problem.bad_bytes[:4].hex(' ')} at byte offset {problem.byte_offset}{likely}",
            replacement=decoded, safe=certain, fix_span=(0, len(doc.text)) if decoded is not None else None,
        )


def _guess_encoding(payload: bytes) -> tuple[str, str | None, bool]:
    """(encoding name, the text decoded with it, whether the guess is certain).

    Windows-1252 is by far the most common legacy encoding of homepages, so it is the guess
    whenever it reads the file cleanly; the guess is certain when charset-normalizer's own
    best guess reads the file to the same text."""
    from charset_normalizer import from_bytes
    from ftfy.badness import is_bad

    best = from_bytes(payload).best()
    detected = str(best) if best is not None else None
    try:
        windows = payload.decode("cp1252")
    except UnicodeDecodeError:
        windows = None
    if windows is not None and not is_bad(windows):
        return "Windows-1252", windows, windows == detected
    if best is None:
        return "", None, False
    return best.encoding, detected, False


class ReplacementCharacter(Rule):
    code = "E003"
    name = "replacement-character"
    summary = "U+FFFD replacement character: the original text is already lost"
    rationale = (
        "`�` is what a decoder writes where it could not read a byte. The character that stood "
        "there is gone; only the author knows what it was. Retype it."
    )
    bad = "Universit� de Montr�al\n"
    good = "Université de Montréal\n"

    def check(self, doc, options):
        if "\ufffd" not in doc.text:
            return
        for match in re.finditer("\ufffd+", doc.text):
            if doc.in_code(match.start()):
                continue  # a program's output quoted as it printed it
            yield self.diagnostic(
                doc, match.start(), match.end(), "replacement character: the original character was lost; retype it"
            )


_EMOJI_NEIGHBOUR = re.compile("[\u200d\ufe0f\U0001F000-\U0001FAFF\u2600-\u27BF\U000E0020-\U000E007F]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMES = {
    "\u200b": "zero-width space", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
    "\u2060": "word joiner", "\ufeff": "zero-width no-break space (a BOM inside the text)", "\u00ad": "soft hyphen",
}


class InvisibleCharacter(Rule):
    code = "E004"
    name = "invisible-character"
    summary = "Invisible or control character in the text"
    rationale = (
        "Zero-width spaces and joiners, soft hyphens and control characters are invisible in "
        "the editor but break search, copy-paste of names and emails, and link matching. "
        "Bidirectional override and isolate characters are worse: they make the page display "
        "text in another order than the one a reviewer reads in the source (an error). Joiners "
        "inside emoji sequences (👩‍💻) are correct and not reported."
    )
    bad = "Email: ada\u200b@uni.example.edu, pro\u00adceedings\n"
    good = "Email: ada@uni.example.edu, proceedings\n"
    fixable = True

    def check(self, doc, options):
        text = doc.text
        if text.isascii() and not any(char in text for char in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x1f\x7f"):
            return
        garbled = [(offset + found.start, offset + found.end) for offset, found in mojibake_spans(doc)]
        for match in _INVISIBLE.finditer(text):
            char, start = match.group(), match.start()
            if any(low <= start < high for low, high in garbled):
                continue  # part of a mojibake span: E001 repairs it
            if char in "\u200d\u200c" and self._joins_emoji_or_script(text, start):
                continue
            if char == "\ufeff" and start == 0:
                continue  # a BOM: E005
            if char in _BIDI:
                yield self.diagnostic(
                    doc, start, start + 1,
                    f"bidirectional control U+{ord(char):04X}: the page can display text in another order than its source",
                    replacement="", safe=False, severity=Severity.ERROR,
                )
                continue
            name = _NAMES.get(char, f"control character U+{ord(char):04X}")
            if char in "\u2060\u200b" and self._beside_space(text, start):
                # nothing to join or to break beside a space or a line end: harmless, still worth removing
                yield self.diagnostic(doc, start, start + 1, f"invisible {name} beside a space", replacement="", severity=Severity.INFO)
                continue
            yield self.diagnostic(doc, start, start + 1, f"invisible {name}", replacement="")

    @staticmethod
    def _beside_space(text: str, index: int) -> bool:
        return (index > 0 and text[index - 1].isspace()) or (index + 1 < len(text) and text[index + 1].isspace())

    @staticmethod
    def _joins_emoji_or_script(text: str, index: int) -> bool:
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if _EMOJI_NEIGHBOUR.match(before) or _EMOJI_NEIGHBOUR.match(after):
            return True
        # Joiners shape Arabic, Persian and Indic scripts.
        return bool(
            before and not before.isascii() and (before.isalpha() or unicodedata.category(before).startswith("M"))
            and after and not after.isascii()
        )


class ByteOrderMark(Rule):
    code = "E005"
    name = "byte-order-mark"
    summary = "File starts with a UTF-8 byte order mark"
    rationale = (
        "A UTF-8 byte order mark is three invisible bytes at the start of a file. Before the `---` "
        "of a page or collection document it hides the front matter from Jekyll, which checks the "
        "file's first bytes for `---`: the file is copied to the site as it is, unbuilt. Posts, "
        "layouts and data files are read with the mark dropped, so there it only trips other "
        "tools (front matter parsers, `cat`, some Markdown converters)."
    )
    bad = "\ufeff---\ntitle: About\n---\n"
    good = "---\ntitle: About\n---\n"
    severity = Severity.INFO
    fixable = True

    # Kinds Jekyll reads with the mark dropped: it looks at the first bytes only for pages and collection documents.
    _MARK_DROPPED_KINDS = frozenset({"post", "config", "data", "unpublished"})

    def check(self, doc, options):
        if not doc.has_bom:
            return
        removal = Fix("", 0, 0, 1, 1, 1, 1, drops_bom=True)
        block = doc.front_matter
        if block is not None and not doc.is_data_file and doc.kind not in self._MARK_DROPPED_KINDS and not self._template(doc):
            yield self.diagnostic_at(
                doc.display_path, 1, 1, 1, 1,
                "a byte order mark before `---`: Jekyll does not see the front matter and copies this file to the site as it is, unbuilt",
                removal, severity=Severity.WARNING,
            )
        else:
            yield self.diagnostic_at(doc.display_path, 1, 1, 1, 1, "file starts with a UTF-8 byte order mark", removal)

    @staticmethod
    def _template(doc) -> bool:
        """A layout or include, which Jekyll reads with the mark dropped."""
        relative = doc.site.relative(Path(doc.path)) if doc.site is not None else None
        return relative is not None and relative.parts[0] in ("_layouts", "_includes")


_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Entities that say something the character itself does not (markup, spacing, invisibles).
_MEANINGFUL = frozenset({
    "amp", "lt", "gt", "quot", "apos", "nbsp", "ensp", "emsp", "thinsp", "hairsp", "zwj", "zwnj", "shy", "lrm", "rlm",
    "NonBreakingSpace", "ZeroWidthSpace", "puncsp", "numsp", "MediumSpace", "VeryThinSpace", "ThinSpace",
})


class HtmlEntityForText(Rule):
    code = "E006"
    name = "html-entity-for-text"
    summary = "HTML entity where the character itself is clearer (`&eacute;` for `é`)"
    rationale = (
        "Entities such as `&eacute;` or `&#233;` were needed when pages could not be UTF-8. "
        "Today they only make the source harder to read and search; write the character. "
        "Entities that carry meaning (`&amp;`, `&lt;`, `&nbsp;`, zero-width and direction marks) "
        "are left alone."
    )
    bad = "Universit&eacute; de Montr&#233;al\n"
    good = "Université de Montréal\n"
    severity = Severity.INFO
    enabled_by_default = False
    fixable = True

    def check(self, doc, options):
        if "&" not in doc.text:
            return
        for start, end in doc.body.entities:
            match = _ENTITY.fullmatch(doc.text, start, end)
            character = _character(match.group(1)) if match else ""
            if match and character:
                yield self.diagnostic(
                    doc, start, end, f"`{match.group()}` is `{character}`: write the character", replacement=character
                )


def _character(name: str) -> str:
    if name in _MEANINGFUL:
        return ""
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            char = chr(code)
        except (ValueError, OverflowError):
            return ""
    else:
        char = html.entities.html5.get(name + ";", "")
    if len(char) != 1 or not char.isprintable() or char.isspace() or char in "&<>\"'" or (char.isascii() and not char.isalnum()):
        return ""
    return char


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


RULES = (
    Mojibake(), InvalidUtf8(), ReplacementCharacter(), InvisibleCharacter(), ByteOrderMark(), HtmlEntityForText(),
    IoError(), FileTooLarge(), BinaryFile(),
)
