"""`drilltui run SCENARIO`: start a new drill (the dashboard, or headless from a script)."""

from __future__ import annotations

import argparse

from drilltui.commands.options import add_db, db_path, scenario_arg, start_wall_arg, until_arg
from drilltui.errors import UserError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run", help="start a new drill",
        description="Start a new drill of SCENARIO (a file, or the id of a bundled scenario) "
        "and open the dashboard, or run it headless from a script.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or bundled scenario id")
    add_db(p)
    p.add_argument("--as", dest="role", metavar="ROLE", help="act as this role (default: the first controller)")
    p.add_argument("--name", metavar="NAME",
                   help="your name, as the log records it (default: the role's holder in the scenario, else your login)")
    p.add_argument("--theme", metavar="NAME", help="colour theme (see `drilltui themes`)")
    h = p.add_argument_group("headless runs")
    h.add_argument("--headless", action="store_true", help="no screen: run on a virtual clock as fast as it goes")
    h.add_argument("--script", metavar="FILE", help="YAML list of steps {at, as, do, ...} (docs/headless.md)")
    h.add_argument("--until", metavar="DURATION", help="stop at this drill time (default: the scenario's duration)")
    h.add_argument("--start-wall", metavar="ISO", help="virtual wall-clock start, e.g. 2026-01-01T09:00:00Z (default: now)")
    p.set_defaults(func=run)


async def _headless(args: argparse.Namespace) -> int:
    from drilltui.engine.script import load_script
    from drilltui.headless import run_headless
    from drilltui.store import open_log

    scenario = scenario_arg(args.scenario)
    steps = load_script(args.script) if args.script else []
    until = until_arg(args.until)
    for step in steps:
        if scenario.role(step.role) is None and step.role != "exercise-control":
            raise UserError(f"{args.script}:{step.line}: error: as '{step.role}' is not a role of {scenario.id}")
    start = start_wall_arg(args.start_wall)
    async with await open_log(db_path(args, create=True)) as log:
        result = await run_headless(scenario, steps, log, start_wall=start, until=until, script_name=args.script or "script")
    print(result.drill_id)
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    if args.headless:
        return asyncio.run(_headless(args))
    if args.script or args.until or args.start_wall:
        raise UserError("--script, --until and --start-wall go with --headless")
    from drilltui.commands.dashboard import open_dashboard

    return open_dashboard(args, resume=None)
