"""`drilltui replay [DRILL]`: watch a past (or running) drill exactly as the room saw it."""

from __future__ import annotations

import argparse
import asyncio

from drilltui.commands.options import add_db, db_path
from drilltui.errors import UserError
from drilltui.scenario import format_drill_time, loads, parse_duration


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "replay", help="replay a drill, read-only",
        description="Replay a drill on the dashboard's panes, read-only: play, pause, seek and step. "
        "A drill still running is followed live. Without DRILL, pick one from a list.",
    )
    p.add_argument("drill", metavar="DRILL", nargs="?", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("--at", metavar="T+HH:MM:SS", help="start at this drill time")
    p.add_argument("--speed", metavar="X", type=float, help="replay speed, 0.25 to 64 (default 1)")
    p.add_argument("--theme", metavar="NAME", help="colour theme")
    p.set_defaults(func=run)


async def _pick(log) -> str | None:  # type: ignore[no-untyped-def]
    from drilltui.ui.picker import DrillPicker, PickerRow

    rows = []
    for d in await log.drills():
        last = await log.read(d.id, max(1, d.events)) if d.events else []
        length = format_drill_time(last[-1].drill_time) if last else "T+00:00:00"
        rows.append(PickerRow(d.id, d.scenario_id, (d.started or d.created_at)[:16].replace("T", " "),
                              length, d.events, "ended" if d.ended else "running"))
    if not rows:
        raise UserError("no drills in this database yet; run one with `drilltui run SCENARIO`")
    return await DrillPicker(rows).run_async()


async def _replay(args: argparse.Namespace) -> int:
    from drilltui.commands.dashboard import check_theme
    from drilltui.journal import DrillJournal
    from drilltui.store import EventLog
    from drilltui.ui.replay import ReplayApp
    from drilltui.ui.settings import load_settings

    theme = getattr(args, "theme", None)
    check_theme(theme)
    at = None
    if args.at is not None:
        try:
            at = float(parse_duration(args.at))
        except ValueError as exc:
            raise UserError(f"--at: {exc}") from None
    speed = args.speed if args.speed is not None else 1.0
    if not 0.25 <= speed <= 64:
        raise UserError(f"--speed {speed:g} is outside 0.25 to 64")
    log = await EventLog.open(db_path(args, create=False), readonly=True, create=False)
    try:
        drill_id = args.drill or await _pick(log)
        if drill_id is None:
            return 0
        record = await log.drill(drill_id)
        scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
        journal = DrillJournal(log, record.id)
        events = await journal.read(0)
        app = ReplayApp(scenario, events, drill_id=record.id, at=at, speed=speed, settings=load_settings(),
                        theme=theme, tail=None if record.ended else journal.tail)
        await app.run_async()
    finally:
        await log.close()
    return app.return_code or 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_replay(args))
