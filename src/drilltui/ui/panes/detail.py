"""The selected inject in full: message, expected action, decision and what happened."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from drilltui.engine.state import DrillState
from drilltui.scenario import format_drill_time
from drilltui.ui.style import SEVERITY, STATUS, marked, resolve


class InjectDetail(VerticalScroll):
    """Shows one inject; `show(state, inject_id)` redraws it.

    The deadline line is a widget of its own: its countdown changes every
    second, and only that one line is repainted for it.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Inject"
        self.head = Static("", id="detail-head")
        self.deadline = Static("", id="detail-deadline")
        self.body = Static("", id="detail-body")

    def compose(self):  # type: ignore[override]
        yield self.head
        yield self.deadline
        yield self.body

    _key: object = None

    def show(self, state: DrillState, inject_id: str | None, now: float, colors: dict[str, str]) -> None:
        inject = state.scenario.inject(inject_id) if inject_id else None
        item = state.injects.get(inject_id) if inject_id else None
        waiting = item is not None and item.deadline is not None and item.acknowledged_at is None
        left = item.deadline - now if waiting else None  # type: ignore[union-attr, operator]
        # Whole seconds left, or -1 once overdue (the line stops changing then).
        key = (inject_id, item, None if left is None else (-1 if left <= 0 else int(left)), id(colors))
        if key == self._key:  # nothing on screen would change
            return
        only_countdown = self._key is not None and key[:2] == self._key[:2] and key[3] == self._key[3]  # type: ignore[index]
        self._key = key
        if left is not None:  # so item and its deadline are there
            overdue = left <= 0
            style = resolve("bold $error", colors) if overdue else ""
            line = Text(f"Acknowledge by {format_drill_time(item.deadline)}"  # type: ignore[union-attr, arg-type]
                        + (" (overdue)" if overdue else f" ({format_drill_time(left)[2:]} left)"), style=style)
            self.deadline.update(line, layout=not only_countdown)  # same length every second: no new layout
        elif not only_countdown:
            self.deadline.update("")
        self.deadline.display = left is not None
        if only_countdown:
            return
        if inject is None or inject_id is None or item is None:
            self.head.update(Text("No inject selected. Released injects appear in the feed.", style="italic"))
            self.body.update("")
            return
        head = Text()
        head.append(f"{inject.id} ", style="bold")
        head.append_text(marked(SEVERITY, inject.severity, colors))
        head.append(" ")
        head.append_text(marked(STATUS, item.status, colors))
        head.append(f"\n{inject.title}", style="bold")
        route = Text(f"From {inject.sender or 'Exercise control'} by {inject.method} to {', '.join(inject.to)}; held by {item.holder}")
        self.head.update(Group(head, route))
        parts: list[object] = []
        parts.append(Text(""))
        parts.append(Text(inject.message.strip() or "(no message text)"))
        if inject.expected_action:
            parts.append(Text(""))
            parts.append(Text.assemble(("Expected action: ", "bold"), inject.expected_action.strip()))
        if inject.decision is not None:
            parts.append(Text(""))
            parts.append(Text.assemble(("Decision: ", "bold"), inject.decision.prompt))
            for option in inject.decision.options:
                chosen = item.decision == option.id
                parts.append(Text(f"  {'▶' if chosen else '·'} {option.id}: {option.label}", style="bold" if chosen else ""))
        history = []
        if item.released_at is not None:
            history.append(f"{format_drill_time(item.released_at)} released ({item.via})")
        if item.acknowledged_at is not None:
            history.append(f"{format_drill_time(item.acknowledged_at)} acknowledged by {item.acknowledged_by}")
        if item.decided_at is not None:
            history.append(f"{format_drill_time(item.decided_at)} decided {item.decision} by {item.decided_by}")
        if item.escalations:
            history.append(f"escalated {item.escalations} level{'s' if item.escalations > 1 else ''}")
        if item.resolved_at is not None:
            history.append(f"{format_drill_time(item.resolved_at)} resolved by {item.resolved_by}")
        if history:
            parts.append(Text(""))
            parts.append(Text(" · ".join(history), style=resolve("$text-muted", colors)))
        self.body.update(Group(*parts))
