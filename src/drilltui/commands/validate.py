"""`drilltui validate FILE...`: check scenario files against the format."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drilltui.visible import visible

if TYPE_CHECKING:
    from drilltui.scenario import Scenario


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check scenario files",
        description="Check scenario files. Exit 0 when all are valid (warnings are printed), 2 when any is not.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files, or bundled scenario ids")
    p.set_defaults(func=run)


def loaded(name: str) -> Scenario | None:
    """The scenario a path or bundled id names, or None once every problem with it is printed on stderr."""
    from drilltui.paths import find_scenario
    from drilltui.scenario import ScenarioError, load

    try:
        path = find_scenario(name)  # a file, or a bundled (or ./scenarios) id
    except FileNotFoundError as exc:
        print(visible(f"{name}:1:1: error: {exc}"), file=sys.stderr)
        return None
    try:
        return load(path)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(visible(str(problem)), file=sys.stderr)
        errors = len(exc.errors)
        print(f"{visible(name)}: invalid ({errors} error{'s' if errors != 1 else ''})", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        scenario = loaded(name)
        if scenario is None:
            status = 2
            continue
        for problem in scenario.warnings:
            print(visible(str(problem)), file=sys.stderr)
        print(
            f"{visible(name)}: ok ({scenario.id}: {len(scenario.roles)} roles, "
            f"{len(scenario.injects)} injects, {len(scenario.objectives)} objectives)"
        )
    return status
