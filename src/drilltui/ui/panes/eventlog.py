"""The raw events around the replay cursor: time, actor, kind and what it did."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from drilltui.engine.describe import summary
from drilltui.engine.replay import Replay
from drilltui.scenario import format_drill_time
from drilltui.ui.panes.rows import set_subtitle
from drilltui.ui.style import resolve


class EventLogPane(Static):
    """Only the rows that fit are built, so a 100,000-event log costs the same as a short one."""

    DEFAULT_CSS = "EventLogPane { height: 1fr; min-height: 5; border: round $primary; padding: 0 1; }"

    def __init__(self, replay: Replay, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.replay = replay
        self.border_title = "Event log"
        self.rows: range = range(0)  # indexes into replay.events of the rows shown
        self.highlighted: int | None = None  # index of the highlighted row's event: the last that has happened

    def show(self, count: int) -> None:
        """The rows around event `count` (the last one that has happened), which is highlighted."""
        height = self.content_region.height
        rows = max(1, height - 1) if height else 8  # one line is the header
        before = rows // 2
        start = max(0, min(count - 1 - before, len(self.replay) - rows))
        colors = self.app.theme_variables
        table = Table(box=None, show_header=True, header_style="bold", expand=True, padding=(0, 1), pad_edge=False)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Time", no_wrap=True)
        table.add_column("Actor", no_wrap=True, max_width=24, overflow="ellipsis")
        table.add_column("Kind", no_wrap=True, overflow="ellipsis")
        table.add_column("What happened", ratio=1, overflow="ellipsis", no_wrap=True)
        self.rows = range(start, min(len(self.replay), start + rows))
        self.highlighted = count - 1 if count else None
        for i in self.rows:
            e = self.replay.events[i]
            actor = e.participant if not e.role else f"{e.participant} ({e.role})"
            style = resolve("bold reverse $accent", colors) if i == count - 1 else ("dim" if i >= count else "")
            table.add_row(str(e.seq or i + 1), format_drill_time(e.drill_time)[2:], actor, e.kind, Text(summary(e)), style=style)
        set_subtitle(self, f"event {count} of {len(self.replay)}" + (" · dim: still to come" if count < len(self.replay) else ""))
        self.update(table)
