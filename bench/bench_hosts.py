"""Benchmark: many hosts, one drill: 3 `drilltui serve` x 20 SSH sessions on one PostgreSQL drill, action to every screen.

    python bench/bench_hosts.py --postgres postgresql://user:pw@127.0.0.1:5432/postgres

The controller (a session on host 0) toggles the clock; the time until each
of the other 59 screens, on all three hosts, shows the new phase is the
latency. The baseline in the same run is the same 60 sessions on one host
with the SQLite store, so the ratio is what spreading a drill over hosts
through PostgreSQL costs. The URL's user must be allowed to create a database
(the bench makes one and drops it). Every loop is bounded; all traffic is on
loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import asyncssh  # noqa: E402
import bench_ssh  # noqa: E402  (its Run, sessions and latency rounds)
from bench_ssh import ROLES, ROOT, SCENARIO, Run, drill_latency, pct, progress, write_participants  # noqa: E402

HOSTS = 3
PER_HOST = 20
TARGET_P95 = 0.300


def database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def headless(work: Path, db: str, env: dict[str, str]) -> str:
    drilltui = [sys.executable, "-m", "drilltui"]
    made = subprocess.run([*drilltui, "run", str(work / "bench.yaml"), "--headless", "--script", str(work / "start.yaml"),
                           "--db", db, "--until", "1s"], capture_output=True, text=True, env=env, timeout=120)
    if made.returncode:
        raise SystemExit(made.stderr)
    return made.stdout.strip().splitlines()[-1]


async def rounds(runs: list[Run]) -> dict[str, float]:
    """Clock toggles by the controller (session 0 of host 0), timed on every other screen of every host."""
    everyone = SimpleNamespace(chans=[c for r in runs for c in r.chans], screens=[s for r in runs for s in r.screens])
    await asyncio.sleep(2.0)  # let start-up work settle before measuring
    samples, _, missed = await drill_latency(everyone)  # type: ignore[arg-type]
    return {"p50": pct(samples, 0.5), "p95": pct(samples, 0.95), "max": max(samples, default=float("nan")),
            "n": len(samples), "missed": missed}


async def measure(work: Path, db: str, keys: list[asyncssh.SSHKey], hosts: int, env: dict[str, str]) -> dict[str, float]:
    drill_id = headless(work, db, env)
    participants = write_participants(work, keys, "control", list(ROLES))
    per = len(keys) // hosts
    runs = []
    try:
        for h in range(hosts):
            (work / f"host{h}").mkdir(exist_ok=True)
            argv = [sys.executable, "-m", "drilltui", "serve", drill_id, "--db", db, "--participants", str(participants),
                    "--listen", "127.0.0.1:0", "--max-sessions", str(len(keys) + 4), "--host-key", str(work / f"host{h}" / "key")]
            runs.append(Run(work, argv, keys[h * per:(h + 1) * per]))
            await runs[-1].start()
        started = time.perf_counter()
        for run in runs:
            await run.connect(b"T+")
        progress(f"{hosts} host(s): {len(keys)} sessions up in {time.perf_counter() - started:.1f} s; measuring")
        return await rounds(runs)
    finally:
        for run in runs:
            await run.stop()


async def main(url: str) -> None:
    name = f"drilltui_bench_{uuid.uuid4().hex[:8]}"
    await admin(url, f'CREATE DATABASE "{name}"')
    pg = database(url, name)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-hosts-") as tmp:
            work = Path(tmp)
            for sub in ("one", "many"):
                (work / sub).mkdir()
                (work / sub / "bench.yaml").write_text(SCENARIO)
                (work / sub / "start.yaml").write_text("- {at: 0s, as: control, do: start}\n")
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_DATA_HOME": str(work / "data")}
            os.environ["XDG_DATA_HOME"] = str(work / "data")  # the servers' participants' folders: not the real home
            keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(HOSTS * PER_HOST)]
            results = {}
            progress("one host, SQLite: the baseline")
            results["1 host x 60, SQLite"] = await measure(work / "one", str(work / "one" / "drills.db"), keys, 1, env)
            progress(f"{HOSTS} hosts, PostgreSQL")
            results[f"{HOSTS} hosts x {PER_HOST}, PostgreSQL"] = await measure(work / "many", pg, keys, HOSTS, env)
    finally:
        await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"drilltui many-hosts benchmark: {HOSTS * PER_HOST} SSH sessions, clock toggled {bench_ssh.ROUNDS} times by the"
          f" controller, each timed on the {HOSTS * PER_HOST - 1} other screens")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print()
    print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'screens':>8} {'missed':>7}")
    for label, r in results.items():
        print(f"{label:28} {r['p50'] * 1e3:8.1f} {r['p95'] * 1e3:8.1f} {r['max'] * 1e3:8.1f} {r['n']:8.0f} {r['missed']:7.0f}")
    base, many = results["1 host x 60, SQLite"], results[f"{HOSTS} hosts x {PER_HOST}, PostgreSQL"]
    print(f"{'ratio (hosts / one host)':28} {many['p50'] / base['p50']:7.2f}x {many['p95'] / base['p95']:7.2f}x")
    print(f"target: p95 under {TARGET_P95 * 1e3:.0f} ms on {HOSTS} hosts: {'met' if many['p95'] < TARGET_P95 else 'NOT met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", required=True, help="a server where the bench may create a database")
    asyncio.run(bench_ssh.bounded(main(parser.parse_args().postgres)))
