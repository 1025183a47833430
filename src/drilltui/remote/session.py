"""One participant's program on its own pseudo-terminal: spawn, pump bytes, resize, hang up."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import hashlib
import os
import re
import signal
import struct
import sys
import termios
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from drilltui.remote.limits import MAX_COLS, MAX_PIXELS, MAX_ROWS

if TYPE_CHECKING:
    from drilltui.remote.forks import SessionTemplate

# The dashboard's quit key (Textual's priority ctrl+q): typing it is how a
# participant leaves, so the app unmounts and logs participant_left itself.
QUIT_KEY = b"\x11"
READ_SIZE = 65536
MAX_PENDING_INPUT = 1 << 20  # bytes typed that the child has not read yet
ENV_KEPT = ("PATH", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV")


@dataclass(frozen=True)
class Terminal:
    """The client's terminal as its pty-req said: type and size (columns, rows, pixels)."""

    type: str
    cols: int = 80
    rows: int = 24
    px_width: int = 0
    px_height: int = 0

    @classmethod
    def from_request(cls, term_type: str, cols: int, rows: int, px_width: int = 0, px_height: int = 0) -> Terminal:
        """What a client asked for, made safe: a plain TERM name, a usable size."""
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}", term_type or ""):
            term_type = "xterm-256color"
        return cls(term_type, _clamp(cols, 80, MAX_COLS), _clamp(rows, 24, MAX_ROWS),
                   _clamp(px_width, 0, MAX_PIXELS), _clamp(px_height, 0, MAX_PIXELS))


def _clamp(n: int, default: int, most: int) -> int:
    return min(n, most) if n > 0 else default


def join_argv(drill_id: str, role: str, name: str, db: Path, read_only: bool = False) -> list[str]:
    """The child each session runs: the ordinary dashboard, as this participant (watching only, with `read_only`)."""
    return [sys.executable, "-m", "drilltui", "join", drill_id, "--as", role, "--name", name, "--db", str(db),
            *(["--read-only"] if read_only else [])]


def participant_dir(db: Path, name: str) -> Path:
    """A participant's own folder beside the database: their HOME, so settings (theme, bell) persist across sessions."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "participant"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return db.with_name(f"{db.name}.participants") / f"{slug}-{digest}"


def child_env(terminal: Terminal, home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment: the server's basics, the client's TERM, and nothing the client sent.

    HOME is the participant's own folder, so whatever the dashboard writes
    (settings, a screenshot) lands there, never in the home of whoever runs the server.
    """
    source = os.environ if base is None else base
    env = {k: source[k] for k in ENV_KEPT if k in source}
    env["TERM"] = terminal.type or "xterm-256color"
    env["HOME"] = str(home)
    if not any(k in env for k in ("LANG", "LC_ALL", "LC_CTYPE")):
        env["LANG"] = "C.UTF-8"
    return env


def set_window_size(fd: int, cols: int, rows: int, px_width: int = 0, px_height: int = 0) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", max(rows, 1), max(cols, 1), px_width, px_height))


def _take_terminal() -> None:  # pragma: no cover - runs in the forked child
    # After setsid (start_new_session), make the pty the controlling terminal,
    # so the kernel sends SIGWINCH on resize and SIGHUP if the server dies.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Process(Protocol):
    """What a session needs of its process, however it was started: a subprocess, or a fork of the template."""

    pid: int

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...


