"""Every dashboard key: the event is committed to the database and the pane shows it."""

from __future__ import annotations

from uiharness import plain, until

from drilltui.ui.panes.detail import InjectDetail
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.panes.tree import EscalationTree

SIZE = (120, 36)


def text_of(widget) -> str:
    return str(widget.render())


def feed_text(app) -> str:
    feed = app.screen.query_one(InjectFeed)
    return "\n".join(" ".join(str(c) for c in feed.get_row_at(i)) for i in range(feed.row_count))


async def started(h, pilot, advance: float = 61) -> None:
    await pilot.press("s")
    await until(pilot, lambda: h.drill.state.phase == "running")
    h.wall.advance(advance)
    await h.drill.tick()
    await until(pilot, lambda: h.app.screen.query_one(InjectFeed).row_count >= 1)


async def test_start_key(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: "RUNNING" in str(app.screen.query_one("#clock").render()))
        assert "drill_started" in await harness.kinds()


async def test_space_pauses_and_resumes(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("space")
        await until(pilot, lambda: "PAUSED" in str(app.screen.query_one("#clock").render()))
        await pilot.press("space")
        await until(pilot, lambda: "RUNNING" in str(app.screen.query_one("#clock").render()))
        assert (await harness.kinds())[-2:] == ["clock_paused", "clock_resumed"]


async def test_speed_keys(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: " 2x" in str(app.screen.query_one("#clock").render()))
        await pilot.press("left_square_bracket", "left_square_bracket")
        await until(pilot, lambda: " 0.5x" in str(app.screen.query_one("#clock").render()))
        assert (await harness.kinds()).count("clock_speed_changed") == 3


async def test_acknowledge_resolve(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("a")
        await until(pilot, lambda: "✓ ack" in feed_text(app))
        await pilot.press("x")
        await until(pilot, lambda: "resolved" in feed_text(app))
        kinds = await harness.kinds()
        assert kinds[-2:] == ["inject_acknowledged", "inject_resolved"]


async def test_escalate_moves_item_up_the_tree(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("e")
        await until(pilot, lambda: harness.drill.state.injects["I-1"].holder == "lead")
        tree = app.screen.query_one(EscalationTree)
        labels = {n.data: str(n.label) for n in tree._role_nodes.values()}
        assert "1 open" in labels["lead"] and "▲ escalated" in labels["lead"]
        assert "escalated" in feed_text(app)
        assert (await harness.kinds())[-1] == "inject_escalated"


async def test_decide_opens_options_modal(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("d")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ChooseOne")
        await pilot.press("enter")  # first option: isolate
        await until(pilot, lambda: harness.drill.state.injects["I-1"].decision == "isolate")
        await until(pilot, lambda: "▶ isolate" in plain(app.screen.query_one(InjectDetail).body.content))
        assert (await harness.kinds())[-2:] == ["inject_acknowledged", "decision_taken"]


async def test_release_picker_and_release_next(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ChooseOne")
        await pilot.press("enter")  # manual injects come first: I-4
        await until(pilot, lambda: harness.drill.state.injects["I-4"].released)
        assert "I-4" in feed_text(app)
        ev = (await harness.log.read(harness.drill_id))[-1]
        assert ev.kind == "inject_released" and ev.data["via"] == "manual"


async def test_status_note_rate(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("t")
        await until(pilot, lambda: app.screen.__class__.__name__ == "StatusDialog")
        await pilot.press("tab")  # status select -> task input
        await pilot.press(*"triage", "enter")
        await until(pilot, lambda: harness.drill.state.roles["control"].task == "triage")
        await until(pilot, lambda: "triage" in " ".join(str(c) for c in app.screen.query_one(RoleBoard).get_row_at(0)))
        await pilot.press("n")
        await until(pilot, lambda: app.screen.__class__.__name__ == "NoteDialog")
        await pilot.press(*"paged lead", "enter")
        await until(pilot, lambda: len(harness.drill.state.notes) == 1)
        assert harness.drill.state.notes[0].inject == "I-1"
        await pilot.press("g")
        await until(pilot, lambda: app.screen.__class__.__name__ == "RateDialog")
        await pilot.press("tab", *"paged within two minutes", "enter")
        await until(pilot, lambda: "O1" in harness.drill.state.ratings)
        kinds = await harness.kinds()
        assert {"role_status_changed", "note_added", "objective_rated"} <= set(kinds)


async def test_end_asks_first(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: app.screen.__class__.__name__ == "Confirm")
        await pilot.press("n")
        await until(pilot, lambda: app.screen.__class__.__name__ == "Dashboard")
        assert "drill_ended" not in await harness.kinds()
        await pilot.press("ctrl+e")
        await until(pilot, lambda: app.screen.__class__.__name__ == "Confirm")
        await pilot.press("y")
        await until(pilot, lambda: app.screen.__class__.__name__ == "HotwashScreen")  # the hotwash follows
        await pilot.press("escape")
        await until(pilot, lambda: "ENDED" in str(app.screen.query_one("#clock").render()))
        assert (await harness.kinds())[-1] == "drill_ended"


async def test_help_screen_lists_every_key(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.__class__.__name__ == "Dashboard")


async def test_release_next_key(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: harness.drill.state.started)
        await pilot.press("R")  # I-1 is the next scheduled inject, due at T+00:01:00
        await until(pilot, lambda: harness.drill.state.injects["I-1"].released)
        ev = (await harness.log.read(harness.drill_id))[-1]
        assert ev.kind == "inject_released" and ev.data["via"] == "manual" and ev.data["inject"] == "I-1"


async def test_focus_keys_move_between_panes(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        for key, pane in (("2", "roles"), ("3", "tree"), ("4", "pending"), ("1", "feed")):
            await pilot.press(key)
            await until(pilot, lambda: app.focused is not None and app.focused.id == pane)


async def test_keys_remap_from_settings(tmp_path) -> None:
    from uiharness import Harness

    from drilltui.ui.settings import Settings

    h = Harness(tmp_path)
    app = await h.open()
    app.settings = Settings(path=tmp_path / "config.yaml", bell=False, keys={"drill-start": "k"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # no longer bound
        await pilot.pause()
        assert not h.drill.state.started
        await pilot.press("k")
        await until(pilot, lambda: h.drill.state.started)
    await h.close()


async def test_inject_pane_counts_down_to_the_deadline_then_says_overdue(harness) -> None:
    app = await harness.open()
    async with app.run_test(size=SIZE) as pilot:
        await started(harness, pilot)  # I-1 released at T+00:01:00 to soc, who must acknowledge within 2m
        detail = app.screen.query_one(InjectDetail)
        deadline = lambda: plain(detail.deadline.content).strip()  # noqa: E731
        await until(pilot, lambda: deadline().startswith("Acknowledge by T+00:03:00 (00:01:59 left)"))
        head = detail.head.content
        harness.wall.advance(30)
        app.refresh_view()
        await until(pilot, lambda: "(00:01:29 left)" in deadline())
        assert detail.head.content is head  # a tick redraws the countdown line alone
        harness.wall.advance(95)
        app.refresh_view()
        await until(pilot, lambda: deadline().endswith("(overdue)"))
        await pilot.press("a")
        await until(pilot, lambda: not detail.deadline.display)  # acknowledged: no deadline any more
        assert "acknowledged by control" in plain(detail.body.content)
