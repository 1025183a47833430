"""The raw events around the replay cursor: time, actor, kind and what it did."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from drilltui.engine.describe import summary
from drilltui.engine.replay import Replay
from drilltui.scenario import format_drill_time
from drilltui.ui.style import resolve


class EventLogPane(Static):
    """Only the rows that fit are built, so a 100,000-event log costs the same as a short one."""

    def __init__(self, replay: Replay, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.replay = replay
        self.border_title = "Event log"

    def show(self, count: int) -> None:
        rows = max(3, self.content_region.height - 1 if self.content_region.height else 8)
        before = rows // 2
        start = max(0, min(count - 1 - before, len(self.replay) - rows))
        colors = self.app.theme_variables
        table = Table(box=None, show_header=True, header_style="bold", expand=True, padding=(0, 1), pad_edge=False)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Time", no_wrap=True)
        table.add_column("Actor", no_wrap=True, max_width=18, overflow="ellipsis")
        table.add_column("Event", ratio=1, overflow="ellipsis", no_wrap=True)
        for i in range(start, min(len(self.replay), start + rows)):
            e = self.replay.events[i]
            actor = e.participant if not e.role else f"{e.participant} ({e.role})"
            style = resolve("bold reverse $accent", colors) if i == count - 1 else ("dim" if i >= count else "")
            table.add_row(str(e.seq or i + 1), format_drill_time(e.drill_time)[2:], actor, Text(summary(e)), style=style)
        self.border_subtitle = f"event {count} of {len(self.replay)}"
        self.update(table)
