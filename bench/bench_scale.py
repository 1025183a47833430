"""Benchmark: how each path grows with the drill: validate, headless run, fold, report, export, verify, replay read and seek, replay open.

    python bench/bench_scale.py [--sizes 1000,10000,100000,1000000] [--loader 10,100,1000,10000]
                                [--budget 240] [--skip msel,loader] [--keep DIR]

For each size, a valid drill of that many events is generated with the engine
itself (bench_replay.generate: the bundled AI-lab scenario's injects released,
acknowledged, escalated and decided, then mostly notes, observations and role
status changes, people joining and leaving, pauses and speed changes) and
appended to a fresh database. Every path is then run as its own process, so the
time is the whole call's and the memory is the process's peak resident set
(VmHWM as it exits), not a growth figure; a run under 20 s is repeated and the
best of `--rounds` counts:

- validate: `drilltui validate` of a scenario with N roles in one chain of
  command and N injects in one chain of triggers (bench_loader's worst case);
- headless: `drilltui run --headless` of a script of N notes (one commit each);
- fold: the engine's fold of the drill's events, timed inside the process, beside
  json.loads of the same events' data in the same process (the ratio);
- report: `drilltui report -o FILE` (Markdown); export: `drilltui export -o FILE`
  (JSON lines); verify: `drilltui verify`; each beside a process that does the
  least any of them must: SELECT the drill's rows and json.loads their data;
- seek: a replay's whole read of the log as the screen reads it (a page at a
  time into engine.replay.Replay), its time and peak memory, then the p50 and
  p95 of 300 seeks to random drill times;
- replay: `drilltui replay` on a pseudo-terminal, to its first frame, beside a
  bare Textual app with the dashboard's widgets (bench/bare_app.py) to its first.

The growth column is the time's factor per 10x of size (10 is linear, 100
quadratic). A size whose predicted time (the last one's times the growth seen so
far) is over `--budget` seconds is skipped and said so. Last, the two rows of the
issue's table met elsewhere are measured again: the scenario parse at 5,000
injects (bench_loader) and import-msel of 1,000 rows (bench_msel).
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(SRC))

from ptyrun import Terminal  # noqa: E402

MIB = 1024 * 1024
# `python -m drilltui`, reporting the process's own peak resident set (VmHWM) as it exits: a
# forked child's ru_maxrss starts from its parent's size, so wait4's figure would carry ours.
PEAK = """
import atexit, os, runpy, sys
def peak():
    with open("/proc/self/status") as f, open(os.environ["BENCH_PEAK"], "w") as out:
        out.write(next(line.split()[1] for line in f if line.startswith("VmHWM:")))
atexit.register(peak)
sys.argv[0] = "drilltui"
runpy.run_module("drilltui", run_name="__main__", alter_sys=True)
"""
DRILLTUI = [sys.executable, "-c", PEAK]


def child_env(folder: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SRC), "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"), "NO_COLOR": "1", "DRILLTUI_NAME": "bench"}


def own_peak() -> int:
    """This process's peak resident bytes so far."""
    with open("/proc/self/status") as f:
        return int(next(line.split()[1] for line in f if line.startswith("VmHWM:"))) * 1024


def read_peak(path: Path) -> int:
    try:
        return int(path.read_text()) * 1024
    except (OSError, ValueError):
        return 0


ROUNDS = 3  # runs of each measurement that takes under QUICK seconds; the best one counts (a busy machine only slows)
QUICK = 20.0


def timed_child(argv: Sequence[str], env: dict[str, str], timeout: float = 3600) -> tuple[float, int, str]:
    """The best of up to ROUNDS runs of `once` (just one when it takes QUICK seconds or more)."""
    best = once(argv, env, timeout)
    for _ in range(ROUNDS - 1):
        if best[0] >= QUICK:
            break
        got = once(argv, env, timeout)
        if got[0] < best[0]:
            best = got
    return best


def once(argv: Sequence[str], env: dict[str, str], timeout: float = 3600) -> tuple[float, int, str]:
    """Run a process to its end: (seconds, its peak resident bytes as it reported them, its output)."""
    peak_file = Path(env["XDG_DATA_HOME"]).parent / "peak"
    peak_file.unlink(missing_ok=True)
    env = {**env, "BENCH_PEAK": str(peak_file)}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, text=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise TimeoutError(" ".join(argv))
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read(), err.read()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {problems[-2000:]}")
    if not text.startswith("{"):
        return elapsed, read_peak(peak_file), text
    return elapsed, json.loads(text)["peak"], text


