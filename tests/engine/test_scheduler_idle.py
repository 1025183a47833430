"""The scheduler writes only while the drill's clock runs: a paused drill costs no lease commits, a running one keeps its heartbeat."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import loads

TTL = 0.3  # seconds: a heartbeat every 0.1 s while the clock runs


class CountingJournal(MemoryJournal):
    """Counts the lease writes (a commit each on disk)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__(clock)
        self.renewals = 0

    async def acquire_lease(self, holder: str, ttl: float) -> bool:
        self.renewals += 1
        return await super().acquire_lease(holder, ttl)


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), timeout)


@pytest.fixture
async def scheduled():  # type: ignore[no-untyped-def]
    wall = VirtualWall()
    journal = CountingJournal(wall)
    drill = Drill(loads(MINIMAL), journal, participant="Dana", role="control", wall=wall)
    following = asyncio.create_task(drill.follow())
    running = asyncio.create_task(drill.run_scheduler(interval=0.01, ttl=TTL))
    yield drill, journal, wall
    for task in (running, following):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_paused_drill_renews_no_lease(scheduled) -> None:  # type: ignore[no-untyped-def]
    drill, journal, _ = scheduled
    await drill.execute(c.Start())
    await until(lambda: journal.renewals >= 2)
    await drill.execute(c.Pause())
    await asyncio.sleep(0.05)  # the loop sees the pause
    before = journal.renewals
    await asyncio.sleep(6 * TTL / 3)  # six heartbeats' worth of time
    assert journal.renewals == before


async def test_a_drill_not_started_renews_no_lease(scheduled) -> None:  # type: ignore[no-untyped-def]
    _, journal, _ = scheduled
    await asyncio.sleep(6 * TTL / 3)
    assert journal.renewals == 0


async def test_a_running_drill_keeps_its_heartbeat_and_a_resume_releases_what_is_due(scheduled) -> None:  # type: ignore[no-untyped-def]
    drill, journal, wall = scheduled
    await drill.execute(c.Start())
    await until(lambda: journal.renewals >= 4)  # renewed again and again while the clock runs
    assert journal.held is not None and journal.held[0] == drill.holder
    await drill.execute(c.Pause())
    wall.advance(120)  # paused: drill time stands still, nothing falls due
    await asyncio.sleep(0.05)
    assert not drill.state.injects["I-1"].released
    await drill.execute(c.Resume())
    wall.advance(61)
    await until(lambda: drill.state.injects["I-1"].released)
    assert drill.state.injects["I-1"].released_at == pytest.approx(60)
