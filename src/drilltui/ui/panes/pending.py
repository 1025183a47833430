"""Pending injects for controllers: what the MSEL will release next, and the contingency bench."""

from __future__ import annotations

from rich.text import Text

from drilltui.engine.scheduler import due_times
from drilltui.engine.state import DrillState
from drilltui.scenario import Trigger, format_drill_time, format_duration
from drilltui.ui.panes.rows import SyncedTable, set_subtitle
from drilltui.ui.style import SEVERITY, marked


SHORT = {"released": "rel", "acknowledged": "ack", "resolved": "res", "escalated": "esc", "expired": "exp"}


def trigger_label(trigger: Trigger) -> str:
    """`AI-01 ack +2m`: what an `after` waits for, short enough for a column."""
    on = f"={trigger.option}" if trigger.on == "decision" else SHORT[trigger.on]
    delay = f" +{format_duration(trigger.delay)}" if trigger.delay else ""
    return f"{trigger.inject} {on}{delay}"


class PendingList(SyncedTable):
    """Unreleased injects: timed and triggered first, by due time, then manual ones."""

    COLUMNS = (("due", "Due"), ("id", "ID"), ("title", "Title"), ("sev", "Sev"), ("to", "To"))
    FLEX = "title"
    WIDTHS = {"due": 12, "id": 6, "title": 10, "sev": 4, "to": 12}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.border_title = "Pending"

    def show(self, state: DrillState, colors: dict[str, str]) -> None:
        self.fit_columns()
        due = {i: t for t, _, kind, i in due_times(state) if kind != "expiry"} if state.started else {}
        order = {i: n for n, i in enumerate(sorted(due, key=lambda k: due[k]))}
        waiting = [i for i in state.scenario.injects if not state.injects[i.id].released]
        waiting.sort(key=lambda i: (0, order[i.id]) if i.id in order else (1, 0))
        rows = []
        for inject in waiting:
            if inject.id in due:
                when = Text(format_drill_time(due[inject.id])[2:])
            elif inject.at is not None:
                when = Text(format_drill_time(inject.at)[2:])
            elif inject.manual:
                when = Text("manual", style="italic")
            else:
                when = Text(trigger_label(inject.after), style="italic")  # type: ignore[arg-type]
            rows.append((inject.id, {
                "due": when, "id": Text(inject.id, overflow="ellipsis", no_wrap=True),
                "sev": marked(SEVERITY, inject.severity, colors),
                "to": Text(", ".join(inject.to), overflow="ellipsis", no_wrap=True), "title": Text(inject.title, overflow="ellipsis", no_wrap=True),
            }))
        self.sync_rows(rows)
        set_subtitle(self, f"{len(rows)} not released")
