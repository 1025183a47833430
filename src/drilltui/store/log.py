"""EventLog: one SQLite file of drills and their hash-chained events, used from asyncio via aiosqlite."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, TypeVar

import aiosqlite

from drilltui.store import chain, schema
from drilltui.store.errors import Conflict, StoreError
from drilltui.store.records import DrillRecord, NewEvent, StoredEvent, VerifyResult

T = TypeVar("T")

_EVENT_COLUMNS = "seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash"

_DRILL_SELECT = """
SELECT d.id, d.scenario_id, d.title, d.scenario_text, d.scenario_sha256, d.created_at, d.head_seq,
       (SELECT e.wall_time FROM event e WHERE e.drill_id = d.id ORDER BY e.seq DESC LIMIT 1),
       EXISTS (SELECT 1 FROM event e WHERE e.drill_id = d.id AND e.kind = 'drill_ended'),
       (SELECT e.wall_time FROM event e WHERE e.drill_id = d.id AND e.kind = 'drill_started' ORDER BY e.seq LIMIT 1)
FROM drill d
"""

# A drill id is typed by people and is part of the genesis hash: no spaces, no control characters.
_DRILL_ID = re.compile(r"[^\s\x00-\x1f\x7f]+")


def utc_now() -> str:
    """Now as ISO-8601 UTC with microseconds, the form the log stores."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _drill_record(row: sqlite3.Row | tuple[Any, ...]) -> DrillRecord:
    id_, scenario_id, title, text, sha, created, events, last_wall, ended, started = row
    return DrillRecord(id_, scenario_id, title, text, sha, created, events, last_wall, bool(ended), started)


def _stored(row: tuple[Any, ...]) -> StoredEvent:
    seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash_ = row
    return StoredEvent(seq, kind, json.loads(data), wall_time, drill_time, participant, role, version, prev_hash, hash_)


def _base_id(scenario_id: str, created_at: str) -> str:
    when = datetime.fromisoformat(created_at)
    # A time without an offset is taken as UTC, the only zone the log uses.
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario_id).strip("-") or "drill"
    return f"{slug}-{when:%Y%m%d-%H%M}"


class _Prepared(NamedTuple):
    kind: str
    version: int
    text: str  # canonical JSON of data, as stored
    data: dict  # that text parsed back, as hashed and returned
    wall_time: str
    drill_time: float
    participant: str
    role: str


def _prepare(event: NewEvent) -> _Prepared:
    """Check a NewEvent and fix the exact values that will be stored and hashed."""
    if not isinstance(event.kind, str) or not event.kind:
        raise ValueError(f"event kind must be a non-empty string, not {event.kind!r}")
    if not isinstance(event.data, dict):
        raise TypeError(f"event data must be a dict, not {type(event.data).__name__}")
    if isinstance(event.version, bool) or not isinstance(event.version, int):
        raise TypeError(f"event version must be an int, not {event.version!r}")
    for name in ("wall_time", "participant", "role"):
        if not isinstance(getattr(event, name), str):
            raise TypeError(f"event {name} must be a string, not {getattr(event, name)!r}")
    text = chain.canonical_json(event.data)
    # What comes back is what a later read gives: the data as its stored JSON parses.
    data = json.loads(text)
    drill_time = chain.check_drill_time(event.drill_time)
    return _Prepared(event.kind, event.version, text, data, event.wall_time, drill_time, event.participant, event.role)


