"""`drilltui serve DRILL-or-SCENARIO --participants FILE`: participants join the drill over SSH."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say
from drilltui.errors import UserError
from drilltui.remote.limits import DEFAULT_IDLE, DEFAULT_MAX_SESSIONS
from drilltui.scenario import format_duration, parse_duration

DEFAULT_LISTEN = "127.0.0.1:2222"


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="let participants join a drill over SSH",
        description="Run an SSH server for a drill: each participant connects with a plain `ssh -t` client, "
        "is recognised by their public key and lands in the drill's dashboard as their role. "
        "Given a scenario instead of a drill id, a new drill of it is created. See docs/remote.md.",
    )
    p.add_argument("target", metavar="DRILL-or-SCENARIO", help="drill id (or unique prefix), scenario file, or bundled scenario id")
    p.add_argument("--participants", metavar="FILE", required=True, type=Path,
                   help="YAML list of participants: name, role and OpenSSH public keys")
    p.add_argument("--listen", metavar="HOST:PORT", default=DEFAULT_LISTEN,
                   help=f"address to listen on (default: {DEFAULT_LISTEN}, this machine only; 0.0.0.0:PORT for every address)")
    add_db(p)
    p.add_argument("--idle", metavar="DURATION", default=format_duration(DEFAULT_IDLE),
                   help=f"close a session after this long without input; 0 never (default: {format_duration(DEFAULT_IDLE)})")
    p.add_argument("--max-sessions", metavar="N", type=int, default=DEFAULT_MAX_SESSIONS,
                   help=f"sessions at once; more are turned away (default: {DEFAULT_MAX_SESSIONS})")
    p.add_argument("--host-key", metavar="FILE", type=Path,
                   help="the server's private host key (default: beside the database, made on first start)")
    p.set_defaults(func=run)


def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT or a bare PORT (on 127.0.0.1); UserError otherwise."""
    text = text.strip()
    bracketed = re.fullmatch(r"\[([^\]]+)\]:(\d+)", text)
    if text.isdigit():
        host, port = "127.0.0.1", text
    elif bracketed:
        host, port = bracketed.groups()
    elif text.count(":") == 1 and text.split(":")[1].isdigit():
        host, port = text.split(":")
        if not host:
            raise UserError(f"--listen {text}: name the address: 127.0.0.1:{port} for this machine, 0.0.0.0:{port} for every address")
    else:
        raise UserError(f"--listen {text}: write HOST:PORT, such as 127.0.0.1:2222 or [::1]:2222")
    if not 0 <= int(port) <= 65535:
        raise UserError(f"--listen {text}: port {port} is out of range (1-65535)")
    return host, int(port)


def _idle(text: str) -> float | None:
    if text.strip().lower() in ("0", "off", "never", "none"):
        return None
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise UserError(f"--idle: {exc}") from None
    return float(seconds) or None


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _say(text: str) -> None:
    say(text)


def _log(text: str) -> None:
    from datetime import datetime

    say(f"{datetime.now().strftime('%H:%M:%S')}  {text}")


async def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from drilltui.remote.hostkey import fingerprint, host_key_path, load_or_create_host_key
    from drilltui.remote.participants import load_participants
    from drilltui.remote.server import DrillServer, ServeConfig, bind
    from drilltui.remote.target import check_writable, create_drill, resolve

    host, port = parse_listen(args.listen)
    idle = _idle(args.idle)
    if args.max_sessions < 1:
        raise UserError(f"--max-sessions {args.max_sessions}: allow at least one session")
    db = db_path(args, create=True).absolute()
    target = await resolve(args.target, db, create=False)
    # Everything a person can get wrong is checked before a drill is created.
    roster = load_participants(args.participants, target.scenario)
    key_path = (args.host_key or host_key_path(db)).absolute()
    key, new_key = load_or_create_host_key(key_path)
    sock = bind(host, port)
    try:
        if target.drill_id is None:
            target = await create_drill(db, target.scenario)
        assert target.drill_id is not None
        await check_writable(db, target.drill_id)
        config = ServeConfig(target.drill_id, db, roster, key, idle=idle, max_sessions=args.max_sessions)
        server = DrillServer(config, log=_log)
        bound = await server.listen(sock)
    except BaseException:
        sock.close()
        raise

    scenario = target.scenario
    if target.created:
        _say(f"new drill {target.drill_id} of {scenario.id} ({scenario.title}) in {db}")
    else:
        _say(f"drill {target.drill_id} of {scenario.id} ({scenario.title}) in {db}")
    if target.ended:
        _say("this drill has ended: participants see it but can no longer act on it")
    people = ", ".join(f"{p.name} ({p.role})" for p in roster.participants)
    _say(f"{len(roster.participants)} participants: {people}")
    _say(f"host key {fingerprint(key)} ({'new, ' if new_key else ''}{key_path})")
    shown = f"[{host}]" if ":" in host else host
    _say(f"listening on {shown}:{bound}; participants run: ssh -t -p {bound} drill@{shown}")
    if not _is_loopback(host):
        _say(f"note: {host} is reachable from other machines; only the keys in {args.participants} get in")
    _say("ctrl+c stops the server and closes every session")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        if server.sessions:
            _log(f"stopping: closing {len(server.sessions)} session(s)")
        await server.close()
    _say(f"stopped. The drill goes on: `drilltui resume {target.drill_id}` or serve it again.")
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:  # pragma: no cover - ctrl+c before the handlers are in place
        print("stopped", file=sys.stderr)
        return 130
