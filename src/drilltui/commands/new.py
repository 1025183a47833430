"""`drilltui new [-o FILE] [--force]`: write a commented scenario to start from, asked in a form or given as flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from drilltui.errors import UserError
from drilltui.scenario.vocabulary import ROLE_FORM
from drilltui.visible import visible

if TYPE_CHECKING:
    from drilltui.scenario.answers import Answers

T = TypeVar("T")


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new",
        help="write a scenario to start from",
        description="Write a valid, commented scenario to start from: the exercise type, the domain, the title, "
        "the duration and the roles with their chain of command. On a terminal a form asks for what no flag "
        "gives; with no terminal every field must be a flag. The id is made from the title.",
    )
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write it (default: ID.yaml in this folder; - writes to standard output)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument("--type", metavar="TYPE", help="drill, tabletop (the default), functional or full-scale")
    p.add_argument("--domain", metavar="SLUG", help="the field it is written for: ai-lab, healthcare, energy, ...")
    p.add_argument("--title", metavar="TEXT", help="one line naming the exercise; the id is made from it")
    p.add_argument("--duration", metavar="DURATION", help="the planned length: 90m, 2h, 1h30m, ...")
    p.add_argument("--role", action="append", metavar=ROLE_FORM, default=[],
                   help="a role (repeat it for each): id, title, kind (player, controller, evaluator, observer, "
                   "simcell) and, for the chain of command, the role it reports to, e.g. soc:SOC Analyst:player:ic")
    p.set_defaults(func=run)


def _flag(name: str, reader: Callable[[str], T], value: str) -> T:
    try:
        return reader(value)
    except ValueError as exc:
        raise UserError(f"--{name}: {exc}") from None


def target(output: str | None, scenario_id: str) -> Path | None:
    """The file to write (None: standard output)."""
    if output == "-":
        return None
    return Path(output) if output else Path(f"{scenario_id}.yaml")


def exists_problem(path: Path | None, force: bool) -> str | None:
    if path is not None and path.exists() and not force:
        return f"{path} exists; pass --force to overwrite it, or -o another file"
    return None


def run(args: argparse.Namespace) -> int:
    from drilltui.scenario.answers import Answers, chain_problem, read_domain, read_duration, read_role, read_title, read_type, slug

    kind = _flag("type", read_type, args.type) if args.type is not None else "tabletop"
    domain = _flag("domain", read_domain, args.domain) if args.domain is not None else None
    title = _flag("title", read_title, args.title) if args.title is not None else None
    duration = _flag("duration", read_duration, args.duration) if args.duration is not None else None
    roles = tuple(_flag("role", read_role, spec) for spec in args.role)
    if roles and (problem := chain_problem(roles)) is not None:
        raise UserError(f"--role: {problem}")
    fixed = target(args.output, "") if args.output else None
    if (problem := exists_problem(fixed, args.force)) is not None:
        raise UserError(problem)  # before any form, so nobody fills one in vain
    missing = [flag for flag, value in (("--title TEXT", title), ("--duration DURATION", duration),
                                        (f"--role {ROLE_FORM}", roles)) if not value]
    if not missing:
        assert title is not None and duration is not None
        answers = Answers(title, duration, roles, kind, domain)
    elif sys.stdin.isatty() and sys.stdout.isatty():
        asked = _ask(args, kind, domain, title, duration)
        if asked is None:
            print("drilltui new: nothing written", file=sys.stderr)
            return 1
        answers = asked
    else:
        given = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
        raise UserError(f"no terminal to ask on: give {given} (see `drilltui new --help`)")
    return write(answers, target(args.output, slug(answers.title)), args.force)


def write(answers: Answers, path: Path | None, force: bool) -> int:
    from drilltui.scenario.starter import starter_text

    text = starter_text(answers)
    if path is None:
        sys.stdout.write(text)
        return 0
    if (problem := exists_problem(path, force)) is not None:
        raise UserError(problem)
    try:
        with open(path, "w" if force else "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise UserError(exists_problem(path, False) or f"{path} exists") from None
    print(visible(f"wrote {path}: {len(answers.roles)} roles, 4 example injects; "
                  f"check it with `drilltui lint {path}`, try it with `drilltui run {path}`"))
    return 0


def _ask(args: argparse.Namespace, kind: str, domain: str | None, title: str | None,
         duration: int | None) -> Answers | None:
    from drilltui.scenario import format_duration
    from drilltui.scenario.answers import slug
    from drilltui.ui.new_scenario import Draft, NewScenarioApp
    from drilltui.ui.settings import load_settings

    draft = Draft(kind, domain or "", title or "", format_duration(duration) if duration else "", "\n".join(args.role))
    app = NewScenarioApp(draft, check=lambda a: exists_problem(target(args.output, slug(a.title)), args.force),
                         settings=load_settings())
    return app.run()
