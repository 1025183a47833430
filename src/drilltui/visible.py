"""Text from files, participants or the log made safe to show on a terminal: control characters drawn, never sent."""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (some terminals act on 0x9b as ESC [),
# plus the bidirectional overrides and isolates that reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_OR_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _draw(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # ESC -> ^[, NUL -> ^@
    if code == 0x7F:
        return "^?"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # a lone surrogate cannot be encoded at all
    return f"<U+{code:04X}>"


def visible(text: str, *, lines: bool = False) -> str:
    """`text` with every control character drawn in caret notation (`^[`), bidi controls as `<U+202E>`.

    With `lines`, tab and newline are kept, for text shown over several lines.
    """
    return (_UNSAFE_OR_LINES if lines else _UNSAFE).sub(_draw, text)


def has_control(text: str, *, lines: bool = True) -> str | None:
    """The first character `visible` would draw, or None; with `lines` tab and newline are allowed."""
    found = (_UNSAFE_OR_LINES if lines else _UNSAFE).search(text)
    return None if found is None else found.group()


def describe_control(c: str) -> str:
    """`ESC (U+001B)`: a control character named for an error message."""
    names = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x09: "tab", 0x0A: "newline", 0x0D: "carriage return",
             0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}
    code = ord(c)
    name = names.get(code, "a control character" if code < 0xA0 else "a bidirectional control" if code < 0xD800
                     else "a lone surrogate")
    return f"{name} (U+{code:04X})"
