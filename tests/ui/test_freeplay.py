"""Free play on the dashboard: injects written in play, messages between consoles, taskings that escalate, `/` filters."""

from __future__ import annotations

from contextlib import asynccontextmanager

from samples import WITH_SIMCELL
from textual.widgets import Input, SelectionList, TextArea
from uiharness import Harness, plain, row_texts, until

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.journal import DrillJournal
from drilltui.scenario import loads
from drilltui.ui.activity import ActivityScreen, ActivityTable
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.dashboard import Dashboard
from drilltui.ui.inbox import MessagesScreen, MessageTable
from drilltui.ui.inject_composer import InjectComposer
from drilltui.ui.journal import JournalScreen, JournalTable
from drilltui.ui.message_composer import MessageComposer
from drilltui.ui.panes.detail import InjectDetail
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.search import SearchDialog
from drilltui.ui.settings import Settings

SIZE = (130, 40)


def under(app, kind):  # type: ignore[no-untyped-def]
    """The topmost screen of this kind (a dialog may be open over it)."""
    return next(s for s in reversed(app.screen_stack) if isinstance(s, kind))


def feed_rows(app) -> list[str]:
    return row_texts(under(app, Dashboard).query_one(InjectFeed))


def message_rows(app) -> list[str]:
    return row_texts(under(app, MessagesScreen).query_one(MessageTable))


class Console:
    """A second console on the same drill database: another participant in another role."""

    def __init__(self, h: Harness, participant: str, role: str) -> None:
        self.drill = Drill(loads(h.text), DrillJournal(h.log, h.drill_id), participant=participant, role=role, wall=h.wall)
        settings = Settings(path=h.tmp_path / f"{role}.yaml", bell=True)
        self.app = DrilltuiApp(Live(self.drill, h.drill_id, run_scheduler=False), settings=settings, clock_interval=None)
        self.bells = 0
        self.app.bell = self._bell  # type: ignore[method-assign]

    def _bell(self) -> None:
        self.bells += 1


@asynccontextmanager
async def two_consoles(tmp_path, first: str, second: tuple[str, str]):
    """The harness's console (Dana as `first`) and a second one, both running, the drill started."""
    h = Harness(tmp_path, WITH_SIMCELL, role=first)
    app = await h.open()
    await h.drill.execute(c.Start(), role="control")
    await h.drill.load()
    other = Console(h, *second)
    await other.drill.load()
    try:
        async with app.run_test(size=SIZE) as pilot, other.app.run_test(size=SIZE) as other_pilot:
            yield h, pilot, other, other_pilot
    finally:
        await h.close()


async def test_a_controller_writes_an_inject_a_player_acknowledges_after_it_escalates_on_its_deadline(tmp_path) -> None:
    async with two_consoles(tmp_path, "control", ("Lee", "lead")) as (h, pilot, lead, lead_pilot):
        app = h.app
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InjectComposer))
        composer = app.screen
        composer.query_one("#to", SelectionList).select("soc")
        composer.query_one("#title", Input).value = "A reporter is at the gate"
        composer.query_one("#from", Input).value = "Daily Post"
        composer.query_one("#message", TextArea).text = "She asks about the outage."
        composer.query_one("#ack", Input).value = "1m"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, Dashboard))
        await until(pilot, lambda: any("ADHOC-1" in r and "✚ ad hoc A reporter is at the gate" in r for r in feed_rows(app)))
        assert (await h.kinds())[-2:] == ["inject_added", "inject_released"]
        # Its deadline passes: the scheduler escalates it from the SOC analyst to the security lead.
        h.wall.advance(61)
        await h.drill.tick()
        await until(lead_pilot, lambda: any("ADHOC-1" in r and "new" in r for r in feed_rows(lead.app)))
        lead_feed = lead.app.screen.query_one(InjectFeed)
        lead_feed.move_to("ADHOC-1")
        await lead_pilot.pause()
        await lead_pilot.press("a")
        await until(pilot, lambda: any("ADHOC-1" in r and "✓ ack" in r for r in feed_rows(app)))
        kinds = await h.kinds()
        assert kinds[-3:] == ["inject_expired", "inject_escalated", "inject_acknowledged"]
        item = h.drill.state.injects["ADHOC-1"]
        assert item.acknowledged_by == "lead" and item.holder == "lead"
        history = plain(lead.app.screen.query_one(InjectDetail).body.content)
        assert "written during play (ad hoc) by Dana (Exercise Control)" in history
        assert "released ad hoc, by Dana (Exercise Control); sent to SOC Analyst; acknowledge by T+00:01:00" in history


async def test_a_refused_inject_says_why_in_the_composer_and_writes_nothing(tmp_path) -> None:
    async with two_consoles(tmp_path, "control", ("Sam", "soc")) as (h, pilot, soc, soc_pilot):
        app = h.app
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InjectComposer))
        app.screen.query_one("#title", Input).value = "No recipient"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "at least one role" in plain(app.screen.query_one(".error").render()))
        assert isinstance(app.screen, InjectComposer)
        assert "inject_added" not in await h.kinds()
        await soc_pilot.press("i")  # a player may not write injects: the key says why
        await until(soc_pilot, lambda: any("may not write injects" in n.message for n in soc.app._notifications))


