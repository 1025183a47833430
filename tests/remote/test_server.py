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
    await rig.start(max_sessions=2)
    _, first = await rig.session("ic")
    await first.wait_for("SIZE=")
    chan, second = await rig.session("soc")
    await chan.wait_closed()
    assert chan.get_exit_status() == 1
    assert b"the drill is full (2 sessions, 1 kept for the exercise control)" in second.err


async def test_observers_cannot_fill_the_drill_before_the_controller(rig) -> None:
    await rig.start(max_sessions=10, per_participant=20)
    screens = [(await rig.session("obs"))[1] for _ in range(9)]
    for screen in screens:
        await screen.wait_for("SIZE=")
    chan, tenth = await rig.session("obs")
    await chan.wait_closed()
    assert b"the drill is full (10 sessions, 1 kept for the exercise control)" in tenth.err
    _, director = await rig.session("dir")
    await director.wait_for("SIZE=")  # the slot kept for the controller
    assert sum(1 for s in rig.server.sessions if s.participant.name == "Dana Director") == 1


async def test_one_participant_cannot_take_every_session(rig) -> None:
    await rig.start(per_participant=2)
    for _ in range(2):
        await (await rig.session("soc"))[1].wait_for("SIZE=")
    chan, third = await rig.session("soc")
    await chan.wait_closed()
    assert b"you already have 2 sessions in this drill, the most for one participant" in third.err
    await (await rig.session("ic"))[1].wait_for("SIZE=")  # someone else still gets in


async def test_a_huge_window_is_drawn_at_a_real_terminals_size_and_the_client_told(rig) -> None:
    await rig.start()
    chan, screen = await rig.session("obs", size=(10000, 10000))
    await screen.wait_for("SIZE=500x200")
    assert b"your window is 10000x10000; the drill is drawn at 500x200 at most" in screen.err
    assert any("window of 10000x10000 is drawn at 500x200" in line for line in rig.logs)
    chan.change_terminal_size(20000, 30)
    await screen.wait_for("SIZE=500x30")


async def test_a_participants_key_without_a_valid_signature_is_logged_once_per_interval(rig) -> None:
    await rig.start()
    pair = asyncssh.load_keypairs([rig.keys["soc"]])[0]
    good = pair.sign
    pair.sign = lambda data: (lambda sig: sig[:-1] + bytes([sig[-1] ^ 1]))(good(data))  # type: ignore[method-assign]
    for _ in range(5):
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect("127.0.0.1", rig.port, username="drill", client_keys=[pair], known_hosts=None,
                                   agent_path=None, config=[])
    await rig.until(lambda: any("without a valid signature" in line for line in rig.logs), what="the attempt logged")
    first = next(line for line in rig.logs if "without a valid signature" in line)
    assert f"Sam Okafor's key {rig.keys['soc'].get_fingerprint('sha256')} was offered without a valid signature" in first
    assert first.startswith("refused 127.0.0.1:")
    await rig.until(lambda: not rig.server.gate.count, what="the attempts to end")
    rig.server.refusals.flush()
    assert [line for line in rig.logs if "signature" in line][1:] == [
        "refused 4 more in the last 10 s: participants' keys offered without a valid signature (4 from 127.0.0.1)"]
    assert not list(rig.markers.iterdir())  # nothing ran


async def test_control_characters_a_client_sends_reach_the_log_drawn(rig) -> None:
    await rig.start()
    conn = await rig.connect("ic")
    result = await conn.run("\x1b]0;pwned\x07", term_type="xterm")
    assert "\x1b" not in str(result.stderr) and "^[]0;pwned^G" in str(result.stderr)
    assert any("^[]0;pwned^G" in line for line in rig.logs) and not any("\x1b" in line for line in rig.logs)


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
    await rig.until(lambda: rig.leaves == ["Sam Okafor"], what="participant_left logged on its behalf")
    assert "logged participant_left for Sam Okafor (soc): the session ended without it" in rig.logs


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
