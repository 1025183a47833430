"""Open the dashboard for a new or resumed drill, wiring the store to the engine and the app."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import db_path, scenario_arg
from drilltui.commands.watchdog import Console, Watchdog
from drilltui.engine import CONTROL, Drill
from drilltui.errors import UserError
from drilltui.scenario import Scenario, format_drill_time, loads
from drilltui.visible import visible

if TYPE_CHECKING:
    from drilltui.ui.app import DrillApp


def pick_role(scenario: Scenario, wanted: str | None) -> str:
    """The role for this console: `--as`, else the first controller, else the implicit one."""
    if wanted:
        if scenario.role(wanted) is not None or (wanted == CONTROL and not scenario.controllers):
            return wanted
        roles = ", ".join(r.id for r in scenario.roles)
        raise UserError(f"--as {wanted}: no such role in {scenario.id} (roles: {roles})")
    return scenario.controllers[0].id if scenario.controllers else CONTROL


def participant_name(scenario: Scenario, role: str) -> str:
    name = os.environ.get("DRILLTUI_NAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        found = scenario.role(role)
        return (found.holder if found else None) or role


def check_theme(name: str | None) -> None:
    if not name:
        return
    from textual.theme import BUILTIN_THEMES

    from drilltui.ui.themes import load_themes

    themes, _ = load_themes()
    names = sorted({*BUILTIN_THEMES, *(t.name for t in themes)})
    if name not in names:
        raise UserError(f"--theme {name}: no such theme (themes: {', '.join(names)})")


async def _run(args: argparse.Namespace, resume: str | None, read_only: bool, participant: str | None, hotwash: bool,
               watchdog: Watchdog) -> int:
    from drilltui.journal import DrillJournal
    from drilltui.store import EventLog
    from drilltui.ui.app import DrillApp
    from drilltui.ui.settings import load_settings

    check_theme(getattr(args, "theme", None))
    scenario = None if resume else scenario_arg(args.scenario)
    db = db_path(args, create=not resume)
    log = await EventLog.open(db, create=not resume)
    try:
        if resume:
            record = await log.drill(resume)
            drill_id = record.id
            scenario = loads(record.scenario_text, f"<scenario of drill {drill_id}>")
        else:
            assert scenario is not None
            pick_role(scenario, getattr(args, "role", None))  # a bad --as fails before a drill is created
            drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text)
        role = pick_role(scenario, getattr(args, "role", None))
        name = participant or participant_name(scenario, role)
        drill = Drill(scenario, DrillJournal(log, drill_id), participant=name, role=role)
        await drill.load()
        if resume and not read_only and drill.state.role_kind(role) == "controller":
            await drill.pause_if_orphaned(on_wait=lambda: print(
                "drilltui: checking whether another console is running this drill (a few seconds)...", file=sys.stderr))
        app = DrillApp(drill, drill_id=drill_id, settings=load_settings(), theme=getattr(args, "theme", None), read_only=read_only, hotwash=hotwash)
        watchdog.attach(_console(app, drill, db, drill_id, read_only))
        await app.run_async()
    finally:
        await log.close()
    if app.return_code:
        return app.return_code
    state = drill.state
    print(visible(f"drill {drill_id}: {state.phase} at {format_drill_time(drill.now())}, {state.seq} events. "
          f"`drilltui resume {drill_id}` returns to it."))
    return 0


def _console(app: DrillApp, drill: Drill, db: Path, drill_id: str, read_only: bool) -> Console:
    """What the watchdog needs to log this console's leave, and to learn that the app logged it."""
    left = threading.Event()
    if read_only:
        left.set()  # a read-only console never joined
    drill.listeners.append(lambda _state, events: any(
        e.kind == "participant_left" and e.participant == drill.participant for e in events) and left.set())
    loop = asyncio.get_running_loop()
    return Console(db, drill_id, drill.participant, drill.role, lambda: loop.call_soon_threadsafe(app.exit), left)


def open_dashboard(
    args: argparse.Namespace, *, resume: str | None, read_only: bool = False,
    participant: str | None = None, hotwash: bool = False,
) -> int:
    watchdog = Watchdog()  # before any thread starts: a hang-up is then bounded whatever the UI does
    watchdog.start()
    try:
        return asyncio.run(_run(args, resume, read_only, participant, hotwash, watchdog))
    finally:
        watchdog.done()
