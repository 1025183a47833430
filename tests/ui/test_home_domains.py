"""The home screen groups scenarios by the field they are written for, and the keys move across the groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.message import Message
from uiharness import until

from drilltui.scenario.domains import domain_label, domain_order
from drilltui.ui.app import DrilltuiApp
from drilltui.ui.home import DrillEntry, HomeScreen, ScenarioEntry, ScenarioList, grouped
from drilltui.ui.messages import Chosen
from drilltui.ui.settings import Settings

SIZE = (100, 30)


def entries(tmp_path: Path) -> list[ScenarioEntry]:
    """Given in no useful order: the screen sorts the groups, and keeps each group's own order."""
    return [
        ScenarioEntry(tmp_path / "basics.yaml", "basics", "A first tabletop", "tabletop", "local"),
        ScenarioEntry(tmp_path / "plant.yaml", "plant", "Chlorine release", "functional", "bundled", domain="chemical"),
        ScenarioEntry(tmp_path / "dam.yaml", "dam", "Spillway failure", "functional", "local", domain="water-utilities"),
        ScenarioEntry(tmp_path / "lab1.yaml", "lab-one", "Weights leave the cluster", "functional", "bundled",
                      domain="ai-lab"),
        ScenarioEntry(tmp_path / "ward.yaml", "ward", "Ransomware on the ward", "tabletop", "bundled", domain="healthcare"),
        ScenarioEntry(tmp_path / "lab2.yaml", "lab-two", "A threshold before launch", "tabletop", "bundled",
                      domain="ai-lab"),
        ScenarioEntry(tmp_path / "grid.yaml", "grid", "Grid failure", "functional", "bundled", domain="energy"),
    ]


# In the order the list shows them: AI labs, Healthcare, Energy, Chemical, then others by name, then Other.
ORDER = ["lab1", "lab2", "ward", "grid", "plant", "dam", "basics"]
HEADINGS = ["▾ AI labs (2)", "▾ Healthcare (1)", "▾ Energy (1)", "▾ Chemical (1)", "▾ Water Utilities (1)",
            "▾ Other (1)"]


def app_for(tmp_path: Path, scenarios: list[ScenarioEntry] | None = None) -> DrilltuiApp:
    home = HomeScreen(entries(tmp_path) if scenarios is None else scenarios,
                      [DrillEntry("lab-one-20270115-0800", "lab-one", "2027-01-15 08:00", "ended", 40)], "drills.db")
    return DrilltuiApp(home, settings=Settings(path=tmp_path / "c.yaml", bell=False), clock_interval=None)


def selected_stem(table: ScenarioList) -> str | None:
    return Path(table.selected).stem if table.selected else None


# -- the labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "label"), [
    ("ai-lab", "AI labs"), ("healthcare", "Healthcare"), ("energy", "Energy"), ("chemical", "Chemical"),
    ("water-utilities", "Water Utilities"), ("nuclear", "Nuclear"), ("5g-networks", "5g Networks"),
    (None, "Other"), ("", "Other"),
])
def test_each_field_has_a_readable_label(slug: str | None, label: str) -> None:
    assert domain_label(slug) == label


@given(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True))
def test_every_slug_the_loader_accepts_gets_a_label_and_a_place(slug: str) -> None:
    label = domain_label(slug)
    assert label and label == label.strip() and "-" not in label and "  " not in label
    assert label.casefold().replace(" ", "") == slug.replace("-", "") or slug in ("ai-lab",)
    known, unknown, none = domain_order("chemical"), domain_order(slug), domain_order(None)
    assert unknown < none  # a named field is always listed before "Other"
    if slug not in ("ai-lab", "healthcare", "energy", "chemical"):
        assert known < unknown


def test_rows_put_a_heading_before_each_fields_scenarios(tmp_path: Path) -> None:
    rows, headings = grouped(entries(tmp_path))
    assert [cells["id"] for key, cells in rows if key in headings] == HEADINGS
    assert [Path(key).stem for key, _ in rows if key not in headings] == ORDER
    assert rows[0][0] in headings  # the first row names its group


