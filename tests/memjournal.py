"""An in-memory Journal for engine tests: the engine's contract without SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

from drilltui.engine import Event, Stale


class MemoryJournal:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.lease: tuple[str, float] | None = None
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
        if self.lease is None or self.lease[0] == holder:
            self.lease = (holder, ttl)
            return True
        return False

    async def release_lease(self, holder: str) -> None:
        if self.lease and self.lease[0] == holder:
            self.lease = None

    async def lease_holder(self) -> str | None:
        return self.lease[0] if self.lease else None


class VirtualWall:
    """A wall clock the test moves by hand."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
