"""Fixtures for the SSH server: keys, a roster, an in-process server, and PTY clients."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path

import asyncssh
import pytest
from samples import MINIMAL

from drilltui.remote.participants import Roster, loads_participants
from drilltui.remote.server import DrillServer, ServeConfig, bind
from drilltui.scenario import loads

STANDIN = Path(__file__).resolve().parent / "standin_child.py"
PEOPLE = {"ic": ("Priya Natarajan", "ic"), "soc": ("Sam Okafor", "soc"), "obs": ("Ola Auditor", "obs"),
          "dir": ("Dana Director", "control")}


class Screen(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    """What a client received, and waiting until some text shows up in it."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.err = bytearray()
        self.changed = asyncio.Event()

    def data_received(self, data: bytes, datatype: object) -> None:
        (self.err if datatype == asyncssh.EXTENDED_DATA_STDERR else self.out).extend(data)
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.changed.set()

    @property
    def text(self) -> str:
        return self.out.decode(errors="replace")

    async def wait_for(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        async def seek() -> re.Match[str]:
            while True:
                found = re.search(pattern, self.text)
                if found:
                    return found
                self.changed.clear()
                await self.changed.wait()

        try:
            return await asyncio.wait_for(seek(), timeout)
        except TimeoutError:
            raise AssertionError(f"{pattern!r} never showed; got {self.text[-500:]!r} / {self.err!r}") from None


class Rig:
    """An in-process DrillServer on a free loopback port, with stand-in children."""

    def __init__(self, tmp: Path, keys: dict[str, asyncssh.SSHKey]) -> None:
        self.tmp = tmp
        self.keys = keys
        self.markers = tmp / "markers"
        self.markers.mkdir()
        self.logs: list[str] = []
        self.server: DrillServer | None = None
        self.port = 0
        self.connections: list[asyncssh.SSHClientConnection] = []
        self.leaves: list[str] = []  # participants the server logged participant_left for

    async def leave(self, participant) -> bool:  # type: ignore[no-untyped-def]
        self.leaves.append(participant.name)
        return True

    def roster(self) -> Roster:
        lines = ["participants:"]
        for who, (name, role) in PEOPLE.items():
            lines += [f"  - name: {name}", f"    role: {role}", "    web: true", "    keys:",
                      f"      - {self.keys[who].export_public_key().decode().strip()}"]
        return loads_participants("\n".join(lines), "people.yaml", loads(MINIMAL))

    def standin(self, stubborn: str = "") -> Callable[..., list[str]]:
        def command(participant) -> list[str]:  # type: ignore[no-untyped-def]
            extra = ["stubborn"] if participant.name == stubborn else []
            return [sys.executable, str(STANDIN), str(self.markers), participant.role, *extra]

        return command

    async def start(self, **limits: object) -> DrillServer:
        host_key = asyncssh.generate_private_key("ssh-ed25519")
        config = ServeConfig("drill-1", self.tmp / "drills.db", self.roster(), host_key, grace=1.0, command=self.standin(),
                             leave=self.leave)
        config = replace(config, **limits)  # type: ignore[arg-type]
        self.server = DrillServer(config, log=self.logs.append)
        self.port = await self.server.listen(bind("127.0.0.1", 0))
        return self.server

    async def connect(self, who: str) -> asyncssh.SSHClientConnection:
        conn = await asyncssh.connect(
            "127.0.0.1", self.port, username="drill", client_keys=[self.keys[who]],
            known_hosts=None, agent_path=None, config=[],
        )
        self.connections.append(conn)
        return conn

    async def session(self, who: str, size: tuple[int, int] = (100, 30), **options: object
                      ) -> tuple[asyncssh.SSHClientChannel, Screen]:  # type: ignore[type-arg]
        conn = await self.connect(who)
        chan, screen = await conn.create_session(Screen, term_type="xterm-256color", term_size=size, encoding=None, **options)
        return chan, screen  # type: ignore[return-value]

    def marker(self, role: str, what: str) -> Path:
        return self.markers / f"{role}.{what}"

    @staticmethod
    async def until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
        """Wait for a condition with a timeout (polling: for things outside the event loop, like files)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        for conn in self.connections:
            conn.close()
        if self.server is not None:
            await self.server.close()


@pytest.fixture(scope="session")
def ssh_keys() -> dict[str, asyncssh.SSHKey]:
    return {who: asyncssh.generate_private_key("ssh-ed25519", comment=f"{who}@test") for who in (*PEOPLE, "stranger")}


@pytest.fixture
async def rig(tmp_path: Path, ssh_keys: dict[str, asyncssh.SSHKey]) -> AsyncIterator[Rig]:
    r = Rig(tmp_path, ssh_keys)
    yield r
    await r.close()


# -- the real `drilltui` command, for the CLI and end-to-end tests ------------------------

SCRIPT = "- {at: 0s, as: control, do: start}\n"


def drilltui_argv() -> list[str]:
    return [sys.executable, "-m", "drilltui"]


def run_drilltui(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*drilltui_argv(), *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1"})


class Drilled:
    """A tmp folder with the minimal scenario, a database and a running drill with I-1 released."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.scenario = root / "mini.yaml"
        self.scenario.write_text(MINIMAL)
        (root / "script.yaml").write_text(SCRIPT)
        self.db = root / "drills.db"
        result = run_drilltui("run", str(self.scenario), "--headless", "--script", str(root / "script.yaml"),
                              "--db", str(self.db), "--until", "2m")
        assert result.returncode == 0, result.stderr
        self.drill_id = result.stdout.strip().splitlines()[-1]

    def events(self) -> list[dict]:
        result = run_drilltui("export", self.drill_id, "--db", str(self.db))
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]

    def participants_file(self, people: dict[str, tuple[str, str, str]], web: tuple[str, ...] = ()) -> Path:
        """people: alias -> (name, role, public key line, or "" for none); the aliases in `web` may join by browser."""
        lines = ["participants:"]
        for alias, (name, role, key) in people.items():
            lines += [f"  - name: {name}", f"    role: {role}"]
            lines += ["    web: true"] if alias in web else []
            lines += ["    keys:", f"      - {key}"] if key else []
        path = self.root / "people.yaml"
        path.write_text("\n".join(lines) + "\n")
        return path


@pytest.fixture
def drilled(tmp_path: Path) -> Drilled:
    return Drilled(tmp_path)


@pytest.fixture
def drilltui() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_drilltui


class Served:
    """`drilltui serve` as a subprocess, its output collected, stopped with SIGINT."""

    def __init__(self, *args: str) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen([*drilltui_argv(), "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env={**os.environ, "NO_COLOR": "1"})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = int(self.wait_for(r"listening on \S+:(\d+)|browsers on ").group(1) or 0)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def web(self) -> str:
        """The address browsers are served on."""
        return self.wait_for(r"browsers on (http\S+);").group(1)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output)
            if found:
                return found
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
        raise AssertionError(f"{pattern!r} not in the server's output: {self.output!r} {err!r}")

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        started.append(Served(*args))
        return started[-1]

    yield start
    for s in started:
        s.stop()


@pytest.fixture(scope="module")
def drilled_once(tmp_path_factory: pytest.TempPathFactory) -> Drilled:
    """One drill for a whole module of tests that only read it."""
    return Drilled(tmp_path_factory.mktemp("drill"))
