"""What both backends share: the public calls built on each one's few primitives, and own appends handed to tails."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from drilltui.store import chain
from drilltui.store.errors import Conflict, StoreError
from drilltui.store.records import DrillRecord, NewEvent, StoredEvent
from drilltui.store.rows import base_id, check_new_drill, utc_now


def pick_id(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3, ... whichever is free."""
    chosen, n = base, 1
    while chosen in taken:
        n += 1
        chosen = f"{base}-{n}"
    return chosen


def conflict(drill_id: str, where: object, seq: int, expected: int) -> Conflict:
    return Conflict(f"drill '{drill_id}' in {where} moved on (now at event {seq}, expected {expected}); "
                    "nothing was written: reload and try again")


def hand_edited(drill_id: str, where: object) -> StoreError:
    return StoreError(f"drill '{drill_id}' in {where} has events its record does not account for (edited outside drilltui?); "
                      f"run `drilltui verify {drill_id}`")


def own_events(inbox: list[StoredEvent], last: int) -> tuple[list[StoredEvent], bool]:
    """The events of inbox that follow `last` in order, and whether a gap (someone else's commit) came first."""
    ready: list[StoredEvent] = []
    while inbox:
        event = inbox.pop(0)
        if event.seq == last + 1:
            ready.append(event)
            last = event.seq
        elif event.seq > last + 1:
            inbox.clear()
            return ready, True
    return ready, False


class LogBase:
    """The calls whose logic is the same in every backend; a backend supplies `_add_drill`, `_lookup` and the rest."""

    readonly: bool
    _where: str  # how the database is named in messages

    def _init_common(self, readonly: bool) -> None:
        self.readonly = readonly
        self._closed = False
        # Set (and replaced) after each of our own appends: tails wait on it.
        self._wake = asyncio.Event()
        # Each tail's inbox, by drill: our own appends are handed to tails here, not read back.
        self._inboxes: dict[str, list[list[StoredEvent]]] = {}

    async def close(self) -> None:  # pragma: no cover - each backend closes its own
        raise NotImplementedError

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self._where} was opened read-only; open it for writing to change a drill")

    def _wake_tails(self) -> None:
        wake, self._wake = self._wake, asyncio.Event()
        wake.set()

    def _deliver(self, drill_id: str, stored: list[StoredEvent]) -> None:
        """Hand our own committed events to this log's tails of the drill."""
        if stored:
            for inbox in self._inboxes.get(drill_id, ()):
                inbox.extend(stored)
            self._wake_tails()

    def _watch(self, drill_id: str) -> list[StoredEvent]:
        inbox: list[StoredEvent] = []
        self._inboxes.setdefault(drill_id, []).append(inbox)
        return inbox

    def _unwatch(self, drill_id: str, inbox: list[StoredEvent]) -> None:
        inboxes = self._inboxes.get(drill_id, [])
        if inbox in inboxes:
            inboxes.remove(inbox)

    # --- drills -------------------------------------------------------------------------------

    async def create_drill(
        self,
        scenario_id: str,
        title: str,
        scenario_text: str,
        *,
        drill_id: str | None = None,
        created_at: str | None = None,
        chain_version: int = chain.CHAIN,
    ) -> str:
        """Add a drill and return its id: given, or "<scenario>-YYYYMMDD-HHMM" (then "-2", "-3", ...).

        `chain_version` is for copying a drill made on an older chain; new drills take the current one.
        """
        self._writable()
        if chain_version not in chain.CHAINS:
            raise ValueError(f"chain must be one of {chain.CHAINS}, not {chain_version!r}")
        created = created_at or utc_now()
        check_new_drill(drill_id, scenario_id, title, scenario_text, created)
        base = base_id(scenario_id, created) if drill_id is None else drill_id
        sha = chain.scenario_hash(scenario_text)
        return await self._add_drill(drill_id, base, scenario_id, title, scenario_text, sha, created, chain_version)

    async def _add_drill(self, drill_id: str | None, base: str, scenario_id: str, title: str, scenario_text: str,
                         sha: str, created: str, chain_version: int) -> str:  # pragma: no cover - per backend
        raise NotImplementedError

    def _taken(self, drill_id: str) -> StoreError:
        return StoreError(f"a drill '{drill_id}' already exists in {self._where}; choose another id")

    def _missing(self, drill_id: str) -> StoreError:  # pragma: no cover - per backend
        raise NotImplementedError

    async def _lookup(self, drill_id: str) -> tuple[DrillRecord | None, list[str]]:  # pragma: no cover - per backend
        """The drill with this id, or (when there is none) the ids it is a prefix of, and the one's record if just one."""
        raise NotImplementedError

    async def drill(self, drill_id: str) -> DrillRecord:
        """The drill with this id, or the only one whose id starts with it."""
        record, ids = await self._lookup(drill_id)
        if record is not None:
            return record
        if len(ids) > 1:
            shown = ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")
            raise StoreError(
                f"drill '{drill_id}' is ambiguous in {self._where}: it starts {len(ids)} drills ({shown}); type more of the id"
            )
        raise self._missing(drill_id)

    # --- events -------------------------------------------------------------------------------

    async def append(self, drill_id: str, event: NewEvent, *, expected_seq: int | None = None) -> StoredEvent:
        """Append one event, committed (durably) before this returns."""
        return (await self.append_many(drill_id, [event], expected_seq=expected_seq))[0]

    async def append_many(
        self, drill_id: str, events: Sequence[NewEvent], *, expected_seq: int | None = None
    ) -> list[StoredEvent]:  # pragma: no cover - per backend
        raise NotImplementedError
