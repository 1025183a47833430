"""Replay a past drill on the live dashboard's panes: play, seek, step, and watch a running one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input

from drilltui.engine import CONTROL, Event, Refused, parse_utc
from drilltui.engine.replay import Replay
from drilltui.engine.state import MAX_SPEED, MIN_SPEED, DrillState
from drilltui.scenario import Scenario, format_drill_time, parse_duration
from drilltui.ui.dashboard import Dashboard
from drilltui.ui.modals import Dialog
from drilltui.ui.panes.clock import ClockPane
from drilltui.ui.panes.detail import InjectDetail
from drilltui.ui.panes.eventlog import EventLogPane
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.panes.timeline import Timeline
from drilltui.ui.panes.tree import EscalationTree
from drilltui.ui.settings import Settings
from drilltui.ui.themes import load_themes

REPLAY_KEYS = [
    Binding("space", "play", "Play/pause", id="replay-play"),
    Binding("right_square_bracket", "speed(2)", "Faster", id="replay-faster"),
    Binding("left_square_bracket", "speed(0.5)", "Slower", id="replay-slower"),
    Binding("full_stop", "step(1)", "Step →", id="replay-step-forward"),
    Binding("comma", "step(-1)", "← Step", id="replay-step-back"),
    Binding("greater_than_sign", "notable(1)", "Next mark", id="replay-next-mark"),
    Binding("less_than_sign", "notable(-1)", "Prev mark", id="replay-prev-mark"),
    Binding("g", "goto", "Go to T+", id="replay-goto"),
    Binding("home", "edge(0)", "Start", id="replay-start", show=False),
    Binding("end", "edge(1)", "End", id="replay-end", show=False),
    Binding("question_mark", "help", "Keys", id="help"),
    Binding("1", "focus('feed')", "Feed", id="focus-feed", show=False),
    Binding("2", "focus('roles')", "Roles", id="focus-roles", show=False),
    Binding("3", "focus('tree')", "Tree", id="focus-tree", show=False),
]

REPLAY_HELP = {
    "play": "Play or pause the replay",
    "speed(2)": "Replay twice as fast, up to 64x",
    "speed(0.5)": "Replay half as fast, down to 0.25x",
    "step(1)": "Step one event forward",
    "step(-1)": "Step one event back",
    "notable(1)": "Jump to the next release, escalation, expiry or decision",
    "notable(-1)": "Jump to the previous release, escalation, expiry or decision",
    "goto": "Go to a typed drill time",
    "edge(0)": "Go to the start",
    "edge(1)": "Go to the end",
    "help": "Show this list of keys",
    "focus('feed')": "Move to the inject feed",
    "focus('roles')": "Move to the role board",
    "focus('tree')": "Move to the escalation tree",
}


class ReplayView:
    """What the dashboard panes read (state, role, time) for a replay; it never writes."""

    def __init__(self, scenario: Scenario, role: str) -> None:
        self.scenario = scenario
        self.role = role
        self.participant = "replay"
        self.state = DrillState.initial(scenario)
        self.time = 0.0
        self.wall_time = 0.0

    def now(self) -> float:
        return self.time

    def wall(self) -> float:
        return self.wall_time

    async def execute(self, command: object) -> list[Event]:
        raise Refused("a replay is read-only; nothing can be changed")


class GotoDialog(Dialog):
    """Type a drill time to go to."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder="Drill time: T+00:12:30, 12:30, 45m, 750", id="time")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(float(parse_duration(event.value.strip())))
        except ValueError as exc:
            self.notify(str(exc), severity="error")


class ReplayScreen(Dashboard):
    BINDINGS = REPLAY_KEYS

    def compose(self) -> ComposeResult:
        app: ReplayApp = self.app  # type: ignore[assignment]
        yield Header(show_clock=False, icon="◆")
        yield ClockPane(id="clock")
        yield Timeline(app.replay, id="timeline")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield InjectFeed(id="feed")
                yield InjectDetail(id="detail")
            with Vertical(id="right"):
                yield RoleBoard(id="roles")
                yield EscalationTree(id="tree")
                yield EventLogPane(app.replay, id="eventlog")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feed").focus()
        self.on_resize()

    def render_state(self, state: DrillState, now: float, wall: float) -> None:
        super().render_state(state, now, wall)
        app: ReplayApp = self.app  # type: ignore[assignment]
        self.query_one(Timeline).move(now)
        self.query_one(EventLogPane).show(app.count)
        clock = self.query_one(ClockPane)
        clock.border_title = f"Replay {'▶ playing' if app.playing else '⏸ stopped'} at {app.speed:g}x" + (" · watching live" if app.watching else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def action_help(self) -> None:
        from drilltui.ui.help import HelpScreen

        self.app.push_screen(HelpScreen(REPLAY_KEYS, REPLAY_HELP))

    def action_play(self) -> None:
        self.app.toggle_play()  # type: ignore[attr-defined]

    def action_speed(self, factor: float) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]
        app.speed = min(MAX_SPEED, max(MIN_SPEED, app.speed * factor))
        app.refresh_view()

    def action_step(self, delta: int) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]
        app.seek_count(app.count + delta)

    def action_notable(self, direction: int) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]
        target = app.replay.next_notable(app.count) if direction > 0 else app.replay.previous_notable(app.count)
        if target is None:
            self.app.notify("No more releases, escalations, expiries or decisions that way.", severity="warning")
        else:
            app.seek_count(target)

    def action_goto(self) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]

        def done(t: float | None) -> None:
            if t is not None:
                app.seek_time(t)

        self.app.push_screen(GotoDialog(), done)

    def action_edge(self, end: int) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]
        app.seek_count(len(app.replay) if end else 0)


