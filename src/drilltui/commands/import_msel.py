"""`drilltui import-msel FILE`: turn an MSEL (CSV, XLSX, T3SF JSON, OpenAEV export) into a scenario file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drilltui.scenario.msel.mapping import Column

import argparse
import sys
from pathlib import Path

from drilltui.errors import UserError
from drilltui.scenario.vocabulary import EXERCISE_TYPES
from drilltui.visible import visible


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import-msel",
        help="turn an MSEL (CSV, XLSX, T3SF JSON, OpenAEV export) into a scenario",
        description=(
            "Read an MSEL and write a scenario YAML file. The kind of file is told by its content: CSV "
            "(comma, semicolon or tab), an Excel workbook (XLSX), a T3SF MSEL JSON, or an OpenAEV/OpenBAS "
            "scenario export (its zip or the JSON inside). Rows that cannot be mapped are reported with their "
            "row number; the rest is imported. Columns, mappings and time formats: docs/msel.md."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the MSEL; - reads standard input")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="write the scenario here (default: standard output)")
    p.add_argument("--title", help="the scenario's title (default: a title row above the header, else the file name)")
    p.add_argument("--duration", help="planned length, e.g. 2h, 90m, 01:30 (HH:MM); default: the last inject plus a margin")
    p.add_argument("--id", dest="scenario_id", metavar="SLUG", help="the scenario's id (default: from the title)")
    p.add_argument("--type", dest="exercise_type", choices=EXERCISE_TYPES, default="tabletop",
                   help="HSEEP exercise type (default tabletop)")
    p.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read (default: the one that looks like an MSEL)")
    p.add_argument("--map", dest="mapping", metavar="MAP",
                   help="which column holds what, by letter or header: time=B,to=C,title=D,message=E "
                        "(or a YAML file of such lines); the importer prints the mapping it used")
    p.add_argument("--split-recipients", action="store_true",
                   help="a / or & in a To cell separates names (default: PR/Comm and Legal & Policy are one role each)")
    p.add_argument("--start", metavar="WHEN",
                   help="the wall-clock start of the drill (2024-05-01 09:00, or 09:00) for clock times and D+1 09:00 "
                        "(default: the first row's time is T+0)")
    p.set_defaults(func=run)


def _mapping(spec: str | None) -> dict[str, Column] | None:
    from drilltui.scenario.msel import load_mapping, parse_mapping, read_bytes

    if spec is None:
        return None
    if "=" not in spec and Path(spec).exists():
        return load_mapping(read_bytes(spec), spec)
    return parse_mapping(spec)


def run(args: argparse.Namespace) -> int:
    from drilltui.scenario.msel import MAX_BYTES, import_msel, read_bytes

    if args.file == "-":
        data, source = sys.stdin.buffer.read(MAX_BYTES + 1), "<stdin>"
        if len(data) > MAX_BYTES:
            raise UserError(f"standard input holds more than {MAX_BYTES:,} bytes; is this an MSEL?")
    else:
        data, source = read_bytes(args.file), args.file
    to_file = args.output != "-"
    result = import_msel(
        data, source, title=args.title, duration=args.duration, scenario_id=args.scenario_id,
        exercise_type=args.exercise_type, output_name=args.output if to_file else "<scenario>",
        sheet=args.sheet, mapping=_mapping(args.mapping), split_recipients=args.split_recipients, start=args.start,
    )
    if to_file:
        try:
            Path(args.output).write_text(result.yaml_text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.output}: cannot write the scenario: {exc.strerror or exc}") from None
    print(visible(f"{source}: note: read as {result.found}"), file=sys.stderr)
    for line in result.warnings:
        print(visible(line), file=sys.stderr)
    if not to_file:
        sys.stdout.write(result.yaml_text)
        sys.stdout.flush()
    report = sys.stdout if to_file else sys.stderr
    where = args.output if to_file else "standard output"
    skipped = len(result.skipped_rows)
    print(
        f"wrote {where}: {result.injects} inject{'s' if result.injects != 1 else ''}, "
        f"{result.roles} roles, {result.objectives} objectives"
        + (f" ({skipped} row{'s' if skipped != 1 else ''} skipped)" if skipped else ""),
        file=report,
    )
    if not result.valid:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{where}: written, but it does not validate yet; fill in what the lines above name, "
              "then run `drilltui validate`", file=sys.stderr)
        return 2
    print("check before running the drill:", file=report)
    for item in result.todo:
        print(visible(f"  - {item}"), file=report)
    return 0
