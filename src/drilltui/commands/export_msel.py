"""`drilltui export-msel SCENARIO.yaml`: write a scenario's MSEL as a CSV spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drilltui.errors import UserError
from drilltui.scenario import load
from drilltui.scenario.msel import export_msel

DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-msel",
        help="write a scenario's MSEL as CSV",
        description=(
            "Write a scenario's injects as an MSEL spreadsheet (CSV, HSEEP-style headers) that "
            "import-msel reads back. Columns: docs/msel.md."
        ),
    )
    p.add_argument("scenario", metavar="SCENARIO.yaml", help="the scenario file")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="write the CSV here (default: standard output)")
    p.add_argument("--excel", action="store_true",
                   help="start with a UTF-8 byte order mark, so Excel shows accented letters right")
    p.add_argument("--delimiter", choices=tuple(DELIMITERS), default="comma",
                   help="cell separator (default comma; semicolon suits Excel in many European locales)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = load(args.scenario)
    text = export_msel(scenario, delimiter=DELIMITERS[args.delimiter])
    data = (("\ufeff" if args.excel else "") + text).encode("utf-8")
    if args.output == "-":
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        else:  # pragma: no cover - a stdout without bytes
            sys.stdout.write(data.decode("utf-8"))
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise UserError(f"{args.output}: cannot write the MSEL: {exc.strerror or exc}") from None
    n = len(scenario.injects)
    print(f"wrote {args.output}: {n} inject{'s' if n != 1 else ''} from {args.scenario}")
    return 0
