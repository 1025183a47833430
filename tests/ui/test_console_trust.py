"""The console says what the log says, and every key works or says why: one test per thing a real run got wrong."""

from __future__ import annotations

import pytest
from samples import MINIMAL
from textual.widgets._footer import FooterKey
from uiharness import Harness, plain, row_texts, until

from drilltui.engine import commands as c
from drilltui.ui.help import HelpScreen
from drilltui.ui.hotwash import HotwashScreen
from drilltui.ui.journal import JournalScreen, JournalTable
from drilltui.ui.modals import AmendDialog, ChooseOne, Confirm, ConfirmDecision, RateDialog, RetractDialog
from drilltui.ui.panes.detail import InjectDetail
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.pending import PendingList
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.panes.tree import EscalationTree
from drilltui.ui.settings import Settings

SIZE = (120, 36)


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{n.title}: {n.message}" for n in app._notifications]


def detail_text(app) -> str:  # type: ignore[no-untyped-def]
    detail = app.screen.query_one(InjectDetail)
    return "\n".join(plain(w.content) for w in (detail.head, detail.deadline, detail.body))


def tree_text(app) -> str:  # type: ignore[no-untyped-def]
    tree = app.screen.query_one(EscalationTree)
    return "\n".join(str(n.label) for n in tree._role_nodes.values())


