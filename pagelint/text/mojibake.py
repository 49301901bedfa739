"""Find and exactly repair mojibake: UTF-8 text that was decoded with a legacy codec.

Each UTF-8 character of two to four bytes turns, under a single-byte codec, into a run of
two to four characters that the codec maps to bytes 0x80-0xFF. So a span of mojibake is a
run of such characters whose bytes, under that codec, form valid UTF-8 multi-byte sequences.
Validity alone is strong evidence for three- and four-byte sequences (CJK, emoji, dashes and
quotes); two-byte sequences are also made by correct text now and then (`√π`, `NESTLÉ®`), so
for those the decoded character must be a common one and the span must sit inside a word,
or look bad to ftfy's own badness measure. Spans can be nested (text that went through the
wrong codec twice), and a lead byte may have been lost on the way (`üîç` for 🔍, whose
Mac Roman lead byte is a private character that editors drop); it is restored when exactly
one completion is a plausible character.

When codecs explain a line equally well (Windows-1250 and ISO-8859-2 share most letters),
the repair whose accented letters belong to one language's alphabet wins, then the one with
the more common letters (pagelint/data/latin_alphabets.txt, accented_letters.txt).

ftfy (Apache-2.0) is used for its badness heuristic; its `fix_text` is never applied, since
it also rewrites quotes, widths and entities that are not errors. The "sloppy" Windows code
pages are ftfy's idea too: an undefined byte decodes to the Latin-1 character of that value,
as careless decoders do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# Python codec name -> the name users know. Order breaks ties: the most common first.
CODECS = {
    "sloppy-cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "sloppy-cp1250": "Windows-1250",
    "sloppy-cp1251": "Windows-1251",
    "iso8859_2": "ISO-8859-2",
    "cp437": "CP437",
    "sloppy-cp1254": "Windows-1254",
    "latin-1": "Latin-1",
}
MAX_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Mojibake:
    start: int  # offsets into the scanned string
    end: int
    original: str | None  # the repaired text, or None when it cannot be restored for sure
    chain: tuple[str, ...]  # codec names, outermost first
    lost_byte: bool = False

    @property
    def explanation(self) -> str:
        steps = " then ".join(self.chain)
        text = f"UTF-8 read as {steps}" if len(self.chain) == 1 else f"UTF-8 read as {steps} (twice wrong)"
        return text + (", a byte lost on the way" if self.lost_byte else "")


def is_bad(text: str) -> bool:
    from ftfy.badness import is_bad as ftfy_is_bad  # imported only when a weak span needs it

    return ftfy_is_bad(text)


@cache
def _high_chars(codec: str) -> tuple[dict[str, int], re.Pattern]:
    """Characters the codec decodes from bytes 0x80-0xFF, and a regex of runs of them."""
    table: dict[str, int] = {}
    sloppy = codec.startswith("sloppy-")
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode(codec.removeprefix("sloppy-"))
        except UnicodeDecodeError:
            if not sloppy:
                continue
            char = chr(byte)
        table.setdefault(char, byte)
    klass = "".join(re.escape(char) for char in table)
    return table, re.compile(f"[{klass}]{{2,}}")


@cache
def _any_run() -> re.Pattern:
    """Two characters in a row that some codec maps to high bytes: the least any span needs."""
    chars = "".join(sorted({char for codec in CODECS for char in _high_chars(codec)[0]}))
    return re.compile(f"[{re.escape(chars)}]{{2,}}")


def _sequence_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


# What a two-byte UTF-8 character in real text is: Latin letters (with the Vietnamese,
# Pinyin and Romanian ones from Latin Extended-B), Greek, Cyrillic, Hebrew and Arabic
# letters. IPA, archaic and rare letters are left out: `É…` is a French ellipsis, not `Ʌ`.
_COMMON_TWO_BYTE = (
    (0x00A0, 0x0137), (0x0139, 0x0148), (0x014A, 0x017E),
    (0x01A0, 0x01A1), (0x01AF, 0x01B0), (0x01CD, 0x01DC), (0x0218, 0x021B),
    (0x0386, 0x03CE),
    (0x0400, 0x045F), (0x0490, 0x0491),
    (0x05D0, 0x05EA),
    (0x0621, 0x064A),
)
_BOX_DRAWING = range(0x2500, 0x2580)


def _plausible(text: str, weak: bool) -> bool:
    """Could `text` be what an author typed? Weak (two-byte) evidence needs common characters."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn") or (index == 0 and category in ("Mn", "Me")):
            return False
        if weak and not any(low <= ord(char) <= high for low, high in _COMMON_TWO_BYTE):
            return False
    return True


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if char.isalpha() else ""


