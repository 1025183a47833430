"""Dashboard speed: startup to first frame, and keypress -> committed -> repainted latency.

Run: python bench/bench_dashboard.py  (not part of the test suite)
Each figure is also printed as a ratio to a baseline measured in the same process,
because shared machines drift: a bare Textual app with the same widgets, and a
bare aiosqlite insert+commit at the same durability settings.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiosqlite
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static, Tree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from drilltui.engine import Drill  # noqa: E402
from drilltui.journal import DrillJournal  # noqa: E402
from drilltui.paths import find_scenario  # noqa: E402
from drilltui.scenario import load  # noqa: E402
from drilltui.store import EventLog  # noqa: E402
from drilltui.ui.app import DrilltuiApp, Live  # noqa: E402
from drilltui.ui.settings import Settings  # noqa: E402

SIZE = (120, 36)
RUNS = 5
ACTIONS = 1000


class BareApp(App):
    """The same widgets, no drill; `]` and `[` change a Static, as the clock changes."""

    BINDINGS = [("right_square_bracket", "speed('2x')"), ("left_square_bracket", "speed('1x')")]

    def action_speed(self, text: str) -> None:
        self.query_one("#clock", Static).update(f"T+00:00:00 {text}")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("T+00:00:00 1x", id="clock")
        with Horizontal():
            with Vertical():
                yield DataTable()
                yield Static("detail")
            with Vertical():
                yield DataTable()
                yield Tree("chain")
                yield DataTable()
        yield Footer()


async def first_frame(make) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    app = await make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


async def open_drill(folder: Path):  # type: ignore[no-untyped-def]
    scenario = load(find_scenario("ai-lab-weights-exfiltration"))
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
    """Time from the key's action to the redraw that shows its committed event."""
    screen = app.screen
    started: list[float] = []
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
            inside.append(time.perf_counter() - started.pop())

    for name in actions:
        setattr(screen, name, timed(name))
    screen.render_state = timed_render


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


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
        bare = [await first_frame(bare_app) for _ in range(RUNS)]
        ours = [await first_frame(drill_app) for _ in range(RUNS)]
        for log in logs:
            await log.close()

        # End to end through Textual's Pilot, for both apps alike: the key goes in,
        # and the clock shows the new speed on screen.
        bare_keys = await press_loop(BareApp(), lambda app: True)
        app, log = await open_drill(folder)
        inside: list[float] = []
        ours_keys = await press_loop(app, lambda app: app.drill.state.started, inside)
        await log.close()
        baseline = await bare_commits(folder, ACTIONS)

    print(f"startup to first frame at {SIZE[0]}x{SIZE[1]}, median of {RUNS}:")
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