def footer(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {k.action for k in app.screen.query(FooterKey)}


async def opened(tmp_path, text: str = MINIMAL, role: str = "control", keys: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    h = Harness(tmp_path, text, role)
    app = await h.open()
    if keys:
        app.settings = Settings(path=tmp_path / "config.yaml", bell=False, keys=keys)
    return h, app


async def start(h, pilot, advance: float = 61) -> None:  # type: ignore[no-untyped-def]
    await h.drill.execute(c.Start(), participant="Ex", role="control")
    h.wall.advance(advance)
    await h.drill.tick()
    await until(pilot, lambda: len(h.app.screen.query_one(InjectFeed).rows) >= 1)


# 1. An item that expired at the top of its chain is overdue: in the feed, the role board and the tree.
async def test_overdue_at_the_top_of_the_chain_is_shown_everywhere(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot, 60 + 120 + 300 + 600 + 5)  # soc 2m -> lead 5m -> ic 10m, and ic is the top
        assert h.drill.state.injects["I-1"].status == "overdue"
        await until(pilot, lambda: "⚠ overdue" in row_texts(app.screen.query_one(InjectFeed))[0])
        board = app.screen.query_one(RoleBoard)
        assert plain(board.cells("ic")["overdue"]).strip() == "⚠ 1"
        assert "⚠ 1 overdue" in str(board.border_subtitle)
        assert "Incident Commander  1 open  ⚠ 1 overdue" in tree_text(app)
    await h.close()


# 2. Ages count from a release at T+00:00:00 like any other.
async def test_unacknowledged_ages_count_from_a_release_at_time_zero(tmp_path) -> None:
    h, app = await opened(tmp_path, MINIMAL.replace("    at: 1m\n", "    at: 0m\n", 1))
    async with app.run_test(size=(160, 48)) as pilot:  # wide enough for the "Unack for" column
        await start(h, pilot, 0.5)
        h.wall.advance(100)
        app.broadcast()
        await until(pilot, lambda: plain(app.screen.query_one(RoleBoard).cells("soc")["oldest"]).strip() == "1m")
    await h.close()


# 3. The inject pane tells the whole story, in order, with drill time and who.
async def test_the_inject_pane_keeps_the_whole_history(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await pilot.press("a")
        await until(pilot, lambda: h.drill.state.injects["I-1"].acknowledged_at is not None)
        await pilot.press("e")
        await until(pilot, lambda: h.drill.state.injects["I-1"].holder == "lead")
        await until(pilot, lambda: "escalated SOC Analyst → Security Lead" in detail_text(app))
        text = detail_text(app)
        lines = [text.index(part) for part in ("T+00:01:00  released on schedule; sent to SOC Analyst",
                                               "acknowledged by Dana (Exercise Control)",
                                               "escalated SOC Analyst → Security Lead (by hand, by Dana (Exercise Control))")]
        assert lines == sorted(lines)
    await h.close()


# 4. Notes show where they belong: on the inject, on the role, and in the journal as they are logged.
async def test_notes_show_on_the_inject_the_role_and_in_the_journal(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await pilot.press("n", *"paged the lead by phone", "enter")
        await until(pilot, lambda: "note by Dana (Exercise Control): paged the lead by phone" in detail_text(app))
        await h.drill.execute(c.AddNote("soc seat was empty", role="soc"), participant="Eve", role="eval")
        await pilot.press("2")  # the role board; its selection shows in the pane
        board = app.screen.query_one(RoleBoard)
        board.move_to("soc")
        await until(pilot, lambda: "soc seat was empty" in detail_text(app))
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        rows = row_texts(app.screen.query_one(JournalTable))
        assert "soc seat was empty" in rows[0] and "paged the lead by phone" in rows[1]
    await h.close()


# 5. Keys that cannot act are not offered, and a press says why.
async def test_after_the_end_no_item_keys_and_a_press_says_why(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await until(pilot, lambda: "acknowledge" in footer(app))
        await h.drill.execute(c.End())
        await until(pilot, lambda: isinstance(app.screen, HotwashScreen))  # the hotwash follows the end
        await pilot.press("escape")
        await until(pilot, lambda: "acknowledge" not in footer(app) and "decide" not in footer(app) and "hotwash" in footer(app))
        await pilot.press("a")
        await until(pilot, lambda: any("Not now: Ack: the drill has ended" in t for t in toasts(app)))
    await h.close()


async def test_an_observer_is_offered_nothing_that_acts(tmp_path) -> None:
    h, app = await opened(tmp_path, role="obs")
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        titles = [cmd.title for cmd in app.get_system_commands(app.screen)]
        assert not [t for t in titles if t.split(" (")[0] in ("Ack", "Decide", "End drill", "Note", "Release", "Start")]
        assert any(t.startswith("Journal") for t in titles)
    await h.close()


async def test_at_80x24_the_tree_is_reachable_and_the_message_shows(tmp_path) -> None:
    h, app = await opened(tmp_path, MINIMAL.replace("    title: Outbound traffic spike\n",
                                                    "    title: Outbound traffic spike\n    message: 40 GB left the cluster in an hour.\n", 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(h, pilot)
        tree = app.screen.query_one(EscalationTree)
        assert not tree.display or tree.region.height == 0
        await pilot.press("3")
        await until(pilot, lambda: tree.region.height > 2 and tree.has_focus)
        detail = app.screen.query_one(InjectDetail)
        assert "40 GB left the cluster" in plain(detail.body.content)
        body_top = detail.body.region.y
        assert body_top < detail.region.y + detail.region.height - 1, "the message's first line is on screen"
    await h.close()


# 6. Who did it: the role's holder (or --name), never the login, and a player is told how to come back.
def test_names_and_the_way_back() -> None:
    from drilltui.commands.dashboard import coming_back, participant_name
    from drilltui.engine import Drill
    from drilltui.scenario import loads

    scenario = loads(MINIMAL.replace("    title: Incident Commander\n", "    title: Incident Commander\n    holder: Ira Mensah\n", 1))
    assert participant_name(scenario, "ic") == "Ira Mensah"
    assert participant_name(scenario, "ic", "Dana Reyes") == "Dana Reyes"

    class Journal:  # coming_back reads only the role
        pass

    player = Drill(scenario, Journal(), participant="Sam Okafor", role="soc")  # type: ignore[arg-type]
    director = Drill(scenario, Journal(), participant="Dana", role="control")  # type: ignore[arg-type]
    from pathlib import Path

    assert coming_back(Path("d.db"), "mini-1", player, Path("d.db")) == "drilltui join mini-1 --as soc --name 'Sam Okafor'"
    assert coming_back(Path("x.db"), "mini-1", director, Path("d.db")) == "drilltui resume mini-1 --db x.db"


# 7. Nothing irreversible on one stray Enter.
async def test_a_decision_is_confirmed_and_a_rating_needs_a_reason(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ChooseOne))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDecision))
        await pilot.press("escape")  # going back decides nothing
        await until(pilot, lambda: not isinstance(app.screen, ConfirmDecision))
        assert h.drill.state.injects["I-1"].decision is None
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, RateDialog))
        await pilot.press("tab", "enter")  # P with no comment
        await until(pilot, lambda: "3 words or more" in plain(app.screen.query_one(".error").content))
        assert isinstance(app.screen, RateDialog) and "O1" not in h.drill.state.ratings
        await pilot.press(*"paged in two minutes", "enter")
        await until(pilot, lambda: "O1" in h.drill.state.ratings)
        await pilot.press("t")
        await until(pilot, lambda: app.screen.__class__.__name__ == "StatusDialog")
        await pilot.press("tab", "enter")  # nothing changed
        await until(pilot, lambda: any("Status unchanged; nothing was logged" in t for t in toasts(app)))
        assert "role_status_changed" not in await h.kinds()
    await h.close()


# 8. Corrections, never erasures: amend and retract from the journal, the original kept and struck through.
async def test_a_note_is_amended_and_retracted_from_the_journal(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await h.drill.execute(c.AddNote("lead paged at 14:07", inject="I-1"))
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and "amend" in footer(app))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, AmendDialog))
        app.screen.query_one("#text").value = "lead paged at 14:09"
        await pilot.press("tab", *"clock was off", "enter")
        await until(pilot, lambda: any(f.text == "lead paged at 14:09" for f in h.drill.state.corrections.values()))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RetractDialog))
        await pilot.press(*"wrong inject", "enter")
        await until(pilot, lambda: any(f.retracted for f in h.drill.state.corrections.values()))
        assert (await h.kinds())[-2:] == ["entry_amended", "entry_retracted"]
        assert h.drill.state.notes[0].text == "lead paged at 14:07", "the original stays"
        await pilot.press("escape")
        await until(pilot, lambda: "retracted by Dana" in detail_text(app))
        # A decision cannot be retracted, and the key says so.
        await h.drill.execute(c.Decide("I-1", "watch"), participant="Sam", role="soc")
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and "decision" in row_texts(app.screen.query_one(JournalTable))[0])
        await pilot.press("x")
        await until(pilot, lambda: any("cannot be changed" in t for t in toasts(app)))
    await h.close()


