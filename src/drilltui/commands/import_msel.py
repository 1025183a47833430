"""`drilltui import-msel FILE.csv`: turn an MSEL spreadsheet into a scenario file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drilltui.errors import UserError
from drilltui.scenario.model import EXERCISE_TYPES
from drilltui.scenario.msel import MAX_BYTES, import_msel, read_bytes


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import-msel",
        help="turn an MSEL spreadsheet (CSV) into a scenario",
        description=(
            "Read an MSEL saved as CSV (comma, semicolon or tab; UTF-8 with or without BOM) and write "
            "a scenario YAML file. Rows that cannot be mapped are reported with their row number; "
            "the rest is imported. Columns and time formats: docs/msel.md."
        ),
    )
    p.add_argument("file", metavar="FILE.csv", help="the MSEL as CSV; - reads standard input")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="write the scenario here (default: standard output)")
    p.add_argument("--title", help="the scenario's title (default: a title row above the header, else the file name)")
    p.add_argument("--duration", help="planned length, e.g. 2h, 90m, 01:30 (HH:MM); default: the last inject plus a margin")
    p.add_argument("--id", dest="scenario_id", metavar="SLUG", help="the scenario's id (default: from the title)")
    p.add_argument("--type", dest="exercise_type", choices=EXERCISE_TYPES, default="tabletop",
                   help="HSEEP exercise type (default tabletop)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.file == "-":
        data, source = sys.stdin.buffer.read(MAX_BYTES + 1), "<stdin>"
    else:
        data, source = read_bytes(args.file), args.file
    to_file = args.output != "-"
    result = import_msel(
        data, source, title=args.title, duration=args.duration, scenario_id=args.scenario_id,
        exercise_type=args.exercise_type, output_name=args.output if to_file else "<scenario>",
    )
    if to_file:
        try:
            Path(args.output).write_text(result.yaml_text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.output}: cannot write the scenario: {exc.strerror or exc}") from None
    for line in result.warnings:
        print(line, file=sys.stderr)
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
        print(f"  - {item}", file=report)
    return 0
