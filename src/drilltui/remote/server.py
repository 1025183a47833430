"""The SSH server: public keys to participants, one PTY child per session, everything else refused."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from drilltui.errors import UserError
from drilltui.visible import visible
from drilltui.remote.limits import DEFAULT_GRACE, DEFAULT_IDLE, DEFAULT_MAX_SESSIONS
from drilltui.remote.participants import Participant, Roster
from drilltui.remote.session import PtyChild, Terminal, child_env, join_argv, participant_dir

NO_PTY = "drilltui: the drill needs a terminal; connect with `ssh -t` (sessions without a PTY are refused)"
FORWARDING = "drilltui: port forwarding is refused; this server runs only the drill"

Log = Callable[[str], None]


@dataclass(frozen=True)
class ServeConfig:
    """What the server serves and its limits."""

    drill_id: str
    db: Path
    roster: Roster
    host_key: asyncssh.SSHKey = field(repr=False)
    idle: float | None = DEFAULT_IDLE  # seconds without input before a session is closed; None: never
    max_sessions: int = DEFAULT_MAX_SESSIONS
    grace: float = DEFAULT_GRACE  # seconds between the polite quit, SIGHUP/SIGTERM and SIGKILL
    login_timeout: float = 30.0
    # The program each session runs; tests put a small stand-in here.
    command: Callable[[Participant], list[str]] | None = None

    def argv(self, participant: Participant) -> list[str]:
        if self.command is not None:
            return self.command(participant)
        return join_argv(self.drill_id, participant.role, participant.name, self.db)


def _clip(text: str, width: int = 60) -> str:
    """Client-supplied text made safe for one line of the operator's terminal."""
    text = visible(text)
    return text if len(text) <= width else text[: width - 3] + "..."


