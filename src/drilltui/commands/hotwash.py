"""`drilltui hotwash DRILL`: record strengths, improvements and the improvement plan after a drill."""

from __future__ import annotations

import argparse

from drilltui.commands.options import add_db


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "hotwash", help="run the hotwash of a drill",
        description="Open a drill on its hotwash screen: walk the objectives and record strengths, "
        "areas for improvement and improvement-plan items, each an event in the drill's log.",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("--as", dest="role", metavar="ROLE", help="act as this role (default: the first controller)")
    p.add_argument("--theme", metavar="NAME", help="colour theme")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from drilltui.commands.dashboard import open_dashboard

    return open_dashboard(args, resume=args.drill, hotwash=True)
