"""Who may do what: checked on every command, whatever screen sent it."""

from __future__ import annotations

from drilltui.engine.state import DrillState

# What each kind of role may do beyond reading. Controllers direct the whole
# exercise (the Exercise Director sits here), so they may act for any role.
CLOCK = "clock"  # start, pause, resume, speed, end
RELEASE = "release"
PLAY = "play"  # acknowledge, resolve, escalate, decide, status of their own items/role
NOTE = "note"
RATE = "rate"
HOTWASH = "hotwash"

ALLOWED: dict[str, frozenset[str]] = {
    "controller": frozenset({CLOCK, RELEASE, PLAY, NOTE, RATE, HOTWASH}),
    "simcell": frozenset({RELEASE, NOTE}),
    "evaluator": frozenset({NOTE, RATE, HOTWASH}),
    "player": frozenset({PLAY, NOTE}),
    "observer": frozenset(),
}

WHAT = {
    CLOCK: "run the drill clock",
    RELEASE: "release injects",
    PLAY: "act on injects",
    NOTE: "add notes",
    RATE: "rate objectives",
    HOTWASH: "record hotwash items",
}


class Refused(Exception):
    """A command that may not be carried out; no event is written. `str()` is the reason."""


def require(state: DrillState, role: str, power: str) -> str:
    """The role's kind if it holds `power`; raise Refused otherwise."""
    kind = state.role_kind(role)
    if kind is None:
        raise Refused(f"'{role}' is not a role in this drill")
    if power not in ALLOWED[kind]:
        title = state.scenario.role(role).title if state.scenario.role(role) else role
        raise Refused(f"{title} ({kind}) may not {WHAT[power]}")
    return kind


def may_act_on(state: DrillState, role: str, inject_id: str) -> bool:
    """Whether `role` may acknowledge, resolve, escalate or decide this item.

    Any role it was sent to, its holder, or a role above the holder in the
    chain of command; controllers always.
    """
    if state.role_kind(role) == "controller":
        return True
    inject = state.scenario.inject(inject_id)
    item = state.injects.get(inject_id)
    if inject is None or item is None:
        return False
    if role in inject.to or role == item.holder:
        return True
    return item.holder is not None and role in state.scenario.chain_of(item.holder)


def may_see(state: DrillState, role: str, inject_id: str) -> bool:
    """Whether `role` sees this item: players see what reaches them or their chain.

    Controllers, the SimCell, evaluators and observers see everything; a
    player sees items sent to it, held by it, or held below it.
    """
    kind = state.role_kind(role)
    if kind != "player":
        return kind is not None
    if may_act_on(state, role, inject_id):
        return True
    inject = state.scenario.inject(inject_id)
    return inject is not None and any(role in state.scenario.chain_of(to) for to in inject.to)


def may(state: DrillState, role: str, power: str) -> bool:
    """Whether the role's kind holds `power` (for showing only the keys that apply)."""
    kind = state.role_kind(role)
    return kind is not None and power in ALLOWED[kind]
