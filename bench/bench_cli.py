"""Benchmark: the short commands, whole processes, against `python -c pass` and `python -c "import yaml"`.

    python bench/bench_cli.py [--rounds 30]

Each contender is run `--rounds` times, interleaved round by round so that a
change in the machine's load falls on all of them alike, with bytecode written
(a warm-up run first), as an installed drilltui runs. Printed per contender: the
median and best wall time, the median CPU time (user + system, which the load
inflates least) and the ratio of each median to `python -c pass`'s. The scenario
is the smallest valid one (samples.MINIMAL in the tests: one role, one inject).
`python -c "import yaml"` is the floor of any command that reads a scenario: it
needs PyYAML's parser, whose import alone compiles its resolvers' patterns.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from samples import MINIMAL  # noqa: E402


def timed(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """One run to its end: (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT / "src")
    py = sys.executable
    # The command as people run it: the console script pip installed (which imports no runpy), else `python -m`.
    script = Path(sys.prefix) / "bin" / "drilltui"
    drilltui = [str(script)] if script.is_file() else [py, "-m", "drilltui"]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "small.yaml").write_text(MINIMAL)
        contenders = {
            "python -c pass": [py, "-c", "pass"],
            'python -c "import yaml"': [py, "-c", "import yaml"],
            "drilltui --version": [*drilltui, "--version"],
            "drilltui --help": [*drilltui, "--help"],
            "drilltui validate small.yaml": [*drilltui, "validate", "small.yaml"],
        }
        for argv in contenders.values():  # writes the bytecode
            timed(argv, env, folder)
        walls: dict[str, list[float]] = {name: [] for name in contenders}
        cpus: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(args.rounds):
            for name, argv in contenders.items():
                wall, cpu = timed(argv, env, folder)
                walls[name].append(wall)
                cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    yaml_wall = statistics.median(walls['python -c "import yaml"'])
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} interleaved rounds, bytecode written; drilltui is {' '.join(drilltui)}")
    print(f"  {'command':30} {'median':>9} {'best':>9} {'CPU':>9}   ratio (wall, CPU) to python -c pass; wall to import yaml")
    for name in contenders:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name:30} {wall * 1000:7.1f}ms {min(walls[name]) * 1000:7.1f}ms {cpu * 1000:7.1f}ms   "
              f"{wall / base_wall:5.2f}x {cpu / base_cpu:5.2f}x   {wall / yaml_wall:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
