"""`/` search and filter: a query over a list's rows by text, role, severity or status; a view only, it changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from drilltui.ui.modals import Dialog
from drilltui.ui.style import shown

# `field:word` narrows a word to one facet; these are the facets and the names they go by.
FIELDS = {"role": "role", "roles": "role", "from": "role", "to": "role", "by": "role",
          "sev": "severity", "severity": "severity", "status": "status", "is": "status", "kind": "kind"}
HELP = "words match anywhere; role:soc, sev:high, status:overdue or kind:note match one field; all must match"


@dataclass(frozen=True)
class Term:
    field: str | None  # None: any facet
    word: str


def parse(query: str) -> tuple[Term, ...]:
    """`soc status:overdue` -> (any: soc, status: overdue); unknown `x:y` is searched as the text `x:y`."""
    out = []
    for word in query.casefold().split():
        name, colon, rest = word.partition(":")
        if colon and rest and name in FIELDS:
            out.append(Term(FIELDS[name], rest))
        else:
            out.append(Term(None, word))
    return tuple(out)


class Search:
    """A list's current query; `matches(facets)` says whether a row's facets (field -> text) pass it."""

    def __init__(self) -> None:
        self.query = ""
        self.terms: tuple[Term, ...] = ()

    def set(self, query: str) -> None:
        self.query = " ".join(query.split())
        self.terms = parse(self.query)

    def matches(self, facets: Mapping[str, str]) -> bool:
        if not self.terms:
            return True
        folded = {k: v.casefold() for k, v in facets.items()}
        everything = " ".join(folded.values())
        for term in self.terms:
            haystack = everything if term.field is None else folded.get(term.field, "")
            if term.word not in haystack:
                return False
        return True

    def subtitle(self, base: str) -> str:
        """The list's subtitle, saying when a filter hides rows."""
        return f"{base} · filter: {shown(self.query)} (/ to change)" if self.query else base


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