# 9. A lost console: resume logs where it was, and the journal says so.
async def test_a_lost_console_is_in_the_journal_after_resume(tmp_path) -> None:
    from memjournal import MemoryJournal, VirtualWall

    from drilltui.engine import Drill
    from drilltui.scenario import loads
    from drilltui.ui.app import DrilltuiApp, Live

    wall = VirtualWall()
    journal = MemoryJournal(clock=wall)
    first = Drill(loads(MINIMAL), journal, participant="Dana", role="control", wall=wall)
    await first.execute(c.Start())
    journal.held = ("Dana/4f3a", wall() + 40 + 5)  # renewed until 40 s in, then the console was killed
    wall.advance(600)
    back = Drill(first.scenario, journal, participant="Dana", role="control", wall=wall)
    await back.load()
    assert await back.pause_if_orphaned(ttl=5)
    app = DrilltuiApp(Live(back, "mini-1", run_scheduler=False, join=False),
                      settings=Settings(path=tmp_path / "c.yaml", bell=False), clock_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        assert "T+00:00:40" in plain(app.screen.query_one("#clock").content) and "PAUSED" in plain(app.screen.query_one("#clock").content)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        assert any("Dana's console, which ran the clock, was lost" in r for r in row_texts(app.screen.query_one(JournalTable)))


# 10. The planned end: the controllers are told once, and the clock says so.
async def test_the_planned_end_is_told_once(tmp_path) -> None:
    h, app = await opened(tmp_path)
    app._clock_interval = 0.25
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        h.wall.advance(30 * 60)
        await until(pilot, lambda: any(t.startswith("Planned end reached") for t in toasts(app)), timeout=4)
        assert "planned end passed" in plain(app.screen.query_one("#clock").content)
        h.wall.advance(60)
        await pilot.pause(1.2)
        assert sum(t.startswith("Planned end reached") for t in toasts(app)) == 1
    await h.close()


# 11. Many deadlines at once: one notice naming them, never a stack that hides the board.
async def test_deadlines_passing_together_make_one_notice(tmp_path) -> None:
    many = MINIMAL + "".join(f"""  - id: X-{n}
    at: 1m
    to: [ic]
    title: Item {n}
""" for n in range(6))
    h, app = await opened(tmp_path, many)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot, 60 + 601)  # six items to ic, the top, each with ic's 10m
        await until(pilot, lambda: any("6 deadlines passed" in t for t in toasts(app)), timeout=4)
        assert len(app._notifications) <= 3
    await h.close()


# 12. Branches not taken are marked, listed last, and releasing one asks first.
async def test_a_branch_not_taken_wont_fire(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await h.drill.execute(c.Decide("I-1", "watch"), participant="Sam", role="soc")
        pending = app.screen.query_one(PendingList)
        await until(pilot, lambda: pending.row_ids and pending.row_ids[-1] == "I-3")
        assert "won't fire" in row_texts(pending)[-1]
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ChooseOne))
        await pilot.press("end", "enter")  # the last one offered: I-3
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(pilot, lambda: h.drill.state.injects["I-3"].released)
    await h.close()


