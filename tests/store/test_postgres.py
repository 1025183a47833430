"""PostgreSQL only: one-line errors, the read-only auditor role, lost connections and a restarted server, the lease across hosts."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from store.conftest import PG_REQUIRED, fresh_pg_database, pg_admin_url, with_database

from drilltui.cli import main
from drilltui.store import NewEvent, StoreError, open_log

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def pg() -> AsyncIterator[str]:
    """A new, empty database on the test server (its admin user's URL)."""
    url, drop = await fresh_pg_database()
    yield url
    await drop()


async def admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


def as_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}:{password}@{host}", parts.path, "", ""))


def note(i: int) -> NewEvent:
    return NewEvent("note_added", {"i": i}, f"2026-11-29T02:00:{i % 60:02d}.000000Z", float(i), "Alex", "ic")


# --- errors: one line each ----------------------------------------------------------------------


async def test_refused_connection() -> None:
    with pytest.raises(StoreError) as caught:
        await open_log("postgresql://someone@127.0.0.1:1/drills")
    assert str(caught.value) == ("cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused); check that the server runs"
                                 " and the host and port in postgresql://someone@127.0.0.1:1/drills")


async def test_bad_credentials(pg: str) -> None:
    wrong = as_user(pg, urlsplit(pg).username or "", "not-the-password")
    with pytest.raises(StoreError) as caught:
        await open_log(wrong)
    server = urlsplit(pg).netloc.rsplit("@", 1)[1]
    assert str(caught.value) == (f"PostgreSQL at {server} refused user {urlsplit(pg).username}: wrong password; "
                                 "check the password (in the URL, $PGPASSWORD or ~/.pgpass)")
    assert "not-the-password" not in str(caught.value)


async def test_missing_database(pg: str) -> None:
    with pytest.raises(StoreError, match=r"^there is no database 'no_such_db' on PostgreSQL at .*; create it \(createdb "):
        await open_log(with_database(pg, "no_such_db"))


async def test_a_database_that_is_not_drilltuis(pg: str) -> None:
    await admin(pg, "CREATE TABLE invoices (id int)")
    for readonly in (False, True):
        with pytest.raises(StoreError, match=r"is a PostgreSQL database but not a drilltui one; give a different database"):
            await open_log(pg, readonly=readonly)


async def test_an_empty_database_read_only(pg: str) -> None:
    with pytest.raises(StoreError, match=r"holds no drilltui data yet; run a drill to fill it$"):
        await open_log(pg, readonly=True)


async def test_a_newer_schema(pg: str) -> None:
    async with await open_log(pg):
        pass
    await admin(pg, "UPDATE drilltui.meta SET value = '99' WHERE key = 'schema'")
    for readonly in (False, True):
        with pytest.raises(StoreError, match=r"was written by a newer drilltui \(PostgreSQL schema 99, this one reads up to 1\); upgrade"):
            await open_log(pg, readonly=readonly)


async def test_many_opens_of_a_new_database_at_once(pg: str) -> None:
    logs = await asyncio.gather(*(open_log(pg) for _ in range(6)))
    drills = await asyncio.gather(*(log.create_drill("s", "S", "x") for log in logs))
    assert len(set(drills)) == 6
    for log in logs:
        await log.close()


