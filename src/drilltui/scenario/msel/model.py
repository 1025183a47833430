"""What an MSEL import passes between its steps: a sheet of cells in, a result out, and its error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from drilltui.errors import UserError
from drilltui.scenario.model import Problem, Scenario

MAX_BYTES = 16 * 1_048_576  # a workbook is bigger than its CSV


class MselError(UserError):
    """An MSEL file that cannot be read at all: one line naming the file."""


def _csv_where(name: str) -> Callable[[int], str]:
    return lambda row: f"{name}:{row}"


@dataclass
class Sheet:
    """One table of an MSEL, whatever file it came from: rows of text cells, numbered as its source numbers them.

    `records` holds every row from the top of the sheet (header and rows above it
    included); `first_row` is the number the source gives the first record.
    Foreign formats (T3SF, OpenAEV) fill in what a spreadsheet has no place for.
    """

    name: str  # the file, as messages name it
    records: list[list[str]]
    kind: str = "CSV"  # what the file was found to be, for the planner
    notes: list[str] = field(default_factory=list)  # `FILE: warning: ...` lines about the file itself
    first_row: int = 1
    where: Callable[[int], str] | None = None  # `FILE:ROW`, or how this source names a row
    row_word: str = "row"  # how a row is named in the YAML comments ("row", "item")
    split_lines_only: bool = False  # recipients are one per line (foreign formats list them)
    header_row: int | None = None  # a fixed header record index (foreign formats), else found
    guarded: bool = False  # a leading ' before a formula character is export-msel's guard (CSV)
    title: str | None = None
    summary: str | None = None
    roles: list[str] = field(default_factory=list)  # role names that may receive nothing
    objectives: list[tuple[str, str]] = field(default_factory=list)  # (id, text)

    def __post_init__(self) -> None:
        if self.where is None:
            self.where = _csv_where(self.name)


@dataclass(frozen=True)
class ImportResult:
    """A scenario made from an MSEL: its YAML text and what the planner should know."""

    yaml_text: str
    scenario_id: str
    warnings: tuple[str, ...]  # `FILE:ROW: warning: ...` and `FILE: note: ...` lines
    todo: tuple[str, ...]  # what to fill in or check before running the drill
    problems: tuple[Problem, ...] = ()  # loader errors when the YAML does not validate
    scenario: Scenario | None = None  # the loaded scenario when it validates
    injects: int = 0
    roles: int = 0
    objectives: int = 0
    skipped_rows: tuple[int, ...] = ()
    mapping: str = ""  # the --map that reproduces the columns used
    found: str = ""  # what the file was: "CSV", "XLSX workbook, sheet 'MSEL'", "T3SF MSEL JSON", ...

    @property
    def valid(self) -> bool:
        return self.scenario is not None
