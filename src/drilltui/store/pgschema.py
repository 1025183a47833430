"""A PostgreSQL database for drilltui: connecting, checking it is ours, migrations, and one-line errors."""

from __future__ import annotations

import asyncio
import os
import socket
from urllib.parse import unquote, urlsplit

import asyncpg

from drilltui.store.errors import StoreError
from drilltui.store.location import redact

# drilltui's tables live in their own schema, so they never meet another application's.
SCHEMA = "drilltui"
SCHEMA_VERSION = 1  # of the PostgreSQL layout; the chain and records are the SQLite store's
CONNECT_TIMEOUT = 10.0
# Taken (inside the migrating transaction) so two processes opening a new database at once create it once.
MIGRATION_LOCK = 0x4452494C

MIGRATIONS: list[str] = [
    f"""
    CREATE SCHEMA IF NOT EXISTS {SCHEMA};
    CREATE TABLE {SCHEMA}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO {SCHEMA}.meta (key, value) VALUES ('application', 'drilltui'), ('schema', '0');
    CREATE TABLE {SCHEMA}.drill (
        id              TEXT PRIMARY KEY,
        scenario_id     TEXT NOT NULL,
        title           TEXT NOT NULL,
        scenario_text   TEXT NOT NULL,
        scenario_sha256 TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        head_seq        BIGINT NOT NULL DEFAULT 0,
        head_hash       TEXT NOT NULL,
        chain           INTEGER NOT NULL DEFAULT 1,
        added           BIGSERIAL          -- the order drills were added in, for listing
    );
    CREATE TABLE {SCHEMA}.event (
        drill_id    TEXT NOT NULL REFERENCES {SCHEMA}.drill (id),
        seq         BIGINT NOT NULL CHECK (seq >= 1),
        kind        TEXT NOT NULL,
        version     INTEGER NOT NULL,
        data        TEXT NOT NULL,          -- canonical JSON, verbatim: the hashed text (jsonb would reorder it)
        wall_time   TEXT NOT NULL,
        drill_time  DOUBLE PRECISION NOT NULL,
        participant TEXT NOT NULL,
        role        TEXT NOT NULL,
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL,
        PRIMARY KEY (drill_id, seq)
    );
    -- drills() finds each drill's start and end; an ordinary append writes to neither index.
    CREATE INDEX event_started ON {SCHEMA}.event (drill_id, seq) WHERE kind = 'drill_started';
    CREATE INDEX event_ended ON {SCHEMA}.event (drill_id, seq) WHERE kind = 'drill_ended';
    CREATE TABLE {SCHEMA}.lease (
        drill_id TEXT PRIMARY KEY REFERENCES {SCHEMA}.drill (id),
        holder   TEXT NOT NULL,
        expires  DOUBLE PRECISION NOT NULL  -- the server's clock, epoch seconds: one clock for every host
    );
    """,
]
assert len(MIGRATIONS) == SCHEMA_VERSION

# Commits on a drill are announced on this channel, the payload being the drill's id.
CHANNEL = "drilltui_events"


def where(url: str) -> str:
    """How a database is named in messages: its URL without the password."""
    return redact(url)


