"""The role board's "Unack for" column: whole minutes, so it changes once a minute, not every second."""

from __future__ import annotations

import pytest

from drilltui.ui.panes.roles import age


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "<1m"), (41, "<1m"), (59.9, "<1m"), (60, "1m"), (119, "1m"), (40 * 60 + 41, "40m"),
    (3600, "1h"), (3600 + 5 * 60 + 30, "1h05m"), (26 * 3600 + 59, "26h"),
])
def test_age_reads_to_the_minute(seconds: float, shown: str) -> None:
    assert age(seconds) == shown


def test_age_changes_at_most_once_a_minute() -> None:
    shown = [age(s) for s in range(0, 3 * 3600)]
    changes = sum(a != b for a, b in zip(shown, shown[1:]))
    assert changes == 3 * 60 - 1
