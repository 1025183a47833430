"""What a commander notices: refusals, notifications, bell, themes, the palette, two consoles."""

from __future__ import annotations

from textual.command import CommandPalette
from uiharness import Harness, plain, row_texts, until

from drilltui.engine import commands as c
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.pending import PendingList
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.settings import load_settings

SIZE = (120, 36)


def toasts(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def footer_keys(app) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}


async def test_refused_action_shows_reason_and_writes_nothing(tmp_path) -> None:
    h = Harness(tmp_path, role="ic")
    app = await h.open()
    async with app.run_test(size=SIZE) as pilot:
        await h.drill.execute(c.Start(), participant="Ex", role="control")
        await h.drill.execute(c.Release("I-3"), participant="Ex", role="control")  # to ic, the root
        await until(pilot, lambda: app.screen.query_one(InjectFeed).rows.__len__() == 1)
        before = await h.kinds()
        await pilot.press("e")
        # Escalate is not offered here; the key says why, in one line, and writes nothing.
        await until(pilot, lambda: any("top of its chain of command" in t for t in toasts(app)))
        assert any(t.startswith("Not now: Escalate:") for t in toasts(app))
        assert await h.kinds() == before
    await h.close()


async def test_keys_a_role_may_not_use_are_not_in_the_footer(tmp_path) -> None:
    h = Harness(tmp_path, role="soc")
    app = await h.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert "start" not in keys and "release" not in keys and "rate" not in keys
        assert not app.screen.query_one(PendingList).display or app.screen.query_one(PendingList).has_class("unavailable")
        await pilot.press("s")  # no binding for a player: nothing happens
        await pilot.pause()
        assert await h.kinds() == ["participant_joined"]
    await h.close()
    h2 = Harness(tmp_path / "obs", role="obs")
    (tmp_path / "obs").mkdir()
    app = await h2.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not footer_keys(app) & {"acknowledge", "note", "status", "start", "release", "escalate"}
    await h2.close()


async def test_footer_follows_the_keys_that_apply_and_stays_put_otherwise(tmp_path) -> None:
    """Starting swaps `start` for the clock keys; pausing and resuming change no key, so the footer is not rebuilt."""
    from textual.widgets._footer import FooterKey

    h = Harness(tmp_path, role="control")
    app = await h.open()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "start" in {k.action for k in app.screen.query(FooterKey)})
        assert "toggle_clock" not in {k.action for k in app.screen.query(FooterKey)}
        await pilot.press("s")
        await until(pilot, lambda: "toggle_clock" in {k.action for k in app.screen.query(FooterKey)})
        assert "start" not in {k.action for k in app.screen.query(FooterKey)}
        shown = list(app.screen.query(FooterKey))
        for phase in ("paused", "running", "paused"):
            await pilot.press("space")
            await until(pilot, lambda p=phase: h.drill.state.phase == p)
            await pilot.pause()
        assert list(app.screen.query(FooterKey)) == shown  # the same widgets: nothing flickered
    await h.close()


async def test_new_inject_for_my_role_notifies_and_rings(tmp_path) -> None:
    h = Harness(tmp_path, role="soc")
    app = await h.open()
    app.bell_on = True
    rang = []
    app.bell = lambda: rang.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await h.drill.execute(c.Start(), participant="Ex", role="control")
        h.wall.advance(61)
        await h.drill.tick()
        await until(pilot, lambda: any("New inject for you: I-1" in t for t in toasts(app)))
        assert rang
        await pilot.press("b")  # bell off, remembered
        await until(pilot, lambda: not app.bell_on)
        assert load_settings(tmp_path / "config.yaml").bell is False
    await h.close()


async def test_escalation_notifies_and_flashes_the_tree(tmp_path) -> None:
    h = Harness(tmp_path)
    app = await h.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: h.drill.state.started)
        h.wall.advance(60 + 121)  # I-1 released at 1m; soc has 2m to acknowledge
        await h.drill.tick()
        await until(pilot, lambda: any("Escalated: I-1: soc → lead" in t for t in toasts(app)))
        # Below the top of the chain, the escalation notice says it all: no second notice.
        assert not any("Deadline passed" in t for t in toasts(app))
        tree = app.screen.query_one("#tree")
        assert "lead" in tree.flashing
    await h.close()


