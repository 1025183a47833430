"""The replay timeline: the whole drill in one strip, with marks, density and the cursor."""

from __future__ import annotations

import bisect

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from drilltui.engine import events as ev
from drilltui.engine.replay import Replay
from drilltui.scenario import format_drill_time
from drilltui.ui.panes.rows import set_subtitle
from drilltui.ui.style import resolve

DENSITY = " ▁▂▃▄▅▆▇█"
# Mark and colour per kind; when several fall in one column the strongest shows.
MARKS: list[tuple[type, str, str]] = [
    (ev.InjectEscalated, "▲", "bold $warning"),
    (ev.InjectExpired, "!", "bold $error"),
    (ev.DecisionTaken, "◆", "bold $accent"),
    (ev.InjectReleased, "│", "$primary"),
]


def marks_line(replay: Replay, width: int) -> list[int]:
    """Per column, the index into MARKS of the strongest mark there, or -1."""
    out = [-1] * width
    end = max(replay.end_time, 1.0)
    kinds = [m[0] for m in MARKS]
    events = replay.events
    for e in (events[i] for i in replay.notable):  # the marked kinds are the replay's notable ones
        for rank, cls in enumerate(kinds):
            if isinstance(e.body, cls):
                col = min(width - 1, int(width * e.drill_time / end))
                if out[col] == -1 or rank < out[col]:
                    out[col] = rank
                break
    return out


def density_line(replay: Replay, width: int) -> list[int]:
    # Events per column, counted by bisection in the sorted drill times: a long log costs no more.
    end = max(replay.end_time, 1.0)
    times = replay.times

    def column(t: float) -> int:
        return min(width - 1, int(width * t / end))

    edges = [bisect.bisect_left(times, col, key=column) for col in range(width)] + [len(times)]
    counts = [edges[col + 1] - edges[col] for col in range(width)]
    top = max(counts) or 1
    return [0 if c == 0 else max(1, round((len(DENSITY) - 1) * c / top)) for c in counts]


class Timeline(Widget):
    """Two lines: marks over event density, with the cursor drawn across both. A click seeks there."""

    class Seek(Message):
        """The user clicked the strip: go to this drill time."""

        def __init__(self, drill_time: float) -> None:
            self.drill_time = drill_time
            super().__init__()

    DEFAULT_CSS = "Timeline { height: 4; border: round $primary; padding: 0 1; }"

    def __init__(self, replay: Replay, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.replay = replay
        self.cursor = 0.0
        self.border_title = "Timeline  │ release  ▲ escalation  ! expired  ◆ decision"
        self._cache: tuple[int, int, list[int], list[int]] | None = None

    def move(self, cursor: float, mode: str = "") -> None:
        """Put the cursor at drill time `cursor`; `mode` (playing, speed) leads the subtitle."""
        self.cursor = cursor
        # Watching a running drill, the cursor can be past the last event: the drill is that long now.
        where = f"{format_drill_time(cursor)} of {format_drill_time(max(cursor, self.replay.end_time))}"
        set_subtitle(self, f"{mode} · {where}" if mode else where)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not len(self.replay):
            return
        width = max(10, self.content_region.width)
        self.post_message(self.Seek(self.replay.end_time * min(1.0, max(0.0, offset.x / (width - 1)))))

    def render(self) -> Text:
        width = max(10, self.content_region.width)
        if self._cache is None or self._cache[:2] != (width, len(self.replay)):
            self._cache = (width, len(self.replay), marks_line(self.replay, width), density_line(self.replay, width))
        _, _, marks, density = self._cache
        colors = self.app.theme_variables
        end = max(self.replay.end_time, 1.0)
        at = min(width - 1, int(width * self.cursor / end))
        top, bottom = Text(), Text()
        for col in range(width):
            if col == at:
                top.append("┃", style=resolve("bold reverse $accent", colors))
                bottom.append("┃", style=resolve("bold reverse $accent", colors))
                continue
            rank = marks[col]
            if rank >= 0:
                _, mark, style = MARKS[rank]
                top.append(mark, style=resolve(style, colors))
            else:
                top.append(" ")
            bottom.append(DENSITY[density[col]], style=resolve("$text-muted", colors) if col > at else "")
        top.append("\n")
        top.append_text(bottom)
        return top
