"""The hash chain: canonical JSON, genesis and event hashes, and the walk that verifies a log."""

from __future__ import annotations

import hashlib
import json
import json.encoder
import math
from collections.abc import Iterable
from typing import Any

from drilltui.frozen import frozen
from drilltui.store.records import VerifyResult

# Bumping this prefix would start a new, incompatible chain; it is part of every genesis hash.
CHAIN_TAG = "drilltui/1"
# Chain 2's genesis also commits to the drill's title, scenario id and creation time.
CHAIN_TAG_2 = "drilltui/2"
CHAIN = 2  # the chain new drills get
CHAINS = (1, 2)

# A row of the event table in the column order the walk expects.
EventRow = tuple[int, str, int, str, str, float, str, str, str, str]


# What json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False) makes, from
# one encoder made once: json.dumps builds a new encoder for every call with options, which doubles the cost.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces, raw UTF-8 and no NaN: one text per value."""
    # float repr is the shortest text that round-trips, so a stored REAL re-serialises identically.
    return _CANONICAL.encode(value)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_hash(scenario_text: str) -> str:
    """SHA-256 of the scenario source as stored with the drill."""
    return sha256_hex(scenario_text)


def genesis_hash(drill_id: str, scenario_sha256: str) -> str:
    """Chain 1's prev_hash of a drill's first event: binds the chain to the drill id and its scenario."""
    return sha256_hex(f"{CHAIN_TAG}\n{drill_id}\n{scenario_sha256}")


def genesis_hash_2(drill_id: str, scenario_id: str, title: str, created_at: str, scenario_sha256: str) -> str:
    """Chain 2's genesis: binds the chain to the drill's id, scenario, title and creation time."""
    return sha256_hex(
        canonical_json(
            {
                "chain": CHAIN_TAG_2,
                "drill": drill_id,
                "scenario_id": scenario_id,
                "title": title,
                "created_at": created_at,
                "scenario_sha256": scenario_sha256,
            }
        )
    )


@frozen
class DrillHead:
    """What verify needs of a drill's own record: its metadata, scenario and recorded head."""

    id: str
    scenario_id: str
    title: str
    created_at: str
    scenario_text: str
    scenario_sha256: str
    head_seq: int
    head_hash: str
    chain: int = 1

    def genesis(self) -> str:
        if self.chain == 1:
            return genesis_hash(self.id, self.scenario_sha256)
        return genesis_hash_2(self.id, self.scenario_id, self.title, self.created_at, self.scenario_sha256)


def genesis_for(chain_version: int, drill_id: str, scenario_id: str, title: str, created_at: str, scenario_sha256: str) -> str:
    """The genesis hash of a drill on chain 1 or 2."""
    return DrillHead(drill_id, scenario_id, title, created_at, "", scenario_sha256, 0, "", chain_version).genesis()


def event_hash(
    drill_id: str,
    seq: int,
    kind: str,
    version: int,
    data: Any,
    wall_time: str,
    drill_time: float,
    participant: str,
    role: str,
    prev_hash: str,
) -> str:
    """SHA-256 of the canonical JSON of everything about the event, including the previous hash."""
    return sha256_hex(
        canonical_json(
            {
                "drill": drill_id,
                "seq": seq,
                "kind": kind,
                "version": version,
                "data": data,
                "wall_time": wall_time,
                "drill_time": drill_time,
                "participant": participant,
                "role": role,
                "prev_hash": prev_hash,
            }
        )
    )


def check_drill_time(value: float) -> float:
    """drill_time as the float that is stored and hashed; NaN and infinities have no JSON form."""
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"drill_time must be a finite number, not {value!r}")
    return result


_encode = json.encoder.encode_basestring  # the string form canonical_json writes (ensure_ascii=False)


def _spliced_hash(drill_json: str, row: EventRow, parsed: Any = None) -> str | None:
    """event_hash of a row whose columns have their usual types, from text put together directly; else None.

    The text is exactly canonical_json of the event's object: its keys in sorted order, each value as json.dumps
    writes it. The data is first taken as stored: if that gives the stored hash, the stored text is the canonical
    text the writer hashed (anything else would be a SHA-256 collision), and nothing is parsed or re-serialised.
    Otherwise the data is re-serialised canonically from its parse, so a text stored in another spelling of the
    same JSON still hashes as its data does. `parsed` is json.loads of the row's data when the caller has it.
    """
    seq, kind, version, data_text, wall_time, drill_time, participant, role, prev_hash, stored_hash = row
    if not (type(seq) is int and type(version) is int and (type(drill_time) is float or type(drill_time) is int)
            and type(kind) is str and type(data_text) is str and type(wall_time) is str and type(participant) is str
            and type(role) is str and type(prev_hash) is str):
        return None
    moment = float(drill_time)
    if not math.isfinite(moment):
        return None
    rest = (f'"drill":{drill_json},"drill_time":{moment!r},"kind":{_encode(kind)},'
            f'"participant":{_encode(participant)},"prev_hash":{_encode(prev_hash)},"role":{_encode(role)},'
            f'"seq":{seq},"version":{version},"wall_time":{_encode(wall_time)}}}')
    as_stored = sha256_hex(f'{{"data":{data_text},{rest}')
    if as_stored == stored_hash:
        return as_stored
    data = canonical_json(json.loads(data_text) if parsed is None else parsed)
    return as_stored if data == data_text else sha256_hex(f'{{"data":{data},{rest}')


