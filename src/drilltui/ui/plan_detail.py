"""An inject of the plan in words (the pane under the chart, and in full on its own screen), and the objectives list."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from drilltui.scenario.durations import format_drill_time, format_duration
from drilltui.scenario.timeline import Placed, Timeline
from drilltui.ui.style import shown


def when(p: Placed) -> str:
    if p.time is None:
        return f"on the bench: {p.why_bench}"
    at = format_drill_time(p.time)
    return at if p.exact else f"{at} at the earliest (it waits on the players)"


def trigger(p: Placed) -> str:
    if p.edge is None:
        return "manual" if p.inject.manual else "at a set time"
    delay = f" + {format_duration(p.edge.delay)}" if p.edge.delay else ""
    return f"after {p.edge.parent} {p.edge.on}{delay}  ({p.edge.link})"


def summary(timeline: Timeline, p: Placed) -> Text:
    """A few lines for the pane under the chart."""
    i = p.inject
    out = Text()
    out.append(f"{shown(i.id)}  ", style="bold")
    out.append(shown(i.title))
    out.append(f"\n{when(p)} · {trigger(p)} · to {', '.join(shown(r) for r in i.to)} · {i.severity}")
    branches = timeline.children.get(i.id, ())
    if branches:
        out.append("\nthen: " + ", ".join(f"{e.child} ({e.on})" for e in branches))
    for line in p.escalation_lines():
        out.append("\n" + shown(line))
    tested = [*i.objectives, *(t for t in timeline.tasks_of(p) if t)]
    if tested:
        out.append("\ntests: " + ", ".join(shown(t) for t in tested))
    return out


def full(timeline: Timeline, p: Placed) -> Group:
    """Every field of the inject, its expectations, its branches and its deadline chain."""
    s, i = timeline.scenario, p.inject
    # The fields in two columns, so that a long message wraps inside its own.
    fields = Table.grid(padding=(0, 1))
    fields.add_column(style="bold", no_wrap=True, width=15)
    fields.add_column(ratio=1)

    def field(name: str, value: str | None) -> None:
        if value:
            fields.add_row(name, Text(shown(value, lines=True)))

    field("When", when(p))
    field("Trigger", trigger(p))
    field("To", ", ".join(f"{r} ({role.title})" if (role := s.role(r)) else r for r in i.to))
    field("Lanes", ", ".join(lane.removeprefix("party:") for lane in p.lanes))
    field("From", i.sender)
    field("Method", i.method)
    field("Severity", i.severity)
    if i.ack_within is not None:
        field("Ack within", format_duration(i.ack_within))
    elif p.chain:
        field("Ack within", f"{format_duration(p.chain[0].deadline - (p.time or 0))} ({p.chain[0].role}'s ack_within)")
    else:
        field("Ack within", "no deadline")
    field("Message", i.message.rstrip())
    field("Expected action", i.expected_action)
    if i.sensitive:
        field("Sensitive", "yes: --redact replaces its free text")
    out = Text()
    out.append("\nObjectives\n", style="bold underline")
    for oid in i.objectives:
        objective = s.objective(oid)
        out.append(f"  {shown(oid)}  {shown(objective.text) if objective else ''}\n")
    for tid in timeline.tasks_of(p):
        found = s.task(tid)
        if found:
            out.append(f"  {shown(found[0].id)} / {shown(tid)}  {shown(found[1].text)} (critical task)\n")
    if not i.objectives and not timeline.tasks_of(p):
        out.append("  none\n", style="italic")
    out.append("\nExpectations\n", style="bold underline")
    for x in i.expect:
        bits = [f"by {', '.join(x.by)}" if x.by else "", f"within {format_duration(x.within)}" if x.within else "",
                f"task {x.task}" if x.task else "", f"when {x.when}" if x.when else "marked by an evaluator"]
        out.append(f"  {shown(x.id)}  {shown(x.text)}\n      {shown(' · '.join(b for b in bits if b))}\n")
    if not i.expect:
        out.append("  none\n", style="italic")
    if i.decision is not None:
        out.append("\nDecision\n", style="bold underline")
        out.append(f"  {shown(i.decision.prompt)}\n")
        for option in i.decision.options:
            after = [e.child for e in timeline.children.get(i.id, ()) if e.on == f"decision:{option.id}"]
            then = f"  -> {', '.join(after)}" if after else "  -> nothing follows in the plan"
            out.append(f"  ◆ {shown(option.id)}: {shown(option.label)}{shown(then)}\n")
    out.append("\nBranches and follow-ons\n", style="bold underline")
    for e in timeline.children.get(i.id, ()):
        child = timeline.by_id.get(e.child)
        title = shown(child.inject.title) if child else ""
        delay = f" + {format_duration(e.delay)}" if e.delay else ""
        out.append(f"  {e.on}{delay} -> {shown(e.child)}  {title} ({e.link})\n")
    if not timeline.children.get(i.id):
        out.append("  none\n", style="italic")
    out.append("\nDeadline chain (if nobody acknowledges it)\n", style="bold underline")
    for line in p.escalation_lines():
        out.append(f"  {shown(line)}\n")
    if not p.chain:
        out.append("  no deadline: neither the inject nor its first recipient has ack_within\n", style="italic")
    return Group(Text(f"{shown(i.id)}  {shown(i.title)}", style="bold"), fields, out)


class PlanDetailScreen(ModalScreen[None]):
    """One inject of the plan in full; Esc goes back to the chart."""

    BINDINGS = [Binding("escape,enter,q", "app.pop_screen", "Back", id="plan-detail-close")]
    DEFAULT_CSS = """
    PlanDetailScreen { align: center middle; }
    PlanDetailScreen > VerticalScroll { width: 100; max-width: 95%; height: 90%;
                                        border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, timeline: Timeline, placed: Placed) -> None:
        super().__init__()
        self.timeline, self.placed = timeline, placed

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = f"{shown(self.placed.id)}: the inject in full"
            scroll.border_subtitle = "Esc: back"
            yield Static(full(self.timeline, self.placed), id="plan-full")


