"""The messages screen: an inbox per role this console may read, newest first, unread marked; write, reply, `/` filter."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from drilltui.engine import DrillState
from drilltui.engine import commands as c
from drilltui.engine.permissions import addressed_to, may_read, may_see, reply_route
from drilltui.engine.state import MessageState
from drilltui.scenario import format_drill_time
from drilltui.ui.bindings import key_in_force, not_now
from drilltui.ui.help import HelpRow, HelpScreen
from drilltui.ui.message_composer import Draft, MessageComposer
from drilltui.ui.messages import CommandRequested, StateChanged
from drilltui.ui.panes.rows import RowTable, set_subtitle
from drilltui.ui.search import Search, ask
from drilltui.ui.story import role_title, story_line
from drilltui.ui.style import resolve, shown
from drilltui.ui.view import DrillView, FooterKeys, offered, refusal

ALL, PARTIES = "*all", "*parties"  # the inboxes that are not one role's
STATUS = {"message": ("", ""), "open": ("? open", "bold $accent"), "answered": ("✓ answered", "$success"),
          "escalated": ("▲ escalated", "bold $warning"), "overdue": ("⚠ overdue", "bold reverse $error")}

KEYS = [
    Binding("w", "write_message", "Write", id="message-write",
            tooltip="Write a message, a request for information or a tasking, to roles or to an outside party"),
    Binding("r", "reply", "Reply", id="message-reply", tooltip="Reply to the selected message, back the way it came"),
    Binding("slash", "search", "Filter", id="message-search",
            tooltip="Filter the messages by text, role, status (new, open, overdue, answered) or kind"),
    Binding("escape,m", "close", "Back", id="message-back", tooltip="Back to where you were"),
    Binding("question_mark", "help", "Keys", id="message-help", tooltip="Show every key and what it does now"),
]


def sender_of(state: DrillState, m: MessageState) -> str:
    return f"{m.as_party} (outside party)" if m.as_party else role_title(state, m.sender)


def recipients_of(state: DrillState, m: MessageState) -> str:
    return f"{m.party} (outside party)" if m.party else ", ".join(role_title(state, r) for r in m.to)


def unread(state: DrillState, role: str, m: MessageState) -> bool:
    """A message for this role's console that the role has not opened yet."""
    return addressed_to(state, role, m) and role not in m.read_by


def inboxes(state: DrillState, role: str) -> list[tuple[str, str]]:
    """(key, name) of each inbox `role` may open: its own, and for those who read all traffic, every role's."""
    kind = state.role_kind(role)
    own = [(role, f"{role_title(state, role)} (you)")]
    if kind == "simcell":
        return [*own, (PARTIES, "Outside parties")]
    if kind in ("controller", "evaluator", "observer"):
        others = [(r.id, role_title(state, r.id)) for r in state.scenario.roles if r.id != role and r.kind != "observer"]
        return [(ALL, "All traffic"), *(own if kind != "observer" else []), (PARTIES, "Outside parties"), *others]
    return own


def in_box(state: DrillState, box: str, m: MessageState) -> bool:
    if box == ALL:
        return True
    if box == PARTIES:
        return m.party is not None or m.as_party is not None
    return box == m.sender or addressed_to(state, box, m)  # for the SimCell and controllers: what outside parties get


class InboxList(RowTable):
    COLUMNS = (("name", "Inbox"), ("new", "New"))
    WIDTHS = {"name": 14, "new": 5}
    FLEX = {"name": 1}


class MessageTable(RowTable):
    COLUMNS = (("time", "Time"), ("id", "#"), ("status", "Status"), ("from", "From"), ("to", "To"), ("text", "Message"))
    WIDTHS = {"time": 8, "id": 5, "status": 12, "from": 14, "to": 14, "text": 16}
    FLEX = {"text": 3, "from": 1, "to": 1}
    PRIORITY = ("id", "status", "text", "from", "time", "to")


def facets(state: DrillState, role: str, m: MessageState, now: float) -> dict[str, str]:
    """What `/` searches in a message: its text, who sent it to whom, its status and its kind."""
    roles = [m.sender, *m.to, m.holder or "", m.party or "", m.as_party or ""]
    titles = [role_title(state, r) for r in roles if state.scenario.role(r)]
    status = m.status_at(now) + (" new unread" if unread(state, role, m) else "")
    return {"text": f"{m.id} {m.text} {m.inject or ''}", "role": " ".join([*roles, *titles]),
            "status": status, "kind": m.what, "severity": ""}


