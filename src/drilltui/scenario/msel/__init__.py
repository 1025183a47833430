"""MSEL spreadsheets in and out: CSV, XLSX, T3SF JSON and OpenAEV exports into scenario YAML, and scenarios back to CSV or XLSX.

One module per job: `read` tells the kind of file, `csvfile`, `xlsx`, `t3sf`
and `openaev` turn each kind into a `Sheet`, `columns` names the columns,
`mapping` reads `--map`, `times` and `cells` read the cells, `roles` makes
recipients into roles, `build` makes the scenario, `yamlout` writes it, and
`export` and `guard` write the MSEL again.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from drilltui.gcpause import gc_paused
from drilltui.scenario.msel.build import clean_cell, import_sheet
from drilltui.scenario.msel.cells import (
    NOTES_HEADING,
    derive_title,
    escape_bars,
    format_trigger,
    join_notes,
    map_method,
    map_severity,
    parse_decision,
    parse_objectives,
    parse_trigger,
    sanitise_id,
    slugify,
    split_names,
    split_notes,
    unescape_split,
)
from drilltui.scenario.msel.columns import SYNONYMS, match_column, normalise_header
from drilltui.scenario.msel.export import EXPORT_COLUMNS, METHOD_LABELS, export_msel, export_rows
from drilltui.scenario.msel.guard import guard_cell
from drilltui.scenario.msel.mapping import Column, load_mapping, parse_mapping
from drilltui.scenario.msel.model import MAX_BYTES, ImportResult, MselError, Sheet
from drilltui.scenario.msel.read import read_bytes, read_sheet
from drilltui.scenario.msel.roles import CONTROL_ROLE, PLACEHOLDER_ROLE, recipient
from drilltui.scenario.msel.times import parse_offset, parse_start
from drilltui.scenario.msel.xlsx import write_xlsx
from drilltui.scenario.msel.yamlout import dump_scenario


def import_msel(
    data: bytes,
    path: str,
    *,
    sheet: str | None = None,
    mapping: dict[str, Column] | str | None = None,
    split_recipients: bool = False,
    start: datetime.datetime | str | None = None,
    **options: object,
) -> ImportResult:
    """Read an MSEL file's bytes (any kind `read_sheet` knows) into scenario YAML; MselError when it cannot be used.

    `path` names the file in messages; the other options are `import_sheet`'s.
    """
    if isinstance(mapping, str):
        mapping = parse_mapping(mapping)
    if isinstance(start, str):
        when = parse_start(start)
        if when is None:
            raise MselError(f"--start '{start}' is not a date and time; write it as 2024-05-01 09:00 or 09:00")
        start = when
    with gc_paused():  # the sheet, drafts and scenario hold no cycles; the collector's passes only cost
        table = read_sheet(data, path, sheet)
        return import_sheet(table, mapping=mapping, split_recipients=split_recipients, start=start,
                            found=table.kind, **options)  # type: ignore[arg-type]


def import_file(path: str | Path, **options: object) -> ImportResult:
    """import_msel on a file; MselError naming it when it cannot be read."""
    return import_msel(read_bytes(path), str(path), **options)  # type: ignore[arg-type]


__all__ = [
    "CONTROL_ROLE", "EXPORT_COLUMNS", "MAX_BYTES", "METHOD_LABELS", "NOTES_HEADING", "PLACEHOLDER_ROLE", "SYNONYMS",
    "Column", "ImportResult", "MselError", "Sheet", "clean_cell", "derive_title", "dump_scenario", "escape_bars",
    "export_msel", "export_rows", "format_trigger", "guard_cell", "import_file", "import_msel", "import_sheet",
    "join_notes", "load_mapping", "map_method", "map_severity", "match_column", "normalise_header", "parse_decision",
    "parse_mapping", "parse_objectives", "parse_offset", "parse_start", "parse_trigger", "read_bytes", "read_sheet",
    "recipient", "sanitise_id", "slugify", "split_names", "split_notes", "unescape_split", "write_xlsx",
]