async def test_a_player_messages_the_simcell_who_replies_as_the_party_and_both_see_it(tmp_path) -> None:
    async with two_consoles(tmp_path, "soc", ("Sim", "sim")) as (h, pilot, sim, sim_pilot):
        app = h.app
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MessagesScreen))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, MessageComposer))
        app.screen.query_one("#party", Input).value = "State regulator"
        app.screen.query_one("#text", Input).value = "Must we report this outage?"
        app.screen.query_one("#text", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MessagesScreen))
        await until(pilot, lambda: any("Must we report" in r for r in message_rows(app)))
        # The SimCell's console: a notice and the bell, then the message in its outside-parties inbox, unread.
        await until(sim_pilot, lambda: any("Must we report" in n.message for n in sim.app._notifications))
        sim.app.notices.flush(bell_on=True)
        assert sim.bells >= 1
        await h.drill.execute(c.SendMessage("And the vendor?", party="Vendor"), participant="Sam", role="soc")
        await until(sim_pilot, lambda: "M-2" in sim.drill.state.messages)
        await sim_pilot.press("m")
        await until(sim_pilot, lambda: isinstance(sim.app.screen, MessagesScreen))
        # Newest first; the one under the cursor is read once it has been shown a moment, the other stays unread.
        await until(sim_pilot, lambda: "sim" in sim.drill.state.messages["M-2"].read_by)
        rows = message_rows(sim.app)
        assert "M-2" in rows[0] and "● new" not in rows[0]
        assert "M-1" in rows[1] and "● new" in rows[1] and "State regulator" in rows[1]
        await sim_pilot.press("down")
        await until(sim_pilot, lambda: "sim" in sim.drill.state.messages["M-1"].read_by)
        await until(sim_pilot, lambda: "● new" not in message_rows(sim.app)[1])
        await sim_pilot.press("r")
        await until(sim_pilot, lambda: isinstance(sim.app.screen, MessageComposer))
        composer = sim.app.screen
        assert composer.query_one("#as-party", Input).value == "State regulator"
        assert composer.query_one("#to", SelectionList).selected == ["soc"]
        composer.query_one("#text", Input).value = "Yes, within 72 hours."
        await sim_pilot.press("enter")
        await until(sim_pilot, lambda: isinstance(sim.app.screen, MessagesScreen))
        await until(pilot, lambda: any("State regulator" in r and "Yes, within 72 hours" in r for r in message_rows(app)))
        await until(sim_pilot, lambda: any("Yes, within 72 hours" in r for r in message_rows(sim.app)))
        reply = h.drill.state.messages["M-3"]
        assert (reply.sender, reply.as_party, reply.to, reply.reply_to) == ("sim", "State regulator", ("soc",), "M-1")


async def test_a_tasking_past_its_due_time_escalates_and_shows_on_the_role_board(tmp_path) -> None:
    async with two_consoles(tmp_path, "ic", ("Lee", "lead")) as (h, pilot, lead, lead_pilot):
        app = h.app
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MessagesScreen))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, MessageComposer))
        composer = app.screen
        composer.query_one("#to", SelectionList).select("soc")
        composer.query_one("#kind").value = "task"
        composer.query_one("#due", Input).value = "30s"
        composer.query_one("#text", Input).value = "Pull the firewall logs"
        composer.query_one("#text", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: "M-1" in h.drill.state.messages)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, Dashboard))
        board = app.screen.query_one(RoleBoard)
        await until(pilot, lambda: "asks" in board.keys and board.cells("soc")["asks"] == "1")
        h.wall.advance(31)
        await h.drill.tick()
        assert (await h.kinds())[-2:] == ["message_expired", "message_escalated"]
        await until(pilot, lambda: board.cells("soc")["asks"] == "" and board.cells("lead")["asks"] == "1")
        # The lead now holds it: a notice on its console, and the tasking in its inbox as escalated.
        await until(lead_pilot, lambda: any("M-1" in n.message for n in lead.app._notifications))
        await lead_pilot.press("m")
        await until(lead_pilot, lambda: isinstance(lead.app.screen, MessagesScreen))
        await until(lead_pilot, lambda: any("▲ escalated" in r and "Pull the firewall logs" in r for r in message_rows(lead.app)))


