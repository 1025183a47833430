"""Benchmark: load a 100,000-event drill as `drilltui replay` does, then seek to random moments; time and memory.

    python bench/bench_replay.py [--events N] [--seeks N] [--every N] [--keep DB]

Generates a valid drill with the engine itself (the bundled AI-lab scenario:
its injects released, acknowledged, escalated and decided, then mostly notes,
observations and role status changes, people joining and leaving, a few
pauses and speed changes), appends it with EventLog.append_many in batches,
then measures in a fresh child process, so memory figures are the replay's own:

- load: the command's read_events (EventLog.read a page at a time, rows made
  into events) + Replay(...), against a raw sqlite3 read of the same rows and
  json.loads of their data;
- seek: Replay.state_at(random drill time), p50/p95/max over the seeks, against
  folding from the start to the same moment (what seeking costs without
  snapshots);
- memory: the process's resident set once loaded and its peak (the whole process,
  the figure the target speaks of), the growth over the load, and
  tracemalloc's peak and retained bytes, against the same for the raw rows.

Targets (from the replay issue): p95 seek under 50 ms, memory under 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout without installing

from drilltui.commands.replay import read_events  # noqa: E402
from drilltui.engine import (  # noqa: E402
    Event,
    Refused,
    apply,
    handle,
    scheduler,  # noqa: E402
    utc_iso,
)
from drilltui.engine import commands as c  # noqa: E402
from drilltui.engine.events import SYSTEM  # noqa: E402
from drilltui.engine.reducer import fold  # noqa: E402
from drilltui.engine.replay import Replay  # noqa: E402
from drilltui.engine.state import DrillState  # noqa: E402
from drilltui.journal import to_record  # noqa: E402
from drilltui.paths import find_scenario  # noqa: E402
from drilltui.scenario import Scenario, format_drill_time, load, loads  # noqa: E402
from drilltui.store import EventLog  # noqa: E402

SCENARIO = "ai-lab-weights-exfiltration"
DRILL = "bench-replay"
WALL0 = 1_798_794_000.0  # 2027-01-01T09:00:00Z
TASKS = ["triage", "scoping the exfiltration", "briefing the IC", "on a call with Stratus", "drafting the holding statement",
         "preserving evidence", "rotating credentials", "waiting on legal", "writing the ICS-214 entry", ""]
NOTES = ["Paged the lead by phone", "Egress still running at 127 MB/s", "Packet capture started on ckpt-gw-02",
         "Legal asks for a timeline before any statement", "SimCell: press call holding at 15:10",
         "IC asked for options in writing", "Forensic image of the laptop requested", "Observed: no scribe for the first 10 minutes"]


# -- generating a drill ---------------------------------------------------------------


def generate(scenario: Scenario, n: int, seed: int = 7) -> list[Event]:
    """`n` events the engine accepts, with the scheduler's releases, expiries and escalations in between."""
    rng = random.Random(seed)
    players = [r.id for r in scenario.roles if r.kind == "player"]
    evaluators = [r.id for r in scenario.roles if r.kind == "evaluator"] or players
    controller = scenario.controllers[0].id
    name = {r.id: r.holder or r.title for r in scenario.roles}
    extras = [f"{first} ({role})" for first, role in zip(["Ana", "Ben", "Chen", "Dev", "Eli", "Fay"], players)]
    state = DrillState.initial(scenario)
    wall = WALL0
    out: list[Event] = []
    paused_until = 0

    def emit(bodies, t: float, participant: str, role: str) -> None:  # type: ignore[no-untyped-def]
        nonlocal state
        when = utc_iso(wall)
        for b in bodies:
            e = Event(b, t, when, participant, role, state.seq + 1)
            state = apply(state, e)
            out.append(e)

    def act(role: str, command: c.Command, participant: str | None = None) -> None:
        now = state.drill_time(wall)
        try:
            emit(handle(state, command, role, now), now, participant or name[role], role)
        except Refused:
            pass

    act(controller, c.Start())
    while len(out) < n - 1:
        wall += rng.expovariate(1 / 0.3)
        while (due := scheduler.step(state, state.drill_time(wall))) is not None:
            emit(due[1], due[0], SYSTEM, "")
        if state.phase == "paused" and len(out) >= paused_until:
            act(controller, c.Resume())
            continue
        held = [(i.id, i.holder) for i in state.injects.values() if i.open and i.holder in players]
        roll = rng.random()
        if held and roll < 0.10:
            inject, holder = rng.choice(held)
            item = state.injects[inject]
            spec = scenario.inject(inject)
            if item.acknowledged_at is None:
                act(holder, rng.choice([c.Acknowledge(inject)] * 3 + [c.Escalate(inject)]))
            elif spec is not None and spec.decision is not None and item.decision is None:
                act(holder, c.Decide(inject, rng.choice(spec.decision.options).id))
            else:
                act(holder, c.Resolve(inject))
        elif roll < 0.45:
            role = rng.choice(players)
            act(role, c.AddNote(rng.choice(NOTES), "note", inject=rng.choice([None, *[h[0] for h in held]])))
        elif roll < 0.55:
            role = rng.choice(evaluators)
            act(role, c.AddNote(rng.choice(NOTES), "observation", objective=rng.choice(scenario.objectives).id))
        elif roll < 0.88:
            role = rng.choice(players)
            act(role, c.SetStatus(role, rng.choice(["active", "active", "busy", "unreachable", "standby"]), rng.choice(TASKS)))
        elif roll < 0.95:
            who = rng.randrange(len(extras))
            role = players[who]
            joined = extras[who] in state.participants
            act(role, c.Leave(extras[who]) if joined else c.Join(extras[who]), participant=extras[who])
        elif roll < 0.97:
            role = rng.choice(evaluators)
            act(role, c.Rate(rng.choice(scenario.objectives).id, rng.choice("PSMU"), "seen in the room"))
        elif roll < 0.98:
            act(controller, c.AddHotwashItem(rng.choice(["strength", "improvement", "action"]), rng.choice(NOTES)))
        elif roll < 0.99:
            act(controller, c.SetSpeed(rng.choice([0.5, 1.0, 2.0])))
        elif roll < 0.995 and state.phase == "running":
            act(controller, c.Pause())
            paused_until = len(out) + rng.randrange(5, 50)  # people keep talking while the clock stands
        else:
            inject = rng.choice([i.id for i in scenario.injects])
            act(controller, c.Release(inject))
    act(controller, c.End("benchmark over"))
    return out


