"""Modal dialogs: choices, confirmations, decisions, notes, role status, ratings and corrections.

Each dismisses with its answer (None when cancelled); callers show them with
`app.push_screen(dialog, callback)`. Text wraps, so nothing is cut mid-word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from drilltui.engine.commands import RATING_WORDS
from drilltui.engine.state import RATINGS, ROLE_STATUSES
from drilltui.ui.style import shown

T = TypeVar("T")


def short(text: str, width: int) -> str:
    """`text` cut at a word boundary to fit `width`, with an ellipsis when cut."""
    text = " ".join(shown(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) > width // 2 else text[: width - 1]) + "…"


class Dialog(ModalScreen[T], Generic[T]):
    """A centred box; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel", tooltip="Close without doing anything")]
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical { width: 76; max-width: 95%; height: auto; max-height: 90%;
                        border: thick $accent; background: $surface; padding: 1 2; }
    Dialog .title { text-style: bold; margin-bottom: 1; width: 1fr; }
    Dialog .hint { color: $text-muted; margin-top: 1; width: 1fr; }
    Dialog .error { color: $error; text-style: bold; width: 1fr; }
    Dialog .full { color: $text-muted; width: 1fr; margin-bottom: 1; }
    Dialog OptionList { height: auto; max-height: 14; }
    Dialog Input, Dialog Select { margin-bottom: 1; }
    Dialog Horizontal { height: auto; align-horizontal: right; }
    Dialog Button { margin-left: 1; }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)

    def say(self, message: str) -> None:
        """Show why the answer cannot be taken yet, in the dialog itself."""
        for error in self.query(".error").results(Static):
            error.update(message)
            error.display = bool(message)


class ChooseOne(Dialog[str]):
    """Pick one option from a list; dismisses with its id."""

    def __init__(self, title: str, options: list[tuple[str, str]], hint: str = "Enter chooses, Esc cancels") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            yield OptionList(*[Option(label, id=key) for key, label in self.options], id="choices")
            yield Static(self.hint, classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class Confirm(Dialog[bool]):
    """Yes or no; dismisses with a bool."""

    BINDINGS = [Binding("y", "yes", "Yes", id="confirm-yes"), Binding("n", "cancel", "No", id="confirm-no")]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="title")
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


class ConfirmDecision(Dialog[str]):
    """A decision cannot be taken back: confirm it, with an optional rationale; dismisses with the rationale."""

    def __init__(self, inject_id: str, prompt: str, label: str) -> None:
        super().__init__()
        self.inject_id, self.prompt, self.label = inject_id, prompt, label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{shown(self.inject_id)}: {shown(self.prompt)}", classes="title")
            yield Static(f"Decide: {shown(self.label)}", classes="title")
            yield Input(placeholder="Why (optional, logged with the decision)", id="rationale")
            yield Static("A decision is part of the record and cannot be retracted. "
                         "Enter decides, Esc goes back without deciding.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#rationale", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())


@dataclass(frozen=True)
class NoteInput:
    text: str
    kind: str
    objective: str | None = None
    task: str | None = None


