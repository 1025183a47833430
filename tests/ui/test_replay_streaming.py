"""A long drill's replay shows its first frame before the log is read, fills in as pages come, and lands where it opens."""

from __future__ import annotations

import asyncio

from samples import MINIMAL
from ui.test_replay import EVENTS, SIZE, at_count, clock_text
from uiharness import ReplayHarness, until

from drilltui.scenario import loads
from drilltui.ui.replay import ReplaySource
from drilltui.ui.settings import Settings


class Pages:
    """The drill's events a few at a time, each page only when the test lets it go."""

    def __init__(self, events: list, size: int = 5) -> None:
        self.events, self.size = events, size
        self.go = asyncio.Event()
        self.asked_after: list[int] = []

    async def __call__(self, after: int):  # type: ignore[no-untyped-def]
        self.asked_after.append(after)
        await self.go.wait()
        rest = [e for e in self.events if e.seq > after]
        for i in range(0, len(rest), self.size):
            yield rest[i: i + self.size]


def app_on(tmp_path, pages: Pages, **kwargs) -> ReplayHarness:  # type: ignore[no-untyped-def]
    source = ReplaySource(loads(MINIMAL), [], "mini-1", pages=pages, tick=None, wall=lambda: 1_800_000_000.0, **kwargs)
    return ReplayHarness(source, Settings(path=tmp_path / "config.yaml", bell=False))


async def test_the_first_frame_comes_before_the_log_is_read(tmp_path) -> None:
    pages = Pages(EVENTS)
    app = app_on(tmp_path, pages)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: pages.asked_after == [0])
        assert len(app.replay) == 0 and "T+00:00:00" in clock_text(app)
        assert "reading the log" in str(app.player.query_one("#clock").border_title)
        pages.go.set()
        title = lambda: str(app.player.query_one("#clock").border_title)  # noqa: E731
        await until(pilot, lambda: len(app.replay) == len(EVENTS) and not app.player.reading
                    and "reading the log" not in title())
        await until(pilot, lambda: at_count(app, 0))  # a finished drill opens at its start
        app.seek_count(len(EVENTS))
        await until(pilot, lambda: at_count(app, len(EVENTS)))
        assert app.replay.final.ended


async def test_at_is_kept_until_the_log_is_read_that_far(tmp_path) -> None:
    pages = Pages(EVENTS)
    target = EVENTS[len(EVENTS) // 2].drill_time
    app = app_on(tmp_path, pages, at=target)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: pages.asked_after == [0])
        pages.go.set()
        await until(pilot, lambda: not app.player.reading)
        assert app.drill.time == target and app.count == app.replay.count_at(target)
