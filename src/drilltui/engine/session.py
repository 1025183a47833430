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
from drilltui.engine.events import SYSTEM, ClockPaused, ConsoleLost, Event, EventBody, utc_iso
from drilltui.engine.permissions import Refused
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

    async def lease(self) -> tuple[str, float] | None:
        """The lease as last written, expired or not: (holder, expires); holder "" once given up."""
        ...


class WallClock:
    """Wall time that never jumps: the system clock read once, then monotonic."""

    def __init__(self) -> None:
        self._wall0 = time.time()
        self._mono0 = time.monotonic()

    def __call__(self) -> float:
        return self._wall0 + (time.monotonic() - self._mono0)


Listener = Callable[[DrillState, list[Event]], None]
Timed = list[tuple[float, EventBody]]  # events to log, each at its drill time

LEASE_TTL = 5.0  # seconds a scheduler's lease lasts without renewal


def holder_name(holder: str) -> str:
    """The participant name in a lease holder (`name/4f3a...`)."""
    return holder.rsplit("/", 1)[0]


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
        self.agenda = scheduler.Agenda(self.state)

    # -- reading --------------------------------------------------------

    async def load(self) -> DrillState:
        self.state = fold(self.scenario, await self.journal.read(0))
        self.agenda.reset(self.state)
        return self.state

    def now(self) -> float:
        """Drill time now, to the microsecond."""
        return round(self.state.drill_time(self.wall()), 6)

    def _apply(self, events: Sequence[Event]) -> list[Event]:
        applied = []
        for event in events:
            if event.seq == self.state.seq + 1:
                self.state = apply(self.state, event)
                self.agenda.note(self.state, event)
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

    async def _commit(self, decide: Callable[[], Timed], participant: str, role: str) -> list[Event]:
        for _ in range(50):
            try:
                timed = decide()
            except Refused:
                # The refusal may rest on a stale view: decide again on the latest log.
                if await self.catch_up():
                    continue
                raise
            if not timed:
                return []
            wall = utc_iso(self.wall())
            events = [Event(b, t, wall, participant, role) for t, b in timed]
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

        def decide() -> Timed:
            now = self.now()
            return [(now, b) for b in handle(self.state, command, as_role, now)]

        return await self._commit(decide, who, as_role)

    def _due(self) -> Timed:
        """Everything the scheduler must log up to now, each action decided on the state after the ones before."""
        state, now, out = self.state, self.now(), []
        while (step := self.agenda.step(state, now)) is not None:
            t, bodies = step
            for body in bodies:
                event = Event(body, t, "", SYSTEM, "", state.seq + 1)
                state = apply(state, event)
                self.agenda.note(state, event)
                out.append((t, body))
        return out

    async def tick(self) -> list[Event]:
        """Release what is due and expire what is late, up to now, in one append."""
        planned = 0

        def due() -> Timed:
            nonlocal planned
            planned += 1
            return self._due()

        landed = False
        try:
            events = await self._commit(due, SYSTEM, "")
            landed = planned == 1
            return events
        finally:
            # Planning went ahead of the log; if what was planned did not land as planned, the heap has lost
            # entries. (When it landed, the heap holds what the log holds: a reset, which looks at every
            # inject, would make each tick of a long MSEL cost as much as the MSEL.)
            if not landed:
                self.agenda.reset(self.state)

    def reached(self, lease: tuple[str, float] | None, ttl: float) -> float:
        """The drill time a lease's last holder had reached when it was last alive (its heartbeat)."""
        last = self.state.last_drill_time
        if lease is None:
            return last
        holder, expires = lease
        alive = expires if holder == "" else expires - ttl  # given up at `expires`; else renewed ttl before it
        return round(max(last, min(self.state.clock.at(alive), self.now())), 6)

    async def pause_if_orphaned(self, *, ttl: float = LEASE_TTL, on_wait: Callable[[], None] | None = None) -> bool:
        """After a crash: if nobody runs the drill, log where its clock console was lost and pause there.

        The console that runs the clock renews its lease as a heartbeat, so the
        drill time it last reached is known; the drill resumes from that moment,
        and the log says the console was lost (replay shows the gap).
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
        lease = await self.journal.lease()

        def decide() -> Timed:
            if self.state.phase != "running":
                return []
            t = self.reached(lease, ttl)
            lost = lease is not None and lease[0] != ""
            out: Timed = [(t, ConsoleLost(holder_name(lease[0]), False))] if lost else []  # type: ignore[index]
            why = "the console running the clock was lost" if lost else "nobody ran the clock after its console left"
            return [*out, (t, ClockPaused(why))]

        await self._commit(decide, SYSTEM, "")
        return True

    def heartbeat(self, ttl: float) -> float:
        """Seconds between lease renewals: often enough that a lost console's last drill time is known closely."""
        state = self.state
        if state.phase == "running" and state.clock.speed > 1:
            return max(0.25, min(ttl / 3, 2.0 / state.clock.speed))
        return ttl / 3

    async def run_scheduler(self, *, interval: float = 0.1, ttl: float = LEASE_TTL) -> None:
        """Hold the drill's scheduler lease and tick; runs until cancelled.

        Another process may hold the lease: then wait, and take over within
        `ttl` seconds if it stops renewing; a takeover from a console that
        was lost while the drill ran is logged, and the drill goes on.

        The loop sleeps until the next timed action falls due or the lease
        needs renewing, and wakes early when the drill changes. While the clock
        does not run nothing falls due and the drill time stands still, so it
        neither ticks nor renews (its heartbeat would tell of a time that does
        not move): a paused drill costs no write. `interval` is the shortest
        sleep between ticks.
        """
        changed = asyncio.Event()

        def wake(state: DrillState, events: list[Event]) -> None:
            changed.set()

        self.listeners.append(wake)
        renewed = float("-inf")
        try:
            while True:
                changed.clear()
                if self.state.phase != "running":
                    await self.catch_up()
                    if self.state.phase != "running":
                        # A change wakes this at once (the session follows the log); the timeout
                        # catches up on a drill resumed elsewhere when nothing follows it.
                        await _until(changed, ttl)
                        continue
                # Renew the lease a few times per ttl, not on every tick.
                beat = self.heartbeat(ttl)
                held = time.monotonic() - renewed < beat
                if not held:
                    before = await self.journal.lease() if renewed == float("-inf") else None
                    if before is not None and before[0] not in ("", self.holder) and before[1] > time.time():
                        pass  # another console holds it and is alive: asking would only queue for the write lock
                    elif await self.journal.acquire_lease(self.holder, ttl):
                        if renewed == float("-inf"):
                            await self._taken_over(before, ttl)
                        renewed, held = time.monotonic(), True
                    else:
                        renewed = float("-inf")
                if held:
                    await self.catch_up()
                    await self.tick()
                    wait = max(0.0, renewed + beat - time.monotonic())
                    due = self.agenda.next_due(self.state)
                    if due is not None and self.state.phase == "running" and self.state.clock.speed > 0:
                        wait = min(wait, max(0.0, (due - self.now()) / self.state.clock.speed))
                    await asyncio.sleep(min(wait, interval))  # at least this long between ticks
                    await _until(changed, wait - interval)
                else:
                    await _until(changed, min(1.0, ttl / 3))
        finally:
            if wake in self.listeners:
                self.listeners.remove(wake)
            with contextlib.suppress(Exception):
                await asyncio.shield(self.journal.release_lease(self.holder))

    async def _taken_over(self, before: tuple[str, float] | None, ttl: float) -> None:
        """Log that the drill went on without a console that was lost while it ran."""
        if before is None or before[0] in ("", self.holder):
            return
        await self.catch_up()

        def decide() -> Timed:
            if self.state.phase != "running":
                return []
            return [(self.reached(before, ttl), ConsoleLost(holder_name(before[0]), True))]

        await self._commit(decide, SYSTEM, "")


async def _until(event: asyncio.Event, timeout: float) -> None:
    """Wait until the event is set or `timeout` seconds have passed, whichever comes first."""
    if timeout <= 0 or event.is_set():
        return
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)
