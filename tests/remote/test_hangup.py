"""A console whose terminal goes away right after its first frame ends within seconds and logs its leave: locally and over SSH."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncssh
import pytest

from drilltui.remote.session import join_argv

TMUX, SSH = shutil.which("tmux"), shutil.which("ssh")
pytestmark = pytest.mark.skipif(not TMUX, reason="tmux is not installed (apt-get install tmux)")
HANGUPS = 20
AT_ONCE = 4  # consoles started together: 20 one by one would mostly measure Python starting up
GONE_WITHIN = 10.0
ROLES_SHOWN = re.compile(r"Roles.*\n(.*\n)*.*SOC Analyst")  # the role board's first frame, with its rows


class Tmux:
    def __init__(self, root: Path) -> None:
        self.socket = str(root / "tmux.sock")

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([TMUX, "-S", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=30)  # type: ignore[list-item]

    def open(self, name: str, argv: list[str]) -> None:
        command = "exec " + " ".join(f"'{a}'" for a in argv)
        result = self("new-session", "-d", "-s", name, "-x", "130", "-y", "40", "-e", "TERM=xterm-256color", command)
        assert result.returncode == 0, result.stderr

    def pid(self, name: str) -> int:
        return int(self("list-panes", "-t", name, "-F", "#{pane_pid}").stdout.split()[0])


def alive(pid: int) -> bool:
    """Whether the process still runs (a zombie has ended: only its parent has not read its status yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def hang_up_at_first_frame(tmux: Tmux, names: list[str], argv_of, pid_of) -> dict[str, tuple[int, float]]:  # type: ignore[no-untyped-def]
    """Open a console per name, kill each tmux session as soon as its roles show; each console's pid and kill time."""
    for name in names:
        tmux.open(name, argv_of(name))
    killed: dict[str, tuple[int, float]] = {}
    deadline = time.monotonic() + 120
    while len(killed) < len(names):
        assert time.monotonic() < deadline, f"roles never showed for {set(names) - set(killed)}"
        for name in names:
            if name not in killed and ROLES_SHOWN.search(tmux("capture-pane", "-p", "-t", name).stdout):
                pid = pid_of(name)
                tmux("kill-session", "-t", name)
                killed[name] = (pid, time.monotonic())
        time.sleep(0.02)
    return killed


def wait_gone(killed: dict[str, tuple[int, float]]) -> dict[str, float]:
    """Seconds from each kill until its process was gone (inf past GONE_WITHIN)."""
    gone: dict[str, float] = {}
    while len(gone) < len(killed):
        now = time.monotonic()
        for name, (pid, at) in killed.items():
            if name not in gone and (not alive(pid) or now - at > GONE_WITHIN):
                gone[name] = now - at if not alive(pid) else float("inf")
        time.sleep(0.05)
    return gone


def leaves(drilled, names: list[str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    events = drilled.events()
    return {n: [e["kind"] for e in events if e["actor"]["participant"] == n and e["kind"].startswith("participant_")] for n in names}


def test_local_consoles_hung_up_at_their_first_frame_end_and_log_their_leave(drilled) -> None:
    tmux = Tmux(drilled.root)
    names = [f"Local {i:02d}" for i in range(HANGUPS)]
    env_argv = [sys.executable, "-m", "drilltui"]
    times: dict[str, float] = {}
    try:
        for start in range(0, HANGUPS, AT_ONCE):
            batch = names[start:start + AT_ONCE]
            killed = hang_up_at_first_frame(
                tmux, [n.replace(" ", "-") for n in batch],
                lambda n: [*env_argv, "join", drilled.drill_id, "--as", "soc", "--name", n.replace("-", " "), "--db", str(drilled.db)],
                tmux.pid)
            times.update(wait_gone(killed))
    finally:
        tmux("kill-server")
    assert all(t < GONE_WITHIN for t in times.values()), times
    logged = leaves(drilled, names)
    assert all(kinds == ["participant_joined", "participant_left"] for kinds in logged.values()), logged
    print(f"local: {HANGUPS} hang-ups, gone after {min(times.values()):.2f} to {max(times.values()):.2f} s")


@pytest.mark.skipif(not SSH, reason="the OpenSSH client is not installed (apt-get install openssh-client)")
def test_ssh_sessions_hung_up_at_their_first_frame_end_and_log_their_leave(drilled, serve) -> None:
    keys = {f"Remote {i:02d}": asyncssh.generate_private_key("ssh-ed25519") for i in range(HANGUPS)}
    for name, key in keys.items():
        path = drilled.root / f"id_{name[-2:]}"
        path.write_bytes(key.export_private_key("openssh"))
        path.chmod(0o600)
    people = {name: (name, "soc", key.export_public_key().decode().strip()) for name, key in keys.items()}
    server = serve(drilled.drill_id, "--db", str(drilled.db), "--participants", str(drilled.participants_file(people)),
                   "--listen", "127.0.0.1:0")
    tmux = Tmux(drilled.root)

    def ssh(session: str) -> list[str]:
        return [SSH, "-tt", "-i", str(drilled.root / f"id_{session[-2:]}"), "-p", str(server.port), "-F", "/dev/null",  # type: ignore[list-item]
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "drill@127.0.0.1"]

    def child_pid(session: str) -> int:
        name = session.replace("-", " ")
        return int(server.wait_for(rf"joined {name} \(soc\) from \S+, pid (\d+)").group(1))

    times: dict[str, float] = {}
    try:
        names = list(keys)
        for start in range(0, HANGUPS, AT_ONCE):
            killed = hang_up_at_first_frame(tmux, [n.replace(" ", "-") for n in names[start:start + AT_ONCE]], ssh, child_pid)
            times.update(wait_gone(killed))
    finally:
        tmux("kill-server")
    assert all(t < GONE_WITHIN for t in times.values()), times
    logged = leaves(drilled, list(keys))
    assert all(kinds == ["participant_joined", "participant_left"] for kinds in logged.values()), logged
    print(f"ssh: {HANGUPS} hang-ups, sessions gone after {min(times.values()):.2f} to {max(times.values()):.2f} s")
    assert join_argv  # the sessions ran the ordinary `drilltui join`


STUCK = """
import asyncio, sys, threading
from pathlib import Path
from drilltui.commands.watchdog import Console, Watchdog
from drilltui.engine import Drill
from drilltui.engine.commands import Join
from drilltui.journal import DrillJournal
from drilltui.scenario import loads
from drilltui.store import EventLog

db, drill_id = Path(sys.argv[1]), sys.argv[2]
watchdog = Watchdog()
watchdog.start()

async def join():
    log = await EventLog.open(db, create=False)
    record = await log.drill(drill_id)
    drill = Drill(loads(record.scenario_text), DrillJournal(log, drill_id), participant="Stuck", role="soc")
    await drill.load()
    await drill.execute(Join("Stuck"))
    await log.close()

asyncio.run(join())
watchdog.attach(Console(db, drill_id, "Stuck", "soc", lambda: None, threading.Event()))
print("ready", flush=True)
threading.Event().wait()  # the main thread never comes back, as in a shutdown stuck on a vanished terminal
"""


@pytest.mark.parametrize("sig", ["SIGHUP", "SIGTERM"])
def test_a_console_stuck_after_a_hang_up_logs_its_leave_and_exits_within_seconds(drilled, sig: str) -> None:
    from drilltui.commands.watchdog import DEADLINE, LEAVE_TIMEOUT

    proc = subprocess.Popen([sys.executable, "-c", STUCK, str(drilled.db), drilled.drill_id], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        started = time.monotonic()
        proc.send_signal(getattr(signal, sig))
        code = proc.wait(DEADLINE + LEAVE_TIMEOUT + 5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert time.monotonic() - started < DEADLINE + LEAVE_TIMEOUT + 1
    assert code == 128 + getattr(signal, sig)
    assert leaves(drilled, ["Stuck"])["Stuck"] == ["participant_joined", "participant_left"]


async def test_the_server_logs_a_leave_on_a_sessions_behalf_only_when_it_is_missing(drilled) -> None:
    from drilltui.engine import Drill
    from drilltui.engine.commands import Join
    from drilltui.journal import DrillJournal
    from drilltui.remote.leave import log_leave
    from drilltui.scenario import loads
    from drilltui.store import EventLog

    log = await EventLog.open(drilled.db, create=False)
    try:
        record = await log.drill(drilled.drill_id)
        drill = Drill(loads(record.scenario_text), DrillJournal(log, record.id), participant="Gone", role="soc")
        await drill.load()
        await drill.execute(Join("Gone"))
    finally:
        await log.close()
    assert await log_leave(drilled.db, drilled.drill_id, "Gone", "soc") is True
    assert await log_leave(drilled.db, drilled.drill_id, "Gone", "soc") is False  # once only
    assert await log_leave(drilled.db, drilled.drill_id, "Never joined", "soc") is False
    assert leaves(drilled, ["Gone", "Never joined"]) == {"Gone": ["participant_joined", "participant_left"], "Never joined": []}


def test_a_bounded_block_leaves_the_signal_mask_and_threads_as_they_were() -> None:
    """A command run in this process (as tests do) must not leave hang-ups blocked for what it starts after."""
    import signal
    import threading

    from drilltui.commands.watchdog import bounded

    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    with bounded():
        assert signal.SIGHUP in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    assert not [t for t in threading.enumerate() if t.name == "drilltui-watchdog" and t.is_alive()]
