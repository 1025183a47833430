"""Benchmark: rehearsals of a generated 3,000-inject scenario under each kind of policy, against a bare baseline.

    python bench/bench_rehearsal.py [--injects 3000] [--rounds 3] [--dir DIR]

The scenario has a three-level chain of command (an IC, three leads, nine players) and injects of every
sort: timed, triggered by an acknowledgement, by a decision and by an expiry, with decisions and
expectations with `within`. Each policy (nobody, everyone, everyone:4m, and a policy file's mix of
response times) is rehearsed with drilltui.rehearsal.rehearse into a temp database: every event committed
as in a live drill (WAL + synchronous=FULL). Baseline: raw sqlite3 INSERT + COMMIT, one transaction per
event, of as many events, into the same folder at the same PRAGMAs. The contenders alternate in rounds,
so machine noise falls on both alike; ratios are what to compare across machines. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))  # run from a checkout without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import raw_sqlite_once  # noqa: E402

from drilltui.engine.rehearsal_policy import Policy, parse_policy  # noqa: E402
from drilltui.rehearsal import rehearse  # noqa: E402
from drilltui.scenario import Scenario, loads  # noqa: E402
from drilltui.store import EventLog  # noqa: E402

W0 = 1_767_258_000.0  # 2026-01-01T09:00:00Z
EVERY = 20  # seconds between timed injects
MIX = "default: 3m\nroles: {ic: 30s, lead-1: never, p-1-1: 6m}\nresolve: 2m\n"


def scenario_text(n: int) -> str:
    """A valid scenario of `n` injects over a three-level chain of command."""
    roles = ["  - {id: control, title: Exercise Director, kind: controller}",
             "  - {id: ic, title: Incident Commander, holder: Dana Reyes, ack_within: 10m}"]
    players = []
    for lead in range(1, 4):
        roles.append(f"  - {{id: lead-{lead}, title: Lead {lead}, reports_to: ic, ack_within: 5m}}")
        for p in range(1, 4):
            players.append(f"p-{lead}-{p}")
            roles.append(f"  - {{id: p-{lead}-{p}, title: Player {lead}.{p}, reports_to: lead-{lead}, ack_within: 3m}}")
    injects = []
    for i in range(n):
        to = players[i % len(players)]
        head = f"  - id: I-{i}\n    to: [{to}]\n    title: Inject {i}\n"
        kind = i % 5
        if kind == 0:
            injects.append(head + f"    at: {i * EVERY}\n    expect:\n"
                                  f"      - {{id: X-{i}, text: Acknowledged, when: acknowledged, within: 2m}}")
        elif kind == 1:
            injects.append(head + f"    after: {{inject: I-{i - 1}, \"on\": acknowledged, delay: 30s}}")
        elif kind == 2:
            injects.append(head + f"    at: {i * EVERY}\n    decision:\n      prompt: Go?\n      options: "
                                  "[{id: a, label: A}, {id: b, label: B}]\n    expect:\n"
                                  f"      - {{id: X-{i}, text: Chose a, when: \"decision:a\", within: 3m}}")
        elif kind == 3:
            injects.append(head + f"    after: {{inject: I-{i - 1}, \"on\": \"decision:b\"}}")
        else:
            injects.append(head + f"    after: {{inject: I-{i - 4}, \"on\": expired, delay: 1m}}")
    return (f"format: drilltui/1\nid: bench-rehearsal\ntitle: Rehearsal benchmark\nduration: {n * EVERY + 3600}\n"
            "roles:\n" + "\n".join(roles) + "\ninjects:\n" + "\n".join(injects) + "\n")


async def rehearse_once(scenario: Scenario, policy: Policy, path: Path) -> tuple[int, float]:
    log = await EventLog.open(path)
    try:
        start = time.perf_counter()
        result = await rehearse(scenario, policy, log, start_wall=W0)
        elapsed = time.perf_counter() - start
    finally:
        await log.close()
    return result.events, elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--injects", type=int, default=3000, help="injects in the generated scenario (default 3000)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds per contender (default 3)")
    p.add_argument("--dir", type=Path, default=None, help="folder for the temp databases (default: the temp dir)")
    args = p.parse_args()

    t0 = time.perf_counter()
    scenario = loads(scenario_text(args.injects), "<bench scenario>")
    loaded = time.perf_counter() - t0
    policies = [parse_policy("nobody"), parse_policy("everyone"), parse_policy("everyone:4m"),
                parse_policy(MIX, name="mix.yaml")]
    print(f"drilltui rehearsal benchmark: python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")
    print(f"scenario: {len(scenario.injects):,} injects, {len(scenario.roles)} roles, "
          f"{len(scenario.expectations):,} expectations (loaded in {loaded:.2f} s)")
    print()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        times: dict[str, list[float]] = {x.name: [] for x in policies}
        raw: dict[str, list[float]] = {x.name: [] for x in policies}
        events: dict[str, int] = {}
        for r in range(args.rounds):
            for policy in policies:
                n, elapsed = asyncio.run(rehearse_once(scenario, policy, folder / f"{policy.name}-{r}.db"))
                events[policy.name] = n
                times[policy.name].append(elapsed)
                raw[policy.name].append(raw_sqlite_once(folder / f"raw-{policy.name}-{r}.db", n))
    print(f"   {'policy':14} {'events':>8} {'best s':>8} {'median s':>9} {'events/s':>10} {'raw sqlite s':>13} "
          f"{'rehearsal is':>13}")
    for policy in policies:
        best, base = min(times[policy.name]), min(raw[policy.name])
        print(f"   {policy.name:14} {events[policy.name]:8,} {best:8.3f} {statistics.median(times[policy.name]):9.3f} "
              f"{events[policy.name] / best:10,.0f} {base:13.3f} {best / base:12.1f}x")
    print(f"   ({args.rounds} alternating rounds; 'rehearsal is' = rehearsal time / raw INSERT+COMMIT per event, "
          "best of each)")


if __name__ == "__main__":
    main()
