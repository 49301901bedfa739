"""The dates Hugo reads in front matter, as Hugo 0.111 reads them (spf13/cast's list of Go time
layouts; checked case by case with the real `hugo`, see bench/hugo_compare.py): a value none of
them reads does not stop the build, the page is dated 0001-01-01 and listed as such; a whole
number is seconds since 1970. TOML datetimes and YAML timestamps are dates already."""

from __future__ import annotations

import datetime
import re
from functools import cache

# Go layouts cast tries, in its order (`time.RFC3339`, ..., `time.StampNano`).
LAYOUTS = (
    "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "Mon, 02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 MST",
    "02 Jan 06 15:04 -0700", "02 Jan 06 15:04 MST", "Monday, 02-Jan-06 15:04:05 MST", "Mon Jan _2 15:04:05 2006",
    "Mon Jan _2 15:04:05 MST 2006", "Mon Jan 02 15:04:05 -0700 2006", "2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02",
    "02 Jan 2006", "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05 -0700",
    "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "3:04PM", "Jan _2 15:04:05",
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DAYS = "mon|tue|wed|thu|fri|sat|sun"
# Go's layout elements, longest first, and what each reads (numbers of fixed width where Go wants them).
_ELEMENTS = (
    ("Z07:00", r"(?:Z|[+-]\d\d:\d\d)"), ("-07:00", r"[+-]\d\d:\d\d"), ("-0700", r"[+-]\d{4}"),
    (".999999999", r"(?:\.\d+)?"), ("Monday", r"[A-Za-z]+day"), ("2006", r"(?P<year>\d{4})"), ("MST", r"[A-Z]{3,4}|[+-]\d+"),
    ("Mon", rf"(?i:{_DAYS})"), ("Jan", rf"(?P<month_name>(?i:{_MONTHS}))"), ("PM", r"(?:AM|PM)"),
    ("01", r"(?P<month>\d\d)"), ("02", r"(?P<day>\d\d)"), ("_2", r"(?P<day> ?\d{1,2})"), ("06", r"(?P<short_year>\d\d)"),
    ("15", r"(?P<hour>\d{1,2})"), ("04", r"(?P<minute>\d\d)"), ("05", r"(?P<second>\d\d)(?:\.\d+)?"), ("3", r"(?P<hour12>\d{1,2})"),
)


@cache
def _pattern(layout: str) -> re.Pattern[str]:
    parts, index = [], 0
    while index < len(layout):
        for element, regex in _ELEMENTS:
            if layout.startswith(element, index):
                parts.append(regex)
                index += len(element)
                break
        else:
            parts.append(re.escape(layout[index]))
            index += 1
    return re.compile("".join(parts))


def _valid(match: re.Match[str]) -> bool:
    fields = match.groupdict()
    year = int(fields.get("year") or 0) if fields.get("year") else 2000 + int(fields.get("short_year") or 0)
    named = fields.get("month_name")
    month = _MONTHS.split("|").index(named.lower()) + 1 if named else int(fields.get("month") or 1)
    day = int((fields.get("day") or "1").strip())
    hour = int(fields.get("hour") or fields.get("hour12") or 0)
    if fields.get("hour12") and not 1 <= hour <= 12:
        return False
    minute, second = int(fields.get("minute") or 0), int(fields.get("second") or 0)
    try:
        datetime.datetime(year or 1, month, day, hour % 24 if fields.get("hour12") else hour, minute, second)
    except ValueError:
        return False
    return True


def readable(value: object) -> bool:
    """Whether Hugo reads `value` (a front matter date) as the date it says."""
    if isinstance(value, datetime.date):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return any((match := _pattern(layout).fullmatch(text)) is not None and _valid(match) for layout in LAYOUTS)


def what_hugo_does(value: object) -> str:
    """For a value `readable` refuses: what the page gets instead."""
    if isinstance(value, int) and not isinstance(value, bool):
        moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=value) if abs(value) < 10**11 else None
        when = moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "a moment far from it"
        return f"a whole number is seconds since 1970 to Hugo: the page is dated {when}"
    return "Hugo reads no date in it and dates the page 0001-01-01, listed last and shown as January 1, 0001"
