"""PgEventLog: drills and their hash-chained events in PostgreSQL, with the SQLite EventLog's contract."""

from __future__ import annotations

import asyncio
import shlex
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from drilltui.store import chain, pgschema
from drilltui.store.base import LogBase, conflict, hand_edited, own_events, pick_id
from drilltui.store.errors import ConnectionLost, StoreError, Unstorable
from drilltui.store.location import DatabaseUrl
from drilltui.store.pgschema import CHANNEL, SCHEMA
from drilltui.store.records import DrillRecord, NewEvent, StoredEvent, VerifyResult
from drilltui.store.rows import Prepared, chained, prepare, stored_event

T = TypeVar("T")

_EVENT_COLUMNS = "seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash"

_DRILL_SELECT = f"""
SELECT d.id, d.scenario_id, d.title, d.scenario_text, d.scenario_sha256, d.created_at, d.head_seq,
       (SELECT e.wall_time FROM {SCHEMA}.event e WHERE e.drill_id = d.id ORDER BY e.seq DESC LIMIT 1),
       EXISTS (SELECT 1 FROM {SCHEMA}.event e WHERE e.drill_id = d.id AND e.kind = 'drill_ended'),
       (SELECT e.wall_time FROM {SCHEMA}.event e WHERE e.drill_id = d.id AND e.kind = 'drill_started' ORDER BY e.seq LIMIT 1),
       d.chain
FROM {SCHEMA}.drill d
"""

# One statement, so one round trip and atomic on its own: the head moves only from the (seq, hash)
# the events were chained on (the UPDATE's row lock serialises appenders to a drill, and a loser
# matches no row), the events go in only if it moved, and the commit is announced to every tail.
_APPEND = f"""
WITH head AS (
    UPDATE {SCHEMA}.drill SET head_seq = $2, head_hash = $3 WHERE id = $1 AND head_seq = $4 AND head_hash = $5
    RETURNING id
), added AS (
    INSERT INTO {SCHEMA}.event (drill_id, {_EVENT_COLUMNS})
    SELECT $1, * FROM unnest($6::bigint[], $7::text[], $8::int[], $9::text[], $10::text[], $11::float8[],
                             $12::text[], $13::text[], $14::text[], $15::text[])
    WHERE EXISTS (SELECT 1 FROM head)
    RETURNING 1
), announced AS (
    SELECT pg_notify('{CHANNEL}', $1 || ' ' || $2::text) FROM head
)
SELECT (SELECT count(*) FROM head), (SELECT count(*) FROM added), (SELECT count(*) FROM announced)
"""

_SERVER_NOW = "extract(epoch FROM clock_timestamp())::float8"

# How long a lost connection is tried again before the call gives up (a server restart takes seconds).
RECONNECT_FOR = 30.0


def _lost(exc: BaseException, conn: asyncpg.Connection | None = None) -> bool:
    """Whether exc means the connection is gone (so the call may be tried again on a new one)."""
    if conn is not None and conn.is_closed():
        return True  # whatever asyncpg raised on its way down (a server's FATAL can surface as an internal error)
    if isinstance(exc, (asyncpg.PostgresConnectionError, asyncpg.AdminShutdownError, asyncpg.CrashShutdownError,
                        asyncpg.CannotConnectNowError, ConnectionError)):
        return True
    if isinstance(exc, asyncpg.InterfaceError):
        return "closed" in str(exc) or "connection" in str(exc)
    return isinstance(exc, OSError)


def _drill_record(row: Any) -> DrillRecord:
    id_, scenario_id, title, text, sha, created, events, last_wall, ended, started, chain_version = row
    return DrillRecord(id_, scenario_id, title, text, sha, created, int(events), last_wall, bool(ended), started,
                       int(chain_version))


