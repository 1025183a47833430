"""Control characters from files, participants or the log are drawn, never sent to a terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drilltui.visible import describe_control, has_control, visible


def test_escape_sequences_are_drawn_in_caret_notation() -> None:
    osc52 = "title\x1b]52;c;ZWNobyBwd25lZA==\x07"
    assert visible(osc52) == "title^[]52;c;ZWNobyBwd25lZA==^G"
    assert visible("\x1b[5n") == "^[[5n"
    assert visible("\x9b5n") == "<U+009B>5n"


def test_bidi_overrides_and_surrogates_are_drawn() -> None:
    assert visible("abc\u202edef") == "abc<U+202E>def"
    assert visible("x\ud800y") == "x\ufffdy"


def test_lines_keeps_tab_and_newline_only() -> None:
    assert visible("a\tb\nc\rd", lines=True) == "a\tb\nc^Md"
    assert visible("a\tb\nc") == "a^Ib^Jc"


def test_naming_a_control_character() -> None:
    assert has_control("plain\ttext\n") is None
    assert describe_control(has_control("a\x1bb") or "") == "ESC (U+001B)"


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    shown = visible(text)
    assert has_control(shown, lines=False) is None
    shown.encode("utf-8")  # no lone surrogates left either
