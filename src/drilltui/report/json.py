"""The report as stable JSON (`drilltui-report/1`), documented field by field in docs/report-json.md."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

from drilltui.report.model import Moment, Report


def _plain(value: Any) -> Any:
    if isinstance(value, Moment):
        # Every time in the JSON has this one shape, seconds and text side by side.
        return {"drill_time": value.drill_time, "drill_clock": value.clock, "wall_time": value.wall_time}
    if is_dataclass(value) and not isinstance(value, type):
        # Field order of the model is the key order of the JSON: stable by construction.
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data (dicts, lists, strings, numbers, null)."""
    out = _plain(report)
    assert isinstance(out, dict)
    return out


def render_json(report: Report) -> str:
    """Pretty-printed JSON with a trailing newline; the same report gives the same bytes."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
