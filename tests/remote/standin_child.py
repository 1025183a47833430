"""A stand-in for `drilltui join` on the server's PTY: reports its terminal, echoes keys, obeys ctrl+q.

Usage: standin_child.py MARKER_DIR NAME [stubborn]. "stubborn" ignores ctrl+q,
SIGHUP and SIGTERM, so only SIGKILL ends it. "!" exits with status 3 (a crash).
"""

from __future__ import annotations

import os
import signal
import sys
import tty
from pathlib import Path

marker_dir, name = Path(sys.argv[1]), sys.argv[2]
stubborn = len(sys.argv) > 3 and sys.argv[3] == "stubborn"


def say(text: str) -> None:
    os.write(1, f"{text}\r\n".encode())


def size() -> str:
    cols, rows = os.get_terminal_size(0)
    return f"SIZE={cols}x{rows}"


def mark(what: str) -> None:
    (marker_dir / f"{name}.{what}").write_text(str(os.getpid()))


if stubborn:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGWINCH, lambda *_: say(size()))
tty.setraw(0)
ctty = os.open("/dev/tty", os.O_RDONLY)  # fails unless the pty is our controlling terminal
os.close(ctty)
mark("started")
say(f"PID={os.getpid()} TERM={os.environ.get('TERM')} {size()} HOME={os.environ.get('HOME', '')}")
say(f"ENV={','.join(sorted(os.environ))}")
while True:
    try:
        data = os.read(0, 1024)
    except OSError:  # EIO: the server closed the pty
        mark("hangup")
        sys.exit(1)
    if not data:
        sys.exit(0)
    if b"\x11" in data and not stubborn:
        mark("quit")
        say("QUIT")
        sys.exit(0)
    if b"!" in data:
        sys.exit(3)
    say("ECHO:" + data.decode(errors="replace"))