@dataclass(frozen=True, slots=True)
class _Chunk:
    start: int
    end: int
    decoded: str
    weak: bool
    codec: str
    lost_byte: bool = False
    ambiguous: bool = False


def _chunks(text: str, codec: str) -> list[_Chunk]:
    """Runs of `text` that are valid UTF-8 under `codec`, each with its decoded text."""
    table, runs = _high_chars(codec)
    found: list[_Chunk] = []
    for run in runs.finditer(text):
        data = bytes(table[char] for char in run.group())
        position = 0
        current: list[tuple[int, int, str, bool]] = []  # (start, end, decoded, weak)
        while position < len(data):
            length = _sequence_length(data[position])
            piece = data[position : position + length] if length else b""
            if length and len(piece) == length:
                try:
                    decoded = piece.decode("utf-8")
                except UnicodeDecodeError:
                    decoded = ""
                if decoded:
                    current.append((run.start() + position, run.start() + position + length, decoded, length == 2))
                    position += length
                    continue
            if current:
                found.append(_merge(current, codec))
                current = []
            lost = _lost_lead(data, position, run.start(), codec) or _lost_tail(data, position, run.start(), codec)
            if lost is not None:
                found.append(lost)
                position = lost.end - run.start()
                continue
            position += 1
        if current:
            found.append(_merge(current, codec))
    return found


def _merge(pieces: list[tuple[int, int, str, bool]], codec: str) -> _Chunk:
    return _Chunk(pieces[0][0], pieces[-1][1], "".join(p[2] for p in pieces), all(p[3] for p in pieces), codec)


def _emoji_completions(candidates) -> list[str]:
    found = []
    for data in candidates:
        try:
            char = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if unicodedata.category(char) == "So":
            found.append(char)
    return found


def _lost_chunk(offset: int, start: int, end: int, completions: list[str], codec: str) -> _Chunk | None:
    if not completions:
        return None
    return _Chunk(offset + start, offset + end, completions[0], False, codec, lost_byte=True, ambiguous=len(completions) > 1)


def _lost_lead(data: bytes, position: int, offset: int, codec: str) -> _Chunk | None:
    """Three continuation bytes whose lead byte was lost (an emoji's `F0`, which Mac Roman
    decodes to a private character that editors drop)."""
    tail = data[position : position + 3]
    if len(tail) < 3 or not all(0x80 <= byte <= 0xBF for byte in tail):
        return None
    completions = _emoji_completions(bytes([lead]) + tail for lead in range(0xF0, 0xF5))
    return _lost_chunk(offset, position, position + 3, completions, codec)


def _lost_tail(data: bytes, position: int, offset: int, codec: str) -> _Chunk | None:
    """An emoji's four bytes with the last one lost (Windows-1252 has no character for
    0x81, 0x8D, 0x8F, 0x90 and 0x9D, and strict readers drop them)."""
    head = data[position : position + 3]
    if len(head) < 3 or _sequence_length(head[0]) != 4 or not all(0x80 <= byte <= 0xBF for byte in head[1:]):
        return None
    completions = _emoji_completions(head + bytes([last]) for last in range(0x80, 0xC0))
    return _lost_chunk(offset, position, position + 3, completions, codec)


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before.isalpha() or after.isalpha()


YES, MAYBE, DOUBT, NO = 3, 2, 1, 0


@cache
def _defined_bytes(codec: str) -> frozenset[int]:
    """Bytes 0x80-0x9F that a Windows code page maps to printable characters."""
    if not codec.startswith("sloppy-"):
        return frozenset()
    strict = codec.removeprefix("sloppy-")  # the Python codec, without ftfy's sloppiness
    defined = set()
    for byte in range(0x80, 0xA0):
        try:
            bytes([byte]).decode(strict)
        except UnicodeDecodeError:
            continue
        defined.add(byte)
    return frozenset(defined)


