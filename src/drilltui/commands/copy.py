"""`drilltui copy --from DB --to DB [DRILL...]`: copy drills between stores (SQLite, PostgreSQL) with their chains intact."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from drilltui.errors import UserError
from drilltui.store.location import location, redact

PAGE = 5000  # events per read and per append: memory stays flat however long the drill


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy", help="copy drills between databases (SQLite, PostgreSQL)",
        description="Copy drills, with their hash chains intact, from one database to another: a SQLite file "
        "or a postgresql:// URL on either side. Each drill is verified before and after. A drill already in "
        "the destination is brought up to date if it is the same drill, and refused if it is not. "
        "Exit 0 when every drill was copied, 1 when some were refused.",
    )
    p.add_argument("--from", dest="source", metavar="DB", type=location, required=True, help="the database to copy from")
    p.add_argument("--to", dest="destination", metavar="DB", type=location, required=True, help="the database to copy to")
    p.add_argument("drills", metavar="DRILL", nargs="*", help="drill ids (or unique prefixes); default: every drill")
    p.set_defaults(func=run)


def _shown(db: Any) -> str:
    return redact(str(db))


async def copy_drill(source: Any, destination: Any, drill_id: str) -> str:
    """Copy one drill (or its missing tail); the line to print. UserError when it must be refused."""
    from drilltui.store import NewEvent, StoreError

    record = await source.drill(drill_id)
    checked = await source.verify(record.id)
    if not checked.ok:
        raise UserError(f"{record.id}: not copied: its log does not verify in {_shown(source.path)} "
                        f"(event {checked.first_bad_seq}: {checked.reason})")
    head = await source.drill_head(record.id)
    try:
        there = await destination.drill(record.id)
    except StoreError:
        there = None
    if there is not None and there.id != record.id:
        there = None  # only a prefix matched: a different drill
    if there is None:
        await destination.create_drill(record.scenario_id, record.title, record.scenario_text, drill_id=record.id,
                                       created_at=record.created_at, chain_version=head.chain)
        have = 0
    else:
        theirs = await destination.drill_head(record.id)
        same = (theirs.genesis() == head.genesis() and theirs.head_seq <= head.head_seq
                and (theirs.head_seq == 0 or (await source.read(record.id, theirs.head_seq, theirs.head_seq))[0].hash
                     == theirs.head_hash))
        if not same:
            raise UserError(f"{record.id}: not copied: {_shown(destination.path)} already has a different drill "
                            "of that id; copy it to another database")
        have = theirs.head_seq
    copied = have
    while copied < head.head_seq:
        events = await source.read(record.id, copied + 1, min(copied + PAGE, head.head_seq))
        new = [NewEvent(e.kind, e.data, e.wall_time, e.drill_time, e.participant, e.role, e.version) for e in events]
        stored = await destination.append_many(record.id, new, expected_seq=copied)
        if [s.hash for s in stored] != [e.hash for e in events]:  # pragma: no cover - the source verified
            raise UserError(f"{record.id}: the copy's hashes differ from the source's at event {copied + 1}; "
                            "the copy is incomplete: remove it and report this")
        copied = stored[-1].seq
    result = await destination.verify(record.id)
    if not result.ok or result.last_hash != checked.last_hash:
        raise UserError(f"{record.id}: the copy does not verify ({result.reason}); remove it from {_shown(destination.path)}")
    added = "up to date" if copied == have else f"{copied - have} events copied"
    return f"{record.id}: {added}, {result.events} events, chain intact; last hash {result.last_hash}"


async def _copy(args: argparse.Namespace) -> int:
    from drilltui.store import open_log

    if str(args.source) == str(args.destination):
        raise UserError("--from and --to are the same database; give another destination")
    source = await open_log(args.source, readonly=True, create=False)
    try:
        destination = await open_log(args.destination, create=True)
        try:
            names = args.drills or [d.id for d in reversed(await source.drills())]  # oldest first
            refused = 0
            for name in names:
                try:
                    print(await copy_drill(source, destination, name), flush=True)
                except UserError as exc:
                    refused += 1
                    print(f"drilltui: {exc}", file=sys.stderr)
        finally:
            await destination.close()
    finally:
        await source.close()
    if not names:
        print(f"no drills in {_shown(args.source)}")
    return 1 if refused else 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_copy(args))
