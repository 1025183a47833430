"""Benchmark: EventLog.append latency and throughput against bare driver inserts at the same durability, in one run.

    python bench/bench_store.py                      # SQLite: EventLog against raw sqlite3
    python bench/bench_store.py --before e5b5b44     # also the EventLog of that commit, in the same rounds
    python bench/bench_store.py --postgres URL       # also PostgreSQL: PgEventLog against bare driver inserts

Every contender makes one thread hop (or one server round trip) per event and
commits it durably, so the ratios compare like with like: the baseline does
the least an append can do (INSERT + COMMIT of the same row), the EventLog
adds the head read and update and the hash.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from drilltui.store import EventLog, NewEvent  # noqa: E402

N = 2000
WARMUP = 200  # not timed: first pages, WAL file growth, thread start
ROUNDS = 8  # N appends each, in alternating rounds of N / ROUNDS

EVENT_TABLE = (
    "CREATE TABLE IF NOT EXISTS event (drill_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,"
    " data TEXT NOT NULL, wall_time TEXT NOT NULL, drill_time REAL NOT NULL, participant TEXT NOT NULL,"
    " role TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (drill_id, seq))"
)
FAKE_HASH = "0" * 64


def payload(i: int) -> NewEvent:
    return NewEvent(
        kind="inject_released",
        data={"inject": f"INJ-{i:04d}", "to": ["soc", "ic"], "text": "Outbound traffic to an unknown host from the build farm."},
        wall_time=f"2026-11-29T01:54:{i % 60:02d}.{i % 1_000_000:06d}Z",
        drill_time=i * 0.25,
        participant="",
        role="",
    )


def row(seq: int, e: NewEvent) -> tuple[Any, ...]:
    return ("d", seq, e.kind, e.version, json.dumps(e.data), e.wall_time, e.drill_time, e.participant, e.role, FAKE_HASH, FAKE_HASH)


class BareSqlite:
    """The floor: raw sqlite3, one INSERT and COMMIT per event in one hop to one thread, WAL + synchronous=FULL."""

    name = "bare sqlite3 INSERT+COMMIT"

    async def open(self, path: Path) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1)

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(EVENT_TABLE)
            return conn

        self.conn = await self.hop(connect)
        self.seq = 0

    async def hop(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    def insert(self, values: tuple[Any, ...]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        self.conn.execute("COMMIT")

    async def append(self, e: NewEvent) -> None:
        self.seq += 1
        await self.hop(self.insert, row(self.seq, e))

    async def close(self) -> None:
        await self.hop(self.conn.close)
        self.pool.shutdown()


class Store:
    name = "EventLog.append"

    def __init__(self, log_class: Any = EventLog, name: str | None = None, target: str | None = None) -> None:
        self.log_class = log_class
        self.target = target
        if name:
            self.name = name

    async def open(self, path: Path) -> None:
        if self.target is not None:
            from drilltui.store import open_log

            self.log = await open_log(self.target)
        else:
            self.log = await self.log_class.open(path)
        self.drill = await self.log.create_drill("bench", "Benchmark", "id: bench\n")

    async def append(self, e: NewEvent) -> None:
        await self.log.append(self.drill, e)

    async def close(self) -> None:
        await self.log.close()


def before(rev: str) -> Any:
    """The EventLog class of another commit (its log.py, on today's chain and schema modules)."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/drilltui/store/log.py"],
                          capture_output=True, text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("drilltui.store._log_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(text, f"{rev}:log.py", "exec"), module.__dict__)  # noqa: S102 - our own file at another commit
    return module.EventLog


class BarePostgres:
    """The floor on PostgreSQL: one INSERT per event, autocommitted, over one connection (synchronous_commit on)."""

    name = "bare asyncpg INSERT"

    def __init__(self, url: str) -> None:
        self.url = url

    async def open(self, path: Path) -> None:
        import asyncpg

        self.conn = await asyncpg.connect(self.url)
        await self.conn.execute(EVENT_TABLE.replace("IF NOT EXISTS event", "bench_event").replace("REAL", "DOUBLE PRECISION")
                                .replace("INTEGER", "BIGINT"))
        self.seq = 0

    async def append(self, e: NewEvent) -> None:
        self.seq += 1
        await self.conn.execute("INSERT INTO bench_event VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", *row(self.seq, e))

    async def close(self) -> None:
        await self.conn.close()


async def run(tmp: Path, contenders: list[Any]) -> dict[str, tuple[list[float], float]]:
    """Alternate the contenders in rounds, so disk and machine noise falls on all alike."""
    results: dict[str, tuple[list[float], float]] = {c.name: ([], 0.0) for c in contenders}
    for i, c in enumerate(contenders):
        await c.open(tmp / f"{i}.db")
        for w in range(WARMUP):
            await c.append(payload(w))
    for r in range(ROUNDS):
        for c in contenders:
            samples, total = results[c.name]
            start = time.perf_counter()
            for i in range(r * N // ROUNDS, (r + 1) * N // ROUNDS):
                t0 = time.perf_counter()
                await c.append(payload(i))
                samples.append(time.perf_counter() - t0)
            results[c.name] = (samples, total + time.perf_counter() - start)
    for c in contenders:
        await c.close()
    return results


async def store_batched(path: Path, batch: int = 100) -> float:
    """Events per second through append_many, as an import or generator would write."""
    async with await EventLog.open(path) as log:
        drill = await log.create_drill("bench", "Benchmark", "id: bench\n")
        start = time.perf_counter()
        for b in range(0, N, batch):
            await log.append_many(drill, [payload(i) for i in range(b, b + batch)])
        return N / (time.perf_counter() - start)


def figures(samples: list[float], total: float) -> tuple[float, float, float]:
    p99 = statistics.quantiles(samples, n=100)[98]
    return statistics.median(samples) * 1e3, p99 * 1e3, len(samples) / total


def table(title: str, results: dict[str, tuple[list[float], float]], base: str) -> None:
    print(title)
    print(f"{'':34} {'p50 ms':>8} {'p99 ms':>8} {'events/s':>10} {'rate vs base':>13}")
    rows = {name: figures(*r) for name, r in results.items()}
    for name, (p50, p99, rate) in rows.items():
        print(f"{name:34} {p50:8.3f} {p99:8.3f} {rate:10.0f} {rate / rows[base][2]:12.2f}x")
    print()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also time the EventLog of this commit, in the same rounds")
    parser.add_argument("--postgres", metavar="URL", help="also time PostgreSQL (a server where the bench may create a database)")
    args = parser.parse_args()
    print(f"drilltui store benchmark: {N} appends each (alternating rounds of {N // ROUNDS}) after {WARMUP} warm-up")
    print(f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print()
    with tempfile.TemporaryDirectory(prefix="drilltui-bench-") as tmp:
        contenders: list[Any] = [BareSqlite(), Store()]
        if args.before:
            contenders.append(Store(before(args.before), f"EventLog.append at {args.before}"))
        results = await run(Path(tmp), contenders)
        table(f"SQLite, WAL + synchronous=FULL, temp dir on {tempfile.gettempdir()}", results, BareSqlite.name)
        batched = await store_batched(Path(tmp) / "batched.db")
        print(f"{'EventLog.append_many (x100)':34} {'':>8} {'':>8} {batched:10.0f}")
        print()
        if args.postgres:
            import asyncpg

            name = f"drilltui_bench_{os.getpid()}"
            admin = await asyncpg.connect(args.postgres)
            await admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
                # The store first: it makes its schema in the empty database, then the bare table goes beside it.
                pg = [Store(name="PgEventLog.append", target=url), BarePostgres(url)]
                results = await run(Path(tmp), pg)
                synchronous = await admin.fetchval("SHOW synchronous_commit")
                table(f"PostgreSQL {admin.get_server_version().major}, synchronous_commit={synchronous}, loopback TCP",
                      {c.name: results[c.name] for c in reversed(pg)}, BarePostgres.name)
            finally:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
