"""MSEL time cells: offsets (`T+15`, `H+1 M+30`, `J-60`), clock times, days, and a column decided as a whole."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from drilltui.scenario.durations import MAX_SECONDS
from drilltui.scenario.msel.columns import CLOCKISH, OFFSETISH, normalise_header

MAX_DIGITS = 9  # a run of digits longer than this is no time anyone planned
_LONG_DIGITS = re.compile(r"\d{%d}" % (MAX_DIGITS + 1))

_T_PREFIX = re.compile(r"(?:t\s*\+|\+)\s*", re.I)
_UNIT_PART = re.compile(
    r"(\d+)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m|seconds|second|secs|sec|s)\s*", re.I
)
_HMS = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?\Z")
_FRENCH = re.compile(r"([01]?\d|2[0-3])\s*h\s*([0-5]\d)\Z", re.I)  # 14h30
_AMPM = re.compile(r"(\d{1,2})(?::([0-5]\d))?(?::([0-5]\d))?\s*([ap])\.?\s*m\.?\Z", re.I)
_MILITARY = re.compile(r"([01]\d|2[0-3])([0-5]\d)(?:\s*(?:h|hrs?|hours|l|z))?\Z", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ]\s*(.+)\Z")
_DATED = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s+(.+)\Z")
# Relative tokens as planners write them: D+1, J-60 (French: jour), H+1, M+30, optionally a clock time after.
_LETTER_PART = re.compile(r"([DJHMS])\s*(?:([+-])\s*(\d+))?\s*", re.I)
_LETTER_UNITS = {"d": 86400, "j": 86400, "h": 3600, "m": 60, "s": 1}


def _too_long(text: str) -> bool:
    return _LONG_DIGITS.search(text) is not None


def _letters(text: str) -> tuple[int, bool, str] | None:
    """(seconds, whether a day was named, the rest) of `D+1 H+2 09:00`-style tokens, or None."""
    pos, total, day, seen = 0, 0, False, False
    t = text.strip()
    while pos < len(t):
        m = _LETTER_PART.match(t, pos)
        if not m or (m.group(2) is None and m.group(1).lower() not in "dj"):
            break
        if m.end() < len(t) and t[m.end() - 1 : m.end()].isalnum() and m.group(2) is None:
            break  # a word such as "Day" or "Monday", not a token
        sign = -1 if m.group(2) == "-" else 1
        total += sign * int(m.group(3) or 0) * _LETTER_UNITS[m.group(1).lower()]
        day = day or m.group(1).lower() in "dj"
        pos, seen = m.end(), True
    return (total, day, t[pos:].strip()) if seen else None


def parse_offset(text: str) -> int | None:
    """Seconds in an MSEL offset: `T+15` (minutes), `15`, `+15m`, `1h30m`, `01:30` (HH:MM), `01:30:00`,
    `H+1 M+30`, `J-60` (days; negative before the start). None when it is not an offset."""
    t = text.strip()
    if _too_long(t):
        return None
    letters = _letters(t)
    if letters is not None:
        total, _, rest = letters
        return total if not rest else None
    m = _T_PREFIX.match(t)
    if m:
        t = t[m.end():]
    if t.isascii() and t.isdigit():
        return int(t) * 60
    m = _HMS.match(t)
    if m:
        h, mi, s = m.groups()
        return int(h) * 3600 + int(mi) * 60 + int(s or 0)
    pos, total, seen = 0, 0, False
    while pos < len(t):
        m = _UNIT_PART.match(t, pos)
        if not m:
            return None
        unit = m.group(2).lower()
        total += int(m.group(1)) * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
        pos, seen = m.end(), True
    return total if seen else None


def clock_seconds(text: str) -> int | None:
    """Seconds since midnight (plus whole days for ISO dates) of a clock time, or None."""
    t = text.strip()
    if _too_long(t):
        return None
    day = 0
    m = _ISO.match(t)
    if m:
        y, mo, d, t = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        try:
            day = datetime.date(y, mo, d).toordinal()
        except ValueError:
            return None
    else:
        m = _DATED.match(t)
        if m:
            t = m.group(1)
    m = _AMPM.match(t)
    if m:
        h, mi, s, half = m.groups()
        hour = int(h)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
        return day * 86400 + hour * 3600 + int(mi or 0) * 60 + int(s or 0)
    m = _HMS.match(t)
    if m and int(m.group(1)) < 24:
        h, mi, s = m.groups()
        return day * 86400 + int(h) * 3600 + int(mi) * 60 + int(s or 0)
    m = _FRENCH.match(t) or _MILITARY.match(t)
    if m:
        return day * 86400 + int(m.group(1)) * 3600 + int(m.group(2)) * 60
    return None


def _day_clock(text: str) -> tuple[int, int] | None:
    """(seconds of the days named, seconds of the day) of `D+1 09:00` / `J+2 14h30`, or None."""
    letters = _letters(text)
    if letters is None or not letters[1] or not letters[2]:
        return None
    clock = clock_seconds(letters[2])
    return None if clock is None or clock >= 86400 else (letters[0], clock)


def _time_kind(text: str) -> str:
    t = text.strip()
    if _too_long(t):
        return "bad"
    if _day_clock(t) is not None:
        return "dayclock"
    if _T_PREFIX.match(t) or _letters(t) is not None:
        return "offset" if parse_offset(t) is not None else "bad"
    if _AMPM.match(t) or _ISO.match(t) or _DATED.match(t) or _FRENCH.match(t):
        return "clock"
    if _HMS.match(t):
        return "hm"
    if t.isascii() and t.isdigit():
        return "digits4" if _MILITARY.match(t) and len(t) == 4 else "number"
    if _MILITARY.match(t):
        return "clock"
    return "offset" if parse_offset(t) is not None else "bad"


def parse_start(text: str) -> datetime.datetime | None:
    """The `--start` of a drill: `2024-05-01 09:00`, `2024-05-01T09:00:00` or a time of day `09:00`."""
    t = text.strip().replace("T", " ", 1) if re.match(r"\d{4}-", text.strip()) else text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(t, fmt)
        except ValueError:
            pass
    clock = clock_seconds(t)
    if clock is None or clock >= 86400:
        return None
    return datetime.datetime.combine(datetime.date.min, datetime.time()) + datetime.timedelta(seconds=clock)


@dataclass(frozen=True)
class Times:
    seconds: dict[int, int]
    bad: dict[int, str]
    notes: list[str]


def resolve_times(cells: list[tuple[int, str]], header: str, name: str, label: Callable[[int], str],
                  start: datetime.datetime | None = None) -> Times:
    """Turn one time column into drill-time offsets, deciding whether it holds offsets or clock times.

    `cells` are (row, text); `label(row)` names a row in notes ("row 2"). Clock times are
    relative to `start` when given, else to the first row's time; anything
    before the start moves the start back to it, with a note.
    """
    norm = normalise_header(header)
    kinds = {row: _time_kind(v) for row, v in cells}
    values = dict(cells)
    if any(k in norm for k in OFFSETISH):
        mode = "offset"
    elif any(k in norm for k in CLOCKISH) or "clock" in kinds.values():
        mode = "clock"
    elif any(k in ("offset", "number") for k in kinds.values()):
        mode = "offset"
    elif "hm" in kinds.values():
        first = next(values[r] for r, k in kinds.items() if k == "hm")
        mode = "offset" if int(_HMS.match(first.strip()).group(1)) == 0 else "clock"  # type: ignore[union-attr]
    elif "digits4" in kinds.values():
        mode = "clock"
    else:
        mode = "offset"
    seconds: dict[int, int] = {}
    bad: dict[int, str] = {}
    clocks: dict[int, tuple[int, bool]] = {}
    for row, value in cells:
        kind = kinds[row]
        if kind == "offset" or (mode == "offset" and kind in ("hm", "number", "digits4")):
            got = parse_offset(value)
            if got is None:
                bad[row] = value
            else:
                seconds[row] = got
        elif kind == "dayclock":
            day_seconds, clock = _day_clock(value)  # type: ignore[misc]
            clocks[row] = (day_seconds + clock, True)
        elif mode == "clock" and kind in ("hm", "clock", "digits4"):
            got = clock_seconds(value)
            if got is None:
                bad[row] = value
            else:
                clocks[row] = (got, bool(_ISO.match(value.strip())))
        else:
            bad[row] = value
    notes: list[str] = []
    if clocks:
        iso = [r for r, v in values.items() if r in clocks and _ISO.match(v.strip())]
        if start is not None:
            base_row = None
            base = start.hour * 3600 + start.minute * 60 + start.second
            if start.date() != datetime.date.min:
                if iso:  # dated cells count from the start's date
                    base += start.date().toordinal() * 86400
        else:
            base_row = next(iter(clocks))
            base = clocks[base_row][0]
        rel: dict[int, int] = {}
        for row, (t, dated) in clocks.items():
            d = t - base
            if start is not None and dated and row not in iso:
                d = t - (start.hour * 3600 + start.minute * 60 + start.second)  # D+n HH:MM from the start's day
            if d <= -12 * 3600 and not dated:
                d += 86400  # past midnight
            rel[row] = d
        seconds.update(rel)
        if start is not None:
            notes.append(f"{name}: note: read column '{header}' as clock times from --start {start:%H:%M:%S}")
        else:
            notes.append(f"{name}: note: read column '{header}' as clock times; "
                         f"{values[base_row].strip()} ({label(base_row)}) is the start of the drill, T+00:00:00")  # type: ignore[index, arg-type]
    if seconds and min(seconds.values()) < 0:
        earliest = min(seconds, key=lambda r: seconds[r])
        shift = -seconds[earliest]
        seconds = {r: s + shift for r, s in seconds.items()}
        if start is None and earliest in clocks:
            notes[-1] = (f"{name}: note: read column '{header}' as clock times; "
                         f"{values[earliest].strip()} ({label(earliest)}) is the start of the drill, T+00:00:00")
        else:
            notes.append(f"{name}: note: {values[earliest].strip()} ({label(earliest)}) comes before the start, "
                         "so it is taken as the start of the drill, T+00:00:00")
    for row in [r for r, v in seconds.items() if v > MAX_SECONDS]:  # beyond a year: a slip, not a plan
        bad[row] = values[row]
        del seconds[row]
    return Times(seconds, bad, notes)
