"""Bare `drilltui`: the home screen, then the dashboard for what was chosen."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from drilltui.paths import bundled_scenarios, default_db, local_scenarios
from drilltui.scenario import ScenarioError, load


def scenario_entries() -> list:  # type: ignore[type-arg]
    from drilltui.ui.home import ScenarioEntry

    entries = []
    for where, paths in (("local", local_scenarios()), ("bundled", bundled_scenarios())):
        for path in paths:
            try:
                s = load(path)
                entries.append(ScenarioEntry(path, s.id, s.title, s.type, where))
            except ScenarioError as exc:
                entries.append(ScenarioEntry(path, path.stem, "", "?", where, f"{len(exc.errors)} problems"))
    return entries


async def drill_entries(db: Path) -> list:  # type: ignore[type-arg]
    from drilltui.store import StoreError, open_log
    from drilltui.ui.home import DrillEntry

    if not db.exists():
        return []
    try:
        log = await open_log(db, readonly=True, create=False)
    except StoreError:
        return []
    try:
        records = await log.drills()
    finally:
        await log.close()
    return [
        DrillEntry(d.id, d.scenario_id, (d.started or d.created_at)[:16].replace("T", " "),
                   "ended" if d.ended else ("running" if d.started else "ready"), d.events)
        for d in records[:50]
    ]


def run(args: argparse.Namespace) -> int:
    from drilltui.commands.dashboard import open_dashboard
    from drilltui.ui.home import HomeApp
    from drilltui.ui.settings import load_settings

    db = default_db()
    choice = HomeApp(scenario_entries(), asyncio.run(drill_entries(db)), f"{db}", load_settings().theme).run()
    if choice is None:
        return 0
    ns = argparse.Namespace(db=db, role=None, theme=None, scenario=choice.target)
    if choice.action == "start":
        return open_dashboard(ns, resume=None)
    if choice.action == "replay":
        from drilltui.commands import replay

        ns.drill, ns.at, ns.speed = choice.target, None, None
        return replay.run(ns)
    return open_dashboard(ns, resume=choice.target)
