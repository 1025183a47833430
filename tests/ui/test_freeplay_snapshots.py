"""Snapshots of the messages screen and the inject composer at a fixed drill time (frozen clock)."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import WITH_SIMCELL
from textual.widgets import Input, TextArea

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import loads
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.inbox import MessagesScreen
from drilltui.ui.settings import Settings


def make_app(tmp_path, role: str = "control") -> tuple[DrilltuiApp, Drill, VirtualWall]:
    wall = VirtualWall()
    drill = Drill(loads(WITH_SIMCELL), MemoryJournal(), participant="Dana", role=role, wall=wall)
    app = DrilltuiApp(Live(drill, "mini-20260101-0900", run_scheduler=False, join=False),
                      settings=Settings(path=tmp_path / "c.yaml", bell=False), clock_interval=None)
    return app, drill, wall


async def traffic(pilot, drill: Drill, wall: VirtualWall) -> None:
    """T+00:03:30: a request to an outside party answered as it, a tasking gone overdue and escalated, a new message."""
    await drill.execute(c.Start(), participant="Dana", role="control")
    wall.advance(30)
    await drill.execute(c.SendMessage("Must we notify you of a suspected exfiltration?", party="State regulator",
                                      request=True, due=600), participant="Sam", role="soc")
    wall.advance(30)
    await drill.execute(c.SendMessage("Within 72 hours, in writing.", ("soc",), as_party="State regulator",
                                      reply_to="M-1"), participant="Sim", role="sim")
    await drill.execute(c.SendMessage("Pull the proxy logs for tc-east-2", ("soc",), task=True, due=60),
                        participant="Lee", role="lead")
    wall.advance(90)
    await drill.tick()
    await drill.execute(c.ReadMessage("M-1"), participant="Dana", role="control")
    wall.advance(60)
    await drill.execute(c.SendMessage("Board call moved to 10:00", ("control",)), participant="Ira", role="ic")
    await drill.execute(c.ReadMessage("M-1"), participant="Sim", role="sim")
    await pilot.pause()
    pilot.app.notices.waiting.clear()  # the notices of the traffic would flush at a wall second of their own
    pilot.app.clear_notifications()
    pilot.app.broadcast()
    await pilot.pause()


@pytest.mark.parametrize("size", [(100, 30), (160, 40)], ids=["100x30", "160x40"])
def test_messages_screen(snap_compare, tmp_path, monkeypatch, size) -> None:
    monkeypatch.setattr(MessagesScreen, "read_after", None)  # no read receipt races the snapshot
    app, drill, wall = make_app(tmp_path)

    async def run_before(pilot) -> None:
        await traffic(pilot, drill, wall)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "down")  # the request to the regulator, with its reply
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_inject_composer(snap_compare, tmp_path) -> None:
    app, drill, wall = make_app(tmp_path)

    async def run_before(pilot) -> None:
        await drill.execute(c.Start())
        wall.advance(120)
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        composer = pilot.app.screen
        composer.query_one("#title", Input).value = "A reporter is at the front gate"
        composer.query_one("#from", Input).value = "Daily Post"
        composer.query_one("#message", TextArea).text = "She says staff told her the cluster is down."
        composer.query_one("#ack", Input).value = "5m"
        composer.query_one("#prompt", Input).value = "Give a statement?"
        composer.query_one("#options", Input).value = "yes: Read the holding line; no: No comment"
        await pilot.press("ctrl+s")  # nobody to send it to yet: the composer says so and stays open
        await pilot.pause()

    assert snap_compare(app, terminal_size=(110, 44), run_before=run_before)


def test_message_composer_replying_as_an_outside_party(snap_compare, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(MessagesScreen, "read_after", None)
    app, drill, wall = make_app(tmp_path, role="sim")

    async def run_before(pilot) -> None:
        await traffic(pilot, drill, wall)
        await drill.execute(c.SendMessage("Do you need our incident number?", party="State regulator", request=True),
                            participant="Sam", role="soc")
        await pilot.pause()
        pilot.app.notices.waiting.clear()
        pilot.app.clear_notifications()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("r")  # to the newest: the request to the regulator
        await pilot.pause()
        pilot.app.screen.query_one("#text", Input).value = "Yes, quote it on every update."
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 34), run_before=run_before)
