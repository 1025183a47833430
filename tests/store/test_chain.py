"""The hash chain as docs/store.md defines it: an auditor's own check, using only sqlite3 and hashlib."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from pathlib import Path

import pytest

from drilltui.store import EventLog, NewEvent
from drilltui.store.chain import canonical_json, event_hash, genesis_hash, scenario_hash, walk


def audit(db_path: Path, drill_id: str) -> tuple[int, str]:
    """The recipe from docs/store.md, step by step; returns (events, last hash) or raises AssertionError."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    text, sha, head_seq, head_hash, chain, scenario_id, title, created_at = db.execute(
        "SELECT scenario_text, scenario_sha256, head_seq, head_hash, chain, scenario_id, title, created_at"
        " FROM drill WHERE id = ?", (drill_id,)
    ).fetchone()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha
    if chain == 1:  # drills made before schema 2
        prev = hashlib.sha256(f"drilltui/1\n{drill_id}\n{sha}".encode("utf-8")).hexdigest()
    else:
        record = {"chain": "drilltui/2", "drill": drill_id, "scenario_id": scenario_id, "title": title,
                  "created_at": created_at, "scenario_sha256": sha}
        canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        prev = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    expected = 1
    for seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, digest in db.execute(
        "SELECT seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash"
        " FROM event WHERE drill_id = ? ORDER BY seq", (drill_id,)
    ):
        assert seq == expected and prev_hash == prev
        body = {"drill": drill_id, "seq": seq, "kind": kind, "version": version, "data": json.loads(data),
                "wall_time": wall_time, "drill_time": drill_time, "participant": participant, "role": role,
                "prev_hash": prev_hash}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == digest
        # The data column is itself canonical JSON, so the auditor may splice it in verbatim.
        assert canonical.startswith('{"data":' + data + ',"drill":')
        prev, expected = digest, seq + 1
    assert (expected - 1, prev) == (head_seq, head_hash)
    db.close()
    return expected - 1, prev


async def test_an_independent_auditor_agrees(log: EventLog, db_path: Path) -> None:
    drill = await log.create_drill("cbrn", "Radiological release", "id: cbrn\ntitle: ☢ release\n")
    odd = [
        NewEvent("drill_started", {"scenario": "cbrn", "title": "☢ release"}, "2026-11-29T01:54:41.123456Z", 0.0, "", ""),
        NewEvent("note_added", {"text": 'quote " back\\slash\nnewline \u2028 \U0001f6a8', "n": [1, 2.5, -0.0, 1e300, 10**20]}, "2026-11-29T01:54:42.000001Z", 0.1 + 0.2, "Dr. Ünal", "ic"),
        NewEvent("inject_released", {"b": True, "a": None, "nested": {"z": 1, "y": [{}]}}, "2026-11-29T01:54:43.5Z", 1 / 3, "", "", version=3),
    ]
    for e in odd:
        await log.append(drill, e)
    count, last = audit(db_path, drill)
    result = await log.verify(drill)
    assert (count, last) == (result.events, result.last_hash) == (3, (await log.read(drill))[-1].hash)


def test_canonical_json() -> None:
    assert canonical_json({"b": 1, "a": [1.0, "é", None]}) == '{"a":[1.0,"é",null],"b":1}'
    assert canonical_json(0.1 + 0.2) == "0.30000000000000004"  # repr: exact round trip through REAL
    with pytest.raises(ValueError):
        canonical_json(math.nan)


def test_genesis_and_event_hash_are_as_documented() -> None:
    sha = scenario_hash("x")
    assert sha == hashlib.sha256(b"x").hexdigest()
    assert genesis_hash("d", sha) == hashlib.sha256(f"drilltui/1\nd\n{sha}".encode()).hexdigest()
    body = '{"data":{"a":1},"drill":"d","drill_time":2.5,"kind":"k","participant":"p","prev_hash":"h","role":"r","seq":1,"version":1,"wall_time":"w"}'
    assert event_hash("d", 1, "k", 1, {"a": 1}, "w", 2.5, "p", "r", "h") == hashlib.sha256(body.encode()).hexdigest()


def test_walk_on_rows() -> None:
    sha = scenario_hash("s")
    prev = genesis_hash("d", sha)
    rows = []
    for seq in (1, 2, 3):
        digest = event_hash("d", seq, "k", 1, {}, "w", 1.0, "", "", prev)
        rows.append((seq, "k", 1, "{}", "w", 1.0, "", "", prev, digest))
        prev = digest
    assert walk("d", "s", sha, 3, prev, rows).ok
    assert walk("d", "s", sha, 3, prev, rows[:1] + rows[2:]).first_bad_seq == 2
    assert walk("d", "s", sha, 3, prev, [(1, "k", 1, "{}", "w", "1.0", "", "", rows[0][8], rows[0][9])]).first_bad_seq == 1  # drill_time turned text
    assert walk("other", "s", sha, 3, prev, rows).first_bad_seq == 1  # rows moved to another drill


# --- the walk's hash of a row is the definition's, whatever the row holds ---------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from drilltui.store.chain import _row_hash  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
_text = st.text()  # any characters, lone surrogates and controls included
_odd = st.none() | st.booleans() | st.integers() | st.floats() | st.binary(max_size=4) | _text


@st.composite
def _rows(draw: st.DrawFn) -> tuple:
    value = draw(_json)
    spelled = draw(st.sampled_from(["canonical", "spaced", "unsorted", "garbage"]))
    if spelled == "canonical":
        data = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    elif spelled == "spaced":
        data = json.dumps(value, indent=1)
    elif spelled == "unsorted":
        data = json.dumps(value, separators=(",", ":"), ensure_ascii=draw(st.booleans()))
    else:
        data = draw(_text)
    usual = draw(st.booleans())
    pick = (lambda usual_kind, odd: draw(usual_kind if usual else st.one_of(usual_kind, odd)))
    return (pick(st.integers(), _odd), pick(_text, _odd), pick(st.integers(), _odd), data, pick(_text, _odd),
            pick(st.floats() | st.integers(), _odd), pick(_text, _odd), pick(_text, _odd), pick(_text, _odd), "")


def _defined_hash(drill_id: str, row: tuple) -> str | None:
    """docs/store.md's hash of a row, computed as written there; None where the row has no hash."""
    seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, _ = row
    if not isinstance(drill_time, (int, float)) or isinstance(drill_time, bool):
        return None
    try:
        return event_hash(drill_id, seq, kind, version, json.loads(data), wall_time, float(drill_time),
                          participant, role, prev_hash)
    except (TypeError, ValueError):
        return None


@settings(max_examples=600, deadline=None)
@given(drill_id=_text, row=_rows())
def test_the_walk_hashes_every_row_as_the_definition_does(drill_id: str, row: tuple) -> None:
    assert _row_hash(drill_id, row) == _defined_hash(drill_id, row)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(_JSON)
def test_canonical_json_is_what_the_definition_writes(value: object) -> None:
    try:
        expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError:
        with pytest.raises(ValueError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected
