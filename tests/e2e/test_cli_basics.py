"""The real `drilltui` command: help, version, validate and schema, as a user runs them."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from cli import drilltui, drilltui_process
from conftest import SCENARIOS
from samples import MINIMAL

from drilltui import __version__


def test_version_and_help() -> None:
    assert drilltui_process("--version").stdout.strip() == f"drilltui {__version__}"  # the installed command itself
    out = drilltui("--help").stdout
    assert "validate" in out and "schema" in out


def test_the_list_of_commands_says_what_each_command_says_of_itself() -> None:
    """`drilltui --help` lists the commands from cli.SUMMARIES without importing them: it must say what they say."""
    from drilltui.cli import SUMMARIES, build_parser

    full = build_parser()
    (commands,) = [a for a in full._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    registered = {choice.dest: choice.help for choice in commands._choices_actions}  # noqa: SLF001
    assert registered == SUMMARIES
    assert drilltui("--help").stdout == full.format_help()


def test_every_subcommand_has_help() -> None:
    from drilltui.cli import COMMANDS

    for name in COMMANDS:
        result = drilltui(name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        assert "usage: drilltui" in result.stdout


def test_python_dash_m() -> None:
    result = subprocess.run([sys.executable, "-m", "drilltui", "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"drilltui {__version__}"


def test_bad_arguments_are_one_line_exit_2() -> None:
    result = drilltui("frobnicate")
    assert result.returncode == 2
    assert result.stderr.count("\n") <= 2 and "Traceback" not in result.stderr


def test_validate_bundled_scenarios() -> None:
    result = drilltui("validate", *map(str, SCENARIOS))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok (") == len(SCENARIOS)


BAD_FILES = {
    "empty.yaml": b"",
    "list.yaml": b"- a\n- b\n",
    "binary.yaml": bytes(range(256)),
    "latin1.yaml": MINIMAL.replace("A minimal", "Caf\xe9").encode("latin-1"),
    "syntax.yaml": b"format: drilltui/1\nroles: [a, b\n",
    "tag.yaml": MINIMAL.encode() + b"  - !!python/object/apply:os.system ['touch PWNED']\n",
    "cycle.yaml": MINIMAL.replace("    title: Incident Commander\n", "    title: Incident Commander\n    reports_to: soc\n").encode(),
    "dangling.yaml": MINIMAL.replace("to: [soc]", "to: [nobody]").encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_validate_malformed_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    result = drilltui("validate", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert lines and all(line.startswith(f"{path}:") for line in lines)
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in lines)
    assert not (tmp_path / "PWNED").exists()


def test_validate_mixed_good_and_bad(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(MINIMAL)
    bad.write_text("nope")
    result = drilltui("validate", str(good), str(bad))
    assert result.returncode == 2
    assert f"{good}: ok" in result.stdout and f"{bad}: invalid" in result.stderr


def test_validate_prints_warnings_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "late.yaml"
    path.write_text(MINIMAL.replace("    at: 1m\n", "    at: 2h\n"))
    result = drilltui("validate", str(path))
    assert result.returncode == 0
    assert ": warning: " in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = drilltui("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "no such file" in result.stderr
