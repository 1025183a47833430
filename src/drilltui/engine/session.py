"""A live drill: commands in, events committed to the journal, state folded out.

The session knows nothing of SQL or screens: it talks to a `Journal` (the
event log of one drill) and tells listeners when the state changes. Every
change is appended first and applied only once the journal has committed it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Protocol

from drilltui.engine import scheduler
from drilltui.engine.commands import Command, handle
from drilltui.engine.permissions import Refused
from drilltui.engine.events import SYSTEM, ClockPaused, Event, EventBody, utc_iso
from drilltui.engine.reducer import apply, fold
from drilltui.engine.state import DrillState
from drilltui.scenario import Scenario


class Stale(Exception):
    """The journal moved on since the state we decided from; catch up and retry."""


class Journal(Protocol):
    """The event log of one drill, as the engine needs it."""

    async def append(self, events: Sequence[Event], expected_seq: int) -> list[Event]: ...

    async def read(self, after_seq: int) -> list[Event]: ...

    def tail(self, after_seq: int) -> AsyncIterator[Event]: ...

    async def acquire_lease(self, holder: str, ttl: float) -> bool: ...

    async def release_lease(self, holder: str) -> None: ...

    async def lease_holder(self) -> str | None: ...


class WallClock:
    """Wall time that never jumps: the system clock read once, then monotonic."""

    def __init__(self) -> None:
        self._wall0 = time.time()
        self._mono0 = time.monotonic()

    def __call__(self) -> float:
        return self._wall0 + (time.monotonic() - self._mono0)


Listener = Callable[[DrillState, list[Event]], None]


class Drill:
    """One drill as seen by one participant, acting as one role."""

    def __init__(
        self,
        scenario: Scenario,
        journal: Journal,
        *,
        participant: str,
        role: str,
        wall: Callable[[], float] | None = None,
    ) -> None:
        self.scenario = scenario
        self.journal = journal
        self.participant = participant
        self.role = role
        self.wall = wall or WallClock()
        self.state = DrillState.initial(scenario)
        self.listeners: list[Listener] = []
        self.holder = f"{participant}/{id(self):x}"

    # -- reading --------------------------------------------------------

    async def load(self) -> DrillState:
        self.state = fold(self.scenario, await self.journal.read(0))
        return self.state

    def now(self) -> float:
        """Drill time now, to the microsecond."""
        return round(self.state.drill_time(self.wall()), 6)

    def _apply(self, events: Sequence[Event]) -> list[Event]:
        applied = []
        for event in events:
            if event.seq == self.state.seq + 1:
                self.state = apply(self.state, event)
                applied.append(event)
        if applied:
            for listener in list(self.listeners):
                listener(self.state, applied)
        return applied

    async def catch_up(self) -> list[Event]:
        return self._apply(await self.journal.read(self.state.seq))

    async def follow(self) -> None:
        """Apply events appended by anyone, as they arrive; runs until cancelled."""
        async for event in self.journal.tail(self.state.seq):
            if event.seq > self.state.seq + 1:
                await self.catch_up()
            self._apply([event])

    # -- acting ---------------------------------------------------------

    async def _commit(self, decide: Callable[[], tuple[float, list[EventBody]]], participant: str, role: str) -> list[Event]:
        for _ in range(50):
            try:
                drill_time, bodies = decide()
            except Refused:
                # The refusal may rest on a stale view: decide again on the latest log.
                if await self.catch_up():
                    continue
                raise
            if not bodies:
                return []
            wall = utc_iso(self.wall())
            events = [Event(b, drill_time, wall, participant, role) for b in bodies]
            try:
                stored = await self.journal.append(events, self.state.seq)
            except Stale:
                await self.catch_up()
                continue
            self._apply(stored)
            return stored
        raise Stale("the drill's log kept moving; try again")

    async def execute(self, command: Command, *, participant: str | None = None, role: str | None = None) -> list[Event]:
        """Check and carry out a command; raises Refused (nothing written) if not allowed."""
        who = self.participant if participant is None else participant
        as_role = self.role if role is None else role

        def decide() -> tuple[float, list[EventBody]]:
            now = self.now()
            return now, handle(self.state, command, as_role, now)

        return await self._commit(decide, who, as_role)

    async def tick(self) -> list[Event]:
        """Release what is due and expire what is late, up to now."""
        out: list[Event] = []
        while True:

            def decide() -> tuple[float, list[EventBody]]:
                step = scheduler.step(self.state, self.now())
                return step if step is not None else (0.0, [])

            done = await self._commit(decide, SYSTEM, "")
            if not done:
                return out
            out.extend(done)

    async def pause_if_orphaned(self, *, ttl: float = 5.0, on_wait: Callable[[], None] | None = None) -> bool:
        """After a crash: if nobody runs the drill, pause it at its last event.

        The drill then resumes exactly where the log stopped, as if it had
        been paused at the moment of the last event.
        """
        await self.catch_up()
        if self.state.phase != "running":
            return False
        holder = await self.journal.lease_holder()
        if holder is not None:
            # A live holder renews its lease; a dead one's runs out within `ttl`.
            if on_wait is not None:
                on_wait()
            waited = 0.0
            while holder is not None and waited <= ttl + 1.0:
                await asyncio.sleep(0.25)
                waited += 0.25
                holder = await self.journal.lease_holder()
            if holder is not None:
                return False
            await self.catch_up()
            if self.state.phase != "running":
                return False
        await self._commit(
            lambda: (self.state.last_drill_time, [ClockPaused("resumed after an interruption")] if self.state.phase == "running" else []),
            SYSTEM,
            "",
        )
        return True

    async def run_scheduler(self, *, interval: float = 0.1, ttl: float = 5.0) -> None:
        """Hold the drill's scheduler lease and tick; runs until cancelled.

        Another process may hold the lease: then wait, and take over within
        `ttl` seconds if it stops renewing.
        """
        renewed = float("-inf")
        try:
            while True:
                # Renew the lease a few times per ttl, not on every tick.
                held = time.monotonic() - renewed < ttl / 3
                if not held and await self.journal.acquire_lease(self.holder, ttl):
                    renewed, held = time.monotonic(), True
                if held:
                    await self.catch_up()
                    await self.tick()
                    wait = interval
                    due = scheduler.next_due(self.state)
                    if due is not None and self.state.phase == "running" and self.state.clock.speed > 0:
                        wait = min(interval, max(0.0, (due - self.now()) / self.state.clock.speed))
                else:
                    wait = min(1.0, ttl / 3)
                await asyncio.sleep(wait)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(self.journal.release_lease(self.holder))
