"""The browser front end: an invitation link becomes a session cookie, and the page's WebSocket a dashboard on its PTY.

Three routes and no more: `GET /i/TOKEN` spends one use of an invitation and
answers with a session cookie (HttpOnly, SameSite=Strict) and a redirect to
`/`, so the token is in no URL after its first use; `GET /` is the page, for a
browser with a good cookie, and otherwise a plain page saying why not;
`GET /ws` carries the session: the browser's keys and window size in, the
dashboard's terminal output out (the protocol of textual-serve's page). The
session is a Seat of the DrillServer, so SSH and browsers share one count of
sessions, the same limits and one log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from drilltui.remote.gate import source_of
from drilltui.remote.invitations import Invitation, InvitationFile, Listener
from drilltui.remote.participants import Participant
from drilltui.remote.seat import Seat
from drilltui.remote.server import DrillServer
from drilltui.remote.session import Terminal
from drilltui.remote.web.addresses import Network, RefusalBudget, client_address
from drilltui.remote.web.page import CSP, refusal_page, terminal_page
from drilltui.scenario import Scenario

TERM = "xterm-256color"  # what xterm.js is
HIGH_WATER = 1 << 20  # bytes of output waiting for a slow browser before the dashboard is paused
MAX_MESSAGE = 1 << 16  # bytes in one message from the browser
CHECK_EVERY = 2.0  # seconds between looks at the invitations file, to end sessions of withdrawn or expired ones
SECURITY_HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store"}


@dataclass(frozen=True)
class WebConfig:
    """What the browser front end needs beyond the server's config."""

    scenario: Scenario
    invitations: InvitationFile
    participants_file: str
    trusted: tuple[Network, ...] = ()  # reverse proxies whose X-Forwarded-For is believed
    base_url: str | None = None  # where participants reach the server, when a proxy stands in front


class WebSeat(Seat):
    """A browser's session: its bytes go over the page's WebSocket."""

    via = "browser"

    def __init__(self, server: DrillServer, participant: Participant, peer: str, ws: web.WebSocketResponse,
                 invitation: Invitation, read_only: bool) -> None:
        super().__init__(server, participant, peer)
        self.ws = ws
        self.invitation = invitation
        self.read_only = read_only
        self.asked: tuple[int, int] | None = None
        self.ended = asyncio.get_running_loop().create_future()
        self._outbox = bytearray()
        self._flushing = False
        self._drained = asyncio.Event()
        self._drained.set()
        self._paused = False

    def send(self, data: bytes) -> None:
        self._outbox += data
        if len(self._outbox) > HIGH_WATER and not self._paused:
            self._paused = True
            self.pause_output()
        if not self._flushing:
            self._flushing = True
            self._drained.clear()
            self.server.spawn_task(self._flush())

    async def _flush(self) -> None:
        try:
            while self._outbox and not self.ws.closed:
                chunk = bytes(self._outbox)
                self._outbox.clear()
                await self.ws.send_bytes(chunk)
                if self._paused and len(self._outbox) < HIGH_WATER // 4:
                    self._paused = False
                    self.resume_output()
        except (ConnectionError, RuntimeError):
            pass  # the browser went; the receiving side notices and hangs up
        finally:
            self._flushing = False
            self._drained.set()

    def notice(self, text: str) -> None:
        if not self.ws.closed:
            self.server.spawn_task(self._say(text))

    async def _say(self, text: str) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.send_str(json.dumps(["notice", text]))

    def refuse(self, message: str) -> None:
        self.server.log(f"refused {self.participant.name} ({self.participant.role}) from {self.peer} by browser: "
                        f"{message.removeprefix('drilltui: ')}")
        self.server.spawn_task(self._close(message.removeprefix("drilltui: ")))

    def finish(self, code: int, note: str | None) -> None:
        self.server.spawn_task(self._close((note or "").removeprefix("drilltui: ") or "The session has ended."))

    async def _close(self, reason: str) -> None:
        await self._drained.wait()  # the last frames first
        if not self.ws.closed:
            await self._say(reason)
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.close(code=1000, message=reason.encode()[:120])
        if not self.ended.done():
            self.ended.set_result(None)

    def asked_for(self, cols: int, rows: int) -> None:
        """A window size from the browser: drawn at a real terminal's size at most, and the participant told once."""
        terminal = Terminal.from_request(TERM, cols, rows)
        if (cols, rows) != (terminal.cols, terminal.rows) and cols > 0 and rows > 0 and self.asked != (cols, rows):
            self.asked = (cols, rows)
            self.notice(f"Your window is {cols}x{rows}; the drill is drawn at {terminal.cols}x{terminal.rows} at most.")
            self.server.log(f"{self.participant.name}'s window of {cols}x{rows} is drawn at {terminal.cols}x{terminal.rows}")
        if self.terminal is None:
            self.terminal = terminal
        elif terminal != self.terminal:
            self.resize(terminal)


