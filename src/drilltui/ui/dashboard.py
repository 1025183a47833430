"""The live dashboard screen: the panes, and the keys that turn into commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header

from drilltui.engine import DrillState
from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.permissions import ACTIONS, RATE, RELEASE, may
from drilltui.engine.scheduler import next_scheduled_release, wont_fire
from drilltui.engine.state import MAX_SPEED, MIN_SPEED
from drilltui.ui.bindings import DASHBOARD, key_in_force, not_now
from drilltui.ui.messages import CommandOrMaker, CommandRequested, LeaveDrill, Moment, StateChanged, ToggleBell
from drilltui.ui.panes.clock import ClockPane
from drilltui.ui.panes.detail import InjectDetail, Subject
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.pending import PendingList
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.panes.rows import RowTable
from drilltui.ui.panes.tree import EscalationTree
from drilltui.ui.style import shown
from drilltui.ui.view import DrillView, FooterKeys, offered

# The dialogs and the help screen are imported when a key opens one: the first frame needs none of them.
if TYPE_CHECKING:
    from drilltui.ui.help import HelpRow

FLASH_SECONDS = 3.0
SIDE = ("roles", "tree", "pending")  # the right-hand panes; a narrow terminal shows one at a time


class Dashboard(Screen[None]):
    """Clock on top; the feed and the selected inject left; roles, tree and pending right."""

    BINDINGS = list[BindingType](DASHBOARD)
    PALETTE = DASHBOARD  # what the command palette offers (only what this role can do now)

    def __init__(self, view: DrillView, keymap: Mapping[str, str] | None = None) -> None:
        # The classes the layout depends on, given before the screen is styled: set once mounted, each would
        # restyle every widget on it again before the first frame.
        super().__init__(classes="side-roles")
        try:
            self._size_classes(*self.app.size, update=False)
        except RuntimeError:  # made with no app running (on_mount sets them then)
            pass
        self.view = view
        self.keymap = dict(keymap or {})
        self.offers: dict[str, str | None] = {}
        self.subject: Subject = None
        self.moment = Moment(view.now(), view.wall())
        self._footer = FooterKeys()
        self._flashing: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield ClockPane(id="clock")
        with Container(id="main"):  # a grid: see app.tcss
            yield InjectFeed(id="feed")
            with Vertical(id="right"):
                yield RoleBoard(id="roles")
                yield EscalationTree(id="tree")
                yield PendingList(id="pending", classes="" if self._may_release() else "unavailable")
            yield InjectDetail(id="detail")
        yield Footer()

    def _may_release(self) -> bool:
        return may(self.view.state, self.view.role, RELEASE) and not self.view.read_only

    def on_mount(self) -> None:
        for pending in self.query(PendingList):  # a replay has none
            pending.set_class(not self._may_release(), "unavailable")
        self.set_class(True, "side-roles")
        # What this role may do, before the feed takes focus: the footer is first made then, with the keys in
        # force, instead of with none of the drill's and again once the first state is drawn (after the first frame).
        self.refresh_offers(footer=False)
        self.query_one(InjectFeed).focus()
        self.on_resize()
        self.render_state(self.view.state, Moment(self.view.now(), self.view.wall()))

    def on_resize(self, event: events.Resize | None = None) -> None:
        self._size_classes(*self.app.size)

    def _size_classes(self, width: int, height: int, *, update: bool = True) -> None:
        self.set_class(width < 110, "narrow", update=update)
        self.set_class(height < 30, "short", update=update)

    # -- rendering ------------------------------------------------------

    _panes: tuple[ClockPane, InjectFeed, InjectDetail, RoleBoard, EscalationTree, list[PendingList]] | None = None

    def on_state_changed(self, message: StateChanged) -> None:
        # Only while in view: the app keeps what a screen over this one (messages, journal) hides till it shows again.
        for event in message.events:
            if isinstance(event.body, ev.InjectEscalated):
                self._flash(event.body.to_role)
        self.render_state(message.state, message.moment, clock_only=message.clock_only)

    def render_state(self, state: DrillState, moment: Moment, *, clock_only: bool = False) -> None:
        """Redraw from the state; the panes change only the cells that differ."""
        if not self.is_mounted:
            return
        self.moment = moment
        colors = self.app.theme_variables
        if self._panes is None:  # found once: a query walks the DOM, and this runs several times a second
            self._panes = (self.query_one(ClockPane), self.query_one(InjectFeed), self.query_one(InjectDetail),
                           self.query_one(RoleBoard), self.query_one(EscalationTree), list(self.query(PendingList)))
        clock, feed, detail, board, tree, pendings = self._panes
        now = moment.now
        clock.show(state, now, moment.wall, colors)
        if clock_only:
            return
        feed.show(state, self.view.role, now, colors)
        board.show(state, self.view.role, now, colors)
        tree.show(state, now, colors)
        for pending in pendings:  # screens built on this one may have none
            if not pending.has_class("unavailable"):
                pending.show(state, colors)
        if self.subject is None and feed.selected:
            self.subject = ("inject", feed.selected)
        detail.show(state, self.subject, now, colors)
        self.refresh_offers()

    def refresh_offers(self, *, footer: bool = True) -> None:
        """Ask the engine what this role may do now; rebuild the footer only when that changed (and `footer`)."""
        self.offers = offered(self.view, inject=self.query_one(InjectFeed).selected)
        if self._footer.changed(self.offers) and footer:
            self.refresh_bindings()

    def _flash(self, role: str) -> None:
        tree = self.query_one(EscalationTree)
        tree.flashing.add(role)

        def done() -> None:
            tree.flashing.discard(role)
            tree.show(self.view.state, self.view.now(), self.app.theme_variables)

        self.set_timer(FLASH_SECONDS, done)

    @on(RowTable.Highlighted)
    def _highlighted(self, message: RowTable.Highlighted) -> None:
        if message.key is None or (message.table is not self.focused and message.table.id != "feed"):
            return
        kind = "role" if message.table.id == "roles" else "inject"
        self._show_subject((kind, message.key))
        if message.table.id == "feed":
            self.refresh_offers()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, RowTable) and widget.selected is not None:
            self._show_subject(("role" if widget.id == "roles" else "inject", widget.selected))

    def _show_subject(self, subject: Subject) -> None:
        if subject != self.subject:
            self.subject = subject
            self.query_one(InjectDetail).show(self.view.state, subject, self.view.now(), self.app.theme_variables)

    # -- which keys apply now --------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Shown and live only if the engine would accept it now; otherwise hidden (a key press says why)."""
        if action in ACTIONS:
            return self.offers.get(action, "") is None
        if action == "board":
            return may(self.view.state, self.view.role, RATE)
        if action == "pane" and parameters == ("pending",):
            return any(not p.has_class("unavailable") for p in self.query(PendingList))
        return True

    def on_key(self, event: events.Key) -> None:
        """A key whose action this role cannot take now says why, in one line, instead of doing nothing."""
        refused = not_now(event.key, DASHBOARD, self.keymap, self.offers)
        if refused is not None:
            event.stop()
            self.notify(f"{refused[0].description}: {refused[1]}", title="Not now", severity="warning", timeout=5)

    # -- actions ----------------------------------------------------------

    def send(self, command: CommandOrMaker) -> None:
        self.post_message(CommandRequested(command))

    def selected_inject(self) -> str | None:
        return self.query_one(InjectFeed).selected

    def action_start(self) -> None:
        self.send(c.Start())

    def action_toggle_clock(self) -> None:
        self.send(lambda state: c.Resume() if state.phase == "paused" else c.Pause())

    def action_speed_up(self) -> None:
        self.send(lambda state: c.SetSpeed(min(MAX_SPEED, state.clock.speed * 2)))

    def action_speed_down(self) -> None:
        self.send(lambda state: c.SetSpeed(max(MIN_SPEED, state.clock.speed / 2)))

    def _release(self, inject_id: str) -> None:
        """Release an inject; one whose branch was not taken asks first."""
        from drilltui.ui.modals import Confirm

        if inject_id not in wont_fire(self.view.state):
            self.send(c.Release(inject_id))
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.send(c.Release(inject_id))

        self.app.push_screen(Confirm(f"{inject_id} won't fire on its own: its trigger can no longer happen "
                                     "(its branch was not taken). Release it by hand anyway?", "Release"), answer)

    def action_release(self) -> None:
        from drilltui.ui.modals import ChooseOne

        pending = self.query_one(PendingList)
        if self.focused is pending and pending.selected:
            self._release(pending.selected)
            return
        state = self.view.state
        dead = wont_fire(state)
        order = {i.id: n for n, i in enumerate(state.scenario.injects)}
        waiting = [i for i in state.scenario.injects if not state.injects[i.id].released]
        waiting.sort(key=lambda i: (i.id in dead, not i.manual, order[i.id]))
        options = [(i.id, f"{shown(i.id)}  {'[manual] ' if i.manual else ''}{'[won’t fire] ' if i.id in dead else ''}"
                          f"{shown(i.title)}") for i in waiting]

        def chosen(inject_id: str | None) -> None:
            if inject_id:
                self._release(inject_id)

        self.app.push_screen(ChooseOne("Release which inject? (contingency injects first, branches not taken last)",
                                       options), chosen)

    def action_release_next(self) -> None:
        nxt = next_scheduled_release(self.view.state)
        if nxt is not None:
            self.send(c.Release(nxt[1]))

    def action_acknowledge(self) -> None:
        if inject := self.selected_inject():
            self.send(c.Acknowledge(inject))

    def action_resolve(self) -> None:
        if inject := self.selected_inject():
            self.send(c.Resolve(inject))

    def action_escalate(self) -> None:
        if inject := self.selected_inject():
            self.send(c.Escalate(inject))

    def action_decide(self) -> None:
        from drilltui.ui.modals import ChooseOne, ConfirmDecision

        inject_id = self.selected_inject()
        inject = self.view.state.inject(inject_id or "")
        if inject_id is None or inject is None or inject.decision is None:
            return
        decision = inject.decision
        labels = {o.id: o.label for o in decision.options}

        def chosen(option: str | None) -> None:
            if not option:
                return

            def confirmed(rationale: str | None) -> None:
                if rationale is not None:
                    self.send(c.Decide(inject_id, option, rationale))

            self.app.push_screen(ConfirmDecision(inject_id, decision.prompt, labels[option]), confirmed)

        options = [(o.id, f"{shown(o.id)}: {shown(o.label)}") for o in decision.options]
        self.app.push_screen(ChooseOne(f"{shown(inject_id)}: {shown(decision.prompt)}", options,
                                       "Enter chooses (you confirm next), Esc cancels"), chosen)

    def action_status(self) -> None:
        from drilltui.ui.modals import StatusDialog, StatusInput

        state = self.view.state
        me = self.view.role
        controller = state.role_kind(me) == "controller"
        board = self.query_one(RoleBoard)
        role = (board.selected if controller and board.selected else None) or (me if me in state.roles else state.scenario.roles[0].id)
        roles = [(r.id, r.title) for r in state.scenario.roles if controller or r.id == me]

        def done(value: StatusInput | None) -> None:
            if value is None:
                return
            now = self.view.state.roles[value.role]
            if (now.status, now.task) == (value.status, value.task):
                self.notify("Status unchanged; nothing was logged.", timeout=4)
                return
            self.send(c.SetStatus(value.role, value.status, value.task))

        rs = state.roles[role]
        self.app.push_screen(StatusDialog(roles, role, rs.status, rs.task), done)

    def action_note(self) -> None:
        from drilltui.ui.modals import NoteDialog, NoteInput

        inject = self.selected_inject()
        board = self.query_one(RoleBoard)
        role = board.selected if self.focused is board else None
        about = f"on role {role}" if role else (f"on {inject}" if inject else "")
        kind = "observation" if self.view.state.role_kind(self.view.role) == "evaluator" else "note"
        s = self.view.scenario
        on = s.inject(inject or "") if not role else None
        default = f"The inject's objectives ({', '.join(on.objectives)})" if on and on.objectives else ""

        def done(value: NoteInput | None) -> None:
            if value:
                self.send(c.AddNote(value.text, value.kind, inject=None if role else inject, role=role,
                                    objective=value.objective, task=value.task))

        self.app.push_screen(NoteDialog(about, kind, objectives=[(o.id, o.text) for o in s.objectives],
                                        tasks=[(t.id, t.text) for o in s.objectives for t in o.tasks],
                                        default_objectives=default), done)

    def action_rate(self) -> None:
        from drilltui.ui.modals import RateDialog, RatingInput

        objectives = [(o.id, o.text) for o in self.view.scenario.objectives]
        inject = self.view.state.inject(self.selected_inject() or "")
        current = inject.objectives[0] if inject and inject.objectives else None

        def done(value: RatingInput | None) -> None:
            if value:
                self.send(c.Rate(value.objective, value.rating, value.comment))

        self.app.push_screen(RateDialog(objectives, current), done)

    def action_end(self) -> None:
        from drilltui.ui.modals import Confirm

        def done(yes: bool | None) -> None:
            if yes:
                self.send(c.End("ended by the exercise director"))

        self.app.push_screen(Confirm("End the drill? Nothing more will be released, and the clock stops for good: "
                                     "this cannot be undone. The hotwash (h) follows.", "End drill"), done)

    def action_hotwash(self) -> None:
        from drilltui.ui.hotwash import HotwashScreen

        self.app.push_screen(HotwashScreen(self.view))

    def action_board(self) -> None:
        from drilltui.ui.board import EvaluatorBoard

        self.app.push_screen(EvaluatorBoard(self.view))

    def action_journal(self) -> None:
        from drilltui.ui.journal import JournalScreen

        self.app.push_screen(JournalScreen(self.view, self.keymap))

    def action_toggle_bell(self) -> None:
        self.post_message(ToggleBell())

    # -- free play ------------------------------------------------------------------------

    def action_messages(self) -> None:
        from drilltui.ui.inbox import MessagesScreen

        self.app.push_screen(MessagesScreen(self.view, self.keymap, about=self.selected_inject()))

    def action_activity(self) -> None:
        from drilltui.ui.activity import ActivityScreen

        board = self.query_one(RoleBoard)
        self.app.push_screen(ActivityScreen(self.view, board.selected if self.focused is board else None))

    def action_search(self) -> None:
        from drilltui.ui.search import ask

        ask(self, "the inject feed", self.query_one(InjectFeed).search,
            lambda: self.render_state(self.view.state, Moment(self.view.now(), self.view.wall())))

    def action_write_inject(self) -> None:
        from drilltui.engine.freeplay import next_adhoc_id
        from drilltui.ui.inject_composer import InjectComposer
        from drilltui.ui.view import refusal

        board = self.query_one(RoleBoard)
        to = board.selected if self.focused is board else None
        role = self.view.scenario.role(self.view.role)
        sender = role.title if role is not None and role.kind == "simcell" else ""

        def done(command: c.WriteInject | None) -> None:
            if command is not None:
                self.send(command)

        self.app.push_screen(InjectComposer(self.view.scenario, lambda command: refusal(self.view, command), to=to,
                                            sender=sender, next_id=next_adhoc_id(self.view.state)), done)

    def action_quit(self) -> None:
        self.post_message(LeaveDrill())

    def help_rows(self) -> list[HelpRow]:
        """Every key as it is in force now, with what it does and, if it cannot act now, why."""
        from drilltui.ui.help import HelpRow

        return [HelpRow(binding, key_in_force(binding, self.keymap), self.offers.get(binding.action))
                for binding in DASHBOARD]

    def action_help(self) -> None:
        from drilltui.ui.help import HelpScreen

        self.app.push_screen(HelpScreen(self.help_rows()))

    def action_pane(self, pane: str) -> None:
        widget: Widget = self.query_one(f"#{pane}")
        if pane in SIDE:
            for side in SIDE:
                self.set_class(side == pane, f"side-{side}")
        if widget.display:
            widget.focus()
