"""Snapshots of every screen and dialog at a fixed moment of a fixed drill (virtual clock, no timers)."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import loads
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.settings import Settings


def make(tmp_path, role: str = "control", keys: dict[str, str] | None = None, text: str = MINIMAL):  # type: ignore[no-untyped-def]
    wall = VirtualWall()
    drill = Drill(loads(text), MemoryJournal(clock=wall), participant="Dana Reyes", role=role, wall=wall)
    settings = Settings(path=tmp_path / "c.yaml", bell=False, keys=keys or {})
    app = DrilltuiApp(Live(drill, "mini-20270115-0800", run_scheduler=False, join=False), settings=settings,
                      clock_interval=None)
    return app, drill, wall


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    pilot.app.notices.waiting.clear()  # gathered notices would show a second later, whenever the machine gets to it
    pilot.app.clear_notifications()
    pilot.app.broadcast()
    await pilot.pause()


async def overdue_at_the_top(drill: Drill, wall: VirtualWall) -> None:
    """I-1 climbed soc -> lead -> ic and expired there; I-3 came of the decision; a note, a status."""
    await drill.execute(c.Start())
    wall.advance(60)
    await drill.tick()
    wall.advance(120 + 300 + 600 + 5)
    await drill.tick()
    await drill.execute(c.SetStatus("soc", "busy", "isolating the training cluster"), participant="Sam Okafor", role="soc")


async def long_history(drill: Drill, wall: VirtualWall) -> None:
    await drill.execute(c.Start())
    wall.advance(60)
    await drill.tick()
    wall.advance(30)
    await drill.execute(c.Acknowledge("I-1"), participant="Sam Okafor", role="soc")
    await drill.execute(c.AddNote("SOC paged the lead by phone; no answer", inject="I-1"), participant="Sam Okafor", role="soc")
    wall.advance(20)
    await drill.execute(c.Escalate("I-1"), participant="Sam Okafor", role="soc")
    wall.advance(40)
    [note] = await drill.execute(c.AddNote("Lead took it from the bridge line", "observation", inject="I-1"),
                                 participant="Eve Hall", role="eval")
    await drill.execute(c.Amend(note.seq, "Lead took it from the bridge line after two calls", reason="heard the second call"),
                        participant="Eve Hall", role="eval")
    await drill.execute(c.Decide("I-1", "isolate", "the traffic is still going out"), participant="Lee Park", role="lead")
    await drill.tick()
    await drill.execute(c.Rate("O1", "S", "acknowledged in thirty seconds, escalated by hand"), participant="Eve Hall", role="eval")


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (200, 60)], ids=["120x36", "80x24", "200x60"])
def test_overdue_at_the_top_of_the_chain(snap_compare, tmp_path, size) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await overdue_at_the_top(drill, wall)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_inject_pane_with_a_long_history(snap_compare, tmp_path) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await long_history(drill, wall)
        await settle(pilot)  # drawn first: I-1 is in the feed to be moved to
        pilot.app.screen.query_one("#feed").move_to("I-1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_the_journal(snap_compare, tmp_path) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await long_history(drill, wall)
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_80x24_with_the_tree_chosen(snap_compare, tmp_path) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await overdue_at_the_top(drill, wall)
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_with_a_remapped_key(snap_compare, tmp_path) -> None:
    app, drill, wall = make(tmp_path, keys={"acknowledge": "k", "escalate": "ctrl+up"})

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await drill.execute(c.Start())
        wall.advance(61)
        await drill.tick()
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 48), run_before=run_before)


@pytest.mark.parametrize("keys", [("d",), ("d", "enter"), ("n",), ("t",), ("g",), ("ctrl+e",), ("r",)],
                         ids=["decide", "decide-confirm", "note", "status", "rate", "end", "release"])
def test_dialogs(snap_compare, tmp_path, keys) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await drill.execute(c.Start())
        wall.advance(61)
        await drill.tick()
        await settle(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


@pytest.mark.parametrize("keys", [("j", "e"), ("j", "x")], ids=["amend", "retract"])
def test_correction_dialogs(snap_compare, tmp_path, keys) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await drill.execute(c.Start())
        await drill.execute(c.AddNote("the SOC seat was empty at the start"))
        await settle(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_the_hotwash(snap_compare, tmp_path) -> None:
    app, drill, wall = make(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await long_history(drill, wall)
        await drill.execute(c.End("hotwash"))
        await drill.execute(c.AddHotwashItem("strength", "The SOC paged within a minute", "O1"))
        await drill.execute(c.AddHotwashItem("action", "Nobody owned the bridge line", "O1", "Name a bridge owner", "ic", "2027-03-31"))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_a_player_at_80x24(snap_compare, tmp_path) -> None:
    app, drill, wall = make(tmp_path, role="soc")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await drill.execute(c.Start(), participant="Dana Reyes", role="control")
        wall.advance(61)
        await drill.tick()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_home_screen(snap_compare, tmp_path) -> None:
    from drilltui.ui.home import DrillEntry, HomeScreen, ScenarioEntry

    # Grouped by field: the known ones in their order, an unknown slug title-cased, no field last as "Other".
    home = HomeScreen([ScenarioEntry(tmp_path / "o.yaml", "tabletop-basics", "A first tabletop", "tabletop", "local"),
                       ScenarioEntry(tmp_path / "h.yaml", "hospital-ransomware", "Ransomware at a regional hospital",
                                     "tabletop", "local, replaces bundled", domain="healthcare"),
                       ScenarioEntry(tmp_path / "w.yaml", "reservoir-breach", "Dam spillway failure", "functional", "local",
                                     domain="water-utilities"),
                       ScenarioEntry(tmp_path / "a.yaml", "ai-lab-weights-exfiltration", "Halcyon-4 weights exfiltration",
                                     "functional", "bundled", domain="ai-lab"),
                       ScenarioEntry(tmp_path / "t.yaml", "ai-lab-capability-threshold", "Tern-2 crosses a threshold",
                                     "tabletop", "bundled", domain="ai-lab")],
                      [DrillEntry("hospital-ransomware-20270115-0800", "hospital-ransomware", "2027-01-15 08:00", "ended", 50)],
                      "/home/you/.local/share/drilltui/drills.db")
    app = DrilltuiApp(home, settings=Settings(path=tmp_path / "c.yaml", bell=False), clock_interval=None)
    assert snap_compare(app, terminal_size=(100, 30))