# -- what a child process does ---------------------------------------------------------------


def child_rows(db: str, drill: str) -> dict[str, float]:
    """The floor: SELECT the drill's rows and json.loads their data."""
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    n = 0
    for (data,) in conn.execute("SELECT data FROM event WHERE drill_id = ? ORDER BY seq", (drill,)):
        json.loads(data)
        n += 1
    return {"seconds": time.perf_counter() - started, "events": n, "peak": own_peak()}


def child_fold(db: str, drill: str) -> dict[str, float]:
    """The engine's fold of the drill's events, and json.loads of their data, both timed here."""
    from drilltui.commands.replay import read_events
    from drilltui.engine.reducer import fold
    from drilltui.scenario import loads
    from drilltui.store import EventLog

    async def read() -> tuple[object, list]:  # type: ignore[type-arg]
        async with await EventLog.open(db, readonly=True, create=False) as log:
            record = await log.drill(drill)
            return loads(record.scenario_text, "<scenario>"), await read_events(log, drill)

    scenario, events = asyncio.run(read())
    datas = [row[0] for row in sqlite3.connect(db).execute("SELECT data FROM event WHERE drill_id = ? ORDER BY seq", (drill,))]
    folds, parses = [], []
    for _ in range(3):
        t = time.perf_counter()
        fold(scenario, events)  # type: ignore[arg-type]
        folds.append(time.perf_counter() - t)
        t = time.perf_counter()
        for d in datas:
            json.loads(d)
        parses.append(time.perf_counter() - t)
    return {"seconds": min(folds), "json": min(parses), "events": len(events), "peak": own_peak()}