async def test_slash_filters_the_feed_the_journal_and_the_messages_and_logs_nothing(tmp_path) -> None:
    async with two_consoles(tmp_path, "control", ("Sam", "soc")) as (h, pilot, soc, _):
        app = h.app
        await h.drill.execute(c.WriteInject(("soc",), "Critical alert", severity="critical"))
        await h.drill.execute(c.WriteInject(("ic",), "Board call", severity="low"))
        await h.drill.execute(c.AddNote("IC briefed the board", inject="ADHOC-2"))
        await h.drill.execute(c.SendMessage("Where are you?", ("soc",)))
        await until(pilot, lambda: len(feed_rows(app)) == 2)
        before = await h.kinds()
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, SearchDialog))
        await pilot.press(*"sev:crit")
        await until(pilot, lambda: len(feed_rows(app)) == 1 and "Critical alert" in feed_rows(app)[0])
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Dashboard))
        assert "filter: sev:crit" in app.screen.query_one(InjectFeed).border_subtitle
        await pilot.press("slash")
        await pilot.press("ctrl+u", *"role:ic")  # clear the field, then a role
        await until(pilot, lambda: len(feed_rows(app)) == 1 and "Board call" in feed_rows(app)[0])
        await pilot.press("escape")  # puts back the filter before
        await until(pilot, lambda: len(feed_rows(app)) == 1 and "Critical alert" in feed_rows(app)[0])
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press("slash", *"board")
        await until(pilot, lambda: len(row_texts(under(app, JournalScreen).query_one(JournalTable))) == 1)
        await pilot.press("enter", "escape")
        await until(pilot, lambda: isinstance(app.screen, Dashboard))
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MessagesScreen) and len(message_rows(app)) == 1)
        await pilot.press("slash", *"status:open")
        await until(pilot, lambda: message_rows(app) == [])
        await pilot.press("enter")
        assert await h.kinds() == before, "a filter is a view: it writes nothing"


async def test_the_activity_screen_shows_a_players_own_log_only(tmp_path) -> None:
    async with two_consoles(tmp_path, "soc", ("Dana", "control")) as (h, pilot, _, _):
        app = h.app
        await h.drill.execute(c.SendMessage("Looking at it", ("lead",)), participant="Sam", role="soc")
        await h.drill.execute(c.SetStatus("soc", "busy", "triage"), participant="Sam", role="soc")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, ActivityScreen))
        table = app.screen.query_one(ActivityTable)
        await until(pilot, lambda: len(table.rows) == 2)
        texts = row_texts(table)
        assert "status status busy: triage" in texts[0]
        assert "said M-1 said to Security Lead: Looking at it" in texts[1]
        assert [k for k, _ in app.screen.query_one("#log-roles").rows] == ["soc"]
        head = plain(app.screen.query_one("#ics214-head").render())
        assert "1. Incident name: A minimal drill" in head and "4. ICS position: SOC Analyst (soc)" in head


async def test_replay_shows_injects_written_in_play_and_messages_at_their_moments(tmp_path) -> None:
    from memjournal import MemoryJournal, VirtualWall
    from uiharness import ReplayHarness

    from drilltui.ui.panes.eventlog import EventLogPane
    from drilltui.ui.replay import ReplayScreen, ReplaySource

    wall = VirtualWall()
    drill = Drill(loads(WITH_SIMCELL), MemoryJournal(), participant="Dana", role="control", wall=wall)
    await drill.execute(c.Start())
    wall.advance(30)
    await drill.execute(c.WriteInject(("soc",), "A reporter calls", sender="Daily Post"))  # T+00:00:30
    wall.advance(30)
    await drill.execute(c.SendMessage("Must we report this?", party="State regulator"), participant="Sam", role="soc")  # T+1m
    wall.advance(30)
    await drill.execute(c.SendMessage("Yes, in 72 hours", ("soc",), as_party="State regulator", reply_to="M-1"),
                        participant="Sim", role="sim")  # T+00:01:30
    events = drill.journal.events  # type: ignore[attr-defined]
    app = ReplayHarness(ReplaySource(drill.scenario, events, "mini-1", tick=None, wall=lambda: wall.t),
                        Settings(path=tmp_path / "c.yaml", bell=False))
    async with app.run_test(size=SIZE) as pilot:
        app.seek_time(29)
        await until(pilot, lambda: feed_rows(app) == [])
        app.seek_time(30)
        await until(pilot, lambda: any("ADHOC-1" in r and "✚ ad hoc A reporter calls" in r for r in feed_rows(app)))
        log = app.screen.query_one(EventLogPane)
        assert "ADHOC-1 written ad hoc: A reporter calls -> soc" in plain(log.content)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MessagesScreen))
        await until(pilot, lambda: message_rows(app) == [])  # nothing said yet at T+00:00:30
        under(app, ReplayScreen).seek_time(60)
        await until(pilot, lambda: len(message_rows(app)) == 1 and "Must we report this?" in message_rows(app)[0])
        under(app, ReplayScreen).seek_time(90)
        await until(pilot, lambda: len(message_rows(app)) == 2 and "State regulator" in message_rows(app)[0])
        await pilot.press("w")  # a replay writes nothing: the key says why
        await until(pilot, lambda: any("read-only" in n.message for n in app._notifications))
        under(app, ReplayScreen).seek_time(59)
        await until(pilot, lambda: message_rows(app) == [])
    assert len(events) == 5, "the replay wrote nothing"
