"""Sessions forked from the pre-loaded template: shared pages, a parsed scenario, and crashes that stay their own."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import asyncssh

from drilltui.remote.server import DrillServer, ServeConfig, bind


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def shared_kib(pid: int) -> int:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith(("Shared_Clean:", "Shared_Dirty:")))


async def test_dashboards_are_forked_from_the_template_and_share_its_pages(drilled, rig) -> None:
    from drilltui.remote.target import find_drill

    target = await find_drill(drilled.db, drilled.drill_id)
    assert target is not None
    config = ServeConfig(drilled.drill_id, drilled.db, rig.roster(), asyncssh.generate_private_key("ssh-ed25519"), grace=2.0,
                         scenario_text=target.scenario.source_text)
    rig.server = server = DrillServer(config, log=rig.logs.append)
    rig.port = await server.listen(bind("127.0.0.1", 0))
    _, soc = await rig.session("soc", size=(130, 40))
    _, ic = await rig.session("ic", size=(130, 40))
    await soc.wait_for(r"Sam Okafor as SOC Analyst", timeout=60)
    await ic.wait_for(r"Priya Natarajan as Incident Commander", timeout=60)
    assert server.template is not None and server.template.process is not None
    pids = [s.child.pid for s in server.sessions if s.child is not None]
    assert len(pids) == 2
    for pid in pids:
        assert parent_of(pid) == server.template.process.pid  # forked, not spawned by the server
        assert b"drilltui.remote.template" in Path(f"/proc/{pid}/cmdline").read_bytes()  # and never re-executed
        assert shared_kib(pid) > 8 * 1024  # the template's imports and scenario, shared copy-on-write


async def test_a_killed_template_leaves_running_sessions_alone_and_a_new_one_serves_the_next(rig) -> None:
    server = await rig.start()
    chan, screen = await rig.session("ic")
    await screen.wait_for("SIZE=")
    assert server.template is not None and server.template.process is not None
    first = server.template.process.pid
    os.kill(first, signal.SIGKILL)
    await rig.until(lambda: any("the session template stopped" in line for line in rig.logs), what="the template's end noticed")
    chan.write(b"still here")
    await screen.wait_for("ECHO:still here")  # the running session did not notice
    _, other = await rig.session("soc")
    await other.wait_for("SIZE=")
    assert server.template.process.pid != first
    chan.write(b"\x11")
    await chan.wait_closed()
    assert chan.get_exit_status() is not None
    await rig.until(lambda: any("left Priya Natarajan" in line for line in rig.logs), what="the orphaned session's end noticed")


async def test_unforked_sessions_still_run(rig) -> None:
    server = await rig.start(fork=False)
    assert server.template is None
    chan, screen = await rig.session("ic")
    await screen.wait_for("SIZE=")
    chan.write(b"\x11")
    await chan.wait_closed()
    assert chan.get_exit_status() == 0


async def test_a_dashboard_at_rest_sends_its_participant_only_what_changes(drilled, rig) -> None:
    """The clock line moves once a second; nothing else should be redrawn (a whole screen is about 15 KB)."""
    config = ServeConfig(drilled.drill_id, drilled.db, rig.roster(), asyncssh.generate_private_key("ssh-ed25519"), grace=2.0)
    rig.server = server = DrillServer(config, log=rig.logs.append)
    rig.port = await server.listen(bind("127.0.0.1", 0))
    _, screen = await rig.session("soc", size=(120, 36))
    await screen.wait_for(r"Sam Okafor as SOC Analyst", timeout=60)
    await asyncio.sleep(3)  # the first frames and the join's own repaints are done
    before = len(screen.out)
    await asyncio.sleep(3)
    sent = len(screen.out) - before
    assert sent < 10_000, f"{sent} bytes in 3 s at rest"
