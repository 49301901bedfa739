"""How Jekyll reads a `date`: Psych resolves the YAML scalar (a Date, a Time, a number or a
string), Jekyll turns it back into a string and hands it to Ruby's `Time.parse`, and the
result is moved into the build's time zone (`timezone:` in `_config.yml`, else the machine's:
UTC on GitHub Pages). An ArgumentError anywhere stops the build with "Invalid date".

`Time.parse` is forgiving where Python is strict: it picks the first date-like part of any
text (`Date._parse`), rolls an impossible day into the next month, takes a missing year from
the clock, and reads `1/2/2023` day first. This module follows Ruby's parsers closely enough
to say, for the forms people write in front matter, whether the build stops and on which
day the page is dated; forms it does not know it leaves alone (verdict "ok").
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pagelint.data import load_json

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)"
)
_ERA = r"(?:\b(c(?:e|\.e\.)|b(?:ce|\.c\.e\.)|a(?:d|\.d\.)|b(?:c|\.c\.))(?![a-z]))?"
_ALPHA = r"[^\W\d_]"
_FLAGS = re.IGNORECASE

# Date._parse's sub-parsers, in Ruby's order. Weekday and time always run; of the date
# parsers, the first that matches wins. Each blanks out what it read.
_DAY = re.compile(r"\b(sun|mon|tue|wed|thu|fri|sat)[^-/\d\s]*", _FLAGS)
_TIME = re.compile(
    r"(\d+\s*(?:(?::\s*\d+(?:\s*:\s*\d+(?:[,.]\d*)?)?|h(?:\s*\d+m?(?:\s*\d+s?)?)?)(?:\s*[ap](?:m\b|\.m\.))?|[ap](?:m\b|\.m\.)))"
    rf"(?:\s*((?:gmt|utc?)?[-+]\d+(?:[,.:]\d+(?::\d+)?)?|(?:{_ALPHA}|[.\s])+(?:standard|daylight)\stime\b|{_ALPHA}+(?:\sdst)?\b))?",
    _FLAGS,
)
_TIME_PARTS = re.compile(
    r"\A(\d+)\s*(?::\s*(\d+)(?:\s*:\s*(\d+)([,.]\d*)?)?|h(?:\s*(\d+)m?(?:\s*(\d+)s?)?)?)?(?:\s*([ap])(?:m\b|\.m\.))?", _FLAGS
)
_EU = re.compile(rf"('?\d+)[^-\d\s]*\s*{_MONTH}[^-\d\s']*(?:\s*{_ERA}\s*('?-?\d+(?:(?:st|nd|rd|th)\b)?))?", _FLAGS)
_US = re.compile(rf"\b{_MONTH}[^-\d\s']*\s*('?\d+)[^-\d\s']*(?:\s*,?\s*{_ERA}\s*('?-?\d+))?", _FLAGS)
_ISO = re.compile(r"('?[-+]?\d+)-(\d+)-('?-?\d+)")
_VMS_DAY_FIRST = re.compile(rf"('?-?\d+)-{_MONTH}[^-/.]*-('?-?\d+)", _FLAGS)
_VMS_MONTH_FIRST = re.compile(rf"\b{_MONTH}[^-/.]*-('?-?\d+)(?:-('?-?\d+))?", _FLAGS)
_SLASH = re.compile(r"('?-?\d+)/\s*('?\d+)(?:\D\s*('?-?\d+))?")
_DOT = re.compile(r"('?-?\d+)\.\s*('?\d+)\.\s*('?-?\d+)")
_WEEK = re.compile(r"\b(\d{2}|\d{4})?-?w(\d{2})(?:-?(\d))?\b", _FLAGS)
_ORDINAL = re.compile(r"\b(\d{2}|\d{4})-(\d{3})\b")
_APOSTROPHE_YEAR = re.compile(r"'(\d+)\b")
_MONTH_ONLY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\S*", _FLAGS)
_ORDINAL_DAY = re.compile(r"(\d+)(st|nd|rd|th)\b", _FLAGS)
_DIGITS = re.compile(r"([-+]?)(\d{2,14})(?:\s*t?\s*(\d{2,6})?(?:[,.](\d*))?)?(?:\s*(z\b|[-+]\d{1,4}\b|\[[-+]?\d[^\]]*\]))?", _FLAGS)
_FRAGMENT = re.compile(r"\A\s*(\d{1,2})\s*\Z")
_SUFFIX = re.compile(r"(?:st|nd|rd|th)\Z", _FLAGS)

# Psych's timestamp and date resolvers: an unquoted scalar of these forms is a Time or Date.
_PSYCH_TIME = re.compile(
    r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$"
)
_PSYCH_DATE = re.compile(r"^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$")


class InvalidDate(ValueError):
    """What Ruby raises: Jekyll stops the build with "Invalid date"."""


@dataclass
class _Parsed:
    """Date._parse's hash, with what pagelint needs to explain it."""

    fields: dict[str, int] = field(default_factory=dict)
    zone: str | None = None
    rest: str = ""  # what no parser read
    complete_year: bool = False  # a year of one or two digits gets its century (Ruby's `_comp`)
    year_guessed: bool = False  # `a/b/c` with no four-digit part: Ruby takes `a` for the year
    day_first: bool = False  # `a/b/yyyy` with a and b both possible months: Ruby reads a as the day


