"""Benchmark: an idle dashboard's CPU and system calls, against a bare Textual app with the same widgets, whole processes.

    python bench/bench_idle.py [--seconds 15] [--scenario ai-lab-weights-exfiltration]

Each contender is a whole process on its own pseudo-terminal (bench/ptyrun.py), left
alone for `--seconds` after its first frame: CPU is read from /proc (all threads),
then, over a second window of the same length, strace counts its system calls
(fsync and fdatasync named apart: a commit at synchronous=FULL is one). The drilltui
contenders are `drilltui run SCENARIO` on a new database, started (`s`) and then
left running, or paused (space). The baselines are bench/bare_app.py: with its
clock Static updated once a second (what the paused dashboard's clock line does:
it shows the wall time), and quite idle. Each ratio is to the clocked bare app.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyrun import ROOT, Terminal, syscalls  # noqa: E402

SYNCS = ("fsync", "fdatasync")


def drilltui_argv() -> list[str]:
    return [sys.executable, "-m", "drilltui"]


def measure(name: str, argv: list[str], marker: bytes, keys: list[tuple[bytes, bytes]], seconds: float,
            env: dict[str, str], cwd: Path) -> dict[str, object]:
    term = Terminal(argv, env=env, cwd=cwd)
    try:
        term.wait_for(marker)
        for key, shown in keys:
            term.press(key)
            term.wait_for(shown)
        term.settle()
        cpu0, t0 = term.cpu(), time.perf_counter()
        time.sleep(seconds)
        cpu = (term.cpu() - cpu0) / (time.perf_counter() - t0)
        calls = syscalls(term.pid, seconds)
    finally:
        term.stop()
    return {"name": name, "cpu": cpu, "calls": calls}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--scenario", default="ai-lab-weights-exfiltration")
    args = ap.parse_args()
    src = str(ROOT / "src")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {"PYTHONPATH": src, "XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder / "data"),
               "DRILLTUI_NAME": "bench"}
        bare = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
        run = [*drilltui_argv(), "run", args.scenario, "--db", str(folder / "idle.db")]
        contenders = [
            ("bare Textual app, clock once a second", [*bare, "--clock"], b"chain", []),
            ("bare Textual app, nothing changes", bare, b"chain", []),
            ("drilltui dashboard, paused", run, b"Pending", [(b"s", b"RUNNING"), (b" ", b"PAUSED")]),
            ("drilltui dashboard, running 1x", run, b"Pending", [(b"s", b"RUNNING")]),
        ]
        for name, argv, marker, keys in contenders:
            results.append(measure(name, argv, marker, keys, args.seconds, env, folder))
    base = results[0]["cpu"]
    print(f"idle for {args.seconds:.0f} s after the first frame, whole processes on a PTY; {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(f"  {'':40} {'CPU % of a core':>16} {'ratio':>7} {'syscalls':>9} {'fsync+fdatasync':>16}")
    for r in results:
        calls = r["calls"]
        total = sum(calls.values()) if calls is not None else None
        syncs = sum(calls.get(s, 0) for s in SYNCS) if calls is not None else None
        print(f"  {r['name']:40} {100 * r['cpu']:15.2f}% {r['cpu'] / base:6.2f}x "
              f"{total if total is not None else '-':>9} {syncs if syncs is not None else '-':>16}")
    print("  targets: the dashboard <= 2x the bare app's CPU; no fsync while nothing happens (paused)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
