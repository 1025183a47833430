"""EventLog: one SQLite file of drills and their hash-chained events, used from asyncio on one worker thread."""

from __future__ import annotations

import asyncio
import os
import queue
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from drilltui.store import chain, fileguard, schema
from drilltui.store.base import LogBase, conflict, hand_edited, own_events, pick_id
from drilltui.store.errors import StoreError
from drilltui.store.records import DrillRecord, NewEvent, StoredEvent, VerifyResult
from drilltui.store.rows import chained, damaged, prepare, stored_event, utc_now
from drilltui.store.walwatch import WalInotify

__all__ = ["EventLog", "utc_now"]

T = TypeVar("T")

_EVENT_COLUMNS = "seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash"
_ALL_EVENTS = f"SELECT {_EVENT_COLUMNS} FROM event WHERE drill_id = ? ORDER BY seq"  # a drill's whole log, in order

_DRILL_SELECT = """
SELECT d.id, d.scenario_id, d.title, d.scenario_text, d.scenario_sha256, d.created_at, d.head_seq,
       (SELECT e.wall_time FROM event e WHERE e.drill_id = d.id ORDER BY e.seq DESC LIMIT 1),
       EXISTS (SELECT 1 FROM event e WHERE e.drill_id = d.id AND e.kind = 'drill_ended'),
       (SELECT e.wall_time FROM event e WHERE e.drill_id = d.id AND e.kind = 'drill_started' ORDER BY e.seq LIMIT 1),
       {chain}
FROM drill d
"""


def _drill_record(row: sqlite3.Row | tuple[Any, ...]) -> DrillRecord:
    id_, scenario_id, title, text, sha, created, events, last_wall, ended, started, chain_version = row
    return DrillRecord(id_, scenario_id, title, text, sha, created, events, last_wall, bool(ended), started, chain_version)


def _undecodable(text: bytes) -> bool:
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _with_text(conn: sqlite3.Connection, factory: Callable[[bytes], Any], fn: Callable[[], T]) -> T:
    """Run fn with the connection's TEXT columns decoded by factory (the slow path for damaged rows)."""
    conn.text_factory = factory
    try:
        return fn()
    finally:
        conn.text_factory = str


def _is_undecodable(exc: sqlite3.Error) -> bool:
    # Python's own message quotes the whole column (a scenario, say): never let it reach a person.
    return isinstance(exc, sqlite3.OperationalError) and str(exc).startswith("Could not decode to UTF-8")


