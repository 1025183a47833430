"""`drilltui export DRILL`: the raw events, as JSON lines or CSV."""

from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING, Any

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import on_terminal, write_data
from drilltui.store import open_log

if TYPE_CHECKING:
    from drilltui.store import StoredEvent

CSV_COLUMNS = ("seq", "kind", "version", "wall_time", "drill_time", "participant", "role",
               "inject", "option", "from_role", "to_role", "data", "prev_hash", "hash")


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="export a drill's raw events",
        description="Write a drill's events, one per line, with their hash chain (fields: docs/events.md).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    p.add_argument("-o", "--output", metavar="FILE", default="-", help="write here instead of standard output")
    p.set_defaults(func=run)


def as_json(e: StoredEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "kind": e.kind,
        "version": e.version,
        "wall_time": e.wall_time,
        "drill_time": e.drill_time,
        "actor": {"participant": e.participant, "role": e.role or None},
        "data": e.data,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


PAGE = 5000  # events read and written at a time: a long drill's export holds one page, never the whole log


def write(events: list[StoredEvent], fmt: str, out: Any, *, header: bool = True) -> None:
    """Write events in the format; `header` is the CSV's column row, written before the first page only."""
    import csv
    import json

    if fmt == "jsonl":
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        out.write("".join([dumps(as_json(e)) + "\n" for e in events]))
        return
    from drilltui.scenario.msel.guard import guard_cell

    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for e in events:
        d = e.data
        # Participants and scenario text reach these cells: a spreadsheet must show them, never run them.
        writer.writerow([guard_cell(v) for v in (
            e.seq, e.kind, e.version, e.wall_time, e.drill_time, e.participant, e.role,
            d.get("inject", ""), d.get("option", ""), d.get("from_role", ""), d.get("to_role", ""),
            json.dumps(d, ensure_ascii=False, sort_keys=True), e.prev_hash, e.hash,
        )])


async def _export(args: argparse.Namespace) -> int:
    async with await open_log(db_path(args, create=False), readonly=True, create=False) as log:
        drill = await log.drill(args.drill)
        if args.output == "-":
            await _pages(log, drill.id, drill.events, args.format, sys.stdout, drawn=on_terminal(sys.stdout))
        else:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                await _pages(log, drill.id, drill.events, args.format, out)
    return 0


async def _pages(log: Any, drill_id: str, head: int, fmt: str, out: Any, *, drawn: bool = False) -> None:
    """The drill's events up to `head` (its last event when the export began), a page at a time."""
    seq = 0
    while seq < head:
        events = await log.read(drill_id, seq + 1, min(head, seq + PAGE))
        if not events:
            break
        if drawn:  # a terminal: every control character drawn visibly
            buffer = io.StringIO()
            write(events, fmt, buffer, header=seq == 0)
            write_data(buffer.getvalue())
        else:
            write(events, fmt, out, header=seq == 0)
        seq = events[-1].seq
    if seq == 0 and fmt == "csv":
        write([], fmt, out if not drawn else sys.stdout)


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_export(args))
