"""An inject's or a role's story from the log, one line an event: drill time, what happened, who."""

from __future__ import annotations

from rich.text import Text

from drilltui.engine import events as ev
from drilltui.engine.events import SYSTEM, Event
from drilltui.engine.state import RATINGS, DrillState
from drilltui.scenario import format_drill_time
from drilltui.ui.style import resolve, shown


def role_title(state: DrillState, role_id: str | None) -> str:
    role = state.scenario.role(role_id or "")
    return shown(role.title) if role else shown(role_id or "?")


def who(state: DrillState, event: Event) -> str:
    """`Sam (SOC Analyst)`, or `the drill` for what the drill itself did."""
    if event.participant in (SYSTEM, "") and not event.role:
        return "the drill"
    name = shown(event.participant)
    return f"{name} ({role_title(state, event.role)})" if event.role else name


def _entry_text(state: DrillState, event: Event, text: str, colors: dict[str, str]) -> Text:
    """An entry's text with its correction: the original struck through and the amendment after it."""
    out = Text()
    fix = state.correction(event.seq)
    if fix is None:
        out.append(shown(text))
        return out
    out.append(shown(text), style="strike")
    if fix.retracted:
        out.append(f"  retracted by {shown(fix.participant)}" + (f": {shown(fix.reason)}" if fix.reason else ""),
                   style=resolve("$text-muted", colors))
    else:
        rating = f"{fix.rating} " if fix.rating else ""
        out.append(f"  → {rating}{shown(fix.text)}", style="bold")
        out.append(f" (amended by {shown(fix.participant)}" + (f": {shown(fix.reason)}" if fix.reason else "") + ")",
                   style=resolve("$text-muted", colors))
    return out


def happened(state: DrillState, event: Event, colors: dict[str, str]) -> Text:
    """What the event did, in words, with who did it."""
    b = event.body
    line = Text()
    if isinstance(b, ev.InjectReleased):
        inject = state.inject(b.inject)
        to = ", ".join(role_title(state, r) for r in inject.to) if inject else b.to_role
        how = {"scheduled": "on schedule", "triggered": "by its trigger", "manual": f"by hand, by {who(state, event)}",
               "adhoc": f"ad hoc, by {who(state, event)}"}
        line.append(f"released {how.get(b.via, b.via)}; sent to {to}")
        if b.deadline is not None:
            line.append(f"; acknowledge by {format_drill_time(b.deadline)}")
    elif isinstance(b, ev.InjectAcknowledged):
        line.append(f"acknowledged by {who(state, event)}")
    elif isinstance(b, ev.InjectEscalated):
        why = "deadline passed" if b.reason == "deadline" else f"by hand, by {who(state, event)}"
        line.append(f"escalated {role_title(state, b.from_role)} → {role_title(state, b.to_role)} ({why})",
                    style=resolve("$warning", colors))
    elif isinstance(b, ev.InjectExpired):
        line.append(f"not acknowledged by {role_title(state, b.role)} by {format_drill_time(b.deadline)}",
                    style=resolve("$error", colors))
    elif isinstance(b, ev.DecisionTaken):
        inject = state.inject(b.inject)
        option = inject.decision.option(b.option) if inject and inject.decision else None
        label = f"{b.option}: {option.label}" if option else b.option
        line.append(f"decided {shown(label)}, by {who(state, event)}", style="bold")
        if b.rationale:
            line.append(f" — {shown(b.rationale)}")
    elif isinstance(b, ev.InjectResolved):
        line.append(f"resolved by {who(state, event)}")
    elif isinstance(b, ev.NoteAdded):
        line.append(f"{b.kind} by {who(state, event)}: ")
        line.append_text(_entry_text(state, event, b.text, colors))
    elif isinstance(b, ev.ObjectiveRated):
        line.append(f"{b.objective} rated {b.rating} ({RATINGS.get(b.rating, '?')}) by {who(state, event)}: ")
        line.append_text(_entry_text(state, event, b.comment, colors))
    elif isinstance(b, ev.HotwashItemAdded):
        line.append(f"hotwash {b.section} by {who(state, event)}: ")
        line.append_text(_entry_text(state, event, b.text, colors))
    elif isinstance(b, ev.EntryAmended):
        line.append(f"event {b.entry} amended by {who(state, event)}: {shown(b.text)}")
    elif isinstance(b, ev.EntryRetracted):
        line.append(f"event {b.entry} retracted by {who(state, event)}" + (f": {shown(b.reason)}" if b.reason else ""))
    elif isinstance(b, ev.InjectAdded):
        line.append(f"written during play (ad hoc) by {who(state, event)}", style="bold")
    elif isinstance(b, ev.ConsoleLost):
        went_on = "the drill went on with another console" if b.went_on else "the clock was paused here"
        line.append(f"{shown(b.participant)}'s console, which ran the clock, was lost; {went_on}",
                    style=resolve("$warning", colors))
    else:
        from drilltui.engine.describe import summary

        line.append(shown(summary(event)))
    return line


def story_line(state: DrillState, event: Event, colors: dict[str, str]) -> Text:
    """`T+00:01:00  acknowledged by Sam (SOC Analyst)`."""
    line = Text(format_drill_time(event.drill_time) + "  ", style=resolve("$text-muted", colors))
    line.append_text(happened(state, event, colors))
    return line
