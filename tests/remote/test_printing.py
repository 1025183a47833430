"""Text from the log printed to a terminal shows its control characters drawn; to a file or pipe it stays exact."""

from __future__ import annotations

import asyncio
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from samples import MINIMAL

from drilltui.engine import Drill
from drilltui.engine.commands import AddNote, SetStatus, Start
from drilltui.engine.script import Step
from drilltui.headless import run_headless
from drilltui.journal import DrillJournal
from drilltui.scenario import loads
from drilltui.store import EventLog

# OSC 52 (clipboard write), OSC 8 (hidden link), OSC 0 (title), a request that makes the terminal type, a C1 CSI, a bidi override
HOSTILE = "\x1b]52;c;cm0gLXJmIH4=\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x1b]0;pwned\x07 \x1b[5n \x9b2J \u202eevil"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def drawn(text: str) -> None:
    assert not any(c in text for c in RAW), text[:300]
    # (Markdown escapes its own [ ] \ after the characters are drawn: ^[\]52 there.)
    assert all(part in text.replace("\\", "") for part in ("^[]52;c;cm0gLXJmIH4=^G", "^[[5n", "<U+009B>2J", "<U+202E>evil"))


async def _make(db: Path, scenario_id: str = "mini") -> str:
    log = await EventLog.open(db)
    try:
        scenario = loads(MINIMAL)
        drill_id = await log.create_drill(scenario_id, scenario.title, MINIMAL)
        drill = Drill(scenario, DrillJournal(log, drill_id), participant="Dana", role="control")
        await drill.load()
        await drill.execute(Start())
        await drill.execute(AddNote(HOSTILE))
        await drill.execute(AddNote(HOSTILE, kind="observation", objective="O1"))
        await drill.execute(SetStatus("soc", "busy", HOSTILE))
    finally:
        await log.close()
    return drill_id


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("hostile") / "drills.db"
    return db, asyncio.run(_make(db))


def drilltui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "drilltui", *args], capture_output=True, text=True, timeout=60)


def on_a_terminal(*args: str) -> str:
    """What the command writes when its standard output is a terminal (a pty here)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execv(sys.executable, [sys.executable, "-m", "drilltui", *args])
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


async def test_headless_output_and_refusals_are_drawn(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    steps = [Step(0, "control", Start(), 1), Step(0, "control", AddNote(HOSTILE), 2),
             Step(0, "control", SetStatus(HOSTILE, "busy", "x"), 3)]
    log = await EventLog.open(tmp_path / "drills.db")
    try:
        await run_headless(loads(MINIMAL), steps, log, start_wall=1_700_000_000.0, until=60, out=out, err=err)
    finally:
        await log.close()
    drawn(out.getvalue())
    drawn(err.getvalue())
    assert "script:3:" in err.getvalue() and len(out.getvalue().splitlines()) >= 2


def test_report_md_on_stdout_is_drawn(hostile) -> None:
    db, drill_id = hostile
    result = drilltui("report", drill_id, "--db", str(db), "--format", "md")
    assert result.returncode == 0, result.stderr
    drawn(result.stdout)


def test_export_is_exact_to_a_pipe_and_drawn_on_a_terminal(hostile) -> None:
    db, drill_id = hostile
    piped = drilltui("export", drill_id, "--db", str(db))
    notes = [json.loads(line)["data"] for line in piped.stdout.splitlines() if '"note_added"' in line]
    assert notes[0]["text"] == HOSTILE  # the data itself, byte for byte
    for fmt in ("jsonl", "csv"):
        shown = on_a_terminal("export", drill_id, "--db", str(db), "--format", fmt)
        # JSON escapes C0 characters itself (\u001b); C1 and bidi controls it leaves raw.
        assert not any(c in shown for c in RAW) and "<U+202E>evil" in shown and "<U+009B>2J" in shown, fmt


def test_drills_and_verify_draw_what_the_database_holds(tmp_path: Path) -> None:
    db = tmp_path / "drills.db"
    asyncio.run(_make(db, scenario_id="mini" + HOSTILE.replace(" ", "")))
    listed = drilltui("drills", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "^[]0;pwned^G" in listed.stdout
    drill_id = listed.stdout.splitlines()[1].split()[0]
    checked = drilltui("verify", drill_id[:4], "--db", str(db))
    assert checked.returncode == 0 and not any(c in checked.stdout for c in RAW), checked
