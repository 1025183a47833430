"""Tables that redraw only what changed: a live drill refreshes often, and mostly nothing moves."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


def set_subtitle(widget: Widget, text: str) -> None:
    """Set a border subtitle only when it changes: setting one repaints the whole widget."""
    if getattr(widget, "_subtitle_shown", None) != text:
        widget._subtitle_shown = text  # type: ignore[attr-defined]
        widget.border_subtitle = text


class SyncedTable(DataTable):
    """A DataTable fed whole lists of rows, which updates only the cells that changed.

    Columns have fixed widths (cells end in an ellipsis): the layout never jumps
    as a drill goes on, and no cell needs measuring on every update.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._synced: list[tuple[str, tuple[object, ...]]] = []
        self._column_keys: list[str] = []
        self._fitted: int | None = None

    # Columns in order of importance, each with its narrowest useful width. As many
    # as fit are shown, in this order; FLEX takes whatever width is left.
    COLUMNS: tuple[tuple[str, str], ...] = ()
    WIDTHS: dict[str, int] = {}
    FLEX: str | None = None

    def fit_columns(self) -> None:
        """Choose the columns that fit the table's width; rebuild only when the width changed."""
        width = self.content_region.width
        if width == self._fitted:
            return
        self._fitted = width
        room = max(0, width - 2)  # a vertical scrollbar may need two cells
        chosen: list[tuple[str, str]] = []
        used = 0
        for key, label in self.COLUMNS:
            need = self.WIDTHS[key] + 2 * self.cell_padding
            if chosen and used + need > room:
                break
            chosen.append((key, label))
            used += need
        widths = dict(self.WIDTHS)
        if self.FLEX in dict(chosen):
            widths[self.FLEX] += max(0, room - used)
        self.clear(columns=True)
        self._synced = []
        for key, label in chosen:
            self.add_column(label, key=key, width=widths[key])
        self._column_keys = [key for key, _ in chosen]

    def _update_rows(self, changed: list[tuple[int, str, tuple[object, ...], tuple[object, ...]]]) -> None:
        """Put new values in changed rows and repaint those rows alone.

        DataTable.update_cell repaints the whole table for one cell, which costs
        every connected screen a full table render whenever one row changes.
        Here the values go in place, the table's render caches are invalidated
        once, and only the changed rows' regions are marked for repainting;
        other rows are re-rendered only when something else repaints them.
        """
        data = getattr(self, "_data", None)
        if not isinstance(data, dict) or not isinstance(getattr(self, "_update_count", None), int):
            for _, key, cells, old in changed:  # a DataTable without these internals: the public, slower way
                for column, value, before in zip(self._column_keys, cells, old):
                    if value != before:
                        self.update_cell(key, column, value)
            return
        for _, key, cells, _old in changed:
            row = data[RowKey(key)]
            for column, value in zip(self._column_keys, cells):
                row[ColumnKey(column)] = value
        self._update_count += 1
        for index, *_ in changed:
            self.refresh_row(index)

    @property
    def row_ids(self) -> list[str]:
        return [key for key, _ in self._synced]

    @property
    def selected(self) -> str | None:
        ids = self.row_ids
        return ids[self.cursor_row] if 0 <= self.cursor_row < len(ids) else None

    def sync_rows(self, rows: Sequence[tuple[str, dict[str, object]]]) -> None:
        """Show `rows` (key, cells by column key); keep the cursor on the same key."""
        new = [(key, tuple(cells[c] for c in self._column_keys)) for key, cells in rows]
        if [k for k, _ in new] == self.row_ids:
            changed = [(index, key, cells, old) for index, ((key, cells), (_, old)) in enumerate(zip(new, self._synced))
                       if cells != old]
            if changed:
                self._update_rows(changed)
            self._synced = new
            return
        keep = self.selected
        self.clear()
        for key, cells in new:
            self.add_row(*cells, key=key)
        self._synced = new
        ids = self.row_ids
        if keep in ids:
            self.move_cursor(row=ids.index(keep), animate=False)