@dataclass(frozen=True)
class JekyllDate:
    """How Jekyll reads one date.

    verdict: "ok"; "fails" (the build stops); "shifts" (the page is dated on another day than
    written); "ignores" (the date is the one written, but part of the value is dropped).
    `published` is the day Jekyll dates the page, as Ruby prints it (`-0015-10-12` too)."""

    verdict: str
    published: str = ""
    explanation: str = ""


def build_zone(name: object) -> tzinfo:
    """The time zone Jekyll builds in: `timezone:` from `_config.yml`, else UTC (GitHub Pages)."""
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # the C library falls back to UTC for an unknown TZ
    return UTC


def read_date(value: object, quoted: bool = False, zone: tzinfo = UTC, now: datetime | None = None) -> JekyllDate:
    """How Jekyll reads a front matter `date` (or the date of a file name, a quoted string).

    `value` is the YAML value as pagelint's loader returns it (timestamps stay strings);
    `quoted` says whether the YAML scalar was quoted, which decides what Psych resolves."""
    now = (now or datetime.now(UTC)).astimezone(zone)
    if isinstance(value, bool) or value is None:
        text = "" if value is None else str(value).lower()
    elif isinstance(value, int | float | str):
        text = str(value).strip()
    else:
        return JekyllDate("ok")
    if not quoted and isinstance(value, str):
        instant = _psych_timestamp(text)
        if instant is not None:
            return _judge_instant(text, instant, zone)
        if _PSYCH_DATE.match(text):
            with contextlib.suppress(ValueError):  # an impossible date stays a string, for Time.parse
                return JekyllDate("ok", date.fromisoformat("-".join(part.zfill(2) for part in text.split("-"))).isoformat())
    parsed = _date_parse(text)
    try:
        return _judge(text, parsed, _make_time(text, parsed, zone, now), zone)
    except InvalidDate as error:
        reading = _describe(parsed.fields)
        return JekyllDate("fails", "", f"Ruby reads `{text}` as {reading}: {error}" if reading else str(error))
    except _OutOfRange as error:
        shown = f"{error.year:05d}" if error.year < 0 else f"{error.year:04d}"
        return JekyllDate("shifts", f"{shown}-{error.month:02d}-{error.mday:02d}", f"Ruby reads `{text}` as a date in the year {error.year}")
    except (OverflowError, ValueError):
        return JekyllDate("ok")  # beyond what Python's dates hold: not judged


