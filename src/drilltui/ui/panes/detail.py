"""The selected inject or role in full: the message first, then what is asked, then its whole story."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from drilltui.engine.scheduler import wont_fire
from drilltui.engine.state import DrillState
from drilltui.scenario import Inject, format_drill_time, format_duration
from drilltui.ui.panes.feed import status_text
from drilltui.ui.story import role_title, story_line
from drilltui.ui.style import SEVERITY, marked, resolve, shown

# What the pane shows: ("inject", id) for a released or planned inject, ("role", id) for a role.
Subject = tuple[str, str] | None


def planned(inject: Inject) -> str:
    """When a planned inject is meant to go: `at T+00:05:00`, `after AI-01 acknowledged +2m`, `by hand`."""
    if inject.at is not None:
        return f"at {format_drill_time(inject.at)}"
    if inject.after is not None:
        a = inject.after
        return f"after {a.inject} {a.label}" + (f" +{format_duration(a.delay)}" if a.delay else "")
    return "by hand (a contingency inject: a controller releases it)"


class InjectDetail(VerticalScroll):
    """Shows one inject or one role; `show(state, subject, now)` redraws it.

    The deadline line is a widget of its own: its countdown changes every
    second, and only that one line is repainted for it.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Inject"
        self.head = Static("", id="detail-head")
        self.deadline = Static("", id="detail-deadline")
        self.body = Static("", id="detail-body")
        self.subject: Subject = None

    def compose(self) -> ComposeResult:
        yield self.head
        yield self.deadline
        yield self.body

    _key: object = None

    def show(self, state: DrillState, subject: Subject, now: float, colors: dict[str, str]) -> None:
        self.subject = subject
        kind, sid = subject if subject else ("", "")
        item = state.injects.get(sid) if kind == "inject" else None
        waiting = item is not None and item.open and item.deadline is not None and item.acknowledged_at is None
        left = item.deadline - now if waiting and item is not None and item.deadline is not None else None
        # Whole seconds left, or -1 once overdue (the line stops changing then).
        countdown = None if left is None else (-1 if left <= 0 else int(left))
        # A correction of a note changes no item; the journal's length moves with every note and correction.
        what = (item, len(state.journal)) if kind == "inject" else (state.roles.get(sid), state.seq) if kind else None
        key = (subject, what, countdown, id(colors), item.overdue(now) if item else None)
        if key == self._key:  # nothing on screen would change
            return
        only_countdown = (self._key is not None and key[:2] == self._key[:2]  # type: ignore[index]
                          and key[3:] == self._key[3:])  # type: ignore[index]
        self._key = key
        if left is not None and item is not None and item.deadline is not None:
            overdue = left <= 0
            style = resolve("bold $error", colors) if overdue else ""
            line = Text(f"Acknowledge by {format_drill_time(item.deadline)}"
                        + (" (⚠ overdue)" if overdue else f" ({format_drill_time(left)[2:]} left)"), style=style)
            self.deadline.update(line, layout=not only_countdown)  # same length every second: no new layout
        elif not only_countdown:
            self.deadline.update("")
        self.deadline.display = left is not None
        if only_countdown:
            return
        if kind == "role" and sid in state.roles:
            self.border_title = "Role"
            self._show_role(state, sid, now, colors)
        elif kind == "inject" and state.inject(sid) is not None:
            self.border_title = "Inject" if item is not None and item.released else "Planned inject"
            self._show_inject(state, sid, now, colors)
        else:
            self.border_title = "Inject"
            self.head.update(Text("No inject selected. Released injects appear in the feed.", style="italic"))
            self.body.update("")

    def _show_inject(self, state: DrillState, inject_id: str, now: float, colors: dict[str, str]) -> None:
        inject = state.inject(inject_id)
        item = state.injects[inject_id]
        assert inject is not None
        head = Text()
        head.append(f"{shown(inject.id)} ", style="bold")
        if inject_id in state.adhoc:
            head.append("✚ ad hoc ", style=resolve("bold $accent", colors))
        head.append_text(marked(SEVERITY, inject.severity, colors))
        head.append(" ")
        if item.released:
            head.append_text(status_text(item, now, colors))
        elif inject_id in wont_fire(state):
            head.append("✗ won't fire: its branch was not taken", style=resolve("bold $text-muted", colors))
        else:
            head.append(f"planned {planned(inject)}", style=resolve("$text-muted", colors))
        head.append(f"\n{shown(inject.title)}", style="bold")
        self.head.update(head)
        # The message comes first: on a small terminal it is what must show.
        parts: list[RenderableType] = [Text(shown(inject.message.strip(), lines=True) or "(no message text)")]
        to = ", ".join(role_title(state, r) for r in inject.to)
        route = f"From {shown(inject.sender or 'Exercise control')} by {inject.method} to {to}"
        if item.released:
            route += f"; held by {role_title(state, item.holder)}"
        parts += [Text(""), Text(route, style=resolve("$text-muted", colors))]
        if inject.expected_action:
            parts += [Text(""), Text.assemble(("Expected action: ", "bold"), shown(inject.expected_action.strip(), lines=True))]
        if inject.decision is not None:
            parts += [Text(""), Text.assemble(("Decision: ", "bold"), shown(inject.decision.prompt))]
            for option in inject.decision.options:
                chosen = item.decision == option.id
                parts.append(Text(f"  {'▶' if chosen else '·'} {shown(option.id)}: {shown(option.label)}",
                                  style="bold" if chosen else ""))
        if inject.objectives:
            parts.append(Text(""))
            for oid in inject.objectives:
                objective = state.scenario.objective(oid)
                parts.append(Text.assemble(("Objective ", "bold"), f"{oid}: {shown(objective.text) if objective else '?'}"))
        if not item.released:
            deadline = inject.ack_within
            parts += [Text(""), Text(f"Planned {planned(inject)}"
                                     + (f"; to be acknowledged within {format_duration(deadline)}" if deadline else ""),
                                     style=resolve("$text-muted", colors))]
        if item.history:
            parts += [Text(""), Text("What happened", style="bold")]
            parts += [story_line(state, e, colors) for e in item.history]
        self.body.update(Group(*parts))

    def _show_role(self, state: DrillState, role_id: str, now: float, colors: dict[str, str]) -> None:
        role = state.scenario.role(role_id)
        rs = state.roles[role_id]
        assert role is not None
        head = Text(shown(role.title), style="bold")
        head.append(f"  {role.kind}", style=resolve("$text-muted", colors))
        line = f"Status {rs.status}" + (f": {shown(rs.task)}" if rs.task else "")
        if role.reports_to:
            line += f"; reports to {role_title(state, role.reports_to)}"
        self.head.update(Group(head, Text(line)))
        parts: list[RenderableType] = []
        people = rs.participants or ((role.holder,) if role.holder else ())
        if people:
            connected = "connected: " if rs.participants else "played by "
            parts.append(Text(connected + shown(", ".join(people))))
        items = state.open_items(role_id)
        if items:
            parts += [Text(""), Text(f"Holds {len(items)} open", style="bold")]
            for item in items:
                inject = state.inject(item.id)
                line_text = Text(f"  {shown(item.id)} ")
                line_text.append_text(status_text(item, now, colors))
                line_text.append(f"  {shown(inject.title) if inject else ''}")
                parts.append(line_text)
        asks = state.open_asks(role_id)
        if asks:
            parts += [Text(""), Text(f"Asked of it: {len(asks)} open request or tasking", style="bold")]
            for m in asks:
                due = f", due {format_drill_time(m.due)}" if m.due is not None else ""
                overdue = " ⚠ overdue" if m.overdue(now) else ""
                parts.append(Text(f"  {m.id} {m.what} from {role_title(state, m.sender)}{due}{overdue}: {shown(m.text)}",
                                  style=resolve("bold $error", colors) if overdue else ""))
        wanted = set(rs.notes)
        notes = [e for e in state.journal if e.seq in wanted]
        if notes:
            parts += [Text(""), Text("Notes on this role", style="bold")]
            parts += [story_line(state, e, colors) for e in notes]
        self.body.update(Group(*parts) if parts else "")
