"""MSEL workbooks (XLSX, with openpyxl): every sheet listed, merged and multi-line cells kept, Excel's dates and times read; and written."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from drilltui.scenario.msel.columns import header_score
from drilltui.scenario.msel.model import MselError, Sheet

MAX_UNPACKED = 256 * 1_048_576  # a workbook that unpacks to more is not an MSEL (or is a zip bomb)
MAX_ROWS = 100_000
INSTALL = "pip install 'drilltui[xlsx]' (or pip install openpyxl)"


def _openpyxl(path: str, doing: str) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MselError(f"{path}: {doing} Excel workbooks needs openpyxl: {INSTALL}") from None
    return openpyxl


def is_workbook(names: Sequence[str]) -> bool:
    """Whether the names in a zip archive are those of an XLSX workbook."""
    return "xl/workbook.xml" in names or any(n.startswith("xl/worksheets/") for n in names)


def cell_text(value: object) -> str:
    """A cell's value as the import reads text: Excel times as `HH:MM:SS`, durations as `T+HH:MM:SS`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.timedelta):
        total = int(value.total_seconds())
        sign, total = ("-", -total) if total < 0 else ("+", total)
        h, rest = divmod(total, 3600)
        return f"T{sign}{h:02d}:{rest // 60:02d}:{rest % 60:02d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _rows(ws: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    last = 0
    for values in ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_ROWS), values_only=True):
        cells = [cell_text(v) for v in values]
        rows.append(cells)
        if any(c.strip() for c in cells):
            last = len(rows)
    del rows[last:]
    # A merged block shows its value in every row it covers: the rows below get it in the block's first column.
    for block in ws.merged_cells.ranges:
        if block.min_row - 1 >= len(rows):
            continue
        value = rows[block.min_row - 1][block.min_col - 1] if block.min_col - 1 < len(rows[block.min_row - 1]) else ""
        for r in range(block.min_row, min(block.max_row, len(rows))):
            row = rows[r]
            row.extend([""] * (block.min_col - len(row)))
            row[block.min_col - 1] = value
    return rows


def read_xlsx(data: bytes, path: str, sheet: str | None = None) -> Sheet:
    """The MSEL sheet of a workbook: `sheet` by name, else the one whose header names most MSEL columns."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise MselError(f"{path}: the workbook unpacks to more than {MAX_UNPACKED // 1_048_576} MiB; "
                                "is this an MSEL?")
    except zipfile.BadZipFile:
        raise MselError(f"{path}: starts like an Excel workbook but is damaged; save it again from Excel") from None
    openpyxl = _openpyxl(path, "reading")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise MselError(f"{path}: cannot read the workbook ({type(exc).__name__}: {str(exc)[:80]}); "
                        "save it again from Excel") from None
    names = list(wb.sheetnames)
    if sheet is not None and sheet not in names:
        raise MselError(f"{path}: no sheet '{sheet}'; the workbook has {', '.join(repr(n) for n in names)}")
    tables = {n: _rows(wb[n]) for n in names if sheet is None or n == sheet}
    if sheet is None:
        def score(n: str) -> tuple[int, int]:
            best = max((header_score(r) for r in tables[n][:10]), default=(0, False))
            return (best[0] if best[1] else 0, -names.index(n))
        sheet = max((n for n in names if tables[n]), key=score, default=names[0])
    listed = ", ".join(f"'{n}'" + (" (read)" if n == sheet else "") for n in names)
    notes = [f"{path}: note: the workbook has {len(names)} sheet{'s' if len(names) != 1 else ''}: {listed}"
             + ("; pick another with --sheet NAME" if len(names) > 1 else "")]
    return Sheet(path, tables.get(sheet, []), f"XLSX workbook, sheet '{sheet}'", notes,
                 where=lambda row: f"{path}[{sheet}]:{row}")


def write_xlsx(rows: Sequence[Sequence[str]], *, title: str = "MSEL") -> bytes:
    """A workbook of one sheet: a bold, frozen header row, wrapped text, column widths that fit; no formulas."""
    openpyxl = _openpyxl("export-msel", "writing")
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title[:31]
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            cell.alignment = wrap
    header = Font(bold=True)
    fill = PatternFill("solid", start_color="DDE4EE")
    for cell in ws[1]:
        cell.font = header
        cell.fill = fill
    ws.freeze_panes = "A2"
    for c in range(1, max((len(r) for r in rows), default=0) + 1):
        longest = max((max((len(line) for line in str(r[c - 1]).split("\n")), default=0)
                       for r in rows if c - 1 < len(r)), default=0)
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = max(8, min(60, longest + 2))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