def test_bundled_scenarios_are_listed_under_their_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drilltui.commands.home import scenario_entries

    monkeypatch.chdir(tmp_path)  # no ./scenarios here: the bundled ones only
    found = {e.id: e.domain for e in scenario_entries()}
    assert {i for i, d in found.items() if d == "ai-lab"} >= {
        "ai-lab-weights-exfiltration", "ai-lab-capability-threshold", "ai-lab-infrastructure-attack",
        "ai-lab-agent-unsanctioned-actions", "ai-lab-serious-incident-report"}
    assert (found["hospital-ransomware"], found["power-grid-failure"], found["chemical-plant-release"]) == (
        "healthcare", "energy", "chemical")
    rows, headings = grouped(scenario_entries())
    labels = [cells["id"] for key, cells in rows if key in headings]
    assert labels[:4] == ["▾ AI labs (5)", "▾ Healthcare (1)", "▾ Energy (1)", "▾ Chemical (1)"]


# -- the keys, across the groups ---------------------------------------------------------------


async def test_down_and_up_move_across_groups_and_never_stop_on_a_heading(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ScenarioList)
        await until(pilot, lambda: table.has_focus and table.selected is not None)
        assert selected_stem(table) == ORDER[0]  # not the "AI labs" heading above it
        seen = [selected_stem(table)]
        for _ in ORDER[1:]:
            await pilot.press("down")
            seen.append(selected_stem(table))
        assert seen == ORDER
        await pilot.press("down")  # past the last one: it stays
        assert selected_stem(table) == ORDER[-1]
        back = []
        for _ in ORDER[1:]:
            await pilot.press("up")
            back.append(selected_stem(table))
        assert back == list(reversed(ORDER[:-1]))
        await pilot.press("up")  # above the first scenario is only its heading: the cursor stays
        assert selected_stem(table) == ORDER[0]
        assert table.scroll_offset.y == 0  # and the heading stays in view


async def test_end_home_and_the_page_keys_land_on_scenarios(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ScenarioList)
        await until(pilot, lambda: table.selected is not None)
        await pilot.press("end")
        assert selected_stem(table) == "basics"
        await pilot.press("home")
        assert selected_stem(table) == "lab1"
        await pilot.press("pagedown")
        assert table.selected is not None and table.row_ids[table.cursor] not in table.headings
        await pilot.press("pageup")
        assert selected_stem(table) == "lab1"


async def test_enter_starts_the_scenario_selected_in_a_later_group(tmp_path: Path) -> None:
    seen: list[Message] = []
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table = app.screen.query_one(ScenarioList)
        await until(pilot, lambda: table.selected is not None)
        await pilot.press("down", "down", "down", "down")  # lab1, lab2 | ward | grid | plant
        assert selected_stem(table) == "plant"
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(m, Chosen) for m in seen))
        chosen = next(m for m in seen if isinstance(m, Chosen))
        assert (chosen.action, chosen.target) == ("start", str(tmp_path / "plant.yaml"))


async def test_a_click_on_a_heading_selects_the_first_scenario_under_it(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ScenarioList)
        await until(pilot, lambda: table.selected is not None)
        heading = table.row_ids.index("heading:energy")
        # the table's border, then its header row, then the rows
        await pilot.click(ScenarioList, offset=(4, 2 + heading))
        await until(pilot, lambda: selected_stem(table) == "grid")
        assert table.has_focus


async def test_tab_still_reaches_the_drills_and_v_replays_one(tmp_path: Path) -> None:
    seen: list[Message] = []
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table = app.screen.query_one(ScenarioList)
        await until(pilot, lambda: table.selected is not None)
        await pilot.press("tab", "v")
        await until(pilot, lambda: any(isinstance(m, Chosen) for m in seen))
        chosen = next(m for m in seen if isinstance(m, Chosen))
        assert (chosen.action, chosen.target) == ("replay", "lab-one-20270115-0800")


async def test_a_list_with_no_fields_named_is_one_group_called_other(tmp_path: Path) -> None:
    plain = [ScenarioEntry(tmp_path / f"{n}.yaml", n, n.title(), "tabletop", "local") for n in ("one", "two")]
    app = app_for(tmp_path, plain)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ScenarioList)
        await until(pilot, lambda: table.selected is not None)
        assert table.row_ids[0] == "heading:" and str(table.cells("heading:")["id"]) == "▾ Other (2)"
        assert selected_stem(table) == "one"
        await pilot.press("down")
        assert selected_stem(table) == "two"
