"""The drilltui Textual app: runs a Drill session and renders its state."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from drilltui.engine import Drill, Event, Refused
from drilltui.engine import events as ev
from drilltui.engine.commands import Command
from drilltui.engine.state import DrillState
from drilltui.ui.bindings import DASHBOARD, HELP
from drilltui.ui.dashboard import Dashboard
from drilltui.ui.settings import Settings, save_settings
from drilltui.ui.themes import load_themes

FLASH_SECONDS = 3.0


class DrillApp(App):
    """The console for one drill, as one participant in one role."""

    CSS_PATH = "app.tcss"
    TITLE = "drilltui"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        drill: Drill,
        *,
        drill_id: str = "",
        settings: Settings | None = None,
        theme: str | None = None,
        read_only: bool = False,
        run_scheduler: bool = True,
        clock_interval: float | None = 0.25,
        join: bool = True,
        hotwash: bool = False,
    ) -> None:
        super().__init__()
        self.drill = drill
        self.drill_id = drill_id
        self.settings = settings or Settings()
        self.read_only = read_only
        self.bell_on = self.settings.bell
        self._run_scheduler = run_scheduler and not read_only
        self._clock_interval = clock_interval
        self._join = join and not read_only
        self._open_hotwash = hotwash
        self._lock = asyncio.Lock()
        self._requested_theme = theme or self.settings.theme
        self.theme_problems: list[str] = []
        self.title = drill.scenario.title
        role = drill.scenario.role(drill.role)
        as_role = role.title if role else drill.role
        self.sub_title = f"{drill_id} · {drill.participant} as {as_role}" + (" · read-only" if read_only else "")

    # -- start and stop ---------------------------------------------------

    def on_mount(self) -> None:
        themes, self.theme_problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        if self._requested_theme and self._requested_theme in self.available_themes:
            self.theme = self._requested_theme
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        self.drill.listeners.append(self._on_events)
        if not self.is_headless:
            self._exit_on_hangup()
        self.push_screen(Dashboard())
        if self._open_hotwash:
            self.open_hotwash()
        self.run_worker(self.drill.follow(), name="follow", group="drill", exit_on_error=False)
        if self._run_scheduler:
            self.run_worker(self.drill.run_scheduler(), name="scheduler", group="drill", exit_on_error=False)
        if self._clock_interval:
            self._schedule_tick()
        if self._join:
            self.send(self._join_command())
        for problem in self.theme_problems:
            self.notify(problem, title="Theme skipped", severity="warning")
        self.call_after_refresh(self.refresh_view)

    def _exit_on_hangup(self) -> None:
        """A closed terminal or a stopped SSH session quits cleanly, so leaving is logged."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)

    def _join_command(self):  # type: ignore[no-untyped-def]
        from drilltui.engine.commands import Join

        return Join(self.drill.participant)

    async def on_unmount(self) -> None:
        if self._join:
            from drilltui.engine.commands import Leave

            try:
                await asyncio.wait_for(self.drill.execute(Leave(self.drill.participant)), 2.0)
            except Exception:  # noqa: BLE001 - leaving is best effort when the app closes
                pass

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.settings.theme:
            self.settings = self.settings.with_theme(theme)
            save_settings(self.settings)
        self.call_after_refresh(self.refresh_view)

    # -- state in ----------------------------------------------------------

    @property
    def dashboard(self) -> Dashboard | None:
        for screen in self.screen_stack:
            if isinstance(screen, Dashboard):
                return screen
        return None

    _last_full: int | None = None  # the wall second of the last full redraw

    def _schedule_tick(self) -> None:
        """Wake when the clock line next changes: the next wall second, or sooner for a drill second at speed.

        A paused drill wakes once a second, a drill at 1x twice; never more often
        than every `clock_interval` seconds, however fast the drill runs.
        """
        wall = self.drill.wall()
        delay = 1.0 - wall % 1.0
        state = self.drill.state
        if state.phase == "running" and state.clock.speed > 0:
            now = state.drill_time(wall)
            delay = min(delay, (1.0 - now % 1.0) / state.clock.speed)
        self.set_timer(max(self._clock_interval or 1.0, delay + 0.005), self._tick)

    def _tick(self) -> None:
        """The clock moves on every tick; ages and deadlines are redrawn once a wall second."""
        second = int(self.drill.wall())
        self.refresh_view(clock_only=second == self._last_full)
        self._schedule_tick()

    def refresh_view(self, clock_only: bool = False) -> None:
        screen = self.dashboard
        if screen is not None and screen.is_mounted:
            wall = self.drill.wall()
            if not clock_only:
                self._last_full = int(wall)
            screen.render_state(self.drill.state, self.drill.state.drill_time(wall), wall, clock_only=clock_only)

    def _on_events(self, state: DrillState, events: list[Event]) -> None:
        for event in events:
            self._notify_event(state, event)
        self.refresh_view()

    def _notify_event(self, state: DrillState, event: Event) -> None:
        b = event.body
        me = self.drill.role
        mine = False
        if isinstance(b, ev.InjectReleased):
            inject = state.scenario.inject(b.inject)
            mine = inject is not None and (me in inject.to or b.to_role == me)
            if mine:
                self.notify(f"{b.inject}: {inject.title}", title="New inject for you", timeout=8)
        elif isinstance(b, ev.InjectExpired):
            role = state.scenario.role(b.role)
            at_top = role is None or not role.reports_to  # otherwise an escalation notice follows
            mine = b.role == me or (state.role_kind(me) == "controller" and at_top)
            if mine:
                self.notify(f"{b.inject} was not acknowledged by {b.role} in time", title="Deadline passed", severity="warning", timeout=8)
        elif isinstance(b, ev.InjectEscalated):
            mine = me in (b.to_role, b.from_role) or state.role_kind(me) == "controller"
            self._flash(b.to_role)
            if mine:
                self.notify(f"{b.inject}: {b.from_role} → {b.to_role}", title="Escalated", severity="warning", timeout=8)
        elif isinstance(b, ev.DrillEnded):
            self.notify("The drill has ended. Time for the hotwash.", title="Drill ended", timeout=8)
            from drilltui.engine.permissions import HOTWASH, may

            if may(state, me, HOTWASH) and not self.read_only:
                self.call_later(self.open_hotwash)
        if mine and self.bell_on and event.participant != self.drill.participant:
            self.bell()

    def open_hotwash(self) -> None:
        from drilltui.ui.hotwash import HotwashScreen

        if not isinstance(self.screen, HotwashScreen):
            self.push_screen(HotwashScreen())

    def _flash(self, role: str) -> None:
        screen = self.dashboard
        if screen is None or not screen.is_mounted:
            return
        from drilltui.ui.panes.tree import EscalationTree

        tree = screen.query_one(EscalationTree)
        tree.flashing.add(role)

        def done() -> None:
            tree.flashing.discard(role)
            self.refresh_view()

        self.set_timer(FLASH_SECONDS, done)

    # -- commands out -------------------------------------------------------

    def send(self, command: Command | Callable[[], Command]) -> None:
        """Carry out a command through the engine; a refusal is shown, never written.

        A callable is called when the command's turn comes, so keys pressed in
        quick succession build on each other (two `]` double the speed twice).
        """
        self.run_worker(self._execute(command), group="commands", exit_on_error=False)

    async def _execute(self, command: Command | Callable[[], Command]) -> None:
        async with self._lock:  # one command at a time, in the order keys were pressed
            try:
                await self.drill.execute(command() if callable(command) else command)
            except Refused as exc:
                self.notify(str(exc), title="Refused", severity="error", timeout=6)
            except Exception as exc:  # noqa: BLE001 - a failed write must be visible, and must not kill the console
                self.notify(f"{exc}", title="Not saved", severity="error", timeout=10)

    def toggle_bell(self) -> None:
        self.bell_on = not self.bell_on
        self.settings = Settings(self.settings.theme, self.bell_on, self.settings.keys, self.settings.path)
        save_settings(self.settings)
        self.notify(f"Bell {'on' if self.bell_on else 'off'}")

    # -- command palette ------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, Dashboard):
            return
        for binding in DASHBOARD:
            action = binding.action
            name = action.split("(")[0]
            if screen.check_action(name, ()) is None:
                continue
            title = f"{binding.description} ({self.get_key_display(binding)})"
            yield SystemCommand(title, HELP.get(action, binding.description),
                                lambda a=action: self.call_later(screen.run_action, a))
