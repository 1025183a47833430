"""`drilltui drills`: list the drills in a database."""

from __future__ import annotations

import argparse

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say
from drilltui.store import Log, open_log
from drilltui.visible import visible

REHEARSAL = "rehearsal_started"  # engine.events.RehearsalStarted.KIND, without importing the engine to list drills


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drills", help="list the drills in a database", description="List the drills in a database, newest first.")
    add_db(p)
    p.set_defaults(func=run)


async def rehearsal_of(log: Log, drill_id: str) -> str | None:
    """The policy a rehearsal was played under, from its first event; None for a drill played by people."""
    first = await log.read(drill_id, 1, 1)
    if first and first[0].kind == REHEARSAL:
        return str(first[0].data.get("policy", ""))
    return None


def with_mark(state: str, rehearsal: str | None) -> str:
    """A drill's state as listed, `rehearsal (nobody), ended` for a rehearsal: the mark first, where a narrow column keeps it."""
    return state if rehearsal is None else f"rehearsal ({rehearsal}), {state}"


async def _list(args: argparse.Namespace) -> int:
    async with await open_log(db_path(args, create=False), readonly=True, create=False) as log:
        drills = await log.drills()
        if not drills:
            print("no drills yet")
            return 0
        marks = {d.id: await rehearsal_of(log, d.id) for d in drills}
    rows = [("DRILL", "SCENARIO", "STARTED", "STATE", "EVENTS")]
    for d in drills:
        state = "ended" if d.ended else ("running" if d.started else "ready")
        state = with_mark(state, marks[d.id])
        started = (d.started or d.created_at)[:19].replace("T", " ")
        rows.append((visible(d.id), visible(d.scenario_id), visible(started), visible(state), str(d.events)))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        say("  ".join(c.ljust(w) if i < 4 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_list(args))
