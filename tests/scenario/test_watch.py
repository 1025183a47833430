"""Noticing a saved scenario file: writes in place, saves by rename, removal, and an early wake from the system."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from drilltui.scenario.watch import changes, marker


async def next_change(it, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    return await asyncio.wait_for(it.__anext__(), timeout)


async def test_each_kind_of_save_is_one_change(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("one\n")
    it = changes(path, marker(path), every=0.02)
    path.write_text("one, two\n")  # in place: the size moves
    assert await next_change(it) == marker(path)
    other = tmp_path / "plan.yaml.new"
    other.write_text("three!!!!\n")
    os.replace(other, path)  # as editors save: a new file renamed over the old, a new inode
    assert await next_change(it) == marker(path)
    path.unlink()
    assert await next_change(it) is None
    await it.aclose()


async def until_started(calls: list[str]) -> None:
    while not calls:
        await asyncio.sleep(0)


async def test_a_wake_is_started_once_and_stopped_when_the_watch_ends(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("one\n")
    calls: list[str] = []

    class Waker:
        def stop(self) -> None:
            calls.append("stopped")

    def wake(changed):  # type: ignore[no-untyped-def]
        calls.append("started")
        wake.changed = changed  # type: ignore[attr-defined]
        return Waker()

    it = changes(path, marker(path), every=60, wake=wake)  # the poll alone would take a minute: the wake must do it
    task = asyncio.ensure_future(next_change(it))
    await asyncio.wait_for(until_started(calls), 5)
    path.write_text("one, two\n")
    wake.changed()  # type: ignore[attr-defined]
    assert await task == marker(path)
    await it.aclose()
    assert calls == ["started", "stopped"]
