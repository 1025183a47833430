"""Shared fixtures: paths to the bundled scenarios and small scenario texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "src" / "drilltui" / "data" / "scenarios").glob("*.yaml"))
# Tests over the bundled scenarios must not pass by finding none.
assert len(SCENARIOS) >= 4, f"the bundled scenarios are missing from {ROOT / 'src' / 'drilltui' / 'data' / 'scenarios'}"



@pytest.fixture
def minimal_text() -> str:
    return MINIMAL


def without_expect(injects):
    """Injects with their expectations left out: an MSEL row carries only the expected action's text."""
    import dataclasses

    return tuple(dataclasses.replace(i, expect=()) for i in injects)
