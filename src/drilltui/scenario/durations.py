"""Durations as scenario files write them, and drill time as people read it."""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\Z")
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?\Z")

DURATION_HELP = "write it as 90s, 5m, 1h30m, 2h, 01:30:00, 12:30 (MM:SS) or whole seconds"
MAX_SECONDS = 366 * 86400  # no drill runs longer than a year; bigger numbers are typing slips


def parse_duration(value: object) -> int:
    """Seconds in a duration such as `90s`, `1h30m`, `01:30:00`, `12:30` or `90`.

    Raises ValueError with a sentence a planner can act on.
    """
    seconds = _seconds(value)
    if seconds > MAX_SECONDS:
        raise ValueError(f"{_shown(value)} is longer than a year; {DURATION_HELP}")
    return seconds


def _shown(value: object) -> str:
    text = str(value) if not isinstance(value, int) or abs(value) < 10**40 else "a number of more than 40 digits"
    return f"'{text[:37]}...'" if len(text) > 40 else f"'{text}'"


def _seconds(value: object) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a duration; {DURATION_HELP}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{_shown(value)} is negative; {DURATION_HELP}")
        return value
    if isinstance(value, float):
        raise ValueError(f"{value} is not a whole number of seconds; {DURATION_HELP}")
    text = str(value).strip()
    if text.startswith("T+"):
        text = text[2:]
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 12 else MAX_SECONDS + 1
    if len(text) > 40:
        raise ValueError(f"{_shown(value)} is not a duration; {DURATION_HELP}")
    m = _CLOCK.match(text)
    if m:
        a, b, c = m.groups()
        if c is None:  # MM:SS
            return int(a) * 60 + int(b)
        return int(a) * 3600 + int(b) * 60 + int(c)
    m = _UNITS.match(text)
    if m and text and any(m.groups()):
        h, mi, s = (int(g) if g else 0 for g in m.groups())
        return h * 3600 + mi * 60 + s
    raise ValueError(f"{_shown(value)} is not a duration; {DURATION_HELP}")


def format_drill_time(seconds: float) -> str:
    """`T+HH:MM:SS` for a drill time in seconds (negative clamps to zero)."""
    return _clock(max(0, int(seconds)))


@lru_cache(maxsize=4096)  # a report formats one per table row, many rows to a second: cached, a call is 4x quicker
def _clock(total: int) -> str:
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"T+{h:02d}:{m:02d}:{s:02d}"


def format_duration(seconds: float) -> str:
    """A short human duration: `45s`, `5m`, `1h30m`, `2m05s`."""
    total = max(0, int(round(seconds)))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        if not m and not s:
            return f"{h}h"
        return f"{h}h{m:02d}m" if not s else f"{h}h{m:02d}m{s:02d}s"
    if m:
        return f"{m}m{s:02d}s" if s else f"{m}m"
    return f"{s}s"
