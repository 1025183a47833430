"""The SSH server: public keys to participants, one PTY child per session, everything else refused."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from drilltui.errors import UserError
from drilltui.remote import limits
from drilltui.remote.forks import SessionTemplate
from drilltui.remote.gate import Gate, RateLog, Ticket, source_of
from drilltui.remote.participants import Participant, Roster
from drilltui.remote.seat import Seat
from drilltui.remote.session import Terminal, child_env, join_argv, participant_dir
from drilltui.visible import visible

NO_PTY = "drilltui: the drill needs a terminal; connect with `ssh -t` (sessions without a PTY are refused)"
FORWARDING = "drilltui: port forwarding is refused; this server runs only the drill"

Log = Callable[[str], None]


@dataclass(frozen=True)
class ServeConfig:
    """What the server serves and its limits."""

    drill_id: str
    db: Path
    roster: Roster
    host_key: asyncssh.SSHKey | None = field(repr=False)  # None: no SSH, browsers only
    idle: float | None = limits.DEFAULT_IDLE  # seconds without input before a session is closed; None: never
    max_sessions: int = limits.DEFAULT_MAX_SESSIONS
    per_participant: int = limits.DEFAULT_PER_PARTICIPANT
    grace: float = limits.DEFAULT_GRACE  # seconds from a hang-up to SIGKILL of the session's process group
    login_timeout: float = limits.LOGIN_TIMEOUT
    handshake_timeout: float = limits.HANDSHAKE_TIMEOUT
    max_unauthenticated: int = limits.MAX_UNAUTHENTICATED
    per_address: int = limits.PER_ADDRESS
    log_interval: float = limits.LOG_INTERVAL
    # The program each session runs; tests put a small stand-in here.
    command: Callable[[Participant], list[str]] | None = None
    # Sessions are forked from a pre-loaded template process (False: each is a new process); the template
    # parses this scenario text once for all of them.
    fork: bool = True
    scenario_text: str = ""
    # Logs participant_left for a participant whose session ended without it; True when it did.
    # None: through the engine and the drill's database, as the session would have.
    leave: Callable[[Participant], Awaitable[bool]] | None = None

    @property
    def max_connections(self) -> int:
        """Authenticated connections at once (a connection may carry no session, or several)."""
        return 2 * self.max_sessions + 16

    def argv(self, participant: Participant, read_only: bool = False) -> list[str]:
        if self.command is not None:
            return self.command(participant)
        return join_argv(self.drill_id, participant.role, participant.name, self.db, read_only)


def _clip(text: str, width: int = 60) -> str:
    """Client-supplied text made safe for one line of the operator's terminal."""
    text = visible(text)
    return text if len(text) <= width else text[: width - 3] + "..."


class ParticipantSession(Seat, asyncssh.SSHServerSession):
    """One SSH session: a PTY shell request becomes the participant's dashboard; all else is refused."""

    def __init__(self, server: DrillServer, participant: Participant, peer: str) -> None:
        Seat.__init__(self, server, participant, peer)
        self.chan: asyncssh.SSHServerChannel | None = None
        self.refusal: str | None = None
        self.asked: tuple[int, int] | None = None  # a window larger than a terminal has, to say so once

    # -- requests -------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        self.terminal = Terminal.from_request(term_type, *term_size)
        self.asked = term_size[:2]
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only to say why nothing runs: no command ever reaches a shell.
        self.refusal = f"drilltui: commands are refused (`{_clip(command)}`); this server runs only the drill: connect with `ssh -t`, no command"
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self.refusal = f"drilltui: the {_clip(subsystem, 20)} subsystem is refused; this server runs only the drill"
        return True

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        """Clients do not signal the child: leaving is ctrl+q or closing the connection."""

    # -- the session ------------------------------------------------------------

    def session_started(self) -> None:
        if self.refusal is not None:
            self.refuse(self.refusal)
        elif self.terminal is None:
            self.refuse(NO_PTY)
        elif self.take():
            self._say_if_capped()

    def refuse(self, message: str) -> None:
        self.server.log(f"refused {self.participant.name} ({self.participant.role}) from {self.peer}: {message.removeprefix('drilltui: ')}")
        assert self.chan is not None
        self.chan.write_stderr((message + "\r\n").encode())
        self.chan.exit(1)

    def finish(self, code: int, note: str | None) -> None:
        assert self.chan is not None
        if note is not None:
            self.chan.write_stderr((note + "\r\n").encode())
        self.chan.exit(code)

    def _say_if_capped(self) -> None:
        """A window larger than any real terminal is drawn at the largest one; the participant is told, once."""
        if self.asked is None or self.terminal is None or self.chan is None:
            return
        cols, rows = self.asked
        if (cols, rows) != (self.terminal.cols, self.terminal.rows) and cols > 0 and rows > 0:
            self.chan.write_stderr(f"drilltui: your window is {cols}x{rows}; the drill is drawn at "
                                   f"{self.terminal.cols}x{self.terminal.rows} at most\r\n".encode())
            self.server.log(f"{self.participant.name}'s window of {cols}x{rows} is drawn at {self.terminal.cols}x{self.terminal.rows}")
            self.asked = None

    def send(self, data: bytes) -> None:
        if self.chan is not None:
            with contextlib.suppress(BrokenPipeError):  # the client is leaving; connection_lost follows
                self.chan.write(data)

    def data_received(self, data: bytes, datatype: object) -> None:
        self.typed(data)

    def eof_received(self) -> bool:
        return True  # keep showing the drill; the session ends when the client leaves

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self.terminal is not None:
            self.resize(Terminal.from_request(self.terminal.type, width, height, pixwidth, pixheight))
            if self.asked is not None:
                self.asked = (width, height)
                self._say_if_capped()

    def pause_writing(self) -> None:
        self.pause_output()

    def resume_writing(self) -> None:
        self.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        self.gone()