class NoteDialog(Dialog[NoteInput]):
    """A note or observation, attached to what was selected, and optionally linked to an objective and a critical task."""

    def __init__(self, about: str, kind: str, *, objectives: list[tuple[str, str]] | None = None,
                 tasks: list[tuple[str, str]] | None = None, objective: str | None = None, task: str | None = None,
                 default_objectives: str = "") -> None:
        super().__init__()
        self.about = about
        self.kind = kind
        self.objectives, self.tasks = objectives or [], tasks or []
        self.preset = (objective, task)  # what the dialog opens with
        self.default_objectives = default_objectives  # said on the blank choice: what an unlinked observation counts for

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Add a note {self.about}", classes="title")
            yield Select([("Note (activity log)", "note"), ("Observation (for evaluation)", "observation")],
                         value=self.kind, allow_blank=False, id="kind")
            if self.objectives:
                yield Select([(short(f"{oid}: {text}", 64), oid) for oid, text in self.objectives],
                             prompt=self.default_objectives or "Objective (none)", value=self.preset[0] or Select.NULL,
                             id="objective")
            if self.tasks:
                yield Select([(short(f"{tid}: {text}", 64), tid) for tid, text in self.tasks],
                             prompt="Critical task (none)", value=self.preset[1] or Select.NULL, id="task")
            yield Input(placeholder="What happened, who did what, what was noticed", id="text")
            yield Static("", classes="error")
            yield Static("Enter saves, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.say("")
        self.query_one("#text", Input).focus()

    def _chosen(self, name: str) -> str | None:
        found = self.query(f"#{name}").results(Select)
        value = next(iter(found), None)
        return None if value is None or value.value is Select.NULL else str(value.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(NoteInput(event.value.strip(), str(self.query_one("#kind", Select).value),
                                   self._chosen("objective"), self._chosen("task")))


@dataclass(frozen=True)
class StatusInput:
    role: str
    status: str
    task: str


class StatusDialog(Dialog[StatusInput]):
    """Set a role's status and current task."""

    def __init__(self, roles: list[tuple[str, str]], role: str, status: str, task: str) -> None:
        super().__init__()
        self.roles = roles
        self.initial = StatusInput(role, status, task)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Role status", classes="title")
            yield Select([(shown(title), rid) for rid, title in self.roles], value=self.initial.role, allow_blank=False, id="role")
            yield Select([(s, s) for s in ROLE_STATUSES], value=self.initial.status, allow_blank=False, id="status")
            yield Input(value=self.initial.task, placeholder="Current task (optional)", id="task")
            yield Static("Enter in the task field saves, Esc cancels", classes="hint")

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


def enough_words(text: str) -> str:
    """Why a rating's comment is not enough yet, or "" (the engine's own rule, said in the dialog)."""
    return "" if len(text.split()) >= RATING_WORDS else f"Say what supports the rating, in {RATING_WORDS} words or more."


class RateDialog(Dialog[RatingInput]):
    """Rate an objective P/S/M/U; the comment must say what supports it."""

    def __init__(self, objectives: list[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self.objectives = objectives
        self.current = current or objectives[0][0]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Rate an objective", classes="title")
            yield Select([(short(f"{oid}: {text}", 64), oid) for oid, text in self.objectives],
                         value=self.current, allow_blank=False, id="objective")
            yield Static(self._full(self.current), classes="full", id="objective-text")
            yield Select([(f"{k} — {v}", k) for k, v in RATINGS.items()], value="P", allow_blank=False, id="rating")
            yield Input(placeholder="What supports this rating (a few words at least)", id="comment")
            yield Static("", classes="error")
            yield Static("Enter in the comment saves, Esc cancels", classes="hint")

    def _full(self, objective: str) -> str:
        return next((f"{oid}: {shown(text)}" for oid, text in self.objectives if oid == objective), "")

    def on_mount(self) -> None:
        self.say("")
        self.query_one("#rating", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "objective":
            self.query_one("#objective-text", Static).update(self._full(str(event.value)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = enough_words(event.value)
        self.say(problem)
        if not problem:
            self.dismiss(RatingInput(str(self.query_one("#objective", Select).value),
                                     str(self.query_one("#rating", Select).value), event.value.strip()))


@dataclass(frozen=True)
class AmendInput:
    text: str
    rating: str | None
    reason: str


class AmendDialog(Dialog[AmendInput]):
    """Correct an entry; the original stays in the log and shows struck through."""

    def __init__(self, what: str, text: str, rating: str | None = None) -> None:
        super().__init__()
        self.what, self.text, self.rating = what, text, rating

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Amend {self.what}", classes="title")
            yield Static(f"Now: {shown(self.text)}", classes="full")
            if self.rating is not None:
                yield Select([(f"{k} — {v}", k) for k, v in RATINGS.items()], value=self.rating, allow_blank=False, id="rating")
            yield Input(value=self.text, placeholder="The corrected text", id="text")
            yield Input(placeholder="Why it is corrected (optional)", id="reason")
            yield Static("", classes="error")
            yield Static("Enter in the last field saves, Esc cancels. The original stays in the log.", classes="hint")

    def on_mount(self) -> None:
        self.say("")
        self.query_one("#text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "reason":
            self.focus_next()
            return
        text = self.query_one("#text", Input).value.strip()
        problem = "" if text else "The corrected text is empty; retract the entry instead."
        rating = None
        if self.rating is not None:
            rating = str(self.query_one("#rating", Select).value)
            problem = problem or enough_words(text)
        self.say(problem)
        if not problem:
            self.dismiss(AmendInput(text, rating, event.value.strip()))


class RetractDialog(Dialog[str]):
    """Withdraw an entry made in error; dismisses with the reason."""

    def __init__(self, what: str, text: str) -> None:
        super().__init__()
        self.what, self.text = what, text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Retract {self.what}?", classes="title")
            yield Static(shown(self.text), classes="full")
            yield Input(placeholder="Why it is withdrawn (optional)", id="reason")
            yield Static("It will show struck through everywhere; the original stays in the log. "
                         "Enter retracts, Esc cancels.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
