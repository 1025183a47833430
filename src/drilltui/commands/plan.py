"""`drilltui plan SCENARIO [--watch]`: the plan on a time axis, re-read when the file is saved."""

from __future__ import annotations

import argparse
import sys


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
    p.set_defaults(func=run)


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
                  wake=lambda changed: WalInotify.start(str(path), changed), since=since)
    app.run()
    return app.return_code or 0
