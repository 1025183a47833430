"""Run a whole program on a pseudo-terminal, as a person's terminal would: time to its first frame, CPU, system calls.

Shared by the benchmarks that compare a drilltui process with a bare Textual app
process (bench_startup.py, bench_idle.py). Linux only (/proc, optional strace).
"""

from __future__ import annotations

import fcntl
import os
import pty
import resource
import select
import shutil
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 36)
TICK = os.sysconf("SC_CLK_TCK")


class Terminal:
    """A child process on its own PTY; its output is drained (and kept) by a thread so it never blocks."""

    def __init__(self, argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 size: tuple[int, int] = SIZE) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: a terminal of the given size, then the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
            if cwd is not None:
                os.chdir(cwd)
            os.execvpe(argv[0], list(argv), {**os.environ, "TERM": "xterm-256color", **(env or {})})
        self.pid, self.fd = pid, fd
        self.cpu_at = 0.0
        self.output = bytearray()
        self.seen = threading.Condition()
        self.closed = False
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.5)
                if not ready:
                    continue
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            with self.seen:
                if not chunk:
                    self.closed = True
                    self.seen.notify_all()
                    return
                self.output += chunk
                self.seen.notify_all()

    def wait_for(self, marker: bytes | tuple[bytes, ...], timeout: float = 60.0) -> float:
        """Seconds from the start until `marker` (every one of several) was written to the terminal (TimeoutError if never).

        `cpu_at` is then the CPU seconds the process had used by that moment: on a
        busy machine wall time includes waiting for a core, CPU time does not.
        """
        markers = marker if isinstance(marker, tuple) else (marker,)
        deadline = time.monotonic() + timeout
        with self.seen:
            while not all(m in self.output for m in markers):
                if self.closed or time.monotonic() > deadline:
                    tail = bytes(self.output[-400:])
                    raise TimeoutError(f"{marker!r} never shown; the terminal ends with {tail!r}")
                self.seen.wait(0.05)
            elapsed = time.perf_counter() - self.started
        self.cpu_at = self.cpu()
        return elapsed

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until nothing has been written for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        with self.seen:
            while time.monotonic() < deadline:
                size = len(self.output)
                self.seen.wait(quiet)
                if len(self.output) == size:
                    return

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def cpu(self) -> float:
        """CPU seconds (user + system, all threads) the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def stop(self, keys: bytes = b"\x11", timeout: float = 10.0) -> resource.struct_rusage | None:
        """Quit with `keys` (ctrl+q), then SIGTERM and SIGKILL if it lingers; its resource use (peak RSS...)."""
        with_keys = [keys] if keys else []
        for step in [*with_keys, signal.SIGTERM, signal.SIGKILL]:
            if isinstance(step, bytes):
                self.press(step)
            else:
                os.kill(self.pid, step)
            end = time.monotonic() + timeout / 2
            while time.monotonic() < end:
                done, _, usage = os.wait4(self.pid, os.WNOHANG)
                if done:
                    os.close(self.fd)
                    return usage
                time.sleep(0.05)
        os.close(self.fd)
        return None


def syscalls(pid: int, seconds: float) -> dict[str, int] | None:
    """System calls of a running process (all threads) over `seconds`, by name, counted by strace; None without it."""
    if shutil.which("strace") is None:
        return None
    proc = subprocess.Popen(["strace", "-f", "-c", "-p", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(seconds)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    counts: dict[str, int] = {}
    for line in err.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0][0].isdigit() and not line.startswith("100.00"):
            name = parts[-1]
            try:
                counts[name] = int(parts[3])
            except ValueError:
                continue
    if not counts and "Operation not permitted" in err:
        return None
    return counts