def _lenient(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _raw(raw: bytes) -> str:
    """Bytes as text that keeps invalid UTF-8 as lone surrogates: it re-encodes to nothing, so hashes cannot match."""
    return raw.decode("utf-8", "surrogateescape")


_Call = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


class _Worker:
    """The one thread that owns the SQLite connection: each call, a whole transaction, is one hop to it.

    A plain thread reading a `queue.SimpleQueue` and handing each result back with
    `loop.call_soon_threadsafe`: the same as a one-thread `ThreadPoolExecutor`,
    less the bookkeeping of `concurrent.futures` (about 25 microseconds an append
    here, a tenth of it).
    """

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="drilltui-store", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (call := self._calls.get()) is not None:
            loop, future, fn, args = call
            try:
                result = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                _hand_back(loop, future, None, exc)
            else:
                _hand_back(loop, future, result, None)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._calls.put((loop, future, fn, args))
        return await future

    def stop(self) -> None:
        self._calls.put(None)  # the thread ends after the calls already queued


def _hand_back(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    try:
        loop.call_soon_threadsafe(_settle, future, result, exc)
    except RuntimeError:
        pass  # the loop has closed: nobody is waiting any more


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.cancelled():
        return
    if exc is None:
        future.set_result(result)
    else:
        future.set_exception(exc)


class EventLog(LogBase):
    """The event log of every drill in one SQLite file."""

    path: Path

    def __init__(self, path: Path, worker: _Worker, conn: sqlite3.Connection, readonly: bool,
                 guard: fileguard.FileGuard | None = None, version: int = schema.SCHEMA_VERSION) -> None:
        """Use `await EventLog.open(path)`."""
        self._init_common(readonly)
        self.path = path
        self._where = str(path)
        self._wal_path = f"{path}-wal"  # where other connections' commits land first (journal_mode=WAL)
        self._worker = worker
        # Touched only inside functions run on the worker thread (see _run).
        self._conn = conn
        self._guard = guard
        self._chain_column = "chain" if version >= 2 else "1"  # schema 1 (read-only) has chain-1 drills only
        self._drill_select = _DRILL_SELECT.format(chain="d.chain" if version >= 2 else "1")
        # (Our own appends wake tails through LogBase: PRAGMA data_version moves only for other connections' commits.)

    # --- opening and closing --------------------------------------------------------------

    @classmethod
    async def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True) -> EventLog:
        """Open (creating if allowed) a drilltui database; StoreError if it cannot be used."""
        path = Path(path)
        worker = _Worker()

        def connect() -> tuple[sqlite3.Connection, fileguard.FileGuard | None, int]:
            # On the worker thread, so the checks and migration never block the loop.
            conn = schema.open_connection(path, readonly, create)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            # A read-only connection writes nothing, so nothing of its can be lost to a moved file.
            return conn, None if readonly else fileguard.FileGuard(path), version

        try:
            conn, guard, version = await worker.run(connect)
        except BaseException:
            worker.stop()
            raise
        return cls(path, worker, conn, readonly, guard, version)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._wake.set()  # let tails notice and finish
        guard = self._guard

        def close() -> None:
            if guard is not None and guard.problem() is not None and not self._may_close_moved(guard):
                fileguard.never_close(self._conn)
            else:
                self._conn.close()

        try:
            await self._worker.run(close)
        finally:
            self._worker.stop()

    @staticmethod
    def _may_close_moved(guard: fileguard.FileGuard) -> bool:
        # A replaced database file is ours alone now, and so is a -wal still at the path: closing
        # checkpoints into the old file and removes that -wal, whose frames would otherwise be
        # read against the file now at the path. A -wal that is someone else's must be left alone.
        return guard.database_replaced and not guard.wal_changed

    def __repr__(self) -> str:
        return f"<EventLog {str(self.path)!r}{' read-only' if self.readonly else ''}{' closed' if self._closed else ''}>"

    # --- plumbing ---------------------------------------------------------------------------

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn on the worker thread: a whole transaction costs one thread hop."""
        if self._closed:
            raise ValueError(f"{self.path}: the log was closed")
        try:
            return await self._worker.run(fn, *args)
        except sqlite3.Error as exc:
            err = schema.translate(exc, self.path)
            if err is None:
                raise
            raise err from None

    def _check_files(self, drill_id: str | None) -> None:
        """Refuse to write once the files under the connection are no longer those at the path (worker thread)."""
        guard = self._guard
        if guard is not None and guard.problem() is not None:
            raise fileguard.moved(guard, drill_id, self._conn)

    def _transaction(self, body: Callable[[sqlite3.Connection], T], write: bool, drill_id: str | None = None) -> T:
        """Run body in one transaction (worker thread); IMMEDIATE takes the write lock up front."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        # Checked holding the write lock, so no drilltui can be moving the files as we look.
        if write and self._guard is not None and self._guard.problem() is not None:
            conn.execute("ROLLBACK")
            self._check_files(drill_id)  # outside the transaction: it may copy out what we still see
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

    # --- drills -------------------------------------------------------------------------------

    async def _add_drill(self, drill_id: str | None, base: str, scenario_id: str, title: str, scenario_text: str,
                         sha: str, created: str, chain_version: int) -> str:
        def body(conn: sqlite3.Connection) -> str:
            if drill_id is not None:
                if conn.execute("SELECT 1 FROM drill WHERE id = ?", (drill_id,)).fetchone():
                    raise self._taken(drill_id)
                chosen = drill_id
            else:
                same_base = "SELECT id FROM drill WHERE id = ?1 OR substr(id, 1, length(?1) + 1) = ?1 || '-'"
                chosen = pick_id(base, {r[0] for r in conn.execute(same_base, (base,))})
            genesis = chain.genesis_for(chain_version, chosen, scenario_id, title, created, sha)
            conn.execute(
                "INSERT INTO drill (id, scenario_id, title, scenario_text, scenario_sha256, created_at, head_seq, head_hash, chain)"
                " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (chosen, scenario_id, title, scenario_text, sha, created, genesis, chain_version),
            )
            return chosen

        return await self._run(self._transaction, body, True)

    def _missing(self, drill_id: str) -> StoreError:
        return schema.missing_drill(self.path, drill_id)

    def _drill_rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Rows of drill records (worker thread); a damaged title or scenario reads with U+FFFD in place."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            if not _is_undecodable(exc):
                raise
            return _with_text(self._conn, _lenient, lambda: self._conn.execute(sql, params).fetchall())

    async def drills(self) -> list[DrillRecord]:
        """Every drill in the file, newest first."""

        def body() -> list[DrillRecord]:
            rows = self._drill_rows(self._drill_select + " ORDER BY d.created_at DESC, d.rowid DESC", ())
            return [_drill_record(r) for r in rows]

        return await self._run(body)

    async def _lookup(self, drill_id: str) -> tuple[DrillRecord | None, list[str]]:
        def body() -> tuple[DrillRecord | None, list[str]]:
            rows = self._drill_rows(self._drill_select + " WHERE d.id = ?", (drill_id,))
            if rows or not drill_id:
                return (_drill_record(rows[0]) if rows else None), []
            prefixed = "SELECT id FROM drill WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id"
            ids = [r[0] for r in self._conn.execute(prefixed, (drill_id,))]
            if len(ids) == 1:
                return _drill_record(self._drill_rows(self._drill_select + " WHERE d.id = ?", (ids[0],))[0]), ids
            return None, ids

        return await self._run(body)

    # --- events -------------------------------------------------------------------------------

    async def append_many(
        self, drill_id: str, events: Sequence[NewEvent], *, expected_seq: int | None = None
    ) -> list[StoredEvent]:
        """Append events in one transaction: all of them land, consecutively, or none does.

        With expected_seq, raise Conflict (writing nothing) unless the drill's last seq is expected_seq.
        """
        self._writable()
        prepared = [prepare(e) for e in events]

        def body(conn: sqlite3.Connection) -> list[StoredEvent]:
            head = conn.execute("SELECT head_seq, head_hash FROM drill WHERE id = ?", (drill_id,)).fetchone()
            if head is None:
                raise schema.missing_drill(self.path, drill_id)
            seq, prev = head
            if expected_seq is not None and seq != expected_seq:
                raise conflict(drill_id, self.path, seq, expected_seq)
            stored, rows = chained(drill_id, seq, prev, prepared)
            if rows:
                conn.executemany(f"INSERT INTO event (drill_id, {_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                # The head moves with the events, so a later cut of the log's end is detectable.
                conn.execute("UPDATE drill SET head_seq = ?, head_hash = ? WHERE id = ?",
                             (stored[-1].seq, stored[-1].hash, drill_id))
            return stored

        try:
            stored = await self._run(self._transaction, body, True, drill_id)
        except sqlite3.IntegrityError:
            # Our head says seq N is free but the table has it: someone wrote rows by hand.
            raise hand_edited(drill_id, self.path) from None
        self._deliver(drill_id, stored)
        return stored

    def _event_rows(self, drill_id: str, from_seq: int, to_seq: int) -> list[tuple[Any, ...]]:
        """Raw event rows (worker thread); Damaged, naming the first event, when one is not UTF-8."""
        sql = f"SELECT {_EVENT_COLUMNS} FROM event WHERE drill_id = ? AND seq >= ? AND seq <= ? ORDER BY seq"
        params = (drill_id, from_seq, to_seq)
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            if not _is_undecodable(exc):
                raise
        for row in _with_text(self._conn, bytes, lambda: self._conn.execute(sql, params).fetchall()):
            for value in row:
                if isinstance(value, bytes) and _undecodable(value):
                    raise damaged(drill_id, row[0], self.path, "it holds text that is not valid UTF-8")
        raise damaged(drill_id, from_seq, self.path, "it holds text that is not valid UTF-8")

    async def read(self, drill_id: str, from_seq: int = 1, to_seq: int | None = None) -> list[StoredEvent]:
        """The drill's events with from_seq <= seq <= to_seq (to the end when to_seq is None), in order."""

        def body() -> list[StoredEvent]:
            rows = self._event_rows(drill_id, from_seq, to_seq if to_seq is not None else 2**63 - 1)
            if not rows and self._conn.execute("SELECT 1 FROM drill WHERE id = ?", (drill_id,)).fetchone() is None:
                raise schema.missing_drill(self.path, drill_id)
            return [stored_event(r, drill_id, self.path) for r in rows]

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

        This log's own appends are handed over as they commit, never read back.
        Other processes' commits are noticed through the write-ahead log file:
        on Linux, inotify says at once when it is written (no polling; SQLite is
        asked then, and every `INOTIFY_RECHECK` seconds besides); elsewhere a
        small thread looks at it every `poll` seconds (one stat call) and wakes
        the tail when it moved, and SQLite is asked then and every `recheck`
        seconds in case the file system keeps coarse times.
        """
        last = after_seq
        loop = asyncio.get_running_loop()
        moved = asyncio.Event()
        inbox = self._watch(drill_id)
        watcher: WalInotify | _WalWatcher | None = WalInotify.start(self._wal_path, moved.set)
        if watcher is None:
            watcher = _WalWatcher(self._wal_path, poll, lambda: loop.call_soon_threadsafe(moved.set))
        else:
            recheck = max(recheck, INOTIFY_RECHECK)

        def data_version() -> int:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

        behind = True
        try:
            while not self._closed:
                if behind:
                    # Take every change marker before reading, so a commit during the read is not missed.
                    wake = self._wake
                    # `moved` is not cleared here: it may stand for a commit written but not yet visible.
                    version = await self._run(data_version)
                    for event in await self.read(drill_id, last + 1):
                        last = event.seq
                        yield event
                    behind = False
                    # The file moves as a commit is written, a moment before the commit is visible: the move
                    # that led to this read may stand for a later commit than the one just read, and a watcher
                    # that has just started may have taken such a commit for the file's first state. So SQLite
                    # is asked a few more times after every read.
                    settling = SETTLE_POLLS
                # Our own appends, in order; a gap means another connection wrote in between.
                ready, behind = own_events(inbox, last)
                for event in ready:
                    last = event.seq
                    yield event
                if behind:
                    continue
                while not self._closed and not wake.is_set():
                    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(moved.wait())]
                    # A commit is visible only once the writer's fsync returns, which a busy disk can make
                    # slow: the settling asks come further apart each time (poll, 2x, 4x, ...), so a few
                    # asks cover a second or more.
                    wait = poll * 2 ** (SETTLE_POLLS - settling) if settling else recheck
                    try:
                        await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        for waiter in waiters:
                            waiter.cancel()
                    if wake.is_set() or self._closed:
                        break
                    settling = SETTLE_POLLS if moved.is_set() else max(0, settling - 1)
                    moved.clear()
                    if await self._run(data_version) != version:
                        behind = True
                        break
                if wake.is_set() and not behind:
                    wake = self._wake
                    # Our append is in the inbox; whether someone else also wrote, data_version says.
                    behind = await self._run(data_version) != version
        except (ValueError, sqlite3.ProgrammingError, StoreError, RuntimeError):
            # "closed": the log was closed under us, which ends the tail.
            if not self._closed:
                raise
        finally:
            watcher.stop()
            self._unwatch(drill_id, inbox)

    def _drill_head(self, conn: sqlite3.Connection, drill_id: str) -> chain.DrillHead:
        row = conn.execute(
            "SELECT id, scenario_id, title, created_at, scenario_text, scenario_sha256, head_seq, head_hash,"
            f" {self._chain_column} FROM drill WHERE id = ?", (drill_id,)
        ).fetchone()
        if row is None:
            raise schema.missing_drill(self.path, drill_id)
        return chain.DrillHead(*row)

    async def drill_head(self, drill_id: str) -> chain.DrillHead:
        """The drill's own record as the chain sees it: metadata, scenario, recorded head and chain version."""
        return await self._run(self._transaction, lambda conn: self._drill_head(conn, drill_id), False)

    async def verify(self, drill_id: str) -> VerifyResult:
        """Recompute the drill's chain from its stored rows and name the first event that breaks it."""

        def walk(conn: sqlite3.Connection) -> VerifyResult:
            drill = self._drill_head(conn, drill_id)
            return chain.walk_drill(drill, conn.execute(_ALL_EVENTS, (drill_id,)))

        def body(conn: sqlite3.Connection) -> VerifyResult:
            try:
                return walk(conn)
            except sqlite3.Error as exc:
                if not _is_undecodable(exc):
                    raise
            # Text that is not UTF-8 is read as it is: it can match no hash, so the walk names it.
            return _with_text(conn, _raw, lambda: walk(conn))

        # One read transaction: the head and the rows come from the same snapshot even while others append.
        return await self._run(self._transaction, body, False)

    async def read_verified(self, drill_id: str) -> tuple[list[StoredEvent], VerifyResult]:
        """All the drill's events and the check of its chain, from one snapshot and one parse of each row.

        What `read` and then `verify` would give, except that both see the same rows even while others append.
        """

        def body(conn: sqlite3.Connection) -> tuple[list[StoredEvent], VerifyResult]:
            try:
                drill = self._drill_head(conn, drill_id)
            except sqlite3.Error as exc:
                if not _is_undecodable(exc):
                    raise
                # A drill record that is not UTF-8 is read as it is: it can match no hash, so the walk names it.
                drill = _with_text(conn, _raw, lambda: self._drill_head(conn, drill_id))
            events: list[StoredEvent] = []

            def parsed() -> Iterator[tuple[chain.EventRow, Any]]:
                for row in conn.execute(_ALL_EVENTS, (drill_id,)):
                    event = stored_event(row, drill_id, self.path)
                    events.append(event)
                    yield row, event.data

            try:
                result = chain.walk_parsed(drill, parsed())
            except sqlite3.Error as exc:
                if not _is_undecodable(exc):
                    raise
                self._event_rows(drill_id, 1, 2**63 - 1)  # raises Damaged, naming the event
                raise
            return events, result

        return await self._run(self._transaction, body, False)

    # --- the scheduler's lease ------------------------------------------------------------------

    async def acquire_lease(self, drill_id: str, holder: str, ttl: float = 5.0, *, now: float | None = None) -> bool:
        """Take or renew the drill's scheduler lease for ttl seconds; False if someone else holds it."""
        self._writable()
        if not ttl > 0:
            raise ValueError(f"lease ttl must be positive, not {ttl!r}")
        at = time.time() if now is None else now

        def body() -> bool:
            self._check_files(drill_id)
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
            self._check_files(drill_id)
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


# After a read, and after the log file moves without a visible commit, ask SQLite again this many times: `poll`
# later, then twice as long each time (at 0.05 s: 0.05, 0.1, 0.2, 0.4 and 0.8 s later, 1.55 s in all).
SETTLE_POLLS = 5


def settling_span(poll: float) -> float:
    """How long a tail goes on asking SQLite after a read or a move of the log file."""
    return poll * (2 ** SETTLE_POLLS - 1)
# Seconds between asking SQLite anyway while inotify watches the log file (it misses nothing on a local disk).
INOTIFY_RECHECK = 2.0


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
