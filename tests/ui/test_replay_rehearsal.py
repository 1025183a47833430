"""The replay of a rehearsal says so in its title, with the policy it was played under; a drill played by people does not."""

from __future__ import annotations

import asyncio
from pathlib import Path

from samples import MINIMAL
from uiharness import until

from drilltui.commands.replay import open_replay, read_events
from drilltui.engine import Event
from drilltui.engine.rehearsal_policy import parse_policy
from drilltui.rehearsal import rehearse
from drilltui.scenario import loads
from drilltui.store import EventLog
from drilltui.ui.app import DrilltuiApp
from drilltui.ui.replay import ReplayScreen, ReplaySource
from drilltui.ui.settings import Settings

W0 = 1_767_258_000.0  # 2026-01-01T09:00:00Z


async def rehearsed(db: Path, policy: str) -> tuple[EventLog, str]:
    log = await EventLog.open(db)
    result = await rehearse(loads(MINIMAL), parse_policy(policy), log, start_wall=W0)
    return log, result.drill_id


async def test_the_replay_of_a_rehearsal_is_titled_with_its_policy(tmp_path: Path) -> None:
    log, drill_id = await rehearsed(tmp_path / "d.db", "everyone:90s")
    async with log:
        source = await open_replay(log, drill_id)  # as `drilltui replay` opens it: the log read after the first frame
        app = DrilltuiApp(source, settings=Settings(path=tmp_path / "config.yaml", bell=False), clock_interval=None)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ReplayScreen) and not app.screen.reading)
            assert app.title == "Rehearsal (everyone:90s): A minimal drill"
            assert app.sub_title == f"{drill_id} · replay, read-only"


async def test_a_drill_played_by_people_keeps_its_plain_title(tmp_path: Path) -> None:
    from memjournal import MemoryJournal, VirtualWall

    from drilltui.engine import Drill
    from drilltui.engine import commands as c

    drill = Drill(loads(MINIMAL), MemoryJournal(), participant="Dana", role="control", wall=VirtualWall())
    await drill.execute(c.Start())
    source = ReplaySource(loads(MINIMAL), list(drill.journal.events), "mini-1", tick=None)  # type: ignore[attr-defined]
    app = DrilltuiApp(source, settings=Settings(path=tmp_path / "config.yaml", bell=False), clock_interval=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        assert app.title == "A minimal drill"


def rehearsal_events(tmp_path: Path) -> list[Event]:
    async def run() -> list[Event]:
        log, drill_id = await rehearsed(tmp_path / "snap.db", "nobody")
        async with log:
            return await read_events(log, drill_id)

    return asyncio.run(run())


def test_replay_of_a_rehearsal_snapshot(snap_compare, tmp_path: Path) -> None:
    # T+00:06:00 of a rehearsal under `nobody`: I-1 escalated twice, unanswered; paused; a fixed wall clock.
    source = ReplaySource(loads(MINIMAL), rehearsal_events(tmp_path), "mini-20260101-0900", at=360.0, tick=None,
                          wall=lambda: 1_800_000_000.0)
    app = DrilltuiApp(source, settings=Settings(path=tmp_path / "config.yaml", bell=False), clock_interval=None)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


async def test_a_rehearsal_opened_live_says_so_in_its_title(tmp_path: Path) -> None:
    """`drilltui resume` of a rehearsal (or watching one): the console's title says it is one, as its replay does."""
    from drilltui.engine.session import Drill
    from drilltui.journal import DrillJournal
    from drilltui.ui.app import Live

    log, drill_id = await rehearsed(tmp_path / "d.db", "nobody")
    async with log:
        drill = Drill(loads(MINIMAL), DrillJournal(log, drill_id), participant="Dana", role="control")
        await drill.load()
        app = DrilltuiApp(Live(drill, drill_id, run_scheduler=False, join=False),
                          settings=Settings(path=tmp_path / "config.yaml", bell=False), clock_interval=None)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.title != "drilltui" and bool(app.title))
            assert app.title == "Rehearsal (nobody): A minimal drill"
