"""Scenario files (the exercise plan and its MSEL): model, loader, schema."""

from drilltui.scenario.durations import format_drill_time, format_duration, parse_duration
from drilltui.scenario.loader import load, loads
from drilltui.scenario.model import (
    Decision,
    Expectation,
    Inject,
    Objective,
    Option,
    Problem,
    Role,
    Scenario,
    ScenarioError,
    Task,
    Trigger,
)

__all__ = [
    "Decision", "Expectation", "Inject", "Objective", "Option", "Problem", "Role", "Scenario",
    "ScenarioError", "Task", "Trigger", "format_drill_time", "format_duration", "load",
    "loads", "parse_duration",
]
