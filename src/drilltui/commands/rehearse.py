"""`drilltui rehearse SCENARIO --policy POLICY`: play a scenario forward on a virtual clock with simulated responses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path, scenario_arg, start_wall_arg, until_arg
from drilltui.errors import UserError

if TYPE_CHECKING:
    from typing import TextIO

    from drilltui.engine.rehearsal_policy import Policy
    from drilltui.rehearsal import RehearsalResult
    from drilltui.scenario import Scenario


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rehearse", help="play a scenario forward with simulated responses",
        description="Rehearse SCENARIO before the day: play it on a virtual clock, as fast as it goes, with every "
        "role answering as POLICY says, and see which branches fire, what escalates to whom, which expectations "
        "would be missed and when the plan runs out. The result is a drill marked as a rehearsal, for "
        "`drilltui report`, `replay` and `export`; the last line printed is its id (docs/rehearsal.md).",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or bundled scenario id")
    p.add_argument("--policy", metavar="POLICY", required=True,
                   help="nobody (no role answers), everyone (every role answers within 1m), everyone:DURATION, "
                   "or a YAML file of response times per role and choices per decision")
    add_db(p)
    p.add_argument("--until", metavar="DURATION", help="end the rehearsal at this drill time (default: the scenario's duration)")
    p.add_argument("--start-wall", metavar="ISO", help="virtual wall-clock start, e.g. 2026-01-01T09:00:00Z (default: now)")
    p.set_defaults(func=run)


def load_policy(given: str) -> Policy:
    """The --policy argument: one of the words, else the path of a policy file."""
    from drilltui.engine.rehearsal_policy import WORDS, keyword, parse_policy
    from drilltui.scenario import Problem, ScenarioError
    from drilltui.scenario.loader import hint
    from drilltui.scenario.source import Unreadable, read_source
    from drilltui.scenario.yamldata import YamlDataError, decode

    try:
        word = keyword(given)
    except ValueError as exc:
        raise UserError(f"--policy {given}: {exc}") from None
    if word is not None:
        return word
    if not Path(given).exists():
        raise UserError(f"--policy '{given}' is not nobody, everyone, everyone:DURATION or a policy file "
                        f"(there is no file {given}){hint(given, WORDS)}")
    try:
        text = decode(read_source(given, "policy file"), "policy file")
    except Unreadable as exc:
        raise ScenarioError([Problem(given, 1, 1, str(exc))]) from None
    except YamlDataError as exc:
        raise ScenarioError([Problem(given, exc.mark.line, exc.mark.col, exc.message)]) from None
    return parse_policy(text, name=given)


async def rehearse_into(args: argparse.Namespace, scenario: Scenario, given: str, *, start_wall: float,
                        until: int | None = None, out: TextIO | None = None) -> RehearsalResult:
    """Rehearse `scenario` under the policy `given` (as --policy takes it) into the --db database."""
    from drilltui.rehearsal import rehearse
    from drilltui.store import open_log

    policy = load_policy(given)
    problems = policy.problems(scenario)
    if problems:  # before the database is opened: a bad policy leaves nothing behind
        from drilltui.scenario import ScenarioError

        raise ScenarioError(problems)
    async with await open_log(db_path(args, create=True)) as log:
        return await rehearse(scenario, policy, log, start_wall=start_wall, until=until, out=out)


async def _rehearse(args: argparse.Namespace) -> int:
    scenario = scenario_arg(args.scenario)
    until = until_arg(args.until)
    start = start_wall_arg(args.start_wall)
    result = await rehearse_into(args, scenario, args.policy, start_wall=start, until=until, out=sys.stdout)
    print(result.drill_id)
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_rehearse(args))
