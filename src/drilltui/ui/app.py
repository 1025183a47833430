"""The drilltui Textual app: one app whose screens show a home, a live drill or a replay.

Screens post `CommandRequested`; the app's command worker carries each out
through the engine, in order; the session's new state comes back as one
`StateChanged` that the app hands to every screen. Nothing here knows SQL:
what opens a drill is given to the app (`Opener`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from drilltui.engine import Drill, DrillState, Event, Refused
from drilltui.engine import commands as c
from drilltui.engine import events as ev
from drilltui.engine.permissions import HOTWASH, may
from drilltui.scenario import format_duration
from drilltui.ui.bindings import key_display
from drilltui.ui.messages import Chosen, CommandOrMaker, CommandRequested, LeaveDrill, Moment, StateChanged, ToggleBell
from drilltui.ui.notices import Notice, Notices, notices_for
from drilltui.ui.settings import Settings, save_settings
from drilltui.ui.themes import set_up_looks
from drilltui.ui.view import DrillView, LiveView


@dataclass
class Live:
    """A drill this console takes part in: the engine's session, and how to close what was opened for it."""

    drill: Drill
    drill_id: str
    read_only: bool = False
    run_scheduler: bool = True
    join: bool = True
    hotwash: bool = False
    close: Callable[[], Awaitable[None]] | None = None


class Opener(Protocol):
    """Opens what the home screen or the drill picker chose (the command layer knows the store)."""

    async def open(self, action: str, target: str) -> object:
        """A `Live` or a `ReplaySource` for ("start", scenario path), ("resume" | "replay", drill id)."""
        ...

    async def refresh(self, screen: Screen) -> None:
        """Bring the home screen's or the picker's lists up to date after a drill was left."""
        ...


