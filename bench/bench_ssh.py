"""Benchmark: 30 (or --sessions N) SSH participants on one drill: action-to-every-screen latency, start and memory per session, against baselines.

Like is compared with like: the drill's change (a key on one session, committed
to the log, noticed by every other session) is set against a bare Textual app
whose key, on one session, is appended to a shared file that every other
session's app notices the way a dashboard notices a commit (a thread that stats
the file every 50 ms) and repaints one line for.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

import asyncssh  # noqa: E402

SESSIONS = 30
LABEL = ""  # the drill the sessions join, for the report
ROUNDS = 20  # pause/resume toggles by the controller; each is timed on the 29 other screens
TERM_SIZE = (120, 36)
TARGET_P95 = 0.300
WAIT = 20.0  # seconds a screen may take to show a change before it counts as missed
ROUND_BUDGET = 240.0  # seconds for all the drill's rounds together
DEADLINE = 900.0  # the whole run stops by itself after this many seconds, servers and sessions included
START_BATCH = 5  # sessions started at once: 30 Textual apps starting together would only measure the CPU queue

SCENARIO = """\
format: drilltui/1
id: bench
title: SSH bench drill
duration: 8h
roles:
  - {id: control, title: Exercise Control, kind: controller}
  - {id: ic, title: Incident Commander}
  - {id: lead, title: Security Lead, reports_to: ic}
  - {id: soc, title: SOC Analyst, reports_to: lead}
  - {id: eval, title: Evaluator, kind: evaluator}
  - {id: obs, title: Observer, kind: observer}
injects:
  - {id: I-1, at: 0s, to: [soc], title: Outbound traffic spike}
"""
ROLES = ("ic", "lead", "soc", "eval", "obs")

# A baseline child for each mode: what one session costs with no drill in it.
ECHO_CHILD = "import os,tty; tty.setraw(0)\nwhile True:\n    d = os.read(0, 1024)\n    if not d or b'\\x11' in d: break\n    os.write(1, d)\n"
TEXTUAL_CHILD = """\
import os, sys, threading
from textual.app import App
from textual.widgets import Static

SHARED = sys.argv[1]  # every session's key lands here; every session watches it, as a dashboard watches the log

def size():
    try:
        return os.stat(SHARED).st_size
    except OSError:
        return 0

class Bare(App):
    def compose(self):
        yield Static("PAUSED", id="s")

    def on_mount(self):
        threading.Thread(target=self.watch, daemon=True).start()

    def watch(self):
        seen = size()
        stop = threading.Event()
        while not stop.wait(0.05):
            now = size()
            if now != seen:
                seen = now
                self.call_from_thread(self.show, now)

    def show(self, presses):
        self.query_one("#s", Static).update("RUNNING" if presses % 2 else "PAUSED")

    def on_key(self, event):
        with open(SHARED, "ab") as f:
            f.write(b"k")

Bare().run()
"""


class Screen(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    """A client's output, watched for a word after a moment."""

    def __init__(self) -> None:
        self.seen = bytearray()
        self.target: bytes | None = None
        self.found_at: float | None = None
        self.found = asyncio.Event()
        self.phase = b""  # the last clock phase this screen showed
        self.received = 0  # bytes in all

    def data_received(self, data: bytes, datatype: object) -> None:
        now = time.perf_counter()
        self.received += len(data)
        self.seen += data
        last = max((data.rfind(p), p) for p in (b"PAUSED", b"RUNNING"))
        if last[0] >= 0:
            self.phase = last[1]
        if self.target is not None and self.found_at is None and self.target in self.seen:
            self.found_at = now
            self.found.set()
        if len(self.seen) > 65536:
            del self.seen[:-4096]

    def expect(self, word: bytes) -> None:
        self.seen.clear()
        self.target, self.found_at = word, None
        self.found.clear()

    async def wait(self, timeout: float) -> float | None:
        try:
            await asyncio.wait_for(self.found.wait(), timeout)
        except TimeoutError:
            return None
        return self.found_at


