"""What a screen may read of the drill it shows: the DrillView protocol and its live form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from drilltui.engine import Drill, DrillState, Refused, handle
from drilltui.engine.commands import Command
from drilltui.engine.permissions import actions
from drilltui.scenario import Scenario


class DrillView(Protocol):
    """A drill as one console sees it: its state, its role and its clock. Screens read this and nothing else."""

    drill_id: str
    read_only: bool

    @property
    def scenario(self) -> Scenario: ...

    @property
    def role(self) -> str: ...

    @property
    def participant(self) -> str: ...

    @property
    def state(self) -> DrillState: ...

    def now(self) -> float: ...

    def wall(self) -> float: ...


class LiveView:
    """A live drill session seen through the DrillView protocol."""

    def __init__(self, drill: Drill, drill_id: str, read_only: bool = False) -> None:
        self.drill = drill
        self.drill_id = drill_id
        self.read_only = read_only

    @property
    def scenario(self) -> Scenario:
        return self.drill.scenario

    @property
    def role(self) -> str:
        return self.drill.role

    @property
    def participant(self) -> str:
        return self.drill.participant

    @property
    def state(self) -> DrillState:
        return self.drill.state

    def now(self) -> float:
        return self.drill.now()

    def wall(self) -> float:
        return self.drill.wall()


READ_ONLY = "this is a read-only view; nothing can be changed here"


def offered(view: DrillView, *, inject: str | None = None, entry: int | None = None,
            message: str | None = None, expectation: str | None = None) -> dict[str, str | None]:
    """What this console may do now, by action id (None) or why not (the engine's reason)."""
    if view.read_only:
        return dict.fromkeys(actions(view.state, view.role, view.now()), READ_ONLY)
    return actions(view.state, view.role, view.now(), inject=inject, entry=entry, message=message, expectation=expectation)


class FooterKeys:
    """What a screen's footer was last built for: the actions offered then (those with no refusal), and whatever
    else decides a key. A footer is rebuilt key by key, dearer than the rest of a redraw, so only when that changes;
    a refusal's wording changes with events (it names an item) and is read from the offers when a key is pressed.
    """

    def __init__(self, built_for: Mapping[str, str | None] | None = None) -> None:
        self._shown: object = None if built_for is None else self._shows(built_for, ())

    @staticmethod
    def _shows(offers: Mapping[str, str | None], also: tuple[object, ...]) -> object:
        return (frozenset(name for name, why in offers.items() if why is None), *also)

    def changed(self, offers: Mapping[str, str | None], *also: object) -> bool:
        """Whether the footer must be rebuilt for `offers` (and `also`); if so, it counts as rebuilt for them."""
        shown = self._shows(offers, also)
        if shown == self._shown:
            return False
        self._shown = shown
        return True


def refusal(view: DrillView, command: Command) -> str | None:
    """Why the engine would refuse `command` from this console now, or None: a dialog says it before it closes."""
    if view.read_only:
        return READ_ONLY
    try:
        handle(view.state, command, view.role, view.now())
    except Refused as exc:
        return str(exc)
    return None
