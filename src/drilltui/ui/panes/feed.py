"""The inject feed: released injects, newest first, with severity, route and status."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from drilltui.engine.permissions import may_see
from drilltui.engine.state import DrillState
from drilltui.scenario import format_drill_time
from drilltui.ui.panes.rows import SyncedTable, set_subtitle
from drilltui.ui.style import SEVERITY, STATUS, marked, resolve


class InjectFeed(SyncedTable):
    """Released injects this role may see; the cursor selects one."""

    class Selected(Message):
        def __init__(self, inject_id: str | None) -> None:
            self.inject_id = inject_id
            super().__init__()

    COLUMNS = (("time", "Time"), ("id", "ID"), ("sev", "Sev"), ("status", "Status"), ("title", "Title"),
               ("route", "From → To"), ("method", "Via"))
    FLEX = "title"
    WIDTHS = {"time": 8, "id": 7, "sev": 4, "status": 11, "title": 16, "route": 24, "method": 9}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.border_title = "Inject feed"
        self._announced: str | None = None

    def show(self, state: DrillState, role: str, now: float, colors: dict[str, str]) -> None:
        self.fit_columns()
        rows = []
        for inject_id in reversed(state.release_order):
            if not may_see(state, role, inject_id):
                continue
            inject = state.scenario.inject(inject_id)
            item = state.injects[inject_id]
            assert inject is not None and item.released_at is not None
            status = marked(STATUS, item.status, colors)
            if item.overdue(now):
                status = Text("⚠ overdue", style=resolve("bold $error", colors))
            sender = inject.sender or "Exercise control"
            rows.append((inject_id, {
                "time": format_drill_time(item.released_at)[2:], "id": Text(inject_id, overflow="ellipsis", no_wrap=True),
                "sev": marked(SEVERITY, inject.severity, colors), "status": status,
                "route": Text(f"{sender} → {item.holder}", overflow="ellipsis", no_wrap=True),
                "method": inject.method, "title": Text(inject.title, overflow="ellipsis", no_wrap=True),
            }))
        self.sync_rows(rows)
        set_subtitle(self, f"{len(rows)} released")
        self._announce()

    def _announce(self) -> None:
        if self.selected != self._announced:
            self._announced = self.selected
            self.post_message(self.Selected(self.selected))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._announce()