async def write(path: Path, scenario: Scenario, events: list[Event], batch: int = 5000) -> str:
    async with await EventLog.open(path) as log:
        drill = await log.create_drill(scenario.id, scenario.title, scenario.source_text, drill_id=DRILL)
        for i in range(0, len(events), batch):
            await log.append_many(drill, [to_record(e) for e in events[i: i + batch]], expected_seq=i)
        return drill


# -- measuring (in a child process) ----------------------------------------------------


def rss(field: str = "VmRSS") -> int:
    """Resident set size in bytes, now (VmHWM: the process's peak so far)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    return 0


async def load_replay(path: Path, drill_id: str, every: int) -> tuple[Replay, float, float]:
    """As `drilltui replay` does: the drill's record, its scenario text, its events, a Replay."""
    async with await EventLog.open(path, readonly=True, create=False) as log:
        t0 = time.perf_counter()
        record = await log.drill(drill_id)
        scenario = loads(record.scenario_text, "<bench>")
        events = await read_events(log, record.id)
        t1 = time.perf_counter()
        replay = Replay(scenario, events, every=every)
        t2 = time.perf_counter()
    return replay, t1 - t0, t2 - t1


def raw_rows(path: Path, drill_id: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT seq, kind, version, data, wall_time, drill_time, participant, role, prev_hash, hash"
            " FROM event WHERE drill_id = ? ORDER BY seq", (drill_id,)).fetchall()
    finally:
        conn.close()


