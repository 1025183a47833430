"""A snapshot of the replay screen at a fixed moment of a fixed drill, at 120x36."""

from __future__ import annotations

import asyncio

from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill, Event
from drilltui.engine import commands as c
from drilltui.scenario import loads
from drilltui.ui.app import DrilltuiApp
from drilltui.ui.replay import ReplaySource
from drilltui.ui.settings import Settings


def fixed_drill() -> list[Event]:
    """Start, I-1 acknowledged and decided, I-3 triggered, a note, I-2 escalated and then expired, the end."""

    async def run() -> list[Event]:
        wall = VirtualWall()
        drill = Drill(loads(MINIMAL), MemoryJournal(), participant="Dana", role="control", wall=wall)
        await drill.execute(c.Start())
        wall.advance(61)
        await drill.tick()
        wall.advance(45)
        await drill.execute(c.Acknowledge("I-1"), participant="Sam", role="soc")
        await drill.execute(c.Decide("I-1", "isolate"), participant="Sam", role="soc")
        await drill.tick()
        await drill.execute(c.SetStatus("soc", "busy", "isolating cluster"), participant="Sam", role="soc")
        wall.advance(30)
        await drill.execute(c.AddNote("SOC paged the lead by phone", "note", inject="I-1"))
        wall.advance(100)
        await drill.tick()
        await drill.execute(c.Escalate("I-2"), participant="Lee", role="lead")
        wall.advance(700)
        await drill.tick()
        await drill.execute(c.End("hotwash"))
        return list(drill.journal.events)  # type: ignore[attr-defined]

    return asyncio.run(run())


def test_replay_screen_at_a_fixed_moment(snap_compare, tmp_path) -> None:
    # T+00:04:30: after the escalation, before the expiry; paused, at 4x; no timer, a fixed wall clock.
    source = ReplaySource(loads(MINIMAL), fixed_drill(), "mini-20260101-0900", at=270.0, speed=4, tick=None,
                          wall=lambda: 1_800_000_000.0)
    app = DrilltuiApp(source, settings=Settings(path=tmp_path / "config.yaml", bell=False), clock_interval=None)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