class ObjectivesScreen(ModalScreen[str | None]):
    """The objectives and the injects that test each; Enter marks those injects on the chart."""

    BINDINGS = [Binding("escape,q", "dismiss_none", "Back", id="plan-objectives-close")]
    DEFAULT_CSS = """
    ObjectivesScreen { align: center middle; }
    ObjectivesScreen > OptionList { width: 100; max-width: 95%; height: auto; max-height: 90%;
                                    border: thick $accent; background: $surface; }
    """

    def __init__(self, timeline: Timeline, chosen: str | None) -> None:
        super().__init__()
        self.timeline, self.chosen = timeline, chosen

    def compose(self) -> ComposeResult:
        options = [Option(Text("(none: mark no objective)", style="italic"), id="")]
        for objective in self.timeline.scenario.objectives:
            tested = [p.id for p in self.timeline.testing(objective.id)]
            text = Text()
            text.append(f"{'▸ ' if objective.id == self.chosen else '  '}{shown(objective.id)}  ", style="bold")
            text.append(shown(objective.text))
            text.append(f"\n    tested by {', '.join(shown(t) for t in tested) or 'no inject'}", style="dim")
            for task in objective.tasks:
                text.append(f"\n    {shown(task.id)}: {shown(task.text)}", style="dim")
            options.append(Option(text, id=objective.id))
        found = OptionList(*options, id="objective-list")
        found.border_title = "Objectives: Enter marks the injects that test one"
        yield found

    def on_mount(self) -> None:
        ids = ["", *(o.id for o in self.timeline.scenario.objectives)]
        self.query_one(OptionList).highlighted = ids.index(self.chosen) if self.chosen in ids else 0

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        chosen = message.option.id or None
        self.dismiss(None if chosen == self.chosen else chosen)  # the one marked now, picked again, clears

    def action_dismiss_none(self) -> None:
        self.dismiss(self.chosen)
