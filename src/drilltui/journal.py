"""One drill's events in the SQLite log, in the engine's terms (the engine's Journal)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from sys import intern

from drilltui.engine import Event, Stale, body_from_data
from drilltui.store import Conflict, Log, NewEvent, StoredEvent


def to_record(event: Event) -> NewEvent:
    return NewEvent(
        kind=event.kind,
        data=event.body.to_data(),
        wall_time=event.wall_time,
        drill_time=float(event.drill_time),
        participant=event.participant,
        role=event.role,
        version=event.body.VERSION,
    )


def from_record(record: StoredEvent) -> Event:
    # Names, roles and ids recur on every event: one string each, not one per event (a long replay holds them all).
    data = {k: intern(v) if type(v) is str and len(v) <= _SHORT and " " not in v else v for k, v in record.data.items()}
    body = body_from_data(record.kind, data, record.version)
    return Event(body, record.drill_time, record.wall_time, intern(record.participant), intern(record.role), record.seq)


_SHORT = 64  # characters of a word with no space: ids, role names, statuses; free text is left alone


class DrillJournal:
    """The engine's Journal for one drill of an EventLog."""

    def __init__(self, log: Log, drill_id: str) -> None:
        self.log = log
        self.drill_id = drill_id
        # Seqs this journal appended and its tails have yet to pass: the engine has them already.
        self._own: set[int] = set()

    async def append(self, events: Sequence[Event], expected_seq: int) -> list[Event]:
        try:
            stored = await self.log.append_many(self.drill_id, [to_record(e) for e in events], expected_seq=expected_seq)
        except Conflict as exc:
            raise Stale(str(exc)) from None
        self._own.update(s.seq for s in stored)
        return [replace(e, seq=s.seq) for e, s in zip(events, stored)]

    async def read(self, after_seq: int) -> list[Event]:
        return [from_record(r) for r in await self.log.read(self.drill_id, after_seq + 1)]

    async def tail(self, after_seq: int) -> AsyncIterator[Event]:
        """Events others append after after_seq; this journal's own appends are skipped (their appender has them)."""
        own = self._own
        own.difference_update([s for s in own if s <= after_seq])
        async for record in self.log.tail(self.drill_id, after_seq):
            if record.seq in own:
                own.discard(record.seq)
                continue
            yield from_record(record)

    async def acquire_lease(self, holder: str, ttl: float) -> bool:
        return await self.log.acquire_lease(self.drill_id, holder, ttl)

    async def release_lease(self, holder: str) -> None:
        await self.log.release_lease(self.drill_id, holder)

    async def lease_holder(self) -> str | None:
        return await self.log.lease_holder(self.drill_id)

    async def lease(self) -> tuple[str, float] | None:
        return await self.log.lease(self.drill_id)
