"""Scenario files (the exercise plan and its MSEL): model, loader, schema."""

from typing import TYPE_CHECKING

from drilltui.lazy import lazy_names

# Each name is imported from its module on first use: `from drilltui.scenario import parse_duration`
# costs no YAML parser.
_WHERE = {
    **dict.fromkeys(("format_drill_time", "format_duration", "parse_duration"), "durations"),
    **dict.fromkeys(("load", "loads"), "loader"),
    **dict.fromkeys(("Decision", "Expectation", "Inject", "Objective", "Option", "Problem", "Role", "Scenario",
                     "ScenarioError", "Task", "Trigger"), "model"),
}
__getattr__ = lazy_names(__name__, _WHERE)

if TYPE_CHECKING:
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
