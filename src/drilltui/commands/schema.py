"""`drilltui schema`: print the JSON Schema of the scenario format."""

from __future__ import annotations

import argparse


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        help="print the scenario JSON Schema",
        description="Print the JSON Schema (draft 2020-12) of the scenario format, for editors and other tools.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from drilltui.scenario.schema import scenario_schema

    print(json.dumps(scenario_schema(), indent=2))
    return 0
