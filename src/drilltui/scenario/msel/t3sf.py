"""T3SF's MSEL JSON (a list of injects with `#`, `Real Time`, `Date`, `Subject`, `From`, `Player`, `Script`, `Poll`) as a sheet.

`Poll` options (`MIT | GPL`) become the inject's decision, asked with the
script's last question (else the subject); `Date`, the in-scenario time, and
the picture columns are kept in the controller notes as `Date: ...`.
"""

from __future__ import annotations

from typing import Any

from drilltui.scenario.msel.cells import escape_bars
from drilltui.scenario.msel.model import Sheet

KEYS = ("#", "Real Time", "Date", "Subject", "From", "Player", "Script", "Poll", "Photo", "Picture Name", "Profile")
_TELLING = {"Real Time", "Subject", "Player", "Script", "Poll"}


def is_t3sf(data: object) -> bool:
    """A JSON list of objects that carry T3SF's keys."""
    if not isinstance(data, list) or not data or not all(isinstance(x, dict) for x in data):
        return False
    keys = set().union(*(x.keys() for x in data))
    return "Script" in keys and len(keys & _TELLING) >= 3


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, dict)):
        return ""
    return str(value)


def _decision(item: dict[str, Any]) -> str:
    options = [o.strip() for o in _text(item.get("Poll")).split("|") if o.strip()]
    if not options:
        return ""
    script = [ln.strip() for ln in _text(item.get("Script")).splitlines() if ln.strip()]
    questions = [ln for ln in script if ln.endswith("?")]
    prompt = questions[-1] if questions else _text(item.get("Subject")).strip() or "Choose one"
    return " | ".join(escape_bars(p) for p in (prompt, *options))


def t3sf_sheet(data: list[dict[str, Any]], path: str) -> Sheet:
    """The injects as rows under their own keys as headers, each numbered by its place in the list."""
    header = [k for k in KEYS if any(k in x for x in data)]
    header += [k for k in dict.fromkeys(k for x in data for k in x) if k not in header]
    rows = [[_decision(x) if k == "Poll" else _text(x.get(k)) for k in header] for x in data]
    return Sheet(path, [header, *rows], "T3SF MSEL JSON", first_row=0, header_row=0,
                 where=lambda n: f"{path}: item {n}", row_word="item")
