"""The inject composer: a controller or the SimCell writes an inject during play, and sends it at once."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea

from drilltui.engine import commands as c
from drilltui.scenario import Decision, Option, Scenario, parse_duration
from drilltui.scenario.model import METHODS, SEVERITIES
from drilltui.ui.fields import Label, MarksFocus
from drilltui.ui.modals import Dialog, short
from drilltui.ui.style import shown

Check = Callable[[c.Command], str | None]  # why the engine would refuse it now, or None


def parse_options(text: str) -> tuple[Option, ...]:
    """`offline: Take it offline; keep: Keep serving` -> options (an option without `id:` gets 1, 2, ...)."""
    out = []
    for n, part in enumerate((p.strip() for p in text.split(";")), start=1):
        if not part:
            continue
        oid, colon, label = part.partition(":")
        out.append(Option(oid.strip(), label.strip()) if colon else Option(str(n), part))
    return tuple(out)


class InjectComposer(MarksFocus, Dialog[c.WriteInject]):
    """Every field of an inject, as the MSEL has them; ctrl+s sends it, and the engine's refusal shows here."""

    BINDINGS = [Binding("ctrl+s", "send", "Send", id="composer-send", tooltip="Send the inject now"),
                Binding("escape", "cancel", "Cancel", id="composer-cancel", tooltip="Close without sending")]
    DEFAULT_CSS = """
    InjectComposer > VerticalScroll { width: 96; max-width: 98%; height: auto; max-height: 96%;
                                      border: thick $accent; background: $surface; padding: 0 2; }
    InjectComposer .title { margin-bottom: 0; }
    InjectComposer .row { height: auto; }
    InjectComposer .row > * { width: 1fr; margin-right: 1; }
    InjectComposer .label { color: $text-muted; margin-top: 1; }
    InjectComposer SelectionList { height: auto; max-height: 7; }
    InjectComposer TextArea { height: 4; }
    InjectComposer Input, InjectComposer Select { margin-bottom: 0; }
    InjectComposer Select, InjectComposer Select > SelectCurrent { height: 1; }
    InjectComposer Horizontal { height: auto; margin-top: 1; }
    InjectComposer Horizontal .hint { width: 1fr; margin-top: 0; }
    """

    def __init__(self, scenario: Scenario, check: Check, *, to: str | None = None, sender: str = "",
                 next_id: str = "") -> None:
        super().__init__()
        self.scenario, self.check = scenario, check
        self.to, self.sender, self.next_id = to, sender, next_id

    def compose(self) -> ComposeResult:
        roles = [r for r in self.scenario.roles if r.kind != "observer"]
        with VerticalScroll():
            yield Static("Write an inject now: it is sent at once, then behaves like any inject of the MSEL",
                         classes="title")
            yield Label("To (space selects; the first selected holds it)", "to")
            yield SelectionList(*[(shown(f"{r.title} ({r.id})"), r.id, r.id == self.to) for r in roles], id="to",
                                compact=True)
            yield Label("From, method and severity", "from")
            with Horizontal(classes="row"):
                yield Input(value=self.sender, placeholder="who it claims to come from", id="from", compact=True)
                yield Select([(m, m) for m in METHODS], value="other", allow_blank=False, id="method", compact=True)
                yield Select([(s, s) for s in SEVERITIES], value="medium", allow_blank=False, id="severity",
                             compact=True)
            yield Label("Title (required)", "title")
            yield Input(placeholder="one line", id="title", compact=True)
            yield Label("Message, as the players receive it", "message")
            yield TextArea(id="message", compact=True)
            yield Label("Expected action", "expected")
            yield Input(placeholder="optional", id="expected", compact=True)
            if self.scenario.objectives:
                yield Label("Objectives it exercises (optional)", "objectives")
                yield SelectionList(*[(short(f"{o.id}: {o.text}", 80), o.id) for o in self.scenario.objectives],
                                    id="objectives", compact=True)
            yield Label("Acknowledge within, and the inject's id", "ack")
            with Horizontal(classes="row"):
                yield Input(placeholder="e.g. 5m; optional", id="ack", compact=True)
                yield Input(placeholder=f"optional; else {self.next_id}", id="id", compact=True)
            yield Label("Decision (optional): the prompt, then the options", "prompt")
            yield Input(placeholder="e.g. Take the API offline?", id="prompt", compact=True)
            yield Input(placeholder="e.g. offline: Take it offline; keep: Keep serving", id="options", compact=True)
            yield Static("", classes="error")
            with Horizontal():
                yield Static("Tab moves between fields, ctrl+s sends, Esc cancels.", classes="hint")
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Send (ctrl+s)", id="send", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.say("")
        self.query_one("#title" if self.to else "#to").focus()

    def draft(self) -> c.WriteInject | str:
        """The command the fields make, or what is wrong with them."""
        value = lambda wid: self.query_one(f"#{wid}", Input).value.strip()  # noqa: E731
        to = tuple(self.query_one("#to", SelectionList).selected)
        objectives = tuple(self.query(SelectionList).filter("#objectives").first().selected) \
            if self.scenario.objectives else ()
        ack = None
        if value("ack"):
            try:
                ack = parse_duration(value("ack"))
            except ValueError as exc:
                return f"Acknowledge within: {exc}"
        decision = None
        if value("prompt") or value("options"):
            decision = Decision(value("prompt"), parse_options(value("options")))
        return c.WriteInject(
            to, value("title"), value("id") or None, value("from") or None,
            str(self.query_one("#method", Select).value), str(self.query_one("#severity", Select).value),
            self.query_one("#message", TextArea).text.strip(), value("expected") or None, objectives, ack, decision)

    def action_send(self) -> None:
        draft = self.draft()
        problem = draft if isinstance(draft, str) else self.check(draft)
        self.say(problem[:1].upper() + problem[1:] + "." if problem else "")
        if not isinstance(draft, str) and problem is None:
            self.dismiss(draft)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.action_send()
        else:
            self.dismiss(None)
