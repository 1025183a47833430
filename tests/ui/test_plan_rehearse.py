"""`r` on the plan view: a policy asked for, the plan rehearsed into the database, what it showed on a screen."""

from __future__ import annotations

import argparse
from pathlib import Path

from samples import PLANNED
from textual.widgets import Input, Static
from uiharness import plain, until

from drilltui.commands.plan import rehearser
from drilltui.store import open_log
from drilltui.ui.plan import PlanApp, read_plan
from drilltui.ui.plan_rehearse import PolicyDialog, RehearsalScreen
from drilltui.ui.settings import Settings

BROKEN = PLANNED.replace("    title: Follow-up", "    title: Follow-up\n    colour: red", 1)


def make(folder: Path, text: str = PLANNED, *, watch: bool = False) -> PlanApp:
    path = folder / "planned.yaml"
    path.write_text(text, encoding="utf-8")
    timeline, problems = read_plan(path)
    return PlanApp(path, timeline, problems, watch=watch, settings=Settings(path=folder / "config.yaml", bell=False),
                   every=0.02)


def with_rehearsals(app: PlanApp, db: Path) -> PlanApp:
    app.rehearser = rehearser(argparse.Namespace(db=db))
    app.database = str(db)
    return app


def text_of(app: PlanApp, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static).content)


async def type_policy(pilot, app: PlanApp, policy: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("r")
    await until(pilot, lambda: isinstance(app.screen, PolicyDialog))
    field = app.screen.query_one(Input)
    field.value = ""
    await pilot.press(*policy)
    await pilot.press("enter")


async def test_r_rehearses_the_plan_and_shows_what_would_be_missed(tmp_path: Path) -> None:
    db = tmp_path / "drills.db"
    app = with_rehearsals(make(tmp_path), db)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_policy(pilot, app, "nobody")
        await until(pilot, lambda: isinstance(app.screen, RehearsalScreen), timeout=30)
        shown = text_of(app, "#rehearsal")
        assert "expectations that would be missed" in shown
        assert "deadline passed" in shown  # nobody answers: I-1 escalates
        drill = app.screen.outcome.drill_id  # type: ignore[attr-defined]
        assert drill and f"drilltui replay {drill}" in shown and str(db) in shown
        await pilot.press("escape")
        assert app.screen is app.plan_screen
    async with await open_log(db) as log:
        (record,) = await log.drills()
        events = await log.read(record.id, 1)
    assert record.id == drill and events[0].kind == "rehearsal_started" and events[0].data["policy"] == "nobody"


async def test_a_policy_that_is_wrong_is_said_in_the_dialog_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "drills.db"
    app = with_rehearsals(make(tmp_path), db)
    async with app.run_test(size=(120, 36)) as pilot:
        await type_policy(pilot, app, "nobdy")
        await until(pilot, lambda: isinstance(app.screen, PolicyDialog) and "nobody" in text_of(app, "#policy-error"),
                    timeout=30)
        assert app.screen.query_one(Input).value == "nobdy"  # kept, to correct
        await pilot.press("escape")
        assert app.screen is app.plan_screen and app.plan_screen.rehearsals == 0
    assert not db.exists()


async def test_escape_leaves_the_dialog_without_rehearsing(tmp_path: Path) -> None:
    db = tmp_path / "drills.db"
    app = with_rehearsals(make(tmp_path), db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, PolicyDialog))
        await pilot.press("escape")
        assert app.screen is app.plan_screen
    assert not db.exists()


async def test_a_file_with_problems_is_not_rehearsed(tmp_path: Path) -> None:
    app = with_rehearsals(make(tmp_path, BROKEN, watch=True), tmp_path / "drills.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is app.plan_screen
        assert any("fix them, then rehearse" in str(n.message) for n in app._notifications)  # noqa: SLF001


async def test_without_a_database_the_key_says_so(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is app.plan_screen
