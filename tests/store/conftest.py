"""Fixtures for the store tests: a log on a temp file, event factories, and child Python processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from drilltui.store import EventLog, NewEvent

SRC = Path(__file__).resolve().parents[2] / "src"

# Root ignores file modes, so a child that must meet a read-only file first drops the two
# capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); other users need nothing.
DROP_DAC = textwrap.dedent(
    """
    import ctypes, os
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        class _Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
        class _Data(ctypes.Structure):
            _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
        header, data = _Header(0x20080522, 0), (_Data * 2)()
        if libc.capget(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capget")
        for d in data:
            mask = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF
            d.effective &= mask; d.permitted &= mask; d.inheritable &= mask
        if libc.capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset")
    """
)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return env


def event(i: int = 0, kind: str = "note_added", **data: object) -> NewEvent:
    return NewEvent(
        kind=kind,
        data={"i": i, **data},
        wall_time=f"2026-11-29T01:54:{i % 60:02d}.{i:06d}Z",
        drill_time=float(i) * 1.5,
        participant="Alex",
        role="ic",
    )


@pytest.fixture
def ev() -> Callable[..., NewEvent]:
    """Factory for distinct, valid NewEvents: ev(3), ev(4, kind="drill_started")."""
    return event


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "drills.db"


@pytest.fixture
async def log(db_path: Path) -> AsyncIterator[EventLog]:
    opened = await EventLog.open(db_path)
    yield opened
    await opened.close()


@pytest.fixture
async def drill(log: EventLog) -> str:
    return await log.create_drill("cyber-1", "Cyber drill", "id: cyber-1\n", created_at="2026-11-29T01:54:41.123456Z")


@pytest.fixture
def python_child(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run a Python script (dedented) in a child with drilltui importable; drop_dac as described above."""

    def run(script: str, *args: str, drop_dac: bool = False, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        code = (DROP_DAC if drop_dac else "") + textwrap.dedent(script)
        file = tmp_path / f"child_{abs(hash(code))}.py"
        file.write_text(code)
        return subprocess.run(
            [sys.executable, str(file), *args], capture_output=True, text=True, env=child_env(), timeout=timeout
        )

    return run


@pytest.fixture
def env() -> dict[str, str]:
    """Environment for child processes: drilltui's src importable."""
    return child_env()