def rss_kib(pid: int, alone: bool = False) -> tuple[int, int]:
    """(RSS, PSS) of a process and its descendants (`alone`: without them), in KiB."""
    rss = pss = 0
    for p in [pid, *([] if alone else descendants(pid))]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rss += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            pss += int(re.search(r"Pss:\s+(\d+)", rollup).group(1))  # type: ignore[union-attr]
        except (OSError, AttributeError):
            continue
    return rss, pss


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in [q for pid in pids for q in (pid, *descendants(pid))]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def own_cpu(pid: int) -> float:
    """User + system CPU time of one process (all its threads), without its children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def is_template(pid: int) -> bool:
    try:
        return b"drilltui.remote.template" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def session_children(server_pid: int) -> tuple[list[int], list[int]]:
    """The sessions' processes (the server's children, or the session template's), and the template's own."""
    kids = children_of(server_pid)
    templates = [p for p in kids if is_template(p)]
    return [p for p in kids if p not in templates] + [c for t in templates for c in children_of(t)], templates


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Run:
    """One server (subprocess) and its participants' clients."""

    def __init__(self, work: Path, argv: list[str], keys: list[asyncssh.SSHKey]) -> None:
        self.work, self.argv, self.keys = work, argv, keys
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.conns: list[asyncssh.SSHClientConnection] = []
        self.chans: list[asyncssh.SSHClientChannel] = []  # type: ignore[type-arg]
        self.screens: list[Screen] = []
        self.starts: list[float] = []

    async def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        assert self.proc.stdout is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while loop.time() < deadline:
            line = await asyncio.wait_for(loop.run_in_executor(None, self.proc.stdout.readline), 60)
            found = re.search(r"listening on \S+:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                # Keep draining the server's log so it never blocks on a full pipe.
                loop.run_in_executor(None, lambda: [None for _ in self.proc.stdout])  # type: ignore[union-attr]
                return
            if not line:
                break
        raise SystemExit(f"the server did not start: {self.proc.poll()}")

    async def connect(self, ready: bytes) -> None:
        """Open every participant's session, in batches; sessions keep the order of the keys (0 is the controller).

        Each session's start (from the connection to its first screen showing `ready`) goes to `starts`.
        """
        async def one(key: asyncssh.SSHKey) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel, Screen]:  # type: ignore[type-arg]
            began = time.perf_counter()
            conn = await asyncssh.connect("127.0.0.1", self.port, username="drill", client_keys=[key], known_hosts=None,
                                          agent_path=None, config=[])
            chan, screen = await conn.create_session(Screen, term_type="xterm-256color", term_size=TERM_SIZE, encoding=None)
            screen.expect(ready)
            if ready and await screen.wait(60) is None:
                raise SystemExit(f"a session never became ready ({ready!r})")
            self.starts.append(time.perf_counter() - began)
            return conn, chan, screen  # type: ignore[return-value]

        for i in range(0, len(self.keys), START_BATCH):
            for conn, chan, screen in await asyncio.gather(*(one(k) for k in self.keys[i : i + START_BATCH])):
                self.conns.append(conn)
                self.chans.append(chan)
                self.screens.append(screen)

    async def start_alone(self, ready: bytes, rounds: int = 4) -> list[float]:
        """Seconds from connecting to the first screen showing `ready`, for sessions started one at a time, nothing else running."""
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            conn = await asyncssh.connect("127.0.0.1", self.port, username="drill", client_keys=[self.keys[1]], known_hosts=None,
                                          agent_path=None, config=[])
            chan, screen = await conn.create_session(Screen, term_type="xterm-256color", term_size=TERM_SIZE, encoding=None)
            screen.expect(ready)
            if await screen.wait(60) is None:
                raise SystemExit(f"a session never became ready ({ready!r})")
            times.append(time.perf_counter() - began)
            chan.write(b"\x11")
            await chan.wait_closed()
            conn.close()
            await asyncio.sleep(0.5)
        return times

    async def settle(self, per_screen: int = 500, most: float = 20.0) -> float:
        """Wait until the screens receive less than `per_screen` bytes a second each (what the joins set off is drawn,
        only the clock line still moves); the seconds waited."""
        began = time.perf_counter()
        rate = 0.0
        while time.perf_counter() - began < most:
            before = sum(s.received for s in self.screens)
            await asyncio.sleep(1.0)
            rate = (sum(s.received for s in self.screens) - before) / len(self.screens)
            if rate < per_screen:
                break
        progress(f"screens receive {rate:.0f} bytes a second each")
        return time.perf_counter() - began

    async def idle_cpu(self, seconds: float = 5.0) -> float:
        """Mean CPU use of one session's child while nobody types, in % of one core."""
        assert self.proc is not None
        kids, _ = session_children(self.proc.pid)
        before, start = cpu_seconds(kids), time.perf_counter()
        await asyncio.sleep(seconds)
        used = cpu_seconds(kids) - before
        return 100 * used / (time.perf_counter() - start) / len(kids)

    def memory(self) -> tuple[float, float, float]:
        """Mean RSS and PSS per session child, in MiB (PSS with its share of the session template's), and the template's PSS."""
        assert self.proc is not None
        kids, templates = session_children(self.proc.pid)
        totals = [rss_kib(pid) for pid in kids]
        template = sum(rss_kib(pid, alone=True)[1] for pid in templates) / 1024
        return (sum(t[0] for t in totals) / len(kids) / 1024, (sum(t[1] for t in totals) / 1024 + template) / len(kids), template)

    async def stop(self) -> None:
        for conn in self.conns:
            conn.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, self.proc.wait), 60)
            except TimeoutError:
                self.proc.kill()
                self.proc.wait()


