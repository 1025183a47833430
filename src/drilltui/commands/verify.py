"""`drilltui verify DRILL`: check a drill's hash chain, event by event."""

from __future__ import annotations

import argparse
import asyncio

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say
from drilltui.store import open_log


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help="check that a drill's log was not edited",
        description="Recompute every event's SHA-256 and its link to the one before. "
        "Exit 0 when the chain holds, 1 when it is broken (naming the first bad event).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix), see `drilltui drills`")
    add_db(p)
    p.set_defaults(func=run)


async def _verify(args: argparse.Namespace) -> int:
    log = await open_log(db_path(args, create=False), readonly=True, create=False)
    try:
        drill = await log.drill(args.drill)
        result = await log.verify(drill.id)
    finally:
        await log.close()
    if result.ok:
        say(f"{drill.id}: ok, {result.events} events, chain intact; last hash {result.last_hash}")
        return 0
    say(f"{drill.id}: BROKEN at event {result.first_bad_seq}: {result.reason}")
    return 1


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_verify(args))
