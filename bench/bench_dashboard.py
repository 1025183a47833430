"""Dashboard speed: startup to first frame, and keypress -> committed -> displayed latency.

Run: python bench/bench_dashboard.py  (not part of the test suite)
Each figure is also printed as a ratio to a baseline measured in the same run,
because shared machines drift: a bare Textual app with the same widgets
(bench/bare_app.py: the dashboard's widget tree in Textual's own widgets, its
layout, borders and footer keys, on a screen pushed at start as the dashboard
is), and a bare aiosqlite insert+commit at the same durability settings.
Startup is measured twice: whole processes on a pseudo-terminal, from spawn to
the first whole frame on the terminal (`drilltui run` on a new database against
`python bench/bare_app.py`; whole: the panes and every key of the footer, see
FIRST_FRAME), and inside this process (app built, composed, mounted, first
refresh). "Inside" latency runs from the key's action to the displayed frame
(Textual's post_display_hook), not to the panes' redraw.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiosqlite
from textual.app import App
from textual.binding import Binding
from textual.widgets import Static

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

import bare_app  # noqa: E402
from ptyrun import Terminal  # noqa: E402

from drilltui.engine import Drill  # noqa: E402
from drilltui.journal import DrillJournal  # noqa: E402
from drilltui.paths import find_scenario  # noqa: E402
from drilltui.scenario import load  # noqa: E402
from drilltui.store import EventLog  # noqa: E402
from drilltui.ui.app import DrilltuiApp, Live  # noqa: E402
from drilltui.ui.settings import Settings  # noqa: E402

SIZE = (120, 36)
SCENARIO = "ai-lab-weights-exfiltration"
RUNS = 5
ACTIONS = 1000


class BareApp(bare_app.BareApp):
    """The same widgets, no drill; `]` and `[` change a Static, as the clock changes."""

    BINDINGS = [Binding("right_square_bracket", "speed('2x')", show=False), Binding("left_square_bracket", "speed('1x')", show=False)]

    def action_speed(self, text: str) -> None:
        self.screen.query_one("#clock", Static).update(f"T+00:00:00 {text}")


async def first_frame(make) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    app = await make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


async def open_drill(folder: Path):  # type: ignore[no-untyped-def]
    scenario = load(find_scenario(SCENARIO))
    log = await EventLog.open(folder / f"bench-{time.perf_counter_ns()}.db")
    drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text)
    drill = Drill(scenario, DrillJournal(log, drill_id), participant="bench", role=scenario.controllers[0].id)
    await drill.load()
    app = DrilltuiApp(Live(drill, drill_id, run_scheduler=False, join=False),
                      settings=Settings(path=folder / "c.yaml", bell=False), clock_interval=None)
    return app, log


async def bare_commits(folder: Path, n: int) -> list[float]:
    db = await aiosqlite.connect(folder / "bare.db")
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA synchronous=FULL")
    await db.execute("CREATE TABLE t (i INTEGER, data TEXT)")
    times = []
    for i in range(n):
        start = time.perf_counter()
        await db.execute("INSERT INTO t VALUES (?, ?)", (i, '{"factor": 2.0}'))
        await db.commit()
        times.append(time.perf_counter() - start)
    await db.close()
    return times


async def press_loop(app: App, ready, inside: list[float] | None = None) -> list[float]:  # type: ignore[no-untyped-def]
    """Press `]` and `[` in turn; time each until the clock shows the new speed and the screen is idle."""
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        if inside is not None:
            await pilot.press("s")
            hook(app, inside)
        while not ready(app):
            await pilot.pause(0.01)
        clock = app.screen.query_one("#clock")
        for i in range(ACTIONS):
            key, want = ("right_square_bracket", " 2x") if i % 2 == 0 else ("left_square_bracket", " 1x")
            start = time.perf_counter()
            await pilot.press(key)
            while want not in str(clock.render()):
                await pilot.pause(0)
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times


def hook(app, inside: list[float]) -> None:  # type: ignore[no-untyped-def]
    """Time from the key's action to the frame, displayed, that shows its committed event.

    The panes are redrawn in render_state; the frame is composed and handed to
    the terminal (Textual's `post_display_hook` runs right after) on the next
    refresh: that is where the time stops.
    """
    screen = app.screen
    started: list[float] = []
    drawn: list[float] = []
    actions = {name: getattr(screen, name) for name in ("action_speed_up", "action_speed_down")}
    render = screen.render_state

    def timed(name: str):  # type: ignore[no-untyped-def]
        def action() -> None:
            started.append(time.perf_counter())
            actions[name]()
        return action

    def timed_render(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        render(*args, **kwargs)
        if started and not kwargs.get("clock_only"):
            drawn.append(started.pop())

    def displayed() -> None:
        if drawn:
            inside.append(time.perf_counter() - drawn.pop())

    for name in actions:
        setattr(screen, name, timed(name))
    screen.render_state = timed_render
    app.post_display_hook = displayed


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


# The first frame is the whole screen: its panes and every key of its footer (both apps have these).
FIRST_FRAME = (b"Pending", b"Start", b"Messages", b"palette")


def whole_process(folder: Path, cpu: dict[str, list[float]] | None = None) -> tuple[list[float], list[float]]:
    """Spawn to first frame, whole processes in turn: the bare app, and `drilltui run` on a new database.

    `cpu` gets each one's CPU seconds by its first frame, under "bare" and "ours". Both run with
    bytecode written (PYTHONDONTWRITEBYTECODE unset): Textual was compiled when pip installed it,
    drilltui runs from src/, so without the first round's .pyc files every drilltui module would be
    compiled again on every start, which an installed drilltui never is.
    """
    env = {"PYTHONPATH": str(ROOT / "src"), "XDG_CONFIG_HOME": str(folder / "config"),
           "XDG_DATA_HOME": str(folder / "data"), "DRILLTUI_NAME": "bench", "PYTHONDONTWRITEBYTECODE": ""}
    bare, ours = [], []
    cpu = cpu if cpu is not None else {}
    for i in range(RUNS + 1):
        for name, times, argv in (
            ("bare", bare, [sys.executable, str(ROOT / "bench" / "bare_app.py")]),
            ("ours", ours, [sys.executable, "-m", "drilltui", "run", SCENARIO, "--db", str(folder / f"whole-{i}.db")]),
        ):
            term = Terminal(argv, env=env, size=SIZE)
            try:
                elapsed = term.wait_for(FIRST_FRAME)
                term.settle(quiet=0.2)
            finally:
                term.stop()
            if i:  # the first round warms the file cache
                times.append(elapsed)
                cpu.setdefault(name, []).append(term.cpu_at)
    return bare, ours


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        logs = []

        async def drill_app():  # type: ignore[no-untyped-def]
            app, log = await open_drill(folder)
            logs.append(log)
            return app

        async def bare_app():  # type: ignore[no-untyped-def]
            return BareApp()

        await first_frame(bare_app)  # warm imports
        await first_frame(drill_app)
        # In turn, as the whole processes are, so the machine's drift falls on both alike; and each starts with
        # the garbage of the ones before collected, so that neither pays for the other's.
        bare, ours = [], []
        for _ in range(RUNS):
            for make, times in ((bare_app, bare), (drill_app, ours)):
                gc.collect()
                times.append(await first_frame(make))
        for log in logs:
            await log.close()

        # End to end through Textual's Pilot, for both apps alike: the key goes in,
        # and the clock shows the new speed on screen.
        bare_keys = await press_loop(BareApp(), lambda app: True)
        app, log = await open_drill(folder)
        inside: list[float] = []
        ours_keys = await press_loop(app, lambda app: app.live.drill.state.started, inside)
        await log.close()
        baseline = await bare_commits(folder, ACTIONS)
        whole_cpu: dict[str, list[float]] = {}
        whole_bare, whole_ours = whole_process(folder, whole_cpu)

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores (CPU time is what it inflates least)")
    print(f"whole process to first frame on a pseudo-terminal at {SIZE[0]}x{SIZE[1]}, median of {RUNS}:")
    print(f"  python bench/bare_app.py         {statistics.median(whole_bare) * 1000:8.1f} ms")
    print(f"  drilltui run {SCENARIO} (new db) {statistics.median(whole_ours) * 1000:8.1f} ms   ratio "
          f"{statistics.median(whole_ours) / statistics.median(whole_bare):.2f}x   (best {min(whole_ours) / min(whole_bare):.2f}x)")
    cpu_bare, cpu_ours = statistics.median(whole_cpu["bare"]), statistics.median(whole_cpu["ours"])
    print(f"  CPU time by the first frame: bare {cpu_bare * 1000:.0f} ms, drilltui {cpu_ours * 1000:.0f} ms"
          f"   ratio {cpu_ours / cpu_bare:.2f}x (what a busy machine's queue does not inflate)")
    print(f"startup to first frame at {SIZE[0]}x{SIZE[1]}, in this process, median of {RUNS}:")
    print(f"  bare Textual app, same widgets   {statistics.median(bare) * 1000:8.1f} ms")
    print(f"  drilltui dashboard (+ database)  {statistics.median(ours) * 1000:8.1f} ms   ratio {statistics.median(ours) / statistics.median(bare):.2f}x")
    print(f"keypress -> committed -> repainted, {ACTIONS} speed changes, through Textual's Pilot:")
    for p in (50, 99):
        print(f"  p{p}: drilltui {pct(ours_keys, p) * 1000:7.2f} ms   bare Textual app {pct(bare_keys, p) * 1000:7.2f} ms"
              f"   ratio {pct(ours_keys, p) / pct(bare_keys, p):.2f}x")
    print("inside drilltui: key handler -> event committed -> panes redrawn:")
    for p in (50, 99):
        print(f"  p{p}: {pct(inside, p) * 1000:7.2f} ms   bare aiosqlite insert+commit {pct(baseline, p) * 1000:6.2f} ms"
              f"   ratio {pct(inside, p) / pct(baseline, p):.1f}x")


if __name__ == "__main__":
    asyncio.run(main())
