"""Pick a past drill to replay: scenario, date, length, participants, events, ended or not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from drilltui.ui.messages import Chosen, LeaveDrill
from drilltui.ui.panes.rows import RowTable
from drilltui.ui.style import shown


@dataclass(frozen=True)
class PickerRow:
    id: str
    scenario: str
    started: str
    length: str
    events: int
    state: str
    participants: int | None = None  # None until counted


class DrillList(RowTable):
    # The scenario comes last: a drill's id starts with it, so on a narrow terminal it is the one to lose.
    COLUMNS = (("id", "Drill"), ("started", "Started"), ("length", "Length"), ("participants", "Participants"),
               ("events", "Events"), ("state", "State"), ("scenario", "Scenario"))
    WIDTHS = {"id": 24, "started": 16, "length": 10, "participants": 12, "events": 7, "state": 11, "scenario": 16}
    FLEX = {"id": 2, "scenario": 1}


class PickerScreen(Screen[None]):
    """Past drills, newest first; Enter replays the one selected. Participants are counted in the background."""

    BINDINGS = [Binding("enter", "choose", "Replay", id="picker-choose", priority=True, tooltip="Replay the selected drill"),
                Binding("q,escape", "leave", "Quit", id="picker-quit", tooltip="Quit")]
    DEFAULT_CSS = "PickerScreen DrillList { height: 1fr; border: round $primary; }"

    def __init__(self, rows: list[PickerRow], count: Callable[[str], Awaitable[int]] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.count = count
        self.counted: dict[str, int] = {r.id: r.participants for r in rows if r.participants is not None}

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        table = DrillList(id="drills")
        table.border_title = "Which drill? Enter replays it"
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        self.query_one(DrillList).focus()
        if self.count is not None:
            self.run_worker(self._count_all(), group="count", exit_on_error=False)

    def show(self) -> None:
        self.query_one(DrillList).sync_rows([(r.id, {
            "id": shown(r.id), "scenario": shown(r.scenario), "started": r.started, "length": r.length,
            "participants": str(self.counted[r.id]) if r.id in self.counted else "…", "events": str(r.events),
            "state": r.state}) for r in self.rows])

    async def _count_all(self) -> None:
        assert self.count is not None
        for r in self.rows:
            if r.id not in self.counted:
                self.counted[r.id] = await self.count(r.id)
                self.show()

    def action_choose(self) -> None:
        selected = self.query_one(DrillList).selected
        if selected is not None:
            self.post_message(Chosen("replay", selected))

    def action_leave(self) -> None:
        self.post_message(LeaveDrill())
