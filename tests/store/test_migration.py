"""Schema 2: the chain covers a drill's title, scenario id and creation time; schema-1 files still verify."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from drilltui.store import EventLog, schema

# The schema drilltui wrote before schema 2, frozen here as it was shipped.
SCHEMA_1 = """
PRAGMA application_id = 1146243404;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('application', 'drilltui');
CREATE TABLE drill (
    id TEXT PRIMARY KEY, scenario_id TEXT NOT NULL, title TEXT NOT NULL, scenario_text TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL, created_at TEXT NOT NULL, head_seq INTEGER NOT NULL DEFAULT 0, head_hash TEXT NOT NULL
);
CREATE TABLE event (
    drill_id TEXT NOT NULL REFERENCES drill (id), seq INTEGER NOT NULL CHECK (seq >= 1), kind TEXT NOT NULL,
    version INTEGER NOT NULL, data TEXT NOT NULL, wall_time TEXT NOT NULL, drill_time REAL NOT NULL,
    participant TEXT NOT NULL, role TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (drill_id, seq)
);
CREATE INDEX event_kind ON event (drill_id, kind, seq);
CREATE TABLE lease (drill_id TEXT PRIMARY KEY REFERENCES drill (id), holder TEXT NOT NULL, expires REAL NOT NULL);
PRAGMA user_version = 1;
PRAGMA journal_mode = WAL;
"""


def h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def schema_1_file(path: Path, drill_id: str = "old-1", events: int = 5) -> str:
    """A database as schema 1 wrote it: chain 1 (genesis over the id and the scenario only). Returns the last hash."""
    text = "id: old\ntitle: An old drill\n"
    sha = h(text)
    prev = h(f"drilltui/1\n{drill_id}\n{sha}")
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_1)
    rows = []
    for seq in range(1, events + 1):
        body = {"drill": drill_id, "seq": seq, "kind": "note_added", "version": 1, "data": {"i": seq},
                "wall_time": f"2025-06-01T10:00:0{seq}.000000Z", "drill_time": float(seq), "participant": "Alex",
                "role": "ic", "prev_hash": prev}
        digest = h(canonical(body))
        rows.append((drill_id, seq, "note_added", 1, canonical({"i": seq}), body["wall_time"], float(seq), "Alex", "ic", prev, digest))
        prev = digest
    with conn:
        conn.execute("INSERT INTO drill VALUES (?, 'old', 'An old drill', ?, ?, '2025-06-01T10:00:00.000000Z', ?, ?)",
                     (drill_id, text, sha, events, prev))
        conn.executemany("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    return prev


async def test_a_schema_1_file_verifies_read_only_without_being_changed(db_path: Path) -> None:
    last = schema_1_file(db_path)
    async with await EventLog.open(db_path, readonly=True) as log:
        result = await log.verify("old-1")
        assert (result.ok, result.events, result.last_hash) == (True, 5, last)
        assert [(d.id, d.chain) for d in await log.drills()] == [("old-1", 1)]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


async def test_opening_for_writing_migrates_and_old_drills_still_verify(db_path: Path, ev) -> None:
    last = schema_1_file(db_path)
    async with await EventLog.open(db_path) as log:
        result = await log.verify("old-1")
        assert (result.ok, result.last_hash) == (True, last)
        await log.append("old-1", ev(6))  # an old drill carries on, on its own chain
        assert (await log.verify("old-1")).ok
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 2
        assert conn.execute("SELECT chain FROM drill WHERE id = 'old-1'").fetchone() == (1,)


@pytest.mark.parametrize(
    ("column", "value"),
    [("title", "A quieter drill"), ("created_at", "2020-01-01T00:00:00.000000Z"), ("scenario_id", "other")],
)
@pytest.mark.parametrize("events", [0, 3])
async def test_editing_a_drills_record_breaks_its_chain(log: EventLog, db_path: Path, ev, column: str, value: str,
                                                        events: int) -> None:
    drill = await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n")
    await log.append_many(drill, [ev(i) for i in range(1, events + 1)])
    assert (await log.verify(drill)).ok
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"UPDATE drill SET {column} = ? WHERE id = ?", (value, drill))
    result = await log.verify(drill)
    assert (result.ok, result.first_bad_seq, result.events) == (False, 0, events)
    assert result.reason.startswith("the drill's record (its title, scenario, scenario id or creation time) was changed")


async def test_downgrading_a_drills_chain_is_caught(log: EventLog, db_path: Path, ev) -> None:
    drill = await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n")
    await log.append(drill, ev(1))
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE drill SET chain = 1, title = 'edited' WHERE id = ?", (drill,))
    result = await log.verify(drill)
    assert (result.ok, result.first_bad_seq) == (False, 1)
