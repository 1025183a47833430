"""`drilltui serve DRILL-or-SCENARIO --participants FILE`: participants join the drill over SSH, and from browsers with `--web`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path, default_db
from drilltui.commands.output import say
from drilltui.errors import UserError
from drilltui.remote.limits import DEFAULT_IDLE, DEFAULT_MAX_SESSIONS
from drilltui.scenario import format_duration, parse_duration

if TYPE_CHECKING:
    import socket

    from drilltui.remote.server import DrillServer
    from drilltui.remote.web.addresses import Network
    from drilltui.remote.web.server import WebFront
    from drilltui.scenario import Scenario

DEFAULT_LISTEN = "127.0.0.1:2222"
OFF = ("off", "none", "no")


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
                   help=f"address to listen on for SSH (default: {DEFAULT_LISTEN}, this machine only; 0.0.0.0:PORT for every "
                   "address; off: no SSH, browsers only)")
    p.add_argument("--web", metavar="HOST:PORT",
                   help="also serve browsers, invited with `drilltui invite`, on this address (a bare PORT is on 127.0.0.1; "
                   "pip install 'drilltui[web]')")
    p.add_argument("--base-url", metavar="URL",
                   help="the address browsers reach --web at, when a reverse proxy stands in front (such as https://drill.example.org)")
    p.add_argument("--trust-proxy", metavar="ADDRESS[,ADDRESS]",
                   help="reverse proxies whose X-Forwarded-For names the browser's address, for the log and limits")
    add_db(p)
    p.add_argument("--idle", metavar="DURATION", default=format_duration(DEFAULT_IDLE),
                   help=f"close a session after this long without input; 0 never (default: {format_duration(DEFAULT_IDLE)})")
    p.add_argument("--max-sessions", metavar="N", type=int, default=DEFAULT_MAX_SESSIONS,
                   help=f"sessions at once; more are turned away (default: {DEFAULT_MAX_SESSIONS})")
    p.add_argument("--host-key", metavar="FILE", type=Path,
                   help="the server's private host key (default: beside the database, made on first start)")
    p.set_defaults(func=run)


def parse_listen(text: str, option: str = "--listen") -> tuple[str, int]:
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
            raise UserError(f"{option} {text}: name the address: 127.0.0.1:{port} for this machine, 0.0.0.0:{port} for every address")
    else:
        raise UserError(f"{option} {text}: write HOST:PORT, such as 127.0.0.1:2222 or [::1]:2222")
    if not 0 <= int(port) <= 65535:
        raise UserError(f"{option} {text}: port {port} is out of range (1-65535)")
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

    ssh = args.listen.strip().lower() not in OFF
    host, port = parse_listen(args.listen) if ssh else ("", 0)
    web = _web_options(args)
    if not ssh and web is None:
        raise UserError("--listen off: with no SSH, serve browsers with --web HOST:PORT")
    idle = _idle(args.idle)
    if args.max_sessions < 1:
        raise UserError(f"--max-sessions {args.max_sessions}: allow at least one session")
    db = db_path(args, create=True).absolute()
    target = await resolve(args.target, db, create=False)
    # Everything a person can get wrong is checked before a drill is created.
    roster = load_participants(args.participants, target.scenario)
    key = None
    if ssh:
        key_path = (args.host_key or host_key_path(db)).absolute()
        key, new_key = load_or_create_host_key(key_path)
    socks = []
    front: WebFront | None = None
    try:
        if ssh:
            socks.append(bind(host, port))
        if web is not None:
            socks.append(bind(web[0], web[1]))
        if target.drill_id is None:
            target = await create_drill(db, target.scenario)
        assert target.drill_id is not None
        await check_writable(db, target.drill_id)
        config = ServeConfig(target.drill_id, db, roster, key, idle=idle, max_sessions=args.max_sessions,
                             scenario_text=target.scenario.source_text)
        server = DrillServer(config, log=_log)
        bound = await server.listen(socks[0]) if ssh else 0
        if web is not None:
            front, url = await _start_web(server, target.scenario, args, socks[-1], web[2])
    except BaseException:
        for sock in socks:
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
    if key is not None:
        _say(f"host key {fingerprint(key)} ({'new, ' if new_key else ''}{key_path})")
        shown = f"[{host}]" if ":" in host else host
        _say(f"listening on {shown}:{bound}; participants run: ssh -t -p {bound} drill@{shown}")
        if not _is_loopback(host):
            _say(f"note: {host} is reachable from other machines; only the keys in {args.participants} get in")
    if front is not None and web is not None:
        invited = [p.name for p in roster.participants if p.web]
        where = "" if db == default_db() else f" --db {db}"
        _say(f"browsers on {url}; invite a participant with: drilltui invite NAME --drill {target.drill_id}{where}")
        _say(f"{len(invited)} may join by browser: {', '.join(invited)}" if invited
             else f"no one in {args.participants} has 'web: true' yet, so no one can be invited")
        if not _is_loopback(web[0]):
            _say(f"note: {web[0]} is reachable from other machines over plain HTTP; put a TLS proxy in front (docs/remote.md)")
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
        if front is not None:
            await front.close()
    _say(f"stopped. The drill goes on: `drilltui resume {target.drill_id}` or serve it again.")
    return 0


def _web_options(args: argparse.Namespace) -> tuple[str, int, tuple[Network, ...]] | None:
    """--web's address and the proxies to trust, checked before anything starts; None without --web."""
    if args.web is None:
        if args.base_url or args.trust_proxy:
            raise UserError("--base-url and --trust-proxy are for browsers: add --web HOST:PORT")
        return None
    from drilltui.remote.web.addresses import parse_proxies

    host, port = parse_listen(args.web, "--web")
    if args.base_url is not None and not re.fullmatch(r"https?://[^/\s]+/?", args.base_url.strip()):
        raise UserError(f"--base-url {args.base_url}: write the address browsers use, such as https://drill.example.org")
    try:
        trusted = parse_proxies(args.trust_proxy) if args.trust_proxy else ()
    except ValueError as exc:
        raise UserError(f"--trust-proxy: {exc}") from None
    return host, port, trusted


async def _start_web(server: DrillServer, scenario: Scenario, args: argparse.Namespace, sock: socket.socket,
                     trusted: tuple[Network, ...]) -> tuple[WebFront, str]:
    try:
        from drilltui.remote.web.server import WebConfig, WebFront
    except ImportError as exc:
        raise UserError(f"--web needs the web extra ({exc.name} is missing): pip install 'drilltui[web]'") from None
    from drilltui.remote.invitations import InvitationFile, invitations_path

    config = WebConfig(scenario, InvitationFile(invitations_path(server.config.db)),
                       str(args.participants.absolute()), trusted, args.base_url.strip().rstrip("/") if args.base_url else None)
    front = WebFront(server, config)
    return front, await front.start(sock)


def run(args: argparse.Namespace) -> int:
    import asyncio

    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:  # pragma: no cover - ctrl+c before the handlers are in place
        print("stopped", file=sys.stderr)
        return 130
