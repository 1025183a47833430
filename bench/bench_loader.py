"""Benchmark: the scenario loader at 10 to 10,000 roles and injects, and libyaml's event stream against the pure-Python one.

    python bench/bench_loader.py [--sizes 10,100,1000,10000] [--rounds 3]

1. Scaling: generated scenarios of N roles in one long `reports_to` chain (the worst case for a
   cycle check) and N injects in one long `after` chain, validated with drilltui.scenario.loads; the
   table gives the time per size and the growth factor per 10x (10.0 is linear; 100 would be
   quadratic). A second column does the same with the chains closed into loops (rejected files).
2. Parse: the yamldata event stream composer on libyaml's events against the pure-Python parser's
   events, on the same 5,000-inject text; the ratio is what the fast path buys, and the absolute time
   is the one the target (<= 0.2 s for 5,000 injects) speaks of.
3. Fold over a big MSEL: the same 20,000 events (notes on injects and status changes, spread over all
   of them) folded over scenarios of N roles and N injects; flat is right, since an event changes one
   inject or role however many there are. The ratio is to the fold over 10 roles and 10 injects.

The contenders alternate in rounds, so machine noise falls on both alike. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout without installing

from drilltui.scenario import (  # noqa: E402
    ScenarioError,
    loads,
    yamldata,  # noqa: E402
)


def scenario_text(n: int, *, loop: bool = False) -> str:
    """N roles in one chain of command and N injects in one chain of triggers, as compact as the format allows."""
    roles = [f"  - {{id: r{i}, title: Role {i}" + (f", reports_to: r{i - 1}" if i else (f", reports_to: r{n - 1}" if loop else "")) + "}"
             for i in range(n)]
    injects = []
    for i in range(n):
        timing = f'after: {{inject: I{i - 1}, "on": released, delay: 1s}}' if i else (
            f'after: {{inject: I{n - 1}, "on": released}}' if loop else "at: 0s")
        injects.append(f"  - {{id: I{i}, {timing}, to: [r{i % 50}], title: Inject {i}}}")
    return "\n".join(["format: drilltui/1", "id: scale", "title: Scale", "duration: 1h", "roles:", *roles, "injects:", *injects, ""])


def realistic(n: int) -> str:
    """N injects as planners write them: several keys, a two-line message, an id list."""
    roles = "".join(f"  - {{id: r{i}, title: Role {i}}}\n" for i in range(20))
    injects = "".join(
        f"  - id: I-{i}\n    at: {i}s\n    from: SOC monitoring\n    to: [r{i % 20}]\n    method: email\n"
        f"    title: Inject number {i}?\n    message: |\n      Line one of {i}.\n      Line two.\n" for i in range(n))
    return f"format: drilltui/1\nid: big\ntitle: Big\nduration: 2h\nroles:\n{roles}injects:\n{injects}"


def timed(fn, rounds: int) -> float:  # noqa: ANN001
    best = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best.append(time.perf_counter() - start)
    return statistics.median(best)


def reject(text: str) -> None:
    try:
        loads(text)
    except ScenarioError:
        return
    raise AssertionError("a loop was accepted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"1. validate N roles in one reports_to chain + N injects in one after chain (median of {args.rounds})")
    print(f"{'N':>7} {'valid s':>9} {'x per 10x':>10} {'loops s':>9} {'x per 10x':>10}")
    last: tuple[float, float] | None = None
    for n in sizes:
        good, bad = scenario_text(n), scenario_text(n, loop=True)
        ok = timed(lambda: loads(good), args.rounds)
        no = timed(lambda: reject(bad), args.rounds)
        growth = ("" if last is None else f"{ok / last[0]:.1f}", "" if last is None else f"{no / last[1]:.1f}")
        print(f"{n:>7} {ok:>9.4f} {growth[0]:>10} {no:>9.4f} {growth[1]:>10}")
        last = (ok, no)
    text = realistic(5000)
    rounds = max(3, args.rounds)
    fast = slow = whole = 0.0
    for _ in range(rounds):  # alternate, so noise falls on both
        fast += timed(lambda: yamldata.parse(text, fast=True), 1)
        slow += timed(lambda: yamldata.parse(text, fast=False), 1)
        whole += timed(lambda: loads(text), 1)
    fast, slow, whole = fast / rounds, slow / rounds, whole / rounds
    print(f"\n2. parse 5,000 realistic injects ({len(text):,} bytes, libyaml {'present' if yamldata._C_PARSER else 'absent'})")
    print(f"   libyaml event stream  {fast:.3f} s")
    print(f"   pure-Python stream    {slow:.3f} s   (ratio {slow / fast:.1f}x)")
    print(f"   whole load (parse + checks + model) {whole:.3f} s")
    fold_over_msel(sorted({10, *sizes}), rounds)  # the ratio is to 10 roles and injects


def fold_over_msel(sizes: list[int], rounds: int) -> None:
    from drilltui.engine import events as ev
    from drilltui.engine import fold
    from drilltui.engine.state import DrillState

    wall = "2027-01-15T08:00:00.000000Z"
    print(f"\n3. fold 20,000 events over N roles and N injects (best of {rounds})")
    print(f"{'N':>7} {'fold s':>9} {'ratio':>7}")
    first = None
    for n in sizes:
        s = loads(scenario_text(n))
        ids, roles = [i.id for i in s.injects], [r.id for r in s.roles]
        events = [ev.Event(ev.DrillStarted(scenario=s.id, title=s.title), 0.0, wall, "Ana", roles[0], 1)]
        for k in range(20_000):
            body: ev.EventBody = (ev.NoteAdded(text=f"note {k}", inject=ids[k % n]) if k % 2 else
                                  ev.RoleStatusChanged(role=roles[k % n], status="busy", task=f"task {k}"))
            events.append(ev.Event(body, k * 0.1, wall, "Ana", roles[k % n], k + 2))
        start = DrillState.initial(s)
        took = min(timed(lambda: fold(s, events, start), 1) for _ in range(rounds))
        first = first or took
        print(f"{n:>7} {took:>9.4f} {took / first:>6.2f}x")


if __name__ == "__main__":
    main()
