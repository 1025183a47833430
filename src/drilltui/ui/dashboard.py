"""The live dashboard screen: four panes, and the keys that turn into commands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header

from drilltui.engine import commands as c
from drilltui.engine.permissions import CLOCK, HOTWASH, NOTE, PLAY, RATE, RELEASE, may
from drilltui.engine.state import MAX_SPEED, MIN_SPEED, DrillState
from drilltui.ui.bindings import DASHBOARD
from drilltui.ui.help import HelpScreen
from drilltui.ui.modals import ChooseOne, Confirm, NoteDialog, NoteInput, RateDialog, RatingInput, StatusDialog, StatusInput, ask
from drilltui.ui.panes.clock import ClockPane
from drilltui.ui.panes.detail import InjectDetail
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.pending import PendingList
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.panes.tree import EscalationTree

# Which power each action needs, so the footer shows only the keys that apply.
NEEDS = {
    "start": CLOCK, "toggle_clock": CLOCK, "speed": CLOCK, "end": CLOCK,
    "release": RELEASE, "release_next": RELEASE,
    "acknowledge": PLAY, "resolve": PLAY, "escalate": PLAY, "decide": PLAY, "status": PLAY,
    "note": NOTE, "rate": RATE, "hotwash": HOTWASH,
}


class Dashboard(Screen):
    """Clock on top; the feed and the selected inject left; roles, tree and pending right."""

    BINDINGS = DASHBOARD

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield ClockPane(id="clock")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield InjectFeed(id="feed")
                yield InjectDetail(id="detail")
            with Vertical(id="right"):
                yield RoleBoard(id="roles")
                yield EscalationTree(id="tree")
                yield PendingList(id="pending")
        yield Footer()

    @property
    def drill(self):  # type: ignore[no-untyped-def]
        return self.app.drill  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        state = self.drill.state
        for pending in self.query(PendingList):  # screens built on this one may have none
            pending.display = may(state, self.drill.role, RELEASE) and not self.app.read_only  # type: ignore[attr-defined]
        self.query_one("#feed").focus()
        self.on_resize()

    def on_resize(self, event: object = None) -> None:
        width, height = self.app.size
        self.set_class(width < 110, "narrow")
        self.set_class(height < 30, "short")
        if self.is_mounted:
            self.app.call_after_refresh(self.app.refresh_view)

    # -- rendering ------------------------------------------------------

    _keys_shown: tuple[bool | None, ...] | None = None
    _panes: tuple[ClockPane, InjectFeed, InjectDetail, RoleBoard, EscalationTree, list[PendingList]] | None = None

    def render_state(self, state: DrillState, now: float, wall: float, *, clock_only: bool = False) -> None:
        """Redraw from the state; the panes change only the cells that differ."""
        colors = self.app.theme_variables
        if self._panes is None:  # found once: a query walks the DOM, and this runs several times a second
            self._panes = (self.query_one(ClockPane), self.query_one(InjectFeed), self.query_one(InjectDetail),
                           self.query_one(RoleBoard), self.query_one(EscalationTree), list(self.query(PendingList)))
        clock, feed, detail, board, tree, pendings = self._panes
        clock.show(state, now, wall, colors)
        if clock_only:
            return
        role = self.drill.role
        feed.show(state, role, now, colors)
        detail.show(state, feed.selected, now, colors)
        board.show(state, role, now, colors)
        tree.show(state, now, colors)
        for pending in pendings:
            if pending.display:
                pending.show(state, colors)
        # Rebuilding the footer costs more than the rest of a redraw: only when a key comes or goes.
        shown = tuple(self.check_action(action, ()) for action in NEEDS)
        if shown != self._keys_shown:
            self._keys_shown = shown
            self.refresh_bindings()

    def on_inject_feed_selected(self, event: InjectFeed.Selected) -> None:
        self.query_one(InjectDetail).show(self.drill.state, event.inject_id, self.drill.now(), self.app.theme_variables)

    # -- which keys apply now --------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: shown and live; None: shown dimmed (not now); False: hidden (never for this role)."""
        power = NEEDS.get(action)
        if power is None:
            return True
        if self.app.read_only or not may(self.drill.state, self.drill.role, power):  # type: ignore[attr-defined]
            return False
        state = self.drill.state
        if action == "start":
            return not state.started
        if action in ("hotwash", "note", "rate"):
            return True
        if state.ended:
            return False if action in ("toggle_clock", "speed", "end", "release", "release_next") else None
        if action in ("toggle_clock", "end", "release", "release_next"):
            return state.started
        if power == PLAY and not state.started:
            return None
        return True

    # -- actions ----------------------------------------------------------

    def send(self, command: c.Command) -> None:
        self.app.send(command)  # type: ignore[attr-defined]

    def selected_inject(self) -> str | None:
        inject = self.query_one(InjectFeed).selected
        if inject is None:
            self.app.notify("Select an inject in the feed first (1 moves there).", severity="warning")
        return inject

    def action_start(self) -> None:
        self.send(c.Start())

    def action_toggle_clock(self) -> None:
        self.send(c.Resume() if self.drill.state.phase == "paused" else c.Pause())

    def action_speed(self, factor: float) -> None:
        self.app.send(lambda: c.SetSpeed(min(MAX_SPEED, max(MIN_SPEED, self.drill.state.clock.speed * factor))))  # type: ignore[attr-defined]

    def action_release(self) -> None:
        pending = self.query_one(PendingList)
        if self.focused is pending and pending.selected:
            self.send(c.Release(pending.selected))
            return
        state = self.drill.state
        options = [
            (i.id, f"{i.id}  {'[manual] ' if i.manual else ''}{i.title}")
            for i in sorted(state.scenario.injects, key=lambda i: (not i.manual, state.scenario.injects.index(i)))
            if not state.injects[i.id].released
        ]
        if not options:
            self.app.notify("Every inject has been released.", severity="warning")
            return

        def chosen(inject_id: str | None) -> None:
            if inject_id:
                self.send(c.Release(inject_id))

        ask(self.app, ChooseOne("Release which inject? (manual contingency injects first)", options), chosen)

    def action_release_next(self) -> None:
        from drilltui.engine.scheduler import next_scheduled_release

        nxt = next_scheduled_release(self.drill.state)
        if nxt is None:
            self.app.notify("Nothing is scheduled; r picks any inject, manual ones included.", severity="warning")
            return
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
        inject_id = self.selected_inject()
        if inject_id is None:
            return
        inject = self.drill.scenario.inject(inject_id)
        if inject.decision is None:
            self.app.notify(f"{inject_id} asks for no decision.", severity="warning")
            return

        def chosen(option: str | None) -> None:
            if option:
                self.send(c.Decide(inject_id, option))

        options = [(o.id, f"{o.id}: {o.label}") for o in inject.decision.options]
        ask(self.app, ChooseOne(f"{inject_id}: {inject.decision.prompt}", options), chosen)

    def action_status(self) -> None:
        state = self.drill.state
        me = self.drill.role
        controller = state.role_kind(me) == "controller"
        board = self.query_one(RoleBoard)
        role = (board.selected if controller and board.selected else None) or (me if me in state.roles else state.scenario.roles[0].id)
        roles = [(r.id, r.title) for r in state.scenario.roles if controller or r.id == me]

        def done(value: StatusInput | None) -> None:
            if value:
                self.send(c.SetStatus(value.role, value.status, value.task))

        rs = state.roles[role]
        ask(self.app, StatusDialog(roles, role, rs.status, rs.task), done)

    def action_note(self) -> None:
        inject = self.query_one(InjectFeed).selected
        role = self.query_one(RoleBoard).selected if self.focused is self.query_one(RoleBoard) else None
        about = f"on {inject}" if inject and not role else (f"on role {role}" if role else "")
        kind = "observation" if self.drill.state.role_kind(self.drill.role) == "evaluator" else "note"

        def done(value: NoteInput | None) -> None:
            if value:
                self.send(c.AddNote(value.text, value.kind, inject=None if role else inject, role=role))

        ask(self.app, NoteDialog(about, kind), done)

    def action_rate(self) -> None:
        objectives = [(o.id, o.text) for o in self.drill.scenario.objectives]
        if not objectives:
            self.app.notify("This scenario has no objectives to rate.", severity="warning")
            return
        inject = self.drill.scenario.inject(self.query_one(InjectFeed).selected or "")
        current = inject.objectives[0] if inject and inject.objectives else None

        def done(value: RatingInput | None) -> None:
            if value:
                self.send(c.Rate(value.objective, value.rating, value.comment))

        ask(self.app, RateDialog(objectives, current), done)

    def action_end(self) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                self.send(c.End("ended by the exercise director"))

        ask(self.app, Confirm("End the drill? Nothing more will be released; this cannot be undone. "
                              "The hotwash (h) follows.", "End drill"), done)

    def action_hotwash(self) -> None:
        from drilltui.ui.hotwash import HotwashScreen

        self.app.push_screen(HotwashScreen())

    def action_toggle_bell(self) -> None:
        self.app.toggle_bell()  # type: ignore[attr-defined]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_focus(self, pane: str) -> None:
        widget = self.query_one(f"#{pane}")
        if widget.display:
            widget.focus()
