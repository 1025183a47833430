"""A scenario's MSEL out again: the rows and their HSEEP-style columns, as CSV."""

from __future__ import annotations

import csv
import io

from drilltui.scenario.durations import format_drill_time, format_duration
from drilltui.scenario.model import Role, Scenario
from drilltui.scenario.msel.cells import escape_bars, format_trigger, split_notes
from drilltui.scenario.msel.guard import guard_cell
from drilltui.scenario.msel.roles import recipient

# The columns export-msel writes, in order; import-msel reads every one back.
EXPORT_COLUMNS = (
    "Event No.", "Scenario Time (T+)", "Trigger", "From", "To", "Method", "Severity", "Title",
    "Inject / Message", "Expected Player Action", "Objectives", "Capability", "Decision",
    "Contingency", "Notes", "Ack Within",
)
METHOD_LABELS = {
    "email": "Email", "phone": "Phone", "radio": "Radio", "chat": "Chat",
    "in-person": "In person", "system": "System", "other": "Other",
}


def export_rows(scenario: Scenario) -> list[list[str]]:
    """The MSEL rows of a scenario, header first (EXPORT_COLUMNS), as plain text (not yet guarded for CSV)."""
    rows = [list(EXPORT_COLUMNS)]
    for i in scenario.injects:
        expected, notes = split_notes(i.expected_action)
        caps = [(o.capability or "") if (o := scenario.objective(oid)) else "" for oid in i.objectives]
        if len(set(caps)) == 1:
            caps = caps[:1]  # one capability for all of the row's objectives
        decision = ""
        if i.decision is not None:
            decision = " | ".join(
                [escape_bars(i.decision.prompt), *(f"{o.id}: {escape_bars(o.label)}" for o in i.decision.options)]
            )
        to = "; ".join(recipient(scenario.role(r) or Role(r, r), scenario.roles) for r in i.to)
        rows.append(list((
            i.id,
            format_drill_time(i.at) if i.at is not None and not i.manual and i.after is None else "",
            format_trigger(i.after) if i.after is not None and not i.manual else "",
            i.sender or "",
            to,
            METHOD_LABELS.get(i.method, i.method),
            i.severity.capitalize(),
            i.title,
            i.message,
            expected,
            "; ".join(i.objectives),
            "; ".join(caps) if any(caps) else "",
            decision,
            "Yes" if i.manual else "",
            notes,
            format_duration(i.ack_within) if i.ack_within is not None else "",
        )))
    return rows


def export_msel(scenario: Scenario, *, delimiter: str = ",") -> str:
    """A scenario's MSEL as CSV text (CRLF rows, multi-line cells quoted), HSEEP-style headers."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([guard_cell(v) for v in row] for row in export_rows(scenario))
    return buf.getvalue()
