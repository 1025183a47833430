"""A table of rows that redraws only what changed: a live drill refreshes often, and mostly nothing moves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget


def set_subtitle(widget: Widget, text: str) -> None:
    """Set a border subtitle only when it changes: setting one repaints the whole widget."""
    if widget.border_subtitle != text:
        widget.border_subtitle = text


Cell = Text | str


def _shares(spare: int, weights: Mapping[str, int]) -> dict[str, int]:
    """`spare` cells split by weight, the remainder to the last, so they add up exactly."""
    total = sum(weights.values())
    if not weights or total <= 0:
        return {}
    out = {k: spare * w // total for k, w in weights.items()}
    last = list(weights)[-1]
    out[last] += spare - sum(out.values())
    return out


def plain_len(cell: object) -> int:
    """How many cells a cell's text takes."""
    return cell.cell_len if isinstance(cell, Text) else len(str(cell))


def _cell(value: object) -> Cell:
    return value if isinstance(value, (Text, str)) else str(value)


class RowTable(ScrollView, can_focus=True):
    """Rows of cells under a fixed header, drawn a line at a time (Textual's Line API).

    The owner hands over whole lists of rows with `sync_rows`; only rows whose
    cells changed are repainted, and only the rows on screen are ever drawn,
    however many there are. Columns are chosen to fit the width, most important
    first, and the FLEX columns share whatever width is left, so text is cut
    only when there is no room for it. Heading rows (`sync_rows(..., headings=)`)
    name a group of the rows below them across the whole width; the cursor
    passes over them, so a heading is never selected.
    """

    class Highlighted(Message):
        """The cursor moved to another row (or the row under it changed key)."""

        def __init__(self, table: RowTable, key: str | None) -> None:
            self.table = table
            self.key = key
            super().__init__()

        @property
        def control(self) -> RowTable:
            return self.table

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="rows-up"),
        Binding("down", "cursor(1)", "Down", show=False, id="rows-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="rows-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="rows-page-down"),
        Binding("home", "edge(0)", "First", show=False, id="rows-first"),
        Binding("end", "edge(1)", "Last", show=False, id="rows-last"),
    ]
    COMPONENT_CLASSES = {"rowtable--header", "rowtable--cursor", "rowtable--odd", "rowtable--heading"}
    DEFAULT_CSS = """
    RowTable { height: auto; max-height: 100%; scrollbar-size-horizontal: 0; }
    RowTable > .rowtable--header { text-style: bold; background: $panel; }
    RowTable > .rowtable--cursor { background: $block-cursor-blurred-background; }
    RowTable:focus > .rowtable--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
                                         text-style: bold; }
    RowTable > .rowtable--odd { background: $surface-lighten-1 10%; }
    RowTable > .rowtable--heading { text-style: bold; color: $accent; }
    """

    # Columns in order of importance, each with its narrowest useful width. As many
    # as fit are shown, in this order; the FLEX columns share what is left, by weight.
    COLUMNS: tuple[tuple[str, str], ...] = ()
    WIDTHS: dict[str, int] = {}
    FLEX: dict[str, int] = {}
    PRIORITY: tuple[str, ...] = ()  # the order columns are given room in (default: COLUMNS order)
    PADDING = 1  # cells of space on each side of a column

    def __init__(self, *, zebra: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zebra = zebra
        self.rows: list[tuple[str, tuple[Cell, ...]]] = []
        self._given: Sequence[tuple[str, Mapping[str, object]]] = ()  # as the owner gave them, every column
        self.natural: dict[str, int] = {}  # the width a flex column's text needs, when the owner said (want)
        self.keys: list[str] = []  # the columns shown
        self.widths: list[int] = []
        self.cursor = 0
        self.headings: frozenset[str] = frozenset()  # keys of the rows that are group headings
        self._fitted: int | None = None
        self._announced: str | None = None
        self._strips: dict[int, tuple[object, Strip]] = {}  # row index -> (what it was drawn from, the line)

    # -- columns ------------------------------------------------------------------------

    def fit_columns(self) -> None:
        """Choose the columns that fit the table's width; only when the width changed."""
        width = self.scrollable_content_region.width
        if width == self._fitted or width <= 0:
            return
        self._fitted = width
        room = max(0, width - 1)
        chosen: list[str] = []
        used = 0
        for key in self.PRIORITY or [k for k, _ in self.COLUMNS]:
            need = self.WIDTHS[key] + 2 * self.PADDING
            if chosen and used + need > room:
                break
            chosen.append(key)
            used += need
        chosen = [k for k, _ in self.COLUMNS if k in chosen]  # shown in their own order
        widths = {key: self.WIDTHS[key] for key in chosen}
        flex = {k: w for k, w in self.FLEX.items() if k in widths}
        spare = max(0, room - used)
        # First each flex column grows towards what its longest text needs, then what is left is shared by weight.
        wanted = {k: max(0, self.natural.get(k, 0) - widths[k]) for k in flex}
        if sum(wanted.values()) <= spare:
            for k, more in wanted.items():
                widths[k] += more
            spare -= sum(wanted.values())
            wanted = {}
        for key, share in _shares(spare, {k: (wanted[k] if wanted else w) for k, w in flex.items()}).items():
            widths[key] += share
        old = self.keys
        self.keys, self.widths = chosen, [widths[k] for k in chosen]
        if old != chosen:  # other columns: fill them from the rows last given
            self.rows = [(key, tuple(_cell(cells.get(c, "")) for c in self.keys)) for key, cells in self._given]
        self._strips.clear()
        self.refresh()

    def want(self, key: str, width: int) -> None:
        """A flex column's longest text is `width` cells: it gets that much before the others share what is left."""
        if self.natural.get(key) != width:
            self.natural[key] = width
            self._fitted = None  # fit again on the next sync_rows

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.COLUMNS)

    # -- rows ------------------------------------------------------------------------------

    @property
    def row_ids(self) -> list[str]:
        return [key for key, _ in self.rows]

    @property
    def selected(self) -> str | None:
        if not 0 <= self.cursor < len(self.rows) or self.rows[self.cursor][0] in self.headings:
            return None
        return self.rows[self.cursor][0]

    def _selectable(self, index: int, step: int) -> int:
        """The row nearest `index` that is not a heading, looking in the direction of `step` first."""
        step = 1 if step >= 0 else -1
        for direction in (step, -step):
            i = index
            while 0 <= i < len(self.rows):
                if self.rows[i][0] not in self.headings:
                    return i
                i += direction
        return index

    def cells(self, key: str) -> dict[str, Cell]:
        """The cells shown for the row `key`, by column."""
        for row_key, cells in self.rows:
            if row_key == key:
                return dict(zip(self.keys, cells))
        raise KeyError(key)

    def sync_rows(self, rows: Sequence[tuple[str, Mapping[str, object]]], headings: Iterable[str] = ()) -> None:
        """Show `rows` (key, cells by column key), `headings` the keys of group headings; keep the cursor on the same key."""
        self._given = rows
        headings = frozenset(headings)
        if headings != self.headings:
            self.headings = headings
            self._strips.clear()
            self.refresh()
        self.fit_columns()
        keep = self.selected
        new = [(key, tuple(_cell(cells.get(c, "")) for c in self.keys)) for key, cells in rows]
        same_keys = [k for k, _ in new] == self.row_ids
        old, self.rows = self.rows, new
        if same_keys:
            for index, ((_, cells), (_, before)) in enumerate(zip(new, old)):
                if cells != before:
                    self.refresh_lines(index + 1)
        else:
            self.virtual_size = Size(self.scrollable_content_region.width, len(new) + 1)
            ids = self.row_ids
            self.cursor = ids.index(keep) if keep in ids else min(self.cursor, max(0, len(ids) - 1))
            self.cursor = self._selectable(self.cursor, 1) if ids else 0
            self.refresh()
            self._keep_cursor_visible()
        self._announce()

    def move_to(self, key: str) -> None:
        """Put the cursor on the row with this key, if there is one."""
        if key in self.row_ids:
            self._move(self.row_ids.index(key))

    def _move(self, index: int, step: int = 1) -> None:
        index = self._selectable(max(0, min(index, len(self.rows) - 1)), step)
        if index != self.cursor:
            previous, self.cursor = self.cursor, index
            self.refresh_lines(previous + 1)
            self.refresh_lines(index + 1)
        self._keep_cursor_visible()
        self._announce()

    def _keep_cursor_visible(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        first = self.cursor  # with the headings just above it, so a group is never shown without its name
        while first > 0 and self.rows[first - 1][0] in self.headings:
            first -= 1
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def _announce(self) -> None:
        if self.selected != self._announced:
            self._announced = self.selected
            self.post_message(self.Highlighted(self, self.selected))

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta, delta)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor + direction * max(1, self.scrollable_content_region.height - 2), direction)

    def action_edge(self, end: int) -> None:
        self._move(len(self.rows) - 1 if end else 0, -1 if end else 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= 1:
            self.focus()
            self._move(int(self.scroll_offset.y) + offset.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns()
        self._keep_cursor_visible()

    def watch_has_focus(self, focused: bool) -> None:
        self._strips.clear()  # the cursor row is drawn differently with focus; focus moves rarely, so all of it
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def _line(self, cells: Sequence[Cell], style: Style) -> Strip:
        segments: list[Segment] = []
        console = self.app.console
        pad = Segment(" " * self.PADDING, style)
        for cell, width in zip(cells, self.widths):
            text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            text.no_wrap = True
            text.truncate(width, overflow="ellipsis", pad=True)
            segments.append(pad)
            segments.extend(Segment.apply_style(text.render(console), style))
            segments.append(pad)
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("rowtable--header")
            labels = self.labels
            return self._line([labels[k] for k in self.keys], base + header).extend_cell_length(width, base + header).crop(0, width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        key, cells = self.rows[index]
        if key in self.headings:
            return self._heading(index, cells, width, base)
        if index == self.cursor:
            style = base + self.get_component_rich_style("rowtable--cursor")
        elif self.zebra and index % 2:
            style = base + self.get_component_rich_style("rowtable--odd")
        else:
            style = base
        drawn_from = (key, cells, style, width)
        cached = self._strips.get(index)
        if cached is not None and cached[0] == drawn_from:
            return cached[1]
        strip = self._line(cells, style).extend_cell_length(width, style).crop(0, width)
        self._strips[index] = (drawn_from, strip)
        return strip

    def _heading(self, index: int, cells: Sequence[Cell], width: int, base: Style) -> Strip:
        """A heading row: its first cell across the whole width."""
        style = base + self.get_component_rich_style("rowtable--heading")
        drawn_from = ("heading", cells[:1], style, width)
        cached = self._strips.get(index)
        if cached is not None and cached[0] == drawn_from:
            return cached[1]
        label = cells[0] if cells else ""
        text = label.copy() if isinstance(label, Text) else Text(str(label))
        text.no_wrap = True
        text.truncate(max(0, width - 2 * self.PADDING), overflow="ellipsis", pad=True)
        pad = Segment(" " * self.PADDING, style)
        segments = [pad, *Segment.apply_style(text.render(self.app.console), style), pad]
        strip = Strip(segments).extend_cell_length(width, style).crop(0, width)
        self._strips[index] = (drawn_from, strip)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