class WebFront:
    """The aiohttp application, its site, and the sessions it carries."""

    def __init__(self, server: DrillServer, config: WebConfig) -> None:
        self.server = server
        self.config = config
        self.budget = RefusalBudget()
        self.seats: set[WebSeat] = set()
        self.cookie_name = f"drilltui-{server.config.drill_id.encode().hex()[:16]}"
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._checker: asyncio.TimerHandle | None = None

    # -- who is asking ------------------------------------------------------------------

    def _who(self, request: web.Request) -> tuple[str, str]:
        """(peer as logged, source as counted) of a request, honouring a trusted proxy's X-Forwarded-For."""
        peer = request.transport.get_extra_info("peername") if request.transport else None
        host, port = (str(peer[0]), peer[1]) if peer else ("?", 0)
        client = client_address(host, request.headers.getall("X-Forwarded-For", []), self.config.trusted)
        shown = f"[{client}]" if ":" in client else client
        return (f"{shown}:{port}" if client == host else f"{shown} (via {host})"), source_of(client)

    def _refuse(self, request: web.Request, why: str, kind: str, what: str, status: int = 403) -> web.Response:
        peer, source = self._who(request)
        self.budget.note(source)
        self.server.refused(kind, peer, source, f"{why.rstrip('.')} (browser, {request.path[:3]}...)", what)
        return self._page(refusal_page(why), status)

    def _page(self, text: str, status: int = 200, nonce: str | None = None) -> web.Response:
        response = web.Response(text=text, status=status, content_type="text/html", charset="utf-8")
        response.headers.update(SECURITY_HEADERS)
        response.headers["Content-Security-Policy"] = CSP.format(nonce=nonce or secrets.token_urlsafe(8))
        return response

    def _over_budget(self, request: web.Request) -> web.Response | None:
        _, source = self._who(request)
        if self.budget.spent(source):
            return self._page(refusal_page("Too many refused requests from your address; wait a minute."), 429)
        return None

    async def _invitation(self, request: web.Request) -> tuple[Invitation | None, str]:
        cookie = request.cookies.get(self.cookie_name, "")
        return await asyncio.to_thread(self.config.invitations.session, cookie, self.server.config.drill_id)

    def _participant(self, invitation: Invitation) -> Participant | None:
        found = self.server.config.roster.named(invitation.participant)
        return found if found is not None and found.web else None

    def _read_only(self, invitation: Invitation, participant: Participant) -> bool:
        role = self.config.scenario.role(participant.role)
        return invitation.read_only or (role is not None and role.kind == "observer")

    # -- the routes ----------------------------------------------------------------------

    async def exchange(self, request: web.Request) -> web.StreamResponse:
        if (busy := self._over_budget(request)) is not None:
            return busy
        token, drill = request.match_info["token"], self.server.config.drill_id
        book = await asyncio.to_thread(self.config.invitations.read)
        found = book.find(token) if token else None
        if found is not None and found.id != token and found.refusal(drill, 0) is None and self._participant(found) is None:
            return self._refuse(request, "This invitation names no one this drill admits from a browser.", "invitation",
                                "invitation links refused")
        invitation, cookie = await asyncio.to_thread(self.config.invitations.exchange, token, drill)
        if invitation is None:
            return self._refuse(request, cookie, "invitation", "invitation links refused")
        peer, _ = self._who(request)
        self.server.log(f"invitation {invitation.id} for {invitation.participant} opened from {peer} "
                        f"({invitation.used} of {invitation.uses} uses)")
        response = web.Response(status=303, headers={"Location": "/", **SECURITY_HEADERS})
        response.set_cookie(self.cookie_name, cookie, path="/", httponly=True, samesite="Strict",
                            secure=self._secure(request), max_age=max(1, int(invitation.expires - invitation.created)))
        return response

    def _secure(self, request: web.Request) -> bool:
        if self.config.base_url is not None:
            return self.config.base_url.startswith("https:")
        return request.secure

    async def index(self, request: web.Request) -> web.StreamResponse:
        if (busy := self._over_budget(request)) is not None:
            return busy
        invitation, why = await self._invitation(request)
        participant = self._participant(invitation) if invitation is not None else None
        if invitation is None or participant is None:
            return self._refuse(request, why or "This invitation names no one this drill admits from a browser.",
                                "no-invitation", "pages asked for without a good invitation")
        scenario = self.config.scenario
        role = scenario.role(participant.role)
        watching = " (watching)" if self._read_only(invitation, participant) else ""
        title = f"{scenario.title} · {role.title if role else participant.role}{watching} · drilltui"
        nonce = secrets.token_urlsafe(16)
        return self._page(terminal_page(title, nonce), nonce=nonce)

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return False
        seen = urlsplit(origin)
        if self.config.base_url is not None:
            base = urlsplit(self.config.base_url)
            return (seen.scheme, seen.netloc) == (base.scheme, base.netloc)
        return seen.netloc == request.host

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if (busy := self._over_budget(request)) is not None:
            return busy
        if not self._same_origin(request):
            return self._refuse(request, "This page may only be opened from the drill's own address.", "origin",
                                "sessions asked for from another site")
        invitation, why = await self._invitation(request)
        participant = self._participant(invitation) if invitation is not None else None
        if invitation is None or participant is None:
            return self._refuse(request, why or "This invitation names no one this drill admits from a browser.",
                                "no-invitation", "pages asked for without a good invitation")
        ws = web.WebSocketResponse(heartbeat=30, max_msg_size=MAX_MESSAGE)
        await ws.prepare(request)
        peer, _ = self._who(request)
        seat = WebSeat(self.server, participant, peer, ws, invitation, self._read_only(invitation, participant))
        seat.asked_for(_number(request.query.get("width"), 80), _number(request.query.get("height"), 24))
        if not seat.take():
            await seat.ended
            return ws
        self.seats.add(seat)
        try:
            await self._carry(ws, seat)
        finally:
            self.seats.discard(seat)
            seat.gone()
        return ws

    async def _carry(self, ws: web.WebSocketResponse, seat: WebSeat) -> None:
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, body = json.loads(message.data)[:2]
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(body, str):
                seat.typed(body.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(body, dict):
                seat.asked_for(_number(body.get("width"), 80), _number(body.get("height"), 24))
            elif kind == "ping":
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_str(json.dumps(["pong", str(body)[:64]]))

    # -- withdrawn and expired invitations ------------------------------------------------

    def _check(self) -> None:
        self._checker = asyncio.get_running_loop().call_later(CHECK_EVERY, self._check)
        if self.seats:
            self.server.spawn_task(self._end_withdrawn())

    async def _end_withdrawn(self) -> None:
        file, drill = self.config.invitations, self.server.config.drill_id
        book = await asyncio.to_thread(file.read)
        now = time.time()
        for seat in list(self.seats):
            current = next((i for i in book.invitations if i.id == seat.invitation.id), None)
            why = "This invitation was withdrawn." if current is None else current.refusal(drill, now)
            if why is not None and seat.child is not None and seat.child.running and not seat.closed:
                self.server.log(f"ending {seat.participant.name}'s browser session: {why.lower().rstrip('.')}")
                seat.notice(why)
                await seat.hang_up()

    # -- running -------------------------------------------------------------------------

    async def start(self, sock: socket.socket) -> str:
        """Serve on a socket from `bind`; the URL participants are invited to."""
        app = web.Application(client_max_size=MAX_MESSAGE)
        app.router.add_get("/", self.index)
        app.router.add_get("/ws", self.websocket)
        app.router.add_get("/i/{token}", self.exchange)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.SockSite(self._runner, sock)
        await site.start()
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        self.url = (self.config.base_url or f"http://{shown}:{port}").rstrip("/")
        self.server.warm()
        await asyncio.to_thread(self.config.invitations.announce,
                                Listener(self.server.config.drill_id, self.url, os.getpid(), self.config.participants_file))
        self._checker = asyncio.get_running_loop().call_later(CHECK_EVERY, self._check)
        return self.url

    async def close(self) -> None:
        """Stop serving (the DrillServer hangs the sessions up) and withdraw the listener's record."""
        if self._checker is not None:
            self._checker.cancel()
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self.config.invitations.withdraw, self.server.config.drill_id, os.getpid())
        if self._runner is not None:
            await self._runner.cleanup()


def _number(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default
