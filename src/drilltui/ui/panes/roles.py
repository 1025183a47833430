"""The role status board: who holds what, their status and task, and what is overdue."""

from __future__ import annotations

from rich.text import Text

from drilltui.engine.state import DrillState
from drilltui.scenario import format_duration
from drilltui.ui.panes.rows import SyncedTable, set_subtitle
from drilltui.ui.style import ROLE_STATUS, marked, resolve


def age(seconds: float) -> str:
    """How long something has waited, to the minute: `<1m`, `40m`, `1h05m`.

    Whole minutes are what a commander reads here, and a cell that changes every
    second would repaint the table every second on every connected screen.
    """
    return "<1m" if seconds < 60 else format_duration(seconds // 60 * 60)


class RoleBoard(SyncedTable):
    """One row per role; rows with overdue items stand out."""

    COLUMNS = (("role", "Role"), ("status", "Status: task"), ("open", "Open"), ("oldest", "Unack for"),
               ("holder", "Holder"), ("kind", "Kind"))
    FLEX = "status"
    WIDTHS = {"role": 14, "status": 11, "open": 4, "oldest": 9, "holder": 16, "kind": 8}
    KINDS = {"player": "player", "controller": "control", "evaluator": "eval", "observer": "observer", "simcell": "SimCell"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.border_title = "Roles"

    def show(self, state: DrillState, me: str, now: float, colors: dict[str, str]) -> None:
        self.fit_columns()
        rows = []
        overdue_roles = 0
        for role in state.scenario.roles:
            rs = state.roles[role.id]
            items = state.open_items(role.id)
            unacked = [i for i in items if i.acknowledged_at is None]
            overdue = [i for i in unacked if i.overdue(now)]
            oldest = max((now - (i.released_at or now) for i in unacked), default=None)
            style = resolve("bold $error", colors) if overdue else ""
            you = " ◂ you" if role.id == me else ""
            holder = role.holder or ""
            if rs.participants:
                holder = f"● {', '.join(rs.participants)}"  # connected now
            rows.append((role.id, {
                # ● marks a role someone is connected as, even when the table is too narrow for the holder column.
                "role": Text(("⚠ " if overdue else "") + ("● " if rs.participants else "") + role.title + you,
                             style=style, overflow="ellipsis", no_wrap=True),
                "holder": Text(holder, overflow="ellipsis", no_wrap=True),
                "kind": self.KINDS.get(role.kind, role.kind),
                "status": Text.assemble(marked(ROLE_STATUS, rs.status, colors), f": {rs.task}" if rs.task else "",
                                        overflow="ellipsis", no_wrap=True),
                "open": str(len(items)) if items else "",
                "oldest": Text(age(oldest) + (" ⚠" if overdue else ""), style=style) if oldest is not None else "",
            }))
            overdue_roles += bool(overdue)
        self.sync_rows(rows)
        set_subtitle(self, f"{overdue_roles} with overdue items" if overdue_roles else "")
