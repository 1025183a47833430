"""Rehearsing from the plan view (`r`): ask for a policy, play the plan forward, show what happened.

The view knows no store: whoever starts it hands over a `Rehearser`, which
runs the rehearsal to the end (a drill marked as a rehearsal, in the
database) and says what it showed, or what was wrong with the policy. It
blocks, so the screen runs it in a thread and stays live meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from drilltui.scenario import Scenario
from drilltui.ui.modals import Dialog
from drilltui.ui.style import shown


@dataclass(frozen=True)
class Rehearsed:
    """A rehearsal's outcome: its drill and the summary's lines; or, with no drill, why it could not run."""

    drill_id: str | None
    lines: tuple[str, ...]


Rehearser = Callable[[Scenario, str], Rehearsed]

POLICY_HINT = "nobody, everyone, everyone:DURATION (e.g. everyone:3m) or the path of a policy file"


class PolicyDialog(Dialog[str]):
    """One line: the policy to rehearse under. Enter runs it, Escape goes back."""

    def __init__(self, policy: str = "everyone", error: str | None = None) -> None:
        super().__init__()
        self.policy, self.error = policy, error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Rehearse the plan under which policy? Who answers, and how soon:", classes="title")
            yield Static(POLICY_HINT, classes="full")
            yield Input(self.policy, placeholder="everyone", id="policy")
            yield Static("", classes="error", id="policy-error")
            yield Static("Enter rehearses, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.say(shown(self.error or ""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or "everyone")


class RehearsalScreen(Screen[None]):
    """What a rehearsal showed: branches fired, escalations, missed expectations, when the plan ran out."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back to the plan", id="plan-rehearsal-back",
                        tooltip="Back to the plan view")]
    DEFAULT_CSS = """
    RehearsalScreen #rehearsal-box { border: round $primary; padding: 0 1; height: 1fr; }
    """

    def __init__(self, policy: str, outcome: Rehearsed, database: str) -> None:
        super().__init__()
        self.policy, self.outcome, self.database = policy, outcome, database

    def compose(self) -> ComposeResult:
        drill = self.outcome.drill_id or ""
        text = Text()
        for line in self.outcome.lines:
            text.append(shown(line) + "\n")
        text.append(f"\nThe rehearsal is drill {shown(drill)} in {shown(self.database)}:\n", style="bold")
        text.append(f"  drilltui replay {shown(drill)}\n  drilltui report {shown(drill)}\n")
        with VerticalScroll(id="rehearsal-box"):
            yield Static(text, id="rehearsal")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rehearsal-box").border_title = f"Rehearsal under {shown(self.policy)}"
