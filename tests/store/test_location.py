"""--db and $DRILLTUI_DB: a postgresql:// URL picks PostgreSQL, anything else is a SQLite file path."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from drilltui.commands.options import add_db, db_path, default_db
from drilltui.store import DatabaseUrl, EventLog, is_url, location, open_log
from drilltui.store.location import redact


@pytest.mark.parametrize("value", ["postgresql://drilltui@db.example.org/drills", "postgres://u:pw@10.0.0.1:6543/d?sslmode=require"])
def test_urls_are_postgresql(value: str) -> None:
    where = location(value)
    assert isinstance(where, DatabaseUrl) and where == value and is_url(where)
    assert where.absolute() is where and where.exists()


@pytest.mark.parametrize("value", ["drills.db", "/var/lib/drilltui/drills.db", "postgresql.db", "./postgresql:/x"])
def test_anything_else_is_a_sqlite_path(value: str) -> None:
    assert location(value) == Path(value) and not is_url(location(value))


def test_the_password_is_never_shown() -> None:
    assert redact("postgresql://auditor:s3cret@db:5432/drills?sslmode=require") == "postgresql://auditor@db:5432/drills?sslmode=require"
    assert DatabaseUrl("postgresql://auditor:s3cret@db/drills").shown == "postgresql://auditor@db/drills"
    assert redact("postgresql://db/drills") == "postgresql://db/drills"
    where = DatabaseUrl("postgresql://auditor:s3cret@db/drills")
    assert f"drill X in {where}" == "drill X in postgresql://auditor@db/drills"  # as `serve` prints it
    assert str(where) == "postgresql://auditor:s3cret@db/drills"  # as a child's --db gets it


def test_files_beside_a_url_live_in_the_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    where = DatabaseUrl("postgresql://drilltui:pw@db.example.org:5433/drills")
    beside = where.with_name(f"{where.name}.participants")
    assert beside.parent == tmp_path / "drilltui"
    assert beside.name.startswith("db.example.org-5433-drills-") and "pw" not in beside.name


def test_db_option_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser()
    add_db(parser)
    url = "postgresql://drilltui@db.example.org/drills"
    assert db_path(parser.parse_args(["--db", url]), create=True) == url  # no folder made for a URL
    assert db_path(parser.parse_args(["--db", str(tmp_path / "d" / "x.db")]), create=True) == tmp_path / "d" / "x.db"
    assert (tmp_path / "d").is_dir()
    monkeypatch.setenv("DRILLTUI_DB", url)
    assert isinstance(default_db(), DatabaseUrl) and default_db() == url
    assert db_path(parser.parse_args([]), create=False) == url
    monkeypatch.setenv("DRILLTUI_DB", str(tmp_path / "env.db"))
    assert default_db() == tmp_path / "env.db"


async def test_open_log_picks_sqlite_for_a_path(tmp_path: Path) -> None:
    async with await open_log(tmp_path / "x.db") as log:
        assert isinstance(log, EventLog)
    async with await open_log(str(tmp_path / "x.db"), readonly=True) as log:
        assert isinstance(log, EventLog) and log.readonly
