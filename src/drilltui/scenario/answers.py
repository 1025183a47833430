"""The answers `drilltui new` asks for (type, domain, title, duration, roles), read and checked one sentence per problem."""

from __future__ import annotations

from dataclasses import dataclass

from drilltui.scenario.durations import parse_duration
from drilltui.scenario.loader import ID, SLUG, control_problem, cycles, hint
from drilltui.scenario.model import EXERCISE_TYPES, ROLE_KINDS, Role
from drilltui.scenario.vocabulary import ROLE_FORM

DOMAINS = ("ai-lab", "healthcare", "energy", "chemical", "water", "finance", "transport", "government")


@dataclass(frozen=True)
class Answers:
    """What a planner said about the exercise; `starter_text` turns it into a scenario."""

    title: str
    duration: int  # seconds
    roles: tuple[Role, ...]
    type: str = "tabletop"
    domain: str | None = None


def slug(title: str) -> str:
    """The scenario id a title gives: lower-case letters, digits and '-' (`new-scenario` when it has none)."""
    from drilltui.scenario.msel.cells import slugify

    return slugify(title) or "new-scenario"


def read_type(text: str) -> str:
    value = text.strip()
    if value not in EXERCISE_TYPES:
        raise ValueError(f"type '{value}' is not one of {', '.join(EXERCISE_TYPES)}{hint(value, EXERCISE_TYPES)}")
    return value


def read_domain(text: str) -> str | None:
    value = text.strip()
    if not value:
        return None
    if not SLUG.match(value):
        from drilltui.scenario.msel.cells import slugify

        better = slugify(value)
        raise ValueError(f"domain '{value}' is not a slug (lower-case letters, digits and '-')"
                         + (f"; write it as {better}" if better else ""))
    return value


def read_title(text: str) -> str:
    value = text.strip()
    if not value:
        raise ValueError("the title is empty; write one line naming the exercise")
    if "\n" in value:
        raise ValueError("the title is more than one line; write one line")
    if (bad := control_problem(value)) is not None:
        raise ValueError(f"the title {bad}")
    return value


def read_duration(text: str) -> int:
    seconds = parse_duration(text.strip())
    if seconds <= 0:
        raise ValueError("the drill must last longer than zero; write it as 90m, 2h, 1h30m, ...")
    return seconds


def read_role(spec: str) -> Role:
    """`soc:SOC Analyst:player:lead` -> a Role (a title may hold ':'; the kind is what tells where it ends)."""
    raw = spec.strip().split(":")
    parts = [p.strip() for p in raw]
    if len(parts) < 3:
        raise ValueError(f"role '{spec.strip()}' is not {ROLE_FORM}, e.g. soc:SOC Analyst:player:lead")
    # With four parts or more, a kind second from the end reads as KIND:REPORTS_TO (a role may be called "observer").
    if len(parts) >= 4 and parts[-2] in ROLE_KINDS:
        rid, title, kind, above = parts[0], ":".join(raw[1:-2]).strip(), parts[-2], parts[-1] or None
    elif parts[-1] in ROLE_KINDS:
        rid, title, kind, above = parts[0], ":".join(raw[1:-1]).strip(), parts[-1], None
    else:
        guess = hint(parts[-1], ROLE_KINDS) or hint(parts[-2], ROLE_KINDS)
        raise ValueError(f"role '{spec.strip()}' names no kind ({', '.join(ROLE_KINDS)}); write it as {ROLE_FORM}"
                         f"{guess}")
    if not ID.match(rid):
        raise ValueError(f"role id '{rid}' is not valid; use letters, digits, '-', '_' and '.', "
                         "starting with a letter or digit")
    if not title:
        raise ValueError(f"role {rid} has no title; write it as {ROLE_FORM}")
    for what, value in (("title", title), ("reports_to", above or "")):
        if (bad := control_problem(value)) is not None:
            raise ValueError(f"the {what} of role {rid} {bad}")
    return Role(rid, title, kind, reports_to=above)


def chain_problem(roles: tuple[Role, ...]) -> str | None:
    """What is wrong with the roles as a whole (duplicates, unknown or circular reports_to, no player), or None."""
    if not roles:
        return "there are no roles; give at least one player"
    seen: set[str] = set()
    for r in roles:
        if r.id in seen:
            return f"role id '{r.id}' is given twice"
        seen.add(r.id)
    for r in roles:
        if r.reports_to is not None and r.reports_to not in seen:
            return f"role {r.id} reports to '{r.reports_to}', which is not one of the roles{hint(r.reports_to, seen)}"
    for loop in cycles({r.id: r.reports_to for r in roles}):
        shown = " -> ".join([*loop, loop[0]])
        return f"reports_to makes a cycle ({shown}); the chain of command must end at a role that reports to no one"
    if not any(r.kind == "player" for r in roles):
        return "no role is a player; give at least one role of kind player, the people the drill exercises"
    return None
