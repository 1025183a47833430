"""Bare `drilltui`: the home screen, then the dashboard for what was chosen."""

from __future__ import annotations

import argparse
from pathlib import Path

from drilltui.commands.options import default_db
from drilltui.paths import bundled_scenarios, local_scenarios
from drilltui.scenario import ScenarioError, load


def scenario_entries() -> list:
    """The scenarios to start from: ./scenarios first, then the bundled ones; a local file replaces a bundled one of the same id."""
    from drilltui.ui.home import ScenarioEntry

    entries: dict[str, ScenarioEntry] = {}
    for where, paths in (("local", local_scenarios()), ("bundled", bundled_scenarios())):
        for path in paths:
            try:
                s = load(path)
                entry = ScenarioEntry(path, s.id, s.title, s.type, where, domain=s.domain)
            except ScenarioError as exc:
                entry = ScenarioEntry(path, path.stem, "", "?", where, f"{len(exc.errors)} problems")
            if entry.id in entries:
                kept = entries[entry.id]
                if kept.where == "local" and where == "bundled":
                    entries[entry.id] = ScenarioEntry(kept.path, kept.id, kept.title, kept.kind,
                                                      "local, replaces bundled", kept.problem, kept.domain)
                continue
            entries[entry.id] = entry
    return list(entries.values())


async def drill_entries(db: Path) -> list:
    from drilltui.store import StoreError, open_log
    from drilltui.ui.home import DrillEntry

    if not db.exists():
        return []
    try:
        log = await open_log(db, readonly=True, create=False)
    except StoreError:
        return []
    from drilltui.commands.drills import rehearsal_of, with_mark

    try:
        records = (await log.drills())[:50]
        marks = [await rehearsal_of(log, d.id) for d in records]
    finally:
        await log.close()
    return [
        DrillEntry(d.id, d.scenario_id, (d.started or d.created_at)[:16].replace("T", " "),
                   with_mark("ended" if d.ended else ("running" if d.started else "ready"), mark), d.events)
        for d, mark in zip(records, marks)
    ]


class HomeOpener:
    """Opens what the home screen chose: a new drill, a resumed one, or a replay, in the default database."""

    def __init__(self, db: Path) -> None:
        self.db = db

    async def open(self, action: str, target: str) -> object:
        """What was chosen, opened; anything that goes wrong is one line (UserError) for the home screen."""
        try:
            return await self._open(action, target)
        except Exception as exc:
            from drilltui.errors import UserError, describe

            message = describe(exc)
            if message is None:
                raise
            raise UserError(message) from None

    async def _open(self, action: str, target: str) -> object:
        from drilltui.commands.dashboard import open_live
        from drilltui.commands.replay import open_replay
        from drilltui.store import open_log
        from drilltui.store.location import is_url
        from drilltui.ui.replay import ReplaySource

        if action == "start":
            if not is_url(self.db):
                self.db.parent.mkdir(parents=True, exist_ok=True)
            return await open_live(self.db, scenario=load(Path(target)), announce=False)
        if action == "resume":
            return await open_live(self.db, resume=target, announce=False)
        log = await open_log(self.db, readonly=True, create=False)
        source = await open_replay(log, target)
        assert isinstance(source, ReplaySource)
        source.close = log.close
        return source

    async def refresh(self, screen: object) -> None:
        from drilltui.ui.home import HomeScreen

        if isinstance(screen, HomeScreen):
            screen.set_drills(await drill_entries(self.db))


def run(args: argparse.Namespace) -> int:
    import asyncio

    from drilltui.ui.app import DrilltuiApp
    from drilltui.ui.home import HomeScreen
    from drilltui.ui.settings import load_settings

    db = default_db()

    async def main() -> int:
        home = HomeScreen(scenario_entries(), await drill_entries(db), f"{db}")
        app = DrilltuiApp(home, settings=load_settings(), opener=HomeOpener(db))
        await app.run_async()
        return app.return_code or 0

    return asyncio.run(main())
