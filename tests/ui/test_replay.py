"""Replay: a drill played live and its replay agree at every event; every transport key; watch mode; the picker."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL
from textual.widgets import Input
from textual.widgets._footer import FooterKey
from uiharness import plain, until

from drilltui.engine import Drill, DrillState, Refused, fold
from drilltui.engine import commands as c
from drilltui.engine.replay import NOTABLE, Replay
from drilltui.journal import DrillJournal
from drilltui.scenario import format_drill_time, loads
from drilltui.store import EventLog
from drilltui.ui.bindings import DASHBOARD
from drilltui.ui.panes.eventlog import EventLogPane
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.timeline import Timeline
from drilltui.ui.replay import REPLAY_KEYS, GotoDialog, ReplayApp, ReplayPicker, ReplayRow, ReplayScreen
from drilltui.ui.settings import Settings

SIZE = (120, 36)
NAMES = {"control": "Dana", "soc": "Sam", "lead": "Lee", "ic": "Ira", "eval": "Eve"}


async def script(ctl: Drill, player: Drill, wall: VirtualWall, sync=None) -> None:  # type: ignore[no-untyped-def]
    """A short drill that makes every kind of event: releases of all three sorts, expiry, escalations, a decision."""

    async def settle() -> None:
        if sync is not None:
            await sync()

    async def do(role: str, command: c.Command) -> None:
        await player.execute(command, participant=NAMES[role], role=role)
        await settle()

    await ctl.execute(c.Start())
    await settle()
    wall.advance(30)
    await do("soc", c.Join("Sam"))
    wall.advance(40)
    await ctl.tick()  # I-1 at T+00:01:00
    await do("soc", c.SetStatus("soc", "busy", "triage"))
    wall.advance(60)
    await do("soc", c.Acknowledge("I-1"))
    await do("soc", c.Decide("I-1", "isolate"))
    await ctl.tick()  # I-3, triggered by the decision
    wall.advance(30)
    await do("eval", c.AddNote("SOC paged the lead by phone", "observation", inject="I-1"))
    await ctl.execute(c.SetSpeed(2))
    wall.advance(60)
    await ctl.tick()  # I-2, two minutes after I-1 was acknowledged
    await do("lead", c.Escalate("I-2"))
    wall.advance(400)
    await ctl.tick()  # deadlines pass: expiries
    await ctl.execute(c.Pause())
    await ctl.execute(c.Resume())
    await ctl.execute(c.Release("I-4"))
    wall.advance(10)
    await do("soc", c.Resolve("I-1"))
    await do("eval", c.Rate("O1", "S", "paged the lead late"))
    await ctl.execute(c.AddHotwashItem("improvement", "Page the lead sooner"))
    await do("soc", c.Leave("Sam"))
    wall.advance(90)
    await ctl.tick()  # I-4 expires with soc and climbs to lead
    await ctl.execute(c.End("hotwash"))
    await settle()


def scripted_events() -> list:
    """The script's events, played on an in-memory journal (fast, for the key tests)."""

    async def run() -> list:
        wall = VirtualWall()
        drill = Drill(loads(MINIMAL), MemoryJournal(), participant="Dana", role="control", wall=wall)
        await script(drill, drill, wall)
        return list(drill.journal.events)  # type: ignore[attr-defined]

    return asyncio.run(run())


EVENTS = scripted_events()


def make_app(tmp_path, events=EVENTS, **kwargs) -> ReplayApp:  # type: ignore[no-untyped-def]
    kwargs.setdefault("tick", None)
    kwargs.setdefault("wall", lambda: 1_800_000_000.0)
    return ReplayApp(loads(MINIMAL), list(events), drill_id="mini-1",
                     settings=Settings(path=tmp_path / "config.yaml", bell=False), **kwargs)


def clock_text(app: ReplayApp) -> str:
    return plain(app.screen.query_one("#clock").content)


def log_pane(app: ReplayApp) -> EventLogPane:
    return app.screen.query_one(EventLogPane)


def timeline(app: ReplayApp) -> Timeline:
    return app.screen.query_one(Timeline)


def at_count(app: ReplayApp, n: int) -> bool:
    """The screen shows the moment just after event n: clock, event log and timeline agree."""
    pane = log_pane(app)
    return (app.count == n and str(pane.border_subtitle).startswith(f"event {n} of ")
            and pane.highlighted == (n - 1 if n else None)
            and format_drill_time(app.drill.time) in clock_text(app)
            and str(timeline(app).border_subtitle).endswith(f"{format_drill_time(app.drill.time)} of {format_drill_time(app.replay.end_time)}"))


