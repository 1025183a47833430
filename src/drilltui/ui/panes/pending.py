"""Pending injects for controllers: what the MSEL will release next, and the contingency bench."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from drilltui.engine.scheduler import due_times
from drilltui.engine.state import DrillState
from drilltui.scenario import Trigger, format_drill_time, format_duration
from drilltui.ui.style import SEVERITY, marked


SHORT = {"released": "rel", "acknowledged": "ack", "resolved": "res", "escalated": "esc", "expired": "exp"}


def trigger_label(trigger: Trigger) -> str:
    """`AI-01 ack +2m`: what an `after` waits for, short enough for a column."""
    on = f"={trigger.option}" if trigger.on == "decision" else SHORT[trigger.on]
    delay = f" +{format_duration(trigger.delay)}" if trigger.delay else ""
    return f"{trigger.inject} {on}{delay}"


class PendingList(DataTable):
    """Unreleased injects: timed and triggered first, by due time, then manual ones."""

    COLUMNS = (("due", "Due"), ("id", "ID"), ("sev", "Sev"), ("to", "To"), ("title", "Title"))
    COMPACT = (("due", "Due"), ("id", "ID"), ("title", "Title"))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self.border_title = "Pending"
        self._inject_ids: list[str] = []
        self._compact: bool | None = None

    def set_compact(self, compact: bool) -> None:
        if compact != self._compact:
            self._compact = compact
            self.clear(columns=True)
            for key, label in self.COMPACT if compact else self.COLUMNS:
                self.add_column(label, key=key, width=18 if key == "due" else None)

    @property
    def selected(self) -> str | None:
        if 0 <= self.cursor_row < len(self._inject_ids):
            return self._inject_ids[self.cursor_row]
        return None

    def show(self, state: DrillState, colors: dict[str, str], compact: bool = False) -> None:
        self.set_compact(compact)
        keep = self.selected
        due = {i: t for t, _, kind, i in due_times(state) if kind != "expiry"} if state.started else {}
        rows: list[tuple[str, Text, str]] = []
        for inject in state.scenario.injects:
            if state.injects[inject.id].released:
                continue
            if inject.id in due:
                when = Text(format_drill_time(due[inject.id])[2:])
            elif inject.at is not None:
                when = Text(format_drill_time(inject.at)[2:])
            elif inject.manual:
                when = Text("manual", style="italic")
            else:
                when = Text(trigger_label(inject.after), style="italic")  # type: ignore[arg-type]
            rows.append((inject.id, when, inject.title))
        order = {i: n for n, i in enumerate(sorted(due, key=lambda k: due[k]))}
        rows.sort(key=lambda r: (0, order[r[0]]) if r[0] in order else (1, 0))
        self.clear()
        self._inject_ids = []
        for inject_id, when, title in rows:
            inject = state.scenario.inject(inject_id)
            assert inject is not None
            cells = {"due": when, "id": inject_id, "sev": marked(SEVERITY, inject.severity, colors),
                     "to": ", ".join(inject.to), "title": Text(title, overflow="ellipsis", no_wrap=True)}
            self.add_row(*(cells[k] for k, _ in (self.COMPACT if compact else self.COLUMNS)), key=inject_id)
            self._inject_ids.append(inject_id)
        self.border_subtitle = f"{len(rows)} not released"
        if keep in self._inject_ids:
            self.move_cursor(row=self._inject_ids.index(keep), animate=False)
