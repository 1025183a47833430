"""The `/` dialog: type a filter for a list's Search, and the list follows as you type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from drilltui.ui.modals import Dialog
from drilltui.ui.search import HELP, Search

__all__ = ["SearchDialog", "ask"]


class SearchDialog(Dialog[str]):
    """Type a filter; the list follows as you type. Enter keeps it, Esc puts the last one back; empty shows all."""

    DEFAULT_CSS = "SearchDialog { align: center bottom; } SearchDialog > Vertical { margin-bottom: 2; }"

    def __init__(self, what: str, query: str, live: Callable[[str | None], None]) -> None:
        super().__init__()
        self.what, self.before, self.live = what, query, live

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Filter {self.what}", classes="title")
            yield Input(value=self.before, placeholder="text, role:soc, sev:high, status:overdue", id="query")
            yield Static(f"{HELP}. Enter keeps the filter, Esc puts back the one before, an empty filter shows all.",
                         classes="hint")

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.live(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.live(self.before)
        self.dismiss(self.before)


def ask(screen: Screen[Any], what: str, search: Search, redraw: Callable[[], None]) -> None:
    """Open the `/` dialog over `screen` for `search`; the list is redrawn as the query changes."""
    def live(query: str | None) -> None:
        search.set(query or "")
        redraw()

    screen.app.push_screen(SearchDialog(what, search.query, live), live)
