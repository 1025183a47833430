"""`drilltui lint SCENARIO... [--max-per-10m N]`: what planners miss in scenario files that validate."""

from __future__ import annotations

import argparse
import sys

from drilltui.visible import visible


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of injects above zero")
    return value


def add(sub: argparse._SubParsersAction) -> None:
    from drilltui.scenario.vocabulary import DEFAULT_MAX_PER_10M

    p = sub.add_parser(
        "lint",
        help="find what a scenario's plan misses",
        description="Find what planners miss: roles sent nothing, objectives and critical tasks nothing tests, "
        "branches that can never fire, injects after the planned end, roles sent too much at once, decision "
        "options that lead nowhere. Each finding is one line FILE:LINE:COL: warning: .... Exit 0 when clean, "
        "1 with findings, 2 when a file does not validate.",
    )
    p.add_argument("files", nargs="+", metavar="SCENARIO", help="scenario YAML files, or bundled scenario ids")
    p.add_argument("--max-per-10m", type=positive, default=DEFAULT_MAX_PER_10M, metavar="N",
                   help=f"the most injects one role may receive in any ten minutes (default {DEFAULT_MAX_PER_10M})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from drilltui.commands.validate import loaded
    from drilltui.scenario.lint import lint

    status = 0
    for name in args.files:
        scenario = loaded(name)  # a file that does not validate is said as `drilltui validate` says it
        if scenario is None:
            status = 2
            continue
        findings = lint(scenario, max_per_10m=args.max_per_10m)
        # The loader's own warnings (an `at` beyond the duration) are findings of lint too: said once.
        said = {(p.line, p.col) for p in findings}
        findings += [p for p in scenario.warnings if (p.line, p.col) not in said]
        for problem in sorted(findings, key=lambda p: (p.line, p.col)):
            print(visible(str(problem)))
        n = len(findings)
        print(f"{visible(name)}: {n} finding{'s' if n != 1 else ''}" if n else f"{visible(name)}: no findings",
              file=sys.stderr)
        if n:
            status = max(status, 1)
    return status