class ReplayApp(App):
    """A read-only dashboard over a drill's stored events."""

    CSS_PATH = "app.tcss"

    def __init__(
        self,
        scenario: Scenario,
        events: list[Event],
        *,
        drill_id: str,
        at: float | None = None,
        speed: float = 1.0,
        settings: Settings | None = None,
        theme: str | None = None,
        tail: Callable[[int], AsyncIterator[Event]] | None = None,
        tick: float | None = 0.1,
    ) -> None:
        super().__init__()
        self.replay = Replay(scenario, events)
        role = scenario.controllers[0].id if scenario.controllers else CONTROL
        self.drill = ReplayView(scenario, role)
        self.read_only = True
        self.settings = settings or Settings()
        self._theme_name = theme or self.settings.theme
        self.speed = speed
        self.playing = False
        self.count = 0
        self.tail = tail
        self.watching = tail is not None
        self._tick = tick
        self.title = scenario.title
        self.sub_title = f"{drill_id} · replay, read-only"
        if at is not None:
            self.seek_time(at, render=False)
        else:
            self.seek_count(len(self.replay) if self.watching else 0, render=False)

    def on_mount(self) -> None:
        themes, _ = load_themes()
        for theme in themes:
            self.register_theme(theme)
        if self._theme_name and self._theme_name in self.available_themes:
            self.theme = self._theme_name
        self.push_screen(ReplayScreen())
        if self._tick:
            self.set_interval(self._tick, self._advance)
        if self.tail is not None:
            self.run_worker(self._follow(), group="watch", exit_on_error=False)
        self.call_after_refresh(self.refresh_view)

    async def _follow(self) -> None:
        assert self.tail is not None
        async for event in self.tail(len(self.replay)):
            at_end = self.count == len(self.replay)
            self.replay.extend([event])
            if at_end and not self.playing:
                self.seek_count(len(self.replay))
            else:
                self.refresh_view()

    def _advance(self) -> None:
        if not self.playing or self._tick is None:
            return
        end = self.replay.end_time
        target = self.drill.time + self._tick * self.speed
        if target >= end and self.count >= len(self.replay):
            if not self.watching:
                self.playing = False
            self.seek_time(end)
            return
        self.seek_time(min(target, end) if not self.watching else target)

    def toggle_play(self) -> None:
        if not self.playing and self.count >= len(self.replay) and not self.watching:
            self.seek_count(0, render=False)
        self.playing = not self.playing
        self.refresh_view()

    def seek_count(self, count: int, *, render: bool = True) -> None:
        self.count = max(0, min(count, len(self.replay)))
        self.drill.state = self.replay.state_after(self.count)
        last = self.replay.events[self.count - 1] if self.count else None
        self.drill.time = last.drill_time if last else 0.0
        self.drill.wall_time = parse_utc(last.wall_time) if last else 0.0
        if render:
            self.refresh_view()

    def seek_time(self, t: float, *, render: bool = True) -> None:
        t = max(0.0, t)
        self.count = self.replay.count_at(t)
        self.drill.state = self.replay.state_after(self.count)
        last = self.replay.events[self.count - 1] if self.count else None
        self.drill.time = t
        # Wall time moves on from the last event at the clock's speed then.
        self.drill.wall_time = parse_utc(last.wall_time) + (t - last.drill_time) / self.drill.state.clock.speed if last else 0.0
        if render:
            self.refresh_view()

    def refresh_view(self) -> None:
        screen = self.screen
        if isinstance(screen, ReplayScreen) and screen.is_mounted:
            screen.render_state(self.drill.state, self.drill.time, self.drill.wall_time)
