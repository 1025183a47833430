"""The drill journal: every note, observation, rating, decision, hotwash item and correction, as logged."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from drilltui.engine import DrillState, Event
from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.scenario import format_drill_time
from drilltui.ui.bindings import not_now
from drilltui.ui.messages import CommandRequested, StateChanged
from drilltui.ui.modals import AmendDialog, AmendInput, RetractDialog
from drilltui.ui.panes.rows import RowTable, set_subtitle
from drilltui.ui.search import Search
from drilltui.ui.story import happened, who
from drilltui.ui.style import resolve, shown
from drilltui.ui.view import DrillView, FooterKeys, offered

KIND = {"note_added": "note", "objective_rated": "rating", "decision_taken": "decision",
        "hotwash_item_added": "hotwash", "entry_amended": "amended", "entry_retracted": "retracted",
        "console_lost": "console"}


def about(event: Event) -> str:
    """What an entry is about: an inject, a role, an objective, or the entry it corrects."""
    b = event.body
    if isinstance(b, ev.NoteAdded):
        return shown(", ".join(x for x in (b.inject, b.role, b.objective) if x))
    if isinstance(b, ev.ObjectiveRated):
        return shown(b.objective)
    if isinstance(b, ev.DecisionTaken):
        return shown(b.inject)
    if isinstance(b, ev.HotwashItemAdded):
        return shown(b.objective or "general")
    if isinstance(b, (ev.EntryAmended, ev.EntryRetracted)):
        return f"event {b.entry}"
    return ""


def journal_facets(state: DrillState, event: Event, cells: dict[str, object]) -> dict[str, str]:
    """What `/` searches in a journal entry: its text, who wrote it and what it is about, and its kind."""
    b = event.body
    about_role = getattr(b, "role", None) or getattr(b, "owner", None) or ""
    author = state.scenario.role(event.role)
    roles = " ".join(x for x in (event.role, about_role, author.title if author is not None else "") if x)
    text = " ".join(c.plain if isinstance(c, Text) else str(c) for c in cells.values())
    rating = getattr(b, "rating", "")
    return {"text": text, "role": roles, "kind": str(cells["kind"]), "status": str(cells["kind"]),
            "severity": str(rating or "")}


class JournalTable(RowTable):
    """The journal's entries, newest first; corrected ones show struck through with the correction."""

    COLUMNS = (("time", "Time"), ("kind", "Kind"), ("text", "Entry"), ("about", "About"), ("by", "By"), ("seq", "#"))
    WIDTHS = {"time": 8, "kind": 9, "text": 20, "about": 10, "by": 18, "seq": 5}
    FLEX = {"text": 3, "by": 1}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.search = Search()  # `/`: a view of the entries only

    def show(self, state: DrillState, colors: dict[str, str]) -> None:
        rows = []
        for event in reversed(list(state.journal)):
            kind = KIND.get(event.kind, event.kind)
            fix = state.correction(event.seq)
            if fix is not None:
                kind += " ✗" if fix.retracted else " ✎"
            cells = {
                "time": format_drill_time(event.drill_time)[2:], "kind": kind, "text": happened(state, event, colors),
                "about": about(event), "by": who(state, event), "seq": str(event.seq),
            }
            if not self.search.terms or self.search.matches(journal_facets(state, event, cells)):
                rows.append((str(event.seq), cells))
        self.sync_rows(rows)
        set_subtitle(self, self.search.subtitle(f"{len(rows)} entries"))


