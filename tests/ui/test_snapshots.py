"""Snapshots of the main screen at a fixed drill time, at 80x24 and 160x48."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import loads
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.settings import Settings


def make_app(tmp_path) -> tuple[DrilltuiApp, Drill, VirtualWall]:
    wall = VirtualWall()
    drill = Drill(loads(MINIMAL), MemoryJournal(), participant="Dana", role="control", wall=wall)
    app = DrilltuiApp(Live(drill, "mini-20260101-0900", run_scheduler=False, join=False),
                      settings=Settings(path=tmp_path / "c.yaml", bell=False), clock_interval=None)
    return app, drill, wall


async def mid_drill(pilot, drill: Drill, wall: VirtualWall) -> None:
    """T+00:04:30: I-1 acknowledged and decided, I-3 triggered, I-2 released, a note, a status."""
    await drill.execute(c.Start())
    wall.advance(60)
    await drill.tick()
    await pilot.pause()  # the console draws I-1 as it comes in (and keeps it selected as later ones arrive above)
    wall.advance(45)
    await drill.execute(c.Acknowledge("I-1"), participant="Sam", role="soc")
    await drill.execute(c.Decide("I-1", "isolate"), participant="Sam", role="soc")
    await drill.execute(c.SetStatus("soc", "busy", "isolating cluster"), participant="Sam", role="soc")
    wall.advance(120)
    await drill.tick()
    wall.advance(45)
    await drill.execute(c.AddNote("SOC paged the lead by phone", "note", inject="I-1"))
    await pilot.pause()
    pilot.app.clear_notifications()
    pilot.app.broadcast()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_dashboard_mid_drill(snap_compare, tmp_path, size) -> None:
    app, drill, wall = make_app(tmp_path)

    async def run_before(pilot) -> None:
        await mid_drill(pilot, drill, wall)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_dashboard_before_start(snap_compare, tmp_path) -> None:
    app, _, _ = make_app(tmp_path)
    assert snap_compare(app, terminal_size=(120, 36))
