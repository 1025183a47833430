"""The inject feed: released injects, newest first, with severity, route and status."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from drilltui.engine.permissions import may_see
from drilltui.engine.state import DrillState
from drilltui.scenario import format_drill_time
from drilltui.ui.style import SEVERITY, STATUS, marked, resolve


class InjectFeed(DataTable):
    """Released injects this role may see; the cursor selects one."""

    class Selected(Message):
        def __init__(self, inject_id: str | None) -> None:
            self.inject_id = inject_id
            super().__init__()

    COLUMNS = (("time", "Time"), ("id", "ID"), ("sev", "Sev"), ("status", "Status"), ("route", "From → To"),
               ("method", "Via"), ("title", "Title"))
    COMPACT = (("time", "Time"), ("id", "ID"), ("sev", "Sev"), ("status", "Status"), ("title", "Title"))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.border_title = "Inject feed"
        self._shown: list[str] = []
        self._compact: bool | None = None

    def set_compact(self, compact: bool) -> None:
        """Fewer columns for narrow terminals: time, id, severity, status, title."""
        if compact != self._compact:
            self._compact = compact
            self.clear(columns=True)
            for key, label in self.COMPACT if compact else self.COLUMNS:
                self.add_column(label, key=key, width={"route": 24, "title": 44}.get(key))

    @property
    def selected(self) -> str | None:
        if not self._shown or self.cursor_row < 0 or self.cursor_row >= len(self._shown):
            return None
        return self._shown[self.cursor_row]

    def show(self, state: DrillState, role: str, now: float, colors: dict[str, str], compact: bool = False) -> None:
        self.set_compact(compact)
        visible = [i for i in reversed(state.release_order) if may_see(state, role, i)]
        keep = self.selected
        rows = []
        for inject_id in visible:
            inject = state.scenario.inject(inject_id)
            item = state.injects[inject_id]
            assert inject is not None and item.released_at is not None
            status = marked(STATUS, item.status, colors)
            if item.overdue(now):
                status = Text("⚠ overdue", style=resolve("bold $error", colors))
            sender = inject.sender or "Exercise control"
            route = Text(f"{sender} → {item.holder}", overflow="ellipsis", no_wrap=True)
            cells = {"time": format_drill_time(item.released_at)[2:], "id": inject_id,
                     "sev": marked(SEVERITY, inject.severity, colors), "route": route, "method": inject.method,
                     "title": Text(inject.title, overflow="ellipsis", no_wrap=True), "status": status}
            rows.append(tuple(cells[key] for key, _ in (self.COMPACT if compact else self.COLUMNS)))
        self.clear()
        for row, inject_id in zip(rows, visible):
            self.add_row(*row, key=inject_id)
        self._shown = visible
        self.border_subtitle = f"{len(visible)} released"
        if keep in visible:
            self.move_cursor(row=visible.index(keep), animate=False)
        self.post_message(self.Selected(self.selected))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Selected(self.selected))
