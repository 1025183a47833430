"""Replay a past drill on the live dashboard's panes: play, seek, step, and watch a running one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from drilltui.engine import CONTROL, DrillState, Event, fold, parse_utc
from drilltui.engine.replay import Replay
from drilltui.engine.state import MAX_SPEED, MIN_SPEED
from drilltui.scenario import Scenario, format_drill_time, parse_duration
from drilltui.ui.bindings import VIEWING, key_in_force
from drilltui.ui.dashboard import Dashboard
from drilltui.ui.help import HelpRow, HelpScreen
from drilltui.ui.messages import LeaveDrill, Moment, StateChanged
from drilltui.ui.modals import Dialog
from drilltui.ui.panes.clock import ClockPane
from drilltui.ui.panes.detail import InjectDetail
from drilltui.ui.panes.eventlog import EventLogPane
from drilltui.ui.panes.feed import InjectFeed
from drilltui.ui.panes.roles import RoleBoard
from drilltui.ui.panes.timeline import Timeline
from drilltui.ui.panes.tree import EscalationTree
from drilltui.visible import visible

# A screen's own keys (tab, shift+tab), kept though the dashboard's are not.
SCREEN_KEYS = [b for b in Screen.BINDINGS if isinstance(b, Binding)]

REPLAY_KEYS = [
    # Priority: the feed, roles and tree use space, home and end themselves.
    Binding("space", "play", "Play/pause", id="replay-play", priority=True,
            tooltip="Play or pause the replay (at the end, play starts again from the beginning)"),
    Binding("right_square_bracket", "speed(2)", "Faster", id="replay-faster", tooltip="Replay twice as fast, up to 64x"),
    Binding("left_square_bracket", "speed(0.5)", "Slower", id="replay-slower", tooltip="Replay half as fast, down to 0.25x"),
    Binding("full_stop", "step(1)", "Step →", id="replay-step-forward", tooltip="Step one event forward"),
    Binding("comma", "step(-1)", "← Step", id="replay-step-back", tooltip="Step one event back"),
    Binding("greater_than_sign", "notable(1)", "Next mark", id="replay-next-mark",
            tooltip="Jump to the next release, escalation, expiry or decision"),
    Binding("less_than_sign", "notable(-1)", "Prev mark", id="replay-prev-mark",
            tooltip="Jump to the previous release, escalation, expiry or decision"),
    Binding("g", "goto", "Go to T+", id="replay-goto", tooltip="Go to a typed drill time (T+00:12:30, 12:30, 45m)"),
    Binding("home", "edge(0)", "Start", id="replay-start", show=False, priority=True,
            tooltip="Go to the start, before the first event"),
    Binding("end", "edge(1)", "End", id="replay-end", show=False, priority=True,
            tooltip="Go to the end (of a running drill: follow it live)"),
    Binding("q,escape", "leave", "Close", id="replay-close", tooltip="Close the replay: back to where it was opened, or quit"),
    *VIEWING,
]


@dataclass
class ReplaySource:
    """A drill's stored events, and for one not ended how to follow it.

    `tail` yields the events appended after a given seq, as they come. `running`
    says whether anyone runs that drill now (holds its scheduler lease): only
    then does the live clock move on between events; a drill left running by a
    crash or a headless run would otherwise show a clock racing on for hours.
    `tick` is how often (seconds) playing moves the cursor; None stops the
    timer, for tests that call `advance(elapsed)` by hand. `wall` is the wall
    clock the live drill time is read from. `pages`, when given, yields the
    rest of the drill's events after `events`, a page at a time: the screen
    shows its first frame at once and fills in as they come (a long drill).
    """

    scenario: Scenario
    events: list[Event]
    drill_id: str
    at: float | None = None
    speed: float = 1.0
    tail: Callable[[int], AsyncIterator[Event]] | None = None
    running: Callable[[], Awaitable[bool]] | None = None
    tick: float | None = 0.1
    wall: Callable[[], float] = field(default=time.time)
    close: Callable[[], Awaitable[None]] | None = None  # what to close when the replay is left
    pages: Callable[[int], AsyncIterator[list[Event]]] | None = None  # the events after a seq, a page at a time


class ReplayView:
    """What the dashboard panes read (state, role, time) for a replay; it never writes."""

    read_only = True

    def __init__(self, scenario: Scenario, role: str, drill_id: str) -> None:
        self.scenario = scenario
        self.role = role
        self.drill_id = drill_id
        self.participant = "replay"
        self.state = DrillState.initial(scenario)
        self.time = 0.0
        self.wall_time = 0.0

    def now(self) -> float:
        return self.time

    def wall(self) -> float:
        return self.wall_time


class GotoDialog(Dialog[float]):
    """Type a drill time to go to."""

    def __init__(self, end: float) -> None:
        super().__init__()
        self.end = end

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Go to drill time (the replay runs to {format_drill_time(self.end)})", classes="title")
            yield Input(placeholder="T+00:12:30, 12:30, 45m or 750 (seconds)", id="time")
            yield Static("", classes="error")
            yield Static("Enter goes there, Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.say("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(float(parse_duration(event.value.strip())))
        except ValueError as exc:
            self.say(str(exc))


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
    PALETTE = REPLAY_KEYS
    RUNNING_EVERY = 2.0  # seconds between asking whether anyone runs a watched drill
    DEFAULT_CSS = """
    ReplayScreen #eventlog { height: 10; }
    ReplayScreen.short #eventlog { height: 6; }
    """

    def __init__(self, source: ReplaySource, keymap: Mapping[str, str] | None = None) -> None:
        scenario = source.scenario
        role = scenario.controllers[0].id if scenario.controllers else CONTROL
        self.replay = Replay(scenario, source.events)
        self.player = ReplayView(scenario, role, source.drill_id)
        super().__init__(self.player, keymap)
        self.source = source
        self.speed = min(MAX_SPEED, max(MIN_SPEED, source.speed))
        self.playing = False
        self.count = 0
        self.watching = source.tail is not None and not self.replay.final.ended
        self.run_live = False  # someone runs the watched drill: its clock moves between events
        self._ticked: float | None = None  # monotonic time of the last tick
        self.reading = source.pages is not None  # events still being read: the screen fills in as they come
        self._at = source.at  # where to go once the events up to there are read
        self._opened = False  # the cursor is where the replay opens (--at, or the live edge)
        self._place(render=False)

    def _place(self, *, render: bool) -> None:
        """Where the replay opens: `--at`, else a running drill's live edge, else a finished one's start."""
        if self._at is not None:
            if self.reading and self.replay.end_time < self._at:
                return  # not read that far yet
            self.seek_time(self._at, render=render)
        elif self.watching:
            self.seek_count(len(self.replay), render=render)
        else:
            self.seek_count(0, render=render)
        self._opened = not self.reading

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield ReplayClock(id="clock")
        yield Timeline(self.replay, id="timeline")
        with Container(id="main"):  # the dashboard's grid: see app.tcss
            yield InjectFeed(id="feed")
            with Vertical(id="right"):
                yield RoleBoard(id="roles")
                yield EscalationTree(id="tree")
            yield InjectDetail(id="detail")
        yield EventLogPane(self.replay, id="eventlog")
        yield Footer()

    def on_mount(self) -> None:
        # The dashboard's own on_mount has run too (Textual calls each class's): panes, focus and layout.
        self.show_title()
        if self.source.tick:
            self.set_interval(self.source.tick, self.advance)
        if self.reading:
            # After the first frame is drawn, not alongside it: reading and folding would hold it up.
            self.call_after_refresh(self.run_worker, self._load(), group="load", exit_on_error=False)
        else:
            self._watch()
        self.publish()

    def show_title(self) -> None:
        """The scenario's title and the drill's id; a rehearsal says so, with the policy it was played under."""
        mark = self.replay.final.rehearsal
        title = self.player.scenario.title
        self.app.title = visible(f"Rehearsal ({mark.policy}): {title}" if mark is not None else title)
        self.app.sub_title = visible(f"{self.player.drill_id} · replay, read-only")

    def _watch(self) -> None:
        if self.source.tail is not None and self.watching:
            self.run_worker(self._follow(), group="watch", exit_on_error=False)
            if self.source.running is not None:
                self.run_worker(self._check_running(), group="watch", exit_on_error=False)

    LOAD_REDRAW = 0.25  # seconds between redraws while a long drill's events are read

    async def _load(self) -> None:
        """Read the rest of the events after the first frame, redrawing now and then; then follow, if watching."""
        assert self.source.pages is not None
        shown = time.monotonic()
        async for page in self.source.pages(self.replay.final.seq):
            self.replay.extend(page)
            if not self._opened and self._at is not None and self.replay.end_time >= self._at:
                self._place(render=False)
                self._opened = True
            if time.monotonic() - shown >= self.LOAD_REDRAW:
                shown = time.monotonic()
                self.show_title()
                self.publish()
            await asyncio.sleep(0)  # keys and redraws go on while a long log is read
        self.reading = False
        self.show_title()
        if self.replay.final.ended:
            self.watching = False
        if not self._opened:
            self._place(render=False)
            self._opened = True
        self.publish()
        self._watch()

    @property
    def following(self) -> bool:
        """Watching a running drill at its live edge: new events show as they come."""
        return self.watching and not self.playing and self.count == len(self.replay)

    # -- what every screen draws -------------------------------------------------

    def publish(self) -> None:
        """Send the state at the cursor to every screen (this one included) as the one StateChanged."""
        self.app.post_message(StateChanged(self.player.state, (), Moment(self.player.time, self.player.wall_time)))

    def render_state(self, state: DrillState, moment: Moment, *, clock_only: bool = False) -> None:
        if not self.is_mounted or state is not self.player.state:
            return  # a StateChanged of another drill, or one overtaken by a later seek
        super().render_state(state, moment)
        mode = "▶ playing" if self.playing else ("● live" if self.following else "⏸ paused")
        # Said twice: on a short terminal the clock loses its border, the timeline keeps it.
        self.query_one(Timeline).move(moment.now, f"{mode} {self.speed:g}x")
        self.query_one(EventLogPane).show(self.count)
        watching = ""
        if self.watching:
            watching = " · watching a running drill" if self.run_live else " · not ended, but nobody is running it now"
        if self.reading:
            watching += f" · reading the log: {len(self.replay):,} events so far"
        self.query_one(ClockPane).border_title = f"Replay {mode} at {self.speed:g}x{watching}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def refresh_offers(self, *, footer: bool = True) -> None:
        """Nothing to offer: every transport key always works, and no drill key is here."""

    def on_key(self, event: events.Key) -> None:
        event.prevent_default()  # the dashboard explains its drill keys; a replay has none of them

    def on_timeline_seek(self, message: Timeline.Seek) -> None:
        self.seek_time(message.drill_time)

    # -- the events of a drill still running --------------------------------

    async def _follow(self) -> None:
        assert self.source.tail is not None
        async for event in self.source.tail(self.replay.final.seq):
            self.add_events([event])

    async def _check_running(self) -> None:
        assert self.source.running is not None
        while self.watching:
            live = await self.source.running()
            if live != self.run_live:
                self.run_live = live
                if not live and self.following:
                    self.seek_count(len(self.replay), render=False)  # back from the extrapolated clock
                self.publish()
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
            self.publish()

    def latest_time(self) -> float:
        """The latest drill time there is to see: the last event's, or a running drill's now."""
        end = self.replay.end_time
        if self.watching and self.run_live:
            end = max(end, self.replay.final.drill_time(self.source.wall()))
        return end

    # -- the transport ----------------------------------------------------------

    def advance(self, elapsed: float | None = None) -> None:
        """One tick: playing moves on by the time since the last tick x speed; following keeps a live clock moving.

        The time is measured, not assumed, so a busy machine replays at the
        right speed in fewer, larger steps.
        """
        mono = time.monotonic()
        if elapsed is None:
            elapsed = min(1.0, mono - self._ticked) if self._ticked is not None else (self.source.tick or 0.0)
        self._ticked = mono
        before = (self.count, int(self.player.time))
        if self.following:
            self.seek_time(self.latest_time(), render=False)
        elif self.playing:
            latest = self.latest_time()
            target = self.player.time + elapsed * self.speed
            if target >= latest:
                # The end of a finished drill, or the live edge of a running one.
                self.playing = False
                self.seek_time(latest)
                return
            self.seek_time(target, render=False)
        # Redraw only when something visible moved: an event, or the clock's second.
        if (self.count, int(self.player.time)) != before:
            self.publish()

    def toggle_play(self) -> None:
        if not self.playing and self.count >= len(self.replay) and not self.watching:
            self.seek_count(0, render=False)  # at the end, play starts again
        self.playing = not self.playing
        self.publish()

    def set_speed(self, speed: float) -> None:
        self.speed = min(MAX_SPEED, max(MIN_SPEED, speed))
        self.publish()

    def _state_for(self, count: int) -> DrillState:
        """The state after `count` events; a short way forward folds on from the current state."""
        state = self.player.state
        if self.count <= count <= self.count + self.replay.every and state.seq == self.count:
            return fold(self.player.scenario, self.replay.events[self.count: count], state)
        return self.replay.state_after(count)

    def _first_wall(self) -> float:
        return parse_utc(self.replay.events[0].wall_time) if self.replay.events else 0.0

    def seek_count(self, count: int, *, render: bool = True) -> None:
        """Go to just after the `count`th event (0: before the first)."""
        count = max(0, min(count, len(self.replay)))
        self.player.state = self._state_for(count)
        self.count = count
        last = self.replay.events[count - 1] if count else None
        self.player.time = last.drill_time if last else 0.0
        self.player.wall_time = parse_utc(last.wall_time) if last is not None else self._first_wall()
        if render:
            self.publish()

    def seek_time(self, t: float, *, render: bool = True) -> None:
        """Go to drill time `t`: every event up to and including `t` has happened."""
        t = max(0.0, min(t, self.latest_time()))
        count = self.replay.count_at(t)
        self.player.state = self._state_for(count)
        self.count = count
        last = self.replay.events[count - 1] if count else None
        self.player.time = t
        if last is None:
            self.player.wall_time = self._first_wall()
        else:
            # Wall time moves on from the last event at the clock's speed then (not at all when paused).
            clock = self.player.state.clock
            moving = (t - last.drill_time) / clock.speed if clock.running and clock.speed else 0.0
            self.player.wall_time = parse_utc(last.wall_time) + moving
        if render:
            self.publish()

    def seek_end(self) -> None:
        """The last event; of a running drill, its live edge (then new events follow)."""
        self.playing = False
        if self.watching:
            self.seek_time(self.latest_time())
        else:
            self.seek_count(len(self.replay))

    # -- keys ---------------------------------------------------------------------

    def help_rows(self) -> list[HelpRow]:
        return [HelpRow(b, key_in_force(b, self.keymap)) for b in REPLAY_KEYS]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.help_rows()))

    def action_play(self) -> None:
        self.toggle_play()

    def action_speed(self, factor: float) -> None:
        self.set_speed(self.speed * factor)

    def action_step(self, delta: int) -> None:
        self.seek_count(self.count + delta)

    def action_notable(self, direction: int) -> None:
        target = self.replay.next_notable(self.count) if direction > 0 else self.replay.previous_notable(self.count)
        if target is None:
            self.notify("No more releases, escalations, expiries or decisions that way.", severity="warning")
        else:
            self.seek_count(target)

    def action_goto(self) -> None:
        def done(t: float | None) -> None:
            if t is not None:
                if t > self.latest_time():
                    self.notify(f"The drill goes only to {format_drill_time(self.latest_time())}.", severity="warning")
                self.seek_time(t)

        self.app.push_screen(GotoDialog(self.latest_time()), done)

    def action_edge(self, end: int) -> None:
        if end:
            self.seek_end()
        else:
            self.seek_count(0)

    def action_leave(self) -> None:
        self.post_message(LeaveDrill())
