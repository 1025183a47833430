"""The hotwash: walk the objectives and record strengths, improvements and improvement-plan items."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from drilltui.engine import commands as c
from drilltui.engine.permissions import HOTWASH, may
from drilltui.engine.state import RATINGS, DrillState
from drilltui.ui.modals import Dialog, ask

GENERAL = "__general__"
SECTIONS = {"strength": "Strength", "improvement": "Area for improvement", "action": "Improvement-plan item"}


@dataclass(frozen=True)
class HotwashInput:
    section: str
    text: str
    corrective_action: str
    owner: str | None
    due: str


class HotwashDialog(Dialog):
    """One strength, improvement or improvement-plan item for an objective."""

    def __init__(self, section: str, about: str, roles: list[tuple[str, str]]) -> None:
        super().__init__()
        self.section = section
        self.about = about
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{SECTIONS[self.section]} — {self.about}", classes="title")
            placeholder = {"strength": "What went well", "improvement": "What must improve, and why",
                           "action": "The issue to fix"}[self.section]
            yield Input(placeholder=placeholder, id="text")
            if self.section == "action":
                yield Input(placeholder="Corrective action", id="corrective")
                yield Select([(title, rid) for rid, title in self.roles], prompt="Owner role", id="owner")
                yield Input(placeholder="Due date, e.g. 2027-03-31", id="due")
            yield Label("Enter in the last field saves, Esc cancels", classes="hint")

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


class HotwashScreen(Screen):
    """Objectives on the left; what the log holds for the selected one on the right."""

    BINDINGS = [
        Binding("s", "add('strength')", "Strength", id="hotwash-strength"),
        Binding("i", "add('improvement')", "Improvement", id="hotwash-improvement"),
        Binding("p", "add('action')", "Plan item", id="hotwash-action"),
        Binding("g", "rate", "Rate", id="hotwash-rate"),
        Binding("escape", "close", "Back", id="hotwash-back"),
    ]
    DEFAULT_CSS = """
    #objectives { width: 40%; border: round $primary; }
    #summary { width: 60%; border: round $primary; padding: 0 1; }
    #objectives:focus { border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal():
            yield OptionList(id="objectives")
            with VerticalScroll(id="summary"):
                yield Static(id="summary-body")
        yield Footer()

    @property
    def drill(self):  # type: ignore[no-untyped-def]
        return self.app.drill  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        objectives = self.query_one("#objectives", OptionList)
        objectives.border_title = "Hotwash: objectives"
        for o in self.drill.scenario.objectives:
            objectives.add_option(Option(f"{o.id}  {o.text}", id=o.id))
        objectives.add_option(Option("General (not tied to an objective)", id=GENERAL))
        objectives.highlighted = 0
        objectives.focus()
        self.drill.listeners.append(self._changed)
        self.show()

    def on_unmount(self) -> None:
        if self._changed in self.drill.listeners:
            self.drill.listeners.remove(self._changed)

    def _changed(self, state: DrillState, events: object) -> None:
        self.show()

    @property
    def objective(self) -> str | None:
        objectives = self.query_one("#objectives", OptionList)
        if objectives.highlighted is None:
            return None
        option_id = objectives.get_option_at_index(objectives.highlighted).id
        return None if option_id == GENERAL else option_id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show()

    def show(self) -> None:
        state: DrillState = self.drill.state
        oid = self.objective
        parts: list[object] = []
        if oid is not None:
            objective = state.scenario.objective(oid)
            assert objective is not None
            parts.append(Text(f"{oid}: {objective.text}", style="bold"))
            if objective.capability:
                parts.append(Text(f"Core capability: {objective.capability}"))
            rating = state.ratings.get(oid)
            parts.append(Text(f"Rating: {rating.rating} — {RATINGS[rating.rating]}" + (f" ({rating.comment})" if rating.comment else "")
                              if rating else "Rating: not rated yet (g rates it)"))
            injects = [i for i in state.scenario.injects if oid in i.objectives]
            if injects:
                parts.append(Text("\nInjects tied to it", style="bold"))
                for i in injects:
                    parts.append(Text(f"  {i.id} {state.injects[i.id].status:<12} {i.title}"))
        else:
            parts.append(Text("General findings", style="bold"))
        notes = [n for n in state.notes if n.objective == oid or (oid is None and n.objective is None and n.kind == "observation")]
        if notes:
            parts.append(Text("\nObservations", style="bold"))
            for n in notes:
                parts.append(Text(f"  · {n.text} ({n.participant})"))
        for section, title in SECTIONS.items():
            items = [h for h in state.hotwash if h.section == section and h.objective == oid]
            parts.append(Text(f"\n{title}s" if section != "action" else "\nImprovement plan", style="bold"))
            if not items:
                parts.append(Text("  none yet", style="dim"))
            for h in items:
                extra = ""
                if section == "action":
                    extra = f" → {h.corrective_action or '(no corrective action)'}; owner {h.owner or '?'}; due {h.due or '?'}"
                parts.append(Text(f"  · {h.text}{extra}"))
        self.query_one("#summary-body", Static).update(Group(*parts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "rate"):
            return not self.app.read_only and may(self.drill.state, self.drill.role, HOTWASH)  # type: ignore[attr-defined]
        return True

    def action_add(self, section: str) -> None:
        oid = self.objective
        about = oid or "general"
        roles = [(r.id, r.title) for r in self.drill.scenario.roles]

        def done(value: HotwashInput | None) -> None:
            if value:
                self.app.send(c.AddHotwashItem(value.section, value.text, oid, value.corrective_action, value.owner, value.due))  # type: ignore[attr-defined]

        ask(self.app, HotwashDialog(section, about, roles), done)

    def action_rate(self) -> None:
        from drilltui.ui.modals import RateDialog, RatingInput

        objectives = [(o.id, o.text) for o in self.drill.scenario.objectives]
        if not objectives:
            return

        def done(value: RatingInput | None) -> None:
            if value:
                self.app.send(c.Rate(value.objective, value.rating, value.comment))  # type: ignore[attr-defined]

        ask(self.app, RateDialog(objectives, self.objective), done)

    def action_close(self) -> None:
        self.app.pop_screen()
