"""The real `drilltui` command imports only what the call needs: `--version` and `--help` start at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from samples import MINIMAL

HEAVY = ("textual", "asyncssh", "aiosqlite", "asyncpg", "asyncio", "sqlite3", "yaml")


# Runs the installed `drilltui` script as its own __main__ and lists sys.modules as the process ends.
PROBE = """
import atexit, runpy, sys
atexit.register(lambda: print("MODULES", *sorted(sys.modules), file=sys.stderr))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def imported(*args: str, cwd: Path | None = None) -> set[str]:
    """Every module the real command has imported by the time it exits."""
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent)) or shutil.which("drilltui")
    assert exe, "the drilltui command is installed"
    result = subprocess.run([sys.executable, "-c", PROBE, exe, *args], capture_output=True, text=True, timeout=60, cwd=cwd)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stderr.rsplit("MODULES", 1)[1].split())


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("validate", "--help"), ("run", "--help"), ("lint", "--help"),
                                  ("new", "--help")])
def test_version_and_help_import_no_ui_ssh_or_database(args: tuple[str, ...]) -> None:
    modules = imported(*args)
    assert "argparse" in modules  # the list is real
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_validate_imports_no_ui_ssh_or_database(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(MINIMAL)
    modules = imported("validate", "s.yaml", cwd=tmp_path)
    assert "drilltui.scenario.loader" in modules
    assert not {m for m in modules if m.split(".")[0] in ("textual", "asyncssh", "aiosqlite", "asyncpg", "sqlite3", "asyncio")}
