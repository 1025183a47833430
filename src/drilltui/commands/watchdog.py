"""A bounded end after a hang-up: the console logs its leave and exits within seconds, whatever the UI library does.

SIGHUP and SIGTERM are taken by a thread of their own (blocked everywhere
else, waited for with sigwait), so they are seen even when the main thread is
stuck, as Textual's shutdown can be when the terminal vanished under it. On
one, the app is asked to exit as before; if the process has not finished
`deadline` seconds later, the watchdog logs `participant_left` itself (through
the engine, on its own connection to the database) unless the app already did,
puts the terminal back as far as it still exists, and ends the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEADLINE = 3.0  # seconds from the signal for the ordinary shutdown
LEAVE_TIMEOUT = 2.0  # seconds for the watchdog's own participant_left
SIGNALS = {signal.SIGHUP, signal.SIGTERM}
RESET = b"\x1b[?1049l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\r\n"


@dataclass
class Console:
    """What the watchdog needs to log a leave: where, and who."""

    db: Path
    drill_id: str
    participant: str
    role: str
    ask_exit: Callable[[], None]  # thread-safe: asks the app to quit
    left: threading.Event  # set once the log has this participant's leave


def exit_only(loop: asyncio.AbstractEventLoop, exit_app: Callable[[], None]) -> Console:
    """What to attach for an app with no leave to log (a replay): a hang-up asks it to quit, and ends the
    process if its shutdown is still stuck at the deadline."""

    def ask_exit() -> None:
        loop.call_soon_threadsafe(exit_app)

    left = threading.Event()
    left.set()
    return Console(Path(), "", "", "", ask_exit, left)


@contextlib.contextmanager
def bounded() -> Iterator[Watchdog]:
    """A watchdog for the block, started before any thread so every thread inherits the blocked signals; after
    it the signals are unblocked and the watchdog's thread is gone, for a process that goes on (a test)."""
    watchdog = Watchdog()
    watchdog.start()
    try:
        yield watchdog
    finally:
        watchdog.stop()


class Watchdog:
    """Started before any other thread, so every thread the app makes inherits the blocked signals."""

    def __init__(self, deadline: float = DEADLINE) -> None:
        self.deadline = deadline
        self.console: Console | None = None
        self.finished = threading.Event()
        self._termios: list | None = None
        self._unblocked: set[int | signal.Signals] | None = None  # the signal mask before start
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with contextlib.suppress(termios.error, OSError, ValueError):
            self._termios = termios.tcgetattr(sys.stdin.fileno())
        self._unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        self._thread = threading.Thread(target=self._watch, name="drilltui-watchdog", daemon=True)
        self._thread.start()

    def attach(self, console: Console) -> None:
        self.console = console

    def done(self) -> None:
        """The ordinary shutdown is over: nothing left to bound."""
        self.finished.set()

    def stop(self) -> None:
        """Done, and the process goes on: the signals are unblocked as before start, and the thread ends."""
        self.done()
        if self._unblocked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._unblocked)
        thread = self._thread
        if thread is not None and thread.ident is not None and thread.is_alive():
            signal.pthread_kill(thread.ident, signal.SIGTERM)  # blocked there: sigwait takes it, and it sees done
            thread.join(1.0)

    def _watch(self) -> None:
        sig = signal.sigwait(SIGNALS)
        if self.finished.is_set():
            return  # woken by stop(), or a signal after the ordinary shutdown: nothing to bound
        console = self.console
        if console is None:  # no dashboard yet, so nobody has joined: end as the signal would
            self._end(sig)
            return
        with contextlib.suppress(Exception):
            console.ask_exit()
        if self.finished.wait(self.deadline):
            return
        if not console.left.is_set():
            from drilltui.remote.leave import log_leave

            with contextlib.suppress(Exception):  # best effort: the server or the next join sees the rest
                asyncio.run(asyncio.wait_for(log_leave(console.db, console.drill_id, console.participant, console.role),
                                             LEAVE_TIMEOUT))
        self._end(sig)

    def _end(self, sig: int) -> None:
        """Put the terminal back if it is still there, without ever blocking on it, and exit."""
        with contextlib.suppress(OSError):
            fd = os.open("/dev/tty", os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
            with contextlib.suppress(OSError, termios.error):
                os.write(fd, RESET)
                if self._termios is not None:
                    termios.tcsetattr(fd, termios.TCSANOW, self._termios)
            os.close(fd)
        os._exit(128 + sig)
