"""The home screen of a bare `drilltui`: pick a scenario to start or a drill to resume."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static


@dataclass(frozen=True)
class ScenarioEntry:
    path: Path
    id: str
    title: str
    kind: str  # tabletop, drill, ...
    where: str  # bundled | local
    problem: str = ""


@dataclass(frozen=True)
class DrillEntry:
    id: str
    scenario: str
    started: str
    state: str
    events: int


@dataclass(frozen=True)
class Choice:
    action: str  # start | resume | replay
    target: str  # a scenario path or a drill id


class HomeApp(App[Choice]):
    """Lists scenarios and recent drills; Enter starts or resumes, v replays."""

    TITLE = "drilltui"
    SUB_TITLE = "emergency-response drills"
    BINDINGS = [
        Binding("enter", "choose", "Start / resume", id="home-choose", priority=True),
        Binding("v", "replay", "Replay", id="home-replay"),
        Binding("tab", "app.focus_next", "Next list", id="home-next", show=False),
        Binding("q", "quit", "Quit", id="home-quit"),
    ]
    DEFAULT_CSS = """
    #lists { height: 1fr; }
    #scenarios { height: 1fr; border: round $primary; }
    #drills { height: 1fr; border: round $primary; }
    #scenarios:focus, #drills:focus { border: round $accent; }
    #hint { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, scenarios: list[ScenarioEntry], drills: list[DrillEntry], db: str, theme: str | None = None) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.drills = drills
        self.db = db
        self._theme_name = theme

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Vertical(id="lists"):
            yield DataTable(id="scenarios", cursor_type="row")
            yield DataTable(id="drills", cursor_type="row")
        yield Static(f"Enter starts a new drill of the scenario, or resumes the drill. Drills are kept in {self.db}", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        if self._theme_name and self._theme_name in self.available_themes:
            self.theme = self._theme_name
        table = self.query_one("#scenarios", DataTable)
        table.border_title = "Scenarios: start a new drill"
        table.add_columns("Scenario", "Type", "Title", "From")
        for s in self.scenarios:
            table.add_row(s.id, s.kind, s.title if not s.problem else f"⚠ {s.problem}", s.where, key=str(s.path))
        drills = self.query_one("#drills", DataTable)
        drills.border_title = "Recent drills: resume or replay"
        drills.add_columns("Drill", "Scenario", "Started", "State", "Events")
        for d in self.drills:
            drills.add_row(d.id, d.scenario, d.started, d.state, str(d.events), key=d.id)
        if not self.drills:
            drills.add_row("(none yet)", "", "", "", "")
        table.focus()

    def _selected(self) -> tuple[str, str] | None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return None
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        if focused.id == "scenarios":
            return ("start", key) if key else None
        return ("resume", key) if key and self.drills else None

    def action_choose(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            entry = next((s for s in self.scenarios if str(s.path) == chosen[1]), None)
            if entry is not None and entry.problem:
                self.notify(f"{entry.path}: {entry.problem}; `drilltui validate {entry.path}` shows every problem", severity="error")
                return
            self.exit(Choice(*chosen))

    def action_replay(self) -> None:
        chosen = self._selected()
        if chosen is not None and chosen[0] == "resume":
            self.exit(Choice("replay", chosen[1]))
        else:
            self.notify("Select a drill in the lower list to replay it.", severity="warning")