def child_seek(db: str, drill: str) -> dict[str, float]:
    """A replay's whole read, as the screen reads it (a page at a time into Replay), then 300 seeks."""
    import random

    from drilltui.commands.replay import event_pages
    from drilltui.engine.replay import Replay
    from drilltui.scenario import loads
    from drilltui.store import EventLog

    async def read() -> Replay:
        async with await EventLog.open(db, readonly=True, create=False) as log:
            record = await log.drill(drill)
            replay = Replay(loads(record.scenario_text, "<scenario>"))
            async for page in event_pages(log, drill):
                replay.extend(page)
            return replay

    started = time.perf_counter()
    replay = asyncio.run(read())
    seconds = time.perf_counter() - started
    rng = random.Random(19)
    seeks = []
    for _ in range(300):
        at = rng.uniform(0, replay.end_time)
        t = time.perf_counter()
        replay.state_at(at)
        seeks.append(time.perf_counter() - t)
    seeks.sort()
    return {"seconds": seconds, "p50": seeks[len(seeks) // 2], "p95": seeks[int(len(seeks) * 0.95)],
            "every": replay.every, "peak": own_peak()}


CHILDREN: dict[str, Callable[[str, str], dict[str, float]]] = {"rows": child_rows, "fold": child_fold, "seek": child_seek}


# -- the parent ----------------------------------------------------------------------------------


class Table:
    """Rows of (path, size, seconds, peak bytes, baseline seconds) printed with growth per 10x."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[int, float | None, int | None, float | None, str]]] = {}

    def add(self, path: str, size: int, seconds: float | None, peak: int | None, base: float | None = None,
            note: str = "") -> None:
        self.rows.setdefault(path, []).append((size, seconds, peak, base, note))
        shown = f"{seconds:9.3f} s" if seconds is not None else "  skipped"
        print(f"  {path:9} {size:>9,}  {shown}  {(peak or 0) / MIB:7.1f} MiB  {note}", flush=True)

    def predicted(self, path: str, size: int) -> float | None:
        done = [(s, t) for s, t, *_ in self.rows.get(path, []) if t is not None]
        if not done:
            return None
        s, t = done[-1]
        growth = 10.0
        if len(done) >= 2 and done[-2][1]:
            growth = max(10.0, (t / done[-2][1]) ** (1 / max(1e-9, math.log10(s / done[-2][0]))))
        return t * growth ** math.log10(size / s)

    def show(self) -> None:
        print()
        print(f"  {'path':9} {'size':>9}  {'time':>9}  {'x10':>6}  {'peak RSS':>9}  {'x10':>5}  {'baseline':>9}  {'ratio':>6}")
        for path, rows in self.rows.items():
            prev: tuple[int, float | None, int | None] | None = None
            for size, seconds, peak, base, note in rows:
                growth = mem = ""
                if prev is not None and seconds is not None and prev[1]:
                    per = math.log10(size / prev[0])
                    growth = f"{(seconds / prev[1]) ** (1 / per):6.1f}"
                    if peak and prev[2]:
                        mem = f"{(peak / prev[2]) ** (1 / per):5.1f}"
                t = f"{seconds:8.3f}s" if seconds is not None else "  skipped"
                b = f"{base:8.3f}s" if base is not None else ""
                r = f"{seconds / base:5.2f}x" if base and seconds is not None else ""
                p = f"{peak / MIB:6.1f} MiB" if peak else ""
                print(f"  {path:9} {size:>9,}  {t:>9}  {growth:>6}  {p:>9}  {mem:>5}  {b:>9}  {r:>6}  {note}")
                if seconds is not None:
                    prev = (size, seconds, peak)


def make_drill(folder: Path, size: int) -> tuple[Path, str, float]:
    """A fresh database holding one generated drill of `size` events; and how long generating and writing took."""
    import bench_replay

    from drilltui.paths import find_scenario
    from drilltui.scenario import load

    scenario = load(find_scenario(bench_replay.SCENARIO))
    started = time.perf_counter()
    events = bench_replay.generate(scenario, size)
    path = folder / f"scale-{size}.db"
    drill = asyncio.run(bench_replay.write(path, scenario, events))
    return path, drill, time.perf_counter() - started


def headless_script(folder: Path, size: int) -> Path:
    """A script of `size` notes (plus start and end), a tenth of a second of drill time apart."""
    lines = ["- {at: 0s, as: exdir, do: start}"]
    for i in range(size):
        lines.append(f"- {{at: {i // 10}s, as: ic, do: note, text: note {i}}}")
    lines.append(f"- {{at: {size // 10 + 1}s, as: exdir, do: end}}")
    path = folder / f"script-{size}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def first_frame(argv: Sequence[str], marker: bytes, env: dict[str, str]) -> tuple[float, int]:
    """The best of ROUNDS runs of `frame_once`."""
    return min(frame_once(argv, marker, env) for _ in range(ROUNDS))


def frame_once(argv: Sequence[str], marker: bytes, env: dict[str, str]) -> tuple[float, int]:
    """Seconds to `marker` on a pseudo-terminal, and the process's peak resident bytes (it is then quit)."""
    peak_file = Path(env["XDG_DATA_HOME"]).parent / "peak"
    peak_file.unlink(missing_ok=True)
    term = Terminal(argv, env={**env, "BENCH_PEAK": str(peak_file)})
    try:
        seconds = term.wait_for(marker, timeout=600)
        term.settle(quiet=0.5, timeout=600)  # what fills in after the first frame counts for memory
    finally:
        term.stop()
    return seconds, read_peak(peak_file)


def over_budget(table: Table, path: str, size: int, budget: float) -> str | None:
    guess = table.predicted(path, size)
    if guess is not None and guess > budget:
        return f"skipped: about {guess:.0f} s predicted, over --budget {budget:.0f} s"
    return None


def set_rounds(n: int) -> None:
    global ROUNDS
    ROUNDS = max(1, n)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, stage, db, drill = sys.argv
        print(json.dumps(CHILDREN[stage](db, drill)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--loader", default="10,100,1000,10000", help="roles and injects for validate")
    ap.add_argument("--budget", type=float, default=240.0, help="seconds any one measurement may be predicted to take")
    ap.add_argument("--skip", default="", help="comma-separated: validate,headless,fold,report,export,verify,seek,replay,msel,loader")
    ap.add_argument("--keep", type=Path, help="keep the databases in this folder (and reuse them on a later run)")
    ap.add_argument("--rounds", type=int, default=ROUNDS, help="runs of each quick measurement; the best counts")
    args = ap.parse_args()
    set_rounds(args.rounds)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    skip = set(args.skip.split(","))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = child_env(folder)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} at the start;"
          f" each path is `python -m drilltui ...` (with PYTHONPATH={SRC}) in its own process")
    table = Table()
    try:
        if "validate" not in skip:
            import bench_loader

            for n in [int(s) for s in args.loader.split(",") if s]:
                path = folder / f"loader-{n}.yaml"
                path.write_text(bench_loader.scenario_text(n))
                seconds, peak, _ = timed_child([*DRILLTUI, "validate", str(path)], env)
                table.add("validate", n, seconds, peak, note="roles and injects")
        bare = first_frame([sys.executable, str(HERE / "bare_app.py")], b"chain", env)[0] if "replay" not in skip else None
        for size in sizes:
            if "headless" not in skip:
                why = over_budget(table, "headless", size, args.budget)
                if why:
                    table.add("headless", size, None, None, note=why)
                else:
                    script = headless_script(folder, size)
                    seconds, peak, _ = timed_child([*DRILLTUI, "run", "ai-lab-weights-exfiltration", "--headless", "--script",
                                                    str(script), "--db", str(folder / f"headless-{size}.db"),
                                                    "--start-wall", "2027-01-01T09:00:00Z"], env)
                    table.add("headless", size, seconds, peak, note="notes, one commit each")
            db = folder / f"scale-{size}.db"
            drill = "bench-replay"
            if not db.exists():
                db, drill, made = make_drill(folder, size)
                print(f"  (a drill of {size:,} events generated and written in {made:.1f} s)", flush=True)
            floor, floor_peak, _ = timed_child([sys.executable, __file__, "--child", "rows", str(db), drill], env)
            table.add("rows", size, floor, floor_peak, note="SELECT + json.loads, the floor")
            if "fold" not in skip:
                _, peak, out = timed_child([sys.executable, __file__, "--child", "fold", str(db), drill], env)
                got = json.loads(out)
                table.add("fold", size, got["seconds"], peak, got["json"],
                          note=f"{got['events'] / got['seconds']:,.0f} events/s; baseline json.loads in the same process")
            for path, argv in (("report", ["report", drill, "--db", str(db), "-o", str(folder / "report.md")]),
                               ("export", ["export", drill, "--db", str(db), "-o", str(folder / "export.jsonl")]),
                               ("verify", ["verify", drill, "--db", str(db)])):
                if path in skip:
                    continue
                why = over_budget(table, path, size, args.budget)
                if why:
                    table.add(path, size, None, None, note=why)
                    continue
                seconds, peak, _ = timed_child([*DRILLTUI, *argv], env)
                table.add(path, size, seconds, peak, floor, note="baseline: rows")
            if "seek" not in skip:
                why = over_budget(table, "seek", size, args.budget)
                if why:
                    table.add("seek", size, None, None, note=why)
                else:
                    _, peak, out = timed_child([sys.executable, __file__, "--child", "seek", str(db), drill], env)
                    got = json.loads(out)
                    table.add("seek", size, got["seconds"], peak, floor,
                              note=f"the replay's whole read (baseline: rows); then seek p50 {got['p50'] * 1e3:.1f} ms, "
                                   f"p95 {got['p95'] * 1e3:.1f} ms, snapshots every {got['every']:.0f}")
            if "replay" not in skip:
                why = over_budget(table, "replay", size, args.budget)
                if why:
                    table.add("replay", size, None, None, note=why)
                else:
                    seconds, peak = first_frame([*DRILLTUI, "replay", drill, "--db", str(db)], b"Replay", env)
                    table.add("replay", size, seconds, peak, bare, note="to the first frame; baseline: a bare app's")
        table.show()
        print(f"  (load {os.getloadavg()[0]:.2f} at the end)")
        if "loader" not in skip:
            print("\nscenario parse, 5,000 injects (bench_loader.py):", flush=True)
            subprocess.run([sys.executable, str(HERE / "bench_loader.py"), "--sizes", "5000", "--rounds", "3"], check=True)
        if "msel" not in skip:
            print("\nimport-msel, 1,000 rows (bench_msel.py):", flush=True)
            subprocess.run([sys.executable, str(HERE / "bench_msel.py"), "--rows", "1000", "--rounds", "5"], check=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
