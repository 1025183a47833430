"""ICS-214 Activity Logs as report blocks (Markdown, HTML) and as CSV: for `drilltui activity` and the report's appendix."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from drilltui.engine.activity import ActivityLog
from drilltui.report.document import Block, Heading, Para, Table
from drilltui.report.text import wall
from drilltui.scenario.msel.guard import guard_cell

CSV_COLUMNS = ("incident", "period_from", "period_to", "role", "position", "name", "prepared_by",
               "date_time", "drill_time", "activity", "notable_activity")


def _period(log: ActivityLog) -> str:
    if not log.period_from:
        return "not started"
    return f"{wall(log.period_from)} to {wall(log.period_to)} (24-hour)"


def log_blocks(log: ActivityLog, level: int) -> Iterator[Block]:
    """One role's log: its header blocks as a table, then its notable activities."""
    yield Heading(level, f"{log.position} ({log.role})", f"ics214-{log.role}")
    yield Table(f"ICS-214 header: {log.position}", ("Block", "Entry"), (
        ("1. Incident name", log.incident),
        ("2. Operational period", _period(log)),
        ("3. Name", log.name),
        ("4. ICS position", f"{log.position} ({log.role})"),
        ("8. Prepared by", f"{log.prepared_by}, {wall(log.period_to)}" if log.period_to else log.prepared_by),
    ))
    yield Table(f"7. Activity log: {log.position}", ("Date/time", "Drill time", "Activity", "Notable activity"), tuple(
        (wall(a.wall_time), a.clock, a.what, a.text) for a in log.activities
    ))


def appendix(logs: Sequence[ActivityLog]) -> Iterator[Block]:
    """The report's appendix (its heading is the report's): every role's ICS-214 log."""
    yield Para("For each role, every notable activity from the drill's log: what it received, acknowledged, decided, "
               "escalated, said and was tasked with, and its status changes, in drill time and wall time (UTC). "
               "A role's log holds only what was sent to it, by it or escalated to it.")
    if not logs:
        yield Para("No role has an activity yet.")
    for log in logs:
        yield from log_blocks(log, 3)


def document(logs: Sequence[ActivityLog], drill_id: str) -> list[Block]:
    """The blocks of `drilltui activity`: a title, then each role's log."""
    incident = logs[0].incident if logs else drill_id
    out: list[Block] = [Heading(1, f"ICS-214 Activity Logs: {incident}", "top"),
                        Para(f"Drill {drill_id}, built from its event log alone.")]
    for log in logs:
        out += log_blocks(log, 2)
    return out


def render_csv(logs: Sequence[ActivityLog]) -> str:
    """One row per activity, the header blocks repeated on each (CSV_COLUMNS); cells guarded against formulas."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for log in logs:
        for a in log.activities:
            writer.writerow(guard_cell(str(v)) for v in (
                log.incident, log.period_from, log.period_to, log.role, log.position, log.name, log.prepared_by,
                a.wall_time, a.clock, a.what, a.text))
    return buf.getvalue()


def render(logs: Sequence[ActivityLog], fmt: str, drill_id: str) -> str:
    """The logs as `md`, `html` or `csv` text."""
    if fmt == "csv":
        return render_csv(logs)
    from drilltui.report.html import render_blocks
    from drilltui.report.markdown import render_block_lines

    blocks = document(logs, drill_id)
    return render_block_lines(blocks) if fmt == "md" else render_blocks(blocks, None, "ICS-214 activity logs")