def _server(url: str) -> tuple[str, str, str]:
    """(host:port, user, database) as the URL gives them (libpq's defaults where it does not)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    user = unquote(parts.username or "") or "(your login name)"
    db = unquote(parts.path.lstrip("/")) or user
    return f"{host}:{parts.port or 5432}", user, db


def translate(exc: BaseException, url: str) -> StoreError | None:
    """The one-line message for a failure to reach or use the server, or None for a bug of ours."""
    server, user, db = _server(url)
    shown = where(url)
    if isinstance(exc, asyncpg.InvalidPasswordError):
        return StoreError(f"PostgreSQL at {server} refused user {user}: wrong password; check the password "
                          "(in the URL, $PGPASSWORD or ~/.pgpass)")
    if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError):
        return StoreError(f"PostgreSQL at {server} refused user {user} ({exc}); check the user in {shown}")
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return StoreError(f"there is no database '{db}' on PostgreSQL at {server}; create it "
                          f"(createdb -h {server.rsplit(':', 1)[0]} -p {server.rsplit(':', 1)[1]} {db}) or check {shown}")
    if isinstance(exc, (asyncpg.InsufficientPrivilegeError, asyncpg.ReadOnlySQLTransactionError)):
        return read_only_role(url)
    if isinstance(exc, asyncpg.DiskFullError):
        return StoreError(f"{shown}: the database server's disk is full; nothing was written")
    if isinstance(exc, (asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError)):
        return StoreError(f"PostgreSQL at {server} cannot take a connection now ({exc}); try again shortly")
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return StoreError(f"PostgreSQL at {server} did not answer within {CONNECT_TIMEOUT:g} s; check the host and port in {shown}")
    if isinstance(exc, socket.gaierror):
        return StoreError(f"cannot find the host of {shown} ({exc.strerror}); check the URL")
    if isinstance(exc, OSError):
        why = os.strerror(exc.errno).lower() if exc.errno else (exc.strerror or str(exc))
        return StoreError(f"cannot connect to PostgreSQL at {server} ({why}); check that the server runs and the host and port in {shown}")
    if isinstance(exc, asyncpg.PostgresError):
        return StoreError(f"{shown}: {exc.__class__.__name__}: {exc}")
    return None


def read_only_role(url: str) -> StoreError:
    _, user, _ = _server(url)
    return StoreError(f"user {user} may only read {where(url)} (a read-only role or server); "
                      "open it read-only (replay, verify, report, drills and export do), or connect as a user that may write")


def foreign(url: str) -> StoreError:
    return StoreError(f"{where(url)} is a PostgreSQL database but not a drilltui one; give a different database "
                      f"(or an empty one, where drilltui makes its schema '{SCHEMA}')")


def newer(url: str, version: int) -> StoreError:
    return StoreError(f"{where(url)} was written by a newer drilltui (PostgreSQL schema {version}, this one reads up to "
                      f"{SCHEMA_VERSION}); upgrade drilltui")


def empty(url: str) -> StoreError:
    return StoreError(f"{where(url)} holds no drilltui data yet; run a drill to fill it")


async def connect(url: str, *, readonly: bool) -> asyncpg.Connection:
    """A connection to the server (StoreError when it cannot be had); read-only sessions refuse writes server-side too."""
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - translated, or re-raised when it is a bug
        err = translate(exc, url)
        if err is None:
            raise
        raise err from None
    if readonly:
        await conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    return conn


async def _state(conn: asyncpg.Connection) -> tuple[bool, int | None]:
    """(the database has anything of anyone's, our schema version or None when it is not ours)."""
    # Plain catalog queries, not to_regclass(): those see the statement's snapshot, while to_regclass
    # may answer from a cache that an advisory lock does not refresh (a schema made while we waited).
    ours = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = 'meta')", SCHEMA)
    if ours:
        rows = dict(await conn.fetch(f"SELECT key, value FROM {SCHEMA}.meta WHERE key IN ('application', 'schema')"))
        if rows.get("application") == "drilltui" and str(rows.get("schema", "")).isdigit():
            return True, int(rows["schema"])
        return True, None
    others = await conn.fetchval(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
    )
    return bool(others) or bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                                                     SCHEMA)), None


async def prepare(conn: asyncpg.Connection, url: str, *, readonly: bool, create: bool) -> None:
    """Check the database is drilltui's (or empty), migrate it when writable; StoreError otherwise."""
    used, version = await _state(conn)
    if version is None:
        if used:
            raise foreign(url)
        if readonly or not create:
            raise empty(url)
    elif version > SCHEMA_VERSION:
        raise newer(url, version)
    if readonly:
        return
    if version is None or version < SCHEMA_VERSION:
        await _migrate(conn, url)
    if not await conn.fetchval("SELECT has_table_privilege($1, 'INSERT') AND NOT current_setting('transaction_read_only')::bool",
                               f"{SCHEMA}.event"):
        raise read_only_role(url)


async def _migrate(conn: asyncpg.Connection, url: str) -> None:
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            used, version = await _state(conn)  # another process may have made it meanwhile
            if version is None and used:
                raise foreign(url)
            for step in range(0 if version is None else version, SCHEMA_VERSION):
                await conn.execute(MIGRATIONS[step])
            await conn.execute(f"UPDATE {SCHEMA}.meta SET value = $1 WHERE key = 'schema'", str(SCHEMA_VERSION))
    except asyncpg.PostgresError as exc:
        err = translate(exc, url)
        if err is None:
            raise
        raise err from None