def test_the_script_makes_every_kind_of_notable_event() -> None:
    kinds = {e.kind for e in EVENTS}
    assert {"inject_released", "inject_escalated", "inject_expired", "decision_taken"} <= kinds
    assert {e.body.via for e in EVENTS if e.kind == "inject_released"} == {"scheduled", "triggered", "manual"}
    assert EVENTS[-1].kind == "drill_ended"


# -- live, then replayed: the same state at every event -------------------------------------


async def test_live_then_replay_identical_at_every_event(tmp_path) -> None:
    """Three sessions on three connections to one database, as in a room: control, players, and an observer
    whose screen follows the log event by event. The replay of the stored log must give the observer's state
    after every single event, and the control console's after every batch it committed or caught up on."""
    scenario = loads(MINIMAL)
    wall = VirtualWall()
    logs = [await EventLog.open(tmp_path / "drills.db") for _ in range(3)]
    try:
        drill_id = await logs[0].create_drill(scenario.id, scenario.title, scenario.source_text, drill_id="mini-live")
        ctl, player, observer = (Drill(scenario, DrillJournal(log, drill_id), participant=name, role=role, wall=wall)
                                 for log, name, role in zip(logs, ("Dana", "players", "Oscar"), ("control", "soc", "obs")))
        seen: dict[int, DrillState | None] = {0: observer.state}
        committed: dict[int, DrillState] = {}

        def observed(state: DrillState, events: list) -> None:
            for e in events[:-1]:
                seen[e.seq] = None  # applied in a batch: no state of its own was seen
            seen[events[-1].seq] = state

        observer.listeners.append(observed)
        ctl.listeners.append(lambda state, events: committed.update({state.seq: state}))
        following = asyncio.create_task(observer.follow())
        try:
            await script(ctl, player, wall, sync=ctl.catch_up)
            await asyncio.wait_for(_until(lambda: observer.state.seq == ctl.state.seq), 5)
        finally:
            following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await following

        record = await logs[0].drill(drill_id)
        stored = await DrillJournal(logs[0], drill_id).read(0)
    finally:
        for log in logs:
            await log.close()

    n = len(stored)
    assert n >= 20 and record.ended
    # The observer's follow() applies one event at a time, so it saw every state.
    assert sorted(seen) == list(range(n + 1)) and None not in seen.values()
    assert ctl.state == seen[n]

    replayed = loads(record.scenario_text, "<stored>")  # the replay reads the scenario stored with the drill
    for every in (1, 3, 500):
        replay = Replay(replayed, stored, every=every)
        for i in range(n + 1):
            assert replay.state_after(i) == seen[i], (every, i)
    for seq, state in committed.items():
        assert replay.state_after(seq) == state

    # Through the replay screen's own seeks, in every order it can be driven: forward, back, jumps.
    app = make_app(tmp_path, stored)
    async with app.run_test(size=SIZE) as pilot:
        order = [*range(n + 1), *range(n, -1, -1), *[(i * 7) % (n + 1) for i in range(n + 1)]]
        for i in order:
            app.seek_count(i)
            assert app.drill.state == seen[i], i
        await pilot.pause()
        assert at_count(app, order[-1])
        for e in stored:  # and by drill time: every event up to that moment has happened
            app.seek_time(e.drill_time)
            assert app.drill.state == seen[app.replay.count_at(e.drill_time)]


async def _until(predicate) -> None:  # type: ignore[no-untyped-def]
    while not predicate():
        await asyncio.sleep(0.01)


# -- the transport keys ------------------------------------------------------------------------


async def test_opens_at_the_start_home_and_end(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: at_count(app, 0))
        assert "T+00:00:00" in clock_text(app) and "READY" in clock_text(app)
        assert "start with s" not in clock_text(app)  # nobody can start a replay
        await pilot.press("end")
        await until(pilot, lambda: at_count(app, len(EVENTS)))
        assert "ENDED" in clock_text(app) and format_drill_time(EVENTS[-1].drill_time) in clock_text(app)
        await pilot.press("home")
        await until(pilot, lambda: at_count(app, 0))