class _Connection(asyncssh.SSHServer):
    """One client connection: public-key auth against the roster, within the gate's budget; forwarding refused."""

    def __init__(self, server: DrillServer, ticket: Ticket, peer: str) -> None:
        self.server = server
        self.ticket = ticket
        self.peer = peer
        self.participant: Participant | None = None
        self.authenticated = False
        self.refused: list[str] = []  # fingerprints of keys no participant holds
        self.offered: dict[bytes, tuple[Participant, str]] = {}  # participants' keys offered, in order
        self.signed_with: bytes | None = None
        self.tries = 0
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        if self.ticket.pool is None:  # evicted while asyncssh took the socket over
            conn.abort()
            return
        self.ticket.evict = conn.abort
        self.server.connections.add(conn)
        asyncio.get_running_loop().call_later(self.server.config.handshake_timeout, self._handshake_deadline)

    def _handshake_deadline(self) -> None:
        if not self.ticket.in_auth and self.ticket.pool is not None and self.conn is not None:
            self.server.refused("slow", self.peer, self.ticket.source,
                                f"no login began within {self.server.config.handshake_timeout:g} s", "no login began in time")
            self.conn.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.gate.release(self.ticket)
        if self.conn is not None:
            self.server.connections.discard(self.conn)
            self.server.forget(self)
        if not self.authenticated:
            self._log_failed_keys(self.offered)
            if self.refused and not self.offered:
                keys = ", ".join(dict.fromkeys(self.refused))
                self.server.refused("unknown-key", self.peer, self.ticket.source,
                                    f"no participant holds the key(s) offered ({keys})", "keys no participant holds")

    def _log_failed_keys(self, keys: dict[bytes, tuple[Participant, str]]) -> None:
        """A participant's key offered without a valid signature following: worth an audit line (rate-limited)."""
        for participant, fp in keys.values():
            self.server.refused("bad-signature", self.peer, self.ticket.source,
                                f"{participant.name}'s key {fp} was offered without a valid signature "
                                "(a wrong signature, or a client without the private key)",
                                "participants' keys offered without a valid signature")

    def begin_auth(self, username: str) -> bool:
        self.ticket.in_auth = True
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # Called for the offer and again with the signature; the last match before
        # success is the key that signed, so the participant is the key's owner.
        self.tries += 1
        if self.tries > limits.MAX_KEY_TRIES:
            if self.tries == limits.MAX_KEY_TRIES + 1 and self.conn is not None:
                asyncio.get_running_loop().call_soon(self.conn.abort)
            return False
        participant = self.server.config.roster.match(key)
        if participant is None:
            if len(self.refused) < limits.MAX_KEY_TRIES:
                self.refused.append(key.get_fingerprint("sha256"))
            return False
        self.participant = participant
        self.offered.setdefault(key.public_data, (participant, key.get_fingerprint("sha256")))
        self.signed_with = key.public_data
        return True

    def auth_completed(self) -> None:
        self.authenticated = True
        self.server.gate.release(self.ticket)
        self._log_failed_keys({k: v for k, v in self.offered.items() if k != self.signed_with})
        refusal = self.server.connected(self)
        if refusal is not None and self.conn is not None:
            self.server.refused("connections", self.peer, self.ticket.source, refusal, "participants' connections over the limit")
            asyncio.get_running_loop().call_soon(self.conn.disconnect, asyncssh.DISC_TOO_MANY_CONNECTIONS, f"drilltui: {refusal}")

    def session_requested(self) -> ParticipantSession | bool:
        if self.participant is None:  # pragma: no cover - asyncssh opens sessions only after auth
            return False
        return ParticipantSession(self.server, self.participant, self.peer)

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, FORWARDING)

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, FORWARDING)

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port; UserError (one line) when the address cannot be had."""
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise UserError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(512)
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


def _peer_of(address: tuple[object, ...]) -> str:
    host, port = str(address[0]), address[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class DrillServer:
    """Runs one dashboard child per session, for participants over SSH and the browser front end alike.

    SSH connections are accepted here, not by asyncssh: the gate decides before any
    SSH work is spent, so a flood costs a closed socket each. Participants' slots
    (authenticated connections and sessions) are counted apart from the gate's.
    Sessions of every front end share one template, one session count and one log.
    """

    def __init__(self, config: ServeConfig, log: Log = print) -> None:
        self.config = config
        self.log = log
        self.sessions: set[Seat] = set()
        self.template: SessionTemplate | None = None
        if config.fork and hasattr(os, "pidfd_open"):  # the template watches its children by pidfd (Linux 5.3+)
            home = participant_dir(config.db, "-").parent
            self.template = SessionTemplate(child_env(Terminal("xterm-256color"), home), config.scenario_text,
                                            f"<scenario of drill {config.drill_id}>", log)
        self.tasks: set[asyncio.Task[object]] = set()
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.participants: dict[str, set[_Connection]] = {}  # authenticated connections by participant name
        self.gate = Gate(config.max_unauthenticated, config.per_address)
        self.refusals = RateLog(log, config.log_interval)
        self.stopping = False
        self._listener: socket.socket | None = None
        self._options: asyncssh.SSHServerConnectionOptions | None = None

    # -- participants' slots ------------------------------------------------------

    def warm(self) -> None:
        """Start the session template now, so the first participant need not wait for it."""
        if self.template is not None:
            participant_dir(self.config.db, "-").parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.spawn_task(self._warm(self.template))

    async def _warm(self, template: SessionTemplate) -> None:
        try:
            await template.start()
        except OSError as exc:
            self.log(f"the session template could not start ({exc}); sessions will try again")

    def admit(self, session: Seat) -> str | None:
        """Take a session slot; or why not, in a sentence for the participant."""
        config, who = self.config, session.participant
        if self.stopping:
            return "the server is stopping; try again later"
        mine = sum(1 for s in self.sessions if s.participant.name == who.name)
        if mine >= config.per_participant:
            return f"you already have {mine} sessions in this drill, the most for one participant; close one first"
        reserved = 0 if who.controller else len(
            {p.name for p in config.roster.participants if p.controller} - {s.participant.name for s in self.sessions})
        if len(self.sessions) + reserved >= config.max_sessions:
            kept = f", {reserved} kept for the exercise control" if reserved else ""
            return f"the drill is full ({config.max_sessions} sessions{kept}); try again later"
        self.sessions.add(session)
        return None

    def release(self, session: Seat) -> None:
        self.sessions.discard(session)

    async def left(self, session: Seat) -> None:
        """A session ended: log participant_left on its behalf if it did not, and no other session holds the name."""
        who = session.participant
        if any(s.participant.name == who.name for s in self.sessions):
            return
        leave = self.config.leave or self._leave_in_store
        try:
            logged = await leave(who)
        except Exception as exc:  # noqa: BLE001 - the drill goes on; the operator is told
            self.log(f"could not log participant_left for {who.name}: {exc}")
            return
        if logged:
            self.log(f"logged participant_left for {who.name} ({who.role}): the session ended without it")

    async def _leave_in_store(self, who: Participant) -> bool:
        from drilltui.remote.leave import log_leave

        return await log_leave(self.config.db, self.config.drill_id, who.name, who.role)

    def connected(self, connection: _Connection) -> str | None:
        """An authenticated connection takes a participant's slot; or why not."""
        assert connection.participant is not None
        name = connection.participant.name
        mine = self.participants.setdefault(name, set())
        if len(mine) >= 2 * self.config.per_participant:
            return f"{name} already has {len(mine)} connections open"
        if sum(len(c) for c in self.participants.values()) >= self.config.max_connections:
            return "too many connections; try again later"
        mine.add(connection)
        return None

    def forget(self, connection: _Connection) -> None:
        if connection.participant is not None:
            mine = self.participants.get(connection.participant.name, set())
            mine.discard(connection)
            if not mine:
                self.participants.pop(connection.participant.name, None)

    def refused(self, kind: str, peer: str, source: str, why: str, what: str) -> None:
        self.refusals.note(kind, f"refused {peer}: {why}", source, what)

    # -- tasks ----------------------------------------------------------------------

    def spawn_task(self, coro: Coroutine[Any, Any, object]) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[object]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # One session's failure is logged and stays its own.
            self.log(f"session error: {task.exception()!r}")

    # -- accepting ------------------------------------------------------------------

    async def listen(self, sock: socket.socket) -> int:
        """Start accepting SSH on a socket from `bind`; the port listened on."""
        assert self.config.host_key is not None, "SSH needs a host key"
        self.warm()
        self._options = await asyncssh.SSHServerConnectionOptions.construct(
            server_host_keys=[self.config.host_key],
            encoding=None,
            x11_forwarding=False,
            agent_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            public_key_auth=True,
            password_auth=False,
            kbdint_auth=False,
            login_timeout=self.config.login_timeout,
            keepalive_interval=30,
            keepalive_count_max=3,
        )
        self._listener = sock
        self._resume_accepting()
        return int(sock.getsockname()[1])

    def _acceptable(self) -> None:
        """Accept what is waiting (a bounded batch, so the sessions' own work is never starved)."""
        assert self._listener is not None
        for _ in range(8):
            try:
                sock, address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, most likely: wait a moment for some to free
                self.refused("accept", "?", "?", f"cannot accept connections: {exc.strerror or exc}", "accept failures")
                loop = asyncio.get_running_loop()
                loop.remove_reader(self._listener.fileno())
                loop.call_later(0.1, self._resume_accepting)
                return
            self._arrived(sock, address)

    def _resume_accepting(self) -> None:
        if not self.stopping and self._listener is not None:
            asyncio.get_running_loop().add_reader(self._listener.fileno(), self._acceptable)

    def _arrived(self, sock: socket.socket, address: tuple[object, ...]) -> None:
        """A new TCP connection: it waits, costing only its socket, until the client speaks (every SSH client does at once)."""
        peer, source = _peer_of(address), source_of(str(address[0]))
        ticket, why = self.gate.arrive(source) if not self.stopping else (None, "the server is stopping")
        if ticket is None:
            self._turn_away(sock, peer, source, why)
            return
        loop = asyncio.get_running_loop()
        sock.setblocking(False)
        fd = sock.fileno()

        def drop() -> None:
            loop.remove_reader(fd)
            deadline.cancel()
            sock.close()

        def silent_too_long() -> None:
            self.gate.release(ticket)
            drop()
            self.refused("slow", peer, source, f"nothing was sent within {self.config.handshake_timeout:g} s", "silent connections")

        def probe() -> str:
            try:
                return "spoke" if sock.recv(1, socket.MSG_PEEK) else "gone"
            except (BlockingIOError, InterruptedError):
                return "silent"
            except OSError:
                return "gone"

        def readable() -> None:
            state = probe()
            if state == "silent":
                return
            self.gate.release(ticket)
            if state == "gone":  # gone before a word
                drop()
                return
            loop.remove_reader(fd)
            deadline.cancel()
            why = self.gate.spoke(ticket)
            if why is not None:
                self._turn_away(sock, peer, source, why)
                return
            ticket.evict = lambda: None  # until asyncssh has the connection
            self.spawn_task(self._handshake(sock, ticket, peer))

        def make_room() -> None:
            drop()
            self.refused("room", peer, source, "closed, silent, to make room for a newer connection", "silent connections closed to make room")

        ticket.evict, ticket.probe, ticket.drop = make_room, probe, drop
        deadline = loop.call_later(self.config.handshake_timeout, silent_too_long)
        loop.add_reader(fd, readable)

    def _turn_away(self, sock: socket.socket, peer: str, source: str, why: str) -> None:
        self.refused("busy", peer, source, why, "too many connections logging in at once")
        with contextlib.suppress(OSError):
            sock.setblocking(False)
            sock.send(f"drilltui: {why}; try again in a few seconds\r\n".encode())  # ssh -v shows it
        sock.close()

    async def _handshake(self, sock: socket.socket, ticket: Ticket, peer: str) -> None:
        made: list[_Connection] = []

        def connection() -> _Connection:
            made.append(_Connection(self, ticket, peer))
            return made[-1]

        try:
            await asyncssh.run_server(sock, options=self._options, server_factory=connection)
        except (asyncssh.Error, OSError, asyncio.TimeoutError, EOFError):
            # The connection ended before logging in; _Connection logged what is worth logging.
            if not made:
                sock.close()
        finally:
            self.gate.release(ticket)  # logged in, or gone: either way no longer the gate's

    async def close(self) -> None:
        """Stop accepting, hang up every session (their children log participant_left), wait for them."""
        self.stopping = True
        if self._listener is not None and self._listener.fileno() >= 0:
            asyncio.get_running_loop().remove_reader(self._listener.fileno())
            self._listener.close()
        self.gate.clear()
        await asyncio.gather(*(s.hang_up() for s in list(self.sessions)), return_exceptions=True)
        for conn in list(self.connections):
            conn.close()
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        if self.template is not None:
            await self.template.close()
        self.refusals.flush()
