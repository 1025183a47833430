"""Replay a past drill on the live dashboard's panes: play, seek, step, and watch a running one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label

from drilltui.engine import CONTROL, Event, Refused, apply, parse_utc
from drilltui.engine.commands import Command
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
from drilltui.ui.picker import DrillPicker, PickerRow
from drilltui.ui.settings import Settings
from drilltui.ui.themes import load_themes

# A screen's own keys (tab, shift+tab), kept though the dashboard's are not.
SCREEN_KEYS = [b for b in Screen.BINDINGS if isinstance(b, Binding)]

REPLAY_KEYS = [
    # Priority: the feed, roles and tree use space, home and end themselves.
    Binding("space", "play", "Play/pause", id="replay-play", priority=True),
    Binding("right_square_bracket", "speed(2)", "Faster", id="replay-faster"),
    Binding("left_square_bracket", "speed(0.5)", "Slower", id="replay-slower"),
    Binding("full_stop", "step(1)", "Step →", id="replay-step-forward"),
    Binding("comma", "step(-1)", "← Step", id="replay-step-back"),
    Binding("greater_than_sign", "notable(1)", "Next mark", id="replay-next-mark"),
    Binding("less_than_sign", "notable(-1)", "Prev mark", id="replay-prev-mark"),
    Binding("g", "goto", "Go to T+", id="replay-goto"),
    Binding("home", "edge(0)", "Start", id="replay-start", show=False, priority=True),
    Binding("end", "edge(1)", "End", id="replay-end", show=False, priority=True),
    Binding("question_mark", "help", "Keys", id="help"),
    Binding("1", "focus('feed')", "Feed", id="focus-feed", show=False),
    Binding("2", "focus('roles')", "Roles", id="focus-roles", show=False),
    Binding("3", "focus('tree')", "Tree", id="focus-tree", show=False),
]

REPLAY_HELP = {
    "play": "Play or pause the replay (at the end, play starts again from the beginning)",
    "speed(2)": "Replay twice as fast, up to 64x",
    "speed(0.5)": "Replay half as fast, down to 0.25x",
    "step(1)": "Step one event forward",
    "step(-1)": "Step one event back",
    "notable(1)": "Jump to the next release, escalation, expiry or decision",
    "notable(-1)": "Jump to the previous release, escalation, expiry or decision",
    "goto": "Go to a typed drill time (T+00:12:30, 12:30, 45m)",
    "edge(0)": "Go to the start, before the first event",
    "edge(1)": "Go to the end (of a running drill: follow it live)",
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

    async def execute(self, command: object, **_: object) -> list[Event]:
        raise Refused("a replay is read-only; nothing can be changed")


class GotoDialog(Dialog):
    """Type a drill time to go to."""

    def __init__(self, end: float) -> None:
        super().__init__()
        self.end = end

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Go to drill time (the replay runs to {format_drill_time(self.end)})", classes="title")
            yield Input(placeholder="T+00:12:30, 12:30, 45m or 750 (seconds)", id="time")
            yield Label("Enter goes there, Esc cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(float(parse_duration(event.value.strip())))
        except ValueError as exc:
            self.notify(str(exc), severity="error")


class ReplayClock(ClockPane):
    """The drill clock as it stood at the replay's cursor."""

    HINT = "  · start with s"

    def show(self, state: DrillState, now: float, wall: float, colors: dict[str, str]) -> None:
        super().show(state, now, wall, colors)
        # The live clock tells a controller how to start; nobody can start a replay.
        line = self.content
        if isinstance(line, Text) and line.plain.endswith(self.HINT):
            line = line.copy()
            line.right_crop(len(self.HINT))
            self.update(line)


