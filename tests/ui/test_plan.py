"""The plan view: every key, the chart as drawn, the detail and objectives screens, and --watch following the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import PLANNED
from textual.widgets import Static
from uiharness import plain, until

from drilltui.ui.help import HelpScreen
from drilltui.ui.plan import PlanApp, PlanRead, PlanScreen, read_plan
from drilltui.ui.plan_chart import PlanChart
from drilltui.ui.plan_detail import ObjectivesScreen, PlanDetailScreen
from drilltui.ui.settings import Settings

BROKEN = PLANNED.replace("    to: [lead]\n    title: Follow-up", "    to: [lead, nobody]\n    title: Follow-up\n    colour: red")


def make(folder: Path, text: str = PLANNED, *, watch: bool = False, keys: dict[str, str] | None = None) -> PlanApp:
    path = folder / "planned.yaml"
    path.write_text(text, encoding="utf-8")
    timeline, problems = read_plan(path)
    settings = Settings(path=folder / "config.yaml", bell=False, keys=keys or {})
    return PlanApp(path, timeline, problems, watch=watch, settings=settings, every=0.02)


def screen(app: PlanApp) -> PlanScreen:
    return app.plan_screen


def chart_text(app: PlanApp) -> str:
    return plain(app.plan_screen.query_one(PlanChart).render())


def static_text(app: PlanApp, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static).content)


async def test_n_p_home_end_step_through_the_injects_in_time_order_then_the_bench(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        s = screen(app)
        assert s.view.selected == "I-1"
        seen = [s.view.selected]
        for _ in range(7):
            await pilot.press("n")
            seen.append(s.view.selected)
        assert seen == ["I-1", "I-3", "I-2", "I-5", "I-6", "I-7", "I-4", "I-4"]  # stops at the last
        await pilot.press("p")
        assert s.view.selected == "I-7"
        await pilot.press("left")
        assert s.view.selected == "I-6"
        await pilot.press("right")
        assert s.view.selected == "I-7"
        await pilot.press("home")
        assert s.view.selected == "I-1"
        assert "I-1  Outbound traffic spike" in static_text(app, "#summary")
        await pilot.press("end")
        assert s.view.selected == "I-4" and "on the bench: manual" in static_text(app, "#summary")


async def test_up_and_down_move_to_the_nearest_inject_in_the_next_lane(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        s = screen(app)
        assert s.view.selected == "I-1"  # soc, at 1m
        await pilot.press("up")
        assert s.view.selected == "I-2"  # lead: I-2 at 3m is nearest
        await pilot.press("up")
        assert s.view.selected == "I-3"  # ic: I-3 at 1m
        await pilot.press("up")
        assert s.view.selected == "I-3"  # nothing above the top
        await pilot.press("down", "down", "down")
        assert s.view.selected == "I-5"  # soc's I-1 is the nearest at 1m... then the regulator's lane holds I-5
        await pilot.press("down")
        assert s.view.selected == "I-5"


async def test_zoom_and_pan_move_the_time_axis(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        s = screen(app)
        fitted = s.view.scale
        assert "00:30" in chart_text(app).splitlines()[0]  # the whole 30 minutes fit at first
        await pilot.press("plus")
        assert s.view.scale < fitted
        await pilot.press("minus", "minus")
        assert s.view.scale > fitted
        await pilot.press("plus", "plus", "plus", "plus")
        assert s.view.scale == 5  # 5 seconds a column, the closest
        start = s.view.start
        await pilot.press("greater_than_sign")
        assert s.view.start > start
        await pilot.press("less_than_sign", "less_than_sign", "less_than_sign")
        assert s.view.start == 0  # never before T+0
        await pilot.press("shift+right")
        assert s.view.start > 0
        await pilot.press("n", "n", "n")  # I-5 at 4m: the axis follows the selection
        assert s.view.start <= 240 < s.view.start + s.cells * s.view.scale


async def test_enter_shows_the_inject_in_full_and_escape_comes_back(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, PlanDetailScreen)
        text = static_text(app, "#plan-full")
        for seen in ("I-1  Outbound traffic spike", "Isolate the cluster?", "◆ isolate: Isolate now  -> I-3",
                     "◆ watch: Keep watching  -> nothing follows in the plan", "E-ack  The SOC acknowledges the alert",
                     "by soc · within 1m30s · task T1 · when acknowledged", "O1 / T2  Contain the cluster (critical task)",
                     "acknowledged + 2m -> I-2  Follow-up (response)", "expired + 1m -> I-5",
                     "I-1 unacknowledged by lead at T+00:08:00 -> escalates to ic"):
            assert seen in text, seen
        await pilot.press("escape")
        assert isinstance(app.screen, PlanScreen)


async def test_o_marks_the_injects_that_test_an_objective_and_picking_it_again_clears(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ObjectivesScreen)
        assert "tested by I-1, I-5" in plain(app.screen.query_one("#objective-list").get_option_at_index(1).prompt)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, PlanScreen) and screen(app).objective == "O1"
        assert "marked: the injects that test O1" in (app.screen.query_one(PlanChart).border_title or "")
        assert app.screen.query_one(PlanChart).view.marked == frozenset({"I-1", "I-5"})
        await pilot.press("o", "enter")  # the marked one is highlighted: picked again, it clears
        assert screen(app).objective is None and app.screen.query_one(PlanChart).view.marked is None
        await pilot.press("o", "escape")
        assert isinstance(app.screen, PlanScreen) and screen(app).objective is None


async def test_b_selects_the_bench_and_s_hides_the_outside_parties(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("b")
        assert screen(app).view.selected == "I-7"
        assert "○ I-4 Contingency nudge" in static_text(app, "#bench")
        assert "◇State regulat…" in chart_text(app)  # cut to the lanes' column
        await pilot.press("s")
        assert "State regulat" not in chart_text(app)
        await pilot.press("s")
        assert "◇State regulat…" in chart_text(app)


async def test_help_lists_every_key_as_remapped_and_q_quits(tmp_path) -> None:
    app = make(tmp_path, keys={"plan-bench": "k"})
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [(row.key, row.binding.id) for row in app.screen.rows]
        assert ("k", "plan-bench") in keys and ("r", "plan-rehearse") in keys and len(keys) == 17
        await pilot.press("escape")
        await pilot.press("k")
        assert screen(app).view.selected == "I-7"
        await pilot.press("r")  # no database handed over: it says so and stays (tests/ui/test_plan_rehearse.py)
        assert isinstance(app.screen, PlanScreen) and screen(app).view.selected == "I-7"
        await pilot.press("q")
    assert app.return_code == 0


async def test_the_chart_draws_the_marks_triggers_deadlines_and_load(tmp_path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("plus", "plus")  # 10 seconds a column: room for the ids
        assert screen(app).view.scale == 10
        lines = chart_text(app).splitlines()
        soc = next(line for line in lines if line.startswith(" soc"))
        lead = next(line for line in lines if line.startswith(" lead"))
        ic = next(line for line in lines if line.startswith(" ic"))
        assert "●I-1" in soc and "!" in soc  # scheduled; selected: its first deadline in soc's lane
        assert "┄✓⇡" in lead and "┄✗I-5" in lead  # after the acknowledgement (I-1's climb beside it), after the expiry
        assert "◆I-3" in ic  # the decision's branch
        assert "⇡" in lead and "⇡" in ic  # where the deadlines climb to
        assert lines[0].startswith("T+ (hh:mm)")
        assert any(line.strip().startswith("load 2") for line in lines)  # lead's first 10 minutes


async def test_a_busy_window_is_marked(tmp_path) -> None:
    many = "".join(f"  - {{id: X-{k}, at: {k * 30}s, to: [soc], title: Burst {k}}}\n" for k in range(8))
    app = make(tmp_path, PLANNED + many)
    async with app.run_test(size=(120, 36)):
        assert "9!" in chart_text(app)  # soc: I-1 and eight more in the first 10 minutes, over 6


async def test_watch_follows_the_file_keeps_the_selection_shows_errors_and_comes_back(tmp_path) -> None:
    app = make(tmp_path, watch=True)
    path = tmp_path / "planned.yaml"
    async with app.run_test(size=(120, 36)) as pilot:
        s = screen(app)
        await pilot.press("n", "n")
        assert s.view.selected == "I-2"
        path.write_text(PLANNED.replace("title: Follow-up", "title: Follow-up call from the CISO"), encoding="utf-8")
        await until(pilot, lambda: "Follow-up call from the CISO" in static_text(app, "#summary"))
        assert s.view.selected == "I-2" and not s.has_class("invalid")

        path.write_text(BROKEN, encoding="utf-8")
        await until(pilot, lambda: s.has_class("invalid"))
        problems = static_text(app, "#problems")
        assert "planned.yaml:" in problems and ": error: " in problems and "nobody" in problems and "colour" in problems
        assert "the last that loaded" in (app.screen.query_one("#problems").border_title or "")
        assert "stale" in (app.screen.query_one(PlanChart).border_subtitle or "")
        assert "Follow-up call from the CISO" in static_text(app, "#summary")  # the last good plan stays

        path.write_text(PLANNED.replace("title: Follow-up", "title: Follow-up, fixed"), encoding="utf-8")
        await until(pilot, lambda: not s.has_class("invalid"))
        assert "Follow-up, fixed" in static_text(app, "#summary") and not s.stale


async def test_watch_drops_a_selection_that_no_longer_exists(tmp_path) -> None:
    app = make(tmp_path, watch=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("end")
        assert screen(app).view.selected == "I-4"
        text = PLANNED.replace("  - id: I-7\n    after: {inject: I-4, on: released, delay: 30s}\n    to: [soc]\n"
                               "    title: Second contingency nudge\n", "")
        text = text[: text.index("  - id: I-4\n")]
        (tmp_path / "planned.yaml").write_text(text, encoding="utf-8")
        await until(pilot, lambda: screen(app).reloads > 0)
        assert screen(app).view.selected == "I-1"


async def test_a_file_invalid_at_start_under_watch_shows_its_errors_then_the_plan_once_fixed(tmp_path) -> None:
    app = make(tmp_path, 'format: drilltui/1\nid: x\n"ti\\e]52;c;aGk=\\atle": y\n', watch=True)
    async with app.run_test(size=(120, 36)) as pilot:
        s = screen(app)
        assert s.has_class("invalid") and s.timeline is None
        problems = static_text(app, "#problems")
        assert "\x1b" not in problems and "^[" in problems
        assert "No plan has loaded yet" in chart_text(app)
        for key in ("n", "p", "home", "end", "up", "plus", "minus", "less_than_sign", "enter", "o", "b", "s"):
            await pilot.press(key)  # nothing to act on: nothing breaks
        assert isinstance(app.screen, PlanScreen)
        (tmp_path / "planned.yaml").write_text(PLANNED, encoding="utf-8")
        await until(pilot, lambda: s.timeline is not None)
        assert not s.has_class("invalid") and s.view.selected == "I-1"
        assert "●I-1" in chart_text(app)


# -- snapshots: no clock on this screen; the file is given by a relative name, so the paths are the same everywhere


@pytest.fixture
def here(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    return Path(".")


def relative(text: str, *, watch: bool = False) -> PlanApp:
    path = Path("planned.yaml")
    path.write_text(text, encoding="utf-8")
    timeline, problems = read_plan(path)
    return PlanApp(path, timeline, problems, watch=watch, settings=Settings(path=Path("config.yaml"), bell=False))


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (200, 60)], ids=["120x36", "80x24", "200x60"])
def test_plan_snapshot(snap_compare, here, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(relative(PLANNED), terminal_size=size)


def test_plan_snapshot_with_an_objective_marked_and_a_branch_selected(snap_compare, here) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("o", "down", "enter", "n")

    assert snap_compare(relative(PLANNED), terminal_size=(120, 36), run_before=run_before)


def test_plan_detail_snapshot(snap_compare, here) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(relative(PLANNED), terminal_size=(120, 40), press=["enter"])


def test_invalid_file_snapshot(snap_compare, here) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(relative(BROKEN, watch=True), terminal_size=(120, 36))


def test_stale_plan_snapshot(snap_compare, here) -> None:  # type: ignore[no-untyped-def]
    """A file that broke after it loaded: its errors above, the last plan that loaded greyed below."""
    app = relative(PLANNED)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        Path("planned.yaml").write_text(BROKEN, encoding="utf-8")
        app.plan_screen.post_message(PlanRead(*read_plan(Path("planned.yaml"))))
        await until(pilot, lambda: app.plan_screen.stale)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
