"""Pick a past drill to replay: scenario, date, length, events, ended or not."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header


@dataclass(frozen=True)
class PickerRow:
    id: str
    scenario: str
    started: str
    length: str
    events: int
    state: str


class DrillPicker(App[str]):
    TITLE = "drilltui replay"
    BINDINGS = [Binding("enter", "choose", "Replay", id="picker-choose", priority=True),
                Binding("q,escape", "quit", "Quit", id="picker-quit")]
    DEFAULT_CSS = "DataTable { height: 1fr; border: round $primary; }"

    def __init__(self, rows: list[PickerRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.border_title = "Which drill?"
        table.add_columns("Drill", "Scenario", "Started", "Length", "Events", "State")
        for r in self.rows:
            table.add_row(r.id, r.scenario, r.started, r.length, str(r.events), r.state, key=r.id)
        table.focus()

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        self.exit(self.rows[table.cursor_row].id if self.rows else None)
