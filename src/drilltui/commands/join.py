"""`drilltui join DRILL --as ROLE --name NAME`: open a drill as one participant (what SSH sessions run)."""

from __future__ import annotations

import argparse

from drilltui.commands.options import add_db


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "join", help="join a running drill as a participant",
        description="Open the dashboard of an existing drill as NAME in ROLE. Remote sessions run this; "
        "with OpenSSH, put it in authorized_keys as command=\"drilltui join ...\" (docs/remote.md).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("--as", dest="role", metavar="ROLE", required=True, help="the participant's role")
    p.add_argument("--name", required=True, help="the participant's name, as the log records it")
    p.add_argument("--theme", metavar="NAME", help="colour theme")
    p.add_argument("--read-only", action="store_true",
                   help="watch only: nothing is written to the log, not even the joining (a read-only invitation runs this)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from drilltui.commands.dashboard import open_dashboard

    return open_dashboard(args, resume=args.drill, participant=args.name, read_only=args.read_only)
