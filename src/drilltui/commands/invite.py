"""`drilltui invite PARTICIPANT --drill DRILL`: a link that lets one participant join the drill from a browser."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say
from drilltui.errors import UserError
from drilltui.scenario import format_duration, parse_duration

DEFAULT_EXPIRES = 8 * 3600.0


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "invite", help="invite a participant to join a drill from a browser",
        description="Print a link that opens the drill in a browser as PARTICIPANT (who must have 'web: true' in the "
        "participants file served), on the address of a running `drilltui serve --web` for the drill, or on --base-url. "
        "The link's token is kept only hashed, beside the database; on first use it becomes a session cookie. "
        "See docs/remote.md.",
    )
    p.add_argument("participant", metavar="PARTICIPANT", nargs="?", help="the participant's name, as in the participants file")
    p.add_argument("--drill", metavar="DRILL", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("--expires", metavar="DURATION", default=format_duration(DEFAULT_EXPIRES),
                   help=f"how long the link and its sessions are good for (default: {format_duration(DEFAULT_EXPIRES)})")
    p.add_argument("--uses", metavar="N", type=int, default=1, help="browsers the link may be opened in (default: 1)")
    p.add_argument("--read-only", action="store_true",
                   help="the browser only watches: nothing it does is written (always so for observers)")
    p.add_argument("--base-url", metavar="URL", help="the address participants reach the server at (a proxy in front)")
    p.add_argument("--participants", metavar="FILE", type=Path,
                   help="the participants file (default: the one the running `serve --web` serves)")
    p.add_argument("--revoke", metavar="ID", help="withdraw an invitation (its id, or the link), ending its sessions")
    p.add_argument("--list", action="store_true", help="list the drill's invitations")
    p.set_defaults(func=run)


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%MZ")


async def _drill_id(db: Path, name: str) -> tuple[str, object]:
    from drilltui.remote.target import find_drill

    found = await find_drill(db, name)
    if found is None or found.drill_id is None:
        raise UserError(f"--drill {name}: no such drill in {db}")
    return found.drill_id, found.scenario


def _revoke(file: object, ident: str) -> int:
    from drilltui.visible import visible

    found = file.revoke(ident)  # type: ignore[attr-defined]
    if found is None:
        raise UserError(f"--revoke {visible(ident)}: no such invitation (`drilltui invite --list --drill DRILL` lists them)")
    say(f"invitation {found.id} for {found.participant} withdrawn; its browser sessions end within seconds")
    return 0


def _list(file: object, drill: str) -> int:
    book = file.read()  # type: ignore[attr-defined]
    now = time.time()
    mine = [i for i in book.invitations if i.drill == drill]
    for i in mine:
        state = i.refusal(drill, now) or ("used up" if i.used >= i.uses else "open")
        say(f"{i.id}  {i.participant}  {'read-only  ' if i.read_only else ''}{i.used}/{i.uses} used, "
            f"expires {_when(i.expires)}: {state.rstrip('.').replace('This invitation ', '')}")
    say(f"{len(mine)} invitation(s) to {drill}")
    return 0


async def _invite(args: argparse.Namespace) -> int:
    from drilltui.remote.invitations import InvitationFile, invitations_path
    from drilltui.remote.participants import load_participants

    db = db_path(args, create=False).absolute()
    file = InvitationFile(invitations_path(db))
    if args.revoke:
        return _revoke(file, args.revoke)
    if not args.drill:
        raise UserError("name the drill: drilltui invite PARTICIPANT --drill DRILL")
    drill, scenario = await _drill_id(db, args.drill)
    if args.list:
        return _list(file, drill)
    if not args.participant:
        raise UserError("name the participant to invite: drilltui invite PARTICIPANT --drill DRILL")
    if args.uses < 1:
        raise UserError(f"--uses {args.uses}: allow at least one use")
    try:
        lifetime = float(parse_duration(args.expires))
    except ValueError as exc:
        raise UserError(f"--expires: {exc}") from None
    if lifetime <= 0:
        raise UserError(f"--expires {args.expires}: give a duration, such as 8h")
    listener = file.read().listener(drill)
    base = (args.base_url or (listener.url if listener else "")).strip().rstrip("/")
    if not base:
        raise UserError(f"no `drilltui serve --web` is running for {drill}; start one, or give --base-url URL")
    people = args.participants or (Path(listener.participants) if listener else None)
    if people is None:
        raise UserError("--participants FILE: name the participants file (no running `serve --web` says which)")
    roster = load_participants(people, scenario)  # type: ignore[arg-type]
    who = roster.named(args.participant)
    if who is None:
        names = ", ".join(p.name for p in roster.participants if p.web) or "no one yet"
        raise UserError(f"{args.participant}: not in {people} (who may join by browser: {names})")
    if not who.web:
        raise UserError(f"{who.name}: add 'web: true' to their entry in {people} (line {who.line}) to invite them to a browser")
    role = scenario.role(who.role)  # type: ignore[attr-defined]
    read_only = args.read_only or (role is not None and role.kind == "observer")
    invitation, token = file.invite(drill, who.name, lifetime, args.uses, read_only)
    say(f"{base}/i/{token}")
    uses = "once" if args.uses == 1 else f"{args.uses} times"
    say(f"invitation {invitation.id}: {who.name} ({who.role}{', read-only' if read_only else ''}) may open it {uses}, "
        f"until {_when(invitation.expires)}; `drilltui invite --revoke {invitation.id}` withdraws it", sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_invite(args))
