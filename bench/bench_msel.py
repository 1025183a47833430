"""Benchmark: import-msel of an N-row MSEL against reading the CSV and dumping the YAML, in the same process.

    python bench/bench_msel.py [--rows 1000] [--rounds 5]

The MSEL is generated as planners write one: event numbers, T+ times, recipients (some several to
a cell), methods, severities, multi-line inject text, expected actions, objectives, a trigger on
every tenth row and a decision on every twentieth. The contender is drilltui.scenario.msel.import_msel
on its bytes (find the header, map the columns, read every cell, build the scenario, write its YAML,
and check that the YAML loads). The baseline is the part no importer can skip: csv.reader over the
decoded text, plus yaml.dump of the same scenario's data with the same emitter. The target is a
ratio of at most 1.5x. The contenders alternate in rounds. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout without installing

import yaml  # noqa: E402

from drilltui.scenario.msel import import_msel  # noqa: E402
from drilltui.scenario.msel.yamlout import _Dumper, scenario_data  # noqa: E402

ROLES = ("County EOC", "Public Information Officer", "Fire/EMS", "Hospital (North, Main)", "Public Works", "Sheriff")
METHODS = ("Email", "Phone call", "Radio", "Face to face", "SIEM alert", "Handout")


def msel(rows: int) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["Event No.", "Scenario Time (T+)", "Trigger", "From", "To", "Method", "Severity", "Title",
                "Inject / Message", "Expected Player Action", "Objectives", "Decision", "Notes"])
    for i in range(1, rows + 1):
        to = ROLES[i % len(ROLES)] + ("; " + ROLES[(i + 2) % len(ROLES)] if i % 3 == 0 else "")
        trigger = f"after {i - 1} acknowledged +2m" if i % 10 == 0 else ""
        decision = f"Escalate event {i}? | yes: Escalate now | no: Keep watching" if i % 20 == 0 else ""
        w.writerow([i, "" if trigger else f"T+{i * 2}", trigger, "SimCell", to, METHODS[i % len(METHODS)],
                    ("Low", "Medium", "High", "Critical")[i % 4], f"Event {i}: water over the road",
                    f"Deputies report water over Highway {i}.\nTwo vehicles stalled, occupants out safely.",
                    "Coordinate detours with Public Works.", f"O{i % 5 + 1}", decision, "Look for a detour map." if i % 2 else ""])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    data = msel(args.rows)
    first = import_msel(data, "bench.csv")
    assert first.valid and first.scenario is not None and first.injects == args.rows, first.problems
    shaped = scenario_data(first.scenario)

    def baseline() -> None:
        list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        yaml.dump(shaped, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)

    def contender() -> None:
        import_msel(data, "bench.csv")

    times: dict[str, list[float]] = {"import-msel": [], "baseline": []}
    for _ in range(args.rounds):
        for name, fn in (("import-msel", contender), ("baseline", baseline)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    imp, base = statistics.median(times["import-msel"]), statistics.median(times["baseline"])
    fast_imp, fast_base = min(times["import-msel"]), min(times["baseline"])
    print(f"import-msel of {args.rows:,} rows ({len(data):,} bytes), {args.rounds} rounds, "
          f"emitter: {_Dumper.__mro__[1].__name__}")
    print(f"  baseline: csv.reader + yaml.dump   median {base * 1000:7.1f} ms   best {fast_base * 1000:7.1f} ms")
    print(f"  import-msel                        median {imp * 1000:7.1f} ms   best {fast_imp * 1000:7.1f} ms")
    print(f"  ratio: median {imp / base:.2f}x, best {fast_imp / fast_base:.2f}x (target <= 1.5x; on a busy "
          "machine the best rounds say more)")


if __name__ == "__main__":
    main()
