"""The form of `drilltui new`: every key, the answers it returns, bad answers said inline, and a snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea
from uiharness import until

from drilltui.scenario.answers import Answers
from drilltui.scenario.model import Role
from drilltui.ui.new_scenario import Draft, NewScenarioApp
from drilltui.ui.settings import Settings

ROLES = "control:Exercise Control:controller\nic:Incident Commander:player\nsoc:SOC Analyst:player:ic\n"
FULL = Draft("functional", "ai-lab", "Weights leave the cluster", "90m", ROLES)


def make(tmp_path: Path, draft: Draft = FULL, check=None) -> NewScenarioApp:  # type: ignore[no-untyped-def]
    return NewScenarioApp(draft, check=check, settings=Settings(path=tmp_path / "config.yaml"))


def text_of(app: NewScenarioApp, wid: str) -> str:
    return str(app.query_one(f"#{wid}", Static).render())


async def test_ctrl_s_returns_the_answers(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.return_value is not None)
    assert app.return_value == Answers("Weights leave the cluster", 5400, (
        Role("control", "Exercise Control", "controller"), Role("ic", "Incident Commander", "player"),
        Role("soc", "SOC Analyst", "player", reports_to="ic")), "functional", "ai-lab")


async def test_escape_leaves_without_answers(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await until(pilot, lambda: not app.is_running)
    assert app.return_value is None


async def test_typing_the_title_shows_the_id_it_gives(tmp_path: Path) -> None:
    app = make(tmp_path, Draft(roles=ROLES))
    async with app.run_test() as pilot:
        assert app.focused is app.query_one("#title")  # an empty form starts at the title
        await pilot.press(*"Grid", "space", *"down")
        await until(pilot, lambda: text_of(app, "id-preview") == "id: grid-down")
        assert app.query_one("#title", Input).value == "Grid down"


async def test_tab_and_enter_move_to_the_next_field(tmp_path: Path) -> None:
    app = make(tmp_path, Draft(roles=ROLES))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is app.query_one("#duration"))
        await pilot.press("tab")
        await until(pilot, lambda: app.focused is app.query_one("#roles"))
        await pilot.press("shift+tab")
        await until(pilot, lambda: app.focused is app.query_one("#duration"))
        assert "▸" in text_of(app, "label-duration") and "▸" not in text_of(app, "label-title")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("roles", "soc:SOC Analyst:player:lead", "Roles: role soc reports to 'lead', which is not one of the roles"),
    ("roles", "a:A:player:b\nb:B:player:a", "Roles: reports_to makes a cycle (a -> b -> a)"),
    ("roles", "ic:Incident Commander:player\nsoc SOC", "Roles, line 2: role 'soc SOC' is not ID:TITLE:KIND"),
    ("duration", "soon", "Duration: 'soon' is not a duration"),
    ("domain", "AI Lab", "Domain: domain 'AI Lab' is not a slug"),
    ("title", "", "Title: the title is empty"),
])
async def test_bad_answers_are_refused_inline(tmp_path: Path, field: str, value: str, words: str) -> None:
    draft = Draft(**{**FULL.__dict__, field: value})
    app = make(tmp_path, draft)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+s")
        await until(pilot, lambda: words in text_of(app, "error"))
        assert app.is_running and app.return_value is None


async def test_the_chain_of_command_is_shown_as_it_is_typed(tmp_path: Path) -> None:
    app = make(tmp_path, Draft(title="T", duration="1h"))
    async with app.run_test() as pilot:
        roles = app.query_one("#roles", TextArea)
        roles.focus()
        await until(pilot, lambda: "Exercise Control" in text_of(app, "chain"))  # a chain to start from, read
        roles.clear()
        roles.insert("ic:Incident Commander:player\nsoc:SOC Analyst:player:ic")
        await until(pilot, lambda: "Exercise Control" not in text_of(app, "chain"))  # what was typed, read
        assert text_of(app, "chain").splitlines() == ["ic: Incident Commander (player)", "  └ soc: SOC Analyst (player)"]
        roles.insert("\nx:Extra:player:boss")
        await until(pilot, lambda: "reports to 'boss'" in text_of(app, "chain"))


async def test_what_stops_the_writing_is_said_in_the_form(tmp_path: Path) -> None:
    app = make(tmp_path, check=lambda a: f"{a.title}.yaml exists; pass --force to overwrite it")
    async with app.run_test() as pilot:
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "exists; pass --force" in text_of(app, "error"))
        assert app.is_running


async def test_the_type_is_chosen_from_the_hseep_types(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test() as pilot:
        select = app.query_one("#type", Select)
        select.value = "full-scale"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.return_value is not None)
    assert app.return_value is not None and app.return_value.type == "full-scale"


@pytest.mark.parametrize("size", [(100, 40), (80, 24)], ids=["100x40", "80x24"])
def test_the_form_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make(tmp_path, Draft("tabletop", "ai-lab", "Weights leave the cluster", "90m",
                               ROLES + "lead:Security Lead:player:ic\n"))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        for widget in app.query(Input):
            widget.cursor_blink = False
        app.query_one("#roles", TextArea).cursor_blink = False  # the roles have focus: the title was given
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_an_error_below_the_fold_is_scrolled_into_view(tmp_path: Path) -> None:
    app = make(tmp_path, Draft(**{**FULL.__dict__, "duration": "soon"}))
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#title").focus()
        app.query_one("#form").scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("ctrl+s")
        error = app.query_one("#error", Static)
        await until(pilot, lambda: "Duration:" in text_of(app, "error")
                    and error.region.y < app.screen.size.height - 1)  # it begins above the footer
