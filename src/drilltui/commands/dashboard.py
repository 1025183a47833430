"""Open the console on a new, resumed or joined drill, or a replay: the store wired to the engine and the app."""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import os
import shlex
import sys
import threading
from pathlib import Path

from drilltui.commands.options import db_path, scenario_arg
from drilltui.commands.watchdog import Console, Watchdog
from drilltui.engine import CONTROL, Drill, Event
from drilltui.errors import UserError
from drilltui.scenario import Scenario, format_drill_time, loads
from drilltui.visible import visible

# Scenarios parsed before this process was forked (the SSH server's session template), by their text.
preloaded: dict[str, Scenario] = {}


def pick_role(scenario: Scenario, wanted: str | None) -> str:
    """The role for this console: `--as`, else the first controller, else the implicit one."""
    if wanted:
        if scenario.role(wanted) is not None or (wanted == CONTROL and not scenario.controllers):
            return wanted
        roles = ", ".join(r.id for r in scenario.roles)
        raise UserError(f"--as {wanted}: no such role in {scenario.id} (roles: {roles})")
    return scenario.controllers[0].id if scenario.controllers else CONTROL


def participant_name(scenario: Scenario, role: str, given: str | None = None) -> str:
    """Who this console is, as the log records it: `--name`, else the role's holder in the scenario, else the OS user."""
    if given and given.strip():
        return given.strip()
    env = os.environ.get("DRILLTUI_NAME")
    if env:
        return env
    found = scenario.role(role)
    if found is not None and found.holder:
        return found.holder
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return role


def check_theme(name: str | None) -> None:
    if not name:
        return
    from textual.theme import BUILTIN_THEMES

    from drilltui.ui.themes import load_themes

    themes, _ = load_themes()
    names = sorted({*BUILTIN_THEMES, *(t.name for t in themes)})
    if name not in names:
        raise UserError(f"--theme {name}: no such theme (themes: {', '.join(names)}; `drilltui themes` shows them)")


async def open_live(db: Path, *, scenario: Scenario | None = None, resume: str | None = None, role: str | None = None,
                    name: str | None = None, read_only: bool = False, hotwash: bool = False,
                    announce: bool = True) -> object:
    """A `Live` drill for the app: a new drill of `scenario`, or the drill `resume` of the database."""
    from drilltui.journal import DrillJournal
    from drilltui.store import open_log
    from drilltui.ui.app import Live

    if scenario is not None:
        pick_role(scenario, role)  # a bad --as fails before a drill is created
    log = await open_log(db, create=resume is None)
    try:
        if resume is not None:
            record = await log.drill(resume)
            drill_id = record.id
            scenario = preloaded.get(record.scenario_text) or loads(record.scenario_text, f"<scenario of drill {drill_id}>")
        else:
            assert scenario is not None
            drill_id = await log.create_drill(scenario.id, scenario.title, scenario.source_text)
        as_role = pick_role(scenario, role)
        drill = Drill(scenario, DrillJournal(log, drill_id), participant=participant_name(scenario, as_role, name), role=as_role)
        await drill.load()
        if resume is not None and not read_only and drill.state.role_kind(as_role) == "controller":
            def waiting() -> None:
                if announce:
                    print("drilltui: checking whether another console is running this drill (a few seconds)...",
                          file=sys.stderr)

            await drill.pause_if_orphaned(on_wait=waiting)
    except BaseException:
        await log.close()
        raise
    return Live(drill, drill_id, read_only=read_only, hotwash=hotwash, close=log.close)


def coming_back(db: Path, drill_id: str, drill: Drill, default_db: Path | None) -> str:
    """How this participant comes back to the drill: `resume` for a controller, `join ... --as ROLE` for anyone else."""
    where = "" if default_db is not None and db == default_db else f" --db {shlex.quote(str(db))}"
    if drill.state.role_kind(drill.role) == "controller":
        return f"drilltui resume {drill_id}{where}"
    return f"drilltui join {drill_id}{where} --as {drill.role} --name {shlex.quote(drill.participant)}"


def watch(watchdog: Watchdog, app: object, live: object, db: Path) -> None:
    """Tell the watchdog what it needs to log this console's leave, and to learn that the app logged it."""
    from drilltui.ui.app import DrilltuiApp, Live

    assert isinstance(app, DrilltuiApp) and isinstance(live, Live)
    drill = live.drill
    left = threading.Event()
    if live.read_only or not live.join:
        left.set()  # a console that never joined has no leave to log
    def on_events(_state: object, events: list[Event]) -> None:
        if any(e.kind == "participant_left" and e.participant == drill.participant for e in events):
            left.set()

    drill.listeners.append(on_events)
    loop = asyncio.get_running_loop()

    def ask_exit() -> None:
        loop.call_soon_threadsafe(app.exit)

    watchdog.attach(Console(db, live.drill_id, drill.participant, drill.role, ask_exit, left))


async def _run(args: argparse.Namespace, resume: str | None, read_only: bool, participant: str | None, hotwash: bool,
               watchdog: Watchdog) -> int:
    from drilltui.commands.options import default_db
    from drilltui.ui.app import DrilltuiApp, Live
    from drilltui.ui.settings import load_settings

    theme = getattr(args, "theme", None)
    check_theme(theme)
    scenario = None if resume else scenario_arg(args.scenario)
    db = db_path(args, create=not resume)
    live = await open_live(db, scenario=scenario, resume=resume, role=getattr(args, "role", None),
                           name=participant or getattr(args, "name", None), read_only=read_only, hotwash=hotwash)
    assert isinstance(live, Live)
    app = DrilltuiApp(live, settings=load_settings(), theme=theme, on_first_frame=gc.enable)
    watch(watchdog, app, live, db)
    try:
        await app.run_async()
    finally:
        if live.close is not None:
            await live.close()  # the app closes it on leaving; closing twice is harmless
    if app.return_code:
        return app.return_code
    drill = live.drill
    print(visible(f"drill {live.drill_id}: {drill.state.phase} at {format_drill_time(drill.now())}, {drill.state.seq} events. "
                  f"`{coming_back(db, live.drill_id, drill, default_db())}` returns to it."))
    return 0


def open_dashboard(
    args: argparse.Namespace, *, resume: str | None, read_only: bool = False,
    participant: str | None = None, hotwash: bool = False,
) -> int:
    watchdog = Watchdog()  # before any thread starts: a hang-up is then bounded whatever the UI does
    watchdog.start()
    # No cyclic garbage collection until the first frame is drawn (the app calls gc.enable then): what the
    # imports, the drill and the screen make before it lives as long as the console, and the collector's young
    # passes over it (a hundred or so) were wasted work (as the loader's gc_paused, for the same reason).
    gc.disable()
    import drilltui.ui.dashboard  # noqa: F401 - imported here, before the freeze below

    # What the imports made lives as long as the process: the cyclic collector need never walk it again,
    # which saves about a tenth of the start-up's CPU (bench/bench_dashboard.py).
    gc.freeze()
    try:
        return asyncio.run(_run(args, resume, read_only, participant, hotwash, watchdog))
    finally:
        gc.enable()
        watchdog.done()
