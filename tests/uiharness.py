"""A dashboard on a real drill database with a hand-moved clock, for Pilot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from memjournal import VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill
from drilltui.journal import DrillJournal
from drilltui.scenario import loads
from drilltui.store import EventLog
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.settings import Settings


async def until(pilot, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until `predicate()` holds; fail after `timeout` seconds."""
    async def wait() -> None:
        while not predicate():
            await pilot.pause(0.01)
    await asyncio.wait_for(wait(), timeout)


class Harness:
    def __init__(self, tmp_path, text: str = MINIMAL, role: str = "control") -> None:
        self.tmp_path = tmp_path
        self.text = text
        self.role = role
        self.wall = VirtualWall()

    async def open(self) -> DrilltuiApp:
        self.log = await EventLog.open(self.tmp_path / "drills.db")
        scenario = loads(self.text)
        self.drill_id = await self.log.create_drill(scenario.id, scenario.title, scenario.source_text, drill_id="mini-1")
        self.drill = Drill(scenario, DrillJournal(self.log, self.drill_id), participant="Dana", role=self.role, wall=self.wall)
        await self.drill.load()
        settings = Settings(path=self.tmp_path / "config.yaml", bell=False)
        self.app = DrilltuiApp(Live(self.drill, self.drill_id, run_scheduler=False), settings=settings, clock_interval=None)
        return self.app

    async def kinds(self) -> list[str]:
        return [e.kind for e in await self.log.read(self.drill_id)]

    async def close(self) -> None:
        await self.log.close()


def plain(renderable: object) -> str:
    """The text a Rich renderable shows, without styles."""
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


class ReplayHarness(DrilltuiApp):
    """The app on a replay, with the replay screen's transport in reach of the tests."""

    def __init__(self, source, settings: Settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(source, settings=settings, clock_interval=None)

    @property
    def player(self):  # type: ignore[no-untyped-def]
        from drilltui.ui.replay import ReplayScreen

        return next(s for s in self.screen_stack if isinstance(s, ReplayScreen))

    @property
    def drill(self):  # type: ignore[no-untyped-def]
        return self.player.player

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        if name in ("count", "replay", "playing", "speed", "run_live", "following", "watching", "seek_count",
                    "seek_time", "seek_end", "advance", "latest_time"):
            return getattr(self.player, name)
        raise AttributeError(name)


def row_texts(table) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of each row of a RowTable, its cells joined by spaces, without styles."""
    return [" ".join(plain(cell).strip() if not isinstance(cell, str) else cell for cell in cells)
            for _, cells in table.rows]
