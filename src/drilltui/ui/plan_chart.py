"""The plan chart: lanes of injects across drill time, drawn from a laid-out Timeline, only the part on screen."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rich.console import Group
from rich.text import Text
from textual.widget import Widget

from drilltui.scenario.durations import format_duration
from drilltui.scenario.timeline import BRANCH, RESPONSE, Lane, Placed, Timeline
from drilltui.ui.style import resolve, shown

LABEL = 16  # the lane names' column
SCALES = (5, 10, 15, 30, 60, 120, 300, 600, 1200)  # seconds per column, zoomed in to out
TICKS = (60, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400)

# What each mark means (docs/planning.md says the same).
GLYPHS = {
    "at": "●",  # at a set time
    "released": "↳",  # after its parent is released
    "acknowledged": "✓",  # after its parent is acknowledged (at the earliest)
    "resolved": "✔",  # after its parent is resolved (at the earliest)
    "escalated": "▲",  # after its parent is escalated (at the earliest)
    "expired": "✗",  # after its parent's deadline passes unacknowledged
    "decision": "◆",  # a branch: after one option of its parent's decision (at the earliest)
}
DEADLINE, CLIMB, LEAD = "!", "⇡", "┄"  # a deadline in the holder's lane; where it lands; the trigger's wait
MANUAL = "○"  # on the bench: released by a controller, when the drill needs it
END = "┃"  # the planned end of the drill (its `duration`)


@dataclass(frozen=True)
class ChartView:
    """What part of the plan is on screen and what is picked out."""

    scale: int = 30  # seconds per column
    start: int = 0  # drill time at the first column
    top: int = 0  # the first lane shown
    parties: bool = True  # the outside parties' lanes
    selected: str | None = None
    marked: frozenset[str] | None = None  # the injects that test the chosen objective; None: no objective chosen
    stale: bool = False  # the file no longer loads: this is the last plan that did


def glyph(p: Placed) -> str:
    if p.edge is None:
        return GLYPHS["at"]
    on = p.edge.on
    return GLYPHS["decision"] if on.startswith("decision:") else GLYPHS.get(on, "●")


def lanes_shown(timeline: Timeline, view: ChartView) -> list[Lane]:
    return [lane for lane in timeline.lanes if view.parties or lane.kind != "party"]


def tick_every(scale: int) -> int:
    """The labelled tick spacing: at least 12 columns apart."""
    return next((t for t in TICKS if t / scale >= 12), TICKS[-1])


def clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}"


class Canvas:
    """One lane's row of cells, each a character and a style."""

    def __init__(self, width: int, fill: str = " ", style: str = "") -> None:
        self.chars = [fill] * width
        self.styles = [style] * width
        self.free = [True] * width

    def put(self, col: int, text: str, style: str, *, only_free: bool = False, claim: bool = True) -> bool:
        """Write `text` at `col`; `only_free` writes only over cells nothing has claimed (ticks never claim one)."""
        if col < 0 or col + len(text) > len(self.chars):
            return False
        if only_free and not all(self.free[col:col + len(text)]):
            return False
        for k, ch in enumerate(text):
            self.chars[col + k], self.styles[col + k], self.free[col + k] = ch, style, not claim
        return True

    def text(self) -> Text:
        out = Text()
        for ch, style in zip(self.chars, self.styles, strict=True):
            out.append(ch, style=style or None)
        return out


def joined(label: str, style: str, row: Canvas) -> Text:
    """A lane's name in its style, then its cells in theirs (Text + Text would give the cells the name's style)."""
    out = Text()
    out.append(label, style=style or None)
    out.append_text(row.text())
    return out


