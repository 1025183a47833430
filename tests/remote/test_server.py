"""The SSH server in-process, with asyncssh clients and a stand-in child: auth, PTY, refusals, limits."""

from __future__ import annotations

import asyncio
import os

import asyncssh
import pytest


async def test_session_runs_on_a_pty_with_the_clients_term_and_size(rig) -> None:
    await rig.start()
    chan, screen = await rig.session("ic", size=(100, 30))
    found = await screen.wait_for(r"PID=(\d+) TERM=xterm-256color SIZE=100x30 HOME=(\S+)")
    assert "drills.db.participants/priya-natarajan-" in found.group(2)  # the participant's own folder
    chan.write(b"hello")
    await screen.wait_for("ECHO:hello")
    assert any("joined Priya Natarajan (ic)" in line for line in rig.logs)


async def test_window_changes_reach_the_child(rig) -> None:
    await rig.start()
    chan, screen = await rig.session("soc", size=(80, 24))
    await screen.wait_for("SIZE=80x24")
    chan.change_terminal_size(132, 43)
    await screen.wait_for("SIZE=132x43")


async def test_the_child_gets_a_clean_environment(rig) -> None:
    await rig.start()
    _, screen = await rig.session("ic", env={"LD_PRELOAD": "/tmp/x.so", "LC_EVIL": "1"})
    names = set((await screen.wait_for(r"ENV=(\S+)")).group(1).split(","))
    assert {"TERM", "HOME", "PATH"} <= names
    assert not names & {"LD_PRELOAD", "LC_EVIL", "SSH_CONNECTION", "DRILLTUI_DB", "XDG_CONFIG_HOME"}


async def test_quitting_the_child_ends_the_session_with_its_status(rig) -> None:
    await rig.start()
    chan, screen = await rig.session("ic")
    await screen.wait_for("SIZE=")
    chan.write(b"\x11")
    await screen.wait_for("QUIT")
    await chan.wait_closed()
    assert chan.get_exit_status() == 0
    assert not rig.server.sessions


async def test_unknown_key_is_refused(rig) -> None:
    await rig.start()
    with pytest.raises(asyncssh.PermissionDenied):
        await rig.connect("stranger")
    await rig.until(lambda: any("refused" in line and "no participant holds" in line for line in rig.logs), what="refusal logged")
    assert not list(rig.markers.iterdir())


async def test_commands_are_refused_and_run_nothing(rig) -> None:
    await rig.start()
    conn = await rig.connect("ic")
    result = await conn.run("cat /etc/passwd", term_type="xterm")
    assert result.exit_status == 1
    assert "root:" not in str(result.stdout) + str(result.stderr)
    assert "commands are refused" in result.stderr
    assert not list(rig.markers.iterdir())  # no child was started


async def test_a_session_without_a_pty_is_refused(rig) -> None:
    await rig.start()
    conn = await rig.connect("ic")
    result = await conn.run()
    assert result.exit_status == 1
    assert "needs a terminal" in result.stderr
    assert not list(rig.markers.iterdir())


async def test_sftp_is_refused(rig) -> None:
    await rig.start()
    conn = await rig.connect("ic")
    with pytest.raises((asyncssh.SFTPError, asyncssh.ChannelOpenError, asyncssh.ConnectionLost, OSError)):
        async with conn.start_sftp_client() as sftp:
            await sftp.listdir("/")
    result = await conn.run(subsystem="sftp")
    assert result.exit_status == 1 and "subsystem is refused" in result.stderr


async def test_port_forwarding_is_refused(rig) -> None:
    await rig.start()
    conn = await rig.connect("ic")
    with pytest.raises(asyncssh.ChannelOpenError, match="port forwarding is refused"):
        await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", rig.port)
    with pytest.raises(asyncssh.ChannelListenError):
        await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
    with pytest.raises(asyncssh.ChannelOpenError):
        await conn.create_unix_connection(asyncssh.SSHUNIXSession, "/run/some.sock")


async def test_x11_forwarding_is_refused(rig) -> None:
    await rig.start()
    conn = await rig.connect("ic")
    with pytest.raises(asyncssh.ChannelOpenError):
        await conn.create_session(asyncssh.SSHClientSession, term_type="xterm", x11_forwarding=True, x11_display="localhost:10")


async def test_max_sessions_turns_away_the_next_one(rig) -> None:
    await rig.start(max_sessions=1)
    _, first = await rig.session("ic")
    await first.wait_for("SIZE=")
    chan, second = await rig.session("soc")
    await chan.wait_closed()
    assert chan.get_exit_status() == 1
    assert b"the drill is full (1 sessions)" in second.err


async def test_idle_sessions_are_closed_politely(rig) -> None:
    await rig.start(idle=0.5)
    chan, screen = await rig.session("ic")
    await screen.wait_for("SIZE=")
    await chan.wait_closed()
    assert rig.marker("ic", "quit").exists()  # the child was asked to quit, as a person would
    assert b"closed after 0.5 s without input" in screen.err


async def test_typing_keeps_a_session_alive(rig) -> None:
    await rig.start(idle=0.6)
    chan, screen = await rig.session("ic")
    await screen.wait_for("SIZE=")
    for i in range(5):  # 5 keys 0.3 s apart: 1.5 s in all, never 0.6 s idle
        chan.write(f"k{i}".encode())
        await screen.wait_for(f"ECHO:k{i}")
        await asyncio.sleep(0.3)
    assert not rig.marker("ic", "quit").exists()
    await rig.until(lambda: rig.marker("ic", "quit").exists(), what="idle quit after typing stopped")


async def test_a_dropped_connection_asks_the_child_to_quit(rig) -> None:
    await rig.start()
    _, screen = await rig.session("soc")
    await screen.wait_for("SIZE=")
    rig.connections[-1].abort()
    await rig.until(lambda: rig.marker("soc", "quit").exists(), what="the child to be asked to quit")
    await rig.until(lambda: not rig.server.sessions, what="the session to end")
    assert any("left Sam Okafor (soc)" in line and "disconnected" in line for line in rig.logs)


async def test_a_child_that_ignores_hangups_is_killed(rig) -> None:
    await rig.start(grace=0.3, command=rig.standin(stubborn="Sam Okafor"))
    _, screen = await rig.session("soc")
    pid = int((await screen.wait_for(r"PID=(\d+)")).group(1))
    rig.connections[-1].abort()
    await rig.until(lambda: not rig.server.sessions, timeout=10, what="the stubborn child to be killed")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_a_crash_in_one_session_leaves_the_others_alone(rig) -> None:
    await rig.start()
    chan_a, a = await rig.session("ic")
    chan_b, b = await rig.session("soc")
    await a.wait_for("SIZE=")
    await b.wait_for("SIZE=")
    chan_a.write(b"!")
    await chan_a.wait_closed()
    assert chan_a.get_exit_status() == 3
    chan_b.write(b"still here")
    await b.wait_for("ECHO:still here")


async def test_stopping_the_server_ends_every_session(rig) -> None:
    server = await rig.start()
    _, a = await rig.session("ic")
    _, b = await rig.session("obs")
    await a.wait_for("SIZE=")
    await b.wait_for("SIZE=")
    await server.close()
    assert rig.marker("ic", "quit").exists() and rig.marker("obs", "quit").exists()
    assert not server.sessions


async def test_the_participant_is_the_owner_of_the_key(rig) -> None:
    await rig.start()
    _, screen = await rig.session("obs")
    await screen.wait_for("SIZE=")
    await rig.until(lambda: rig.marker("obs", "started").exists(), what="the observer's child")
    assert any("joined Ola Auditor (obs)" in line for line in rig.logs)
