"""A database whose files are deleted or replaced under an open log: writing stops, and nothing of others is lost."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from drilltui.store import EventLog, StoreError

OTHER = """
    import asyncio, sys
    from drilltui.store import EventLog, NewEvent

    async def main(path: str) -> None:
        async with await EventLog.open(path) as log:
            drill = await log.create_drill("other", "Other drill", "id: other\\n", drill_id="other")
            for i in range(3):
                await log.append(drill, NewEvent("note_added", {"i": i}, "2026-11-29T02:00:00.000000Z", float(i), "Sam", "ops"))
        print("ok")

    asyncio.run(main(sys.argv[1]))
"""


CHECK = """
    import asyncio, sqlite3, sys
    from drilltui.store import EventLog

    async def main(path: str) -> None:
        with sqlite3.connect(path) as conn:
            print(conn.execute("PRAGMA integrity_check").fetchone()[0])
        async with await EventLog.open(path, readonly=True) as log:
            for d in await log.drills():
                result = await log.verify(d.id)
                print(d.id, result.ok, result.events)

    asyncio.run(main(sys.argv[1]))
"""


def check(python_child, path: Path) -> list[str]:
    """integrity_check, then each drill's verify, from another process: as the next console would see the file.

    (Another connection in this process would share the kept connection's
    stale -shm, which SQLite maps per file: only a fresh process sees what
    the next console will.)
    """
    child = python_child(CHECK, str(path))
    assert child.returncode == 0, child.stderr
    return child.stdout.splitlines()


async def test_deleted_wal_stops_writing_and_keeps_what_others_wrote(db_path: Path, python_child, ev) -> None:
    log = await EventLog.open(db_path)
    drill = await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n", drill_id="mine")
    await log.append(drill, ev(1))
    with sqlite3.connect(db_path) as conn:  # events 1 reaches the main file; what follows stays in the -wal
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    await log.append(drill, ev(2))
    os.remove(f"{db_path}-wal")
    os.remove(f"{db_path}-shm")
    child = python_child(OTHER, str(db_path))
    assert child.stdout == "ok\n", child.stderr
    with pytest.raises(StoreError) as caught:
        await log.append(drill, ev(3))
    message = str(caught.value)
    assert "\n" not in message
    assert f"{db_path}-wal and {db_path}-shm were deleted or replaced while drilltui had {db_path} open" in message
    assert "nothing more was written" in message
    assert "The last safe event of drill 'mine' is event 1" in message
    with pytest.raises(StoreError) as again:  # and it stays stopped
        await log.acquire_lease(drill, "me")
    assert str(again.value) == message
    await log.close()
    # The other process's drill survives this log's close, whole; ours up to its last safe event.
    assert check(python_child, db_path) == ["ok", "other True 3", "mine True 1"]


def test_a_killed_writer_acknowledged_nothing_after_the_wal_went(db_path: Path, python_child) -> None:
    """The console that carries on after `rm drills.db-wal` is told so at its next action, not shown events that are lost."""
    script = """
        import asyncio, os, sys
        from drilltui.store import EventLog, NewEvent, StoreError

        async def main(path: str) -> None:
            log = await EventLog.open(path)
            drill = await log.create_drill("s", "S", "x", drill_id="d")
            note = lambda i: NewEvent("note_added", {"i": i}, "2026-11-29T02:00:00.000000Z", float(i), "A", "ic")
            await log.append(drill, note(0))
            os.remove(path + "-wal"); os.remove(path + "-shm")
            for i in range(1, 7):
                try:
                    stored = await log.append(drill, note(i))
                    print("acknowledged", stored.seq, flush=True)
                except StoreError as exc:
                    print("refused", flush=True)
            os.kill(os.getpid(), 9)

        asyncio.run(main(sys.argv[1]))
    """
    child = python_child(script, str(db_path))
    assert child.returncode == -9
    assert child.stdout.split("\n")[:6] == ["refused"] * 6


async def test_replaced_database_stops_writing_rescues_ours_and_spares_the_new_file(
    db_path: Path, tmp_path: Path, python_child, ev
) -> None:
    log = await EventLog.open(db_path)
    drill = await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n", drill_id="mine")
    await log.append_many(drill, [ev(1), ev(2)])
    other = tmp_path / "other.db"
    async with await EventLog.open(other) as o:
        await o.create_drill("other", "Other", "id: other\n", drill_id="other")
    os.replace(other, db_path)  # `mv other.db drills.db`
    with pytest.raises(StoreError) as caught:
        await log.append(drill, ev(3))
    message = str(caught.value)
    assert "\n" not in message
    assert f"{db_path} was replaced by another file (moved or copied over it) while drilltui had it open" in message
    assert f"The file now at {db_path} does not hold drill 'mine'" in message
    rescued = next(tmp_path.glob("drills.db.rescued-*"))
    assert f"Everything it had was saved to {rescued}" in message
    with pytest.raises(StoreError) as again:  # every later write: the same line, and no second rescue
        await log.append(drill, ev(4))
    assert str(again.value) == message and len(list(tmp_path.glob("drills.db.rescued-*"))) == 1
    await log.close()
    assert check(python_child, db_path) == ["ok", "other True 0"]
    assert check(python_child, rescued) == ["ok", "mine True 2"]


async def test_deleted_database_stops_writing(db_path: Path, ev) -> None:
    async with await EventLog.open(db_path) as log:
        drill = await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n")
        await log.append(drill, ev(1))
        for name in ("", "-wal", "-shm"):
            os.remove(f"{db_path}{name}")
        with pytest.raises(StoreError, match=f"{db_path} was deleted while drilltui had it open"):
            await log.append(drill, ev(2))


async def test_a_folder_long_quiet_costs_one_stat_and_is_still_watched(db_path: Path, tmp_path: Path, ev,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from drilltui.store import fileguard

    log = await EventLog.open(db_path)
    drill = await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n", drill_id="mine")
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(tmp_path, ns=(an_hour_ago, an_hour_ago))  # nothing added, removed or renamed here for an hour
    await log.append(drill, ev(1))  # looks at all three files, and trusts the folder from now on
    looked: list[str] = []
    real = fileguard.identity
    monkeypatch.setattr(fileguard, "identity", lambda path: looked.append(path) or real(path))
    await log.append(drill, ev(2))
    assert looked == []  # the folder's own mtime stood for the three files
    os.remove(f"{db_path}-wal")  # and a change to any name in it is seen at the next write
    with pytest.raises(StoreError, match="-wal .*deleted or replaced"):
        await log.append(drill, ev(3))
    await log.close()
