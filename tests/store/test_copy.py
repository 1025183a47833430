"""`drilltui copy`: drills move between SQLite and PostgreSQL with their chains intact, and verify the same on both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from store.conftest import fresh_pg_database, shared_pg_database
from store.test_migration import schema_1_file

from drilltui.cli import build_parser
from drilltui.commands import copy
from drilltui.store import open_log

PAIRS = [("sqlite", "postgres"), ("postgres", "sqlite"), ("sqlite", "sqlite")]


async def place(kind: str, path: Path, other: bool) -> tuple[str | Path, object]:
    if kind == "sqlite":
        return path, None
    if other:
        return await fresh_pg_database()
    return await shared_pg_database(), None


@pytest.fixture(params=PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
async def ends(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[str | Path, str | Path]]:
    """(source, destination): two empty stores of the kinds the case names."""
    source, drop_source = await place(request.param[0], tmp_path / "from.db", other=False)
    destination, drop_destination = await place(request.param[1], tmp_path / "to.db", other=True)
    try:
        yield source, destination
    finally:
        for drop in (drop_source, drop_destination):
            if drop is not None:
                await drop()  # type: ignore[operator]


async def run_copy(capsys: pytest.CaptureFixture[str], source: str | Path, destination: str | Path,
                   *drills: str) -> tuple[int, str, str]:
    args = build_parser().parse_args(["copy", "--from", str(source), "--to", str(destination), *drills])
    code = await copy._copy(args)
    out, err = capsys.readouterr()
    return code, out, err


async def fill(where: str | Path, ev, events: int = 30) -> list[str]:
    async with await open_log(where) as log:
        ids = []
        for n in range(2):
            drill = await log.create_drill("cyber-1", f"Cyber drill {n} ☢", "id: cyber-1\ntitle: ☢\n",
                                           created_at=f"2026-11-29T01:5{n}:41.123456Z")
            await log.append_many(drill, [ev(i) for i in range(1, events + 1)])
            ids.append(drill)
        return ids


async def test_copy_keeps_chains_intact(ends, ev, capsys: pytest.CaptureFixture[str]) -> None:
    source, destination = ends
    ids = await fill(source, ev)
    code, out, err = await run_copy(capsys, source, destination)
    assert (code, err) == (0, "")
    async with await open_log(source, readonly=True) as a, await open_log(destination, readonly=True) as b:
        assert [d.id for d in await b.drills()] == [d.id for d in await a.drills()]
        for drill in ids:
            mine, theirs = await a.verify(drill), await b.verify(drill)
            assert theirs.ok and theirs == mine
            assert f"{drill}: 30 events copied, 30 events, chain intact; last hash {mine.last_hash}" in out
            assert await b.read(drill) == await a.read(drill)
            assert await b.drill(drill) == await a.drill(drill)
    # Again: nothing to do. Then the source moves on and the copy catches up.
    assert (await run_copy(capsys, source, destination, ids[0]))[1].startswith(f"{ids[0]}: up to date, 30 events")
    async with await open_log(source) as a:
        await a.append_many(ids[0], [ev(i) for i in range(31, 36)])
    code, out, _ = await run_copy(capsys, source, destination, ids[0])
    assert code == 0 and out.startswith(f"{ids[0]}: 5 events copied, 35 events, chain intact")


async def test_a_schema_1_drill_copies_on_its_own_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.db"
    last = schema_1_file(old)
    url, drop = await fresh_pg_database()
    try:
        code, out, _ = await run_copy(capsys, old, url)
        assert code == 0 and out == f"old-1: 5 events copied, 5 events, chain intact; last hash {last}\n"
    finally:
        await drop()


async def test_a_drill_that_does_not_verify_is_not_copied(ends, ev, tamper_at, capsys: pytest.CaptureFixture[str]) -> None:
    source, destination = ends
    ids = await fill(source, ev)
    await tamper_at(source, ("UPDATE event SET data = '{\"i\":0}' WHERE drill_id = ? AND seq = 7", (ids[1],)))
    code, out, err = await run_copy(capsys, source, destination)
    assert code == 1
    assert err == (f"drilltui: {ids[1]}: not copied: its log does not verify in {copy._shown(source)} "
                   "(event 7: event 7 was changed after it was written (its content does not match its hash))\n")
    assert out.startswith(f"{ids[0]}: 30 events copied")


async def test_a_different_drill_of_the_same_id_is_refused(ends, ev, capsys: pytest.CaptureFixture[str]) -> None:
    source, destination = ends
    ids = await fill(source, ev)
    async with await open_log(destination) as b:
        await b.create_drill("other", "Another drill", "id: other\n", drill_id=ids[0])
    code, _, err = await run_copy(capsys, source, destination, ids[0])
    assert code == 1 and "already has a different drill of that id" in err


async def test_verify_answers_the_same_on_both_backends(ends, ev, tamper_at, capsys: pytest.CaptureFixture[str]) -> None:
    source, destination = ends
    ids = await fill(source, ev)
    await run_copy(capsys, source, destination)
    edits = [
        ("UPDATE event SET participant = 'Mallory' WHERE drill_id = ? AND seq = 3", (ids[0],)),
        ("DELETE FROM event WHERE drill_id = ? AND seq = 30", (ids[1],)),
    ]
    for where in (source, destination):
        await tamper_at(where, *edits)
    async with await open_log(source, readonly=True) as a, await open_log(destination, readonly=True) as b:
        for drill in ids:
            assert await a.verify(drill) == await b.verify(drill)
            assert not (await a.verify(drill)).ok


def test_same_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from drilltui.cli import main

    assert main(["copy", "--from", str(tmp_path / "a.db"), "--to", str(tmp_path / "a.db")]) == 2
    assert "--from and --to are the same database" in capsys.readouterr().err
