"""EventLog: drills, appends, reads and the records they return."""

from __future__ import annotations

import hashlib
import json
import math

import pytest
from store.conftest import BACKENDS, Tamper

from drilltui.store import Conflict, DrillRecord, EventLog, NewEvent, StoredEvent, StoreError, open_log
from drilltui.store.location import redact

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def expected_hash(drill_id: str, e: StoredEvent) -> str:
    """The hash as docs/store.md defines it, written out independently of drilltui.store.chain."""
    body = {
        "drill": drill_id, "seq": e.seq, "kind": e.kind, "version": e.version, "data": e.data,
        "wall_time": e.wall_time, "drill_time": e.drill_time, "participant": e.participant,
        "role": e.role, "prev_hash": e.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def genesis(drill_id: str, scenario_text: str, scenario_id: str = "cyber-1", title: str = "Cyber drill",
            created_at: str = "2026-11-29T01:54:41.123456Z") -> str:
    """Chain 2's genesis as docs/store.md defines it."""
    sha = hashlib.sha256(scenario_text.encode("utf-8")).hexdigest()
    record = {"chain": "drilltui/2", "drill": drill_id, "scenario_id": scenario_id, "title": title,
              "created_at": created_at, "scenario_sha256": sha}
    return hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


# --- drills ---------------------------------------------------------------------------------


async def test_create_drill_ids_are_short_typable_and_unique(log: EventLog) -> None:
    at = "2026-11-29T01:54:41.123456Z"
    ids = [await log.create_drill("cyber-1", "Cyber", "x", created_at=at) for _ in range(3)]
    assert ids == ["cyber-1-20261129-0154", "cyber-1-20261129-0154-2", "cyber-1-20261129-0154-3"]
    # Another minute, another base; odd characters in the scenario id become dashes.
    assert await log.create_drill("Bio leak/2", "Bio", "y", created_at="2026-11-29T23:05:00+01:00") == "Bio-leak-2-20261129-2205"


async def test_create_drill_default_time_is_utc_now(log: EventLog) -> None:
    drill_id = await log.create_drill("s", "S", "x")
    record = await log.drill(drill_id)
    assert record.created_at.endswith("Z") and len(record.created_at) == len("2026-11-29T01:54:41.123456Z")
    assert drill_id == f"s-{record.created_at[0:4]}{record.created_at[5:7]}{record.created_at[8:10]}-{record.created_at[11:13]}{record.created_at[14:16]}"


async def test_create_drill_with_given_id(log: EventLog) -> None:
    assert await log.create_drill("s", "S", "x", drill_id="my-drill") == "my-drill"
    with pytest.raises(StoreError, match=r"a drill 'my-drill' already exists in .*; choose another id"):
        await log.create_drill("s", "S", "x", drill_id="my-drill")
    for bad in ("", "has space", "new\nline"):
        with pytest.raises(ValueError):
            await log.create_drill("s", "S", "x", drill_id=bad)


async def test_drill_record_summarises_the_log(log: EventLog, drill: str, ev) -> None:
    text = "id: cyber-1\n"
    record = await log.drill(drill)
    assert record == DrillRecord(
        id=drill, scenario_id="cyber-1", title="Cyber drill", scenario_text=text,
        scenario_sha256=hashlib.sha256(text.encode()).hexdigest(), created_at="2026-11-29T01:54:41.123456Z",
        events=0, last_wall_time=None, ended=False, started=None,
    )
    await log.append(drill, ev(1, kind="drill_started"))
    await log.append(drill, ev(2))
    await log.append(drill, ev(3, kind="drill_started"))  # only the first counts
    record = await log.drill(drill)
    assert (record.events, record.last_wall_time, record.ended, record.started) == (3, ev(3).wall_time, False, ev(1).wall_time)
    await log.append(drill, ev(4, kind="drill_ended"))
    record = await log.drill(drill)
    assert (record.events, record.last_wall_time, record.ended) == (4, ev(4).wall_time, True)


@pytest.mark.parametrize("chain_version", [1, 2])
async def test_drill_record_names_its_chain(log: EventLog, chain_version: int) -> None:
    drill = await log.create_drill("s", "S", "x", chain_version=chain_version)
    assert (await log.drill(drill)).chain == chain_version
    assert [d.chain for d in await log.drills()] == [chain_version]
    assert (await log.drill(await log.create_drill("s", "S", "x"))).chain == 2  # new drills: the current chain


async def test_drills_newest_first(log: EventLog) -> None:
    assert await log.drills() == []
    a = await log.create_drill("a", "A", "x", created_at="2026-01-01T00:00:00.000000Z")
    c = await log.create_drill("c", "C", "x", created_at="2026-03-01T00:00:00.000000Z")
    b = await log.create_drill("b", "B", "x", created_at="2026-02-01T00:00:00.000000Z")
    b2 = await log.create_drill("b", "B", "x", created_at="2026-02-01T00:00:00.000000Z")
    assert [d.id for d in await log.drills()] == [c, b2, b, a]


async def test_drill_by_unique_prefix(log: EventLog) -> None:
    one = await log.create_drill("cyber", "C", "x", created_at="2026-11-29T01:54:00.000000Z")
    two = await log.create_drill("cyber", "C", "x", created_at="2026-11-29T01:54:00.000000Z")
    bio = await log.create_drill("bio", "B", "x", created_at="2026-11-29T01:54:00.000000Z")
    assert (await log.drill("bio")).id == bio
    assert (await log.drill(two)).id == two  # exact beats prefix
    assert (await log.drill(one)).id == one  # exact, though it is also a prefix of `two`
    assert (await log.drill("cyber-20261129-0154-")).id == two
    with pytest.raises(StoreError, match=r"drill 'cyber' is ambiguous in .*: it starts 2 drills \(cyber-20261129-0154, cyber-20261129-0154-2\); type more of the id"):
        await log.drill("cyber")


async def test_missing_drill_message(log: EventLog, target) -> None:
    with pytest.raises(StoreError) as caught:
        await log.drill("nope")
    shown = redact(str(target))  # a URL is shown without its password
    assert str(caught.value) == f"no drill 'nope' in {shown}; `drilltui drills --db {shown}` lists them"
    with pytest.raises(StoreError, match="no drill ''"):
        await log.drill("")


async def test_missing_drill_everywhere(log: EventLog, ev) -> None:
    for call in (
        log.append("nope", ev(1)),
        log.append_many("nope", [ev(1)]),
        log.read("nope"),
        log.last_seq("nope"),
        log.verify("nope"),
        log.acquire_lease("nope", "A"),
    ):
        with pytest.raises(StoreError, match="no drill 'nope'"):
            await call


# --- appending ------------------------------------------------------------------------------


async def test_append_numbers_and_chains(log: EventLog, drill: str, ev) -> None:
    first = await log.append(drill, ev(1))
    second = await log.append(drill, ev(2))
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == genesis(drill, "id: cyber-1\n")
    assert second.prev_hash == first.hash
    assert first.hash == expected_hash(drill, first) and second.hash == expected_hash(drill, second)
    assert (first.kind, first.data, first.wall_time, first.drill_time, first.participant, first.role, first.version) == (
        "note_added", {"i": 1}, ev(1).wall_time, 1.5, "Alex", "ic", 1,
    )
    assert await log.read(drill) == [first, second]
    assert await log.last_seq(drill) == 2


async def test_append_returns_what_read_returns(log: EventLog, drill: str) -> None:
    odd = NewEvent("k", {"z": (1, 2), "a": {"é": "☢"}, "n": None, "f": 0.1}, "2026-11-29T01:54:41.000001Z", 3, "", "", version=2)
    stored = await log.append(drill, odd)
    assert stored.data == {"z": [1, 2], "a": {"é": "☢"}, "n": None, "f": 0.1}
    assert stored.drill_time == 3.0 and isinstance(stored.drill_time, float)
    assert stored.version == 2
    assert await log.read(drill) == [stored]


async def test_append_is_committed_when_it_returns(log: EventLog, drill: str, tamper: Tamper, ev) -> None:
    stored = await log.append(drill, ev(1))
    assert await tamper(("SELECT seq, hash FROM event WHERE drill_id = ?", (drill,))) == [(1, stored.hash)]


async def test_expected_seq(log: EventLog, drill: str, ev) -> None:
    assert (await log.append(drill, ev(1), expected_seq=0)).seq == 1
    assert (await log.append(drill, ev(2), expected_seq=1)).seq == 2
    with pytest.raises(Conflict, match=r"moved on \(now at event 2, expected 1\); nothing was written"):
        await log.append(drill, ev(3), expected_seq=1)
    with pytest.raises(Conflict):
        await log.append_many(drill, [ev(3), ev(4)], expected_seq=5)
    assert await log.last_seq(drill) == 2
    assert isinstance(Conflict("x"), StoreError)


async def test_append_many_is_one_consecutive_block(log: EventLog, drill: str, ev) -> None:
    await log.append(drill, ev(0))
    stored = await log.append_many(drill, [ev(1), ev(2), ev(3)], expected_seq=1)
    assert [s.seq for s in stored] == [2, 3, 4]
    assert [s.prev_hash for s in stored[1:]] == [s.hash for s in stored[:-1]]
    assert await log.read(drill, 2) == stored
    assert await log.append_many(drill, []) == []
    assert (await log.verify(drill)).ok


async def test_append_many_all_or_nothing(log: EventLog, drill: str, ev) -> None:
    bad = NewEvent("k", {"x": object()}, "w", 0.0, "", "")
    with pytest.raises(TypeError):
        await log.append_many(drill, [ev(1), bad])
    with pytest.raises(ValueError, match="finite"):
        await log.append_many(drill, [ev(1), NewEvent("k", {}, "w", math.nan, "", "")])
    with pytest.raises(ValueError):
        await log.append(drill, NewEvent("k", {"x": math.inf}, "w", 0.0, "", ""))
    with pytest.raises(ValueError):
        await log.append(drill, NewEvent("", {}, "w", 0.0, "", ""))
    with pytest.raises(TypeError):
        await log.append(drill, NewEvent("k", [], "w", 0.0, "", ""))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await log.append(drill, NewEvent("k", {}, None, 0.0, "", ""))  # type: ignore[arg-type]
    assert await log.read(drill) == []


async def test_drills_have_separate_chains(log: EventLog, ev) -> None:
    a = await log.create_drill("a", "A", "same", drill_id="a")
    b = await log.create_drill("b", "B", "same", drill_id="b")
    ea = await log.append(a, ev(1))
    eb = await log.append(b, ev(1))
    assert ea.seq == eb.seq == 1
    assert ea.hash != eb.hash  # the drill id is part of the hash
    await log.append(a, ev(2))
    assert [e.seq for e in await log.read(a)] == [1, 2]
    assert [e.seq for e in await log.read(b)] == [1]


async def test_read_ranges(log: EventLog, drill: str, ev) -> None:
    await log.append_many(drill, [ev(i) for i in range(1, 11)])
    assert [e.seq for e in await log.read(drill, 4, 6)] == [4, 5, 6]
    assert [e.seq for e in await log.read(drill, 9)] == [9, 10]
    assert await log.read(drill, 11) == []
    assert await log.read(drill, 6, 5) == []
    assert [e.seq for e in await log.read(drill, 0, 2)] == [1, 2]


async def test_last_seq_of_empty_drill(log: EventLog, drill: str) -> None:
    assert await log.last_seq(drill) == 0


async def test_persists_across_opens(target, ev) -> None:
    async with await open_log(target) as log:
        drill = await log.create_drill("s", "S", "x")
        stored = await log.append(drill, ev(1))
    async with await open_log(target, readonly=True, create=False) as log:
        assert await log.read(drill) == [stored]
        assert log.path == target


async def test_close_twice_and_use_after_close(target) -> None:
    log = await open_log(str(target))
    assert log.path == target
    await log.close()
    await log.close()
    with pytest.raises(ValueError):
        await log.drills()