class EventLog:
    """The event log of every drill in one SQLite file."""

    path: Path

    def __init__(self, path: Path, db: aiosqlite.Connection, conn: sqlite3.Connection, readonly: bool) -> None:
        """Use `await EventLog.open(path)`."""
        self.path = path
        self.readonly = readonly
        self._wal_path = f"{path}-wal"  # where other connections' commits land first (journal_mode=WAL)
        self._db = db
        # Touched only inside functions run on the aiosqlite worker thread (see _run).
        self._conn = conn
        self._closed = False
        # Replaced after each of our own appends: tails wait on it, since PRAGMA data_version
        # only moves for commits made by other connections.
        self._wake = asyncio.Event()

    # --- opening and closing --------------------------------------------------------------

    @classmethod
    async def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True) -> EventLog:
        """Open (creating if allowed) a drilltui database; StoreError if it cannot be used."""
        path = Path(path)
        opened: list[sqlite3.Connection] = []
        failed: list[BaseException] = []

        def connector() -> sqlite3.Connection:
            # Runs on the worker thread, so the checks and migration never block the loop.
            try:
                opened.append(schema.open_connection(path, readonly, create))
                return opened[0]
            except Exception as exc:
                # aiosqlite does not wait for its worker to stop when a connector raises, and
                # the worker may then trip over a closed loop; hand it a stand-in and close that.
                failed.append(exc)
                return sqlite3.connect(":memory:")

        db = aiosqlite.Connection(connector, iter_chunk_size=64)
        await db
        if failed:
            await db.close()
            raise failed[0]
        return cls(path, db, opened[0], readonly)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._wake.set()  # let tails notice and finish
        await self._db.close()

    async def __aenter__(self) -> EventLog:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"<EventLog {str(self.path)!r}{' read-only' if self.readonly else ''}{' closed' if self._closed else ''}>"

    # --- plumbing ---------------------------------------------------------------------------

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn on aiosqlite's worker thread: a whole transaction costs one thread hop."""
        try:
            # aiosqlite's own methods are thin wrappers over this queue; using it directly
            # keeps BEGIN ... COMMIT in one call, so no other coroutine's statement can interleave.
            return await self._db._execute(fn, *args)
        except sqlite3.Error as exc:
            err = schema.translate(exc, self.path)
            if err is None:
                raise
            raise err from None

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; open it for writing to change a drill")

    def _transaction(self, body: Callable[[sqlite3.Connection], T], write: bool) -> T:
        """Run body in one transaction (worker thread); IMMEDIATE takes the write lock up front."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            result = body(conn)
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the original error says more
            raise

    def _wake_tails(self) -> None:
        wake, self._wake = self._wake, asyncio.Event()
        wake.set()

    # --- drills -------------------------------------------------------------------------------

    async def create_drill(
        self,
        scenario_id: str,
        title: str,
        scenario_text: str,
        *,
        drill_id: str | None = None,
        created_at: str | None = None,
    ) -> str:
        """Add a drill and return its id: given, or "<scenario>-YYYYMMDD-HHMM" (then "-2", "-3", ...)."""
        self._writable()
        if drill_id is not None and not _DRILL_ID.fullmatch(drill_id):
            raise ValueError(f"drill id must be non-empty without spaces or control characters, not {drill_id!r}")
        created = created_at or utc_now()
        base = _base_id(scenario_id, created) if drill_id is None else drill_id
        sha = chain.scenario_hash(scenario_text)

        def body(conn: sqlite3.Connection) -> str:
            if drill_id is not None:
                if conn.execute("SELECT 1 FROM drill WHERE id = ?", (drill_id,)).fetchone():
                    raise StoreError(f"a drill '{drill_id}' already exists in {self.path}; choose another id")
                chosen = drill_id
            else:
                same_base = "SELECT id FROM drill WHERE id = ?1 OR substr(id, 1, length(?1) + 1) = ?1 || '-'"
                taken = {r[0] for r in conn.execute(same_base, (base,))}
                chosen, n = base, 1
                while chosen in taken:
                    n += 1
                    chosen = f"{base}-{n}"
            conn.execute(
                "INSERT INTO drill (id, scenario_id, title, scenario_text, scenario_sha256, created_at, head_seq, head_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                (chosen, scenario_id, title, scenario_text, sha, created, chain.genesis_hash(chosen, sha)),
            )
            return chosen

        return await self._run(self._transaction, body, True)

    async def drills(self) -> list[DrillRecord]:
        """Every drill in the file, newest first."""

        def body() -> list[DrillRecord]:
            rows = self._conn.execute(_DRILL_SELECT + " ORDER BY d.created_at DESC, d.rowid DESC").fetchall()
            return [_drill_record(r) for r in rows]

        return await self._run(body)

    async def drill(self, drill_id: str) -> DrillRecord:
        """The drill with this id, or the only one whose id starts with it."""

        def body() -> DrillRecord:
            conn = self._conn
            row = conn.execute(_DRILL_SELECT + " WHERE d.id = ?", (drill_id,)).fetchone()
            if row is not None:
                return _drill_record(row)
            if not drill_id:
                raise schema.missing_drill(self.path, drill_id)
            prefixed = "SELECT id FROM drill WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id"
            ids = [r[0] for r in conn.execute(prefixed, (drill_id,))]
            if len(ids) == 1:
                return _drill_record(conn.execute(_DRILL_SELECT + " WHERE d.id = ?", (ids[0],)).fetchone())
            if ids:
                shown = ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")
                raise StoreError(
                    f"drill '{drill_id}' is ambiguous in {self.path}: it starts {len(ids)} drills ({shown}); type more of the id"
                )
            raise schema.missing_drill(self.path, drill_id)

        return await self._run(body)

    # --- events -------------------------------------------------------------------------------

    async def append(self, drill_id: str, event: NewEvent, *, expected_seq: int | None = None) -> StoredEvent:
        """Append one event, committed (durably) before this returns."""
        return (await self.append_many(drill_id, [event], expected_seq=expected_seq))[0]

    async def append_many(
        self, drill_id: str, events: Sequence[NewEvent], *, expected_seq: int | None = None
    ) -> list[StoredEvent]:
        """Append events in one transaction: all of them land, consecutively, or none does.

        With expected_seq, raise Conflict (writing nothing) unless the drill's last seq is expected_seq.
        """
        self._writable()
        prepared = [_prepare(e) for e in events]

        def body(conn: sqlite3.Connection) -> list[StoredEvent]:
            head = conn.execute("SELECT head_seq, head_hash FROM drill WHERE id = ?", (drill_id,)).fetchone()
            if head is None:
                raise schema.missing_drill(self.path, drill_id)
            seq, prev = head
            if expected_seq is not None and seq != expected_seq:
                raise Conflict(
                    f"drill '{drill_id}' in {self.path} moved on (now at event {seq}, expected {expected_seq}); "
                    "nothing was written: reload and try again"
                )
            stored: list[StoredEvent] = []
            rows: list[tuple[Any, ...]] = []
            for p in prepared:
                seq += 1
                digest = chain.event_hash(
                    drill_id, seq, p.kind, p.version, p.data, p.wall_time, p.drill_time, p.participant, p.role, prev
                )
                stored.append(
                    StoredEvent(seq, p.kind, p.data, p.wall_time, p.drill_time, p.participant, p.role, p.version, prev, digest)
                )
                rows.append((drill_id, seq, p.kind, p.version, p.text, p.wall_time, p.drill_time, p.participant, p.role, prev, digest))
                prev = digest
            if rows:
                conn.executemany(f"INSERT INTO event (drill_id, {_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                # The head moves with the events, so a later cut of the log's end is detectable.
                conn.execute("UPDATE drill SET head_seq = ?, head_hash = ? WHERE id = ?", (seq, prev, drill_id))
            return stored

        try:
            stored = await self._run(self._transaction, body, True)
        except sqlite3.IntegrityError:
            # Our head says seq N is free but the table has it: someone wrote rows by hand.
            raise StoreError(
                f"drill '{drill_id}' in {self.path} has events its record does not account for (edited outside drilltui?); "
                f"run `drilltui verify {drill_id}`"
            ) from None
        if stored:
            self._wake_tails()
        return stored

    async def read(self, drill_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[StoredEvent]:
        """The drill's events with from_seq <= seq <= to_seq (to the end when to_seq is None), in order."""

        def body() -> list[StoredEvent]:
            conn = self._conn
            rows = conn.execute(
                f"SELECT {_EVENT_COLUMNS} FROM event WHERE drill_id = ? AND seq >= ? AND seq <= ? ORDER BY seq",
                (drill_id, from_seq, to_seq if to_seq is not None else 2**63 - 1),
            ).fetchall()
            if not rows and conn.execute("SELECT 1 FROM drill WHERE id = ?", (drill_id,)).fetchone() is None:
                raise schema.missing_drill(self.path, drill_id)
            return [_stored(r) for r in rows]

        return await self._run(body)

    async def last_seq(self, drill_id: str) -> int:
        """The seq of the drill's last event (0 when it has none)."""

        def body() -> int:
            row = self._conn.execute("SELECT head_seq FROM drill WHERE id = ?", (drill_id,)).fetchone()
            if row is None:
                raise schema.missing_drill(self.path, drill_id)
            return int(row[0])

        return await self._run(body)

    async def tail(self, drill_id: str, after_seq: int, *, poll: float = 0.05,
                   recheck: float = 0.5) -> AsyncIterator[StoredEvent]:
        """Yield the drill's events after after_seq, then each new one as it is committed, until closed.

        Other processes' commits are noticed by a small thread that looks at the
        write-ahead log file every `poll` seconds (one stat call) and wakes the
        tail when it moved; SQLite itself is asked only then, after our own
        appends, and every `recheck` seconds in case the file system keeps
        coarse times. Waking the event loop twenty times a second to ask SQLite
        was most of what a quiet dashboard spent its CPU on.
        """
        last = after_seq
        loop = asyncio.get_running_loop()
        moved = asyncio.Event()
        watcher = _WalWatcher(self._wal_path, poll, lambda: loop.call_soon_threadsafe(moved.set))

        def data_version() -> int:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

        started = True
        try:
            while not self._closed:
                # Take every change marker before reading, so a commit during the read is not missed.
                wake = self._wake
                # `moved` is not cleared here: it may stand for a commit written but not yet visible.
                version = await self._run(data_version)
                for event in await self.read(drill_id, last + 1):
                    last = event.seq
                    yield event
                # The file moves as a commit is written, a moment before the commit is visible; and a
                # watcher that has just started may have taken such a commit for the file's first state.
                settling, started = (SETTLE_POLLS if started else 0), False
                while not self._closed and not wake.is_set():
                    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(moved.wait())]
                    try:
                        await asyncio.wait(waiters, timeout=poll if settling else recheck, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        for waiter in waiters:
                            waiter.cancel()
                    if wake.is_set() or self._closed:
                        break
                    settling = SETTLE_POLLS if moved.is_set() else max(0, settling - 1)
                    moved.clear()
                    if await self._run(data_version) != version:
                        break
        except (ValueError, sqlite3.ProgrammingError):
            # "Connection closed" / "closed database": the log was closed under us, which ends the tail.
            if not self._closed:
                raise
        finally:
            watcher.stop()

    async def verify(self, drill_id: str) -> VerifyResult:
        """Recompute the drill's chain from its stored rows and name the first event that breaks it."""

        def body(conn: sqlite3.Connection) -> VerifyResult:
            drill = conn.execute(
                "SELECT scenario_text, scenario_sha256, head_seq, head_hash FROM drill WHERE id = ?", (drill_id,)
            ).fetchone()
            if drill is None:
                raise schema.missing_drill(self.path, drill_id)
            rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM event WHERE drill_id = ? ORDER BY seq", (drill_id,))
            return chain.walk(drill_id, drill[0], drill[1], drill[2], drill[3], rows)

        # One read transaction: the head and the rows come from the same snapshot even while others append.
        return await self._run(self._transaction, body, False)

    # --- the scheduler's lease ------------------------------------------------------------------

    async def acquire_lease(self, drill_id: str, holder: str, ttl: float = 5.0, *, now: float | None = None) -> bool:
        """Take or renew the drill's scheduler lease for ttl seconds; False if someone else holds it."""
        self._writable()
        if not ttl > 0:
            raise ValueError(f"lease ttl must be positive, not {ttl!r}")
        at = time.time() if now is None else now

        def body() -> bool:
            try:
                # One statement, so taking the lease is atomic across processes without a transaction.
                cursor = self._conn.execute(
                    "INSERT INTO lease (drill_id, holder, expires) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT (drill_id) DO UPDATE SET holder = excluded.holder, expires = excluded.expires"
                    " WHERE lease.holder = excluded.holder OR lease.holder = '' OR lease.expires <= ?4",
                    (drill_id, holder, at + ttl, at),
                )
            except sqlite3.IntegrityError:
                raise schema.missing_drill(self.path, drill_id) from None
            return cursor.rowcount == 1

        return await self._run(body)

    async def release_lease(self, drill_id: str, holder: str, *, now: float | None = None) -> None:
        """Give the lease up, if holder has it: it is kept with no holder, expiring now, so the hand-over time is known."""
        self._writable()
        at = time.time() if now is None else now

        def body() -> None:
            self._conn.execute("UPDATE lease SET holder = '', expires = ? WHERE drill_id = ? AND holder = ?",
                               (at, drill_id, holder))

        await self._run(body)

    async def lease(self, drill_id: str) -> tuple[str, float] | None:
        """The drill's lease as last written, expired or not: (holder, expires); holder is "" once given up."""

        def body() -> tuple[str, float] | None:
            row = self._conn.execute("SELECT holder, expires FROM lease WHERE drill_id = ?", (drill_id,)).fetchone()
            return None if row is None else (str(row[0]), float(row[1]))

        return await self._run(body)

    async def lease_holder(self, drill_id: str, *, now: float | None = None) -> str | None:
        """Who holds the drill's unexpired lease, if anyone."""
        at = time.time() if now is None else now

        def body() -> str | None:
            row = self._conn.execute("SELECT holder FROM lease WHERE drill_id = ? AND expires > ? AND holder != ''", (drill_id, at)).fetchone()
            return None if row is None else str(row[0])

        return await self._run(body)


# After the log file moves without a visible commit, ask SQLite again this many times, `poll` apart.
SETTLE_POLLS = 5


class _WalWatcher:
    """A daemon thread that calls `changed()` whenever a file's identity, size or time moves."""

    def __init__(self, path: str, every: float, changed: Callable[[], object]) -> None:
        self._path, self._every, self._changed = path, every, changed
        self._stop = threading.Event()
        self._seen = self._marker()  # now, not when the thread gets going: a commit in between must count as a move
        self._thread = threading.Thread(target=self._run, name="drilltui-wal-watcher", daemon=True)
        self._thread.start()

    def _marker(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self._path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            now = self._marker()
            if now != self._seen:
                self._seen = now
                try:
                    self._changed()
                except RuntimeError:  # the event loop has closed: nobody is listening any more
                    return

    def stop(self) -> None:
        self._stop.set()