class MessagesScreen(Screen[None]):
    """Inboxes left, messages right (newest first), the selected message and its thread below."""

    BINDINGS = list(KEYS)
    read_after: float | None = 1.0  # seconds a message stays selected before it counts as read (scrolling past reads none)
    DEFAULT_CSS = """
    MessagesScreen #boxes-and-list { height: 1fr; }
    MessagesScreen InboxList { width: 28; height: 1fr; border: round $primary; }
    MessagesScreen MessageTable { width: 1fr; height: 1fr; border: round $primary; }
    MessagesScreen InboxList:focus, MessagesScreen MessageTable:focus { border: round $accent; }
    MessagesScreen #message { height: auto; max-height: 45%; border: round $primary; padding: 0 1; }
    """

    def __init__(self, view: DrillView, keymap: Mapping[str, str] | None = None, *, about: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.keymap = dict(keymap or {})
        self.about = about  # the inject selected where the screen was opened: a new message is about it
        self.search = Search()
        self.offers: dict[str, str | None] = {}
        self._footer = FooterKeys(self.offers)  # composed with nothing offered
        self.state = view.state
        self.now = view.now()
        self.asked_read: set[str] = set()  # read receipts already asked for by this console
        self._reading: tuple[str, object] | None = None  # the message being read, and its timer
        self._shown: object = None  # what the message pane was last drawn from

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="boxes-and-list"):
            boxes = InboxList(id="inboxes")
            boxes.border_title = "Inboxes"
            yield boxes
            table = MessageTable(id="messages", zebra=True)
            table.border_title = "Messages, newest first"
            yield table
        with VerticalScroll(id="message"):
            yield Static(id="message-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MessageTable).focus()
        self.show(self.view.state, self.view.now())

    def on_state_changed(self, message: StateChanged) -> None:
        if message.events or not message.clock_only:
            self.show(message.state, message.moment.now)

    # -- drawing -------------------------------------------------------------------------

    @property
    def box(self) -> str:
        return self.query_one(InboxList).selected or self.view.role

    def show(self, state: DrillState, now: float) -> None:
        self.state, self.now = state, now
        me = self.view.role
        readable = [m for m in state.messages.values() if may_read(state, me, m)]
        boxes = self.query_one(InboxList)
        boxes.sync_rows([(key, {"name": shown(name), "new": self._new_count(key, readable)})
                         for key, name in inboxes(state, me)])
        box = self.box
        colors = self.app.theme_variables
        rows = []
        for m in reversed(readable):
            if not in_box(state, box, m) or self.search.terms and not self.search.matches(facets(state, me, m, now)):
                continue
            label, style = STATUS[m.status_at(now)]
            status = Text("● new " if unread(state, me, m) else "", style=resolve("bold $accent", colors))
            status.append(label, style=resolve(style, colors))
            kind = {"request": "request: ", "tasking": "tasking: "}.get(m.what, "")
            rows.append((m.id, {"time": format_drill_time(m.sent_at)[2:], "id": m.id, "status": status,
                                "from": shown(sender_of(state, m)), "to": shown(recipients_of(state, m)),
                                "text": Text.assemble((kind, "bold"), shown(" ".join(m.text.split())))}))
        table = self.query_one(MessageTable)
        table.sync_rows(rows)
        set_subtitle(table, self.search.subtitle(f"{len(rows)} message{'s' if len(rows) != 1 else ''}"))
        self._selected_changed()

    def _new_count(self, box: str, readable: list[MessageState]) -> str:
        n = sum(1 for m in readable if in_box(self.state, box, m) and unread(self.state, self.view.role, m))
        return f"● {n}" if n else ""

    @property
    def selected(self) -> MessageState | None:
        key = self.query_one(MessageTable).selected
        return self.state.messages.get(key) if key else None

    @on(RowTable.Highlighted)
    def _highlighted(self, message: RowTable.Highlighted) -> None:
        if message.table.id == "inboxes":
            self.show(self.state, self.now)
        else:
            self._selected_changed()

    def _selected_changed(self) -> None:
        m = self.selected
        offers = offered(self.view, message=m.id if m else None)
        # Redraw the message and the footer only when they would change: every message to anyone reaches this screen.
        shown_now = (m, len(m.history) if m else 0, m.status_at(self.now) if m else "", id(self.app.theme_variables))
        if shown_now != self._shown:
            self._shown = shown_now
            body = self.query_one("#message-body", Static)
            body.update(self._detail(m) if m else Text(
                "No messages here yet. w writes one: to roles, or to an outside party the SimCell plays.", style="italic"))
        self._read_later(m)
        self.offers = offers  # the refusals a key press words, however they changed
        if self._footer.changed(offers):
            self.refresh_bindings()

    def _read_later(self, m: MessageState | None) -> None:
        """Once a message has stayed selected a moment, it is read: its unread mark goes on every console of the role."""
        if self._reading is not None and (m is None or self._reading[0] != m.id):
            self._reading[1].stop()  # type: ignore[attr-defined]
            self._reading = None
        if m is None or self._reading is not None or m.id in self.asked_read or self.read_after is None:
            return

        def read() -> None:
            self._reading = None
            if self.app.screen is self and refusal(self.view, c.ReadMessage(m.id)) is None:
                self.asked_read.add(m.id)
                self.post_message(CommandRequested(c.ReadMessage(m.id)))

        self._reading = (m.id, self.set_timer(self.read_after, read))

    def _detail(self, m: MessageState) -> RenderableType:
        state, colors = self.state, self.app.theme_variables
        muted = resolve("$text-muted", colors)
        head = Text(f"{m.id} {m.what} from {shown(sender_of(state, m))} to {shown(recipients_of(state, m))}", style="bold")
        parts: list[RenderableType] = [head, Text(f"sent {format_drill_time(m.sent_at)} by {shown(m.participant)}",
                                                  style=muted)]
        if m.asks:
            line = f"Status: {m.status_at(self.now)}"
            if m.holder:
                line += f"; to be answered by {role_title(state, m.holder)}"
            if m.due is not None:
                line += f"; due {format_drill_time(m.due)}"
            if m.answer:
                line += f"; answered by {role_title(state, m.answered_by)} in {m.answer}"
            parts.append(Text(line, style=resolve("bold $error", colors) if m.overdue(self.now) else ""))
        if m.inject:
            inject = state.inject(m.inject)
            parts.append(Text(f"About {shown(m.inject)}: {shown(inject.title) if inject else '?'}", style=muted))
        parts += [Text(""), Text(shown(m.text, lines=True))]
        parent = state.messages.get(m.reply_to or "")
        if parent is not None and may_read(state, self.view.role, parent):
            parts += [Text(""), Text(f"In reply to {parent.id} from {shown(sender_of(state, parent))}: "
                                     f"{shown(' '.join(parent.text.split()))}", style=muted)]
        replies = [state.messages[r] for r in m.replies if may_read(state, self.view.role, state.messages[r])]
        if replies:
            parts += [Text(""), Text("Replies", style="bold")]
            parts += [Text(f"{format_drill_time(r.sent_at)}  {r.id} {shown(sender_of(state, r))}: "
                           f"{shown(' '.join(r.text.split()))}") for r in replies]
        story = [e for e in m.history if e.kind in ("message_expired", "message_escalated")]
        if story:
            parts += [Text(""), *(story_line(state, e, colors) for e in story)]
        return Group(*parts)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("write_message", "reply"):
            return self.offers.get(action, "") is None
        return True

    def on_key(self, event: events.Key) -> None:
        refused = not_now(event.key, KEYS, self.keymap, {k: self.offers.get(k) for k in ("write_message", "reply")})
        if refused is not None:
            event.stop()
            self.notify(f"{refused[0].description}: {refused[1]}", title="Not now", severity="warning", timeout=5)

    def _draft(self, **kwargs: object) -> Draft:
        state, me = self.state, self.view.role
        roles = tuple((r.id, r.title) for r in state.scenario.roles if r.kind != "observer")
        injects = tuple((i, state.inject(i).title) for i in reversed(state.release_order)  # type: ignore[union-attr]
                        if may_see(state, me, i))
        inject = kwargs.pop("inject", self.about)
        return Draft(roles, may_play_parties=state.role_kind(me) in ("simcell", "controller"), injects=injects,
                     inject=inject if any(i == inject for i, _ in injects) else None, **kwargs)  # type: ignore[arg-type]

    def _open_composer(self, draft: Draft) -> None:
        def done(command: c.SendMessage | None) -> None:
            if command is not None:
                self.post_message(CommandRequested(command))

        self.app.push_screen(MessageComposer(draft, lambda command: refusal(self.view, command)), done)

    def action_write_message(self) -> None:
        box = self.box
        to = (box,) if box not in (ALL, PARTIES, self.view.role) else ()
        self._open_composer(self._draft(to=to))

    def action_reply(self) -> None:
        m = self.selected
        if m is None:
            return
        to, party, as_party = reply_route(self.state, self.view.role, m)
        self._open_composer(self._draft(to=to, party=party or "", as_party=as_party or "", reply_to=m.id, inject=m.inject,
                                  replying=f"Reply to {m.id} from {shown(sender_of(self.state, m))}: "
                                           f"{shown(' '.join(m.text.split()))[:60]}"))

    def action_search(self) -> None:
        ask(self, "the messages", self.search, lambda: self.show(self.state, self.now))

    def action_help(self) -> None:
        rows = [HelpRow(b, key_in_force(b, self.keymap), self.offers.get(b.action)) for b in KEYS]
        self.app.push_screen(HelpScreen(rows))

    def action_close(self) -> None:
        self.app.pop_screen()
