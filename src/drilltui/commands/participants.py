"""`drilltui participants FILE --scenario SCENARIO-or-DRILL`: check a participants file before serving."""

from __future__ import annotations

import argparse
from pathlib import Path

from drilltui.commands.options import add_db, default_db
from drilltui.commands.output import say


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "participants", help="check a participants file for `drilltui serve`",
        description="Check a participants file (name, role and OpenSSH public keys of each person who may join "
        "over SSH) against a scenario or a drill's scenario. Exit 0 when it is valid, 2 with FILE:LINE errors when not.",
    )
    p.add_argument("file", metavar="FILE", type=Path, help="the participants YAML file")
    p.add_argument("--scenario", metavar="SCENARIO-or-DRILL", required=True,
                   help="scenario file, bundled scenario id, or drill id (looked up in --db)")
    add_db(p)
    p.set_defaults(func=run)


async def _check(args: argparse.Namespace) -> int:
    from drilltui.remote.participants import load_participants
    from drilltui.remote.target import resolve

    target = await resolve(args.scenario, (args.db or default_db()).absolute(), create=False)
    scenario = target.scenario
    roster = load_participants(args.file, scenario)
    rows = []
    for p in roster.participants:
        role = scenario.role(p.role)
        kind = role.kind if role else "controller"
        access = ("read-only" if kind == "observer" else kind) + (", web" if p.web else "")
        for i, fp in enumerate(p.fingerprints or ("(no SSH key: joins from a browser)",)):
            rows.append((p.name if i == 0 else "", p.role if i == 0 else "", access if i == 0 else "", fp))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        say("  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3])
    of = f"drill {target.drill_id}" if target.drill_id else scenario.id
    keys = sum(len(p.keys) for p in roster.participants)
    say(f"{args.file}: ok ({len(roster.participants)} participants, {keys} keys, checked against {of})")
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_check(args))