class PtyChild:
    """A child process on a pseudo-terminal whose output goes to `on_output`."""

    def __init__(self, process: Process, master: int, on_output: Callable[[bytes], None]) -> None:
        self.process = process
        self.master = master
        self.on_output = on_output
        self._loop = asyncio.get_running_loop()
        self._eof = asyncio.Event()
        self._pending = bytearray()
        self._reading = False
        self._closed = False
        self._resume_reading()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    @classmethod
    async def spawn(
        cls, argv: list[str], terminal: Terminal, env: Mapping[str, str], on_output: Callable[[bytes], None], cwd: Path | None = None,
        template: SessionTemplate | None = None,
    ) -> PtyChild:
        """Start `argv` on a new pty of the terminal's size, forked by `template` if given; OSError if it cannot start."""
        master, slave = os.openpty()
        try:
            set_window_size(slave, terminal.cols, terminal.rows, terminal.px_width, terminal.px_height)
            os.set_blocking(master, False)
            process: Process
            if template is not None:
                process = await template.spawn(argv, env, cwd, slave)
            else:
                process = await asyncio.create_subprocess_exec(
                    *argv, stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd,
                    start_new_session=True, preexec_fn=_take_terminal,
                )
        except BaseException:
            os.close(master)
            raise
        finally:
            # Only the child holds the slave: its exit then ends our reads with EIO.
            os.close(slave)
        return cls(process, master, on_output)

    # -- output -------------------------------------------------------------

    def _resume_reading(self) -> None:
        if not self._reading and not self._eof.is_set() and not self._closed:
            self._loop.add_reader(self.master, self._read)
            self._reading = True

    def pause_output(self) -> None:
        """Stop reading the child's output (the client is slow); the pty then blocks the child."""
        if self._reading:
            self._loop.remove_reader(self.master)
            self._reading = False

    def resume_output(self) -> None:
        self._resume_reading()

    def _read(self) -> None:
        try:
            data = os.read(self.master, READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # EIO: the last holder of the slave side is gone
            if exc.errno not in (errno.EIO, errno.EBADF):
                raise
            data = b""
        if not data:
            self.pause_output()
            self._eof.set()
            return
        self.on_output(data)

    # -- input --------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Send keystrokes to the child; kept in order, never blocking the loop."""
        if self._closed or not data:
            return
        if self._pending:
            self._pending += data[: MAX_PENDING_INPUT - len(self._pending)]
            return
        try:
            written = os.write(self.master, data)
        except (BlockingIOError, InterruptedError):
            written = 0
        except OSError:
            return  # the child is gone; its exit is reported elsewhere
        if written < len(data):
            self._pending += data[written:MAX_PENDING_INPUT]
            self._loop.add_writer(self.master, self._flush)

    def _flush(self) -> None:
        try:
            written = os.write(self.master, self._pending)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            written = len(self._pending)
        del self._pending[:written]
        if not self._pending:
            self._loop.remove_writer(self.master)

    def resize(self, terminal: Terminal) -> None:
        """Pass a window change on: the kernel signals SIGWINCH to the child's foreground group."""
        if self._closed:
            return
        with contextlib.suppress(OSError):
            set_window_size(self.master, terminal.cols, terminal.rows, terminal.px_width, terminal.px_height)

    # -- ending -------------------------------------------------------------

    def signal(self, sig: int) -> None:
        """Send `sig` to the child's whole process group (it leads its own session)."""
        if self.running:
            self._signal_group(sig)

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    async def wait(self) -> int:
        """The exit status, once the child has exited and its last output was read."""
        code = await self.process.wait()
        # Output written just before exit is still in the pty: read it out, but a
        # stray grandchild holding the pty open must not keep the session alive.
        try:
            await asyncio.wait_for(self._eof.wait(), 1.0)
        except TimeoutError:
            if not self._closed:
                self._signal_group(signal.SIGKILL)  # something of the session still holds its pty
        self.close()
        return code

    async def _exits_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.process.wait()), seconds)
        return not self.running

    async def hang_up(self, grace: float = 3.0) -> int:
        """End the child within `grace`: its own quit key; halfway, SIGHUP and SIGTERM; at the end, SIGKILL to its process group."""
        self.write(QUIT_KEY)
        if not await self._exits_within(grace / 2):
            self.signal(signal.SIGHUP)
            self.signal(signal.SIGTERM)
            if not await self._exits_within(grace / 2):
                self.signal(signal.SIGKILL)
        return await self.wait()

    def close(self) -> None:
        if self._closed:
            return
        self.pause_output()
        if self._pending:
            self._loop.remove_writer(self.master)
            self._pending.clear()
        self._closed = True
        os.close(self.master)