async def test_two_consoles_on_one_database_see_each_other_within_a_second(tmp_path) -> None:
    a = Harness(tmp_path)
    app_a = await a.open()
    b = Harness(tmp_path, role="soc")
    b.log = None  # type: ignore[assignment]
    from drilltui.engine import Drill
    from drilltui.journal import DrillJournal
    from drilltui.store import EventLog
    from drilltui.ui.app import DrilltuiApp, Live
    from drilltui.ui.settings import Settings

    b.log = await EventLog.open(tmp_path / "drills.db")
    b.drill = Drill(a.drill.scenario, DrillJournal(b.log, a.drill_id), participant="Sam", role="soc", wall=a.wall)
    await b.drill.load()
    app_b = DrilltuiApp(Live(b.drill, a.drill_id, run_scheduler=False), settings=Settings(path=tmp_path / "b.yaml", bell=False),
                        clock_interval=None)
    async with app_a.run_test(size=SIZE) as pa, app_b.run_test(size=SIZE) as pb:
        await pa.press("s")
        await until(pb, lambda: b.drill.state.started, timeout=1.0)
        a.wall.advance(61)
        await a.drill.tick()
        await until(pb, lambda: app_b.screen.query_one(InjectFeed).rows.__len__() == 1, timeout=1.0)
        await pb.press("a")  # soc acknowledges on its own console
        await until(pa, lambda: "✓ ack" in row_texts(app_a.screen.query_one(InjectFeed))[0], timeout=1.0)
        board = app_a.screen.query_one(RoleBoard)  # 120 columns: no Holder column, so the ● tells who is here
        role_cell = lambda role: plain(board.cells(role)["role"]).strip()  # noqa: E731
        await until(pa, lambda: role_cell("soc").startswith("● "), timeout=1.0)
        assert role_cell("control").startswith("● ") and role_cell("control").endswith("◂ you")
        assert not role_cell("lead").startswith("●")  # nobody is connected as lead
    await a.close()
    await b.log.close()


async def test_theme_from_flag_and_palette_is_remembered(tmp_path) -> None:
    h = Harness(tmp_path)
    app = await h.open()
    app._requested_theme = "drilltui-high-contrast"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "drilltui-high-contrast"
        app.theme = "drilltui-colour-blind-safe"  # what the palette's theme picker does
        await pilot.pause()
        assert load_settings(tmp_path / "config.yaml").theme == "drilltui-colour-blind-safe"
    await h.close()


async def test_command_palette_lists_actions_with_descriptions(tmp_path) -> None:
    h = Harness(tmp_path)
    app = await h.open()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {cmd.title: cmd.help for cmd in app.get_system_commands(app.screen)}
        assert any(t.startswith("Start") for t in titles)
        assert "Rate an objective" in " ".join(titles.values())
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"start")
        await pilot.press("enter")
        await until(pilot, lambda: h.drill.state.started)
    await h.close()


async def test_clock_moves_by_itself_once_a_second_and_no_faster_than_four_times(tmp_path) -> None:
    """Nobody acts: the clock still follows the wall; a drill at 64x shows a new drill time four times a second."""
    h = Harness(tmp_path)
    app = await h.open()
    app._clock_interval = 0.25
    clock = lambda: plain(app.screen.query_one("#clock").render())  # noqa: E731
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "wall 08:00:00Z" in clock())  # the virtual wall starts at 2027-01-15T08:00:00Z
        h.wall.advance(1)
        await until(pilot, lambda: "wall 08:00:01Z" in clock(), timeout=2.0)
        await h.drill.execute(c.Start())
        await h.drill.execute(c.SetSpeed(64))
        shown = set()
        for _ in range(8):  # two wall seconds, moved a quarter at a time
            h.wall.advance(0.25)
            await until(pilot, lambda: clock().split()[0] not in shown, timeout=2.0)
            shown.add(clock().split()[0])
        assert len(shown) == 8  # each quarter second showed a new drill time
    await h.close()


async def test_a_paused_drill_redraws_only_its_clock_as_the_wall_moves(tmp_path) -> None:
    """Paused, the drill time stands still: each wall second moves the clock line, and no pane is redrawn."""
    h = Harness(tmp_path)
    app = await h.open()
    app._clock_interval = 0.25
    clock = lambda: plain(app.screen.query_one("#clock").render())  # noqa: E731
    async with app.run_test(size=SIZE) as pilot:
        await h.drill.execute(c.Start())
        await h.drill.execute(c.Pause())
        await until(pilot, lambda: "PAUSED" in clock())
        full: list[bool] = []
        render = app.screen.render_state

        def counted(state, moment, *, clock_only: bool = False) -> None:  # type: ignore[no-untyped-def]
            full.append(not clock_only)
            render(state, moment, clock_only=clock_only)

        app.screen.render_state = counted  # type: ignore[method-assign]
        for second in range(1, 4):
            h.wall.advance(1)
            await until(pilot, lambda: f"wall 08:00:0{second}Z" in clock(), timeout=2.0)
        assert full and not any(full)  # three new wall seconds shown, panes untouched
        await h.drill.execute(c.Resume())
        h.wall.advance(1)
        await until(pilot, lambda: any(full), timeout=2.0)  # running again: ages move, the panes follow
    await h.close()
