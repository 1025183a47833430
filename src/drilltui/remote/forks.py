"""The server's end of the session template: start it, ask it for a session on a PTY, learn when each one exits."""

from __future__ import annotations

import array
import asyncio
import contextlib
import json
import os
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

Log = Callable[[str], None]
START_TIMEOUT = 60.0  # seconds for the template to import everything and say it is ready
LOST_CODE = 1  # the exit status given to a session whose template died before reporting it


class ForkedProcess:
    """A session's process, forked by the template: its pid, and its exit status once the template reports it."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._done = asyncio.get_running_loop().create_future()

    def exited(self, code: int) -> None:
        if self.returncode is None:
            self.returncode = code
            self._done.set_result(code)

    async def wait(self) -> int:
        return await asyncio.shield(self._done)


class SessionTemplate:
    """A pre-loaded template process, started on first use and again if it ever dies."""

    def __init__(self, env: Mapping[str, str], scenario_text: str = "", label: str = "<scenario>", log: Log = print) -> None:
        self.env = dict(env)
        self.scenario_text = scenario_text
        self.label = label
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self._sock: socket.socket | None = None
        self._ready: asyncio.Future[None] | None = None
        self._asked: dict[int, asyncio.Future[ForkedProcess]] = {}
        self._children: dict[int, ForkedProcess] = {}
        self._next = 0
        self._closing = False

    async def start(self) -> None:
        """Start the template if it is not running, and wait until it is ready; OSError if it cannot start."""
        if self._ready is None:
            self._ready = asyncio.get_running_loop().create_future()
            asyncio.ensure_future(self._launch())
        await asyncio.shield(self._ready)

    async def _launch(self) -> None:
        assert self._ready is not None
        ready = self._ready
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "drilltui.remote.template", str(theirs.fileno()), self.label,
                stdin=asyncio.subprocess.PIPE, env=self.env, pass_fds=(theirs.fileno(),), cwd=self.env.get("HOME"),
            )
            assert self.process.stdin is not None
            self.process.stdin.write(self.scenario_text.encode("utf-8", "surrogatepass"))
            self.process.stdin.close()
        except OSError as exc:
            ours.close()
            self._ready = None
            ready.set_exception(exc)
            return
        finally:
            theirs.close()
        ours.setblocking(False)
        self._sock = ours
        asyncio.get_running_loop().add_reader(ours.fileno(), self._readable)
        asyncio.get_running_loop().call_later(START_TIMEOUT, self._too_slow, ready)

    def _too_slow(self, ready: asyncio.Future[None]) -> None:
        if not ready.done():
            self.log(f"the session template did not start within {START_TIMEOUT:g} s")
            self._lost()

    async def spawn(self, argv: list[str], env: Mapping[str, str], cwd: Path | None, slave: int) -> ForkedProcess:
        """Fork `argv` onto the PTY whose slave end is `slave`; OSError if it cannot be."""
        await self.start()
        if self._sock is None:
            raise OSError("the session template is not running")
        self._next += 1
        asked = asyncio.get_running_loop().create_future()
        self._asked[self._next] = asked
        request = json.dumps({"id": self._next, "argv": argv, "env": dict(env), "cwd": str(cwd or self.env.get("HOME", "/"))})
        try:
            self._sock.sendmsg([request.encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [slave]))])
        except OSError:
            self._asked.pop(self._next, None)
            raise
        return await asyncio.shield(asked)

    def _readable(self) -> None:
        assert self._sock is not None
        while True:
            try:
                data = self._sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                self._lost()
                return
            self._message(json.loads(data))

    def _message(self, message: dict[str, object]) -> None:
        if "ready" in message:
            if self._ready is not None and not self._ready.done():
                self._ready.set_result(None)
        elif "exited" in message:
            pid = int(message["exited"])  # type: ignore[call-overload]
            child = self._children.pop(pid, None)
            if child is not None:
                child.exited(int(message["code"]))  # type: ignore[call-overload]
        else:
            asked = self._asked.pop(int(message.get("id", 0)), None)  # type: ignore[call-overload]
            if asked is None or asked.done():
                return
            if "pid" in message:
                child = ForkedProcess(int(message["pid"]))  # type: ignore[call-overload]
                self._children[child.pid] = child
                asked.set_result(child)
            else:
                asked.set_exception(OSError(str(message.get("error", "the session template refused"))))

    def _lost(self) -> None:
        """The template ended: fail what waits on it; sessions it forked go on, watched here until they end."""
        loop = asyncio.get_running_loop()
        if self._sock is not None:
            loop.remove_reader(self._sock.fileno())
            self._sock.close()
            self._sock = None
        ready, self._ready = self._ready, None
        if ready is not None and not ready.done():
            ready.set_exception(OSError("the session template could not start"))
        for asked in self._asked.values():
            if not asked.done():
                asked.set_exception(OSError("the session template stopped"))
        self._asked.clear()
        orphans, self._children = self._children, {}
        if orphans and not self._closing:
            self.log(f"the session template stopped; {len(orphans)} session(s) go on, and a new template starts for the next")
        for child in orphans.values():
            _watch_orphan(child)
        if self.process is not None and self.process.returncode is None and not self._closing:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    async def close(self) -> None:
        """Stop the template (its sessions, hung up before this, are not its to end)."""
        self._closing = True
        if self._sock is not None:
            self._lost()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                await asyncio.wait_for(self.process.wait(), 5)


def _watch_orphan(child: ForkedProcess) -> None:
    """Learn when a session whose template died ends (its exit status is lost with the template)."""
    loop = asyncio.get_running_loop()
    try:
        pidfd = os.pidfd_open(child.pid)
    except OSError:  # already gone
        child.exited(LOST_CODE)
        return

    def ended() -> None:
        loop.remove_reader(pidfd)
        os.close(pidfd)
        child.exited(LOST_CODE)

    loop.add_reader(pidfd, ended)
