"""Small text formats shared by the Markdown and HTML reports."""

from __future__ import annotations

from drilltui.report.model import Moment, Rating
from drilltui.scenario import format_duration

NONE = "—"


def clock(m: Moment | None) -> str:
    """`T+HH:MM:SS`, or a dash."""
    return m.clock if m is not None else NONE


def dur(seconds: float | None) -> str:
    """A latency or wall duration as people read it (`2m05s`), or a dash."""
    return format_duration(seconds) if seconds is not None else NONE


def wall(iso: str | None) -> str:
    """`2027-01-15 08:00:00 UTC` from the log's ISO time (microseconds dropped)."""
    if not iso:
        return NONE
    return iso[:19].replace("T", " ") + " UTC"


def who(name: str, role: str | None) -> str:
    """`Ana (soc)`; the drill's own doing reads `system`."""
    return f"{name} ({role})" if role else name


def rating(r: Rating | None) -> str:
    """`S — Performed with some challenges`: letter and words, never colour alone."""
    return f"{r.rating} — {r.label}" if r is not None else "not rated"


def factor(x: float) -> str:
    return f"{x:g}x"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
