"""The activity log screen (ICS-214): each role's notable activities in drill and wall time, with the form's header blocks."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from drilltui.engine import DrillState
from drilltui.engine.activity import ActivityLog, activity_log
from drilltui.engine.events import utc_iso
from drilltui.engine.permissions import readable_logs
from drilltui.report.text import wall
from drilltui.ui.messages import StateChanged
from drilltui.ui.panes.rows import RowTable, set_subtitle
from drilltui.ui.search import Search, ask
from drilltui.ui.story import role_title
from drilltui.ui.style import shown
from drilltui.ui.view import DrillView


class LogRoles(RowTable):
    COLUMNS = (("role", "Position"), ("n", "Entries"))
    WIDTHS = {"role": 14, "n": 7}
    FLEX = {"role": 1}


class ActivityTable(RowTable):
    COLUMNS = (("time", "Drill time"), ("wall", "Date/time (UTC)"), ("what", "Activity"), ("text", "Notable activity"))
    WIDTHS = {"time": 10, "wall": 19, "what": 12, "text": 20}
    FLEX = {"text": 1}
    PRIORITY = ("time", "what", "text", "wall")


def header(log: ActivityLog) -> Text:
    """Blocks 1 to 4 and 8 of the form, one line each."""
    period = f"{wall(log.period_from)} to {wall(log.period_to)}" if log.period_from else "not started"
    out = Text()
    for label, value in (("1. Incident name", log.incident), ("2. Operational period", period),
                         ("3. Name", log.name), ("4. ICS position", f"{log.position} ({log.role})"),
                         ("8. Prepared by", log.prepared_by)):
        out.append(f"{label}: ", style="bold")
        out.append(shown(value) + "\n")
    out.right_crop(1)
    return out


class ActivityScreen(Screen[None]):
    """The positions this console may read on the left; the selected one's ICS-214 log on the right."""

    BINDINGS = [
        Binding("slash", "search", "Filter", id="activity-search", tooltip="Filter the log by text or kind of activity"),
        Binding("escape,l", "close", "Back", id="activity-back", tooltip="Back to where you were"),
    ]
    DEFAULT_CSS = """
    ActivityScreen #ics214-head { height: auto; border: round $primary; padding: 0 1; }
    ActivityScreen #ics214 { height: 1fr; }
    ActivityScreen LogRoles { width: 28; height: 1fr; border: round $primary; }
    ActivityScreen ActivityTable { width: 1fr; height: 1fr; border: round $primary; }
    ActivityScreen LogRoles:focus, ActivityScreen ActivityTable:focus { border: round $accent; }
    """

    def __init__(self, view: DrillView, role: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.start_role = role
        self.search = Search()
        self.state = view.state

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield Static(id="ics214-head")
        with Horizontal(id="ics214"):
            roles = LogRoles(id="log-roles")
            roles.border_title = "ICS-214 activity logs"
            yield roles
            table = ActivityTable(id="activities", zebra=True)
            table.border_title = "7. Activity log"
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ActivityTable).focus()
        self.show(self.view.state)
        if self.start_role:
            self.query_one(LogRoles).move_to(self.start_role)

    def on_state_changed(self, message: StateChanged) -> None:
        if message.events:
            self.show(message.state)

    def show(self, state: DrillState) -> None:
        self.state = state
        roles = readable_logs(state, self.view.role)
        picker = self.query_one(LogRoles)
        picker.sync_rows([(r, {"role": role_title(state, r), "n": str(len(state.activity.get(r, ())))}) for r in roles])
        role = picker.selected or self.view.role
        log = activity_log(state, role, until_wall=utc_iso(self.view.wall()))
        self.query_one("#ics214-head", Static).update(header(log))
        rows = []
        for a in reversed(log.activities):
            if self.search.matches({"text": a.text, "kind": a.what, "role": "", "status": a.what, "severity": ""}):
                rows.append((str(a.seq), {"time": a.clock, "wall": wall(a.wall_time).removesuffix(" UTC"),
                                          "what": a.what, "text": shown(a.text)}))
        table = self.query_one(ActivityTable)
        table.sync_rows(rows)
        set_subtitle(table, self.search.subtitle(f"{len(rows)} entries, newest first"))

    @on(RowTable.Highlighted)
    def _picked(self, message: RowTable.Highlighted) -> None:
        if message.table.id == "log-roles":
            self.show(self.state)

    def action_search(self) -> None:
        ask(self, "the activity log", self.search, lambda: self.show(self.state))

    def action_close(self) -> None:
        self.app.pop_screen()
