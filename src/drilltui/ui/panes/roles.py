"""The role status board: who holds what, their status and task, and what is overdue."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from drilltui.engine.state import DrillState
from drilltui.scenario import format_duration
from drilltui.ui.style import ROLE_STATUS, marked, resolve


class RoleBoard(DataTable):
    """One row per role; rows with overdue items stand out."""

    COLUMNS = (("role", "Role"), ("holder", "Holder"), ("kind", "Kind"), ("status", "Status"),
               ("task", "Task"), ("open", "Open"), ("oldest", "Oldest unack"))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self.border_title = "Roles"
        self._role_ids: list[str] = []

    def on_mount(self) -> None:
        for key, label in self.COLUMNS:
            self.add_column(label, key=key)

    @property
    def selected(self) -> str | None:
        if 0 <= self.cursor_row < len(self._role_ids):
            return self._role_ids[self.cursor_row]
        return None

    def show(self, state: DrillState, me: str, now: float, colors: dict[str, str]) -> None:
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
            name = Text(("⚠ " if overdue else "") + role.title + (" (you)" if role.id == me else ""), style=style)
            holder = role.holder or ""
            if rs.participants:
                holder = f"● {', '.join(rs.participants)}"
            self.add_row(
                name, holder, role.kind, marked(ROLE_STATUS, rs.status, colors), rs.task,
                str(len(items)) if items else "",
                Text(format_duration(oldest) + (" overdue" if overdue else ""), style=style) if oldest is not None else "",
                key=role.id,
            )
            self._role_ids.append(role.id)
            overdue_roles += bool(overdue)
        self.border_subtitle = f"{overdue_roles} with overdue items" if overdue_roles else ""
        if keep in self._role_ids:
            self.move_cursor(row=self._role_ids.index(keep), animate=False)