def _peer(conn: asyncssh.SSHServerConnection) -> str:
    peer = conn.get_extra_info("peername") or ("?", 0)
    host, port = peer[0], peer[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


class ParticipantSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One SSH session: a PTY shell request becomes the participant's dashboard; all else is refused."""

    def __init__(self, server: DrillServer, participant: Participant, peer: str) -> None:
        self.server = server
        self.participant = participant
        self.peer = peer
        self.chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self.terminal: Terminal | None = None
        self.refusal: str | None = None
        self.child: PtyChild | None = None
        self.early_input = bytearray()
        self.closed = False
        self.idled = False
        self.started = time.monotonic()
        self.last_input = asyncio.get_running_loop().time()
        self._idle_timer: asyncio.TimerHandle | None = None

    # -- requests -------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        self.terminal = Terminal.from_request(term_type, *term_size)
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
        elif not self.server.admit(self):
            full = f"the drill is full ({self.server.config.max_sessions} sessions)"
            self.refuse(f"drilltui: {'the server is stopping' if self.server.stopping else full}; try again later")
        else:
            self.server.spawn_task(self._run())

    def refuse(self, message: str) -> None:
        self.server.log(f"refused {self.participant.name} ({self.participant.role}) from {self.peer}: {message.removeprefix('drilltui: ')}")
        assert self.chan is not None
        self.chan.write_stderr((message + "\r\n").encode())
        self.chan.exit(1)

    async def _run(self) -> None:
        assert self.terminal is not None and self.chan is not None
        p, config = self.participant, self.server.config
        home = participant_dir(config.db, p.name)
        try:
            home.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.child = await PtyChild.spawn(config.argv(p), self.terminal, child_env(self.terminal, home), self._output, cwd=home)
        except (OSError, ValueError) as exc:
            self.server.release(self)
            self.server.log(f"could not start a session for {p.name}: {exc}")
            if not self.closed:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.refuse(f"drilltui: the session could not start ({reason}); tell the exercise director")
            return
        self.server.log(f"joined {p.name} ({p.role}) from {self.peer}, pid {self.child.pid}")
        if self.early_input:
            self.child.write(bytes(self.early_input))
            self.early_input.clear()
        if self.closed or self.server.stopping:  # the client left, or the server began stopping, while it started
            self.server.spawn_task(self.child.hang_up(config.grace))
        self._arm_idle()
        try:
            code = await self.child.wait()
        finally:
            self.server.release(self)
            if self._idle_timer is not None:
                self._idle_timer.cancel()
        minutes = (time.monotonic() - self.started) / 60
        why = "idle" if self.idled else ("disconnected" if self.closed else f"exit {code}")
        self.server.log(f"left {p.name} ({p.role}) after {minutes:.1f} min ({why})")
        if not self.closed:
            if self.idled:
                self.chan.write_stderr(f"drilltui: closed after {_minutes(config.idle)} without input\r\n".encode())
            self.chan.exit(code if code >= 0 else 128 - code)

    def _output(self, data: bytes) -> None:
        if not self.closed and self.chan is not None:
            with contextlib.suppress(BrokenPipeError):  # the client is leaving; connection_lost follows
                self.chan.write(data)

    def data_received(self, data: bytes, datatype: object) -> None:
        self.last_input = asyncio.get_running_loop().time()
        if self.child is not None:
            self.child.write(data)
        elif len(self.early_input) < 65536:
            self.early_input += data

    def eof_received(self) -> bool:
        return True  # keep showing the drill; the session ends when the client leaves

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self.terminal is not None:
            self.terminal = Terminal.from_request(self.terminal.type, width, height, pixwidth, pixheight)
            if self.child is not None:
                self.child.resize(self.terminal)

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_output()

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.child is not None and self.child.running:
            self.server.spawn_task(self.child.hang_up(self.server.config.grace))

    # -- idle timeout -------------------------------------------------------------

    def _arm_idle(self) -> None:
        idle = self.server.config.idle
        if idle is None or self.closed:
            return
        self._idle_timer = asyncio.get_running_loop().call_at(self.last_input + idle, self._check_idle)

    def _check_idle(self) -> None:
        idle = self.server.config.idle
        assert idle is not None
        if asyncio.get_running_loop().time() - self.last_input < idle:
            self._arm_idle()
        elif self.child is not None and self.child.running:
            self.idled = True
            self.server.spawn_task(self.child.hang_up(self.server.config.grace))

    async def hang_up(self) -> None:
        if self.child is not None and self.child.running:
            await self.child.hang_up(self.server.config.grace)


def _minutes(seconds: float | None) -> str:
    seconds = seconds or 0
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


class _Connection(asyncssh.SSHServer):
    """One client connection: public-key auth against the roster; forwarding refused."""

    def __init__(self, server: DrillServer) -> None:
        self.server = server
        self.participant: Participant | None = None
        self.refused: list[str] = []
        self.peer = "?"
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.peer = _peer(conn)
        if len(self.server.connections) >= self.server.max_connections:
            # Unauthenticated connections each hold a login slot for up to login_timeout.
            self.server.log(f"refused {self.peer}: too many connections ({len(self.server.connections)})")
            conn.abort()
            return
        self.server.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.server.connections.discard(self.conn)
        if self.participant is None and self.refused:
            keys = ", ".join(dict.fromkeys(self.refused))
            self.server.log(f"refused {self.peer}: no participant holds the key(s) offered ({keys})")

    def begin_auth(self, username: str) -> bool:
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
        participant = self.server.config.roster.match(key)
        if participant is None:
            self.refused.append(key.get_fingerprint("sha256"))
            return False
        self.participant = participant
        return True

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
        sock.listen(100)
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


class DrillServer:
    """Accepts participants over SSH and runs one dashboard child per session."""

    def __init__(self, config: ServeConfig, log: Log = print) -> None:
        self.config = config
        self.log = log
        self.sessions: set[ParticipantSession] = set()
        self.tasks: set[asyncio.Task[object]] = set()
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.max_connections = 2 * config.max_sessions + 16
        self.stopping = False
        self.acceptor: asyncssh.SSHAcceptor | None = None

    def admit(self, session: ParticipantSession) -> bool:
        if self.stopping or len(self.sessions) >= self.config.max_sessions:
            return False
        self.sessions.add(session)
        return True

    def release(self, session: ParticipantSession) -> None:
        self.sessions.discard(session)

    def spawn_task(self, coro: object) -> None:
        task = asyncio.ensure_future(coro)  # type: ignore[arg-type]
        self.tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[object]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # One session's failure is logged and stays its own.
            self.log(f"session error: {task.exception()!r}")

    async def listen(self, sock: socket.socket) -> int:
        """Start accepting on a socket from `bind`; the port listened on."""
        self.acceptor = await asyncssh.listen(
            sock=sock,
            server_factory=lambda: _Connection(self),
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
        return int(sock.getsockname()[1])

    async def close(self) -> None:
        """Stop accepting, hang up every session (their children log participant_left), wait for them."""
        self.stopping = True
        if self.acceptor is not None:
            self.acceptor.close()
        await asyncio.gather(*(s.hang_up() for s in list(self.sessions)), return_exceptions=True)
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        for conn in list(self.connections):
            conn.close()
        if self.acceptor is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.acceptor.wait_closed(), 5)