def _accept(text: str, chunk: _Chunk, nested: bool, explained: set[int]) -> int:
    """YES or NO; MAYBE for a two-byte letter standing alone, which counts beside another
    span of the same codec on the line (`√π` alone is mathematics, not `ù`); DOUBT for one
    that counts only beside a sure span."""
    if not _plausible(chunk.decoded, chunk.weak):
        return NO
    if (
        len(chunk.decoded) == 1
        and (chunk.weak or text[chunk.start : chunk.end].isalpha())
        and _beside_unexplained_letter(text, chunk, explained)
    ):
        return NO  # three letters are part of a word too; `â\x98º` beside `í` is still `☺`
    if not chunk.weak:
        # One rare character from three bytes is a coincidence (`lá´´` is not `lᴴ`).
        return NO if len(chunk.decoded) == 1 and _rare(chunk.decoded) else YES
    if len(chunk.decoded) > 1 and len({_script(char) for char in chunk.decoded} - {""}) <= 1:
        return YES  # several characters in a row that are valid UTF-8 are no coincidence
    scripts = {_script(char) for char in chunk.decoded} - {""}
    # Only plain ASCII neighbours are surely not garbled themselves.
    neighbours = {_script(text[i]) for i in (chunk.start - 1, chunk.end) if 0 <= i < len(text) and text[i].isascii()} - {""}
    if scripts and neighbours and not scripts & neighbours:
        return NO  # would make a word of two scripts
    original = text[chunk.start : chunk.end]
    if "\xa0" in original and not nested:  # a no-break space that a repair gave was never typed
        return YES if is_bad(original) else DOUBT  # `Ä` before a no-break space may be Finnish
    if _case_breaks(text, chunk):
        return NO
    if not _inside_word(text, chunk.start, chunk.end):
        return YES if is_bad(original) or _initial(text, chunk) else MAYBE
    return YES


def _beside_unexplained_letter(text: str, chunk: _Chunk, explained: set[int]) -> bool:
    """A letter next to the span that the codec also maps to a high byte, yet no UTF-8
    sequence explains (no chunk's offset is in `explained`): a garbled word decodes whole,
    so this is a correct word of the codec's own script (Ukrainian `Віталій` holds `Ві`,
    which Windows-1251 makes `³`, and `Менделєєв` holds `лєє`, a Hangul syllable)."""
    table = _high_chars(chunk.codec)[0]
    return any(
        0 <= index < len(text) and text[index].isalpha() and text[index] in table and index not in explained
        for index in (chunk.start - 1, chunk.end)
    )


def _initial(text: str, chunk: _Chunk) -> bool:
    """A capital letter standing as a name's initial (`Åž. Demir` for `Ş. Demir`); the
    text may end after its full stop, as the span of a repair garbled twice does."""
    before = text[chunk.start - 1] if chunk.start else " "
    return chunk.decoded.isupper() and before in " (*_\"'" and text[chunk.end : chunk.end + 2] in (". ", ".")


def _case_breaks(text: str, chunk: _Chunk) -> bool:
    """A small letter inside a word of capitals (`MÄ£ÄM` is not `MģÄM`, `SÖÄ£` not `SÖģ`);
    `LÃª` is still `Lê`."""
    before = text[chunk.start - 1] if chunk.start else ""
    after = text[chunk.end] if chunk.end < len(text) else ""
    if not chunk.decoded.islower() or not before.isupper():
        return False
    return after.isupper() or (not before.isascii() and not after.islower())


_OTHER_COMMON = ((0x0900, 0x0DFF), (0x0E00, 0x0E7F), (0x10A0, 0x10FF), (0x1E00, 0x1FFF), (0xFE30, 0xFE4F), (0x20000, 0x2FFFF))


def _rare(text: str) -> bool:
    return any(
        ord(char) > 0x24F and not any(low <= ord(char) <= high for low, high in (*_COMMON_BLOCKS, *_OTHER_COMMON))
        for char in text
    )


