"""`drilltui export-msel SCENARIO-or-DRILL`: write a scenario's MSEL as a CSV or XLSX spreadsheet."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path
from drilltui.errors import UserError
from drilltui.paths import find_scenario

if TYPE_CHECKING:
    from drilltui.engine import DrillState
    from drilltui.scenario import Scenario

DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-msel",
        help="write a scenario's MSEL as CSV or XLSX",
        description=(
            "Write a scenario's injects as an MSEL spreadsheet (HSEEP-style headers) that import-msel reads "
            "back: CSV, or an Excel workbook (wrapped text, a frozen header row, fitting column widths). The "
            "scenario is a file, a bundled id, or a drill in the database (its stored scenario). Columns: docs/msel.md."
        ),
    )
    p.add_argument("scenario", metavar="SCENARIO-or-DRILL",
                   help="a scenario file, a bundled scenario id, or a drill id (or unique prefix) in the database")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="write the MSEL here (default: standard output)")
    p.add_argument("--format", choices=("csv", "xlsx"), default=None,
                   help="csv or xlsx (default: from -o's extension, else csv)")
    p.add_argument("--excel", action="store_true",
                   help="CSV: start with a UTF-8 byte order mark, so Excel shows accented letters right")
    p.add_argument("--delimiter", choices=tuple(DELIMITERS), default="comma",
                   help="CSV cell separator (default comma; semicolon suits Excel in many European locales)")
    add_db(p)
    p.set_defaults(func=run)


async def _drill_scenario(args: argparse.Namespace) -> Scenario:
    """A drill's MSEL as played: its stored scenario, and after its injects those written during play."""
    from drilltui.commands.folded import read_folded

    drill = await read_folded(args, args.scenario)
    return as_played(drill.scenario, drill.state, drill.record.id)


def as_played(scenario: Scenario, state: DrillState, drill_id: str) -> Scenario:
    """The scenario with the drill's ad-hoc injects added, each at the drill time it was sent, with a note saying so."""
    from drilltui.scenario import format_drill_time
    from drilltui.scenario.msel.cells import join_notes

    extra = []
    for inject_id, inject in state.adhoc.items():
        e = state.injects[inject_id].history[0]  # its inject_added
        by = f" by {e.participant} ({e.role})" if e.role else ""
        note = f"Ad hoc: written during play in drill {drill_id} at {format_drill_time(e.drill_time)}{by}"
        extra.append(replace(inject, at=int(e.drill_time), expected_action=join_notes(inject.expected_action, note)))
    return replace(scenario, injects=(*scenario.injects, *extra)) if extra else scenario


def scenario_of(args: argparse.Namespace) -> tuple[Scenario, str]:
    """The scenario named: a file or bundled id first, else a drill's stored scenario; and how to name it."""
    import asyncio

    try:
        path = find_scenario(args.scenario)
    except FileNotFoundError as missing:
        try:
            db_path(args, create=False)
        except UserError:
            raise UserError(str(missing)) from None
        from drilltui.store import StoreError

        try:
            played = asyncio.run(_drill_scenario(args))
            return played, f"drill {args.scenario}"
        except (UserError, StoreError) as exc:
            raise UserError(f"{missing}, and {exc}") from None
    from drilltui.scenario import load

    return load(path), str(path)


def run(args: argparse.Namespace) -> int:
    from drilltui.scenario.msel import export_msel, export_rows, write_xlsx

    fmt = args.format or ("xlsx" if Path(args.output).suffix.lower() == ".xlsx" else "csv")
    if fmt == "xlsx" and args.output == "-" and sys.stdout.isatty():
        raise UserError("an XLSX workbook is not for a terminal; write it to a file with -o msel.xlsx")
    scenario, name = scenario_of(args)
    if fmt == "xlsx":
        data = write_xlsx(export_rows(scenario), title="MSEL")
    else:
        text = export_msel(scenario, delimiter=DELIMITERS[args.delimiter])
        data = (("\ufeff" if args.excel else "") + text).encode("utf-8")
    if args.output == "-":
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        else:  # pragma: no cover - a stdout without bytes
            sys.stdout.write(data.decode("utf-8", "replace"))
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise UserError(f"{args.output}: cannot write the MSEL: {exc.strerror or exc}") from None
    n = len(scenario.injects)
    print(f"wrote {args.output}: {n} inject{'s' if n != 1 else ''} from {name}")
    return 0
