"""The role status board: who holds what, their status and task, and what is overdue."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from drilltui.engine.state import DrillState
from drilltui.scenario import format_duration
from drilltui.ui.style import ROLE_STATUS, marked, resolve


class RoleBoard(DataTable):
    """One row per role; rows with overdue items stand out."""

    COLUMNS = (("role", "Role"), ("status", "Status"), ("open", "Open"), ("oldest", "Unack for"),
               ("holder", "Holder"), ("kind", "Kind"), ("task", "Task"))
    COMPACT = (("role", "Role"), ("status", "Status"), ("open", "Open"))
    KINDS = {"player": "player", "controller": "control", "evaluator": "eval", "observer": "observer", "simcell": "SimCell"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self.border_title = "Roles"
        self._role_ids: list[str] = []
        self._compact: bool | None = None

    def set_compact(self, compact: bool) -> None:
        if compact != self._compact:
            self._compact = compact
            self.clear(columns=True)
            widths = {"role": 18 if compact else 24, "holder": 16, "task": 24}
            for key, label in self.COMPACT if compact else self.COLUMNS:
                self.add_column(label, key=key, width=widths.get(key))

    @property
    def selected(self) -> str | None:
        if 0 <= self.cursor_row < len(self._role_ids):
            return self._role_ids[self.cursor_row]
        return None

    def show(self, state: DrillState, me: str, now: float, colors: dict[str, str], compact: bool = False) -> None:
        self.set_compact(compact)
        keep = self.selected
        self.clear()
        self._role_ids = []
        overdue_roles = 0
        for role in state.scenario.roles:
            rs = state.roles[role.id]
            items = state.open_items(role.id)
            unacked = [i for i in items if i.acknowledged_at is None]
            overdue = [i for i in unacked if i.overdue(now)]
            oldest = max((now - (i.released_at or now) for i in unacked), default=None)
            style = (resolve("bold $error", colors)) if overdue else ""
            you = (" ◂" if compact else " (you)") if role.id == me else ""
            name = Text(("⚠ " if overdue else "") + role.title + you, style=style, overflow="ellipsis", no_wrap=True)
            holder = role.holder or ""
            if rs.participants:
                holder = f"● {', '.join(rs.participants)}"  # connected now
            cells = {
                "role": name, "holder": Text(holder, overflow="ellipsis", no_wrap=True), "kind": self.KINDS.get(role.kind, role.kind),
                "status": marked(ROLE_STATUS, rs.status, colors), "task": Text(rs.task, overflow="ellipsis", no_wrap=True),
                "open": str(len(items)) if items else "",
                "oldest": Text(format_duration(oldest) + (" ⚠" if overdue else ""), style=style) if oldest is not None else "",
            }
            self.add_row(*(cells[key] for key, _ in (self.COMPACT if compact else self.COLUMNS)), key=role.id)
            self._role_ids.append(role.id)
            overdue_roles += bool(overdue)
        self.border_subtitle = f"{overdue_roles} with overdue items" if overdue_roles else ""
        if keep in self._role_ids:
            self.move_cursor(row=self._role_ids.index(keep), animate=False)
