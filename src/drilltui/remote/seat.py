"""One participant's session, whatever carries it (SSH or a browser): their dashboard on its PTY, the idle limit, the hang-up."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from drilltui.remote.participants import Participant
from drilltui.remote.session import PtyChild, Terminal, child_env, participant_dir

if TYPE_CHECKING:
    from drilltui.remote.server import DrillServer

MAX_EARLY_INPUT = 65536  # bytes typed before the child is there to read them


def minutes(seconds: float | None) -> str:
    seconds = seconds or 0
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


class Seat:
    """A session's life from admission to the leave, for a front end that carries its bytes.

    A front end sets `terminal`, calls `take()` once the participant asked for
    their dashboard, and passes on what they type (`typed`), window changes
    (`resize`) and their going (`gone`). It says how bytes and endings reach
    the participant by overriding `send`, `refuse` and `finish`.
    """

    via = "ssh"  # how the participant came, for the server's log
    read_only = False  # the dashboard only watches: nothing is written to the log

    def __init__(self, server: DrillServer, participant: Participant, peer: str) -> None:
        self.server = server
        self.participant = participant
        self.peer = peer
        self.terminal: Terminal | None = None
        self.child: PtyChild | None = None
        self.early_input = bytearray()
        self.closed = False  # the participant's side has gone
        self.idled = False
        self.started = time.monotonic()
        self.last_input = asyncio.get_running_loop().time()
        self._idle_timer: asyncio.TimerHandle | None = None

    # -- what a front end overrides -------------------------------------------------

    def send(self, data: bytes) -> None:
        """The dashboard's output, for the participant's screen."""
        raise NotImplementedError

    def refuse(self, message: str) -> None:
        """Say why there is no session (one line beginning `drilltui: `) and end it."""
        raise NotImplementedError

    def finish(self, code: int, note: str | None) -> None:
        """The dashboard ended with `code`; `note` says why when the participant should be told."""
        raise NotImplementedError

    # -- what a front end calls -------------------------------------------------------

    def take(self) -> bool:
        """Take a session slot and start the dashboard; False (after `refuse`) when the drill has no room."""
        refusal = self.server.admit(self)
        if refusal is not None:
            self.refuse(f"drilltui: {refusal}")
            return False
        self.server.spawn_task(self._run())
        return True

    def typed(self, data: bytes) -> None:
        self.last_input = asyncio.get_running_loop().time()
        if self.child is not None:
            self.child.write(data)
        elif len(self.early_input) < MAX_EARLY_INPUT:
            self.early_input += data[: MAX_EARLY_INPUT - len(self.early_input)]

    def resize(self, terminal: Terminal) -> None:
        self.terminal = terminal
        if self.child is not None:
            self.child.resize(terminal)

    def pause_output(self) -> None:
        if self.child is not None:
            self.child.pause_output()

    def resume_output(self) -> None:
        if self.child is not None:
            self.child.resume_output()

    def gone(self) -> None:
        """The participant's side went away: hang the dashboard up."""
        self.closed = True
        if self.child is not None and self.child.running:
            self.server.spawn_task(self.child.hang_up(self.server.config.grace))

    async def hang_up(self) -> None:
        if self.child is not None and self.child.running:
            await self.child.hang_up(self.server.config.grace)

    # -- the session ----------------------------------------------------------------------

    def _output(self, data: bytes) -> None:
        if not self.closed:
            self.send(data)

    async def _run(self) -> None:
        assert self.terminal is not None
        p, server, config = self.participant, self.server, self.server.config
        home = participant_dir(config.db, p.name)
        try:
            home.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.child = await PtyChild.spawn(config.argv(p, self.read_only), self.terminal, child_env(self.terminal, home), self._output,
                                              cwd=home, template=server.template)
        except (OSError, ValueError) as exc:
            server.release(self)
            server.log(f"could not start a session for {p.name}: {exc}")
            if not self.closed:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.refuse(f"drilltui: the session could not start ({reason}); tell the exercise director")
            return
        self.last_input = asyncio.get_running_loop().time()  # idle from the dashboard's start, not from the asking
        via = "" if self.via == "ssh" else f" by {self.via}"
        server.log(f"joined {p.name} ({p.role}) from {self.peer}{via}, pid {self.child.pid}")
        if self.early_input:
            self.child.write(bytes(self.early_input))
            self.early_input.clear()
        if self.closed or server.stopping:  # the participant left, or the server began stopping, while it started
            server.spawn_task(self.child.hang_up(config.grace))
        self._arm_idle()
        try:
            code = await self.child.wait()
        finally:
            server.release(self)
            if self._idle_timer is not None:
                self._idle_timer.cancel()
        spent = (time.monotonic() - self.started) / 60
        why = "idle" if self.idled else ("disconnected" if self.closed else f"exit {code}")
        server.log(f"left {p.name} ({p.role}) after {spent:.1f} min ({why})")
        await server.left(self)
        if not self.closed:
            self.finish(code if code >= 0 else 128 - code,
                        f"drilltui: closed after {minutes(config.idle)} without input" if self.idled else None)

    # -- idle timeout -----------------------------------------------------------------------

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
