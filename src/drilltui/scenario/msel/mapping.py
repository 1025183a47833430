"""Explicit column mappings (`--map time=B,to=C,title=D,message=E` or a small YAML file), and how a mapping is said back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from drilltui.scenario.msel.columns import normalise_header
from drilltui.scenario.msel.model import MselError

# The fields a column can give, with the other names planners use for them.
FIELDS = ("id", "time", "trigger", "manual", "from", "to", "method", "severity", "title", "message",
          "expected", "objectives", "capability", "decision", "notes", "ack_within")
ALIASES = {
    "event": "id", "number": "id", "no": "id", "at": "time", "after": "trigger", "contingency": "manual",
    "sender": "from", "recipient": "to", "recipients": "to", "player": "to", "text": "message", "inject": "message",
    "expected_action": "expected", "objective": "objectives", "capabilities": "capability", "poll": "decision",
    "note": "notes", "ack": "ack_within", "priority": "severity", "subject": "title", "delivery": "method",
}
_LETTERS = re.compile(r"[A-Za-z]{1,3}\Z")


def column_letter(index: int) -> str:
    """`A` for the first column, `AA` for the 27th, as spreadsheets name them."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _letter_index(letters: str) -> int:
    n = 0
    for c in letters.upper():
        n = n * 26 + ord(c) - 64
    return n - 1


@dataclass(frozen=True)
class Column:
    """A column named in a mapping: by letter (`index`) or by its header text (`header`)."""

    index: int | None = None
    header: str | None = None

    def find(self, header_row: list[str] | None) -> int | None:
        if self.index is not None:
            return self.index
        if header_row is None:
            return None
        want = normalise_header(self.header or "")
        return next((i for i, h in enumerate(header_row) if normalise_header(h) == want), None)


def _field(name: str, where: str) -> str:
    n = name.strip().lower().replace("-", "_").replace(" ", "_")
    n = ALIASES.get(n, n)
    if n not in FIELDS:
        raise MselError(f"{where}: '{name.strip()}' is not a field an MSEL column can give; use one of {', '.join(FIELDS)}")
    return n


def _column(value: str) -> Column:
    v = value.strip()
    if _LETTERS.match(v) and v.upper() == v:
        return Column(index=_letter_index(v))
    return Column(header=v)


def parse_mapping(spec: str, where: str = "--map") -> dict[str, Column]:
    """`time=B,to=C` (letters, or header names such as `time=Heure`) as a mapping of field to column."""
    out: dict[str, Column] = {}
    for part in (p for p in re.split(r"[,\n]", spec) if p.strip()):
        if "=" not in part and ":" not in part:
            raise MselError(f"{where}: '{part.strip()}' is not FIELD=COLUMN; write it like time=B,to=C,title=D,message=E")
        name, _, value = part.partition("=") if "=" in part else part.partition(":")
        if not value.strip():
            raise MselError(f"{where}: {name.strip()} has no column; write it like {name.strip()}=B")
        out[_field(name, where)] = _column(value.strip().strip("'\""))
    if not out:
        raise MselError(f"{where}: the mapping is empty; write it like time=B,to=C,title=D,message=E")
    return out


def load_mapping(data: bytes, where: str) -> dict[str, Column]:
    """A mapping file: YAML `field: column` lines (what import-msel prints can be saved as one)."""
    from drilltui.scenario.yamldata import Mapping, Scalar, YamlDataError, decode, parse

    try:
        root, _ = parse(decode(data, "mapping file"))
    except YamlDataError as exc:
        raise MselError(f"{where}:{exc.mark.line}: {exc.message}") from None
    if not isinstance(root, Mapping):
        raise MselError(f"{where}: a mapping file holds lines like 'time: B' or 'message: Inject Text'")
    out: dict[str, Column] = {}
    for k, v in root.items:
        if not isinstance(v, Scalar) or v.value is None or isinstance(v.value, bool):
            raise MselError(f"{where}:{k.mark.line}: {k.raw} needs a column letter or header name")
        out[_field(k.raw, f"{where}:{k.mark.line}")] = _column(v.raw)
    return out