# 13. A decided item says what was decided.
async def test_the_feed_shows_the_decision(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await h.drill.execute(c.Decide("I-1", "isolate"), participant="Sam", role="soc")
        await until(pilot, lambda: any("◆ decided: isolate" in r for r in row_texts(app.screen.query_one(InjectFeed))))
    await h.close()


# 14. A pending inject can be read in full before it is released.
async def test_a_pending_inject_previews_in_full(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await pilot.press("4")
        pending = app.screen.query_one(PendingList)
        pending.move_to("I-2")
        await until(pilot, lambda: "Follow-up" in detail_text(app) and "planned after I-1 acknowledged +2m" in detail_text(app))
        assert "to Security Lead" in detail_text(app)
    await h.close()


# 15. The help shows the keys in force, remapped ones included, and the remapped key works.
async def test_help_shows_a_remapped_key(tmp_path) -> None:
    h, app = await opened(tmp_path, keys={"acknowledge": "k"})
    async with app.run_test(size=SIZE) as pilot:
        await start(h, pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = plain(app.screen.query("Static").first().content)
        line = next(line for line in text.splitlines() if "Acknowledge the selected inject" in line)
        assert line.strip().startswith("k ")
        await pilot.press("escape", "k")
        await until(pilot, lambda: h.drill.state.injects["I-1"].acknowledged_at is not None)
    await h.close()


# 16. Text is cut only where there is no room.
@pytest.mark.parametrize("size", [(200, 60)])
async def test_wide_terminals_show_whole_names(tmp_path, size) -> None:
    from drilltui.paths import BUNDLED_SCENARIOS

    h, app = await opened(tmp_path, (BUNDLED_SCENARIOS / "ai-lab-weights-exfiltration.yaml").read_text(), role="exdir")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        board = app.screen.query_one(RoleBoard)
        names = [plain(board.cells(r.id)["role"]).strip() for r in h.drill.scenario.roles]
        assert not any(n.endswith("…") for n in names), names
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        assert "this cannot be undone" in plain(app.screen.query(".title").first().content)
    await h.close()


# 17. Home: each scenario once (a local file replaces a bundled one, and says so); ctrl+q in a drill opened there goes back.
def test_a_local_scenario_replaces_the_bundled_one_of_the_same_id(tmp_path, monkeypatch) -> None:
    from drilltui.commands.home import scenario_entries
    from drilltui.paths import BUNDLED_SCENARIOS

    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text((BUNDLED_SCENARIOS / "hospital-ransomware.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    entries = scenario_entries()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids)), ids
    mine = next(e for e in entries if e.id == "hospital-ransomware")
    assert mine.where == "local, replaces bundled" and mine.path.parent == tmp_path / "scenarios"


async def test_leaving_a_drill_opened_from_home_goes_back_home(tmp_path) -> None:
    from drilltui.ui.app import DrilltuiApp, Live
    from drilltui.ui.dashboard import Dashboard
    from drilltui.ui.home import DrillEntry, HomeScreen, ScenarioEntry

    h = Harness(tmp_path)
    await h.open()
    refreshed: list[object] = []

    class Opener:
        async def open(self, action: str, target: str) -> object:
            return Live(h.drill, h.drill_id, run_scheduler=False)

        async def refresh(self, screen: object) -> None:
            refreshed.append(screen)
            assert isinstance(screen, HomeScreen)
            screen.set_drills([DrillEntry(h.drill_id, "mini", "2027-01-15 08:00", "ready", 2)])

    home = HomeScreen([ScenarioEntry(tmp_path / "mini.yaml", "mini", "A minimal drill", "tabletop", "local")], [], "drills.db")
    app = DrilltuiApp(home, settings=Settings(path=tmp_path / "c.yaml", bell=False), opener=Opener(), clock_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Dashboard))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and bool(refreshed))
        assert app.is_running and (await h.kinds())[-1] == "participant_left"
        assert h.drill_id in app.screen.query_one("#drills").row_ids
    await h.close()


# 18. The palette calls things what the README calls them, and `drilltui themes` exists.
async def test_the_palette_says_change_theme(tmp_path) -> None:
    h, app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [cmd.title for cmd in app.get_system_commands(app.screen)]
        assert "Change theme" in titles and "Theme" not in titles
    await h.close()


def test_drilltui_themes_lists_every_theme(capsys) -> None:
    from drilltui.cli import main

    assert main(["themes"]) == 0
    out = capsys.readouterr().out
    assert "drilltui-high-contrast" in out and "drilltui-colour-blind-safe" in out and "textual-dark" in out
