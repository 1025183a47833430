"""Recipients and roles: To cells become roles (ids are slugs, titles as written), and roles become To cells again."""

from __future__ import annotations

import re
from collections.abc import Sequence

from drilltui.scenario.model import Role
from drilltui.scenario.msel.cells import key, slugify

CONTROL_ROLE = Role("exercise-control", "Exercise Control", kind="controller")
PLACEHOLDER_ROLE = Role("players", "Players")

EXPLICIT = re.compile(r"(.*?)\s*\[\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*\]\Z", re.S)


def _guess_kind(name: str) -> str:
    k = key(name)
    if any(w in k for w in ("simcell", "simulationcell", "simulator")):
        return "simcell"
    if "evaluator" in k:
        return "evaluator"
    if "observer" in k:
        return "observer"
    if any(w in k for w in ("controller", "exercisecontrol", "exercisedirector", "facilitator")):
        return "controller"
    return "player"


class Roles:
    """The roles named in To cells, found again by id, slug or title."""

    def __init__(self) -> None:
        self.roles: dict[str, Role] = {}
        self.found: dict[str, str] = {}  # a name finds the same role every time: the registry only grows
        self.titles: dict[str, str] = {}  # key(title) -> id, first role first
        self._add(CONTROL_ROLE)

    def resolve(self, name: str) -> str:
        rid = self.found.get(name)
        if rid is None:
            rid = self.found[name] = self._resolve(name)
        return rid

    def _add(self, role: Role) -> None:
        self.roles[role.id] = role
        self.titles.setdefault(key(role.title), role.id)

    def _resolve(self, name: str) -> str:
        m = EXPLICIT.match(name)
        if m:
            title, rid = m.group(1).strip(), m.group(2)
            if rid not in self.roles:
                self._add(Role(rid, title or rid, _guess_kind(title or rid)))
            return rid
        if name in self.roles:
            return name
        slug = slugify(name) or "role"
        if slug in self.roles:
            return slug
        low, wanted = name.lower(), key(name)
        for role in self.roles.values():
            if role.id.lower() == low or (wanted and self.titles.get(wanted) == role.id):
                return role.id
        rid, n = slug, 2
        while rid in self.roles:
            rid, n = f"{slug}-{n}", n + 1
        self._add(Role(rid, name, _guess_kind(name)))
        return rid

    def placeholder(self) -> str:
        if PLACEHOLDER_ROLE.id not in self.roles:
            self._add(PLACEHOLDER_ROLE)
        return PLACEHOLDER_ROLE.id



def _cell_title(title: str) -> str:
    """A role title as a To cell can hold it: no separators (`;`, `,`), brackets or unbalanced parentheses."""
    t = " ".join(title.replace("[", "(").replace("]", ")").split())
    depth, ok = 0, True
    for c in t:
        depth += c == "("
        depth -= c == ")"
        ok = ok and depth >= 0
    if not ok or depth:
        t = t.replace("(", " ").replace(")", " ")
    out, depth = [], 0
    for c in t:
        depth += c == "("
        depth -= c == ")"
        out.append(" " if depth == 0 and c in ";," else c)
    return " ".join("".join(out).split())


def recipient(role: Role, roles: Sequence[Role]) -> str:
    """How a To cell names a role: its title, with `[id]` unless the title alone finds it again."""
    title = _cell_title(role.title)
    others = [r for r in (*roles, CONTROL_ROLE) if r.id != role.id]
    bare = (
        title == role.title and title and slugify(title) == role.id
        and not EXPLICIT.match(title)
        and not any(r.id == title or r.id.lower() == title.lower() or key(r.title) == key(title) for r in others)
    )
    if bare:
        return title
    return f"{title} [{role.id}]" if title else f"[{role.id}]"

