"""The `drilltui` command: parse arguments and hand over to a subcommand."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from drilltui import __version__

# Each module under drilltui.commands adds one subcommand: `add(subparsers)`
# registers its arguments and sets `func`, which returns the exit code. Its
# one-line help is also here, so `drilltui --help` lists every command without
# importing any of their modules (tests/e2e/test_cli_basics.py keeps the two the same).
SUMMARIES = {
    "run": "start a new drill",
    "rehearse": "play a scenario forward with simulated responses",
    "resume": "continue a drill",
    "join": "join a running drill as a participant",
    "serve": "let participants join a drill over SSH",
    "participants": "check a participants file for `drilltui serve`",
    "invite": "invite a participant to join a drill from a browser",
    "replay": "replay a drill, read-only",
    "drills": "list the drills in a database",
    "verify": "check that a drill's log was not edited",
    "attest": "sign a statement of a drill's log with your SSH key",
    "bundle": "write a drill's evidence bundle (a zip of plain files)",
    "export": "export a drill's raw events",
    "copy": "copy drills between databases (SQLite, PostgreSQL)",
    "report": "write the after-action report",
    "activity": "write each role's ICS-214 activity log",
    "hotwash": "run the hotwash of a drill",
    "validate": "check scenario files",
    "plan": "the plan on a time axis, to read while writing it",
    "lint": "find what a scenario's plan misses",
    "new": "write a scenario to start from",
    "schema": "print the scenario JSON Schema",
    "themes": "list the colour themes, with a preview",
    "import-msel": "turn an MSEL (CSV, XLSX, T3SF JSON, OpenAEV export) into a scenario",
    "export-msel": "write a scenario's MSEL as CSV or XLSX",
}
COMMANDS = tuple(SUMMARIES)

EPILOG = "Run `drilltui COMMAND --help` for a command's options."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line and exit 2, as for every other kind of bad input.
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def wanted(argv: Sequence[str]) -> tuple[str, ...]:
    """The subcommands to register for argv: the one it names, none for `--version`, all for help and mistakes.

    Registering a subcommand imports its module; a call pays only for its own.
    """
    for arg in argv:
        if arg in ("-h", "--help"):
            return COMMANDS
        if arg == "--version":
            return ()
        if not arg.startswith("-"):
            return (arg,) if arg in COMMANDS else COMMANDS
    return COMMANDS


def help_only(argv: Sequence[str]) -> bool:
    """Whether argv asks for the list of commands (`drilltui --help`), which their one-line helps answer."""
    for arg in argv:
        if arg in ("-h", "--help"):
            return True
        if arg == "--version" or not arg.startswith("-"):
            return False
    return False


def build_parser(commands: Sequence[str] = COMMANDS, *, summaries: bool = False) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="drilltui",
        description="A terminal console for running emergency-response drills.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"drilltui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in commands:
        if summaries:
            sub.add_parser(name, help=SUMMARIES[name])
        else:
            importlib.import_module(f"drilltui.commands.{name.replace('-', '_')}").add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(wanted(argv), summaries=help_only(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        if not sys.stdin.isatty() or not sys.stdout.isatty():
            parser.print_help()
            return 0
        func = importlib.import_module("drilltui.commands.home").run
    else:
        func = args.func
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        from drilltui.errors import describe

        message = describe(exc)
        if message is None:
            raise
        from drilltui.visible import visible

        print(visible(f"drilltui: error: {message}", lines=True), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
