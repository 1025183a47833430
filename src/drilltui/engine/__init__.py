"""The drill engine: events, commands, the reducer, the clock, the scheduler, permissions.

Nothing here imports Textual or SQL; the store and the screens plug in around it.
"""

from drilltui.engine.commands import COMMANDS, Command, handle
from drilltui.engine.events import KINDS, SYSTEM, Event, EventBody, body_from_data, parse_utc, utc_iso
from drilltui.engine.permissions import Refused
from drilltui.engine.reducer import apply, fold
from drilltui.engine.session import Drill, Journal, Stale, WallClock
from drilltui.engine.state import CONTROL, DrillState, InjectState, RoleState

__all__ = [
    "COMMANDS", "CONTROL", "Command", "Drill", "DrillState", "Event", "EventBody", "InjectState",
    "Journal", "KINDS", "Refused", "RoleState", "SYSTEM", "Stale", "WallClock", "apply",
    "body_from_data", "fold", "handle", "parse_utc", "utc_iso",
]
