"""Scenario files (the exercise plan and its MSEL): model, loader, schema."""

from drilltui.scenario.durations import format_drill_time, format_duration, parse_duration
from drilltui.scenario.loader import load, loads
from drilltui.scenario.model import (
    Decision,
    Inject,
    Objective,
    Option,
    Problem,
    Role,
    Scenario,
    ScenarioError,
    Trigger,
)

__all__ = [
    "Decision", "Inject", "Objective", "Option", "Problem", "Role", "Scenario",
    "ScenarioError", "Trigger", "format_drill_time", "format_duration", "load",
    "loads", "parse_duration",
]
