"""verify: every kind of tampering with the stored rows is caught at the right event."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from store.conftest import BACKENDS, Tamper

from drilltui.store import EventLog, VerifyResult, open_log

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

N = 8


@pytest.fixture
async def filled(log: EventLog, drill: str, ev) -> str:
    await log.append_many(drill, [ev(i) for i in range(1, N + 1)])
    return drill


def rehash(drill: str, row: tuple) -> str:
    seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash = row
    body = {"drill": drill, "seq": seq, "kind": kind, "version": version, "data": json.loads(data), "wall_time": wall_time,
            "drill_time": drill_time, "participant": participant, "role": role, "prev_hash": prev_hash}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


async def test_intact(log: EventLog, filled: str) -> None:
    result = await log.verify(filled)
    last = (await log.read(filled))[-1]
    assert result == VerifyResult(True, N, None, f"{N} events, chain intact", last.hash)


async def test_empty_drill_is_intact(log: EventLog, drill: str) -> None:
    result = await log.verify(drill)
    assert (result.ok, result.events, result.first_bad_seq) == (True, 0, None)
    sha = hashlib.sha256(b"id: cyber-1\n").hexdigest()
    record = {"chain": "drilltui/2", "drill": drill, "scenario_id": "cyber-1", "title": "Cyber drill",
              "created_at": "2026-11-29T01:54:41.123456Z", "scenario_sha256": sha}
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert result.last_hash == hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.parametrize(
    ("column", "value"),
    [("data", '{"i":999}'), ("kind", "drill_ended"), ("wall_time", "2020-01-01T00:00:00.000000Z"), ("drill_time", 1e9),
     ("participant", "Mallory"), ("role", "director"), ("version", 7), ("data", "not json")],
)
async def test_edited_event(log: EventLog, filled: str, tamper: Tamper, column: str, value: object) -> None:
    await tamper((f"UPDATE event SET {column} = ? WHERE drill_id = ? AND seq = 5", (value, filled)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq, result.events) == (False, 5, N)
    why = "its stored text is not valid UTF-8 or JSON" if value == "not json" else "its content does not match its hash"
    assert result.reason == f"event 5 was changed after it was written ({why})"
    assert result.last_hash == (await log.read(filled, 4, 4))[0].hash


async def test_edited_and_rehashed_event_breaks_the_next_link(log: EventLog, filled: str, tamper: Tamper) -> None:
    [row] = await tamper(("SELECT seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash FROM event"
                          " WHERE drill_id = ? AND seq = 5", (filled,)))
    forged = (row[0], row[1], row[2], '{"i":999}', *row[4:])
    await tamper(("UPDATE event SET data = ?, hash = ? WHERE drill_id = ? AND seq = 5", (forged[3], rehash(filled, forged), filled)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, 6)
    assert "event 6 does not follow event 5" in result.reason


@pytest.mark.parametrize("seq", [1, 4])
async def test_deleted_event(log: EventLog, filled: str, tamper: Tamper, seq: int) -> None:
    await tamper(("DELETE FROM event WHERE drill_id = ? AND seq = ?", (filled, seq)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq, result.events) == (False, seq, N - 1)
    assert result.reason == f"event {seq} is missing (the log jumps from {seq - 1} to {seq + 1})"


async def test_deleted_events_at_the_end(log: EventLog, filled: str, tamper: Tamper) -> None:
    await tamper(("DELETE FROM event WHERE drill_id = ? AND seq = ?", (filled, N)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, N)
    assert result.reason == f"event {N} is missing from the end (the drill recorded {N})"
    await tamper(("DELETE FROM event WHERE drill_id = ? AND seq >= ?", (filled, 6)))
    result = await log.verify(filled)
    assert (result.first_bad_seq, result.reason) == (6, f"events 6 to {N} are missing from the end (the drill recorded {N})")


async def test_reordered_events(log: EventLog, filled: str, tamper: Tamper) -> None:
    swap = "UPDATE event SET seq = ? WHERE drill_id = ? AND seq = ?"
    await tamper((swap, (1000, filled, 3)), (swap, (3, filled, 6)), (swap, (6, filled, 1000)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, 3)


async def test_inserted_event_with_forged_hash(log: EventLog, filled: str, tamper: Tamper) -> None:
    # Make room at seq 4 and put a well-formed event there, its hash computed the honest way.
    shift = [("UPDATE event SET seq = seq + 1 WHERE drill_id = ? AND seq = ?", (filled, seq)) for seq in range(N, 3, -1)]
    [(prev,)] = await tamper(*shift, ("SELECT hash FROM event WHERE drill_id = ? AND seq = 3", (filled,)))
    row = (4, "note_added", 1, '{"i":"forged"}', "2026-11-29T01:55:00.000000Z", 4.5, "Mallory", "ic", prev)
    await tamper(("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (filled, *row, rehash(filled, row))))
    result = await log.verify(filled)
    # The forged event itself checks out; the one it displaced (now numbered 5) does not.
    assert (result.ok, result.first_bad_seq, result.events) == (False, 5, N + 1)


async def test_inserted_event_with_made_up_hash(log: EventLog, filled: str, tamper: Tamper) -> None:
    shift = [("UPDATE event SET seq = seq + 1 WHERE drill_id = ? AND seq = ?", (filled, seq)) for seq in range(N, 3, -1)]
    await tamper(*shift, ("INSERT INTO event VALUES (?, 4, 'note_added', 1, '{}', 'w', 1.0, '', '', 'x', 'y')", (filled,)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, 4)


async def test_event_added_at_the_end_outside_drilltui(log: EventLog, filled: str, tamper: Tamper) -> None:
    [(prev,)] = await tamper(("SELECT hash FROM event WHERE drill_id = ? AND seq = ?", (filled, N)))
    row = (N + 1, "drill_ended", 1, '{"reason":"forged"}', "2026-11-29T03:00:00.000000Z", 99.0, "Mallory", "ic", prev)
    await tamper(("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (filled, *row, rehash(filled, row))))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, N + 1)
    assert result.reason == f"event {N + 1} was added outside drilltui (the drill recorded {N} events)"
    assert result.last_hash == (await log.read(filled, N, N))[0].hash


async def test_appending_after_hand_made_rows_is_refused(log: EventLog, filled: str, tamper: Tamper, ev) -> None:
    await tamper(("INSERT INTO event VALUES (?, ?, 'k', 1, '{}', 'w', 1.0, '', '', 'x', 'y')", (filled, N + 1)))
    with pytest.raises(Exception, match=r"has events its record does not account for .*run `drilltui verify"):
        await log.append(filled, ev(99))


async def test_appending_after_a_cut_keeps_the_gap_visible(log: EventLog, filled: str, tamper: Tamper, ev) -> None:
    await tamper(("DELETE FROM event WHERE drill_id = ? AND seq = ?", (filled, N)))
    assert (await log.append(filled, ev(99))).seq == N + 1
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, N)


async def test_scenario_text_edited(log: EventLog, filled: str, tamper: Tamper) -> None:
    await tamper(("UPDATE drill SET scenario_text = 'id: other' WHERE id = ?", (filled,)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq, result.events) == (False, 0, N)
    assert "scenario text was changed" in result.reason


async def test_scenario_swapped_with_matching_sha(log: EventLog, filled: str, tamper: Tamper) -> None:
    text = "id: other"
    await tamper(("UPDATE drill SET scenario_text = ?, scenario_sha256 = ? WHERE id = ?", (text, hashlib.sha256(text.encode()).hexdigest(), filled)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, 0)  # chain 2: the genesis commits to the drill's record
    assert "the drill's record" in result.reason and "was changed after the drill was created" in result.reason


async def test_head_hash_edited(log: EventLog, filled: str, tamper: Tamper) -> None:
    await tamper(("UPDATE drill SET head_hash = 'x' WHERE id = ?", (filled,)))
    result = await log.verify(filled)
    assert (result.ok, result.first_bad_seq) == (False, N)


async def test_verify_sees_one_snapshot_while_others_append(log: EventLog, filled: str, target, ev) -> None:
    async with await open_log(target) as writer:
        for i in range(20):
            verifying = asyncio.create_task(log.verify(filled))
            await writer.append(filled, ev(100 + i))
            assert (await verifying).ok


@pytest.mark.parametrize(
    "edit",
    [None,
     ("UPDATE event SET data = '{\"i\":999}' WHERE drill_id = ? AND seq = 5", 1),
     ("UPDATE event SET role = 'director' WHERE drill_id = ? AND seq = 3", 1),
     ("UPDATE event SET data = '{\"i\": 5}' WHERE drill_id = ? AND seq = 5", 1),  # same object, other text
     ("DELETE FROM event WHERE drill_id = ? AND seq = 2", 1),
     ("DELETE FROM event WHERE drill_id = ? AND seq > 6", 1),
     ("UPDATE drill SET head_hash = 'x' WHERE id = ?", 1)],
)
async def test_read_verified_gives_what_read_then_verify_give(log: EventLog, filled: str, tamper: Tamper, edit) -> None:
    if edit is not None:
        await tamper((edit[0], (filled,)))
    events, result = await log.read_verified(filled)
    assert events == await log.read(filled)
    assert result == await log.verify(filled)


async def test_read_verified_sees_one_snapshot_while_others_append(log: EventLog, filled: str, target, ev) -> None:
    async with await open_log(target) as writer:
        for i in range(20):
            reading = asyncio.create_task(log.read_verified(filled))
            await writer.append(filled, ev(100 + i))
            events, result = await reading
            assert result.ok and result.events == len(events) and result.last_hash == events[-1].hash
