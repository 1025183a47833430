"""`drilltui resume DRILL`: continue a drill from its log, after a quit or a crash."""

from __future__ import annotations

import argparse

from drilltui.commands.options import add_db


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "resume", help="continue a drill",
        description="Open the dashboard on an existing drill. A drill whose console was killed "
        "continues paused at the drill time of its last event; resume the clock with space.",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix), see `drilltui drills`")
    add_db(p)
    p.add_argument("--as", dest="role", metavar="ROLE", help="act as this role (default: the first controller)")
    p.add_argument("--name", metavar="NAME",
                   help="your name, as the log records it (default: the role's holder in the scenario, else your login)")
    p.add_argument("--theme", metavar="NAME", help="colour theme")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from drilltui.commands.dashboard import open_dashboard

    return open_dashboard(args, resume=args.drill)
