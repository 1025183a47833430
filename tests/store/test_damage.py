"""Bit flips and unencodable text: a damaged row is named like any other chain break, never a traceback or a dump."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from drilltui.cli import main
from drilltui.store import EventLog, NewEvent, StoreError

SCENARIO = "id: cyber-1\ntitle: Cyber drill\n" + "a long scenario text that must never be printed\n" * 50


@pytest.fixture
def damaged_db(db_path: Path, ev) -> Path:
    """A drill of 8 events, written through drilltui (the tests then damage it). Sync: the CLI runs its own loop."""

    async def fill() -> None:
        async with await EventLog.open(db_path) as log:
            drill = await log.create_drill("cyber-1", "Cyber drill", SCENARIO, drill_id="d1")
            await log.append_many(drill, [ev(i) for i in range(1, 9)])

    asyncio.run(fill())
    return db_path


def flip(db_path: Path, sql: str, value: bytes) -> None:
    """Write bytes into a TEXT column, as a bit flip on the disk would leave them."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(sql, (value,))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


BAD_UTF8 = b'{"i":5,"x":"\xff\xfe"}'
BAD_JSON = b'{"i":5,"x":[}'  # valid UTF-8, but a flipped bit broke the JSON


@pytest.mark.parametrize("value", [BAD_UTF8, BAD_JSON], ids=["utf8", "json"])
def test_verify_names_the_damaged_event(damaged_db: Path, value: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE event SET data = CAST(? AS TEXT) WHERE seq = 5", value)
    code, out, err = cli(capsys, "verify", "d1", "--db", str(damaged_db))
    assert (code, err) == (1, "")
    assert out == "d1: BROKEN at event 5: event 5 was changed after it was written (its stored text is not valid UTF-8 or JSON)\n"


@pytest.mark.parametrize("value", [BAD_UTF8, BAD_JSON], ids=["utf8", "json"])
@pytest.mark.parametrize("command", ["report", "bundle"])
def test_report_and_bundle_name_the_damaged_event(damaged_db: Path, value: bytes, command: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE event SET data = CAST(? AS TEXT) WHERE seq = 5", value)
    code, out, err = cli(capsys, command, "d1", "--db", str(damaged_db), "-o", str(tmp_path / f"out.{command}"))
    assert (code, out) == (2, "")
    assert err.startswith(f"drilltui: error: event 5 of drill 'd1' in {damaged_db} is damaged (")
    assert err.count("\n") == 1 and "long scenario" not in err


@pytest.mark.parametrize("value", [BAD_UTF8, BAD_JSON], ids=["utf8", "json"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_names_the_damaged_event(damaged_db: Path, value: bytes, fmt: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE event SET data = CAST(? AS TEXT) WHERE seq = 5", value)
    code, out, err = cli(capsys, "export", "d1", "--db", str(damaged_db), "--format", fmt)
    assert (code, out) == (2, "")
    assert err.startswith(f"drilltui: error: event 5 of drill 'd1' in {damaged_db} is damaged (")
    assert err.count("\n") == 1 and "long scenario" not in err


def test_a_damaged_column_other_than_data(damaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE event SET participant = CAST(? AS TEXT) WHERE seq = 3", b"Al\xc3ex")
    code, out, _ = cli(capsys, "verify", "d1", "--db", str(damaged_db))
    assert (code, out.split(": ")[1]) == (1, "BROKEN at event 3")

    async def read() -> None:
        async with await EventLog.open(damaged_db, readonly=True) as log:
            with pytest.raises(StoreError, match="event 3 of drill 'd1' .* is damaged"):
                await log.read("d1")
            assert [e.seq for e in await log.read("d1", 4)] == [4, 5, 6, 7, 8]  # the rest still reads

    asyncio.run(read())


def test_damaged_scenario_text(damaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE drill SET scenario_text = CAST(? AS TEXT)", SCENARIO.encode().replace(b"long", b"l\xefng"))
    code, out, err = cli(capsys, "verify", "d1", "--db", str(damaged_db))
    assert (code, err) == (1, "")
    assert out == "d1: BROKEN at event 0: the drill's scenario text was changed after the drill was created\n"
    code, out, err = cli(capsys, "drills", "--db", str(damaged_db))
    assert code == 0 and "d1" in out and "long scenario" not in out + err


def test_damaged_title(damaged_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE drill SET title = CAST(? AS TEXT)", b"Cyber \xffdrill")
    code, out, _ = cli(capsys, "verify", "d1", "--db", str(damaged_db))
    assert code == 1 and out.startswith("d1: BROKEN at event 0: the drill's record")


# --- lone surrogates: refused, with the field named, nothing written ------------------------------


@pytest.mark.parametrize(
    ("event", "where"),
    [
        (NewEvent("note_added", {"text": "bad \ud800 text"}, "2026-11-29T01:54:41.000000Z", 1.0, "Alex", "ic"), "data['text']"),
        (NewEvent("note_added", {"nested": [{"\udfff": 1}]}, "2026-11-29T01:54:41.000000Z", 1.0, "Alex", "ic"), "data['nested'][0] key"),
        (NewEvent("note_added", {}, "2026-11-29T01:54:41.000000Z", 1.0, "Al\ud83dex", "ic"), "participant"),
        (NewEvent("note_added", {}, "2026-11-29T01:54:41.000000Z", 1.0, "Alex", "i\udc80c"), "role"),
    ],
)
async def test_lone_surrogate_in_an_event_is_refused(log: EventLog, drill: str, event: NewEvent, where: str) -> None:
    with pytest.raises(StoreError) as caught:
        await log.append(drill, event)
    assert isinstance(caught.value, ValueError)  # a bad argument, and one the CLI reports in one line
    message = str(caught.value)
    assert message.startswith(f"a note_added event cannot be stored: its {where}") and "lone surrogate" in message
    assert "\n" not in message
    assert await log.last_seq(drill) == 0
    assert (await log.verify(drill)).ok


@pytest.mark.parametrize("field", ["title", "scenario_id", "scenario_text"])
async def test_lone_surrogate_in_a_drill_is_refused(log: EventLog, field: str) -> None:
    args = {"scenario_id": "s", "title": "T", "scenario_text": "id: s\n"}
    args[field] += "\ud800"
    with pytest.raises(StoreError, match=f"the drill cannot be stored: its {field} holds a lone surrogate \\(U\\+D800\\)"):
        await log.create_drill(**args)
    assert await log.drills() == []


async def test_surrogate_pairs_spelt_as_escapes_are_fine(log: EventLog, drill: str) -> None:
    """A real astral character (one code point) is stored as itself; only a lone half of a pair is refused."""
    stored = await log.append(drill, NewEvent("note_added", {"text": "\U0001f6a8"}, "2026-11-29T01:54:41.000000Z", 1.0, "A", "ic"))
    assert (await log.read(drill))[0] == stored


@pytest.mark.parametrize("command", ["report", "bundle"])
def test_a_damaged_title_is_said_by_report_and_bundle(damaged_db: Path, command: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    flip(damaged_db, "UPDATE drill SET title = CAST(? AS TEXT)", b"Cyber \xffdrill")
    code, out, err = cli(capsys, command, "d1", "--db", str(damaged_db), "-o", str(tmp_path / f"out.{command}"))
    assert "Traceback" not in err and "long scenario" not in out + err
    assert code in (0, 2) and err.count("\n") <= 2, err
    if code == 0:  # the report says the record does not verify
        assert "does not verify" in err
