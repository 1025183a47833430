"""The inject feed: released injects, newest first, with severity, route and status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text

from drilltui.engine.permissions import may_see
from drilltui.engine.state import DrillState, InjectState
from drilltui.scenario import Inject, format_drill_time
from drilltui.ui.panes.rows import RowTable, plain_len, set_subtitle
from drilltui.ui.search import Search
from drilltui.ui.style import SEVERITY, STATUS, marked, resolve, shown


def status_text(item: InjectState, now: float, colors: dict[str, str]) -> Text:
    """The item's status as the log has it, in words and a marker: `◆ decided: isolate`, `⚠ overdue`."""
    status = item.status_at(now)
    text = marked(STATUS, status, colors)
    if status == "decided" and item.decision:
        text.append(f": {shown(item.decision)}")
    return text


class InjectFeed(RowTable):
    """Released injects this role may see; the cursor selects one."""

    COLUMNS = (("time", "Time"), ("id", "ID"), ("sev", "Sev"), ("status", "Status"), ("title", "Title"),
               ("route", "From → To"), ("method", "Via"))
    WIDTHS = {"time": 8, "id": 7, "sev": 4, "status": 11, "title": 16, "route": 24, "method": 9}
    FLEX = {"title": 3, "status": 2}
    PRIORITY = ("id", "status", "title", "sev", "time", "route", "method")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(zebra=True, **kwargs)
        self.border_title = "Inject feed"
        self.search = Search()  # `/`: a view of the rows only; it changes nothing

    def show(self, state: DrillState, role: str, now: float, colors: dict[str, str]) -> None:
        rows = []
        for inject_id in reversed(state.release_order):
            if not may_see(state, role, inject_id):
                continue
            inject = state.inject(inject_id)
            item = state.injects[inject_id]
            assert inject is not None and item.released_at is not None
            sender = inject.sender or "Exercise control"
            cells = {
                "time": format_drill_time(item.released_at)[2:], "id": shown(inject_id),
                "sev": marked(SEVERITY, inject.severity, colors), "status": status_text(item, now, colors),
                "route": f"{shown(sender)} → {shown(item.holder or '')}",
                "method": inject.method, "title": adhoc_title(state, inject_id, inject.title, colors),
            }
            if not self.search.terms or self.search.matches(feed_facets(state, inject, item, cells, now)):
                rows.append((inject_id, cells))
        self.want("status", max((plain_len(cells["status"]) for _, cells in rows), default=0))
        self.sync_rows(rows)
        overdue = sum(1 for i in state.release_order if state.injects[i].overdue(now) and may_see(state, role, i))
        set_subtitle(self, self.search.subtitle(f"{len(rows)} released" + (f" · ⚠ {overdue} overdue" if overdue else "")))


def adhoc_title(state: DrillState, inject_id: str, title: str, colors: dict[str, str]) -> Text | str:
    """The title, marked `✚ ad hoc` for an inject written during play (a word, not a colour alone)."""
    if inject_id not in state.adhoc:
        return shown(title)
    return Text.assemble(("✚ ad hoc ", resolve("bold $accent", colors)), shown(title))


def feed_facets(state: DrillState, inject: Inject, item: InjectState, cells: Mapping[str, object],
                now: float) -> dict[str, str]:
    """What `/` searches in a feed row: its text, the roles it went to and is held by, severity and status."""
    roles = {*inject.to, item.holder or ""}
    titles = [r.title for r in state.scenario.roles if r.id in roles]
    text = " ".join(c.plain if isinstance(c, Text) else str(c) for c in cells.values())
    return {"text": f"{text} {inject.message} {'ad hoc' if inject.id in state.adhoc else 'planned'}",
            "role": " ".join([*roles, *titles]), "severity": inject.severity, "status": item.status_at(now)}