class ReplayScreen(Dashboard, inherit_bindings=False):
    """The live dashboard's panes with transport keys instead of the drill's: nothing here can act."""

    # Not inherited: every dashboard key acts on the drill, and a replay has none of them.
    BINDINGS = [*SCREEN_KEYS, *REPLAY_KEYS]
    DEFAULT_CSS = """
    ReplayScreen #eventlog { height: 10; }
    ReplayScreen.short #eventlog { height: 6; }
    """

    def compose(self) -> ComposeResult:
        app: ReplayApp = self.app  # type: ignore[assignment]
        yield Header(show_clock=False, icon="◆")
        yield ReplayClock(id="clock")
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

    def render_state(self, state: DrillState, now: float, wall: float, *, clock_only: bool = False) -> None:
        super().render_state(state, now, wall)
        app: ReplayApp = self.app  # type: ignore[assignment]
        mode = "▶ playing" if app.playing else ("● live" if app.following else "⏸ paused")
        # Said twice: on a short terminal the clock loses its border, the timeline keeps it.
        self.query_one(Timeline).move(now, f"{mode} {app.speed:g}x")
        self.query_one(EventLogPane).show(app.count)
        clock = self.query_one(ClockPane)
        watching = ""
        if app.watching:
            watching = " · watching a running drill" if app.run_live else " · not ended, but nobody is running it now"
        clock.border_title = f"Replay {mode} at {app.speed:g}x{watching}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def on_timeline_seek(self, message: Timeline.Seek) -> None:
        self.app.seek_time(message.drill_time)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from drilltui.ui.help import HelpScreen

        self.app.push_screen(HelpScreen(REPLAY_KEYS, REPLAY_HELP))

    def action_play(self) -> None:
        self.app.toggle_play()  # type: ignore[attr-defined]

    def action_speed(self, factor: float) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]
        app.set_speed(app.speed * factor)

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
                if t > app.latest_time():
                    self.app.notify(f"The drill goes only to {format_drill_time(app.latest_time())}.", severity="warning")
                app.seek_time(t)

        self.app.push_screen(GotoDialog(app.latest_time()), done)

    def action_edge(self, end: int) -> None:
        app: ReplayApp = self.app  # type: ignore[assignment]
        if end:
            app.seek_end()
        else:
            app.seek_count(0)


