"""The evaluator's board: objectives, their critical tasks and expectations, scored live from the log."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select, Static

from drilltui.engine import commands as c
from drilltui.engine.permissions import RATE, may
from drilltui.engine.state import EXPECTATION_MARKS, RATINGS, DrillState, ExpectationState, Note
from drilltui.scenario import Expectation, Inject, format_drill_time, format_duration
from drilltui.ui.bindings import not_now
from drilltui.ui.messages import CommandRequested, StateChanged
from drilltui.ui.modals import Dialog, NoteDialog, NoteInput, RateDialog, RatingInput
from drilltui.ui.panes.rows import RowTable, set_subtitle
from drilltui.ui.style import shown
from drilltui.ui.view import DrillView, FooterKeys, offered

# Each status with a word and its own bar character, so neither the list nor the chart needs colour.
STATUS = {"met": ("✓ met", "█"), "partial": ("◐ partial", "▓"), "not_met": ("✗ not met", "▒"),
          "missed": ("⊘ missed", "░"), "open": ("· open", "·")}
NO_TASK = "(no critical task)"

BOARD_KEYS = [
    Binding("m", "mark_expectation", "Mark", id="board-mark",
            tooltip="Mark the selected expectation met, partial or not met, with what was seen"),
    Binding("o", "override_expectation", "Override", id="board-override",
            tooltip="Override what the log says of the selected expectation (met or missed), with a reason"),
    Binding("n", "observe", "Observation", id="board-observe",
            tooltip="Add an observation linked to the selected objective, critical task or inject"),
    Binding("g", "rate", "Rate", id="board-rate", tooltip="Rate the selected objective P, S, M or U, with a rationale"),
    Binding("escape", "close", "Back", id="board-back", tooltip="Back to the dashboard"),
]


def where(scenario_rows: list[tuple[str, str, str | None]], key: str | None) -> tuple[str, str, str | None] | None:
    return next((r for r in scenario_rows if r[0] == key), None)


def time_to_action(x: ExpectationState) -> str:
    t = x.time_to_action
    return format_duration(t) if t is not None else "—"


def status_text(x: ExpectationState) -> Text:
    word = STATUS[x.status][0]
    if x.mark is not None and x.mark.overrides:
        word += f" (log: {x.mark.overrides})"
    elif x.mark is None and x.status in ("met", "missed"):
        word += " (log)"
    return Text(word, style="bold" if x.status in ("missed", "not_met") else "")


def linked_notes(state: DrillState, *, objective: str | None = None, task: str | None = None,
                 inject: str | None = None) -> list[Note]:
    """Observations that name this objective, task or inject (an inject's observation counts for its objectives)."""
    out = []
    for n in state.notes:
        if n.kind != "observation" or (state.correction(n.seq) and state.correction(n.seq).retracted):  # type: ignore[union-attr]
            continue
        if task is not None and n.task == task:
            out.append(n)
        elif inject is not None and n.inject == inject:
            out.append(n)
        elif objective is not None and task is None and inject is None:
            found = state.scenario.task(n.task) if n.task else None
            about = state.scenario.inject(n.inject) if n.inject else None
            linked = (n.objective,) if n.objective else (found[0].id,) if found else (about.objectives if about else ())
            if objective in linked:
                out.append(n)
    return out


class BoardTable(RowTable):
    """Objectives, then their critical tasks, then the expectations that evidence them."""

    COLUMNS = (("item", "Objective / critical task / expectation"), ("state", "State"), ("tta", "To action"),
               ("obs", "Obs"), ("rating", "Rating"))
    WIDTHS = {"item": 24, "state": 11, "tta": 9, "obs": 3, "rating": 6}
    FLEX = {"item": 4}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = "Evaluator's board"
        self.places: list[tuple[str, str, str | None]] = []  # key -> (kind, id, objective)

    def show(self, state: DrillState) -> None:
        s = state.scenario
        rows: list[tuple[str, dict[str, Text | str]]] = []
        places: list[tuple[str, str, str | None]] = []

        def expectation_row(oid: str, inject: Inject, x: Expectation, indent: str) -> None:
            now = state.expectation(x.id)
            key = f"x:{oid}:{x.id}"
            places.append((key, "expectation", oid))
            notes = linked_notes(state, inject=inject.id)
            rows.append((key, {"item": f"{indent}• {shown(x.id)} {shown(x.text)} [{shown(inject.id)}]",
                               "state": status_text(now), "tta": time_to_action(now),
                               "obs": str(len(notes)) if notes else "", "rating": ""}))

        groups = [(o.id, o) for o in s.objectives] + [("", None)]
        for oid, o in groups:
            mine = [(i, x) for i, x in s.expectations if oid in s.expectation_objectives(i, x)] if o else \
                [(i, x) for i, x in s.expectations if not s.expectation_objectives(i, x)]
            if o is None and not mine:
                continue
            rating = state.ratings.get(oid) if o else None
            key = f"o:{oid}"
            places.append((key, "objective", oid or None))
            notes = linked_notes(state, objective=oid) if o else []
            met = sum(1 for _, x in mine if state.expectation(x.id).status == "met")
            rows.append((key, {"item": Text(f"{shown(oid)}: {shown(o.text)}" if o else "Not tied to an objective",
                                            style="bold"),
                               "state": f"{met}/{len(mine)} met" if mine else "", "tta": "",
                               "obs": str(len(notes)) if notes else "",
                               "rating": Text(rating.rating, style="bold") if rating else ("—" if o else "")}))
            tasks = list(o.tasks) if o else []
            for t in tasks:
                tkey = f"t:{oid}:{t.id}"
                places.append((tkey, "task", oid))
                tnotes = linked_notes(state, task=t.id)
                rows.append((tkey, {"item": f"├ {shown(t.id)}: {shown(t.text)}", "state": "", "tta": "",
                                    "obs": str(len(tnotes)) if tnotes else "", "rating": ""}))
                for inject, x in mine:
                    if x.task == t.id:
                        expectation_row(oid, inject, x, "│   ")
            rest = [(i, x) for i, x in mine if x.task not in {t.id for t in tasks}]
            if rest and tasks:
                places.append((f"t:{oid}:", "task", oid))
                rows.append((f"t:{oid}:", {"item": Text(f"├ {NO_TASK}", style="dim"), "state": "", "tta": "",
                                            "obs": "", "rating": ""}))
            for inject, x in rest:
                expectation_row(oid, inject, x, "│   " if tasks else "│ ")
        self.places = places
        self.sync_rows(rows)
        counts = [state.expectation(x.id).status for _, x in s.expectations]
        set_subtitle(self, f"{counts.count('met')} met · {counts.count('missed')} missed · {counts.count('open')} open")

    def place(self) -> tuple[str, str, str | None] | None:
        return where(self.places, self.selected)


def bar_chart(state: DrillState, width: int = 24) -> Text:
    """Expectations per objective as text bars (a character per status) and time to acknowledge per role."""
    s = state.scenario
    out = Text("Expectations per objective\n", style="bold")
    legend = "  ".join(f"{ch} {word.split(' ', 1)[1]}" for word, ch in STATUS.values())
    for o in s.objectives:
        statuses = [state.expectation(x.id).status for i, x in s.expectations if o.id in s.expectation_objectives(i, x)]
        if not statuses:
            out.append(f"{shown(o.id):>6} (no expectations)\n")
            continue
        n = len(statuses)
        bar = "".join(ch * round(width * statuses.count(k) / n) for k, (_, ch) in STATUS.items())
        counts = " ".join(f"{statuses.count(k)}{ch}" for k, (_, ch) in STATUS.items() if statuses.count(k))
        out.append(f"{shown(o.id):>6} {bar:<{width}} {counts}\n")
    out.append(f"       {legend}\n\n")
    out.append("Time to acknowledge per role (median; deadline ┃)\n", style="bold")
    acks: dict[str, list[float]] = {}
    for item in state.injects.values():
        if item.acknowledged_at is not None and item.released_at is not None and item.acknowledged_by:
            acks.setdefault(item.acknowledged_by, []).append(item.acknowledged_at - item.released_at)
    longest = max([max(v) for v in acks.values()] + [60.0])
    for role in s.roles:
        if role.id not in acks:
            continue
        median = statistics.median(acks[role.id])
        cells = round(width * median / longest)
        marks = list("▇" * cells + " " * (width - cells))
        if role.ack_within is not None and role.ack_within <= longest:
            marks[min(width - 1, round(width * role.ack_within / longest))] = "┃"
        out.append(f"{shown(role.title)[:14]:>14} {''.join(marks)} {format_duration(median)}\n")
    return out


@dataclass(frozen=True)
class MarkInput:
    status: str
    comment: str


class MarkDialog(Dialog[MarkInput]):
    """Mark an expectation met, partial or not met; an override of the log needs a reason."""

    def __init__(self, expectation: str, text: str, logged: str | None) -> None:
        super().__init__()
        self.expectation, self.text, self.logged = expectation, text, logged

    def compose(self) -> ComposeResult:
        with Vertical():
            verb = f"Override {shown(self.expectation)} (the log says {self.logged})" if self.logged else \
                f"Mark {shown(self.expectation)}"
            yield Static(verb, classes="title")
            yield Static(shown(self.text), classes="full")
            yield Select([(STATUS[k][0], k) for k in EXPECTATION_MARKS], value="met" if self.logged != "met" else "partial",
                         allow_blank=False, id="status")
            yield Input(placeholder="The reason for overriding the log" if self.logged else "What was seen",
                        id="comment")
            yield Static("", classes="error")
            yield Static("Enter in the comment saves, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.say("")
        self.query_one("#status", Select).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.say("Say what was seen.")
            return
        if self.logged and len(text.split()) < c.RATING_WORDS:
            self.say(f"Overriding the log needs a reason of {c.RATING_WORDS} words or more.")
            return
        self.dismiss(MarkInput(str(self.query_one("#status", Select).value), text))


class EvaluatorBoard(Screen[None]):
    """The board on the left; the selected item's evidence and the pictures on the right."""

    BINDINGS = list[BindingType](BOARD_KEYS)
    PALETTE = BOARD_KEYS
    DEFAULT_CSS = """
    EvaluatorBoard #board { width: 3fr; height: 1fr; max-height: 100%; border: round $primary; }
    EvaluatorBoard #board:focus { border: round $accent; }
    EvaluatorBoard #side { width: 2fr; }
    EvaluatorBoard #detail-box { height: 1fr; border: round $primary; padding: 0 1; }
    EvaluatorBoard #chart-box { height: auto; max-height: 50%; border: round $primary; padding: 0 1; }
    """

    def __init__(self, view: DrillView) -> None:
        super().__init__()
        self.view = view
        self.offers: dict[str, str | None] = {}
        self._footer = FooterKeys()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal():
            yield BoardTable(id="board")
            with Vertical(id="side"):
                with VerticalScroll(id="detail-box"):
                    yield Static(id="board-detail")
                with VerticalScroll(id="chart-box"):
                    yield Static(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-box").border_title = "Selected"
        self.query_one("#chart-box").border_title = "Pictures"
        self.query_one(BoardTable).focus()
        self.show(self.view.state)
        self.call_after_refresh(lambda: self.show(self.view.state))  # once the table has its width

    def on_state_changed(self, message: StateChanged) -> None:
        if not message.clock_only:
            self.show(message.state)

    @on(RowTable.Highlighted)
    def _moved(self, message: RowTable.Highlighted) -> None:
        self.show_detail(self.view.state)

    def show(self, state: DrillState) -> None:
        if not self.is_mounted:
            return
        self.query_one(BoardTable).show(state)
        self.query_one("#chart", Static).update(bar_chart(state))
        self.show_detail(state)

    def selected_expectation(self) -> str | None:
        place = self.query_one(BoardTable).place()
        return place[0].split(":", 2)[2] if place and place[1] == "expectation" else None

    def show_detail(self, state: DrillState) -> None:
        place = self.query_one(BoardTable).place()
        self.offers = offered(self.view, expectation=self.selected_expectation())
        if self._footer.changed(self.offers, self.check_action("rate", ())):  # observe and rate hang on the role
            self.refresh_bindings()
        parts: list[RenderableType] = []
        s = state.scenario
        notes: list[Note] = []
        if place is None:
            parts.append(Text("This scenario has no objectives or expectations.", style="dim"))
        elif place[1] == "objective":
            o = s.objective(place[2] or "")
            if o is not None:
                parts.append(Text(f"{o.id}: {shown(o.text)}", style="bold"))
                if o.capability:
                    parts.append(Text(f"Core capability: {shown(o.capability)}"))
                rating = state.ratings.get(o.id)
                parts.append(Text(f"Rating: {rating.rating} — {RATINGS[rating.rating]}: {shown(rating.comment)}"
                                  if rating else "Rating: not rated yet (g rates it)"))
                notes = linked_notes(state, objective=o.id)
        elif place[1] == "task":
            tid = place[0].split(":", 2)[2]
            found = s.task(tid)
            parts.append(Text(f"{tid}: {shown(found[1].text)}" if found else NO_TASK, style="bold"))
            notes = linked_notes(state, task=tid) if found else []
        else:
            xid = place[0].split(":", 2)[2]
            inject, x = s.expectation(xid)  # type: ignore[misc]
            now = state.expectation(xid)
            parts.append(Text(f"{shown(x.id)}: {shown(x.text)}", style="bold"))
            parts.append(Text(f"Inject {shown(inject.id)}: {shown(inject.title)}"))
            by = ", ".join(shown(role.title if (role := s.role(r)) else r) for r in x.by)
            plan = [f"expected of {by}"]
            if x.within is not None:
                plan.append(f"within {format_duration(x.within)} of release")
            plan.append(f"met by the log when {x.when}" if x.when else "marked by an evaluator")
            parts.append(Text("; ".join(plan)))
            parts.append(Text.assemble("State: ", status_text(now), f"; time to action {time_to_action(now)}"))
            if now.met_at is not None:
                parts.append(Text(f"The log met it at {format_drill_time(now.met_at)} ({shown(now.met_by or '')})"))
            if now.missed_at is not None:
                parts.append(Text(f"Logged as missed at {format_drill_time(now.missed_at)}"))
            for m in now.marks:
                over = f", overriding {m.overrides}" if m.overrides else ""
                parts.append(Text(f"{format_drill_time(m.drill_time)} marked {m.status.replace('_', ' ')} by "
                                  f"{shown(m.participant)} ({shown(m.by_role)}){over}: {shown(m.comment)}"))
            notes = linked_notes(state, inject=inject.id)
        if notes:
            parts.append(Text("\nLinked observations", style="bold"))
            parts += [Text(f"{format_drill_time(n.drill_time)} {shown(n.participant)}: {shown(n.text)}") for n in notes]
        self.query_one("#board-detail", Static).update(Group(*parts))

    # -- keys ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark_expectation", "override_expectation"):
            return self.offers.get(action, "") is None
        if action in ("observe", "rate"):
            return not self.view.read_only and may(self.view.state, self.view.role, RATE)
        return True

    def on_key(self, event: events.Key) -> None:
        refused = not_now(event.key, BOARD_KEYS, {}, self.offers)
        if refused is not None:
            event.stop()
            self.notify(f"{refused[0].description}: {refused[1]}", title="Not now", severity="warning", timeout=5)

    def _mark(self) -> None:
        xid = self.selected_expectation()
        found = self.view.scenario.expectation(xid or "")
        if xid is None or found is None:
            return
        now = self.view.state.expectation(xid)
        logged = now.logged if now.mark is None and now.logged != "open" else None

        def done(value: MarkInput | None) -> None:
            if value:
                self.post_message(CommandRequested(c.MarkExpectation(xid, value.status, value.comment)))

        self.app.push_screen(MarkDialog(xid, found[1].text, logged), done)

    def action_mark_expectation(self) -> None:
        self._mark()

    def action_override_expectation(self) -> None:
        self._mark()

    def action_observe(self) -> None:
        place = self.query_one(BoardTable).place()
        s = self.view.scenario
        objective = task = inject = None
        if place is not None:
            objective = place[2]
            if place[1] == "task":
                task = place[0].split(":", 2)[2] or None
            elif place[1] == "expectation":
                found = s.expectation(place[0].split(":", 2)[2])
                if found is not None:
                    inject, task = found[0].id, found[1].task
        about = " ".join(x for x in (f"on {inject}" if inject else "", f"for {objective}" if objective else "") if x)

        def done(value: NoteInput | None) -> None:
            if value:
                self.post_message(CommandRequested(c.AddNote(value.text, value.kind, inject=inject, objective=value.objective,
                                                             task=value.task)))

        self.app.push_screen(NoteDialog(about, "observation", objectives=[(o.id, o.text) for o in s.objectives],
                                        tasks=[(t.id, t.text) for o in s.objectives for t in o.tasks],
                                        objective=objective, task=task), done)

    def action_rate(self) -> None:
        objectives = [(o.id, o.text) for o in self.view.scenario.objectives]
        if not objectives:
            self.notify("This scenario has no objectives to rate.", severity="warning")
            return
        place = self.query_one(BoardTable).place()

        def done(value: RatingInput | None) -> None:
            if value:
                self.post_message(CommandRequested(c.Rate(value.objective, value.rating, value.comment)))

        self.app.push_screen(RateDialog(objectives, place[2] if place else None), done)

    def action_close(self) -> None:
        self.app.pop_screen()
