"""Text from files, participants or the log on standard output: drawn visibly on a terminal, exact to a file or pipe."""

from __future__ import annotations

import sys
from typing import TextIO

from drilltui.visible import visible


def on_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_data(text: str, stream: TextIO | None = None, *, always_drawn: bool = False) -> None:
    """Write `text` (lines kept); its control characters drawn when `stream` is a terminal, or `always_drawn`."""
    out = sys.stdout if stream is None else stream
    out.write(visible(text, lines=True) if always_drawn or on_terminal(out) else text)


def say(text: str, stream: TextIO | None = None) -> None:
    """Print one line for a person: whatever it quotes from files or the log is drawn, never sent."""
    print(visible(text), file=sys.stdout if stream is None else stream, flush=True)
