"""The hash chain: canonical JSON, genesis and event hashes, and the walk that verifies a log."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from typing import Any

from drilltui.store.records import VerifyResult

# Bumping this prefix would start a new, incompatible chain; it is part of every genesis hash.
CHAIN_TAG = "drilltui/1"

# A row of the event table in the column order the walk expects.
EventRow = tuple[int, str, int, str, str, float, str, str, str, str]


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces, raw UTF-8 and no NaN: one text per value."""
    # float repr is the shortest text that round-trips, so a stored REAL re-serialises identically.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_hash(scenario_text: str) -> str:
    """SHA-256 of the scenario source as stored with the drill."""
    return sha256_hex(scenario_text)


def genesis_hash(drill_id: str, scenario_sha256: str) -> str:
    """The prev_hash of a drill's first event: binds the chain to the drill and its scenario."""
    return sha256_hex(f"{CHAIN_TAG}\n{drill_id}\n{scenario_sha256}")


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


def _row_hash(drill_id: str, row: EventRow) -> str | None:
    """Recompute a stored row's hash, or None when its columns no longer make sense."""
    seq, kind, version, data_text, wall_time, drill_time, participant, role, prev_hash, _ = row
    try:
        if not isinstance(drill_time, (int, float)) or isinstance(drill_time, bool):
            return None
        return event_hash(
            drill_id, seq, kind, version, json.loads(data_text), wall_time, float(drill_time), participant, role, prev_hash
        )
    except (TypeError, ValueError):
        return None


def _span(first: int, last: int) -> str:
    return f"event {first} is" if first == last else f"events {first} to {last} are"


def walk(
    drill_id: str,
    scenario_text: str,
    scenario_sha256: str,
    head_seq: int,
    head_hash: str,
    rows: Iterable[EventRow],
) -> VerifyResult:
    """Check a drill's rows (in seq order) against the chain; name the first bad event."""
    genesis = genesis_hash(drill_id, scenario_sha256)
    if scenario_hash(scenario_text) != scenario_sha256:
        reason = "the drill's scenario text was changed after the drill was created"
        return VerifyResult(False, sum(1 for _ in rows), 0, reason, genesis)
    expected, prev, count = 1, genesis, 0
    at_head = genesis  # hash of event head_seq, once the walk has vouched for it
    bad: tuple[int, str] | None = None
    for row in rows:
        count += 1
        if bad is not None:
            continue  # keep counting so `events` is the size of the log
        seq, stored_prev, stored_hash = row[0], row[8], row[9]
        if seq > expected:
            bad = (expected, f"{_span(expected, seq - 1)} missing (the log jumps from {expected - 1} to {seq})")
        elif seq < expected:
            bad = (seq, f"event {seq} is out of order (expected {expected})")
        elif _row_hash(drill_id, row) != stored_hash:
            bad = (seq, f"event {seq} was changed after it was written (its content does not match its hash)")
        elif stored_prev != prev:
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
        return VerifyResult(False, count, last, f"event {last} does not match the drill's recorded last hash", prev)
    return VerifyResult(True, count, None, f"{count} events, chain intact", prev)
