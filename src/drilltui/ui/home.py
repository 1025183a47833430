"""The home screen of a bare `drilltui`: pick a scenario to start, grouped by field, or a drill to resume or replay."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from drilltui.scenario.domains import domain_label, domain_order
from drilltui.ui.messages import Chosen, LeaveDrill
from drilltui.ui.panes.rows import RowTable
from drilltui.ui.style import shown


@dataclass(frozen=True)
class ScenarioEntry:
    path: Path
    id: str
    title: str
    kind: str  # tabletop, drill, ...
    where: str  # bundled | local | local, replaces bundled
    problem: str = ""
    domain: str | None = None  # the field it is written for (ai-lab, healthcare, ...): its group on the list


@dataclass(frozen=True)
class DrillEntry:
    id: str
    scenario: str
    started: str
    state: str
    events: int


class ScenarioList(RowTable):
    COLUMNS = (("id", "Scenario"), ("kind", "Type"), ("title", "Title"), ("where", "From"))
    WIDTHS = {"id": 22, "kind": 10, "title": 24, "where": 10}
    FLEX = {"id": 2, "title": 3, "where": 1}


def grouped(scenarios: list[ScenarioEntry]) -> tuple[list[tuple[str, dict[str, str]]], list[str]]:
    """The list's rows, a heading before each field's scenarios (known fields first, "Other" last), and the headings' keys."""
    groups: dict[str | None, list[ScenarioEntry]] = {}
    for s in scenarios:
        groups.setdefault(s.domain or None, []).append(s)
    rows: list[tuple[str, dict[str, str]]] = []
    headings: list[str] = []
    for domain in sorted(groups, key=domain_order):
        members = groups[domain]
        key = f"heading:{domain or ''}"
        label = domain_label(domain)
        rows.append((key, {"id": f"▾ {shown(label)} ({len(members)})"}))
        headings.append(key)
        rows.extend((str(s.path), {
            "id": shown(s.id), "kind": s.kind, "title": shown(s.title) if not s.problem else f"⚠ {shown(s.problem)}",
            "where": s.where}) for s in members)
    return rows, headings


class DrillList(RowTable):
    COLUMNS = (("id", "Drill"), ("scenario", "Scenario"), ("started", "Started"), ("state", "State"), ("events", "Events"))
    WIDTHS = {"id": 24, "scenario": 16, "started": 16, "state": 10, "events": 7}  # "rehearsal…" fits in the state
    FLEX = {"id": 2, "scenario": 1}


class HomeScreen(Screen[None]):
    """Lists scenarios and recent drills; Enter starts or resumes, v replays."""

    BINDINGS = [
        Binding("enter", "choose", "Start / resume", id="home-choose", priority=True,
                tooltip="Start a new drill of the selected scenario, or resume the selected drill"),
        Binding("v", "replay", "Replay", id="home-replay", tooltip="Replay the selected drill, read-only"),
        Binding("tab", "app.focus_next", "Next list", id="home-next", show=False),
        Binding("q", "leave", "Quit", id="home-quit", tooltip="Quit drilltui"),
    ]
    DEFAULT_CSS = """
    HomeScreen #lists { height: 1fr; }
    HomeScreen #scenarios { height: 1fr; border: round $primary; }
    HomeScreen #drills { height: 1fr; border: round $primary; }
    HomeScreen #scenarios:focus, HomeScreen #drills:focus { border: round $accent; }
    HomeScreen #hint { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, scenarios: list[ScenarioEntry], drills: list[DrillEntry], db: str) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.drills = drills
        self.db = db

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Vertical(id="lists"):
            scenarios = ScenarioList(id="scenarios")
            scenarios.border_title = "Scenarios by field: start a new drill"
            yield scenarios
            drills = DrillList(id="drills")
            drills.border_title = "Recent drills: resume or replay"
            yield drills
        yield Static(f"Enter starts a new drill of the scenario, or resumes the drill. Drills are kept in {shown(self.db)}",
                     id="hint")
        yield Footer()

    def on_mount(self) -> None:
        rows, headings = grouped(self.scenarios)
        table = self.query_one(ScenarioList)
        for column in ("id", "title"):  # whole ids (what `drilltui run` takes) and titles first, where there is room
            table.want(column, max((len(cells.get(column, "")) for _, cells in rows if cells.get(column)), default=0))
        table.sync_rows(rows, headings)
        self.set_drills(self.drills)
        self.query_one(ScenarioList).focus()

    def set_drills(self, drills: list[DrillEntry]) -> None:
        """Show these drills (the list is brought up to date when a drill opened from here is left)."""
        self.drills = drills
        rows = [(d.id, {"id": shown(d.id), "scenario": shown(d.scenario), "started": d.started, "state": d.state,
                        "events": str(d.events)}) for d in drills]
        self.query_one(DrillList).sync_rows(rows or [("", {"id": "(none yet)"})])

    def _selected(self) -> tuple[str, str] | None:
        focused = self.focused
        if not isinstance(focused, RowTable) or not focused.selected:
            return None
        return ("start" if focused.id == "scenarios" else "resume", focused.selected)

    def action_choose(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        entry = next((s for s in self.scenarios if str(s.path) == chosen[1]), None)
        if entry is not None and entry.problem:
            self.notify(f"{shown(str(entry.path))}: {shown(entry.problem)}; `drilltui validate {shown(str(entry.path))}` "
                        "shows every problem", severity="error")
            return
        self.post_message(Chosen(*chosen))

    def action_replay(self) -> None:
        chosen = self._selected()
        if chosen is not None and chosen[0] == "resume":
            self.post_message(Chosen("replay", chosen[1]))
        else:
            self.notify("Select a drill in the lower list to replay it.", severity="warning")

    def action_leave(self) -> None:
        self.post_message(LeaveDrill())
