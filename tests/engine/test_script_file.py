"""A headless script file: longer than any scenario may be, and refused past its own limit in words about scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from drilltui.engine.script import SCRIPT_BYTES, load_script
from drilltui.scenario import ScenarioError
from drilltui.scenario.yamldata import MAX_BYTES

STEP = "- {at: 0s, as: control, do: start}\n"


def test_a_script_longer_than_a_scenario_may_be_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(STEP + "# padding\n" * (MAX_BYTES // 10 + 1))
    assert path.stat().st_size > MAX_BYTES
    assert len(load_script(path)) == 1


def test_a_script_past_its_limit_is_refused_as_a_script(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(STEP + "#" * SCRIPT_BYTES)
    with pytest.raises(ScenarioError) as caught:
        load_script(path)
    text = str(caught.value)
    assert "script file" in text and "scenario" not in text
