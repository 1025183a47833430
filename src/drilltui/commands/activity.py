"""`drilltui activity DRILL`: each role's ICS-214 Activity Log, from the drill's event log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drilltui.commands.options import add_db
from drilltui.commands.output import say, write_data
from drilltui.errors import UserError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "activity", help="write each role's ICS-214 activity log",
        description="Write the ICS-214 Activity Log of each role (or one): every notable activity it received, "
        "acknowledged, decided, escalated, said or was tasked with, and its status changes, in drill time and "
        "wall time, with the ICS-214 header blocks (docs/messages.md).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix)")
    p.add_argument("--role", metavar="ROLE", help="only this role's log (a role id of the scenario)")
    p.add_argument("--format", choices=("md", "csv", "html"), default=None,
                   help="output format (default: from -o's extension, else md)")
    p.add_argument("-o", "--output", metavar="FILE", default="-", help="write here instead of standard output")
    p.add_argument("--prepared-by", metavar="NAME", default="",
                   help="block 8, prepared by (default: the role's name and position, from the event log)")
    add_db(p)
    p.set_defaults(func=run)


async def _activity(args: argparse.Namespace) -> int:
    from drilltui.commands.folded import read_folded
    from drilltui.engine.activity import activity_logs
    from drilltui.report.ics214 import render
    from drilltui.scenario.loader import hint

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in ("md", "markdown", "html", "htm", "csv") else "md"
    drill = await read_folded(args, args.drill)
    state = drill.state
    roles = None
    if args.role is not None:
        known = [r.id for r in drill.scenario.roles] + [r for r in state.activity if drill.scenario.role(r) is None]
        if args.role not in known:
            raise UserError(f"--role {args.role}: drill {drill.record.id} has no such role; its roles are "
                            f"{', '.join(known)}{hint(args.role, known)}")
        roles = [args.role]
    until = drill.events[-1].wall_time if drill.events else ""
    logs = activity_logs(state, roles, until_wall=until, prepared_by=args.prepared_by)
    text = render(logs, fmt, drill.record.id)
    if args.output == "-":
        write_data(text, always_drawn=fmt == "md")
    else:
        try:
            Path(args.output).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise UserError(f"{args.output}: cannot write the activity logs: {exc.strerror or exc}") from None
        say(f"wrote {args.output} ({fmt}, {len(logs)} role{'s' if len(logs) != 1 else ''}, "
            f"{sum(len(log.activities) for log in logs)} activities)", sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_activity(args))