def _row_hash(drill_id: str, row: EventRow, drill_json: str | None = None, parsed: Any = None) -> str | None:
    """Recompute a stored row's hash, or None when its columns no longer make sense (damaged text, not JSON)."""
    seq, kind, version, data_text, wall_time, drill_time, participant, role, prev_hash, _ = row
    try:
        digest = _spliced_hash(drill_json if drill_json is not None else _encode(drill_id), row, parsed)
        if digest is not None:
            return digest
        if not isinstance(drill_time, (int, float)) or isinstance(drill_time, bool):
            return None
        return event_hash(
            drill_id, seq, kind, version, json.loads(data_text), wall_time, float(drill_time), participant, role, prev_hash
        )
    except (TypeError, ValueError):  # UnicodeError (text that was not UTF-8) is a ValueError
        return None


def _span(first: int, last: int) -> str:
    return f"event {first} is" if first == last else f"events {first} to {last} are"


def _scenario_intact(text: str, sha: str) -> bool:
    try:
        return scenario_hash(text) == sha
    except UnicodeError:  # bytes that were not UTF-8, read back as surrogates
        return False


RECORD_CHANGED = "the drill's record (its title, scenario, scenario id or creation time) was changed after the drill was created"


def walk(
    drill_id: str,
    scenario_text: str,
    scenario_sha256: str,
    head_seq: int,
    head_hash: str,
    rows: Iterable[EventRow],
) -> VerifyResult:
    """Check a chain-1 drill's rows (in seq order); name the first bad event."""
    return walk_drill(DrillHead(drill_id, "", "", "", scenario_text, scenario_sha256, head_seq, head_hash, 1), rows)


def walk_drill(drill: DrillHead, rows: Iterable[EventRow]) -> VerifyResult:
    """Check a drill's rows (in seq order) against its chain; name the first bad event (0: the drill's own record)."""
    return walk_parsed(drill, ((row, None) for row in rows))


def walk_parsed(drill: DrillHead, rows: Iterable[tuple[EventRow, Any]]) -> VerifyResult:
    """walk_drill of (row, its data parsed) pairs, for a caller that parses each row anyway (None: parse it here).

    The rows may be read as the walk goes: none is kept.
    """
    drill_id, head_seq, head_hash = drill.id, drill.head_seq, drill.head_hash
    if drill.chain not in CHAINS:
        reason = f"the drill's record names chain {drill.chain}, which this drilltui does not know (upgrade drilltui?)"
        return VerifyResult(False, sum(1 for _ in rows), 0, reason, "")
    try:
        genesis = drill.genesis()
    except UnicodeError:
        genesis = ""  # a damaged title or id: nothing can follow it
    if not _scenario_intact(drill.scenario_text, drill.scenario_sha256):
        reason = "the drill's scenario text was changed after the drill was created"
        return VerifyResult(False, sum(1 for _ in rows), 0, reason, genesis)
    expected, prev, count = 1, genesis, 0
    drill_json = _encode(drill_id)
    at_head = genesis  # hash of event head_seq, once the walk has vouched for it
    bad: tuple[int, str] | None = None
    for row, parsed in rows:
        count += 1
        if bad is not None:
            continue  # keep counting so `events` is the size of the log
        seq, stored_prev, stored_hash = row[0], row[8], row[9]
        if seq > expected:
            bad = (expected, f"{_span(expected, seq - 1)} missing (the log jumps from {expected - 1} to {seq})")
            continue
        if seq < expected:
            bad = (seq, f"event {seq} is out of order (expected {expected})")
            continue
        digest = _row_hash(drill_id, row, drill_json, parsed)
        if digest is None:
            bad = (seq, f"event {seq} was changed after it was written (its stored text is not valid UTF-8 or JSON)")
        elif digest != stored_hash:
            bad = (seq, f"event {seq} was changed after it was written (its content does not match its hash)")
        elif stored_prev != prev:
            if seq == 1 and drill.chain >= 2:
                bad = (0, RECORD_CHANGED + " (or event 1 was replaced)")
            else:
                what = "the drill's genesis hash" if seq == 1 else f"event {seq - 1}"
                bad = (seq, f"event {seq} does not follow {what} (events were inserted, removed or reordered)")
        else:
            expected, prev = seq + 1, stored_hash
            if seq == head_seq:
                at_head = stored_hash
    if bad is not None:
        return VerifyResult(False, count, bad[0], bad[1], prev)
    last = expected - 1
    # The chain alone cannot see events cut off its end; the drill row's head (seq, hash) can.
    if last < head_seq:
        reason = f"{_span(last + 1, head_seq)} missing from the end (the drill recorded {head_seq})"
        return VerifyResult(False, count, last + 1, reason, prev)
    if last > head_seq:
        reason = f"event {head_seq + 1} was added outside drilltui (the drill recorded {head_seq} events)"
        return VerifyResult(False, count, head_seq + 1, reason, at_head)
    if prev != head_hash:
        if last == 0 and drill.chain >= 2:
            return VerifyResult(False, count, 0, RECORD_CHANGED, prev)
        return VerifyResult(False, count, last, f"event {last} does not match the drill's recorded last hash", prev)
    return VerifyResult(True, count, None, f"{count} events, chain intact", prev)
