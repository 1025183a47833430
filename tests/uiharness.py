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
from drilltui.ui.app import DrillApp
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

    async def open(self) -> DrillApp:
        self.log = await EventLog.open(self.tmp_path / "drills.db")
        scenario = loads(self.text)
        self.drill_id = await self.log.create_drill(scenario.id, scenario.title, scenario.source_text, drill_id="mini-1")
        self.drill = Drill(scenario, DrillJournal(self.log, self.drill_id), participant="Dana", role=self.role, wall=self.wall)
        await self.drill.load()
        settings = Settings(path=self.tmp_path / "config.yaml", bell=False)
        self.app = DrillApp(self.drill, drill_id=self.drill_id, settings=settings, clock_interval=None, run_scheduler=False)
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
