"""What every backend stores for a drill or an event: the checked, exact values that are written and hashed."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any, NamedTuple

from drilltui.store import chain
from drilltui.store.errors import Damaged, Unstorable
from drilltui.store.records import NewEvent, StoredEvent

# A drill id is typed by people and is part of the genesis hash: no spaces, no control characters.
DRILL_ID = re.compile(r"[^\s\x00-\x1f\x7f]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def utc_now() -> str:
    """Now as ISO-8601 UTC with microseconds, the form the log stores."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def base_id(scenario_id: str, created_at: str) -> str:
    """The id a new drill gets before "-2", "-3", ...: "<scenario>-YYYYMMDD-HHMM" in UTC."""
    when = datetime.fromisoformat(created_at)
    # A time without an offset is taken as UTC, the only zone the log uses.
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario_id).strip("-") or "drill"
    return f"{slug}-{when:%Y%m%d-%H%M}"


def _surrogate_at(value: Any, where: str) -> str | None:
    """Where in value (a JSON-like tree) a lone surrogate sits, e.g. `data["title"]`, or None."""
    if isinstance(value, str):
        return where if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _surrogate_at(key, f"{where} key {key!r}") or _surrogate_at(item, f"{where}[{key!r}]")
            if found:
                return found
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _surrogate_at(item, f"{where}[{i}]")
            if found:
                return found
    return None


def refuse_surrogates(what: str, **fields: Any) -> None:
    """Unstorable when a text holds a lone surrogate ("\\ud800"): it has no UTF-8 form, so no row or hash can hold it."""
    for name, value in fields.items():
        found = _surrogate_at(value, name)
        if found:
            char = _SURROGATE.search(json.dumps(value, ensure_ascii=False, default=str))
            code = f"U+{ord(char.group()):04X}" if char else "a surrogate"
            raise Unstorable(
                f"{what} cannot be stored: its {found} holds a lone surrogate ({code}), which is not a character"
                " and has no UTF-8 form; remove it (or the \\u escape that made it) from the input"
            )


class Prepared(NamedTuple):
    kind: str
    version: int
    text: str  # canonical JSON of data, as stored
    data: dict  # that text parsed back, as hashed and returned
    wall_time: str
    drill_time: float
    participant: str
    role: str


def prepare(event: NewEvent) -> Prepared:
    """Check a NewEvent and fix the exact values that will be stored and hashed."""
    if not isinstance(event.kind, str) or not event.kind:
        raise ValueError(f"event kind must be a non-empty string, not {event.kind!r}")
    if not isinstance(event.data, dict):
        raise TypeError(f"event data must be a dict, not {type(event.data).__name__}")
    if isinstance(event.version, bool) or not isinstance(event.version, int):
        raise TypeError(f"event version must be an int, not {event.version!r}")
    for name in ("wall_time", "participant", "role"):
        if not isinstance(getattr(event, name), str):
            raise TypeError(f"event {name} must be a string, not {getattr(event, name)!r}")
    text = chain.canonical_json(event.data)
    if _SURROGATE.search(text) or _SURROGATE.search(event.kind + event.wall_time + event.participant + event.role):
        refuse_surrogates(f"a {event.kind} event", kind=event.kind, data=event.data, wall_time=event.wall_time,
                          participant=event.participant, role=event.role)
    # What comes back is what a later read gives: the data as its stored JSON parses.
    data = json.loads(text)
    drill_time = chain.check_drill_time(event.drill_time)
    return Prepared(event.kind, event.version, text, data, event.wall_time, drill_time, event.participant, event.role)


def chained(drill_id: str, seq: int, prev: str, prepared: list[Prepared]) -> tuple[list[StoredEvent], list[tuple[Any, ...]]]:
    """Number and chain prepared events after (seq, prev): the StoredEvents and their rows (drill_id first)."""
    stored: list[StoredEvent] = []
    rows: list[tuple[Any, ...]] = []
    for p in prepared:
        seq += 1
        digest = chain.event_hash(drill_id, seq, p.kind, p.version, p.data, p.wall_time, p.drill_time, p.participant, p.role, prev)
        stored.append(StoredEvent(seq, p.kind, p.data, p.wall_time, p.drill_time, p.participant, p.role, p.version, prev, digest))
        rows.append((drill_id, seq, p.kind, p.version, p.text, p.wall_time, p.drill_time, p.participant, p.role, prev, digest))
        prev = digest
    return stored, rows


def check_new_drill(drill_id: str | None, scenario_id: str, title: str, scenario_text: str, created_at: str) -> None:
    """ValueError for a malformed drill id; Unstorable for texts no row can hold."""
    if drill_id is not None and not DRILL_ID.fullmatch(drill_id):
        raise ValueError(f"drill id must be non-empty without spaces or control characters, not {drill_id!r}")
    refuse_surrogates("the drill", id=drill_id or "", scenario_id=scenario_id, title=title,
                      scenario_text=scenario_text, created_at=created_at)


def stored_event(row: tuple[Any, ...], drill_id: str, where: object) -> StoredEvent:
    """A row of the event table as a StoredEvent; Damaged (naming the event) when its data is not JSON."""
    seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash_ = row
    try:
        parsed = json.loads(data)
    except (TypeError, ValueError):
        parsed = None
    if not isinstance(parsed, dict):
        raise damaged(drill_id, seq, where, "its data is not a JSON object")
    return StoredEvent(seq, kind, parsed, wall_time, drill_time, participant, role, version, prev_hash, hash_)


def damaged(drill_id: str, seq: int, where: object, what: str) -> Damaged:
    return Damaged(
        f"event {seq} of drill '{drill_id}' in {where} is damaged ({what}); `drilltui verify {drill_id}` checks the whole"
        " log, and a backup has the event as it was", seq)