async def press(actor: asyncssh.SSHClientChannel, key: bytes, others: list[Screen], samples: list[float],  # type: ignore[type-arg]
                pressed: list[float]) -> int:
    """Type `key` as the actor; add each other screen's time to show what it expects. Returns the screens that missed it."""
    start = time.perf_counter()
    pressed.append(time.time())
    actor.write(key)
    seen = await asyncio.gather(*(s.wait(WAIT) for s in others))
    samples += [t - start for t in seen if t is not None]
    return sum(t is None for t in seen)


async def drill_latency(run: Run) -> tuple[list[float], list[float], int]:
    """The controller toggles the clock; time until every other screen shows the new phase.

    Returns the latencies, the wall-clock moments of the key presses (to split
    each latency at the event's commit afterwards) and how many screens missed a change.
    """
    actor, me, others = run.chans[0], run.screens[0], run.screens[1:]
    samples: list[float] = []
    pressed: list[float] = []
    missed = 0
    phase = me.phase  # a controller joining an orphaned drill pauses it
    budget = time.perf_counter() + ROUND_BUDGET
    for _ in range(ROUNDS):
        if time.perf_counter() > budget:
            progress(f"drill: time budget spent after {len(pressed)} rounds")
            break
        phase = b"PAUSED" if phase == b"RUNNING" else b"RUNNING"
        for s in (me, *others):
            s.expect(phase)
        missed += await press(actor, b" ", others, samples, pressed)
        if await me.wait(WAIT) is None:  # the next toggle must start from the state the controller sees
            progress(f"drill: the controller's own screen never showed {phase.decode()}; stopping the rounds")
            break
        await asyncio.sleep(0.5)  # let the last repaints finish before the next toggle
    return samples, pressed, missed


async def status_latency(run: Run, rounds: int) -> tuple[list[float], list[float], int]:
    """The controller sets its task in the status dialog; time from Enter until every other role board shows it.

    Unlike the clock, this changes a table row on every screen, which costs each
    dashboard a repaint of its role board.
    """
    actor, me, others = run.chans[0], run.screens[0], run.screens[1:]
    samples: list[float] = []
    pressed: list[float] = []
    missed = 0
    for i in range(rounds):
        # At 120 columns the other boards show a task's first letter or two (`standby: z…`), so each round's task
        # begins with a capital of its own, and the other screens wait for that: `: K` is written nowhere else.
        word = f"{chr(ord('A') + i % 26)}q{i:02d}".encode()
        me.expect(b"Role status")
        actor.write(b"t")
        if await me.wait(WAIT) is None:
            progress("status: the dialog never opened; stopping the rounds")
            break
        me.expect(word)
        for keys in (b"\t", b"\x15"):  # to the task field, clear it (ctrl+u): one key per read, as a person types
            actor.write(keys)
            await asyncio.sleep(0.2)
        actor.write(word)
        if await me.wait(WAIT) is None:
            progress("status: the task never showed in the dialog; stopping the rounds")
            break
        for s in others:
            s.expect(b": " + word[:1])
        missed += await press(actor, b"\r", others, samples, pressed)
        await asyncio.sleep(0.5)  # let the last repaints finish before the next round
    return samples, pressed, missed


