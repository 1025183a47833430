"""`drilltui plan SCENARIO [--watch]`: the plan on a time axis, re-read when the file is saved."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db

if TYPE_CHECKING:
    from drilltui.scenario import Scenario
    from drilltui.ui.plan_rehearse import Rehearsed, Rehearser


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plan",
        help="the plan on a time axis, to read while writing it",
        description="Show a scenario's plan on a time axis: a lane per role and outside party, each inject at its "
        "time, triggers, deadlines and where they escalate, load per 10 minutes, the bench of manual injects. "
        "An invalid file exits 2 with its problems, one a line, unless --watch, which shows them in place.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario YAML file, or a bundled scenario id")
    p.add_argument("--watch", action="store_true",
                   help="read the file again each time it is saved (keep it open beside your editor)")
    p.add_argument("--theme", metavar="NAME", help="colour theme (see `drilltui themes`)")
    add_db(p)  # where `r` keeps its rehearsals
    p.set_defaults(func=run)


def rehearser(args: argparse.Namespace) -> Rehearser:
    """What `r` calls: rehearse a scenario under a policy into the --db database, in the calling thread."""

    def run_one(scenario: Scenario, given: str) -> Rehearsed:
        import asyncio
        import time

        from drilltui.commands.rehearse import rehearse_into
        from drilltui.errors import describe
        from drilltui.rehearsal import summary_lines
        from drilltui.ui.plan_rehearse import Rehearsed

        async def play() -> Rehearsed:
            result = await rehearse_into(args, scenario, given, start_wall=time.time())
            return Rehearsed(result.drill_id, tuple(summary_lines(result)))

        try:
            return asyncio.run(play())
        except Exception as exc:  # noqa: BLE001 - a mistake in the policy is said in the dialog; a bug is raised
            message = describe(exc)
            if message is None:
                raise
            return Rehearsed(None, tuple(message.splitlines()))

    return run_one


def database_name(args: argparse.Namespace) -> str:
    from drilltui.commands.options import default_db
    from drilltui.store.location import redact

    return redact(str(args.db or default_db()))  # a URL without its password; a file's path as it is


def run(args: argparse.Namespace) -> int:
    from drilltui.commands.dashboard import check_theme
    from drilltui.errors import UserError
    from drilltui.paths import find_scenario
    from drilltui.scenario.watch import marker
    from drilltui.store.walwatch import WalInotify
    from drilltui.ui.plan import PlanApp, read_plan
    from drilltui.ui.settings import load_settings
    from drilltui.visible import visible

    check_theme(args.theme)
    try:
        path = find_scenario(args.scenario)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    since = marker(path)  # before reading: a save while it is read is then seen as a change
    timeline, problems = read_plan(path)
    if timeline is None and not args.watch:
        for line in problems:
            print(visible(line), file=sys.stderr)
        return 2
    # inotify (as the store's tail uses on the write-ahead log) wakes the watcher at a save; it stats the file anyway.
    app = PlanApp(path, timeline, problems, watch=args.watch, settings=load_settings(), theme=args.theme,
                  wake=lambda changed: WalInotify.start(str(path), changed), since=since,
                  rehearser=rehearser(args), database=database_name(args))
    app.run()
    return app.return_code or 0