class ReplayApp(App):
    """A read-only dashboard over a drill's stored events.

    `tail` follows a drill not ended yet: it yields the events appended after a
    given seq, as they come. `running` says whether anyone runs that drill now
    (holds its scheduler lease): only then does the live clock move on between
    events; a drill left running by a crash or a headless run would otherwise
    show a clock racing on for hours. `tick` is how often (seconds) playing moves
    the cursor; None stops the timer, for tests that call `_advance(elapsed)` by
    hand. `wall` is the wall clock the live drill time is read from.
    """

    CSS_PATH = "app.tcss"
    RUNNING_EVERY = 2.0  # seconds between asking whether anyone runs a watched drill

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
        running: Callable[[], Awaitable[bool]] | None = None,
        tick: float | None = 0.1,
        wall: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.replay = Replay(scenario, events)
        role = scenario.controllers[0].id if scenario.controllers else CONTROL
        self.drill = ReplayView(scenario, role)
        self.drill_id = drill_id
        self.read_only = True
        self.settings = settings or Settings()
        self._theme_name = theme or self.settings.theme
        self.speed = min(MAX_SPEED, max(MIN_SPEED, speed))
        self.playing = False
        self.count = 0
        self.tail = tail
        self.watching = tail is not None and not self.replay.final.ended
        self.running = running
        self.run_live = False  # someone runs the watched drill: its clock moves between events
        self._tick = tick
        self._ticked: float | None = None  # monotonic time of the last tick
        self._wall = wall
        self.title = scenario.title
        self.sub_title = f"{drill_id} · replay, read-only"
        if at is not None:
            self.seek_time(at, render=False)
        else:
            # A running drill opens where it is now; a finished one at its start.
            self.seek_count(len(self.replay) if self.watching else 0, render=False)

    @property
    def following(self) -> bool:
        """Watching a running drill at its live edge: new events show as they come."""
        return self.watching and not self.playing and self.count == len(self.replay)

    def on_mount(self) -> None:
        themes, _ = load_themes()
        for theme in themes:
            self.register_theme(theme)
        if self._theme_name and self._theme_name in self.available_themes:
            self.theme = self._theme_name
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        self.push_screen(ReplayScreen())
        if self._tick:
            self.set_interval(self._tick, self._advance)
        if self.tail is not None and self.watching:
            self.run_worker(self._follow(), group="watch", exit_on_error=False)
            if self.running is not None:
                self.run_worker(self._check_running(), group="watch", exit_on_error=False)
        self.call_after_refresh(self.refresh_view)

    # -- the events of a drill still running --------------------------------

    async def _follow(self) -> None:
        assert self.tail is not None
        async for event in self.tail(self.replay.final.seq):
            self.add_events([event])

    async def _check_running(self) -> None:
        assert self.running is not None
        while self.watching:
            live = await self.running()
            if live != self.run_live:
                self.run_live = live
                if not live and self.following:
                    self.seek_count(len(self.replay), render=False)  # back from the extrapolated clock
                self.refresh_view()
            await asyncio.sleep(self.RUNNING_EVERY)

    def add_events(self, new: list[Event]) -> None:
        """Events appended to a watched drill since; at the live edge the screen moves with them."""
        following = self.following
        self.replay.extend(new)
        if self.replay.final.ended:
            self.watching = False
        if following:
            self.seek_count(len(self.replay))
        else:
            self.refresh_view()

    def latest_time(self) -> float:
        """The latest drill time there is to see: the last event's, or a running drill's now."""
        end = self.replay.end_time
        if self.watching and self.run_live:
            end = max(end, self.replay.final.drill_time(self._wall()))
        return end

    # -- the transport ----------------------------------------------------------

    def _advance(self, elapsed: float | None = None) -> None:
        """One tick: playing moves on by the time since the last tick x speed; following keeps a live clock moving.

        The time is measured, not assumed, so a busy machine replays at the
        right speed in fewer, larger steps.
        """
        mono = time.monotonic()
        if elapsed is None:
            elapsed = min(1.0, mono - self._ticked) if self._ticked is not None else (self._tick or 0.0)
        self._ticked = mono
        before = (self.count, int(self.drill.time))
        if self.following:
            self.seek_time(self.latest_time(), render=False)
        elif self.playing:
            latest = self.latest_time()
            target = self.drill.time + elapsed * self.speed
            if target >= latest:
                # The end of a finished drill, or the live edge of a running one.
                self.playing = False
                self.seek_time(latest)
                return
            self.seek_time(target, render=False)
        # Redraw only when something visible moved: an event, or the clock's second.
        if (self.count, int(self.drill.time)) != before:
            self.refresh_view()

    def toggle_play(self) -> None:
        if not self.playing and self.count >= len(self.replay) and not self.watching:
            self.seek_count(0, render=False)  # at the end, play starts again
        self.playing = not self.playing
        self.refresh_view()

    def set_speed(self, speed: float) -> None:
        self.speed = min(MAX_SPEED, max(MIN_SPEED, speed))
        self.refresh_view()

    def _state_for(self, count: int) -> DrillState:
        """The state after `count` events; a short way forward folds on from the current state."""
        if self.count <= count <= self.count + self.replay.every and self.drill.state.seq == self.count:
            state = self.drill.state
            for event in self.replay.events[self.count: count]:
                state = apply(state, event)
            return state
        return self.replay.state_after(count)

    def seek_count(self, count: int, *, render: bool = True) -> None:
        """Go to just after the `count`th event (0: before the first)."""
        count = max(0, min(count, len(self.replay)))
        self.drill.state = self._state_for(count)
        self.count = count
        events = self.replay.events
        last = events[count - 1] if count else None
        self.drill.time = last.drill_time if last else 0.0
        if last is not None:
            self.drill.wall_time = parse_utc(last.wall_time)
        else:
            self.drill.wall_time = parse_utc(events[0].wall_time) if events else 0.0
        if render:
            self.refresh_view()

    def seek_time(self, t: float, *, render: bool = True) -> None:
        """Go to drill time `t`: every event up to and including `t` has happened."""
        t = max(0.0, min(t, self.latest_time()))
        count = self.replay.count_at(t)
        self.drill.state = self._state_for(count)
        self.count = count
        last = self.replay.events[count - 1] if count else None
        self.drill.time = t
        if last is None:
            self.drill.wall_time = parse_utc(self.replay.events[0].wall_time) if self.replay.events else 0.0
        else:
            # Wall time moves on from the last event at the clock's speed then (not at all when paused).
            clock = self.drill.state.clock
            moving = (t - last.drill_time) / clock.speed if clock.running and clock.speed else 0.0
            self.drill.wall_time = parse_utc(last.wall_time) + moving
        if render:
            self.refresh_view()

    def seek_end(self) -> None:
        """The last event; of a running drill, its live edge (then new events follow)."""
        self.playing = False
        if self.watching:
            self.seek_time(self.latest_time())
        else:
            self.seek_count(len(self.replay))

    def refresh_view(self) -> None:
        screen = self.screen
        if isinstance(screen, ReplayScreen) and screen.is_mounted:
            screen.render_state(self.drill.state, self.drill.time, self.drill.wall_time)

    # -- nothing can be changed -------------------------------------------------

    def send(self, command: Command | Callable[[], Command]) -> None:
        """What a dashboard action would do: the read-only view refuses, and the refusal is shown."""

        async def attempt() -> None:
            try:
                await self.drill.execute(command() if callable(command) else command)
            except Refused as exc:
                self.notify(str(exc), title="Refused", severity="error", timeout=6)

        self.run_worker(attempt(), group="commands", exit_on_error=False)

    def toggle_bell(self) -> None:
        """The bell is for live drills; a replay never rings."""