def test_cli_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_admin_url()
    assert main(["drills", "--db", as_user(url, "nobody_here", "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drilltui: error: PostgreSQL at ") and err.count("\n") == 1 and "Traceback" not in err


# --- the read-only auditor role, as docs/store.md sets it up ---------------------------------------


def auditor_sql(database: str, password: str) -> list[str]:
    """The documented statements, for this database and password."""
    text = (ROOT / "docs" / "store.md").read_text()
    block = re.search(r"```sql\n(-- the auditor.*?)```", text, re.S)
    assert block, "docs/store.md lost its auditor role SQL"
    sql = block.group(1).replace("drills", database).replace("change-me", password)
    statements = []
    for chunk in sql.split(";"):
        lines = [line for line in chunk.splitlines() if line.strip() and not line.strip().startswith("--")]
        if lines:
            statements.append("\n".join(lines))
    return statements


async def test_the_auditor_role_reads_but_never_writes(pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from remote.conftest import SCRIPT
    from samples import MINIMAL

    (tmp_path / "mini.yaml").write_text(MINIMAL)
    (tmp_path / "script.yaml").write_text(SCRIPT)
    run = ["run", str(tmp_path / "mini.yaml"), "--headless", "--script", str(tmp_path / "script.yaml"), "--db", pg, "--until", "2m"]
    assert await asyncio.to_thread(main, run) == 0
    database = urlsplit(pg).path.lstrip("/")
    await admin(pg, "DROP ROLE IF EXISTS drill_auditor", *auditor_sql(database, "audit-pw"))
    auditor = as_user(pg, "drill_auditor", "audit-pw")
    try:
        # verify, report, export and drills work through it, as the commands a person runs.
        async with await open_log(auditor, readonly=True) as log:
            [record] = await log.drills()
            drill = record.id
        capsys.readouterr()
        for args in (["verify", drill], ["report", drill], ["export", drill], ["drills"]):
            assert await asyncio.to_thread(main, [*args, "--db", auditor]) == 0, args
        out = capsys.readouterr().out
        assert f"drilltui verify {drill} --db {auditor.replace(':audit-pw', '')}" in out  # the report's own check
        assert "audit-pw" not in out
        with pytest.raises(StoreError, match=r"^user drill_auditor may only read .* open it read-only"):
            await open_log(auditor)
        async with await open_log(pg) as writer, await open_log(auditor, readonly=True) as log:
            assert (await log.verify(drill)).ok
            assert await log.lease_holder(drill) is None
            tail = log.tail(drill, record.events, recheck=3600)  # LISTEN needs no privilege: a live replay follows
            waiting = asyncio.create_task(asyncio.wait_for(anext(tail), 5))
            stored = await writer.append(drill, note(1))
            assert await waiting == stored
            await tail.aclose()
            with pytest.raises(StoreError, match="opened read-only"):
                await log.append(drill, note(2))
        import asyncpg

        raw = await asyncpg.connect(auditor)
        try:
            for sql in ("UPDATE drilltui.event SET participant = 'x'", "DELETE FROM drilltui.event",
                        f"INSERT INTO drilltui.lease VALUES ('{drill}', 'me', 0)", "CREATE TABLE drilltui.mine (x int)"):
                with pytest.raises((asyncpg.InsufficientPrivilegeError, asyncpg.ReadOnlySQLTransactionError)):
                    await raw.execute(sql)
        finally:
            await raw.close()
    finally:
        await admin(pg, "REVOKE ALL ON ALL TABLES IN SCHEMA drilltui FROM drill_auditor",
                    "REVOKE ALL ON SCHEMA drilltui FROM drill_auditor",
                    f'REVOKE ALL ON DATABASE "{database}" FROM drill_auditor',
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA drilltui REVOKE ALL ON TABLES FROM drill_auditor")


# --- lost connections -------------------------------------------------------------------------------


async def test_connections_cut_mid_drill_lose_and_double_nothing(pg: str) -> None:
    """Every connection to the database is killed every few appends; the drill goes on, whole."""
    async with await open_log(pg) as log, await open_log(pg, readonly=True) as reader:
        drill = await log.create_drill("s", "S", "id: s\n")
        seen: list[int] = []

        async def follow() -> None:
            async for event in reader.tail(drill, 0, recheck=0.2):
                seen.append(event.seq)

        following = asyncio.create_task(follow())
        for i in range(1, 61):
            if i % 10 == 5:
                await admin(pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            assert (await log.append(drill, note(i), expected_seq=i - 1)).seq == i
        deadline = time.monotonic() + 10
        while len(seen) < 60 and time.monotonic() < deadline:
            await asyncio.wait([following], timeout=0.1)  # the reader catches up by itself
        following.cancel()
        assert seen == list(range(1, 61))
        result = await log.verify(drill)
        assert (result.ok, result.events) == (True, 60)


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from drilltui.store import NewEvent, open_log

    async def main(url: str, drill: str, count: str) -> None:
        async with await open_log(url, create=False) as log:
            for i in range(int(count)):
                stored = await log.append(drill, NewEvent("tick", {"i": i}, "2026-11-29T02:00:00.000000Z", float(i), "w", "ops"))
                print(stored.seq, flush=True)  # acknowledged

    asyncio.run(main(*sys.argv[1:]))
    """
)


def cluster() -> tuple[str, str]:
    """(bin dir, data dir) of the throwaway cluster, which this test restarts; skip (fail in CI) when not known."""
    folder, bindir = os.environ.get("DRILLTUI_PG_DIR", ""), os.environ.get("DRILLTUI_PG_BIN", "")
    if not (folder and bindir and Path(folder, "data").is_dir()):
        why = "restarting the server needs the cluster .ci/postgres started ($DRILLTUI_PG_DIR, $DRILLTUI_PG_BIN)"
        if PG_REQUIRED:
            pytest.fail(why)
        pytest.skip(why)
    return bindir, folder


async def test_a_restarted_server_loses_and_doubles_nothing(pg: str, env: dict[str, str]) -> None:
    bindir, folder = cluster()
    async with await open_log(pg) as log:
        drill = await log.create_drill("s", "S", "id: s\n")
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", WRITER, pg, drill, "300",
                                                 stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    assert child.stdout and child.stderr
    acknowledged: list[int] = []
    try:
        while len(acknowledged) < 50:
            acknowledged.append(int(await asyncio.wait_for(child.stdout.readline(), 30)))
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # A crash (immediate shutdown), then recovery: whatever was in flight is committed or not, never half.
        # (Its output to the log file: the server it starts would hold our pipes open.)
        subprocess.run([*owner, f"{bindir}/pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/server.log", "-m", "immediate",
                        "-w", "restart"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        out, err = await asyncio.wait_for(child.communicate(), 120)
        acknowledged += [int(line) for line in out.split()]
        assert child.returncode == 0, err.decode()
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    async with await open_log(pg, readonly=True) as log:
        events = await log.read(drill)
        result = await log.verify(drill)
    assert acknowledged == list(range(1, 301))
    assert [e.seq for e in events] == list(range(1, 301)) and [e.data["i"] for e in events] == list(range(300))
    assert result.ok, result.reason


# --- the scheduler lease across hosts ---------------------------------------------------------------


async def test_the_lease_passes_between_hosts_on_the_servers_clock(pg: str) -> None:
    async with await open_log(pg) as host_a, await open_log(pg) as host_b:
        drill = await host_a.create_drill("s", "S", "id: s\n")
        assert await host_a.acquire_lease(drill, "host-a", ttl=0.5)
        assert not await host_b.acquire_lease(drill, "host-b", ttl=0.5)
        assert await host_b.lease_holder(drill) == "host-a"
        # host-a dies (stops renewing): host-b takes over once its ttl has passed, by the server's clock.
        started = time.monotonic()
        while not await host_b.acquire_lease(drill, "host-b", ttl=5):
            assert time.monotonic() - started < 5, "the lease was never taken over"
            await asyncio.sleep(0.05)  # a scheduler's renewal loop, at its own pace
        assert time.monotonic() - started > 0.3
        assert await host_a.lease_holder(drill) == "host-b"
        assert not await host_a.acquire_lease(drill, "host-a", ttl=5)