def message_targets(model: object, controller: str) -> list[tuple[int, str, str]]:
    """Whom the controller's message goes to: every role but observers and itself, as (Down presses, id, title).

    The composer lists every role but observers in scenario order, the cursor on the first.
    """
    listed = [r for r in model.roles if r.kind != "observer"]  # type: ignore[attr-defined]
    out, at = [], 0
    for n, role in enumerate(listed):
        if role.id != controller:
            out.append((n - at, role.id, role.title))
            at = n
    return out


async def message_latency(run: Run, rounds: int, targets: list[tuple[int, str, str]]) -> tuple[list[float], list[float], int]:
    """The controller writes a message to every role that plays; time from Enter until every other screen shows it.

    Every session first opens its messages screen (`m`): players see what is sent to their role, evaluators and
    observers all traffic, so the one message reaches all 29 other screens. Each key waits for what it shows
    (the focused field's label is marked, the recipients are said in words), as a person would.
    """
    actor, me, others = run.chans[0], run.screens[0], run.screens[1:]
    actor.write(b"\x1b")  # a dialog an earlier round left open (a slow machine) closes first
    await asyncio.sleep(0.5)
    for chan, screen in zip(run.chans, run.screens):
        screen.expect(b"Messages, newest first")
        chan.write(b"m")
    if any(t is None for t in await asyncio.gather(*(s.wait(WAIT) for s in run.screens))):
        progress("message: a messages screen never opened; no rounds")
        return [], [], len(run.screens)
    samples: list[float] = []
    pressed: list[float] = []
    missed = 0

    async def step(keys: bytes, shows: bytes) -> bool:
        me.expect(shows)
        actor.write(keys)
        return await me.wait(WAIT) is not None

    for i in range(rounds):
        word = f"zm{i:02d}".encode()
        ok = await step(b"w", "▸ To".encode())
        for k, (downs, rid, title) in enumerate(targets):
            said = f"Sending to: {title}" if k == 0 else f", {title}"
            for d in range(downs):
                ok = ok and await step(b"\x1b[B", f"({rid})".encode() if d == downs - 1 else b"\x1b[")
            ok = ok and await step(b" ", said.encode())
        ok = ok and await step(b"\t", "▸ Or to".encode()) and await step(b"\t", "▸ Text".encode())
        ok = ok and await step(word, word)
        if not ok:
            progress("message: the composer did not follow the keys; stopping the rounds")
            actor.write(b"\x1b")
            break
        for s in others:
            s.expect(word)
        missed += await press(actor, b"\r", others, samples, pressed)
        await asyncio.sleep(0.5)  # let the last repaints finish before the next round
    return samples, pressed, missed


def commit_delays(drilltui: list[str], env: dict[str, str], db: Path, drill_id: str, pressed: list[float],
                  kinds: tuple[str, ...] = ("clock_paused", "clock_resumed")) -> list[float]:
    """For each key press, seconds until the event of one of `kinds` it caused was committed."""
    from datetime import datetime

    out = subprocess.run([*drilltui, "export", drill_id, "--db", str(db)], capture_output=True, text=True, env=env, timeout=120).stdout
    commits = []
    for line in out.splitlines():
        event = json.loads(line)
        if event["kind"] in kinds and event["actor"]["participant"] == "P00":
            commits.append(datetime.fromisoformat(event["wall_time"].replace("Z", "+00:00")).timestamp())
    return [c - p for p, c in zip(pressed, commits[-len(pressed):])] if pressed else [float("nan")]


async def _no_drill(participant: object) -> bool:
    return False  # a baseline child joins no drill, so there is no leave to log