# -- the picker of past drills ----------------------------------------------------


@dataclass(frozen=True)
class ReplayRow(PickerRow):
    """A picker row with how many people took part (None until counted)."""

    participants: int | None = None


class ReplayPicker(DrillPicker):
    """The drill picker with a participants column, counted in the background so the list shows at once."""

    # The scenario comes last: a drill's id starts with it, so on a narrow terminal it is the one to lose.
    COLUMNS = (("id", "Drill"), ("started", "Started"), ("length", "Length"), ("participants", "Participants"),
               ("events", "Events"), ("state", "State"), ("scenario", "Scenario"))

    def __init__(self, rows: list[PickerRow], count: Callable[[str], Awaitable[int]] | None = None) -> None:
        super().__init__(rows)
        self.count = count

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of DrillPicker's, which has no participants column
        table = self.query_one(DataTable)
        table.border_title = "Which drill? Enter replays it"
        for key, label in self.COLUMNS:
            table.add_column(label, key=key)
        for r in self.rows:
            n = r.participants if isinstance(r, ReplayRow) else None
            cells = {"id": r.id, "scenario": r.scenario, "started": r.started, "length": r.length,
                     "participants": "…" if n is None else str(n), "events": str(r.events), "state": r.state}
            table.add_row(*(cells[key] for key, _ in self.COLUMNS), key=r.id)
        table.focus()
        if self.count is not None:
            self.run_worker(self._count_all(), group="count", exit_on_error=False)

    async def _count_all(self) -> None:
        assert self.count is not None
        table = self.query_one(DataTable)
        for r in self.rows:
            if isinstance(r, ReplayRow) and r.participants is not None:
                continue
            table.update_cell(r.id, "participants", str(await self.count(r.id)))
