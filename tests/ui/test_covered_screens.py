"""What the screens are told, and when: a screen out of view waits, a burst of commits is drawn once.

Both are about the terminal a remote player sees over SSH. Textual repaints the whole terminal for any message that
reaches the screen just below the top one, so a dashboard under the messages screen that was told of every event
sent every player the whole screen again for each. And a console told of each event of a burst one by one draws the
burst that many times, falling further behind the busier the machine is.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from samples import MINIMAL
from uiharness import Harness, row_texts, until

from drilltui.engine import Event
from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.events import utc_iso
from drilltui.journal import DrillJournal
from drilltui.store import EventLog
from drilltui.ui.board import EvaluatorBoard
from drilltui.ui.dashboard import Dashboard
from drilltui.ui.inbox import MessagesScreen
from drilltui.ui.journal import JournalScreen
from drilltui.ui.messages import StateChanged
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.roles import RoleBoard

SIZE = (120, 36)


@asynccontextmanager
async def started(tmp_path):  # type: ignore[no-untyped-def]
    """A controller's console on a real drill database, the drill started: (harness, app, pilot)."""
    h = Harness(tmp_path, MINIMAL)
    app = await h.open()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await h.drill.execute(c.Start())
            await pilot.pause()
            yield h, app, pilot
    finally:
        await h.close()


def told(screen) -> list[StateChanged]:  # type: ignore[no-untyped-def]
    """Every StateChanged posted to `screen` from now on."""
    seen: list[StateChanged] = []
    post = screen.post_message

    def spy(message):  # type: ignore[no-untyped-def]
        if isinstance(message, StateChanged):
            seen.append(message)
        return post(message)

    screen.post_message = spy
    return seen


async def test_the_dashboard_under_the_messages_screen_is_told_nothing_and_draws_what_it_missed_on_return(tmp_path) -> None:
    async with started(tmp_path) as (h, app, pilot):
        dashboard = app.screen
        assert isinstance(dashboard, Dashboard)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MessagesScreen))
        to_dashboard, to_messages = told(dashboard), told(app.screen)
        await h.drill.execute(c.Release("I-4"))
        await h.drill.execute(c.SendMessage("Status check, everyone", to=("soc", "lead")))
        await until(pilot, lambda: len(to_messages) >= 1)
        await pilot.pause()
        assert to_dashboard == []
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is dashboard)
        feed = dashboard.query_one(InjectFeed)
        await until(pilot, lambda: any("Contingency nudge" in row for row in row_texts(feed)))
        # Told once on its return, with the events it missed: the release, the message.
        kinds = [e.kind for m in to_dashboard for e in m.events]
        assert "inject_released" in kinds and "message_sent" in kinds


async def test_a_dialog_leaves_the_dashboard_in_view_so_it_goes_on_drawing(tmp_path) -> None:
    async with started(tmp_path) as (h, app, pilot):
        dashboard = app.screen
        await pilot.press("n")  # the note dialog: the panes stay in sight around it
        await until(pilot, lambda: app.screen is not dashboard)
        to_dashboard = told(dashboard)
        await h.drill.execute(c.Release("I-4"))
        feed = dashboard.query_one(InjectFeed)
        await until(pilot, lambda: any("Contingency nudge" in row for row in row_texts(feed)))
        assert to_dashboard


async def test_a_burst_of_commits_is_drawn_once_not_once_per_event(tmp_path) -> None:
    async with started(tmp_path) as (h, app, pilot):
        other = await EventLog.open(tmp_path / "drills.db")  # another console's connection, as over SSH
        try:
            dashboard = app.screen
            to_dashboard = told(dashboard)
            # Twenty status changes in one commit: this console reads them at once, as a busy one reads a burst.
            burst = [Event(ev.RoleStatusChanged("soc", "busy", f"step {n}"), 0.0, utc_iso(h.wall()), "Sam", "soc")
                     for n in range(20)]
            await DrillJournal(other, h.drill_id).append(burst, h.drill.state.seq)
            await until(pilot, lambda: any("step 19" in str(e.body) for m in to_dashboard for e in m.events))
            await pilot.pause()
            events = [e for m in to_dashboard for e in m.events]
            assert [e.body for e in events] == [e.body for e in burst]  # every event, in order, once
            assert len(to_dashboard) == 1  # drawn for the burst, not for each of its 20 events
            assert to_dashboard[0].state is h.drill.state
            board = dashboard.query_one(RoleBoard)
            await until(pilot, lambda: any("SOC" in row and "busy" in row for row in row_texts(board)))
        finally:
            await other.close()


async def test_the_journal_and_the_board_rebuild_their_footers_only_when_their_keys_change(tmp_path) -> None:
    """A footer is rebuilt widget by widget, the dearest part of a redraw: not for events that change no key."""
    async with started(tmp_path) as (h, app, pilot):
        for key, kind in (("j", JournalScreen), ("v", EvaluatorBoard)):
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, kind))  # noqa: B023 - awaited in the loop
            await pilot.pause()
            screen, rebuilt = app.screen, []
            refresh = screen.refresh_bindings
            screen.refresh_bindings = lambda: (rebuilt.append(1), refresh())  # type: ignore[method-assign]
            for n in range(5):
                await h.drill.execute(c.SetStatus("soc", "busy", f"step {n}"), participant="Sam", role="soc")
                await pilot.pause()
            assert rebuilt == [], kind
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, Dashboard))
