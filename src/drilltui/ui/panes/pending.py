"""Pending injects for controllers: what the MSEL will release next, and the contingency bench."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from drilltui.engine.scheduler import due_times, wont_fire
from drilltui.engine.state import DrillState
from drilltui.scenario import Inject, Trigger, format_drill_time, format_duration
from drilltui.ui.panes.rows import RowTable, set_subtitle
from drilltui.ui.style import SEVERITY, marked, resolve, shown

SHORT = {"released": "rel", "acknowledged": "ack", "resolved": "res", "escalated": "esc", "expired": "exp"}


def trigger_label(trigger: Trigger) -> str:
    """`AI-01 ack +2m`: what an `after` waits for, short enough for a column."""
    on = f"={trigger.option}" if trigger.on == "decision" else SHORT[trigger.on]
    delay = f" +{format_duration(trigger.delay)}" if trigger.delay else ""
    return f"{trigger.inject} {on}{delay}"


class PendingList(RowTable):
    """Unreleased injects: timed and triggered by due time, then those waiting on a trigger, the contingency
    bench, and last the branches not taken ("won't fire")."""

    COLUMNS = (("due", "Due"), ("id", "ID"), ("title", "Title"), ("sev", "Sev"), ("to", "To"))
    WIDTHS = {"due": 12, "id": 6, "title": 10, "sev": 4, "to": 12}
    FLEX = {"title": 3, "due": 1}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = "Pending"

    def show(self, state: DrillState, colors: dict[str, str]) -> None:
        due = {i: t for t, _, kind, i in due_times(state) if kind != "expiry"} if state.started else {}
        dead = wont_fire(state)

        def rank(inject: Inject) -> tuple[int, float]:
            if inject.id in dead:
                return (4, 0)
            if inject.id in due:
                return (0, due[inject.id])
            if inject.at is not None:
                return (1, float(inject.at))
            return (3, 0) if inject.manual else (2, 0)

        waiting = sorted((i for i in state.scenario.injects if not state.injects[i.id].released), key=rank)
        rows = []
        for inject in waiting:
            if inject.id in dead:
                when = Text("✗ won't fire", style=resolve("$text-muted", colors))
            elif inject.id in due:
                when = Text(format_drill_time(due[inject.id])[2:])
            elif inject.at is not None:
                when = Text(format_drill_time(inject.at)[2:])
            elif inject.manual:
                when = Text("manual", style="italic")
            else:
                when = Text(trigger_label(inject.after), style="italic")  # type: ignore[arg-type]
            rows.append((inject.id, {
                "due": when, "id": shown(inject.id), "sev": marked(SEVERITY, inject.severity, colors),
                "to": shown(", ".join(inject.to)), "title": shown(inject.title),
            }))
        self.sync_rows(rows)
        set_subtitle(self, f"{len(rows)} not released" + (f" · {len(dead)} won't fire" if dead else ""))
