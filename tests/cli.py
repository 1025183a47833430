"""The `drilltui` command for tests: in this process by default (fast), or as a real process for smoke tests."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    """What a run printed and returned, like subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def drilltui(*args: str | Path, check: bool = False, stdin: str = "", cwd: Path | None = None,
             env: dict[str, str] | None = None, timeout: float | None = None) -> Result:
    """Run `drilltui ARGS` in this process: cli.main with its own stdin, stdout, stderr, folder and environment."""
    from drilltui.cli import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    saved_env = dict(os.environ)
    saved_cwd = Path.cwd()
    os.environ.update({"NO_COLOR": "1", **(env or {})})
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            saved_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's --help and errors
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            except BaseException:  # noqa: BLE001 - a traceback is what a real run would print
                traceback.print_exc(file=err)
                code = 1
            finally:
                sys.stdin = saved_stdin
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    result = Result(argv, int(code or 0), out.getvalue(), err.getvalue())
    if check:
        assert result.returncode == 0, (argv, result.returncode, result.stdout[-3000:], result.stderr[-3000:])
    return result


def drilltui_process(*args: str | Path, check: bool = False, stdin: str | None = None, cwd: Path | None = None,
                     env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed `drilltui` as its own process, as a user does (for smoke tests, terminals and signals)."""
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "drilltui"]
    result = subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                            input=stdin if stdin is not None else "", env={**os.environ, "NO_COLOR": "1", **(env or {})})
    if check:
        assert result.returncode == 0, (args, result.returncode, result.stdout[-3000:], result.stderr[-3000:])
    return result