# Unicode blocks that real text draws its non-Latin characters from. When two codecs
# explain a garbled span equally well, the repair in these blocks wins over one in a rare
# block (`✨` rather than Ethiopic `ⶨ`, `！` rather than a compatibility ideograph).
_COMMON_BLOCKS = (
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x0590, 0x06FF),  # Hebrew, Arabic
    (0x2000, 0x23FF),  # punctuation, super/subscripts, currency, letterlike, arrows, mathematics
    (0x2500, 0x27BF),  # box drawing, geometric shapes, symbols, dingbats
    (0x3000, 0x30FF),  # CJK punctuation, kana
    (0x3400, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7AF),  # Hangul
    (0xFF00, 0xFFEF),  # full-width forms
    (0x1F000, 0x1FAFF),  # emoji
)


def _data_lines(name: str) -> list[str]:
    from pagelint.data import read_text  # read only when a line needs a tie broken

    return [line.strip() for line in read_text(name).splitlines() if line.strip() and not line.startswith("#")]


@cache
def _letter_weights() -> dict[str, float]:
    """Accented letter -> between 0 and 1, more for a more common letter."""
    letters = _data_lines("accented_letters.txt")
    return {letter: 1 - index / len(letters) for index, letter in enumerate(letters)}


@cache
def _alphabets() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(line.partition(":")[2].split()) for line in _data_lines("latin_alphabets.txt"))


def _one_language(repaired: str) -> bool:
    """Whether the accented Latin letters of a repair all belong to one language's alphabet."""
    letters = {char.lower() for char in repaired if char.isalpha() and not char.isascii() and _script(char) == "LATIN"}
    letters = {letter for letter in letters if len(letter) == 1}  # `İ` lowers to two characters
    return not letters or any(letters <= alphabet for alphabet in _alphabets())


def _likelihood(text: str, chunk: _Chunk, repaired: str) -> float:
    """How much the repair reads like real text: characters from common blocks and common
    accented letters score, rare blocks and a capital letter inside a word (`JÜrg`,
    `GÜdel`) cost."""
    before = text[chunk.start - 1] if chunk.start else " "
    after = text[chunk.end] if chunk.end < len(text) else " "
    context = before + repaired + after
    score = 0.0
    for index in range(1, len(context) - 1):
        char = context[index]
        if char.isupper() and context[index - 1].isalpha() and (context[index - 1].islower() or context[index + 1].islower()):
            score -= 2
        elif ord(char) > 0x24F:
            score += 1 if any(low <= ord(char) <= high for low, high in _COMMON_BLOCKS) else -1
        else:
            score += _letter_weights().get(char.lower(), 0.0)
    return score


def _repair_nested(decoded: str, before: str, after: str, depth: int, codec: str) -> tuple[str, tuple[str, ...]]:
    """If a repaired span is itself entirely mojibake (read in its context), repair it again,
    preferring `codec`."""
    if depth + 1 >= MAX_DEPTH or decoded.isascii():
        return decoded, ()
    inner = find(before + decoded + after, depth + 1, codec)
    if len(inner) == 1 and (inner[0].start, inner[0].end) == (len(before), len(before) + len(decoded)) and inner[0].original:
        return inner[0].original, inner[0].chain
    return decoded, ()


_CODEC_BY_NAME = {name: codec for codec, name in CODECS.items()}


def _repair_all_nested(text: str, chunks: list[_Chunk], depth: int, codec: str) -> list[tuple[str, tuple[str, ...]]]:
    """The nested repair of every chunk, preferring inside them one second codec for the
    whole line when they disagree: the one that repairs the most and whose letters read best
    together (`Х` and `С` are one garbled `С` through Windows-1250 or ISO-8859-2, and the
    line's other spans tell which)."""

    def repairs(inner: str) -> list[tuple[str, tuple[str, ...]]]:
        return [
            _repair_nested(chunk.decoded, text[chunk.start - 1 : chunk.start] if chunk.start else "",
                           text[chunk.end : chunk.end + 1], depth, inner)
            for chunk in chunks
        ]

    def quality(name: str, found: list[tuple[str, tuple[str, ...]]]) -> tuple:
        """More text repaired, more of it through `name` itself (some spans only one codec
        explains), letters of one language, more common letters."""
        repaired = "".join(piece for piece, chain in found if chain)
        covered = [(len(chunk.decoded), chain[0]) for chunk, (_, chain) in zip(chunks, found, strict=True) if chain]
        return (sum(length for length, _ in covered), sum(length for length, used in covered if used == name),
                _one_language(repaired), sum(_letter_weights().get(char.lower(), 0.0) for char in repaired))

    first = repairs(codec)
    seconds = {chain[0] for _, chain in first if chain}
    if len(seconds) < 2:
        return first
    tried = {name: repairs(_CODEC_BY_NAME[name]) for name in sorted(seconds)}
    return tried[max(tried, key=lambda name: quality(name, tried[name]))]


