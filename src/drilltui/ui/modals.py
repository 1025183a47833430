"""Modal dialogs: decisions, notes, role status, ratings, releases and confirmations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from drilltui.engine.state import RATINGS, ROLE_STATUSES


class Dialog(ModalScreen):
    """A centred box; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical { width: 72; max-width: 95%; height: auto; max-height: 90%;
                        border: thick $accent; background: $surface; padding: 1 2; }
    Dialog .title { text-style: bold; margin-bottom: 1; }
    Dialog .hint { color: $text-muted; margin-top: 1; }
    Dialog OptionList { height: auto; max-height: 14; }
    Dialog Input, Dialog Select { margin-bottom: 1; }
    Dialog Horizontal { height: auto; align-horizontal: right; }
    Dialog Button { margin-left: 1; }
    """

    act: Callable[[Any], None] | None = None  # set by `ask`

    def action_cancel(self) -> None:
        self.dismiss(None)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        # The answer is acted on first, before the screen below is repainted: under load
        # that repaint takes a while, and the command should already be on its way.
        act, self.act = self.act, None
        if act is not None:
            act(result)
        return super().dismiss(result)


def ask(app: App, dialog: Dialog, then: Callable[[Any], None]) -> None:
    """Show a dialog; `then` gets its answer (None if cancelled) the moment it closes."""
    dialog.act = then
    app.push_screen(dialog)


class ChooseOne(Dialog):
    """Pick one option from a list; dismisses with its id or None."""

    def __init__(self, title: str, options: list[tuple[str, str]], hint: str = "Enter chooses, Esc cancels") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(*[Option(label, id=key) for key, label in self.options], id="choices")
            yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class Confirm(Dialog):
    """Yes or no; dismisses with a bool."""

    BINDINGS = [Binding("y", "yes", "Yes", id="confirm-yes"), Binding("n", "cancel", "No", id="confirm-no")]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="title")
            with Horizontal():
                yield Button("No (n)", id="no")
                yield Button(f"{self.yes} (y)", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


@dataclass(frozen=True)
class NoteInput:
    text: str
    kind: str


class NoteDialog(Dialog):
    """A note or observation, attached to what was selected."""

    def __init__(self, about: str, kind: str) -> None:
        super().__init__()
        self.about = about
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Add a note {self.about}", classes="title")
            yield Select([("Note (activity log)", "note"), ("Observation (for evaluation)", "observation")],
                         value=self.kind, allow_blank=False, id="kind")
            yield Input(placeholder="What happened, who did what, what was noticed", id="text")
            yield Label("Enter saves, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(NoteInput(event.value.strip(), str(self.query_one("#kind", Select).value)))


@dataclass(frozen=True)
class StatusInput:
    role: str
    status: str
    task: str


class StatusDialog(Dialog):
    """Set a role's status and current task."""

    def __init__(self, roles: list[tuple[str, str]], role: str, status: str, task: str) -> None:
        super().__init__()
        self.roles = roles
        self.initial = StatusInput(role, status, task)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Role status", classes="title")
            yield Select([(title, rid) for rid, title in self.roles], value=self.initial.role, allow_blank=False, id="role")
            yield Select([(s, s) for s in ROLE_STATUSES], value=self.initial.status, allow_blank=False, id="status")
            yield Input(value=self.initial.task, placeholder="Current task (optional)", id="task")
            yield Label("Enter in the task field saves, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(StatusInput(str(self.query_one("#role", Select).value),
                                 str(self.query_one("#status", Select).value), event.value.strip()))


@dataclass(frozen=True)
class RatingInput:
    objective: str
    rating: str
    comment: str


class RateDialog(Dialog):
    """Rate an objective P/S/M/U, with a comment."""

    def __init__(self, objectives: list[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self.objectives = objectives
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Rate an objective", classes="title")
            yield Select([(f"{oid}: {text}"[:66], oid) for oid, text in self.objectives],
                         value=self.current or self.objectives[0][0], allow_blank=False, id="objective")
            yield Select([(f"{k} — {v}", k) for k, v in RATINGS.items()], value="P", allow_blank=False, id="rating")
            yield Input(placeholder="Comment: what supports this rating", id="comment")
            yield Label("Enter in the comment saves, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#rating", Select).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(RatingInput(str(self.query_one("#objective", Select).value),
                                 str(self.query_one("#rating", Select).value), event.value.strip()))
