"""The evaluator's board: mark, override, link an observation and rate with a rationale, each an event in the log."""

from __future__ import annotations

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import EVALUATED
from uiharness import Harness, plain, row_texts, until

from drilltui.engine import Drill
from drilltui.engine import commands as c
from drilltui.scenario import loads
from drilltui.ui.app import DrilltuiApp, Live
from drilltui.ui.board import BoardTable, EvaluatorBoard, MarkDialog
from drilltui.ui.dashboard import Dashboard
from drilltui.ui.modals import NoteDialog, RateDialog
from drilltui.ui.settings import Settings

SIZE = (140, 40)


def select(table: BoardTable, key: str) -> None:
    table.move_to(key)  # type: ignore[attr-defined]


async def test_mark_override_observe_and_rate_from_the_board(tmp_path) -> None:
    h = Harness(tmp_path, EVALUATED, role="control")
    app = await h.open()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await h.drill.execute(c.Start())
            h.wall.advance(61)
            await h.drill.tick()  # I-1 released at T+60
            h.wall.advance(240)
            await h.drill.tick()  # E-ack, E-iso and E-page pass unmet: missed
            await until(pilot, lambda: h.drill.state.expectation("E-ack").status == "missed")
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, EvaluatorBoard))
            board = app.screen.query_one(BoardTable)
            await until(pilot, lambda: any("E-brief" in row for row in row_texts(board)))
            rows = row_texts(board)
            assert any("E-ack" in row and "missed (log)" in row for row in rows), rows

            # Mark an expectation the log cannot settle.
            board.move_to("x:O1:E-brief")
            await until(pilot, lambda: app.screen.selected_expectation() == "E-brief")  # type: ignore[attr-defined]
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, MarkDialog))
            await pilot.press("tab", *"briefed the lead by phone", "enter")
            await until(pilot, lambda: h.drill.state.expectation("E-brief").status == "met")

            # Override what the log says (E-ack missed): a reason of three words or more.
            board.move_to("x:O1:E-ack")
            await until(pilot, lambda: app.screen.selected_expectation() == "E-ack")  # type: ignore[attr-defined]
            await pilot.press("m")  # not offered: the log settled it
            await pilot.pause()
            assert isinstance(app.screen, EvaluatorBoard)
            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, MarkDialog))
            await pilot.press("tab", *"late", "enter")
            await pilot.pause()
            assert isinstance(app.screen, MarkDialog) and "3 words" in plain(app.screen.query_one(".error").content)
            await pilot.press(*" but acknowledged by radio", "enter")
            await until(pilot, lambda: h.drill.state.expectation("E-ack").mark is not None)
            mark = h.drill.state.expectation("E-ack").mark
            assert (mark.status, mark.overrides, mark.comment) == ("met", "missed", "late but acknowledged by radio")  # type: ignore[union-attr]

            # An observation linked to the selected expectation's inject and critical task.
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, NoteDialog))
            await pilot.press(*"Calm triage at the SOC desk", "enter")
            await until(pilot, lambda: len(h.drill.state.notes) == 1)
            note = h.drill.state.notes[0]
            assert (note.kind, note.inject, note.objective, note.task) == ("observation", "I-1", "O1", "T1")
            await until(pilot, lambda: "Calm triage" in plain(app.screen.query_one("#board-detail").content))

            # Rate the objective, with a rationale.
            board.move_to("o:O1")
            await until(pilot, lambda: app.screen.query_one(BoardTable).place()[1] == "objective")  # type: ignore[index]
            await pilot.press("g")
            await until(pilot, lambda: isinstance(app.screen, RateDialog))
            await pilot.press("tab", *"ok", "enter")
            await pilot.pause()
            assert isinstance(app.screen, RateDialog)  # a rating needs a rationale
            await pilot.press(*" then acknowledged on time", "enter")
            await until(pilot, lambda: "O1" in h.drill.state.ratings)
            assert h.drill.state.ratings["O1"].comment == "ok then acknowledged on time"
            await until(pilot, lambda: any(row.startswith("O1") and "P" in row for row in row_texts(board)))
            kinds = await h.kinds()
            assert kinds.count("expectation_marked") == 2 and kinds.count("expectation_missed") == 3
            assert "objective_rated" in kinds and "note_added" in kinds
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, Dashboard))
    finally:
        await h.close()


async def test_players_have_no_board(tmp_path) -> None:
    h = Harness(tmp_path, EVALUATED, role="soc")
    app = await h.open()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(app.screen, Dashboard)
    finally:
        await h.close()


def _board_app(tmp_path) -> tuple[DrilltuiApp, Drill, VirtualWall]:
    wall = VirtualWall()
    drill = Drill(loads(EVALUATED), MemoryJournal(), participant="Dana", role="control", wall=wall)
    app = DrilltuiApp(Live(drill, "mini-20260101-0900", run_scheduler=False, join=False),
                      settings=Settings(path=tmp_path / "c.yaml", bell=False), clock_interval=None)
    return app, drill, wall


@pytest.mark.parametrize("size", [(100, 30), (160, 48)], ids=["100x30", "160x48"])
def test_board_snapshot(snap_compare, tmp_path, size) -> None:
    app, drill, wall = _board_app(tmp_path)

    async def run_before(pilot) -> None:
        await drill.execute(c.Start())
        wall.advance(60)
        await drill.tick()
        wall.advance(20)
        await drill.execute(c.Acknowledge("I-1"), participant="Sam", role="soc")
        wall.advance(200)
        await drill.tick()
        await drill.execute(c.MarkExpectation("E-brief", "partial", "briefed without host names"), participant="Eve", role="eval")
        await drill.execute(c.AddNote("Quick triage", "observation", inject="I-1", task="T1"), participant="Eve", role="eval")
        await drill.execute(c.Rate("O1", "S", "acknowledged fast, isolated late"), participant="Eve", role="eval")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        pilot.app.clear_notifications()
        pilot.app.broadcast()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
