"""Benchmark: EventLog.append latency and throughput against bare aiosqlite INSERT + COMMIT at the same durability."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout without installing

import aiosqlite  # noqa: E402

from drilltui.store import EventLog, NewEvent  # noqa: E402

N = 2000
WARMUP = 200  # not timed: first pages, WAL file growth, thread start
ROUNDS = 8  # N appends each, in alternating rounds of N / ROUNDS


def payload(i: int) -> NewEvent:
    return NewEvent(
        kind="inject_released",
        data={"inject": f"INJ-{i:04d}", "to": ["soc", "ic"], "text": "Outbound traffic to an unknown host from the build farm."},
        wall_time=f"2026-11-29T01:54:{i % 60:02d}.{i % 1_000_000:06d}Z",
        drill_time=i * 0.25,
        participant="",
        role="",
    )


class Bare:
    """The floor: one INSERT and one COMMIT per event, WAL + synchronous=FULL, nothing else."""

    async def open(self, path: Path) -> None:
        self.db = await aiosqlite.connect(path)
        await self.db.execute("PRAGMA journal_mode = WAL")
        await self.db.execute("PRAGMA synchronous = FULL")
        await self.db.execute(
            "CREATE TABLE event (drill_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,"
            " data TEXT NOT NULL, wall_time TEXT NOT NULL, drill_time REAL NOT NULL, participant TEXT NOT NULL,"
            " role TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (drill_id, seq))"
        )
        await self.db.commit()
        self.seq = 0

    async def append(self, e: NewEvent) -> None:
        self.seq += 1
        fake_hash = "0" * 64
        await self.db.execute(
            "INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ("d", self.seq, e.kind, e.version, json.dumps(e.data), e.wall_time, e.drill_time, e.participant, e.role, fake_hash, fake_hash),
        )
        await self.db.commit()

    async def close(self) -> None:
        await self.db.close()


class Store:
    async def open(self, path: Path) -> None:
        self.log = await EventLog.open(path)
        self.drill = await self.log.create_drill("bench", "Benchmark", "id: bench\n")

    async def append(self, e: NewEvent) -> None:
        await self.log.append(self.drill, e)

    async def close(self) -> None:
        await self.log.close()


async def run(tmp: Path) -> dict[str, tuple[list[float], float]]:
    """Alternate the two in rounds, so disk and machine noise falls on both alike."""
    contenders = {"bare aiosqlite INSERT+COMMIT": Bare(), "EventLog.append": Store()}
    results: dict[str, tuple[list[float], float]] = {name: ([], 0.0) for name in contenders}
    for i, c in enumerate(contenders.values()):
        await c.open(tmp / f"{i}.db")
        for w in range(WARMUP):
            await c.append(payload(w))
    for r in range(ROUNDS):
        for name, c in contenders.items():
            samples, total = results[name]
            start = time.perf_counter()
            for i in range(r * N // ROUNDS, (r + 1) * N // ROUNDS):
                t0 = time.perf_counter()
                await c.append(payload(i))
                samples.append(time.perf_counter() - t0)
            results[name] = (samples, total + time.perf_counter() - start)
    for c in contenders.values():
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


def row(name: str, samples: list[float], total: float) -> tuple[str, float, float, float]:
    p99 = statistics.quantiles(samples, n=100)[98]
    return name, statistics.median(samples) * 1e3, p99 * 1e3, len(samples) / total


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="drilltui-bench-") as tmp:
        results = await run(Path(tmp))
        base, log = (row(name, *r) for name, r in results.items())
        batched = await store_batched(Path(tmp) / "batched.db")
    print(f"drilltui store benchmark: {N} appends each (alternating rounds of {N // ROUNDS}) after {WARMUP} warm-up, WAL + synchronous=FULL, temp dir on {tempfile.gettempdir()}")
    print(f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, aiosqlite {aiosqlite.__version__}, {os.cpu_count()} CPUs")
    print()
    print(f"{'':30} {'p50 ms':>8} {'p99 ms':>8} {'events/s':>10}")
    for name, p50, p99, rate in (base, log):
        print(f"{name:30} {p50:8.3f} {p99:8.3f} {rate:10.0f}")
    print(f"{'ratio EventLog / bare':30} {log[1] / base[1]:7.2f}x {log[2] / base[2]:7.2f}x {log[3] / base[3]:9.2f}x")
    print(f"{'EventLog.append_many (x100)':30} {'':>8} {'':>8} {batched:10.0f}")


if __name__ == "__main__":
    asyncio.run(main())
