"""The report as stable JSON (`drilltui-report/1`), documented field by field in docs/report-json.md."""

from __future__ import annotations

import io
import json
from dataclasses import fields, is_dataclass
from typing import Any

from drilltui.report.model import Moment, Report


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float or value is None or kind is bool:
        return value
    if kind is Moment:
        # Every time in the JSON has this one shape, seconds and text side by side.
        return {"drill_time": value.drill_time, "drill_clock": value.clock, "wall_time": value.wall_time}
    names = _NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _NAMES[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        # Field order of the model is the key order of the JSON: stable by construction.
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


_NAMES: dict[type, tuple[str, ...]] = {}  # each model class's field names, in order


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data (dicts, lists, strings, numbers, null)."""
    out = _plain(report)
    assert isinstance(out, dict)
    return out


def render_json(report: Report) -> str:
    """Pretty-printed JSON with a trailing newline; the same report gives the same bytes."""
    # Written chunk by chunk: json.dumps would hold every one of the millions of pieces before joining them.
    out = io.StringIO()
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(report_to_dict(report)):
        out.write(chunk)
    out.write("\n")
    return out.getvalue()
