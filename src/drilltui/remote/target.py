"""What `serve` and `participants` are pointed at: a drill in the database, or a scenario to run."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from drilltui.errors import UserError
from drilltui.paths import find_scenario
from drilltui.scenario import Scenario, load, loads


@dataclass(frozen=True)
class Target:
    """A scenario, and the drill of it when there is one (`created`: made just now)."""

    scenario: Scenario
    drill_id: str | None = None
    created: bool = False
    ended: bool = False


def is_scenario_path(name: str) -> bool:
    path = Path(name)
    return path.is_file() or path.suffix in (".yaml", ".yml")


async def find_drill(db: Path, name: str) -> Target | None:
    """The drill `name` (an id or unique prefix) in `db`, or None when no drill id starts with it."""
    from drilltui.store import open_log

    if not db.exists():
        return None
    try:
        log = await open_log(db, readonly=True, create=False)
    except sqlite3.Error as exc:  # pragma: no cover - the store translates what it knows
        raise UserError(f"{db}: {exc}") from None
    try:
        if not any(d.id.startswith(name) for d in await log.drills()):
            return None
        record = await log.drill(name)
    finally:
        await log.close()
    scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
    return Target(scenario, record.id, ended=record.ended)


async def resolve(name: str, db: Path, *, create: bool) -> Target:
    """A drill id, a scenario file or a bundled scenario id; with `create`, a scenario gets a new drill.

    UserError (or the store's StoreError) when it is none of them or the database cannot be used.
    """
    if not is_scenario_path(name):
        found = await find_drill(db, name)
        if found is not None:
            return found
    try:
        path = find_scenario(name)
    except FileNotFoundError as exc:
        where = f"no drill '{name}' in {db}" if db.exists() else f"no database at {db}"
        raise UserError(f"{where}, and {exc}") from None
    scenario = load(path)
    return await create_drill(db, scenario) if create else Target(scenario)


async def create_drill(db: Path, scenario: Scenario) -> Target:
    """A new drill of `scenario` in `db` (created if need be)."""
    from drilltui.store import open_log

    async with await open_log(db, create=True) as log:
        drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text)
    return Target(scenario, drill_id, created=True)


async def check_writable(db: Path, drill_id: str) -> None:
    """Sessions append events: fail now, in one line, if the database is read-only, locked or not ours.

    The probe is a scheduler-lease write that expires at once: it needs the
    write lock, as every participant's action will, and changes nothing.
    """
    from drilltui.store import open_log

    async with await open_log(db, readonly=False, create=False) as log:
        holder = "drilltui-serve-probe"
        if await log.acquire_lease(drill_id, holder, ttl=0.001):
            await log.release_lease(drill_id, holder)
