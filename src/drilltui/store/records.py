"""The records the store takes and gives back: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

from drilltui.frozen import frozen


@frozen
class NewEvent:
    """An event the caller appends; the store gives it a seq and a place in the hash chain."""

    kind: str  # snake_case, e.g. "inject_released"
    data: dict  # JSON-serialisable payload
    wall_time: str  # ISO-8601 UTC with microseconds, stored verbatim
    drill_time: float  # seconds since drill start
    participant: str  # who did it ("" for the system)
    role: str  # acting role id ("" for the system)
    version: int = 1  # schema version of this kind's data


@frozen
class StoredEvent:
    """An event as committed to the log: the NewEvent's fields plus seq and its chain hashes."""

    seq: int
    kind: str
    data: dict
    wall_time: str
    drill_time: float
    participant: str
    role: str
    version: int
    prev_hash: str
    hash: str


@frozen
class DrillRecord:
    """One drill in a database, with a summary of its log."""

    id: str
    scenario_id: str
    title: str
    scenario_text: str
    scenario_sha256: str
    created_at: str  # ISO-8601 UTC
    events: int
    last_wall_time: str | None
    ended: bool  # an event of kind "drill_ended" exists
    started: str | None  # wall_time of the first "drill_started" event
    chain: int = 2  # the hash chain's version (chain.CHAIN for new drills, 1 for those made before schema 2)


@frozen
class VerifyResult:
    """The outcome of walking a drill's hash chain."""

    ok: bool
    events: int  # events in the drill's log
    first_bad_seq: int | None  # None when ok; 0 when the drill's own record (scenario text) is bad
    reason: str
    last_hash: str  # hash of the last event that checked out (the genesis hash if none did)