def _psych_timestamp(text: str) -> datetime | None:
    """The instant of an unquoted YAML timestamp, as Psych builds it (no zone means UTC); None
    when Psych leaves the scalar a string (no timestamp, or an impossible one)."""
    if not _PSYCH_TIME.match(text) or text.startswith("-"):
        return None  # (a year before 1 is beyond Python's dates: the string parser says so)
    day, clock = re.split(r"[Tt ]", text, maxsplit=1)
    year, month, mday = (int(part) for part in day.split("-"))
    hour, minute, second = (int(part) for part in re.findall(r"\d+", clock)[:3])
    try:
        # Ruby's Time.utc rolls day 31 of a 30-day month, hour 24 and second 60 forward.
        instant = _rolled(year, month, mday, hour, minute, second)
    except InvalidDate:
        return None
    offset = re.search(r"([-+])(\d{1,2}):?(\d\d)?$", clock)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        instant -= sign * timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
    return instant.replace(tzinfo=UTC)


def _rolled(year: int, month: int, mday: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """Ruby's Time.local/Time.utc arguments to a time: out-of-range fields raise, a day past
    the month's end, hour 24 and second 60 roll forward."""
    if not 1 <= month <= 12:
        raise InvalidDate(f"there is no month {month}")
    if not 1 <= mday <= 31:
        raise InvalidDate(f"there is no day {mday}")
    if not 0 <= hour <= 24 or (hour == 24 and (minute or second)):
        raise InvalidDate(f"there is no hour {hour}")
    if not 0 <= minute <= 59:
        raise InvalidDate(f"there is no minute {minute}")
    if not 0 <= second <= 60:
        raise InvalidDate(f"there is no second {second}")
    return datetime(year, month, 1) + timedelta(days=mday - 1, hours=hour, minutes=minute, seconds=second)


def _blank(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def _date_parse(original: str) -> _Parsed:
    """Ruby's Date._parse, for the parts pagelint needs."""
    text = re.sub(r"(?:[^\w\-+',./:@\[\]]|_)+", " ", original)
    parsed = _Parsed()
    if match := _DAY.search(text):
        text = _blank(text, match)  # Time.parse ignores the weekday
    if re.search(r"\d", text) and (match := _TIME.search(text)):
        _read_time(parsed, match)
        text = _blank(text, match)
    for parser in (_parse_eu, _parse_us, _parse_iso, _parse_vms, _parse_slash, _parse_dot, _parse_iso2, _parse_year,
                   _parse_month, _parse_ordinal_day, _parse_digits):
        match = parser(text, parsed)
        if match is not None:
            text = _blank(text, match)
            break
    fragment = _FRAGMENT.match(text)
    if fragment:
        value = int(fragment.group(1))
        if "hour" in parsed.fields and "mday" not in parsed.fields and 1 <= value <= 31:
            parsed.fields["mday"] = value
            text = ""
        elif "mday" in parsed.fields and "hour" not in parsed.fields and 0 <= value <= 24:
            parsed.fields["hour"] = value
            text = ""
    if parsed.complete_year and "year" in parsed.fields and 0 <= parsed.fields["year"] <= 99:
        parsed.fields["year"] += 1900 if parsed.fields["year"] >= 69 else 2000
    # A lone `T` is what is left of an ISO 8601 time's separator.
    parsed.rest = " ".join(word for word in text.split() if word.upper() != "T")
    return parsed


def _describe(fields: dict[str, int]) -> str:
    names = (("year", "year"), ("mon", "month"), ("mday", "day"), ("yday", "day of the year"), ("hour", "hour"), ("min", "minute"))
    return ", ".join(f"{label} {fields[name]}" for name, label in names if name in fields)


def _read_time(parsed: _Parsed, match: re.Match[str]) -> None:
    parts = _TIME_PARTS.match(match.group(1))
    if parts is None:
        return
    hour = int(parts.group(1))
    if parts.group(7):
        hour = hour % 12 + (12 if parts.group(7).lower() == "p" else 0)
    parsed.fields["hour"] = hour
    minute, second = parts.group(2) or parts.group(5), parts.group(3) or parts.group(6)
    if minute:
        parsed.fields["min"] = int(minute)
    if second:
        parsed.fields["sec"] = int(second)
    parsed.zone = match.group(2)


def _month_number(name: str) -> int:
    return _MONTHS.index(name.lower()[:3]) + 1


def _parse_eu(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _EU.search(text)
    if match:
        _three(parsed, match.group(4), str(_month_number(match.group(2))), match.group(1))
    return match


def _parse_us(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _US.search(text)
    if match:
        _three(parsed, match.group(4), str(_month_number(match.group(1))), match.group(2))
    return match


def _parse_iso(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _ISO.search(text)
    if match:
        _three(parsed, *match.groups())
    return match


def _parse_vms(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _VMS_DAY_FIRST.search(text)
    if match:
        _three(parsed, match.group(3), str(_month_number(match.group(2))), match.group(1))
        return match
    match = _VMS_MONTH_FIRST.search(text)
    if match:
        _three(parsed, match.group(3), str(_month_number(match.group(1))), match.group(2))
    return match


def _parse_slash(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _SLASH.search(text)
    if match:
        _three(parsed, *match.groups(), slashes=True)
    return match


def _parse_dot(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _DOT.search(text)
    if match:
        _three(parsed, *match.groups())
    return match


def _parse_iso2(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _WEEK.search(text)
    if match:
        parsed.fields["cweek"] = int(match.group(2))  # Time.parse reads no date from a week
        return match
    match = None if re.search(r"[,.](\d{2}|\d{4})-\d{3}\b", text) else _ORDINAL.search(text)
    if match:
        parsed.fields["year"] = int(match.group(1))
        parsed.fields["yday"] = int(match.group(2))
        parsed.complete_year = len(match.group(1)) == 2
    return match


def _parse_year(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _APOSTROPHE_YEAR.search(text)
    if match:
        parsed.fields["year"] = int(match.group(1))
        parsed.complete_year = len(match.group(1)) <= 2
    return match


def _parse_month(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _MONTH_ONLY.search(text)
    if match:
        parsed.fields["mon"] = _month_number(match.group(1))
    return match


def _parse_ordinal_day(text: str, parsed: _Parsed) -> re.Match[str] | None:
    match = _ORDINAL_DAY.search(text)
    if match:
        parsed.fields["mday"] = int(match.group(1))
    return match


def _parse_digits(text: str, parsed: _Parsed) -> re.Match[str] | None:
    """A run of digits, read by its length (`2023` is month 20, day 23)."""
    match = _DIGITS.search(text)
    if match is None:
        return None
    sign, digits, clock, fraction = match.group(1), match.group(2), match.group(3), match.group(4)
    time_only = clock is None and fraction is not None
    f = parsed.fields
    length = len(digits)
    if time_only:
        f.update(dict(zip(("sec", "min", "hour", "mday", "mon"), (int(digits[i - 2 : i]) for i in range(length, 1, -2)), strict=False)))
    elif length == 2:
        f["mday"] = int(digits)
    elif length == 3:
        f["yday"] = int(digits)
    elif length == 4:
        f["mon"], f["mday"] = int(digits[:2]), int(digits[2:])
    elif length == 5:
        f["year"], f["yday"] = int(sign + digits[:2]), int(digits[2:])
        parsed.complete_year = True
    elif length == 6:
        f["year"], f["mon"], f["mday"] = int(sign + digits[:2]), int(digits[2:4]), int(digits[4:])
        parsed.complete_year = True
    elif length == 7:
        f["year"], f["yday"] = int(sign + digits[:4]), int(digits[4:])
    else:
        f["year"] = int(sign + digits[:4])
        for name, start in (("mon", 4), ("mday", 6), ("hour", 8), ("min", 10), ("sec", 12)):
            if length >= start + 2:
                f[name] = int(digits[start : start + 2])
    if clock and not time_only:
        for name, start in (("hour", 0), ("min", 2), ("sec", 4)):
            if len(clock) >= start + 2:
                f[name] = int(clock[start : start + 2])
    if match.group(5) and not match.group(5).startswith("["):
        parsed.zone = match.group(5)
    return match


def _three(parsed: _Parsed, year: str | None, month: str | None, day: str | None, *, slashes: bool = False) -> None:
    """Ruby's s3e: which of three numbers is the year, the month and the day."""
    if year is not None and month is not None and day is None:
        year, month, day = None, year, month
    if year is None and day is not None and _looks_like_year(day):
        year, day = day, None
    if year is not None and (suffixed := re.fullmatch(r"'?[^-+\d]*([-+]?\d+)(\D.*)", year, re.DOTALL)):
        year, day = day, suffixed.group(1)  # `3rd` is a day, whatever its place
    if month is not None and _looks_like_year(month):
        year, month, day = month, day, year
    year_last = day is not None and _looks_like_year(day)
    if year_last:
        year, day = day, year
    if year is not None:
        number = re.search(r"[-+]?\d+", year)
        if number:
            parsed.fields["year"] = int(number.group())
            parsed.complete_year = year.startswith("'") or (len(_digits_of(number.group())) <= 2 and number.group()[0] not in "+-")
    if month is not None and (number := re.search(r"\d+", _SUFFIX.sub("", month))):
        parsed.fields["mon"] = int(number.group())
    if day is not None and (number := re.search(r"\d+", _SUFFIX.sub("", day))):
        parsed.fields["mday"] = int(number.group())
    f = parsed.fields
    # Ruby reads `a/b/yyyy` day first; it is what the author meant only if a > 12 or a == b.
    parsed.day_first = slashes and year_last and f.get("mon") != f.get("mday") and max(f.get("mon", 13), f.get("mday", 13)) <= 12
    parsed.year_guessed = slashes and parsed.complete_year


def _looks_like_year(text: str) -> bool:
    return text.startswith("'") or len(_digits_of(text)) > 2


def _digits_of(text: str) -> str:
    return _SUFFIX.sub("", text.lstrip("'").lstrip("-+"))


def _zone_offset(zone: str | None) -> timedelta | None:
    """Ruby's Time.zone_offset: None for a zone it does not know (the time is then local)."""
    if not zone:
        return None
    name = zone.upper()
    if match := re.fullmatch(r"([+-])(\d\d)(:?)(\d\d)(?:\3(\d\d))?", name):
        sign = -1 if match.group(1) == "-" else 1
        return sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(4)), seconds=int(match.group(5) or 0))
    if re.fullmatch(r"[+-]\d\d", name):
        return timedelta(hours=int(name))
    hours = load_json("jekyll.json")["ruby_zone_hours"].get(name)
    return timedelta(hours=hours) if hours is not None else None


def _make_time(text: str, parsed: _Parsed, zone: tzinfo, now: datetime) -> datetime:
    """Ruby's Time.make_time: missing fields come from the clock, down to the first given."""
    f = dict(parsed.fields)
    if not any(name in f for name in ("year", "yday", "mon", "mday", "hour", "min", "sec")):
        raise InvalidDate(f"Ruby finds no date in `{text}`" if text else "the date is empty")
    offset = _zone_offset(parsed.zone)
    clock = now.astimezone(timezone(offset)) if offset is not None else now
    if "yday" in f:
        year = f.get("year", clock.year)
        if not 1 <= f["yday"] <= (366 if calendar.isleap(year) else 365):
            raise InvalidDate(f"there is no day {f['yday']} in {year}")
        day = date(year, 1, 1) + timedelta(days=f.pop("yday") - 1)
        f["year"], f["mon"], f["mday"] = day.year, day.month, day.day
    filled = {}
    for name, current in (("year", clock.year), ("mon", clock.month), ("mday", clock.day), ("hour", clock.hour),
                          ("min", clock.minute), ("sec", clock.second)):
        if name in f:
            break
        filled[name] = current
    values = {name: f.get(name, filled.get(name, 1 if name in ("mon", "mday") else 0)) for name in ("year", "mon", "mday", "hour", "min", "sec")}
    if not 1 <= values["year"] <= 9999:
        # Python's dates stop at year 1; Ruby's do not (`Oct 12-15, 1993` is year -15).
        _rolled(2000, values["mon"], values["mday"], values["hour"], values["min"], values["sec"])
        raise _OutOfRange(values["year"], values["mon"], values["mday"])
    local = _rolled(values["year"], values["mon"], values["mday"], values["hour"], values["min"], values["sec"])
    if offset is not None:
        return (local - offset).replace(tzinfo=UTC)
    return local.replace(tzinfo=zone)


class _OutOfRange(OverflowError):
    def __init__(self, year: int, month: int, mday: int):
        super().__init__(year)
        self.year, self.month, self.mday = year, month, mday


def _judge_instant(text: str, instant: datetime, zone: tzinfo) -> JekyllDate:
    written = tuple(int(part) for part in text.split(" ")[0].split("T")[0].split("t")[0].split("-"))
    return _judge_day(text, (written[0], written[1], written[2]), instant.astimezone(zone), zone, zoned=bool(_TRAILING_ZONE.search(text)))


_TRAILING_ZONE = re.compile(r"\d(?:\.\d*)?\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?)$")


def _judge_day(text: str, written: tuple[int, int, int], local: datetime, zone: tzinfo, zoned: bool) -> JekyllDate:
    """Whether the day the page is dated (`local`, in the build's time zone) is the day written."""
    published = local.date().isoformat()
    year, month, mday = written
    if (local.year, local.month, local.day) == written:
        return JekyllDate("ok", published)
    days = calendar.monthrange(year, month)[1]
    if mday > days:
        why = f"{year}-{month:02d} has {days} days: Ruby moves the date into the next month"
    elif zoned:
        why = f"`{text}` is {local:%H:%M} on {published} in the build's time zone ({_zone_name(zone)})"
    elif local.hour == 0 and local.minute == 0 and re.search(r"\b24:|:60\b", text):
        why = f"`{text}` is midnight at the start of {published}"
    else:
        why = f"a time without a zone is UTC to YAML: `{text}` is {local:%H:%M} on {published} in the build's time zone ({_zone_name(zone)})"
    return JekyllDate("shifts", published, why)


def _zone_name(zone: tzinfo) -> str:
    return str(zone) if zone is not UTC else "UTC"


def _judge(text: str, parsed: _Parsed, result: datetime, zone: tzinfo) -> JekyllDate:
    local = result.astimezone(zone)
    published = local.date().isoformat()
    f = parsed.fields
    if "year" not in f and "yday" not in f:
        what = "no year" if "mon" in f or "mday" in f else "no date"
        return JekyllDate("shifts", published, f"`{text}` has {what}: Ruby takes it from the build's clock ({published} if built now)")
    if parsed.year_guessed:
        return JekyllDate("shifts", published, f"`{text}` has no four-digit year: Ruby reads it as {published}")
    if parsed.day_first:
        return JekyllDate("shifts", published, f"Ruby reads `{text}` day first, as {published}")
    if "mon" in f:
        reading = _judge_day(text, (f["year"], f["mon"], f.get("mday", 1)), local, zone, zoned=_zone_offset(parsed.zone) is not None)
        if reading.verdict != "ok":
            return reading
    if re.search(r"[^\W_]", parsed.rest):
        return JekyllDate("ignores", published, f"Ruby ignores `{parsed.rest}` in `{text}`")
    return JekyllDate("ok", published)