class JournalScreen(Screen[None]):
    """The journal of the drill on screen; the author of an entry (or a controller) can amend or retract it."""

    BINDINGS = [
        Binding("e", "amend", "Amend", id="journal-amend",
                tooltip="Correct the selected note, observation, rating or hotwash item (the original stays in the log)"),
        Binding("x", "retract", "Retract", id="journal-retract",
                tooltip="Withdraw the selected entry as made in error (it shows struck through; the original stays)"),
        Binding("escape,j", "close", "Back", id="journal-back", tooltip="Back to where you were"),
        Binding("slash", "search", "Filter", id="journal-search",
                tooltip="Filter the journal by text, role (role:soc) or kind (kind:decision)"),
    ]
    DEFAULT_CSS = """
    JournalScreen JournalTable { height: 1fr; border: round $primary; }
    JournalScreen JournalTable:focus { border: round $accent; }
    JournalScreen #entry { height: auto; max-height: 40%; border: round $primary; padding: 0 1; }
    """

    def __init__(self, view: DrillView, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.view = view
        self.keymap = keymap or {}
        self.offers: dict[str, str | None] = {}
        self._footer = FooterKeys(self.offers)  # composed with nothing offered

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        table = JournalTable(id="journal")
        table.border_title = "Journal: notes, observations, ratings, decisions, hotwash items and corrections"
        yield table
        with VerticalScroll(id="entry"):
            yield Static(id="entry-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(JournalTable).focus()
        self.show(self.view.state)

    def on_state_changed(self, message: StateChanged) -> None:
        if message.events or not message.clock_only:
            self.show(message.state)

    def show(self, state: DrillState) -> None:
        self.query_one(JournalTable).show(state, self.app.theme_variables)
        self._selected_changed()

    @property
    def entry(self) -> Event | None:
        key = self.query_one(JournalTable).selected
        return next((e for e in self.view.state.journal if str(e.seq) == key), None) if key else None

    @on(RowTable.Highlighted)
    def _selected_changed(self) -> None:
        event = self.entry
        body = self.query_one("#entry-body", Static)
        # Any entry is asked about: for a decision the engine's answer says why it cannot be changed.
        self.offers = offered(self.view, entry=event.seq if event is not None else None)
        if event is None:
            body.update(Text("Nothing logged yet: notes (n), ratings (g) and decisions (d) appear here as they are made.",
                             style="italic"))
        else:
            colors = self.app.theme_variables
            line = Text(f"{format_drill_time(event.drill_time)}  event {event.seq}\n", style=resolve("$text-muted", colors))
            line.append_text(happened(self.view.state, event, colors))
            body.update(line)
        if self._footer.changed(self.offers):
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("amend", "retract"):
            return self.offers.get(action, "") is None
        return True

    def on_key(self, event: events.Key) -> None:
        bindings = [b for b in self.BINDINGS if isinstance(b, Binding)]
        offers = {name: self.offers.get(name) for name in ("amend", "retract")}
        refused = not_now(event.key, bindings, self.keymap, offers)
        if refused is not None:
            event.stop()
            self.notify(f"{refused[0].description}: {refused[1]}", title="Not now", severity="warning", timeout=5)

    def _what(self, event: Event) -> tuple[str, str, str | None]:
        b = event.body
        if isinstance(b, ev.ObjectiveRated):
            fix = self.view.state.correction(event.seq)
            return (f"the rating of {b.objective}", fix.text if fix else b.comment,
                    (fix.rating if fix and fix.rating else b.rating))
        text = getattr(b, "text", "")
        fix = self.view.state.correction(event.seq)
        kind = b.kind if isinstance(b, ev.NoteAdded) else "hotwash item"
        return (f"this {kind}", fix.text if fix else text, None)

    def action_amend(self) -> None:
        event = self.entry
        if event is None:
            return
        what, text, rating = self._what(event)

        def done(value: AmendInput | None) -> None:
            if value is not None:
                self.post_message(CommandRequested(c.Amend(event.seq, value.text, value.rating, value.reason)))

        self.app.push_screen(AmendDialog(what, text, rating), done)

    def action_retract(self) -> None:
        event = self.entry
        if event is None:
            return
        what, text, _ = self._what(event)

        def done(reason: str | None) -> None:
            if reason is not None:
                self.post_message(CommandRequested(c.Retract(event.seq, reason)))

        self.app.push_screen(RetractDialog(what, text), done)

    def action_search(self) -> None:
        from drilltui.ui.search import ask

        ask(self, "the journal", self.query_one(JournalTable).search, lambda: self.show(self.view.state))

    def action_close(self) -> None:
        self.app.pop_screen()
