"""The real `drilltui replay` command: bad arguments and missing drills are one line and exit 2, before any screen."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli import drilltui
from remote.terminals import TMUX, tmux_at, wait
from samples import MINIMAL


@pytest.fixture(scope="module")
def drill(tmp_path_factory) -> tuple[Path, str]:
    """A real drill made by a headless run: (database, drill id)."""
    tmp = tmp_path_factory.mktemp("replay")
    (tmp / "mini.yaml").write_text(MINIMAL)
    (tmp / "script.yaml").write_text("- {at: 0s, as: control, do: start}\n- {at: 70s, as: soc, do: acknowledge, inject: I-1}\n"
                                     "- {at: 5m, as: control, do: end}\n")
    result = drilltui("run", str(tmp / "mini.yaml"), "--headless", "--script", str(tmp / "script.yaml"),
                      "--db", str(tmp / "drills.db"), "--start-wall", "2026-01-01T09:00:00Z")
    assert result.returncode == 0, result.stderr
    return tmp / "drills.db", result.stdout.strip().splitlines()[-1]


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert all(w in lines[0] for w in words), lines[0]


@pytest.mark.parametrize("at", ["soon", "T+1:2:3:4", "-5m", "12:75:00"])
def test_bad_at(drill, at: str) -> None:
    db, drill_id = drill
    one_line_error(drilltui("replay", drill_id, "--db", str(db), f"--at={at}"), "--at")


@pytest.mark.parametrize("speed", ["0.1", "65", "100", "0", "-1", "nan", "inf"])
def test_speed_out_of_range(drill, speed: str) -> None:
    db, drill_id = drill
    one_line_error(drilltui("replay", drill_id, "--db", str(db), f"--speed={speed}"), "--speed", "0.25 to 64")


def test_speed_not_a_number(drill) -> None:
    db, drill_id = drill
    one_line_error(drilltui("replay", drill_id, "--db", str(db), "--speed", "fast"), "--speed", "invalid float value")


def test_unknown_drill_and_missing_database(drill, tmp_path) -> None:
    db, _ = drill
    one_line_error(drilltui("replay", "no-such-drill", "--db", str(db)), "no-such-drill")
    one_line_error(drilltui("replay", "x", "--db", str(tmp_path / "absent.db")), "absent.db")


def test_picker_with_an_empty_database(tmp_path) -> None:
    import asyncio

    from drilltui.store import EventLog

    async def create() -> None:
        await (await EventLog.open(tmp_path / "empty.db")).close()

    asyncio.run(create())
    one_line_error(drilltui("replay", "--db", str(tmp_path / "empty.db")), "no drills")


def test_help_names_the_keys_of_the_arguments() -> None:
    result = drilltui("replay", "--help")
    assert result.returncode == 0
    assert "--at T+HH:MM:SS" in result.stdout and "--speed X" in result.stdout and "DRILL" in result.stdout


@pytest.mark.skipif(TMUX is None, reason="needs tmux for a real terminal")
@pytest.mark.parametrize("pick", [False, True], ids=["named", "picked"])
def test_a_replay_shows_at_once_on_a_real_terminal(drill, tmp_path: Path, pick: bool) -> None:
    """A paused replay, where nothing changes after it opens, is on the screen without a key or a resize;
    closing its terminal ends it."""
    db, drill_id = drill
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent))
    assert exe
    tmux = functools.partial(tmux_at, str(tmp_path / "tmux.sock"))

    named = "" if pick else drill_id
    command = f"cd {tmp_path} && XDG_CONFIG_HOME={tmp_path} {exe} replay {named} --db {db}; sleep 30"
    assert tmux("new-session", "-d", "-s", "r", "-x", "120", "-y", "36", "-e", "TERM=xterm-256color",
                command).returncode == 0
    shell = tmux("list-panes", "-t", "r", "-F", "#{pane_pid}").stdout.strip()
    replay = ""
    try:
        screen = lambda: tmux("capture-pane", "-p", "-t", "r").stdout  # noqa: E731
        if pick:
            wait(lambda: drill_id in screen(), 30, "the picker listing the drill")
            tmux("send-keys", "-t", "r", "Enter")
        wait(lambda: "Inject feed" in screen() and "paused" in screen(), 30, "the replay drawn")
        replay = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0]  # the shell's one child
    finally:
        tmux("kill-server")
    # Its terminal gone, the replay ends within seconds, even when the UI's own shutdown gets stuck.
    wait(lambda: ended(replay), 15, "the replay to end once its terminal was closed")


def ended(pid: str) -> bool:
    """The process is gone, or only its exit status is left for a parent to collect."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
