"""Fixtures for the store tests: a log on each backend, event factories, tampering, and child Python processes.

A test module runs on both backends with

    pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

and then reaches the database through `target` (a file path or a postgresql://
URL) and `tamper`, never through `db_path`. PostgreSQL is the server named by
$DRILLTUI_TEST_PG (a URL whose user may create databases: `eval "$(bash
.ci/postgres start)"` starts a throwaway one); each test gets a fresh database.
Without it the PostgreSQL cases skip, except in CI ($CI or
$DRILLTUI_REQUIRE_PG set), where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from drilltui.store import EventLog, NewEvent, open_log

BACKENDS = ["sqlite", "postgres"]
PG_ADMIN = os.environ.get("DRILLTUI_TEST_PG", "")
PG_REQUIRED = bool(os.environ.get("CI") or os.environ.get("DRILLTUI_REQUIRE_PG"))

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


def pg_admin_url() -> str:
    """The PostgreSQL server to test against; skips (fails in CI) when there is none."""
    why = ""
    if not PG_ADMIN:
        why = "no PostgreSQL server for the tests: set DRILLTUI_TEST_PG (`eval \"$(bash .ci/postgres start)\"` starts one)"
    else:
        if importlib.util.find_spec("asyncpg") is None:
            why = "asyncpg is not installed: pip install -e '.[postgres]'"
    if why:
        if PG_REQUIRED:
            pytest.fail(f"{why} (in CI the PostgreSQL tests must run)")
        pytest.skip(why)
    return PG_ADMIN


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def fresh_pg_database() -> tuple[str, Callable[[], Awaitable[None]]]:
    """A new, empty database on the test server, and how to drop it."""
    import asyncpg

    admin_url = pg_admin_url()
    name = f"drilltui_t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()

    async def drop() -> None:
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    return with_database(admin_url, name), drop


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """sqlite, unless the module parametrises it (indirectly) over BACKENDS."""
    return getattr(request, "param", "sqlite")


_SHARED: dict[str, str] = {}  # one database for the session's PostgreSQL cases; emptied before each


async def shared_pg_database() -> str:
    """The session's test database, with drilltui's schema dropped: as good as new, and far quicker to make."""
    import asyncpg

    if "url" not in _SHARED:
        _SHARED["url"], _ = await fresh_pg_database()  # dropped with the throwaway cluster
    conn = await asyncpg.connect(_SHARED["url"])
    try:
        await conn.execute("DROP SCHEMA IF EXISTS drilltui CASCADE")
    finally:
        await conn.close()
    return _SHARED["url"]


@pytest.fixture
async def target(backend: str, db_path: Path) -> AsyncIterator[Path | str]:
    """Where the test's drills live: a new SQLite file, or an emptied PostgreSQL database."""
    if backend == "sqlite":
        yield db_path
        return
    yield await shared_pg_database()


@pytest.fixture
async def log(target: Path | str) -> AsyncIterator[Any]:
    opened = await open_log(target)
    yield opened
    await opened.close()


Tamper = Callable[..., Awaitable[list[tuple[Any, ...]]]]


@pytest.fixture
def tamper(target: Path | str) -> Tamper:
    """Run SQL (with ? placeholders) on the database behind drilltui's back, as someone with a SQL shell would.

    `await tamper((sql, args), ...)` runs each in one transaction and returns the last one's rows.
    """

    async def run(*statements: tuple[str, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return await tamper_with(target, *statements)

    return run


@pytest.fixture
def tamper_at() -> Callable[..., Awaitable[list[tuple[Any, ...]]]]:
    """tamper, on a database named in the call: `await tamper_at(where, (sql, args), ...)`."""
    return tamper_with


async def tamper_with(target: Path | str, *statements: tuple[str, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Run the statements (with ? placeholders) in one transaction on that database; the last one's rows."""
    if isinstance(target, Path):
        with sqlite3.connect(target) as conn:
            rows: list[tuple[Any, ...]] = []
            for sql, args in statements:
                rows = conn.execute(sql, args).fetchall()
            return rows
    import asyncpg

    conn = await asyncpg.connect(target, server_settings={"search_path": "drilltui"})
    try:
        async with conn.transaction():
            for sql, args in statements:
                numbered = iter(range(1, 100))
                records = await conn.fetch(re.sub(r"\?", lambda _: f"${next(numbered)}", sql), *args)
                rows = [tuple(r) for r in records]
        return rows
    finally:
        await conn.close()


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
