"""`drilltui replay [DRILL]`: watch a past (or running) drill exactly as the room saw it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path
from drilltui.errors import UserError
from drilltui.scenario import format_drill_time, parse_duration

if TYPE_CHECKING:
    from drilltui.commands.watchdog import Watchdog


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


PAGE = 5000  # events per read: only one page of raw rows is in memory at once


async def event_pages(log, drill_id: str, after: int = 0, *, page: int = PAGE):
    """The drill's events after seq `after`, a list of at most `page` at a time, to its end."""
    from drilltui.journal import from_record

    while True:
        records = await log.read(drill_id, after + 1, after + page)
        if records:
            yield [from_record(r) for r in records]
            after = records[-1].seq
        if len(records) < page:
            return


async def read_events(log, drill_id: str, *, page: int = PAGE) -> list:
    """Every event of the drill, read a page at a time.

    Reading all rows at once holds the raw rows, the stored records and the
    events together: for a 100,000-event drill that doubles the peak memory.
    """
    events: list = []
    async for events_page in event_pages(log, drill_id, page=page):
        events.extend(events_page)
    return events


async def _running(journal) -> bool:
    """Whether a console runs the drill now: it holds the drill's scheduler lease."""
    return await journal.lease_holder() is not None


def _state(d) -> str:
    return "ended" if d.ended else ("running" if d.started else "not started")


async def _participants(log, drill_id: str) -> int:
    """How many people acted or joined: distinct participants of the drill's events, the drill itself not counted.

    This reads every event of the drill, a page at a time; the picker counts in
    the background so the list shows at once. (A store query
    `SELECT COUNT(DISTINCT participant)` would make it free.)
    """
    from drilltui.engine import SYSTEM

    names: set[str] = set()
    after = 0
    while True:
        records = await log.read(drill_id, after + 1, after + PAGE)
        names.update(r.participant for r in records)
        if len(records) < PAGE:
            return len(names - {SYSTEM, ""})
        after = records[-1].seq


async def picker_rows(log) -> list:
    from drilltui.commands.drills import rehearsal_of, with_mark
    from drilltui.ui.picker import PickerRow

    rows = []
    for d in await log.drills():
        last = await log.read(d.id, max(1, d.events)) if d.events else []
        length = format_drill_time(last[-1].drill_time) if last else "T+00:00:00"
        rows.append(PickerRow(d.id, d.scenario_id, (d.started or d.created_at)[:16].replace("T", " "),
                              length, d.events, with_mark(_state(d), await rehearsal_of(log, d.id))))
    return rows


async def open_replay(log, drill_id: str, *, at: float | None = None, speed: float = 1.0) -> object:
    """A `ReplaySource` for the app: the drill's events, and for one not ended how to follow it."""
    from drilltui.journal import DrillJournal
    from drilltui.scenario import loads
    from drilltui.ui.replay import ReplaySource

    record = await log.drill(drill_id)
    scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
    journal = DrillJournal(log, record.id)
    # The first frame comes before the log is read: the screen reads it a page at a time and fills in.
    return ReplaySource(scenario, [], record.id, at=at, speed=speed, pages=lambda after: event_pages(log, record.id, after),
                        tail=None if record.ended else journal.tail, running=lambda: _running(journal))


class ReplayOpener:
    """Opens the drill the picker chose, on the read-only log."""

    def __init__(self, log, at: float | None, speed: float) -> None:
        self.log, self.at, self.speed = log, at, speed

    async def open(self, action: str, target: str) -> object:
        return await open_replay(self.log, target, at=self.at, speed=self.speed)

    async def refresh(self, screen: object) -> None:
        """The picker's rows stay as they were listed."""


async def _replay(args: argparse.Namespace, watchdog: Watchdog) -> int:
    import asyncio

    from drilltui.commands.dashboard import check_theme
    from drilltui.commands.watchdog import exit_only
    from drilltui.store import open_log
    from drilltui.ui.app import DrilltuiApp
    from drilltui.ui.picker import PickerScreen
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
    async with await open_log(db_path(args, create=False), readonly=True, create=False) as log:
        if args.drill:
            first = await open_replay(log, args.drill, at=at, speed=speed)
        else:
            rows = await picker_rows(log)
            if not rows:
                raise UserError("no drills in this database yet; run one with `drilltui run SCENARIO`")
            first = PickerScreen(rows, lambda drill_id: _participants(log, drill_id))
        app = DrilltuiApp(first, settings=load_settings(), theme=theme, opener=ReplayOpener(log, at, speed))
        watchdog.attach(exit_only(asyncio.get_running_loop(), app.exit))
        await app.run_async()
    return app.return_code or 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    from drilltui.commands.watchdog import bounded

    with bounded() as watchdog:  # a closed terminal ends the replay within seconds, even if its shutdown is stuck
        return asyncio.run(_replay(args, watchdog))