async def test_home_and_end_work_from_every_pane(tmp_path) -> None:
    """The feed, roles and tree have home, end and space of their own; the replay's keys win."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for pane in ("2", "3", "1"):
            await pilot.press(pane, "end")
            await until(pilot, lambda: at_count(app, len(EVENTS)))
            await pilot.press("home")
            await until(pilot, lambda: at_count(app, 0))
            await pilot.press("space")
            await until(pilot, lambda: app.playing)
            await pilot.press("space")
            await until(pilot, lambda: not app.playing)


async def test_step_forward_and_back(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("full_stop")
        await until(pilot, lambda: at_count(app, 1))
        assert "RUNNING" in clock_text(app)  # the first event started the drill
        assert "drill started" in plain(log_pane(app).content)
        await pilot.press("full_stop", "full_stop", "full_stop")
        await until(pilot, lambda: at_count(app, 4))
        await pilot.press("comma")
        await until(pilot, lambda: at_count(app, 3))
        await pilot.press("comma", "comma", "comma", "comma")  # past the start: stays there
        await until(pilot, lambda: at_count(app, 0))


async def test_event_log_rows_follow_the_cursor(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for n in (1, len(EVENTS) // 2, len(EVENTS)):
            app.seek_count(n)
            await until(pilot, lambda: at_count(app, n))
            pane = log_pane(app)
            assert n - 1 in pane.rows and len(pane.rows) >= 5
            e = EVENTS[n - 1]
            assert f"{e.seq}  {format_drill_time(e.drill_time)[2:]}" in plain(pane.content)


async def test_next_and_previous_mark(tmp_path) -> None:
    app = make_app(tmp_path)
    notable = [i + 1 for i, e in enumerate(EVENTS) if isinstance(e.body, NOTABLE)]
    async with app.run_test(size=SIZE) as pilot:
        for n in notable:
            await pilot.press("greater_than_sign")
            await until(pilot, lambda: at_count(app, n))
            assert isinstance(EVENTS[n - 1].body, NOTABLE)
        await pilot.press("greater_than_sign")  # none left: a warning, and the cursor stays
        await until(pilot, lambda: any("No more" in str(m.message) for m in app._notifications))
        assert app.count == notable[-1]
        for n in reversed(notable[:-1]):
            await pilot.press("less_than_sign")
            await until(pilot, lambda: at_count(app, n))


async def test_play_pause_and_the_end(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await until(pilot, lambda: app.playing and "▶ playing" in str(timeline(app).border_subtitle))
        app._advance(75.0)  # 75 s of drill time at 1x
        await until(pilot, lambda: app.drill.time == 75.0 and "T+00:01:15" in clock_text(app))
        assert app.count == app.replay.count_at(75.0) and at_count(app, app.count)
        await pilot.press("space")
        await until(pilot, lambda: not app.playing and "⏸ paused" in str(timeline(app).border_subtitle))
        app._advance(75.0)  # paused: nothing moves
        assert app.drill.time == 75.0
        await pilot.press("space")
        app._advance(10_000.0)  # past the end: stops there
        await until(pilot, lambda: not app.playing and at_count(app, len(EVENTS)))
        assert app.drill.time == app.replay.end_time
        await pilot.press("space")  # at the end, play starts again from the beginning
        await until(pilot, lambda: app.playing and at_count(app, 0))


async def test_speed_keys(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: app.speed == 2 and "2x" in str(timeline(app).border_subtitle))
        await pilot.press(*["right_square_bracket"] * 8)
        await until(pilot, lambda: app.speed == 64)  # the top
        assert "at 64x" in str(app.screen.query_one("#clock").border_title)
        await pilot.press(*["left_square_bracket"] * 12)
        await until(pilot, lambda: app.speed == 0.25)  # the bottom
        await pilot.press("right_square_bracket", "right_square_bracket", "space")
        await until(pilot, lambda: app.speed == 1 and app.playing)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await until(pilot, lambda: app.speed == 4)
        app._advance(10.0)  # 10 s at 4x
        await until(pilot, lambda: app.drill.time == 40.0 and "T+00:00:40" in clock_text(app))


async def test_goto_typed_time(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GotoDialog))
        await pilot.press(*"nonsense", "enter")  # refused, the dialog stays
        await until(pilot, lambda: len(app._notifications) > 0)
        assert isinstance(app.screen, GotoDialog)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"T+00:04:00", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.drill.time == 240.0)
        await until(pilot, lambda: "T+00:04:00" in clock_text(app) and at_count(app, app.replay.count_at(240.0)))
        await pilot.press("g", *"2m", "enter")
        await until(pilot, lambda: app.drill.time == 120.0)
        await pilot.press("g", *"9h", "enter")  # past the end: the end, and a word why
        await until(pilot, lambda: at_count(app, len(EVENTS)) and app.drill.time == app.replay.end_time)
        await pilot.press("g", "escape")  # cancel: nothing moves
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        assert app.drill.time == app.replay.end_time


async def test_click_on_the_timeline_seeks(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        strip = timeline(app)
        await until(pilot, lambda: strip.content_region.width > 0)
        width = strip.content_region.width
        await pilot.click(Timeline, offset=(strip.content_region.x - strip.region.x + width // 2, 1))
        await until(pilot, lambda: app.count > 0)
        assert abs(app.drill.time - app.replay.end_time / 2) <= app.replay.end_time / width


async def test_starts_at_a_given_time_and_speed(tmp_path) -> None:
    app = make_app(tmp_path, at=130.0, speed=8)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "T+00:02:10" in clock_text(app) and "8x" in str(timeline(app).border_subtitle))
        assert app.count == app.replay.count_at(130.0)
        assert app.drill.state.injects["I-1"].acknowledged_at == 130.0
        feed = app.screen.query_one(InjectFeed)
        assert feed.row_count == 2  # I-1 and, triggered by the decision at the same moment, I-3


# Every dashboard action a replay has no key for: all of them change the drill (or the bell, or the pending list).
DASHBOARD_ONLY = {b.action for b in DASHBOARD} - {b.action for b in REPLAY_KEYS}


async def test_read_only_no_mutating_keys_in_the_footer_and_they_do_nothing(tmp_path) -> None:
    assert {"start", "acknowledge", "release", "end", "note", "rate", "toggle_clock"} <= DASHBOARD_ONLY
    app = make_app(tmp_path, at=200.0)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "goto" in {k.action for k in app.screen.query(FooterKey)})
        shown = {k.action for k in app.screen.query(FooterKey)}
        assert {"play", "speed(2)", "speed(0.5)", "step(1)", "step(-1)", "notable(1)", "notable(-1)", "goto"} <= shown
        assert not shown & DASHBOARD_ONLY
        assert not {b.binding.action for b in app.active_bindings.values()} & DASHBOARD_ONLY
        before = (app.count, app.drill.time, app.drill.state, len(app.replay))
        for key in ("s", "a", "x", "e", "d", "t", "n", "r", "R", "h", "b", "4", "ctrl+e"):
            await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)  # no dialog opened
        assert (app.count, app.drill.time, app.drill.state, len(app.replay)) == before


async def test_the_engine_refuses_a_replay_anyway(tmp_path) -> None:
    app = make_app(tmp_path, at=200.0)
    async with app.run_test(size=SIZE) as pilot:
        with pytest.raises(Refused, match="read-only"):
            await app.drill.execute(c.Acknowledge("I-2"))
        await until(pilot, lambda: app.screen.query_one(InjectFeed).selected == "I-3")
        state = app.drill.state
        # A dashboard action reached by any other way goes through the same refusal.
        app.screen.action_acknowledge()
        app.screen.action_start()
        await until(pilot, lambda: sum("read-only" in str(m.message) for m in app._notifications) == 2)
        assert app.drill.state is state and len(app.replay) == len(EVENTS)


async def test_small_terminal_still_says_where_and_how_fast(tmp_path) -> None:
    """At 80x24 the clock loses its border (and its title): the timeline keeps the play state and speed."""
    app = make_app(tmp_path, at=200.0, speed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: at_count(app, app.replay.count_at(200.0)))
        assert str(timeline(app).border_subtitle).startswith("⏸ paused 4x · T+00:03:20")
        assert log_pane(app).region.height >= 5 and len(log_pane(app).rows) >= 3
        await pilot.press("full_stop")
        await until(pilot, lambda: at_count(app, app.replay.count_at(200.0) + 1))


async def test_help_lists_the_transport_keys(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        text = plain(app.screen.query("Static").first().content)
        assert "Step one event back" in text and "Go to a typed drill time" in text and "Acknowledge" not in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen))


# -- watching a drill that is still running ------------------------------------------------------


async def test_watch_mode_follows_events_appended_by_another_connection(tmp_path) -> None:
    scenario = loads(MINIMAL)
    wall = VirtualWall()
    writer = await EventLog.open(tmp_path / "drills.db")
    reader = await EventLog.open(tmp_path / "drills.db", readonly=True, create=False)
    try:
        drill_id = await writer.create_drill(scenario.id, scenario.title, scenario.source_text, drill_id="mini-watch")
        drill = Drill(scenario, DrillJournal(writer, drill_id), participant="Dana", role="control", wall=wall)
        await drill.execute(c.Start())
        wall.advance(61)
        await drill.tick()
        journal = DrillJournal(reader, drill_id)
        run_live = [True]

        async def running() -> bool:
            return run_live[0]

        app = make_app(tmp_path, await journal.read(0), tail=journal.tail, wall=wall, running=running)
        app.RUNNING_EVERY = 0.02
        async with app.run_test(size=SIZE) as pilot:
            assert app.watching and app.following
            await until(pilot, lambda: app.run_live)
            await until(pilot, lambda: at_count(app, 2) and "watching a running drill" in str(app.screen.query_one("#clock").border_title))
            await until(pilot, lambda: "● live" in str(timeline(app).border_subtitle))
            wall.advance(30)
            await drill.execute(c.Acknowledge("I-1"), participant="Sam", role="soc")
            await until(pilot, lambda: at_count(app, 3), timeout=5)
            assert app.drill.state.injects["I-1"].acknowledged_at == 91.0
            # The live clock moves on between events.
            wall.advance(9)
            app._advance()
            await until(pilot, lambda: "T+00:01:40" in clock_text(app))
            # Stepped back, the screen stays put while the drill goes on; End goes back to the live edge.
            await pilot.press("comma")
            await until(pilot, lambda: at_count(app, 2) and not app.following)
            await drill.execute(c.SetStatus("soc", "busy", "isolating"), participant="Sam", role="soc")
            await until(pilot, lambda: len(app.replay) == 4, timeout=5)
            await pilot.pause()
            assert app.count == 2
            await pilot.press("end")
            await until(pilot, lambda: app.following and app.count == 4 and app.drill.state.roles["soc"].status == "busy")
            # Nobody runs it any more (a crash): the clock stops at the last event instead of racing on.
            wall.advance(3600)
            run_live[0] = False
            await until(pilot, lambda: not app.run_live and "nobody is running it" in str(app.screen.query_one("#clock").border_title), timeout=5)
            app._advance()
            await until(pilot, lambda: at_count(app, 4) and app.drill.time == app.replay.end_time)
            run_live[0] = True
            await until(pilot, lambda: app.run_live, timeout=5)
            # The drill ends: watching ends with it.
            await drill.execute(c.End())
            await until(pilot, lambda: app.count == 5 and not app.watching, timeout=5)
            assert "ENDED" in clock_text(app)
            assert "watching" not in str(app.screen.query_one("#clock").border_title)
    finally:
        await reader.close()
        await writer.close()


# -- the picker ------------------------------------------------------------------------------------


async def test_picker_counts_participants_and_returns_the_choice() -> None:
    rows = [ReplayRow("mini-2", "mini", "2026-01-02 09:00", "T+00:30:00", 120, "running"),
            ReplayRow("mini-1", "mini", "2026-01-01 09:00", "T+01:20:00", 63, "ended", participants=4)]
    counted: list[str] = []

    async def count(drill_id: str) -> int:
        counted.append(drill_id)
        return 7

    app = ReplayPicker(rows, count)
    async with app.run_test(size=SIZE) as pilot:
        from textual.widgets import DataTable

        table = app.query_one(DataTable)
        await until(pilot, lambda: table.get_cell("mini-2", "participants") == "7")
        assert counted == ["mini-2"]  # the known count is not read again
        assert table.get_cell("mini-1", "participants") == "4"
        assert [str(col.label) for col in table.columns.values()][:6] == ["Drill", "Started", "Length", "Participants", "Events", "State"]
        await pilot.press("down", "enter")
    assert app.return_value == "mini-1"


async def test_picker_escape_returns_nothing() -> None:
    app = ReplayPicker([ReplayRow("mini-1", "mini", "2026-01-01 09:00", "T+01:20:00", 63, "ended", 4)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
    assert app.return_value is None


async def test_picker_participants_from_a_real_log(tmp_path) -> None:
    from drilltui.commands.replay import _participants

    async with await EventLog.open(tmp_path / "drills.db") as log:
        scenario = loads(MINIMAL)
        drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text, drill_id="mini-p")
        await DrillJournal(log, drill_id).append(EVENTS, 0)
        # Dana (control), Sam, Eve and Lee acted; the drill's own events are not people.
        assert await _participants(log, drill_id) == 4


def test_replay_of_the_scripted_events_equals_a_full_fold() -> None:
    replay = Replay(loads(MINIMAL), EVENTS, every=4)
    assert all(replay.state_after(i) == fold(replay.scenario, EVENTS[:i]) for i in range(len(EVENTS) + 1))
