"""The host key file, and the pieces of a session: argv, environment, settings folder, PTY child."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import pytest

from drilltui.commands.serve import parse_listen
from drilltui.errors import UserError
from drilltui.remote.hostkey import fingerprint, host_key_path, load_or_create_host_key
from drilltui.remote.session import PtyChild, Terminal, child_env, join_argv, participant_dir


def test_host_key_is_made_once_with_mode_0600_and_kept(tmp_path: Path) -> None:
    path = host_key_path(tmp_path / "drills.db")
    assert path == tmp_path / "drills.db.ssh_host_ed25519_key"
    key, new = load_or_create_host_key(path)
    assert new and stat.S_IMODE(path.stat().st_mode) == 0o600
    again, new_again = load_or_create_host_key(path)
    assert not new_again and fingerprint(again) == fingerprint(key)
    assert fingerprint(key).startswith("SHA256:")


def test_unusable_host_keys_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(UserError, match="is a folder"):
        load_or_create_host_key(tmp_path / "folder")
    bad = tmp_path / "bad"
    bad.write_text("not a key\n")
    bad.chmod(0o600)
    with pytest.raises(UserError, match="is not a usable SSH private key"):
        load_or_create_host_key(bad)
    key, _ = load_or_create_host_key(tmp_path / "k")
    (tmp_path / "k").chmod(0o644)
    with pytest.raises(UserError, match=r"open to others \(mode 0644\); run `chmod 600"):
        load_or_create_host_key(tmp_path / "k")
    with pytest.raises(UserError, match="host key .* Not a directory"):
        load_or_create_host_key(tmp_path / "k" / "below-a-file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_host_key(tmp_path: Path) -> None:
    load_or_create_host_key(tmp_path / "k")
    (tmp_path / "k").chmod(0)
    with pytest.raises(UserError, match="cannot read the host key"):
        load_or_create_host_key(tmp_path / "k")


def test_parse_listen() -> None:
    assert parse_listen("127.0.0.1:2222") == ("127.0.0.1", 2222)
    assert parse_listen("2200") == ("127.0.0.1", 2200)
    assert parse_listen("[::1]:22") == ("::1", 22)
    assert parse_listen("0.0.0.0:0") == ("0.0.0.0", 0)
    for bad, message in ((":2222", "name the address"), ("host", "write HOST:PORT"), ("h:99999", "out of range"), ("::1:22", "HOST:PORT")):
        with pytest.raises(UserError, match=message):
            parse_listen(bad)


def test_join_argv_runs_this_python_as_the_participant(tmp_path: Path) -> None:
    argv = join_argv("d-1", "ic", "Priya Natarajan", tmp_path / "drills.db")
    assert argv == [sys.executable, "-m", "drilltui", "join", "d-1", "--as", "ic", "--name", "Priya Natarajan", "--db", str(tmp_path / "drills.db")]


def test_child_env_keeps_basics_and_sets_term_and_home(tmp_path: Path) -> None:
    env = child_env(Terminal("screen-256color"), tmp_path,
                    {"PATH": "/bin", "HOME": "/h", "SECRET_TOKEN": "x", "TERM": "dumb", "XDG_CONFIG_HOME": "/h/.config"})
    assert env == {"PATH": "/bin", "HOME": str(tmp_path), "TERM": "screen-256color", "LANG": "C.UTF-8"}
    assert child_env(Terminal(""), tmp_path, {"LANG": "de_DE.UTF-8"}) == {"LANG": "de_DE.UTF-8", "TERM": "xterm-256color", "HOME": str(tmp_path)}


def test_participant_dirs_are_distinct_and_tame(tmp_path: Path) -> None:
    db = tmp_path / "drills.db"
    a, b = participant_dir(db, "Ana ../../etc"), participant_dir(db, "Ana etc")
    assert a != b and a.parent == b.parent == tmp_path / "drills.db.participants"
    assert "/" not in a.name and a.name.startswith("ana-etc-")


async def test_pty_child_output_input_and_exit(tmp_path: Path) -> None:
    out = bytearray()
    got = asyncio.Event()

    def on_output(data: bytes) -> None:
        out.extend(data)
        got.set()

    script = "import os,sys,tty; tty.setraw(0); print(os.get_terminal_size(), flush=True); sys.stdout.write(sys.stdin.read(3)); sys.exit(7)"
    child = await PtyChild.spawn([sys.executable, "-c", script], Terminal("xterm", 91, 17), {"PATH": os.environ["PATH"]}, on_output)
    while b"lines=17" not in out:  # keys typed before the child is in raw mode would be flushed
        got.clear()
        await asyncio.wait_for(got.wait(), 10)
    child.write(b"abc")
    assert await asyncio.wait_for(child.wait(), 10) == 7
    assert b"columns=91, lines=17" in out and out.endswith(b"abc")
    child.write(b"after the end is ignored")
    child.resize(Terminal("xterm", 10, 10))  # no error either


async def test_hang_up_escalates_to_sigkill(tmp_path: Path) -> None:
    script = ("import signal,time,tty; tty.setraw(0); [signal.signal(s, signal.SIG_IGN) for s in (signal.SIGHUP, signal.SIGTERM)];"
              "print('ready', flush=True); time.sleep(60)")
    ready = asyncio.Event()
    child = await PtyChild.spawn([sys.executable, "-c", script], Terminal("xterm"), {"PATH": os.environ["PATH"]},
                                 lambda data: ready.set() if b"ready" in data else None)
    await asyncio.wait_for(ready.wait(), 10)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await asyncio.wait_for(child.hang_up(grace=0.2), 10) == -9
    assert loop.time() - started < 5


def test_terminal_requests_are_made_safe() -> None:
    assert Terminal.from_request("screen-256color", 132, 43) == Terminal("screen-256color", 132, 43)
    assert Terminal.from_request("", 0, 0) == Terminal("xterm-256color", 80, 24)
    assert Terminal.from_request("xterm\x00; rm -rf /", 10**9, 5).type == "xterm-256color"
    assert Terminal.from_request("vt100", 10**9, 5).cols == 500