class DrilltuiApp(App[int]):
    """The console: a live drill as one participant in one role, a replay, or the home screen first."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so an app built on this one finds it too
    TITLE = "drilltui"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        first: object,
        *,
        settings: Settings | None = None,
        theme: str | None = None,
        opener: Opener | None = None,
        clock_interval: float | None = 0.25,
        on_first_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.first = first  # a Screen, a Live or a ReplaySource
        self.settings = settings or Settings()
        self.opener = opener
        self.bell_on = self.settings.bell
        self.view: DrillView | None = None
        self.live: Live | None = None
        self.origin: Screen | None = None  # the screen a drill or replay was opened from, to return to
        self._clock_interval = clock_interval
        self._lock = asyncio.Lock()
        self._requested_theme = theme or self.settings.theme
        self._last_full: int | None = None  # the wall second of the last full redraw
        self._end_told = False  # controllers were told the planned end has passed
        self._started = False  # on_mount has set the theme asked for
        self._full_at: float | None = None  # the drill time it showed: while that stands still, only the clock moves
        self._close_replay: Callable[[], Awaitable[None]] | None = None  # what closes the replay on screen
        self._on_first_frame = on_first_frame  # called once the first screen opened has been drawn
        self.theme_problems: list[str] = []
        self._owed: dict[Screen, list[Event]] = {}  # screens covered by another: the events they have not drawn yet
        self._latest: StateChanged | None = None  # the state last handed to the screens
        self._waiting: StateChanged | None = None  # posted by broadcast, not handled yet
        # Late-bound, so the bell and the notices can be swapped (a test's stand-in bell).
        self.notices = Notices(lambda *a: self._show_notice(*a), lambda: self.bell(), lambda: self.clear_notifications(),
                               self._wall, limit=3)

    # -- start and stop ---------------------------------------------------

    async def on_mount(self) -> None:
        self.theme_problems = set_up_looks(self, self._requested_theme, self.settings.keys)
        if not self.is_headless:
            self._exit_on_hangup()
        for problem in self.theme_problems:
            self.notify(problem, title="Theme skipped", severity="warning")
        self.set_interval(1.0, self._flush_notices)
        self.screen_change_signal.subscribe(self, self._pay_owed)
        self._started = True
        await self.open(self.first)
        if self._on_first_frame is not None:
            self.call_after_refresh(self._on_first_frame)

    def _exit_on_hangup(self) -> None:
        """A closed terminal or a stopped SSH session quits cleanly, so leaving is logged."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)

    async def open(self, target: object) -> None:
        """Show a screen, join a live drill, or start a replay."""
        if isinstance(target, Screen):
            await self.push_screen(target)
            return
        if isinstance(target, Live):
            await self._join_live(target)
            return
        from drilltui.ui.replay import ReplayScreen, ReplaySource  # here: a live drill's start needs no replay

        if isinstance(target, ReplaySource):
            self._close_replay = target.close
            await self.push_screen(ReplayScreen(target, self.settings.keys))
        else:  # pragma: no cover - the command layer passes one of the three
            raise TypeError(f"cannot open {target!r}")

    async def _join_live(self, live: Live) -> None:
        from drilltui.ui.dashboard import Dashboard

        self.live = live
        view = LiveView(live.drill, live.drill_id, live.read_only)
        self.view = view
        role = live.drill.scenario.role(live.drill.role)
        as_role = role.title if role else live.drill.role
        mark = live.drill.state.rehearsal  # a rehearsal resumed or watched says so, as its replay does
        title = live.drill.scenario.title
        self.title = f"Rehearsal ({mark.policy}): {title}" if mark is not None else title
        self.sub_title = f"{live.drill_id} · {live.drill.participant} as {as_role}" + (" · read-only" if live.read_only else "")
        live.drill.listeners.append(self._on_events)
        joined = False
        if live.join and not live.read_only:
            # Joined before anything shows: a console that vanishes at its first frame still logs both ends.
            try:
                joined = bool(await live.drill.execute(c.Join(live.drill.participant)))
            except Refused as exc:
                self.notify(str(exc), title="Not joined", severity="error", timeout=10)
        await self.push_screen(Dashboard(view, self.settings.keys))
        if live.hotwash:
            from drilltui.ui.hotwash import HotwashScreen

            await self.push_screen(HotwashScreen(view))
        self.run_worker(live.drill.follow(), name="follow", group="drill", exit_on_error=False)
        if live.run_scheduler and not live.read_only:
            self.run_worker(live.drill.run_scheduler(), name="scheduler", group="drill", exit_on_error=False)
        if self._clock_interval:
            self._schedule_tick()
        if not joined:  # the join's events were told to every screen already (_on_events): they reach the dashboard
            self.broadcast()

    async def _leave_live(self) -> None:
        """Leave the drill on screen: log the leave, stop following it, close what was opened for it."""
        live, self.live, self.view = self.live, None, None
        self._waiting = None  # what another drill shows next is told apart from what this one showed
        closing, self._close_replay = self._close_replay, None
        if closing is not None:
            await closing()
        if live is None:
            return
        self.workers.cancel_group(self, "drill")
        if live.join and not live.read_only:
            with contextlib.suppress(Exception):  # leaving is best effort as the console closes
                await asyncio.wait_for(live.drill.execute(c.Leave(live.drill.participant)), 2.0)
        if self._on_events in live.drill.listeners:
            live.drill.listeners.remove(self._on_events)
        if live.close is not None:
            await live.close()

    async def on_unmount(self) -> None:
        await self._leave_live()

    @on(LeaveDrill)
    async def leave(self) -> None:
        """ctrl+q: back to the screen the drill or replay was opened from, or quit."""
        if self.origin is None:
            self.exit()
            return
        await self._leave_live()
        while len(self.screen_stack) > 1 and self.screen is not self.origin:
            await self.pop_screen()
        self.title, self.sub_title = "drilltui", ""
        if self.opener is not None:
            await self.opener.refresh(self.origin)
        self.origin = None

    async def action_quit(self) -> None:
        self.post_message(LeaveDrill())

    @on(Chosen)
    def _chosen(self, message: Chosen) -> None:
        message.stop()
        self.choose(message.action, message.target)

    @work(group="open", exclusive=True, exit_on_error=False)
    async def choose(self, action: str, target: str) -> None:
        """Open what a home or picker screen chose, and come back to that screen afterwards."""
        if self.opener is None:
            return
        try:
            opened = await self.opener.open(action, target)
        except Exception as exc:  # noqa: BLE001 - the opener words it in one line; the console stays
            self.notify(str(exc), title="Cannot open", severity="error", timeout=10)
            return
        self.origin = self.screen
        await self.open(opened)

    def watch_theme(self, theme: str) -> None:
        if self._started and theme != self.settings.theme:  # a choice made here, not the one set at start
            self.settings = self.settings.with_theme(theme)
            save_settings(self.settings)
        self.broadcast()

    # -- state out to every screen ------------------------------------------------

    def _wall(self) -> float:
        return self.view.wall() if self.view is not None else 0.0

    def broadcast(self, events: tuple[Event, ...] = (), *, clock_only: bool = False) -> None:
        """Tell every screen the state of the drill on screen now."""
        view = self.view
        if view is None:
            return
        wall, now = view.wall(), view.now()
        if not clock_only:
            self._last_full, self._full_at = int(wall), now
        if self._waiting is not None:
            # The last one is not handled yet (a burst of commits, a busy machine): it takes this state too, so every
            # screen draws once for the burst instead of once for each event in it, and falls no further behind.
            self._waiting.merge(view.state, events, Moment(now, wall), clock_only=clock_only)
            return
        message = StateChanged(view.state, events, Moment(now, wall), clock_only=clock_only)
        if self.post_message(message):
            self._waiting = message

    def on_state_changed(self, message: StateChanged) -> None:
        if message is self._waiting:
            self._waiting = None
        view = self.view
        if self.live is not None and view is not None and message.events:
            self.notices.add(notices_for(message.state, message.events, view.role, view.participant))
            if any(isinstance(e.body, ev.DrillEnded) for e in message.events) and not self.live.read_only \
                    and may(message.state, view.role, HOTWASH):
                self.call_later(self._open_hotwash)
        self._latest = message
        shown = self._in_view()
        for screen in self.screen_stack:
            # Only to screens that draw the drill and are in view. A message to any other (Textual's default screen,
            # or the dashboard under the messages screen) leaves it due a repaint that, for the screen just below
            # the top, Textual turns into a repaint of the whole terminal. A covered screen draws when it shows again.
            if not hasattr(screen, "on_state_changed"):
                continue
            if screen in shown:
                screen.post_message(message.copy())
            else:
                self._owed.setdefault(screen, []).extend(message.events)

    def _in_view(self) -> list[Screen]:
        """The screens on view: the top one, and under each dialog the screen it leaves in sight."""
        stack = self.screen_stack
        shown = stack[-1:]
        for screen in reversed(stack[:-1]):
            if not isinstance(shown[-1], ModalScreen):
                break
            shown.append(screen)
        return shown

    def _pay_owed(self, _screen: Screen) -> None:
        """The screens that came into view are told the state now, with the events they missed while covered."""
        latest = self._latest
        if not self._owed or latest is None:
            return
        stack, shown = self.screen_stack, self._in_view()
        owed, self._owed = self._owed, {}
        moment = latest.moment
        if self.live is not None and self.view is not None:  # a live clock has moved on since; a replay's has not
            moment = Moment(self.view.now(), self.view.wall())
        for screen, events in owed.items():
            if screen not in stack:
                continue  # closed while covered
            if screen in shown:
                screen.post_message(StateChanged(latest.state, events, moment))
            else:
                self._owed[screen] = events

    def _on_events(self, state: DrillState, events: list[Event]) -> None:
        self.broadcast(tuple(events))

    def _schedule_tick(self) -> None:
        """Wake when the clock line next changes: the next wall second, or sooner for a drill second at speed.

        A paused drill wakes once a second, a drill at 1x twice; never more often
        than every `clock_interval` seconds, however fast the drill runs.
        """
        if self.live is None:
            return
        wall = self.live.drill.wall()
        delay = 1.0 - wall % 1.0
        state = self.live.drill.state
        if state.phase == "running" and state.clock.speed > 0:
            now = state.drill_time(wall)
            delay = min(delay, (1.0 - now % 1.0) / state.clock.speed)
        self.set_timer(max(self._clock_interval or 1.0, delay + 0.005), self._tick)

    def _tick(self) -> None:
        """The clock moves on every tick; ages and deadlines are redrawn once a wall second while drill time moves.

        Only the clock line shows wall time: a paused drill's panes stay as they are.
        """
        if self.live is None:
            return
        self._planned_end()
        drill = self.live.drill
        still = self._full_at is not None and drill.now() == self._full_at
        self.broadcast(clock_only=still or int(drill.wall()) == self._last_full)
        self._schedule_tick()

    def _planned_end(self) -> None:
        """Tell the controllers, once, that the drill has run its planned length (the clock says so too)."""
        drill = self.live.drill if self.live is not None else None
        if drill is None or self._end_told or drill.state.phase != "running":
            return
        if drill.state.role_kind(drill.role) == "controller" and drill.now() >= drill.scenario.duration:
            self._end_told = True
            self.notices.add([Notice("end", f"The planned {format_duration(drill.scenario.duration)} have passed; "
                                            "end the drill (ctrl+e) when play is done.")])

    def _open_hotwash(self) -> None:
        from drilltui.ui.hotwash import HotwashScreen

        if self.view is not None and not isinstance(self.screen, HotwashScreen):
            self.push_screen(HotwashScreen(self.view))

    # -- notices ------------------------------------------------------------------

    def _show_notice(self, title: str, message: str, severity: str, timeout: float) -> None:
        self.notify(message, title=title, severity=severity, timeout=timeout)  # type: ignore[arg-type]

    def _flush_notices(self) -> None:
        self.notices.limit = 1 if self.size.height < 30 else 3
        self.notices.flush(bell_on=self.bell_on)

    # -- commands in ---------------------------------------------------------------

    @on(CommandRequested)
    def _command_requested(self, message: CommandRequested) -> None:
        message.stop()
        self.run_command(message.command)

    @work(group="commands", exclusive=False, exit_on_error=False)
    async def run_command(self, command: CommandOrMaker) -> None:
        """Carry out a command through the engine, in the order asked; a refusal is shown, never written.

        A maker is called when the command's turn comes, so keys pressed in
        quick succession build on each other (two `]` double the speed twice).
        """
        async with self._lock:
            live = self.live
            if live is None or live.read_only:
                self.notify("This is a read-only view; nothing can be changed here.", title="Refused",
                            severity="error", timeout=6)
                return
            try:
                await live.drill.execute(command(live.drill.state) if callable(command) else command)
            except Refused as exc:
                self.notify(str(exc), title="Refused", severity="error", timeout=6)
            except Exception as exc:  # noqa: BLE001 - a failed write must be visible, and must not kill the console
                self.notify(f"{exc}", title="Not saved", severity="error", timeout=10)

    @on(ToggleBell)
    def toggle_bell(self) -> None:
        self.bell_on = not self.bell_on
        self.settings = Settings(self.settings.theme, self.bell_on, self.settings.keys, self.settings.path)
        save_settings(self.settings)
        self.notify(f"Bell {'on' if self.bell_on else 'off'}")

    # -- command palette ------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Theme":  # said as the README says it
                yield SystemCommand("Change theme", "Choose the colour theme (remembered)", self.action_change_theme)
            else:
                yield command
        bindings = getattr(screen, "PALETTE", None)
        if not isinstance(bindings, list):
            return
        for binding in bindings:
            name = binding.action.split("(")[0]
            if screen.check_action(name, ()) is not True:
                continue  # only what this role can do now
            title = f"{binding.description} ({self.key_display(binding)})"
            yield SystemCommand(title, binding.tooltip or binding.description,
                                lambda a=binding.action: self.call_later(screen.run_action, a))


    def key_display(self, binding: Binding) -> str:
        """The key in force for a binding, as remapped in config.yaml, the way the footer writes it."""
        return key_display(self, binding, self.settings.keys)
