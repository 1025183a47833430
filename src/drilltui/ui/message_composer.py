"""The message composer: to roles or to an outside party, a plain message, a request or a tasking, maybe a reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Select, SelectionList, Static

from drilltui.engine import commands as c
from drilltui.scenario import parse_duration
from drilltui.ui.fields import Label, MarksFocus
from drilltui.ui.modals import Dialog, short
from drilltui.ui.style import shown

Check = Callable[[c.Command], str | None]
KINDS = (("Message", "message"), ("Request for information (needs an answer)", "request"),
         ("Tasking (assigned to the first role)", "task"))


@dataclass(frozen=True)
class Draft:
    """What the composer starts from: its recipients, and for a reply, what it answers."""

    roles: tuple[tuple[str, str], ...]  # (id, title) of every role a message may go to
    to: tuple[str, ...] = ()
    party: str = ""
    as_party: str = ""
    may_play_parties: bool = False  # SimCell and controllers answer as an outside party
    reply_to: str | None = None
    replying: str = ""  # one line saying what it answers
    inject: str | None = None
    injects: tuple[tuple[str, str], ...] = ()  # (id, title) it may be about


class MessageComposer(MarksFocus, Dialog[c.SendMessage]):
    """Enter in the text sends; the engine's refusal shows here and the text is kept."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="message-cancel", tooltip="Close without sending")]
    DEFAULT_CSS = """
    MessageComposer > VerticalScroll { width: 84; max-width: 98%; height: auto; max-height: 96%;
                                       border: thick $accent; background: $surface; padding: 0 2; }
    MessageComposer .label { color: $text-muted; margin-top: 1; }
    MessageComposer SelectionList { height: auto; max-height: 7; }
    MessageComposer .row { height: auto; }
    MessageComposer .row > * { width: 1fr; margin-right: 1; }
    MessageComposer Input, MessageComposer Select { margin-bottom: 0; }
    MessageComposer Select, MessageComposer Select > SelectCurrent { height: 1; }
    """

    def __init__(self, draft: Draft, check: Check) -> None:
        super().__init__()
        self.draft, self.check = draft, check

    def compose(self) -> ComposeResult:
        d = self.draft
        with VerticalScroll():
            yield Static(d.replying or "Write a message", classes="title")
            yield Label("To (space selects roles)", "to")
            yield SelectionList(*[(shown(f"{title} ({rid})"), rid, rid in d.to) for rid, title in d.roles], id="to",
                                compact=True)
            yield Label("Or to an outside party (the SimCell plays it)", "party")
            yield Input(value=d.party, placeholder="e.g. State regulator", id="party", compact=True)
            yield Static("", id="to-summary", classes="full")
            yield Label("Text", "text")
            yield Input(placeholder="Enter sends", id="text", compact=True)
            yield Label("What it is, and by when it must be answered", "kind")
            with Horizontal(classes="row"):
                yield Select(KINDS, value="message", allow_blank=False, id="kind", compact=True)
                yield Input(placeholder="due within, e.g. 10m (optional)", id="due", compact=True)
            if d.injects:
                yield Label("About an inject (optional)", "inject")
                yield Select([(short(f"{i}: {t}", 60), i) for i, t in d.injects], value=d.inject or Select.BLANK,
                             prompt="none", id="inject", compact=True)
            if d.may_play_parties:
                yield Label("Answer as an outside party (optional)", "as-party")
                yield Input(value=d.as_party, placeholder="e.g. State regulator", id="as-party", compact=True)
            yield Static("", classes="error")
            yield Static("Tab moves between fields; Enter in the text sends (from another field too, once there is "
                         "text); Esc cancels.", classes="hint")

    def recipients(self) -> str:
        """Who it goes to, in words (the list's marks are colour only)."""
        titles = dict(self.draft.roles)
        to = [shown(titles.get(str(r), str(r))) for r in self.query_one("#to", SelectionList).selected]
        party = self.value("party")
        if party:
            to.append(f"{shown(party)} (outside party)")
        return "Sending to: " + (", ".join(to) if to else "nobody yet")

    @on(SelectionList.SelectedChanged)
    @on(Input.Changed, "#party")
    def _recipients_changed(self) -> None:
        self.query_one("#to-summary", Static).update(self.recipients())

    def on_mount(self) -> None:
        self.say("")
        self._recipients_changed()
        self.query_one("#text" if self.draft.to or self.draft.party else "#to").focus()

    def value(self, wid: str) -> str:
        found = self.query(f"#{wid}")
        return found.first(Input).value.strip() if found else ""

    def command(self) -> c.SendMessage | str:
        kind = str(self.query_one("#kind", Select).value)
        due = None
        if self.value("due"):
            try:
                due = float(parse_duration(self.value("due")))
            except ValueError as exc:
                return f"Due within: {exc}"
        inject = None
        if self.query("#inject"):
            chosen = self.query_one("#inject", Select).value
            inject = None if chosen is Select.BLANK else str(chosen)
        return c.SendMessage(self.value("text"), tuple(self.query_one("#to", SelectionList).selected),
                             self.value("party") or None, self.value("as-party") or None, kind == "request",
                             kind == "task", due, None, True, self.draft.reply_to, inject)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "text" and not self.value("text"):
            self.focus_next()
            return
        command = self.command()
        problem = command if isinstance(command, str) else self.check(command)
        self.say(problem[:1].upper() + problem[1:] + "." if problem else "")
        if not isinstance(command, str) and problem is None:
            self.dismiss(command)