def measure(path: Path, drill_id: str, seeks: int, every: int) -> dict[str, float]:
    r: dict[str, float] = {"load_average": os.getloadavg()[0]}
    gc.collect()
    rss0 = rss()
    replay, r["read_s"], r["build_s"] = asyncio.run(load_replay(path, drill_id, every))
    gc.collect()
    r["rss_delta"] = rss() - rss0
    r["rss_total"] = rss()  # the whole process, as a person's replay is: Python, the modules and the drill
    r["rss_peak"] = rss("VmHWM")
    r["events"] = len(replay)
    r["end_time"] = replay.end_time
    r["snapshots"] = len(replay._snapshots)

    t = time.perf_counter()
    rows = raw_rows(path, drill_id)
    r["raw_read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    for row in rows:
        json.loads(row[3])
    r["json_s"] = time.perf_counter() - t

    rng = random.Random(11)
    moments = [rng.uniform(0, replay.end_time) for _ in range(seeks)]
    samples, cpu = [], []
    for m in moments:
        t, c0 = time.perf_counter(), time.thread_time()
        replay.state_at(m)
        cpu.append(time.thread_time() - c0)
        samples.append(time.perf_counter() - t)
    q, qc = statistics.quantiles(samples, n=100), statistics.quantiles(cpu, n=100)
    r["seek_p50"], r["seek_p95"], r["seek_max"] = statistics.median(samples), q[94], max(samples)
    r["seek_cpu_p50"], r["seek_cpu_p95"], r["seek_cpu_max"] = statistics.median(cpu), qc[94], max(cpu)
    # Without snapshots: fold from the start to the same moment (a few, it is slow).
    full = []
    for m in moments[:5]:
        t = time.perf_counter()
        fold(replay.scenario, replay.events[: replay.count_at(m)])
        full.append(time.perf_counter() - t)
    r["fold_p50"] = statistics.median(full)
    # Drawing the timeline of the whole drill once (marks and density, 116 columns).
    from drilltui.ui.panes.timeline import density_line, marks_line

    t = time.perf_counter()
    marks_line(replay, 116)
    density_line(replay, 116)
    r["timeline_s"] = time.perf_counter() - t

    del replay, rows
    gc.collect()
    tracemalloc.start()
    replay, _, _ = asyncio.run(load_replay(path, drill_id, every))
    r["tm_current"], r["tm_peak"] = tracemalloc.get_traced_memory()
    del replay
    gc.collect()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    _rows = raw_rows(path, drill_id)  # held while memory is read
    r["tm_raw"] = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return r


# -- the report --------------------------------------------------------------------------


def report(r: dict[str, float], generate_s: float | None, write_s: float | None, size: int, every: int) -> None:
    mb = 1024 * 1024
    load_s = r["read_s"] + r["build_s"]
    print(f"drilltui replay benchmark: {int(r['events']):,} events, drill of {format_drill_time(r['end_time'])}, "
          f"snapshot every {every} events ({int(r['snapshots'])} snapshots)")
    print(f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, "
          f"load average {r['load_average']:.1f} when measuring")
    made = (f"generated in {generate_s:.1f} s, written with append_many in {write_s:.1f} s"
            if generate_s is not None and write_s is not None else "a kept database, measured again")
    print(f"{made}, database {size / mb:.1f} MB")
    print()
    print(f"{'load':34} {'s':>9}   vs baseline")
    print(f"{'  read (pages of DrillJournal rows)':34} {r['read_s']:9.3f}   {r['read_s'] / r['raw_read_s']:6.1f}x raw sqlite3 fetchall ({r['raw_read_s']:.3f} s)")
    print(f"{'  fold with snapshots (Replay)':34} {r['build_s']:9.3f}   {r['build_s'] / r['json_s']:6.1f}x json.loads of the data ({r['json_s']:.3f} s)")
    print(f"{'  total':34} {load_s:9.3f}   {load_s / (r['raw_read_s'] + r['json_s']):6.1f}x raw read + json.loads")
    print(f"{'  timeline marks + density':34} {r['timeline_s']:9.3f}")
    print()
    print(f"{'seek to a random moment':34} {'ms':>9} {'CPU ms':>9}")
    print(f"{'  p50':34} {r['seek_p50'] * 1e3:9.2f} {r['seek_cpu_p50'] * 1e3:9.2f}   "
          f"{r['fold_p50'] / r['seek_p50']:6.0f}x faster than folding from the start (p50 {r['fold_p50'] * 1e3:.0f} ms)")
    print(f"{'  p95':34} {r['seek_p95'] * 1e3:9.2f} {r['seek_cpu_p95'] * 1e3:9.2f}   target < 50 ms: {'ok' if r['seek_p95'] < 0.050 else 'MISSED'}")
    print(f"{'  max':34} {r['seek_max'] * 1e3:9.2f} {r['seek_cpu_max'] * 1e3:9.2f}")
    print("  (wall time includes waiting for a busy CPU; CPU time is the seek's own work)")
    print()
    print(f"{'memory':34} {'MB':>9}")
    print(f"{'  RSS, the whole process, loaded':34} {r['rss_total'] / mb:9.1f}   target < 150 MiB: {'ok' if r['rss_total'] < 150 * mb else 'MISSED'}")
    print(f"{'  peak RSS of the process':34} {r['rss_peak'] / mb:9.1f}   target < 150 MiB: {'ok' if r['rss_peak'] < 150 * mb else 'MISSED'}")
    print(f"{'  RSS growth over the load':34} {r['rss_delta'] / mb:9.1f}")
    print(f"{'  tracemalloc peak during load':34} {r['tm_peak'] / mb:9.1f}   target < 150 MB: {'ok' if r['tm_peak'] < 150 * mb else 'MISSED'}")
    print(f"{'  tracemalloc retained (Replay)':34} {r['tm_current'] / mb:9.1f}   {r['tm_current'] / r['tm_raw']:6.1f}x the raw rows as sqlite3 tuples ({r['tm_raw'] / mb:.1f} MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seeks", type=int, default=1000)
    parser.add_argument("--every", type=int, default=Replay.__init__.__kwdefaults__["every"])  # type: ignore[index]
    parser.add_argument("--keep", metavar="DB", type=Path,
                        help="write the drill here and keep it (for `drilltui replay`); if DB exists, measure it again")
    parser.add_argument("--measure", nargs=2, metavar=("DB", "DRILL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child: measure and print the figures as JSON
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1], args.seeks, args.every)))
        return 0
    with tempfile.TemporaryDirectory(prefix="drilltui-bench-") as tmp:
        path = args.keep or Path(tmp) / "replay.db"
        generate_s = write_s = None
        if not path.exists():  # a kept database is measured again as it is
            scenario = load(find_scenario(SCENARIO))
            t = time.perf_counter()
            events = generate(scenario, args.events)
            generate_s = time.perf_counter() - t
            t = time.perf_counter()
            asyncio.run(write(path, scenario, events))
            write_s = time.perf_counter() - t
            del events
        child = subprocess.run([sys.executable, __file__, "--seeks", str(args.seeks), "--every", str(args.every),
                                "--measure", str(path), DRILL], capture_output=True, text=True, check=True)
        report(json.loads(child.stdout), generate_s, write_s, path.stat().st_size, args.every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
