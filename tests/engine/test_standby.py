"""A console waiting to take the scheduler over asks nothing of the write lock while the holder is alive."""

from __future__ import annotations

import asyncio

from memjournal import MemoryJournal
from samples import MINIMAL

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import loads


class CountingJournal(MemoryJournal):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    async def acquire_lease(self, holder: str, ttl: float) -> bool:
        self.asked.append(holder)
        return await super().acquire_lease(holder, ttl)


async def test_a_standby_console_leaves_a_live_lease_alone_and_takes_a_dead_one_over() -> None:
    journal = CountingJournal()
    scenario = loads(MINIMAL)
    holder = Drill(scenario, journal, participant="Dana", role="control")
    standby = Drill(scenario, journal, participant="Priya", role="ic")
    await holder.execute(c.Start())  # a running drill: its scheduler holds the lease (a paused one needs none)
    running = asyncio.ensure_future(holder.run_scheduler(ttl=0.6))
    async def held() -> None:
        while journal.held is None:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(held(), 10)
    waiting = asyncio.ensure_future(standby.run_scheduler(ttl=0.6))
    await asyncio.sleep(0.5)  # a few of the standby's looks at the lease
    assert standby.holder not in journal.asked  # it only read the lease: no write, no queue for the lock
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)  # the holder gives the lease up
    async def taken_over() -> None:
        while journal.held is None or journal.held[0] != standby.holder:
            await asyncio.sleep(0.05)

    await asyncio.wait_for(taken_over(), 10)
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    assert standby.holder in journal.asked
