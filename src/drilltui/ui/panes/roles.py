"""The role status board: who holds what, their status and task, and what is overdue."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from drilltui.engine.state import DrillState, MessageState
from drilltui.scenario import format_duration
from drilltui.ui.panes.rows import RowTable, plain_len, set_subtitle
from drilltui.ui.style import ROLE_STATUS, marked, resolve, shown


def age(seconds: float) -> str:
    """How long something has waited, to the minute: `<1m`, `40m`, `1h05m`.

    Whole minutes are what a commander reads here, and a cell that changes every
    second would repaint the table every second on every connected screen.
    """
    return "<1m" if seconds < 60 else format_duration(seconds // 60 * 60)


class RoleBoard(RowTable):
    """One row per role; rows with overdue items stand out, in words and a marker."""

    COLUMNS = (("role", "Role"), ("status", "Status: task"), ("open", "Open"), ("overdue", "Overdue"),
               ("oldest", "Unack for"), ("holder", "Holder"), ("kind", "Kind"))
    WIDTHS = {"role": 14, "status": 11, "open": 4, "overdue": 7, "oldest": 9, "holder": 16, "kind": 8}
    FLEX = {"role": 2, "status": 2}
    KINDS = {"player": "player", "controller": "control", "evaluator": "eval", "observer": "observer", "simcell": "SimCell"}
    # Once the drill has a request or tasking, a column counts those each role must answer (⚠ overdue first).
    ASKS = (("asks", "Asked"),)
    ASKS_PRIORITY = ("role", "status", "open", "overdue", "asks", "oldest", "holder", "kind")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = "Roles"

    def _with_asks(self) -> None:
        """Add the Asked column: the first request or tasking of the drill has been sent."""
        cols: list[tuple[str, str]] = list(type(self).COLUMNS)
        cols.insert(cols.index(("overdue", "Overdue")) + 1, *self.ASKS)
        self.COLUMNS, self.PRIORITY = tuple(cols), self.ASKS_PRIORITY  # type: ignore[assignment]
        self.WIDTHS = {**type(self).WIDTHS, "asks": 6}
        self._fitted = None  # choose the columns again

    def show(self, state: DrillState, me: str, now: float, colors: dict[str, str]) -> None:
        rows = []
        overdue_total = 0
        if "asks" not in self.WIDTHS and any(m.asks for m in state.messages.values()):
            self._with_asks()
        held, asks = state.open_by_holder(), state.asks_by_holder()  # one pass each, not one per role
        for role in state.scenario.roles:
            rs = state.roles[role.id]
            items = held.get(role.id, [])
            unacked = [i for i in items if i.acknowledged_at is None]
            overdue = sum(1 for i in unacked if i.overdue(now))
            # Released at T+0 is released: an age is measured from the release, whatever its time.
            oldest = max((now - i.released_at for i in unacked if i.released_at is not None), default=None)
            style = resolve("bold $error", colors) if overdue else ""
            you = " ◂ you" if role.id == me else ""
            holder = shown(role.holder or "")
            if rs.participants:
                holder = f"● {shown(', '.join(rs.participants))}"  # connected now
            rows.append((role.id, {
                # ● marks a role someone is connected as, even when the table is too narrow for the holder column.
                "role": Text(("⚠ " if overdue else "") + ("● " if rs.participants else "") + shown(role.title) + you,
                             style=style),
                "holder": holder,
                "kind": self.KINDS.get(role.kind, role.kind),
                "status": Text.assemble(marked(ROLE_STATUS, rs.status, colors), f": {shown(rs.task)}" if rs.task else ""),
                "open": str(len(items)) if items else "",
                "overdue": Text(f"⚠ {overdue}", style=style) if overdue else "",
                "oldest": Text(age(oldest), style=style) if oldest is not None else "",
                "asks": asked(asks.get(role.id, []), now, colors),
            }))
            overdue_total += overdue
        # Role titles get the room they need before tasks share the rest: a title never changes, a task often.
        self.want("role", max((plain_len(cells["role"]) for _, cells in rows), default=0))
        self.sync_rows(rows)
        set_subtitle(self, f"⚠ {overdue_total} overdue" if overdue_total else "")


def asked(asks: list[MessageState], now: float, colors: dict[str, str]) -> Text | str:
    """The open requests and taskings a role must answer: `2`, or `⚠1/2` when some are past their due time."""
    late = sum(1 for m in asks if m.overdue(now))
    if not asks:
        return ""
    return Text(f"⚠{late}/{len(asks)}", style=resolve("bold $error", colors)) if late else str(len(asks))
