"""Fixtures for Pilot tests of the dashboard."""

from __future__ import annotations

import pytest
from uiharness import Harness


@pytest.fixture
async def harness(tmp_path):
    h = Harness(tmp_path)
    yield h
    if hasattr(h, "log"):
        await h.close()