@dataclass
class Chart:
    """Draws the lines of the chart for a width and a height (the widget's size)."""

    timeline: Timeline
    view: ChartView
    colors: dict[str, str] = field(default_factory=dict)

    def style(self, spec: str) -> str:
        return resolve(spec, self.colors)

    def col(self, t: int) -> int:
        return (t - self.view.start) // self.view.scale

    def lines(self, width: int, height: int) -> list[Text]:
        width = max(width, LABEL + 4)
        cells = width - LABEL
        out = [self.axis(cells)]
        lanes = lanes_shown(self.timeline, self.view)
        rows: list[Text] = []
        for lane in lanes[self.view.top:]:
            rows.append(self.lane_row(lane, cells))
            if lane.kind != "party":
                rows.append(self.load_row(lane, cells))
            if len(rows) >= height - 1:
                break
        out += rows[: max(0, height - 1)]
        if self.view.stale:
            out = [Text(line.plain, style=self.style("$text-muted")) for line in out]
        return out

    def axis(self, cells: int) -> Text:
        row = Canvas(cells, "─", self.style("$text-muted"))
        every = tick_every(self.view.scale)
        first = -(-self.view.start // every) * every
        for t in range(first, self.view.start + cells * self.view.scale, every):
            row.put(self.col(t), f"┬{clock(t)}", self.style("$text-muted"))
        row.put(self.col(self.timeline.scenario.duration), END, self.style("bold $warning"))
        return joined(f"{'T+ (hh:mm)':<{LABEL - 1}} ", self.style("$text-muted"), row)

    def lane_row(self, lane: Lane, cells: int) -> Text:
        row = Canvas(cells)
        every = tick_every(self.view.scale)
        for t in range(-(-self.view.start // every) * every, self.view.start + cells * self.view.scale, every):
            row.put(self.col(t), "·", self.style("$text-muted"), claim=False)
        row.put(self.col(self.timeline.scenario.duration), END, self.style("$warning"), claim=False)
        selected = self.timeline.by_id.get(self.view.selected or "")
        # Only what is on screen, and what leads onto it from the left (a trigger's wait starts at its parent).
        lane_injects = self.timeline.by_lane.get(lane.id, ())
        times = [p.time or 0 for p in lane_injects]
        first = bisect_left(times, self.view.start)
        last = bisect_right(times, self.view.start + cells * self.view.scale)
        here = list(lane_injects[first:last])
        related = self.related(selected)
        # Triggers first (under the marks), then the marks, then the ids where they fit.
        for p in here:
            parent = self.timeline.by_id.get(p.edge.parent) if p.edge else None
            if parent is not None and parent.time is not None and p.time is not None:
                a, b = self.col(parent.time) + 1, self.col(p.time)
                lead_style = self.style("$accent" if p.id in related else "$text-muted")
                for c in range(max(a, 0), min(b, cells)):
                    row.put(c, LEAD, lead_style, only_free=True)
        if selected is not None and selected.time is not None:
            for step in selected.chain:
                if step.role == lane.id:
                    row.put(self.col(step.deadline), DEADLINE, self.style("bold reverse $warning"))
                if step.to == lane.id:
                    row.put(self.col(step.deadline) + 1, CLIMB, self.style("bold $warning"))
        placed_cols: dict[int, int] = {}
        for p in here:
            assert p.time is not None
            c = self.col(p.time)
            if not 0 <= c < cells:
                continue
            placed_cols[c] = placed_cols.get(c, 0) + 1
            mark = glyph(p) if placed_cols[c] == 1 else (str(placed_cols[c]) if placed_cols[c] < 10 else "+")
            row.put(c, mark, self.mark_style(p, selected, related))
            row.free[c] = False
        for p in here:
            assert p.time is not None
            c = self.col(p.time)
            if 0 <= c < cells:
                row.put(c + 1, shown(p.id), self.id_style(p, selected), only_free=True)
        name = shown(lane.id if lane.kind != "party" else lane.title)
        if len(name) > LABEL - 2:
            name = name[: LABEL - 3] + "…"
        label_style = "$text-muted" if lane.kind == "party" else "bold"
        if selected is not None and lane.id in selected.lanes:
            label_style = "bold $accent"
        return joined(f"{'◇' if lane.kind == 'party' else ' '}{name:<{LABEL - 2}} ", self.style(label_style), row)

    def load_row(self, lane: Lane, cells: int) -> Text:
        row = Canvas(cells)
        counts = self.timeline.load.get(lane.id, ())
        span = max(1, self.timeline.window // self.view.scale)
        for k, n in enumerate(counts):
            c = self.col(k * self.timeline.window)
            if c + span <= 0 or c >= cells or n == 0:
                continue
            busy = n > self.timeline.threshold
            text = f"{n}!" if busy else str(n)
            style = self.style("bold reverse $error" if busy else "$text-muted")
            if span >= len(text) + 1:
                row.put(max(c, 0), "▁" * min(span - 1, cells - max(c, 0)), style)
            row.put(max(c, 0), text[: max(1, span)], style)
        return joined(f"{'':<{LABEL - 6}}load ", self.style("$text-muted"), row)

    def related(self, selected: Placed | None) -> set[str]:
        """The selected inject, its parent and its children: lit up together, so a branch reads as one."""
        if selected is None:
            return set()
        out = {selected.id}
        if selected.edge is not None:
            out.add(selected.edge.parent)
        out.update(e.child for e in self.timeline.children.get(selected.id, ()))
        return out

    def mark_style(self, p: Placed, selected: Placed | None, related: set[str]) -> str:
        if selected is not None and p.id == selected.id:
            return self.style("bold reverse $accent")
        if self.view.marked is not None:
            return self.style("bold $success" if p.id in self.view.marked else "$text-muted")
        if p.id in related:
            return self.style("bold $accent")
        if p.edge is not None and p.edge.link == BRANCH:
            return self.style("bold $warning")
        if p.edge is not None and p.edge.link == RESPONSE:
            return self.style("$secondary")
        return self.style("bold")

    def id_style(self, p: Placed, selected: Placed | None) -> str:
        if selected is not None and p.id == selected.id:
            return self.style("bold $accent")
        if self.view.marked is not None:
            return self.style("$success" if p.id in self.view.marked else "$text-muted")
        return self.style("$text-muted")


class PlanChart(Widget):
    """The chart on screen: the plan screen gives it a timeline and a view; it draws what fits."""

    DEFAULT_CSS = "PlanChart { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own keyword
        super().__init__(id=id)
        self.timeline: Timeline | None = None
        self.view = ChartView()

    def show(self, timeline: Timeline | None, view: ChartView) -> None:
        self.timeline, self.view = timeline, view
        scale = f"{format_duration(view.scale)} a column"
        self.border_subtitle = scale + (" · stale: the last plan that loaded" if view.stale else "")
        self.refresh()

    def render(self) -> Group:
        if self.timeline is None:
            return Group(Text("No plan has loaded yet: the file's problems are above.", style="italic"))
        chart = Chart(self.timeline, self.view, dict(self.app.theme_variables))
        return Group(*chart.lines(self.size.width, self.size.height))
