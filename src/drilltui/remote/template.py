"""The session template: a process that has imported drilltui and Textual and parsed the scenario, forking each session onto its PTY.

The server starts one (`python -m drilltui.remote.template FD LABEL`, the
scenario's text on its standard input) and asks it, over a Unix socket, for
each session: a JSON request with the PTY's slave end passed alongside. The
template forks; the child takes the PTY as its controlling terminal and runs
`drilltui join` in the already loaded interpreter (or execs any other program),
so sessions start at once and share the template's pages copy-on-write. No
event loop or thread ever exists in the template, so a fork inherits nothing
running. The template reaps its children and reports each exit; it ends when
the server's end of the socket closes.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import gc
import importlib
import io
import json
import os
import pkgutil
import selectors
import socket
import sys
import termios
import threading
import traceback
from typing import Any

MAX_REQUEST = 1 << 20  # bytes: argv and environment of one session
DRILLTUI = ("-m", "drilltui")  # argv[1:3] of a session that runs drilltui itself

# Modules a dashboard imports lazily, beyond drilltui.ui: imported here once, shared by every session.
LAZY = ("textual.drivers.linux_driver", "textual.scrollbar", "textual.layouts.factory", "textual.layouts.horizontal",
        "textual.layouts.stream", "textual.widgets.tree", "textual.pilot", "rich._emoji_codes", "encodings.utf_8_sig")


def preload(scenario_text: str, label: str) -> None:
    """Import what a session runs, and parse the drill's scenario, once."""
    import drilltui.engine
    import drilltui.ui
    from drilltui.cli import build_parser
    from drilltui.commands import dashboard
    from drilltui.scenario import loads

    build_parser()  # imports every command module
    for package in (drilltui.ui, drilltui.engine):  # the engine's too: free play's modules load on first use
        for found in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(found.name)
    for name in ("drilltui.journal", "drilltui.store.log", "drilltui.engine.replay", *LAZY):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if scenario_text:
        dashboard.preloaded[scenario_text] = loads(scenario_text, label)
    for thread in threading.enumerate():  # nothing above should start one; a fork must find none
        if thread is not threading.main_thread():
            thread.join()
    gc.collect()
    gc.freeze()  # the children's collections then leave the shared objects' pages alone


def _reply(sock: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        sock.send(json.dumps(message).encode())


def _receive(sock: socket.socket) -> tuple[dict[str, Any], int] | None:
    """One request and the PTY slave that came with it; None when the server has gone."""
    fds = array.array("i")
    data, ancillary, _, _ = sock.recvmsg(MAX_REQUEST, socket.CMSG_SPACE(fds.itemsize))
    if not data:
        return None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    return json.loads(data), (fds[0] if fds else -1)


def _child(request: dict[str, Any], slave: int, closing: list[int]) -> int:  # pragma: no cover - runs in the fork
    """In the forked child: take the PTY, the environment and the folder, then run the session's program."""
    for fd in closing:
        with contextlib.suppress(OSError):
            os.close(fd)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)  # SIGWINCH on resize, SIGHUP when the server hangs up
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    argv, env = request["argv"], request["env"]
    os.chdir(request["cwd"])
    if argv[1:3] != list(DRILLTUI):
        os.execvpe(argv[0], argv, env)
    os.environ.clear()
    os.environ.update(env)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(  # type: ignore[misc]  # the fork's own stdio, for good
        io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(  # type: ignore[misc]  # the fork's own stdio, for good
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace", line_buffering=True)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(  # type: ignore[misc]  # the fork's own stdio, for good
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    sys.argv = ["drilltui", *argv[3:]]
    from drilltui.cli import main

    try:
        return main(argv[3:])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()


def _fork(request: dict[str, Any], slave: int, closing: list[int]) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns into the template
        code = 1
        try:
            code = _child(request, slave, closing)
        except BaseException:  # noqa: BLE001 - said on the session's terminal, then the child ends
            with contextlib.suppress(Exception):
                traceback.print_exc()
        finally:
            os._exit(code if 0 <= code < 256 else 1)
    return pid


def serve(sock: socket.socket) -> None:
    """Fork a child per request; report each child's pid, then its exit, until the server hangs up."""
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ, None)
    watched: dict[int, int] = {}  # pidfd -> pid
    _reply(sock, {"ready": os.getpid()})
    while True:
        for key, _ in selector.select():
            if key.data is not None:
                pid = key.data
                selector.unregister(key.fd)
                os.close(key.fd)
                del watched[key.fd]
                _, status = os.waitpid(pid, 0)
                _reply(sock, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})
                continue
            got = _receive(sock)
            if got is None:
                return
            request, slave = got
            try:
                if slave < 0:
                    raise OSError("no terminal came with the request")
                pid = _fork(request, slave, [sock.fileno(), selector.fileno(), *watched])
            except OSError as exc:
                _reply(sock, {"id": request.get("id"), "error": exc.strerror or str(exc)})
                continue
            finally:
                if slave >= 0:
                    os.close(slave)
            pidfd = os.pidfd_open(pid)
            watched[pidfd] = pid
            selector.register(pidfd, selectors.EVENT_READ, pid)
            _reply(sock, {"id": request.get("id"), "pid": pid})


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    label = sys.argv[2] if len(sys.argv) > 2 else "<scenario>"
    scenario_text = sys.stdin.read()
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    preload(scenario_text, label)
    serve(sock)


if __name__ == "__main__":
    main()
