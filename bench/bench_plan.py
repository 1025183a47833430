"""Benchmark: laying out the plan view of a 3,000-inject scenario, as a ratio to loading the file, in one process.

    python bench/bench_plan.py [--injects 3000] [--rounds 5]

The scenario is generated as planners write them: 30 roles in a chain of command
with deadlines, injects at set times, after releases, acknowledgements, expiries
and decision options, a few manual ones, SimCell parties and expectations. The
load is drilltui.scenario.loads of its text; the layout is
drilltui.scenario.timeline.layout of the loaded scenario (lanes, times, triggers,
deadline chains, load windows); the draw is the chart's lines for a 200x60
terminal, with the last inject selected. Each is the median of the rounds.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout without installing

from drilltui.scenario import loads  # noqa: E402
from drilltui.scenario.timeline import layout  # noqa: E402
from drilltui.ui.plan_chart import Chart, ChartView  # noqa: E402


def scenario_text(n: int) -> str:
    roles = ["  - {id: sim, title: SimCell, kind: simcell}", "  - {id: control, title: Control, kind: controller}"]
    roles += [f"  - {{id: r{k}, title: Role {k}, ack_within: {2 + k % 5}m" + (f", reports_to: r{(k - 1) // 3}" if k else "")
              + "}" for k in range(30)]
    injects = []
    for k in range(n):
        to = f"[r{k % 30}" + (f", r{(k + 7) % 30}]" if k % 5 == 0 else "]")
        if k % 50 == 49:
            timing = "manual: true"
        elif k % 4 == 1 and k > 4:
            on = ("released", "acknowledged", "expired", '"decision:go"')[k % 4 if k % 8 != 1 else 3]
            parent = k - 1 if on == '"decision:go"' else k - 2
            timing = f'after: {{inject: I{parent}, "on": {on}, delay: {k % 7}m}}'
        else:
            timing = f"at: {(k * 7) % (6 * 3600)}s"
        decision = ", decision: {prompt: Go on, options: [{id: go, label: Go}, {id: stop, label: Stop}]}" if k % 8 == 0 else ""
        sender = f", from: SimCell as Party {k % 40}" if k % 3 == 0 else ""
        expect = f", objectives: [O{k % 5}], expect: [{{id: X{k}, text: Done, within: 5m, when: acknowledged}}]" if k % 6 == 0 else ""
        injects.append(f"  - {{id: I{k}, {timing}, to: {to}, title: Inject {k}{sender}{decision}{expect}}}")
    objectives = [f"  - {{id: O{k}, text: Objective {k}}}" for k in range(5)]
    return "\n".join(["format: drilltui/1", "id: big-plan", "title: Big plan", "duration: 6h", "objectives:", *objectives,
                      "roles:", *roles, "injects:", *injects, ""])


def median(fn, rounds: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--injects", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    text = scenario_text(args.injects)
    scenario = loads(text)
    timeline = layout(scenario)
    chart = Chart(timeline, ChartView(scale=60, selected=timeline.placed[-1].id))
    load_s = median(lambda: loads(text), args.rounds)
    layout_s = median(lambda: layout(scenario), args.rounds)
    draw_s = median(lambda: chart.lines(200, 60), args.rounds)
    print(f"{args.injects:,} injects ({len(timeline.placed):,} timed, {len(timeline.bench)} on the bench), "
          f"{len(timeline.lanes)} lanes, {len(text):,} bytes; median of {args.rounds}")
    print(f"  load    {load_s * 1000:8.1f} ms")
    print(f"  layout  {layout_s * 1000:8.1f} ms   {layout_s / load_s:.3f} of the load")
    print(f"  draw    {draw_s * 1000:8.1f} ms   {draw_s / load_s:.3f} of the load (200x60, one frame)")


if __name__ == "__main__":
    main()
