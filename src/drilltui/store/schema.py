"""Opening a database file: checks that it is ours, PRAGMAs, forward migrations, and error messages."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
from pathlib import Path

from drilltui.store.errors import StoreError

# "DRIL" in ASCII: lets `file`, sqlite3 and we ourselves recognise a drilltui database.
APPLICATION_ID = 0x4452494C
SCHEMA_VERSION = 2
# Long enough that 8 processes appending at once queue up rather than fail; tests shorten it.
BUSY_TIMEOUT_MS = 10_000

# MIGRATIONS[v] takes a database from user_version v to v + 1; 0 is an empty, new file.
MIGRATIONS: list[str] = [
    f"""
    PRAGMA application_id = {APPLICATION_ID};
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('application', 'drilltui');
    CREATE TABLE drill (
        id              TEXT PRIMARY KEY,
        scenario_id     TEXT NOT NULL,
        title           TEXT NOT NULL,
        scenario_text   TEXT NOT NULL,
        scenario_sha256 TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        -- The chain's head, moved in the same transaction as each append, so that
        -- events cut off the end of the log are caught by verify as well.
        head_seq        INTEGER NOT NULL DEFAULT 0,
        head_hash       TEXT NOT NULL
    );
    CREATE TABLE event (
        drill_id    TEXT NOT NULL REFERENCES drill (id),
        seq         INTEGER NOT NULL CHECK (seq >= 1),
        kind        TEXT NOT NULL,
        version     INTEGER NOT NULL,
        data        TEXT NOT NULL,
        wall_time   TEXT NOT NULL,
        drill_time  REAL NOT NULL,
        participant TEXT NOT NULL,
        role        TEXT NOT NULL,
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL,
        PRIMARY KEY (drill_id, seq)
    );
    -- drills() asks each drill whether and when it started and ended.
    CREATE INDEX event_kind ON event (drill_id, kind, seq);
    CREATE TABLE lease (
        drill_id TEXT PRIMARY KEY REFERENCES drill (id),
        holder   TEXT NOT NULL,
        expires  REAL NOT NULL
    );
    """,
    # 2: the drill's chain version. Drills made before it stay on chain 1 (their events were
    # hashed against chain 1's genesis and still verify); new drills are on chain 2, whose
    # genesis also commits to the title, scenario id and creation time.
    # Also: drills() finds each drill's start and end through two partial indexes instead of an index
    # of every event's kind, so an ordinary append writes one page fewer (its commit is that much quicker).
    """
    ALTER TABLE drill ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
    DROP INDEX event_kind;
    CREATE INDEX event_started ON event (drill_id, seq) WHERE kind = 'drill_started';
    CREATE INDEX event_ended ON event (drill_id, seq) WHERE kind = 'drill_ended';
    """,
]
assert len(MIGRATIONS) == SCHEMA_VERSION


def statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete statement in migration: {pending.strip()[:60]}")
    return out


# --- messages ---------------------------------------------------------------------------------


def missing_drill(path: Path, drill_id: str) -> StoreError:
    return StoreError(f"no drill '{drill_id}' in {path}; `drilltui drills --db {shlex.quote(str(path))}` lists them")


def locked(path: Path) -> StoreError:
    return StoreError(f"{path} is locked by another program; close it or try again")


def read_only_file(path: Path) -> StoreError:
    return StoreError(f"{path} is read-only; make it writable (chmod u+w {shlex.quote(str(path))}) or open it read-only")


def read_only_folder(path: Path) -> StoreError:
    folder = path.absolute().parent
    return StoreError(
        f"{path} is in a read-only folder ({folder}) and SQLite must write files beside it; "
        "make the folder writable or copy the database somewhere writable"
    )


def translate(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """The user's version of an SQLite error about the file, or None for a bug of ours."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return locked(path)
    if name == "SQLITE_READONLY_DIRECTORY":
        return read_only_folder(path)
    if name.startswith("SQLITE_READONLY"):
        return read_only_file(path)
    if name == "SQLITE_NOTADB":
        return not_sqlite(path)
    if name.startswith("SQLITE_CORRUPT"):
        return StoreError(f"{path} is damaged ({exc}); restore it from a backup")
    if name == "SQLITE_FULL" or (name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and disk_full(path)):
        return full(path)
    if name.startswith("SQLITE_IOERR"):
        return StoreError(f"{path}: cannot read or write the file ({exc}); check the disk and try again")
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return StoreError(f"cannot open {path} ({exc}); check the path and its permissions")
    return None


# Less room than this beside the file and SQLite cannot grow its -shm index or write a commit.
FULL_BELOW = 256 * 1024


