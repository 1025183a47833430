"""The hotwash: walk the objectives and record strengths, improvements and improvement-plan items."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.permissions import HOTWASH, RATE, may
from drilltui.engine.state import RATINGS, DrillState
from drilltui.ui.messages import CommandRequested, StateChanged
from drilltui.ui.modals import Dialog, RateDialog, RatingInput
from drilltui.ui.story import story_line
from drilltui.ui.style import shown
from drilltui.ui.view import DrillView

GENERAL = "__general__"
SECTIONS = {"strength": "Strength", "improvement": "Area for improvement", "action": "Improvement-plan item"}


@dataclass(frozen=True)
class HotwashInput:
    section: str
    text: str
    corrective_action: str
    owner: str | None
    due: str


class HotwashDialog(Dialog[HotwashInput]):
    """One strength, improvement or improvement-plan item for an objective."""

    def __init__(self, section: str, about: str, roles: list[tuple[str, str]]) -> None:
        super().__init__()
        self.section = section
        self.about = about
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{SECTIONS[self.section]} — {self.about}", classes="title")
            placeholder = {"strength": "What went well", "improvement": "What must improve, and why",
                           "action": "The issue to fix"}[self.section]
            yield Input(placeholder=placeholder, id="text")
            if self.section == "action":
                yield Input(placeholder="Corrective action", id="corrective")
                yield Select([(title, rid) for rid, title in self.roles], prompt="Owner role", id="owner")
                yield Input(placeholder="Due date, e.g. 2027-03-31", id="due")
            yield Static("Enter in the last field saves, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = self.query_one("#text", Input).value.strip()
        if self.section != "action":
            if text:
                self.dismiss(HotwashInput(self.section, text, "", None, ""))
            return
        if event.input.id != "due":
            self.focus_next()
            return
        owner = self.query_one("#owner", Select).value
        if text:
            self.dismiss(HotwashInput(
                "action", text, self.query_one("#corrective", Input).value.strip(),
                None if owner is Select.NULL else str(owner), self.query_one("#due", Input).value.strip(),
            ))


class HotwashScreen(Screen[None]):
    """Objectives on the left; what the log holds for the selected one on the right."""

    BINDINGS = [
        Binding("s", "add('strength')", "Strength", id="hotwash-strength", tooltip="Record a strength"),
        Binding("i", "add('improvement')", "Improvement", id="hotwash-improvement",
                tooltip="Record an area for improvement"),
        Binding("p", "add('action')", "Plan item", id="hotwash-action",
                tooltip="Add an improvement-plan item: issue, corrective action, owner, due date"),
        Binding("g", "rate", "Rate", id="hotwash-rate", tooltip="Rate the objective, with what supports it"),
        Binding("j", "journal", "Journal", id="hotwash-journal", tooltip="The drill journal, to amend or retract an entry"),
        Binding("escape", "close", "Back", id="hotwash-back", tooltip="Back to the dashboard"),
    ]
    DEFAULT_CSS = """
    #objectives { width: 40%; border: round $primary; }
    #summary { width: 60%; border: round $primary; padding: 0 1; }
    #objectives:focus { border: round $accent; }
    """

    def __init__(self, view: DrillView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal():
            yield OptionList(id="objectives")
            with VerticalScroll(id="summary"):
                yield Static(id="summary-body")
        yield Footer()

    def on_mount(self) -> None:
        objectives = self.query_one("#objectives", OptionList)
        objectives.border_title = "Hotwash: objectives"
        for o in self.view.scenario.objectives:
            objectives.add_option(Option(f"{shown(o.id)}  {shown(o.text)}", id=o.id))
        objectives.add_option(Option("General (not tied to an objective)", id=GENERAL))
        objectives.highlighted = 0
        objectives.focus()
        self.show(self.view.state)

    def on_state_changed(self, message: StateChanged) -> None:
        if message.events:
            self.show(message.state)

    @property
    def objective(self) -> str | None:
        objectives = self.query_one("#objectives", OptionList)
        if objectives.highlighted is None:
            return None
        option_id = objectives.get_option_at_index(objectives.highlighted).id
        return None if option_id == GENERAL else option_id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(self.view.state)

    def show(self, state: DrillState) -> None:
        colors = self.app.theme_variables
        oid = self.objective
        parts: list[RenderableType] = []
        if oid is not None:
            objective = state.scenario.objective(oid)
            assert objective is not None
            parts.append(Text(f"{oid}: {shown(objective.text)}", style="bold"))
            if objective.capability:
                parts.append(Text(f"Core capability: {shown(objective.capability)}"))
            rating = state.ratings.get(oid)
            parts.append(Text(f"Rating: {rating.rating} — {RATINGS[rating.rating]} ({shown(rating.comment)})"
                              if rating else "Rating: not rated yet (g rates it)"))
            injects = [i for i in state.all_injects() if oid in i.objectives]
            if injects:
                parts.append(Text("\nInjects tied to it", style="bold"))
                for i in injects:
                    parts.append(Text(f"  {shown(i.id)} {state.injects[i.id].status:<12} {shown(i.title)}"))
        else:
            parts.append(Text("General findings", style="bold"))
        entries = [e for e in state.journal if isinstance(e.body, (ev.NoteAdded, ev.HotwashItemAdded))]
        observations = [e for e in entries if isinstance(e.body, ev.NoteAdded) and (
            e.body.objective == oid or (oid is None and e.body.objective is None and e.body.kind == "observation"))]
        if observations:
            parts.append(Text("\nObservations", style="bold"))
            parts += [story_line(state, e, colors) for e in observations]
        for section, title in SECTIONS.items():
            items = [e for e in entries if isinstance(e.body, ev.HotwashItemAdded)
                     and e.body.section == section and e.body.objective == oid]
            parts.append(Text(f"\n{title}s" if section != "action" else "\nImprovement plan", style="bold"))
            if not items:
                parts.append(Text("  none yet", style="dim"))
            for e in items:
                line = story_line(state, e, colors)
                b = e.body
                assert isinstance(b, ev.HotwashItemAdded)
                if section == "action":
                    line.append(f" → {shown(b.corrective_action) or '(no corrective action)'}; "
                                f"owner {shown(b.owner or '?')}; due {shown(b.due) or '?'}")
                parts.append(line)
        self.query_one("#summary-body", Static).update(Group(*parts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "rate"):
            return not self.view.read_only and may(self.view.state, self.view.role, HOTWASH if action == "add" else RATE)
        return True

    def action_add(self, section: str) -> None:
        oid = self.objective
        roles = [(r.id, r.title) for r in self.view.scenario.roles]

        def done(value: HotwashInput | None) -> None:
            if value:
                self.post_message(CommandRequested(c.AddHotwashItem(
                    value.section, value.text, oid, value.corrective_action, value.owner, value.due)))

        self.app.push_screen(HotwashDialog(section, oid or "general", roles), done)

    def action_rate(self) -> None:
        objectives = [(o.id, o.text) for o in self.view.scenario.objectives]
        if not objectives:
            self.notify("This scenario has no objectives to rate.", severity="warning")
            return

        def done(value: RatingInput | None) -> None:
            if value:
                self.post_message(CommandRequested(c.Rate(value.objective, value.rating, value.comment)))

        self.app.push_screen(RateDialog(objectives, self.objective), done)

    def action_journal(self) -> None:
        from drilltui.ui.journal import JournalScreen

        self.app.push_screen(JournalScreen(self.view))

    def action_close(self) -> None:
        self.app.pop_screen()