class PgEventLog(LogBase):
    """The event log of every drill in one PostgreSQL database (its schema `drilltui`)."""

    def __init__(self, url: str, conn: asyncpg.Connection, readonly: bool) -> None:
        """Use `await PgEventLog.open(url)`."""
        self._init_common(readonly)
        self.url = url
        self.path = DatabaseUrl(url)  # what commands show and pass on, as for a SQLite file
        self._where = pgschema.where(url)
        self._conn: asyncpg.Connection | None = conn
        self._lock = asyncio.Lock()  # one statement at a time on the connection
        self._heads: dict[str, tuple[int, str]] = {}  # a (seq, hash) of each drill seen lately: the likely head
        self._notified: dict[str, list[list[int]]] = {}  # per tail: the highest seq announced by NOTIFY
        self._listening_on: asyncpg.Connection | None = None  # the connection that LISTENs, while tails run

    # --- opening and closing --------------------------------------------------------------

    @classmethod
    async def open(cls, url: str, *, readonly: bool = False, create: bool = True) -> PgEventLog:
        """Connect, check the database is drilltui's (creating the schema if allowed); StoreError if it cannot be used."""
        conn = await pgschema.connect(url, readonly=readonly)
        try:
            await pgschema.prepare(conn, url, readonly=readonly, create=create)
        except BaseException:
            await conn.close()
            raise
        return cls(url, conn, readonly)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        conn = self._conn
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), 5)
            except (asyncio.TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                conn.terminate()

    def __repr__(self) -> str:
        return f"<PgEventLog {self._where!r}{' read-only' if self.readonly else ''}{' closed' if self._closed else ''}>"

    # --- plumbing ---------------------------------------------------------------------------

    async def _reconnect(self) -> asyncpg.Connection:
        """A new connection after the old one was lost, trying for RECONNECT_FOR seconds (a server restart)."""
        if self._conn is not None:
            self._conn.terminate()
            self._conn = None
        deadline = time.monotonic() + RECONNECT_FOR
        pause = 0.05
        while True:
            try:
                self._conn = await pgschema.connect(self.url, readonly=self.readonly)
                return self._conn
            except StoreError:
                if time.monotonic() > deadline or self._closed:
                    raise StoreError(
                        f"lost the connection to {self._where} and could not get it back within {RECONNECT_FOR:g} s;"
                        " every event shown as saved is in the database: start again once the server is back"
                    ) from None
                await asyncio.sleep(pause)  # waiting for the server to come back, not for our own work
                pause = min(pause * 2, 1.0)

    async def _call(self, fn: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Run fn on the connection, alone; on a lost connection, once more on a new one (fn must be safe to repeat)."""
        if self._closed:
            raise ValueError(f"{self._where}: the log was closed")
        async with self._lock:
            for attempt in (1, 2):
                conn = self._conn or await self._reconnect()
                try:
                    return await fn(conn)
                except StoreError:
                    raise
                except Exception as exc:  # noqa: BLE001 - lost connections are retried, the rest translated
                    if _lost(exc, conn) and attempt == 1 and not self._closed:
                        await self._reconnect()
                        continue
                    raise self._translated(exc) from None
        raise AssertionError("unreachable")

    def _translated(self, exc: Exception) -> BaseException:
        if isinstance(exc, (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError)):
            return Unstorable(f"{self._where} cannot store this text ({exc}): PostgreSQL's text holds no NUL character")
        if _lost(exc):
            return ConnectionLost(f"lost the connection to {self._where} ({exc}); nothing more was written: start again")
        return pgschema.translate(exc, self.url) or exc

    def _missing(self, drill_id: str) -> StoreError:
        return StoreError(f"no drill '{drill_id}' in {self._where}; `drilltui drills --db {shlex.quote(self._where)}` lists them")

    # --- drills -------------------------------------------------------------------------------

    async def _add_drill(self, drill_id: str | None, base: str, scenario_id: str, title: str, scenario_text: str,
                         sha: str, created: str, chain_version: int) -> str:
        async def body(conn: asyncpg.Connection) -> str:
            async with conn.transaction():
                # Drill ids are picked under one lock, so two hosts adding drills at once never pick the same.
                await conn.execute("SELECT pg_advisory_xact_lock($1)", pgschema.MIGRATION_LOCK + 1)
                if drill_id is not None:
                    if await conn.fetchval(f"SELECT 1 FROM {SCHEMA}.drill WHERE id = $1", drill_id):
                        raise self._taken(drill_id)
                    chosen = drill_id
                else:
                    chosen = pick_id(base, {r[0] for r in await conn.fetch(
                        f"SELECT id FROM {SCHEMA}.drill WHERE id = $1 OR left(id, length($1) + 1) = $1 || '-'", base)})
                genesis = chain.genesis_for(chain_version, chosen, scenario_id, title, created, sha)
                await conn.execute(
                    f"INSERT INTO {SCHEMA}.drill (id, scenario_id, title, scenario_text, scenario_sha256, created_at,"
                    " head_seq, head_hash, chain) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
                    chosen, scenario_id, title, scenario_text, sha, created, genesis, chain_version,
                )
                return chosen

        return await self._call(body)

    async def drills(self) -> list[DrillRecord]:
        """Every drill in the database, newest first."""

        async def body(conn: asyncpg.Connection) -> list[DrillRecord]:
            return [_drill_record(r) for r in await conn.fetch(_DRILL_SELECT + " ORDER BY d.created_at DESC, d.added DESC")]

        return await self._call(body)

    async def _lookup(self, drill_id: str) -> tuple[DrillRecord | None, list[str]]:
        async def body(conn: asyncpg.Connection) -> tuple[DrillRecord | None, list[str]]:
            row = await conn.fetchrow(_DRILL_SELECT + " WHERE d.id = $1", drill_id)
            if row is not None or not drill_id:
                return (_drill_record(row) if row is not None else None), []
            ids = [r[0] for r in await conn.fetch(
                f"SELECT id FROM {SCHEMA}.drill WHERE left(id, length($1)) = $1 ORDER BY id", drill_id)]
            if len(ids) == 1:
                return _drill_record(await conn.fetchrow(_DRILL_SELECT + " WHERE d.id = $1", ids[0])), ids
            return None, ids

        return await self._call(body)

    # --- events -------------------------------------------------------------------------------

    async def _head(self, conn: asyncpg.Connection, drill_id: str) -> tuple[int, str]:
        row = await conn.fetchrow(f"SELECT head_seq, head_hash FROM {SCHEMA}.drill WHERE id = $1", drill_id)
        if row is None:
            raise self._missing(drill_id)
        self._heads[drill_id] = (int(row[0]), row[1])
        return self._heads[drill_id]

    async def append_many(
        self, drill_id: str, events: Sequence[NewEvent], *, expected_seq: int | None = None
    ) -> list[StoredEvent]:
        """Append events in one transaction: all of them land, consecutively, or none does.

        With expected_seq, raise Conflict (writing nothing) unless the drill's last seq is expected_seq.
        A connection lost on the way is made again and the log asked whether the events landed, so
        they are neither lost nor written twice.
        """
        self._writable()
        prepared = [prepare(e) for e in events]
        if self._closed:
            raise ValueError(f"{self._where}: the log was closed")
        async with self._lock:
            stored = await self._append_locked(drill_id, prepared, expected_seq)
        self._deliver(drill_id, stored)
        return stored

    async def _append_locked(self, drill_id: str, prepared: list[Prepared], expected_seq: int | None) -> list[StoredEvent]:
        """One try on the head we know (one round trip); else the drill's row locked, which cannot miss."""
        lost = 0
        while True:
            conn = self._conn or await self._reconnect()
            stored: list[StoredEvent] | None = None
            try:
                head = self._heads.get(drill_id)
                if prepared and head is not None and expected_seq in (None, head[0]):
                    stored, rows = chained(drill_id, head[0], head[1], prepared)
                    if await self._try_append(conn, drill_id, head, stored, rows):
                        return stored
                async with conn.transaction():
                    row = await conn.fetchrow(
                        f"SELECT head_seq, head_hash FROM {SCHEMA}.drill WHERE id = $1 FOR UPDATE", drill_id)
                    if row is None:
                        raise self._missing(drill_id)
                    head = (int(row[0]), row[1])
                    self._heads[drill_id] = head
                    if expected_seq is not None and head[0] != expected_seq:
                        raise conflict(drill_id, self._where, head[0], expected_seq)
                    if not prepared:
                        return []
                    stored, rows = chained(drill_id, head[0], head[1], prepared)
                    if not await self._try_append(conn, drill_id, head, stored, rows):  # pragma: no cover - we hold the lock
                        raise StoreError(f"drill '{drill_id}' in {self._where} moved under its own lock; try again")
                return stored
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001
                lost += 1
                if not _lost(exc, conn) or self._closed or lost > 3:
                    raise self._translated(exc) from None
                conn = await self._reconnect()
                # The commit may or may not have happened before the connection went: ask the log.
                if stored is not None and await self._landed(conn, drill_id, stored):
                    self._heads[drill_id] = (stored[-1].seq, stored[-1].hash)
                    return stored
                self._heads.pop(drill_id, None)

    async def _try_append(self, conn: asyncpg.Connection, drill_id: str, head: tuple[int, str],
                          stored: list[StoredEvent], rows: list[tuple[Any, ...]]) -> bool:
        """Write the events (chained on head) if head is still the drill's; False (nothing written) if not.

        The caller holds `stored` before this starts, so a connection lost inside it can ask whether they landed.
        """
        columns = [list(c) for c in list(zip(*rows))[1:]]  # drill_id goes once, as $1; the rest as arrays
        try:
            moved = await conn.fetchrow(_APPEND, drill_id, stored[-1].seq, stored[-1].hash, head[0], head[1], *columns)
        except asyncpg.UniqueViolationError:
            raise hand_edited(drill_id, self._where) from None
        if moved[0] != 1:
            self._heads.pop(drill_id, None)
            return False
        self._heads[drill_id] = (stored[-1].seq, stored[-1].hash)
        return True

    async def _landed(self, conn: asyncpg.Connection, drill_id: str, stored: list[StoredEvent]) -> bool:
        found = await conn.fetchval(f"SELECT hash FROM {SCHEMA}.event WHERE drill_id = $1 AND seq = $2",
                                    drill_id, stored[0].seq)
        return found == stored[0].hash

    async def read(self, drill_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[StoredEvent]:
        """The drill's events with from_seq <= seq <= to_seq (to the end when to_seq is None), in order."""
        last = to_seq if to_seq is not None else 2**63 - 1

        async def body(conn: asyncpg.Connection) -> list[StoredEvent]:
            rows = await conn.fetch(
                f"SELECT {_EVENT_COLUMNS} FROM {SCHEMA}.event WHERE drill_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq",
                drill_id, max(from_seq, 0), last)
            if not rows and not await conn.fetchval(f"SELECT 1 FROM {SCHEMA}.drill WHERE id = $1", drill_id):
                raise self._missing(drill_id)
            return [stored_event(tuple(r), drill_id, self._where) for r in rows]

        events = await self._call(body)
        if events and events[-1].seq > self._heads.get(drill_id, (0, ""))[0]:
            self._heads[drill_id] = (events[-1].seq, events[-1].hash)
        return events

    async def last_seq(self, drill_id: str) -> int:
        """The seq of the drill's last event (0 when it has none)."""
        return (await self._call(lambda conn: self._head(conn, drill_id)))[0]

    # --- tailing ------------------------------------------------------------------------------

    def _on_notify(self, conn: object, pid: int, channel: str, payload: str) -> None:
        drill_id, _, seq = payload.rpartition(" ")
        for seen in self._notified.get(drill_id, ()):
            seen[0] = max(seen[0], int(seq) if seq.isdigit() else 2**62)
        self._wake_tails()

    async def _listen(self) -> bool:
        """LISTEN on the log's connection (again, after it was made anew); True when it had to.

        asyncpg delivers notifications on a connection between its queries, so
        one connection serves both: a session costs the server one connection.
        """
        if self._listening_on is not None and self._listening_on is self._conn and not self._conn.is_closed():
            return False

        async def listen(conn: asyncpg.Connection) -> None:
            await conn.add_listener(CHANNEL, self._on_notify)
            self._listening_on = conn

        await self._call(listen)
        return True

    async def tail(self, drill_id: str, after_seq: int, *, poll: float = 0.05,
                   recheck: float = 0.5) -> AsyncIterator[StoredEvent]:
        """Yield the drill's events after after_seq, then each new one as it is committed, until closed.

        Commits anywhere are announced by NOTIFY on a listening connection; the log
        is also read every `recheck` seconds, so a notification lost with a
        connection costs at most that. This log's own appends are handed over as
        they commit, never read back. (`poll` is the SQLite log's; kept for the same call.)
        """
        last = after_seq
        inbox = self._watch(drill_id)
        notified = [0]
        self._notified.setdefault(drill_id, []).append(notified)
        behind = True
        try:
            while not self._closed:
                try:
                    if await self._listen():
                        behind = True  # anything announced while nobody listened must be read
                    if behind:
                        wake = self._wake
                        events = await self.read(drill_id, last + 1)
                except ConnectionLost:
                    # A follower outlives the server's cuts: it tries again after `recheck`, and reads what it missed.
                    await asyncio.sleep(recheck)
                    behind = True
                    continue
                if behind:
                    for event in events:
                        last = event.seq
                        yield event
                    behind = False
                ready, behind = own_events(inbox, last)
                for event in ready:
                    last = event.seq
                    yield event
                if behind or notified[0] > last:
                    behind = True
                    continue
                if not wake.is_set():
                    try:
                        await asyncio.wait_for(wake.wait(), recheck)
                    except asyncio.TimeoutError:
                        behind = True
                        continue
                wake = self._wake
                behind = notified[0] > last and not inbox
        except (ValueError, StoreError):
            if not self._closed:
                raise
        finally:
            self._unwatch(drill_id, inbox)
            seen = self._notified.get(drill_id, [])
            if notified in seen:
                seen.remove(notified)

    # --- verifying ----------------------------------------------------------------------------

    async def _drill_head(self, conn: asyncpg.Connection, drill_id: str) -> chain.DrillHead:
        row = await conn.fetchrow(
            f"SELECT id, scenario_id, title, created_at, scenario_text, scenario_sha256, head_seq, head_hash, chain"
            f" FROM {SCHEMA}.drill WHERE id = $1", drill_id)
        if row is None:
            raise self._missing(drill_id)
        return chain.DrillHead(*row)

    async def drill_head(self, drill_id: str) -> chain.DrillHead:
        """The drill's own record as the chain sees it: metadata, scenario, recorded head and chain version."""
        return await self._call(lambda conn: self._drill_head(conn, drill_id))

    async def verify(self, drill_id: str) -> VerifyResult:
        """Recompute the drill's chain from its stored rows and name the first event that breaks it."""

        async def body(conn: asyncpg.Connection) -> VerifyResult:
            # One snapshot: the head and the rows agree even while others append.
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                head = await self._drill_head(conn, drill_id)
                rows = await conn.fetch(f"SELECT {_EVENT_COLUMNS} FROM {SCHEMA}.event WHERE drill_id = $1 ORDER BY seq",
                                        drill_id)
            return chain.walk_drill(head, [tuple(r) for r in rows])

        return await self._call(body)

    async def read_verified(self, drill_id: str) -> tuple[list[StoredEvent], VerifyResult]:
        """All the drill's events and the check of its chain, from one snapshot and one parse of each row."""

        async def body(conn: asyncpg.Connection) -> tuple[list[StoredEvent], VerifyResult]:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                head = await self._drill_head(conn, drill_id)
                rows = [tuple(r) for r in await conn.fetch(
                    f"SELECT {_EVENT_COLUMNS} FROM {SCHEMA}.event WHERE drill_id = $1 ORDER BY seq", drill_id)]
            events = [stored_event(r, drill_id, self._where) for r in rows]
            return events, chain.walk_parsed(head, zip(rows, (e.data for e in events)))

        return await self._call(body)

    # --- the scheduler's lease ------------------------------------------------------------------

    async def acquire_lease(self, drill_id: str, holder: str, ttl: float = 5.0, *, now: float | None = None) -> bool:
        """Take or renew the drill's scheduler lease for ttl seconds; False if someone else holds it.

        Times are the server's clock (or `now`), so hosts whose clocks differ still agree.
        """
        self._writable()
        if not ttl > 0:
            raise ValueError(f"lease ttl must be positive, not {ttl!r}")

        async def body(conn: asyncpg.Connection) -> bool:
            try:
                got = await conn.fetchval(
                    f"INSERT INTO {SCHEMA}.lease AS l (drill_id, holder, expires)"
                    f" VALUES ($1, $2, coalesce($4::float8, {_SERVER_NOW}) + $3::float8)"
                    " ON CONFLICT (drill_id) DO UPDATE SET holder = excluded.holder, expires = excluded.expires"
                    f" WHERE l.holder = excluded.holder OR l.holder = '' OR l.expires <= coalesce($4::float8, {_SERVER_NOW})"
                    " RETURNING 1",
                    drill_id, holder, float(ttl), now,
                )
            except asyncpg.ForeignKeyViolationError:
                raise self._missing(drill_id) from None
            return got == 1

        return await self._call(body)

    async def release_lease(self, drill_id: str, holder: str, *, now: float | None = None) -> None:
        """Give the lease up, if holder has it: it is kept with no holder, expiring now, so the hand-over time is known."""
        self._writable()

        async def body(conn: asyncpg.Connection) -> None:
            await conn.execute(
                f"UPDATE {SCHEMA}.lease SET holder = '', expires = coalesce($3::float8, {_SERVER_NOW})"
                " WHERE drill_id = $1 AND holder = $2", drill_id, holder, now)

        await self._call(body)

    async def lease(self, drill_id: str) -> tuple[str, float] | None:
        """The drill's lease as last written, expired or not: (holder, expires); holder is "" once given up."""

        async def body(conn: asyncpg.Connection) -> tuple[str, float] | None:
            row = await conn.fetchrow(f"SELECT holder, expires FROM {SCHEMA}.lease WHERE drill_id = $1", drill_id)
            return None if row is None else (str(row[0]), float(row[1]))

        return await self._call(body)

    async def lease_holder(self, drill_id: str, *, now: float | None = None) -> str | None:
        """Who holds the drill's unexpired lease, if anyone."""

        async def body(conn: asyncpg.Connection) -> str | None:
            found = await conn.fetchval(
                f"SELECT holder FROM {SCHEMA}.lease WHERE drill_id = $1 AND holder <> ''"
                f" AND expires > coalesce($2::float8, {_SERVER_NOW})",
                drill_id, now)
            return None if found is None else str(found)

        return await self._call(body)
