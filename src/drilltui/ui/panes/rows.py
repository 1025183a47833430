"""Tables that redraw only what changed: a live drill refreshes often, and mostly nothing moves."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


class SyncedTable(DataTable):
    """A DataTable fed whole lists of rows, which updates only the cells that changed.

    Columns have fixed widths (cells end in an ellipsis): the layout never jumps
    as a drill goes on, and no cell needs measuring on every update.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._synced: list[tuple[str, tuple[object, ...]]] = []
        self._column_keys: list[str] = []
        self._compact: bool | None = None

    COLUMNS: tuple[tuple[str, str], ...] = ()
    COMPACT: tuple[tuple[str, str], ...] = ()
    WIDTHS: dict[str, int] = {}
    COMPACT_WIDTHS: dict[str, int] = {}

    def set_compact(self, compact: bool) -> None:
        """Fewer, narrower columns for narrow terminals."""
        if compact == self._compact:
            return
        self._compact = compact
        self.clear(columns=True)
        self._synced = []
        widths = self.COMPACT_WIDTHS if compact else self.WIDTHS
        columns = self.columns_for(compact)
        for key, label in columns:
            self.add_column(label, key=key, width=widths.get(key))
        self._column_keys = [key for key, _ in columns]

    def columns_for(self, compact: bool) -> tuple[tuple[str, str], ...]:
        return self.COMPACT if compact and self.COMPACT else self.COLUMNS

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
            for (key, cells), (_, old) in zip(new, self._synced):
                for column, value, before in zip(self._column_keys, cells, old):
                    if value != before:
                        self.update_cell(key, column, value)
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