async def baseline_server(mode: str, participants: Path) -> None:
    """A DrillServer whose sessions run a baseline child instead of the dashboard."""
    from drilltui.remote.hostkey import load_or_create_host_key
    from drilltui.remote.participants import load_participants
    from drilltui.remote.server import DrillServer, ServeConfig, bind

    roster = load_participants(participants)
    key, _ = load_or_create_host_key(participants.with_name("host_key"))
    code = ECHO_CHILD if mode == "echo" else TEXTUAL_CHILD
    shared = participants.with_name("presses")
    # fork=False: each baseline session is a new process, a bare child as a program of its own would be.
    config = ServeConfig("-", participants.with_name("drills.db"), roster, key, command=lambda p: [sys.executable, "-c", code, str(shared)],
                         leave=_no_drill, fork=False, max_sessions=len(roster.participants))
    server = DrillServer(config, log=lambda line: None)
    port = await server.listen(bind("127.0.0.1", 0))
    print(f"listening on 127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.close()


def write_participants(work: Path, keys: list[asyncssh.SSHKey], controller: str, roles: list[str]) -> Path:
    lines = ["participants:"]
    for i, key in enumerate(keys):
        role = controller if i == 0 else roles[i % len(roles)]
        lines.append(f"  - {{name: P{i:02d}, role: {role}, keys: [{key.export_public_key().decode().strip()}]}}")
    path = work / "participants.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


async def bounded(work: object) -> None:
    """Run `work`, cancelling it at DEADLINE: its `finally` blocks stop the servers and their sessions."""
    task = asyncio.ensure_future(work)  # type: ignore[arg-type]
    asyncio.get_running_loop().call_later(DEADLINE, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        raise SystemExit(f"bench_ssh: stopped at its {DEADLINE:.0f} s deadline") from None


def progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


async def main(only: str | None = None, scenario: Path | None = None, until: str = "1s") -> None:
    from drilltui.scenario import load, loads

    with tempfile.TemporaryDirectory(prefix="bench-ssh-") as tmp:
        progress(f"working in {tmp}")
        work = Path(tmp)
        (work / "bench.yaml").write_text(scenario.read_text() if scenario else SCENARIO)
        model = load(work / "bench.yaml") if scenario else loads(SCENARIO)
        controller = next(r.id for r in model.roles if r.kind == "controller")
        roles = [r.id for r in model.roles if r.id != controller] if scenario else list(ROLES)
        # The drill runs headless (injects released, deadlines passing) until `until`, then everyone joins it.
        (work / "start.yaml").write_text(f"- {{at: 0s, as: {controller}, do: start}}\n")
        drilltui = [sys.executable, "-m", "drilltui"]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        made = subprocess.run([*drilltui, "run", str(work / "bench.yaml"), "--headless", "--script", str(work / "start.yaml"),
                               "--db", str(work / "drills.db"), "--until", until], capture_output=True, text=True, env=env, timeout=120)
        if made.returncode:
            raise SystemExit(made.stderr)
        drill_id = made.stdout.strip().splitlines()[-1]
        global LABEL
        LABEL = f"scenario {model.id} ({len(model.roles)} roles, {len(model.injects)} injects), joined at T+{until}"
        keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(SESSIONS)]
        participants = write_participants(work, keys, controller, roles)
        results: dict[str, dict[str, float]] = {}

        runs = {
            "drill": [*drilltui, "serve", drill_id, "--db", str(work / "drills.db"), "--participants", str(participants),
                      "--listen", "127.0.0.1:0", "--max-sessions", str(SESSIONS)],
            "textual": [sys.executable, __file__, "--baseline-server", "textual", str(participants)],
            "echo": [sys.executable, __file__, "--baseline-server", "echo", str(participants)],
        }
        ready = {"drill": b"T+", "textual": b"PAUSED", "echo": b""}  # the drill clock is on every dashboard
        for name, argv in runs.items():
            if only and name != only:
                continue
            progress(f"{name}: starting {SESSIONS} sessions")
            run = Run(work, argv, keys)
            try:
                await run.start()
                alone = await run.start_alone(ready[name]) if ready[name] else [float("nan")]
                started = time.perf_counter()
                await run.connect(ready[name])  # the echo child prints nothing first: nothing to wait for
                connect_s = time.perf_counter() - started
                settled = await run.settle()  # every screen has drawn what the joins set off
                progress(f"{name}: {SESSIONS} sessions up in {connect_s:.1f} s, screens quiet {settled:.1f} s later; measuring")
                extra: dict[str, float] = {}
                if name == "drill":
                    assert run.proc is not None
                    server_pid = run.proc.pid
                    before = (cpu_seconds([server_pid]), own_cpu(server_pid), own_cpu(os.getpid()), time.perf_counter())
                    samples, pressed, missed = await drill_latency(run)
                    after = (cpu_seconds([server_pid]), own_cpu(server_pid), own_cpu(os.getpid()), time.perf_counter())
                    delays = commit_delays(drilltui, env, work / "drills.db", drill_id, pressed)
                    span = after[3] - before[3]
                    server = after[1] - before[1]
                    extra = {"missed": missed, "commit_p50": pct(delays, 0.5), "commit_p95": pct(delays, 0.95),
                             # CPU during the rounds, in cores: the session children, the SSH server, this client.
                             "cores_sessions": (after[0] - before[0] - server) / span, "cores_server": server / span,
                             "cores_client": (after[2] - before[2]) / span}
                    status, status_pressed, status_missed = await status_latency(run, max(1, ROUNDS // 2))
                    status_delays = commit_delays(drilltui, env, work / "drills.db", drill_id, status_pressed, ("role_status_changed",))
                    extra |= {"status_p50": pct(status, 0.5), "status_p95": pct(status, 0.95), "status_max": max(status, default=float("nan")),
                              "status_n": len(status), "missed": missed + status_missed,
                              "status_commit_p50": pct(status_delays, 0.5), "status_commit_p95": pct(status_delays, 0.95)}
                    said, said_pressed, said_missed = await message_latency(run, max(1, ROUNDS // 2),
                                                                            message_targets(model, controller))
                    said_delays = commit_delays(drilltui, env, work / "drills.db", drill_id, said_pressed, ("message_sent",))
                    extra |= {"message_p50": pct(said, 0.5), "message_p95": pct(said, 0.95),
                              "message_max": max(said, default=float("nan")), "message_n": len(said),
                              "missed": extra["missed"] + said_missed,
                              "message_commit_p50": pct(said_delays, 0.5), "message_commit_p95": pct(said_delays, 0.95)}
                elif name == "textual":
                    samples, _, missed = await drill_latency(run)
                    extra = {"missed": missed}
                else:
                    samples = await echo_rtt(run)
                rss, pss, template = run.memory()
                cpu = await run.idle_cpu()
                results[name] = {"p50": pct(samples, 0.5), "p95": pct(samples, 0.95), "max": max(samples, default=float("nan")), "n": len(samples),
                                 "rss": rss, "pss": pss, "template": template, "connect": connect_s, "cpu": cpu,
                                 "start_p50": pct(run.starts, 0.5), "start_p95": pct(run.starts, 0.95),
                                 "alone": pct(alone, 0.5), **extra}
            finally:
                await run.stop()
        if only is None:
            report(results)
        else:
            print(results)


async def echo_rtt(run: Run) -> list[float]:
    """Bare transport: one byte through client, server, PTY, raw echo child and back."""
    samples: list[float] = []
    for _ in range(max(1, ROUNDS // 4)):
        for chan, screen in zip(run.chans, run.screens):
            screen.expect(b"z")
            start = time.perf_counter()
            chan.write(b"z")
            seen = await screen.wait(10)
            if seen is None:
                raise SystemExit("an echo session did not answer")
            samples.append(seen - start)
    return samples


def report(results: dict[str, dict[str, float]]) -> None:
    d, t, e = results["drill"], results["textual"], results["echo"]
    load = os.getloadavg()[0]
    others = SESSIONS - 1
    print(f"drilltui bench_ssh: {SESSIONS} concurrent SSH sessions on loopback, python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the end")
    print(LABEL)
    print()
    print(f"{'':40}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'samples':>8}{'RSS MiB':>8}{'PSS MiB':>8}{'idle %':>8}"
          f"{'start s':>8}{'p95 s':>7}{'alone s':>8}")
    status = {**d, "p50": d["status_p50"], "p95": d["status_p95"], "max": d["status_max"], "n": d["status_n"]}
    said = {**d, "p50": d["message_p50"], "p95": d["message_p95"], "max": d["message_max"], "n": d["message_n"]}
    rows = ((f"drill: pause -> {others} other screens", d), (f"drill: status -> {others} role boards", status),
            (f"drill: message -> {others} inboxes", said),
            (f"bare Textual: key -> {others} other screens", t),
            ("bare echo child: key -> echo", e))
    for label, r in rows:
        print(f"{label:40}{r['p50'] * 1000:8.1f}{r['p95'] * 1000:8.1f}{r['max'] * 1000:8.1f}{r['n']:8.0f}"
              f"{r['rss']:8.1f}{r['pss']:8.1f}{r['cpu']:8.1f}{r['start_p50']:8.2f}{r['start_p95']:7.2f}{r['alone']:8.2f}")
    print(f"(per session child; PSS includes each session's share of the session template ({d['template']:.1f} MiB PSS); "
          f"idle % is of one core over 5 s with nobody typing; start is connect to first screen, {START_BATCH} at a time; "
          f"alone: the median of 4 started one at a time before the others)")
    print()
    print(f"drill, split at the commit: key -> event committed p50 {d['commit_p50'] * 1000:.0f} ms, "
          f"p95 {d['commit_p95'] * 1000:.0f} ms (status: p50 {d['status_commit_p50'] * 1000:.0f} ms, "
          f"p95 {d['status_commit_p95'] * 1000:.0f} ms; message: p50 {d['message_commit_p50'] * 1000:.0f} ms, "
          f"p95 {d['message_commit_p95'] * 1000:.0f} ms); the rest is the other sessions noticing and repainting. "
          f"Screens that missed a change within {WAIT:.0f} s: {d['missed']:.0f} (bare Textual: {t['missed']:.0f})")
    print(f"CPU while the rounds ran, in cores of {os.cpu_count()}: {SESSIONS} sessions {d['cores_sessions']:.2f}, "
          f"SSH server {d['cores_server']:.2f}, this bench's clients {d['cores_client']:.2f}")
    print(f"ratios to the bare Textual child, same run: PSS {d['pss'] / t['pss']:.2f}x (target <= 1.1x), "
          f"session start alone {d['alone'] / t['alone']:.2f}x (target <= 1.25x; {START_BATCH} at a time, p50 "
          f"{d['start_p50'] / t['start_p50']:.2f}x), "
          f"action to every other screen p95 {d['p95'] / t['p95']:.2f}x; RSS {d['rss'] / t['rss']:.2f}x")
    print(f"{SESSIONS} drill sessions: {d['rss'] * SESSIONS:.0f} MiB RSS, {d['pss'] * SESSIONS:.0f} MiB PSS in all")
    for what, p95 in (("pause", d["p95"]), ("status", d["status_p95"]), ("message", d["message_p95"])):
        verdict = "meets" if p95 < TARGET_P95 else "MISSES"
        print(f"target p95 < {TARGET_P95 * 1000:.0f} ms, {what}: {verdict} ({p95 * 1000:.0f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=SESSIONS, help=f"participants at once (default {SESSIONS})")
    parser.add_argument("--only", choices=("drill", "textual", "echo"), help="run one of the three measurements")
    parser.add_argument("--scenario", type=Path, help="a scenario file to drill instead of the one-inject bench scenario")
    parser.add_argument("--until", default="1s", help="drill time the drill runs to, headless, before the sessions join (default 1s)")
    parser.add_argument("--baseline-server", nargs=2, metavar=("MODE", "PARTICIPANTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        asyncio.run(baseline_server(args.baseline_server[0], Path(args.baseline_server[1])))
    else:
        SESSIONS = max(2, min(args.sessions, 120))
        asyncio.run(bounded(main(args.only, args.scenario, args.until)))
