"""Opening files: the schema and PRAGMAs of a new file, and a clear StoreError for every file we cannot use."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from drilltui.store import EventLog, StoreError, schema

PROBE = """
    import asyncio, sys
    from drilltui.store import EventLog, StoreError

    async def main(path: str, mode: str) -> None:
        try:
            log = await EventLog.open(path, readonly=mode == "ro", create=mode == "create")
        except StoreError as exc:
            print(f"StoreError: {exc}")
            return
        try:
            print("drills:", [d.id for d in await log.drills()])
        finally:
            await log.close()

    asyncio.run(main(*sys.argv[1:]))
"""


def pragma(db_path: Path, name: str) -> object:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


async def make_db(db_path: Path) -> str:
    async with await EventLog.open(db_path) as log:
        return await log.create_drill("s", "S", "x", drill_id="d1")


# --- a new file -----------------------------------------------------------------------------


async def test_new_file_layout(db_path: Path) -> None:
    async with await EventLog.open(db_path):
        pass
    assert pragma(db_path, "application_id") == schema.APPLICATION_ID == 0x4452494C
    assert pragma(db_path, "user_version") == schema.SCHEMA_VERSION == 2
    assert pragma(db_path, "journal_mode") == "wal"  # persistent: any connection sees it
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"meta", "drill", "event", "lease"}
        assert conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone() == ("drilltui",)
        pk = [r[1] for r in sorted(conn.execute("PRAGMA table_info(event)"), key=lambda r: r[5]) if r[5]]
        assert pk == ["drill_id", "seq"]
        assert [tuple(r[2:5]) for r in conn.execute("PRAGMA foreign_key_list(event)")] == [("drill", "drill_id", "id")]


async def test_connection_pragmas(log: EventLog) -> None:
    def read() -> tuple:
        return tuple(log._conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys"))

    assert await log._run(read) == ("wal", 2, 10_000, 1)  # synchronous 2 = FULL


async def test_many_opens_of_a_new_file_at_once(db_path: Path) -> None:
    logs = await asyncio.gather(*(EventLog.open(db_path) for _ in range(6)))
    drills = await asyncio.gather(*(log.create_drill("s", "S", "x") for log in logs))
    assert len(set(drills)) == 6
    for log in logs:
        await log.close()
    assert pragma(db_path, "user_version") == schema.SCHEMA_VERSION


async def test_empty_file_becomes_a_database(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with pytest.raises(StoreError, match=r"holds no drilltui data yet; run a drill to fill it"):
        await EventLog.open(db_path, readonly=True)
    async with await EventLog.open(db_path, create=False) as log:
        assert await log.drills() == []


def test_migrations_are_indexed_by_version() -> None:
    assert len(schema.MIGRATIONS) == schema.SCHEMA_VERSION
    assert schema.statements("CREATE TABLE a (x TEXT DEFAULT ';');\nINSERT INTO a VALUES (';');\n") == [
        "CREATE TABLE a (x TEXT DEFAULT ';');", "INSERT INTO a VALUES (';');",
    ]
    with pytest.raises(ValueError):
        schema.statements("CREATE TABLE a (x")


# --- files we cannot use --------------------------------------------------------------------


async def test_missing_file(db_path: Path) -> None:
    for kwargs in ({"create": False}, {"readonly": True}):
        with pytest.raises(StoreError) as caught:
            await EventLog.open(db_path, **kwargs)
        assert str(caught.value) == f"{db_path} does not exist; check the path, or run a drill to create it"
    assert not db_path.exists()


async def test_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "d.db"
    with pytest.raises(StoreError, match=r"cannot create .*d\.db: the folder .*nowhere does not exist"):
        await EventLog.open(path)


async def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder, not a drilltui database"):
        await EventLog.open(tmp_path)


async def test_not_sqlite_at_all(db_path: Path) -> None:
    content = b"scenario: this is YAML, not a database\n" * 50
    db_path.write_bytes(content)
    for readonly in (False, True):
        with pytest.raises(StoreError) as caught:
            await EventLog.open(db_path, readonly=readonly)
        assert str(caught.value) == f"{db_path} is not a drilltui database (it is not an SQLite file at all); check the path"
    assert db_path.read_bytes() == content


async def test_someone_elses_sqlite_file(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    before = db_path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError) as caught:
            await EventLog.open(db_path, readonly=readonly)
        assert str(caught.value) == f"{db_path} is an SQLite database but not a drilltui one; give a different database file"
    assert db_path.read_bytes() == before  # not even switched to WAL
    assert not Path(f"{db_path}-wal").exists()


async def test_wrong_application_id(db_path: Path) -> None:
    await make_db(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA application_id = 42")
    with pytest.raises(StoreError, match="not a drilltui one"):
        await EventLog.open(db_path)


async def test_our_application_id_without_the_meta_marker(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    with pytest.raises(StoreError, match="not a drilltui one"):
        await EventLog.open(db_path)


async def test_newer_schema(db_path: Path) -> None:
    await make_db(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    for readonly in (False, True):
        with pytest.raises(StoreError) as caught:
            await EventLog.open(db_path, readonly=readonly)
        newer, now = schema.SCHEMA_VERSION + 1, schema.SCHEMA_VERSION
        assert str(caught.value) == f"{db_path} was written by a newer drilltui (schema {newer}, this one reads up to {now}); upgrade drilltui"


async def test_locked_beyond_the_busy_timeout(db_path: Path, monkeypatch: pytest.MonkeyPatch, ev) -> None:
    drill = await make_db(db_path)
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 150)
    async with await EventLog.open(db_path) as log:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            for call in (log.append(drill, ev(1)), log.create_drill("s", "S", "x"), log.acquire_lease(drill, "A")):
                with pytest.raises(StoreError) as caught:
                    await call
                assert str(caught.value) == f"{db_path} is locked by another program; close it or try again"
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert (await log.append(drill, ev(1))).seq == 1  # and works once it is free


async def test_locked_at_open(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    await make_db(db_path)
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 150)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        for readonly in (False, True):
            with pytest.raises(StoreError, match="is locked by another program; close it or try again"):
                await EventLog.open(db_path, readonly=readonly)
    finally:
        other.close()


async def test_writing_through_a_read_only_log(db_path: Path, ev) -> None:
    drill = await make_db(db_path)
    async with await EventLog.open(db_path, readonly=True) as log:
        assert [d.id for d in await log.drills()] == [drill]
        for call in (log.append(drill, ev(1)), log.append_many(drill, [ev(1)]), log.create_drill("s", "S", "x"),
                     log.acquire_lease(drill, "A"), log.release_lease(drill, "A")):
            with pytest.raises(StoreError, match=r"was opened read-only; open it for writing to change a drill"):
                await call
        assert await log.lease_holder(drill) is None


def test_read_only_file(db_path: Path, python_child) -> None:
    asyncio.run(make_db(db_path))
    db_path.chmod(0o444)
    try:
        assert python_child(PROBE, str(db_path), "ro", drop_dac=True).stdout == "drills: ['d1']\n"
        result = python_child(PROBE, str(db_path), "rw", drop_dac=True)
        assert result.stdout == f"StoreError: {db_path} is read-only; make it writable (chmod u+w {db_path}) or open it read-only\n"
        assert result.stderr == ""
    finally:
        db_path.chmod(0o644)


def test_read_only_folder(tmp_path: Path, python_child) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db_path = folder / "drills.db"
    asyncio.run(make_db(db_path))
    assert sorted(os.listdir(folder)) == ["drills.db"]  # a clean close leaves no -wal/-shm behind
    folder.chmod(0o555)
    try:
        # Reading still works: with no -shm to create, the file is read as immutable.
        assert python_child(PROBE, str(db_path), "ro", drop_dac=True).stdout == "drills: ['d1']\n"
        message = f"is in a read-only folder ({folder}) and SQLite must write files beside it; make the folder writable or copy the database somewhere writable\n"
        assert python_child(PROBE, str(db_path), "rw", drop_dac=True).stdout == f"StoreError: {db_path} {message}"
        new = folder / "new.db"
        assert python_child(PROBE, str(new), "create", drop_dac=True).stdout == f"StoreError: {new} {message}"
    finally:
        folder.chmod(0o755)


def test_unreadable_file(db_path: Path, python_child) -> None:
    asyncio.run(make_db(db_path))
    db_path.chmod(0o000)
    try:
        result = python_child(PROBE, str(db_path), "ro", drop_dac=True)
        assert result.stdout == f"StoreError: cannot read {db_path}: permission denied; check its permissions\n"
    finally:
        db_path.chmod(0o644)


def test_the_store_imports_no_ui_or_engine(env: dict[str, str]) -> None:
    code = "import sys, drilltui.store; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith(('drilltui.engine', 'drilltui.ui'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out == "[]\n"


def test_no_blocking_sleep_in_the_store() -> None:
    src = Path(schema.__file__).parent
    for file in src.glob("*.py"):
        assert "time.sleep" not in file.read_text(), file


async def test_awkward_file_names(tmp_path: Path, ev) -> None:
    # Opened through file: URIs, so these must be escaped, not taken as query or fragment.
    path = tmp_path / "my drills ?#% ☢.db"
    async with await EventLog.open(path) as log:
        drill = await log.create_drill("s", "S", "x")
        await log.append(drill, ev(1))
    async with await EventLog.open(path, readonly=True) as log:
        assert (await log.verify(drill)).ok
    # No stray file from a name cut at "?" or "#" (a read-only close may leave -wal/-shm beside it).
    assert {p.name for p in tmp_path.iterdir()} <= {path.name, f"{path.name}-wal", f"{path.name}-shm"}
