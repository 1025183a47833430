"""The typed messages at the UI's seams: commands go up to the app, state comes down to every screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.message import Message

from drilltui.engine import DrillState, Event
from drilltui.engine.commands import Command
from drilltui.frozen import frozen

# A command, or how to make one from the state at its turn (two `]` presses double the speed twice).
CommandOrMaker = Command | Callable[[DrillState], Command]


class CommandRequested(Message):
    """A screen asks for a command to be carried out; the app's command worker does it, in order."""

    def __init__(self, command: CommandOrMaker) -> None:
        self.command = command
        super().__init__()


@frozen
class Moment:
    """The drill time and wall time a screen draws at."""

    now: float
    wall: float


class StateChanged(Message, bubble=False):
    """The drill's state as a screen should draw it now; `events` are those new since the last one (none on a tick).

    `clock_only` says only the clock's second moved: the other panes may skip the redraw.
    Posted to the app, which hands a copy to every screen; it never bubbles back up.
    """

    def __init__(self, state: DrillState, events: Sequence[Event], moment: Moment, *, clock_only: bool = False) -> None:
        self.state = state
        self.events = tuple(events)
        self.moment = moment
        self.clock_only = clock_only
        super().__init__()

    def copy(self) -> StateChanged:
        return StateChanged(self.state, self.events, self.moment, clock_only=self.clock_only)

    def merge(self, state: DrillState, events: Sequence[Event], moment: Moment, *, clock_only: bool = False) -> None:
        """Take a newer state into this message while it waits to be handled: the screens draw once, for both."""
        self.state = state
        self.events += tuple(events)
        self.moment = moment
        self.clock_only = self.clock_only and clock_only


class ToggleBell(Message):
    """Turn the bell for notices on or off (a setting, remembered)."""


class LeaveDrill(Message):
    """Leave the drill or replay on screen: back to where it was opened from, or quit."""


class Chosen(Message):
    """The home screen or the drill picker chose something to open: ("start", scenario path) or ("resume" | "replay", drill id)."""

    def __init__(self, action: str, target: str) -> None:
        self.action = action
        self.target = target
        super().__init__()
