"""Where drilltui keeps things: its data folder, bundled scenarios and themes, settings."""

from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
BUNDLED_SCENARIOS = DATA / "scenarios"
BUNDLED_THEMES = DATA / "themes"


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "drilltui"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "drilltui"


def bundled_scenarios() -> list[Path]:
    return sorted(BUNDLED_SCENARIOS.glob("*.yaml"))


def local_scenarios(cwd: Path | None = None) -> list[Path]:
    """Scenario files in ./scenarios of the current folder, if any."""
    folder = (cwd or Path.cwd()) / "scenarios"
    if folder.resolve() == BUNDLED_SCENARIOS.resolve():
        return []
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def find_scenario(name: str) -> Path:
    """A scenario path from a path or a bundled/local scenario id.

    Raises FileNotFoundError naming what was tried.
    """
    path = Path(name)
    if path.is_file() or path.suffix in (".yaml", ".yml") or os.sep in name:
        return path
    for candidate in [*local_scenarios(), *bundled_scenarios()]:
        if candidate.stem == name:
            return candidate
    known = ", ".join(p.stem for p in bundled_scenarios())
    raise FileNotFoundError(f"no scenario file or bundled scenario named '{name}' (bundled: {known})")