def disk_full(path: Path) -> bool:
    """Whether the file system holding path has (about) no room left; SQLite often says only "disk I/O error"."""
    try:
        return shutil.disk_usage(path.absolute().parent).free < FULL_BELOW
    except OSError:
        return False


def full(path: Path) -> StoreError:
    return StoreError(f"{path}: the disk is full; free some space and try again (nothing already logged is lost)")


def not_sqlite(path: Path) -> StoreError:
    return StoreError(f"{path} is not a drilltui database (it is not an SQLite file at all); check the path")


def foreign(path: Path) -> StoreError:
    return StoreError(f"{path} is an SQLite database but not a drilltui one; give a different database file")


def newer(path: Path, version: int) -> StoreError:
    return StoreError(
        f"{path} was written by a newer drilltui (schema {version}, this one reads up to {SCHEMA_VERSION}); upgrade drilltui"
    )


# --- opening ----------------------------------------------------------------------------------


def _precheck(path: Path, readonly: bool, create: bool) -> bool:
    """Catch what SQLite would report late or vaguely; return whether the file exists."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a drilltui database; give the path of a database file")
    folder = path.absolute().parent
    if not path.exists():
        if readonly or not create:
            raise StoreError(f"{path} does not exist; check the path, or run a drill to create it")
        if not folder.is_dir():
            raise StoreError(f"cannot create {path}: the folder {folder} does not exist; create it or choose another path")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise read_only_folder(path)
        return False
    if readonly:
        if not os.access(path, os.R_OK):
            raise StoreError(f"cannot read {path}: permission denied; check its permissions")
        return True
    # SQLite would quietly open a write-protected file read-only and fail at the first append,
    # perhaps mid-drill; say so now, while nothing depends on it.
    if not os.access(path, os.R_OK | os.W_OK):
        raise read_only_file(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise read_only_folder(path)
    return True


def _connect(uri: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves, nothing implicit.
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    return conn


def _inspect(conn: sqlite3.Connection) -> tuple[bool, int, int, bool]:
    """(empty, application_id, user_version, has our meta marker) of the open file."""
    # One read transaction, so all four come from the same snapshot even while another
    # process is creating the schema.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        marked = False
        if "meta" in names:
            row = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
            marked = row is not None and row[0] == "drilltui"
    finally:
        if own:
            conn.execute("COMMIT")
    return (not names and app_id == 0 and version == 0), app_id, version, marked


def _classify(path: Path, state: tuple[bool, int, int, bool]) -> bool:
    """Raise unless the file is ours (or empty); return whether it needs migrating."""
    empty, app_id, version, marked = state
    if empty:
        return True
    if app_id != APPLICATION_ID:
        raise foreign(path)
    if version > SCHEMA_VERSION:
        raise newer(path, version)
    if not marked:
        raise foreign(path)
    return version < SCHEMA_VERSION


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have created or upgraded the file since we looked.
        state = _inspect(conn)
        if _classify(path, state):
            for version in range(state[2], SCHEMA_VERSION):
                for statement in statements(MIGRATIONS[version]):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _wal_empty(path: Path) -> bool:
    try:
        return os.path.getsize(f"{path}-wal") == 0
    except OSError:
        return True  # none at all


def open_connection(path: Path, readonly: bool, create: bool) -> sqlite3.Connection:
    """Open, check and (if writable) migrate the database; raise StoreError for anything wrong.

    Blocking: run it on the connection's worker thread, never on the event loop.
    """
    exists = _precheck(path, readonly, create)
    uri = path.absolute().as_uri() + ("?mode=ro" if readonly else "?mode=rw" if exists else "?mode=rwc")
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(uri)
        try:
            state = _inspect(conn)
        except sqlite3.OperationalError as exc:
            # A WAL database in a read-only folder cannot get its -shm index; read-only, nobody
            # can be writing it, so reading it as immutable is safe. On a full disk the index
            # cannot be made either; nobody can be writing then, and an empty -wal means the
            # main file holds every commit.
            cannot_index = exc.sqlite_errorname in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN")
            if not readonly or not (cannot_index or (disk_full(path) and _wal_empty(path))):
                raise
            conn.close()
            conn = _connect(uri + "&immutable=1")
            state = _inspect(conn)
        needs_migration = _classify(path, state)
        # An older schema is read as it is (the log reads every schema it ever wrote); only an
        # empty file has nothing to read.
        if readonly and needs_migration and state[0]:
            raise StoreError(f"{path} holds no drilltui data yet; run a drill to fill it")
        if not readonly:
            # Set before migrating: a new file's first transaction then already goes to the WAL.
            conn.execute("PRAGMA journal_mode = WAL")
            if needs_migration:
                _migrate(conn, path)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        err = translate(exc, path)
        if err is None:
            raise
        raise err from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
