"""Arguments that several subcommands share, and how they are read."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.errors import UserError
from drilltui.paths import data_dir, find_scenario
from drilltui.store.location import is_url, location

if TYPE_CHECKING:
    from drilltui.scenario import Scenario


def default_db() -> Path:
    """`$DRILLTUI_DB` (a file, or a postgresql:// URL, which stays a URL), else drills.db in the user's data directory."""
    env = os.environ.get("DRILLTUI_DB")
    return location(env) if env else data_dir() / "drills.db"  # type: ignore[return-value]


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", metavar="FILE|URL", type=location, default=None,
        help="the drill database: a SQLite file, or postgresql://user@host/dbname "
        "(default: $DRILLTUI_DB or drills.db in your data directory)",
    )


def db_path(args: argparse.Namespace, *, create: bool) -> Path:
    """The --db file (its folder made with `create`), or a postgresql:// URL as it is."""
    path: Path = args.db or default_db()
    if is_url(path):
        return path
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the folder {path.parent} for the database: {exc.strerror}") from None
    elif not path.exists():
        raise UserError(f"no database at {path}; run a drill first or pass --db FILE")
    return path


def scenario_arg(name: str) -> Scenario:
    """Load a scenario given as a path or a bundled id; ScenarioError on problems."""
    from drilltui.scenario import load

    try:
        path = find_scenario(name)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    return load(path)


def start_wall_arg(text: str | None) -> float:
    """--start-wall: an ISO-8601 time with a zone, as epoch seconds; now when not given."""
    import time
    from datetime import datetime

    if text is None:
        return time.time()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"--start-wall '{text}' is not an ISO-8601 time such as 2026-01-01T09:00:00Z") from None
    if moment.tzinfo is None:
        raise UserError(f"--start-wall '{text}' needs a time zone, e.g. 2026-01-01T09:00:00Z")
    return moment.timestamp()


def until_arg(text: str | None) -> int | None:
    """--until: a drill time as scenario durations are written, or None."""
    from drilltui.scenario import parse_duration

    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UserError(f"--until: {exc}") from None
