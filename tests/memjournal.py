"""An in-memory Journal for engine tests: the engine's contract without SQLite."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace

from drilltui.engine import Event, Stale


class MemoryJournal:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock  # the wall clock leases expire by
        self.events: list[Event] = []
        self.held: tuple[str, float] | None = None  # (holder, expires) as last written
        self.changed = asyncio.Event()

    async def append(self, events: Sequence[Event], expected_seq: int) -> list[Event]:
        if expected_seq != len(self.events):
            raise Stale()
        stored = [replace(e, seq=len(self.events) + i + 1) for i, e in enumerate(events)]
        self.events.extend(stored)
        self.changed.set()
        return stored

    async def read(self, after_seq: int) -> list[Event]:
        return self.events[after_seq:]

    async def tail(self, after_seq: int) -> AsyncIterator[Event]:
        seen = after_seq
        while True:
            while seen < len(self.events):
                seen += 1
                yield self.events[seen - 1]
            self.changed.clear()
            await self.changed.wait()

    async def acquire_lease(self, holder: str, ttl: float) -> bool:
        now = self.clock()
        if self.held is None or self.held[0] == holder or self.held[1] <= now:
            self.held = (holder, now + ttl)
            return True
        return False

    async def release_lease(self, holder: str) -> None:
        if self.held and self.held[0] == holder:
            self.held = ("", self.clock())

    async def lease_holder(self) -> str | None:
        return self.held[0] if self.held and self.held[1] > self.clock() and self.held[0] else None

    async def lease(self) -> tuple[str, float] | None:
        return self.held


class VirtualWall:
    """A wall clock the test moves by hand."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