def find(text: str, depth: int = 0, preferred: str = "") -> list[Mojibake]:
    """Every mojibake span of `text`, without overlaps, in order.

    Text garbled by one wrong decoding is garbled by one codec throughout, so codecs are
    tried in order of how much of the text they explain, and a span goes to the first codec
    that explains it (which settles Windows-1250 against ISO-8859-2, say, by the line)."""
    if text.isascii() or not _any_run().search(text):
        return []
    by_codec: dict[str, list[tuple[_Chunk, str, tuple[str, ...]]]] = {}
    for codec in CODECS:
        accepted: list[tuple[_Chunk, str, tuple[str, ...]]] = []
        maybe: list[tuple[_Chunk, str, tuple[str, ...]]] = []
        doubtful: list[tuple[_Chunk, str, tuple[str, ...]]] = []
        rejected: list[_Chunk] = []
        chunks = _chunks(text, codec)
        explained = {index for chunk in chunks for index in range(chunk.start, chunk.end)}
        for chunk, (repaired, inner_chain) in zip(chunks, _repair_all_nested(text, chunks, depth, codec), strict=True):
            verdict = YES if inner_chain else _accept(text, chunk, depth > 0, explained)
            garbled = text[chunk.start : chunk.end]
            if verdict == MAYBE and depth and (
                (codec == preferred and garbled.isalpha()) or is_bad(garbled) or not chunk.decoded.isalpha()
            ):
                # Inside a span already repaired once, letters from the same wrong codec
                # again (`Îł`, but not `√π`), a bad-looking pair or a symbol are enough.
                verdict = YES
            if verdict == NO:
                rejected.append(chunk)
            else:
                {YES: accepted, MAYBE: maybe, DOUBT: doubtful}[verdict].append((chunk, repaired, inner_chain))
        if codec == "cp437" and any(chunk.weak and all(ord(c) in _BOX_DRAWING for c in text[chunk.start : chunk.end]) for chunk in rejected):
            # Box drawing that is not all mojibake is line art: its two-byte look-alikes too.
            accepted = [item for item in accepted if not item[0].weak or item[2]]
            maybe = doubtful = []
        if accepted or len(maybe) > 1:
            by_codec[codec] = accepted + maybe + (doubtful if accepted else [])
    # C1 control characters come from decoders that map every byte (Latin-1, ISO-8859-x); a
    # Windows code page has printable characters there, but for its few undefined bytes.
    c1_bytes = {ord(char) for char in text if "\x80" <= char <= "\x9f"}
    order = list(CODECS)

    def rank(codec: str) -> tuple:
        items = by_codec[codec]
        return (
            -sum(chunk.end - chunk.start for chunk, _, _ in items),
            bool(c1_bytes & _defined_bytes(codec)),
            codec != preferred,
            not _one_language("".join(repaired for _, repaired, _ in items)),
            sum(len(repaired) for _, repaired, _ in items),  # unwinding twice explains more
            -sum(_likelihood(text, chunk, repaired) for chunk, repaired, _ in items),
            order.index(codec),
        )

    ranked = sorted(by_codec, key=rank)
    taken: list[tuple[_Chunk, str, tuple[str, ...]]] = []
    for codec in ranked:
        for item in sorted(by_codec[codec], key=lambda item: item[0].start - item[0].end):
            chunk = item[0]
            if all(chunk.end <= other.start or chunk.start >= other.end for other, _, _ in taken):
                taken.append(item)
    return [
        Mojibake(chunk.start, chunk.end, None if chunk.ambiguous else repaired, (CODECS[chunk.codec], *chain), chunk.lost_byte)
        for chunk, repaired, chain in sorted(taken, key=lambda item: item[0].start)
    ]
