"""Every key of drilltui's screens, each with an id (to remap it in config.yaml) and its help as a tooltip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import App
from textual.binding import Binding

# Shared by every screen that shows a drill.
VIEWING = [
    Binding("j", "journal", "Journal", id="journal",
            tooltip="The drill journal: every note, observation, rating, decision and correction, as logged"),
    Binding("question_mark", "help", "Keys", id="help", tooltip="Show every key, as remapped, and what it does now"),
    Binding("1", "pane('feed')", "Feed", id="focus-feed", show=False, tooltip="Move to the inject feed"),
    Binding("2", "pane('roles')", "Roles", id="focus-roles", show=False, tooltip="Move to the role board"),
    Binding("3", "pane('tree')", "Tree", id="focus-tree", show=False,
            tooltip="Move to the escalation tree (on a narrow terminal it takes the place of the role board)"),
    # Free play: the messages, each role's activity log, and `/` over the feed.
    Binding("m", "messages", "Messages", id="messages",
            tooltip="Messages: your inbox (every role's, for controllers and evaluators), unread marked; write and reply"),
    Binding("l", "activity", "Activity log", id="activity", show=False,
            tooltip="The ICS-214 activity log of your role (of every role, for controllers and evaluators)"),
    Binding("slash", "search", "Search", id="search", show=False,
            tooltip="Filter the inject feed by text, role (role:soc), severity (sev:high) or status (status:overdue)"),
]

# Dashboard actions have the names permissions.actions() uses, so the engine says which apply.
DASHBOARD = [
    Binding("s", "start", "Start", id="drill-start",
            tooltip="Start the drill: drill time begins at T+00:00:00 (controllers)"),
    Binding("space", "toggle_clock", "Pause", id="clock-toggle", tooltip="Pause or resume the drill clock (controllers)"),
    Binding("right_square_bracket", "speed_up", "Faster", id="speed-up", show=False,
            tooltip="Run the clock twice as fast, up to 64x (controllers)"),
    Binding("left_square_bracket", "speed_down", "Slower", id="speed-down", show=False,
            tooltip="Run the clock half as fast, down to 0.25x (controllers)"),
    Binding("r", "release", "Release", id="release",
            tooltip="Release the inject selected in Pending, or pick one: contingency injects first, branches not taken last"),
    Binding("R", "release_next", "Release next", id="release-next", show=False,
            tooltip="Release the next scheduled inject of the MSEL now"),
    Binding("a", "acknowledge", "Ack", id="acknowledge", tooltip="Acknowledge the selected inject"),
    Binding("x", "resolve", "Resolve", id="resolve", tooltip="Resolve (close) the selected inject"),
    Binding("e", "escalate", "Escalate", id="escalate",
            tooltip="Escalate the selected inject one level up the chain of command"),
    Binding("d", "decide", "Decide", id="decide",
            tooltip="Take the decision the selected inject asks for: choose, confirm, and say why if you wish"),
    Binding("t", "status", "Status", id="role-status",
            tooltip="Set a role's status (standby, active, busy, unreachable) and current task"),
    Binding("n", "note", "Note", id="note", tooltip="Add a note or observation on the selected inject or role"),
    Binding("g", "rate", "Rate", id="rate",
            tooltip="Rate an objective P, S, M or U, with a comment saying what supports it (evaluators, controllers)"),
    Binding("v", "board", "Board", id="board",
            tooltip="The evaluator's board: objectives, critical tasks and expectations, scored from the log "
                    "(evaluators, controllers)"),
    Binding("h", "hotwash", "Hotwash", id="hotwash",
            tooltip="The hotwash: strengths, areas for improvement and the improvement plan, per objective"),
    Binding("ctrl+e", "end", "End drill", id="drill-end", tooltip="End the drill, after confirmation (controllers)"),
    Binding("b", "toggle_bell", "Bell on/off", id="bell", show=False, tooltip="Turn the bell for notices on or off"),
    *VIEWING,
    Binding("4", "pane('pending')", "Pending", id="focus-pending", show=False,
            tooltip="Move to the pending injects (controllers)"),
    Binding("i", "write_inject", "Inject", id="write-inject",
            tooltip="Write an inject now, off the MSEL, and send it: to, from, severity, message, deadline, decision "
                    "(controllers, SimCell)"),
]

# Keys every screen has, listed in the help after the screen's own.
GENERAL = (("tab / shift+tab", "Move between panes"), ("↑ ↓ / enter", "Move in a list / choose"),
           ("ctrl+p", "Command palette: every action, searchable, with themes"),
           ("ctrl+q", "Leave: back to where this drill was opened from, or quit (the drill goes on)"))


def key_in_force(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The binding's key as config.yaml remaps it (the first, when it lists several)."""
    return keymap.get(binding.id or "", binding.key).split(",")[0].strip()


def key_display(app: App[Any], binding: Binding, keymap: Mapping[str, str]) -> str:
    """The key in force for a binding, written the way the footer writes it."""
    return app.get_key_display(Binding(key_in_force(binding, keymap), binding.action))


def not_now(key: str, bindings: list[Binding], keymap: Mapping[str, str],
            offers: Mapping[str, str | None]) -> tuple[Binding, str] | None:
    """The binding a key press is for and why it cannot act now, when the engine said it cannot."""
    for binding in bindings:
        if binding.action in offers and key_in_force(binding, keymap) == key:
            why = offers[binding.action]
            return (binding, why) if why is not None else None
    return None

# `drilltui plan`: the plan on a time axis. `r` is kept free for rehearsing the plan.
PLAN = [
    Binding("right,n", "step(1)", "Next", id="plan-next", tooltip="Select the next inject in time order (then the bench)"),
    Binding("left,p", "step(-1)", "Previous", id="plan-previous", tooltip="Select the previous inject in time order"),
    Binding("home", "first", "First", id="plan-first", show=False, tooltip="Select the first inject of the plan"),
    Binding("end", "last", "Last", id="plan-last", show=False, tooltip="Select the last inject (the end of the bench)"),
    Binding("down", "lane(1)", "Lane below", id="plan-lane-down", show=False,
            tooltip="Select the inject nearest in time in the next lane down that has one"),
    Binding("up", "lane(-1)", "Lane above", id="plan-lane-up", show=False,
            tooltip="Select the inject nearest in time in the next lane up that has one"),
    Binding("plus,equals_sign", "zoom(1)", "Zoom in", id="plan-zoom-in", tooltip="Fewer seconds per column"),
    Binding("minus", "zoom(-1)", "Zoom out", id="plan-zoom-out", tooltip="More seconds per column, up to the whole plan"),
    Binding("less_than_sign,shift+left", "pan(-1)", "Earlier", id="plan-pan-back", show=False,
            tooltip="Move the time axis half a screen earlier"),
    Binding("greater_than_sign,shift+right", "pan(1)", "Later", id="plan-pan-on", show=False,
            tooltip="Move the time axis half a screen later"),
    Binding("enter", "detail", "Detail", id="plan-detail",
            tooltip="The selected inject in full: every field, expectations, branches and its deadline chain"),
    Binding("o", "objectives", "Objectives", id="plan-objectives",
            tooltip="Pick an objective to mark the injects that test it (pick it again, or none, to clear)"),
    Binding("b", "bench", "Bench", id="plan-bench",
            tooltip="Select the first inject on the bench: manual ones, and those that hang from them"),
    Binding("s", "parties", "SimCell lanes", id="plan-parties", show=False,
            tooltip="Show or hide the lanes of the outside parties the SimCell plays"),
    Binding("r", "rehearse", "Rehearse", id="plan-rehearse",
            tooltip="Play the plan forward with simulated answers (nobody, everyone, a policy file) and see what happens"),
    Binding("question_mark", "help", "Keys", id="plan-help", tooltip="Show every key, as remapped, and what it does"),
    Binding("q", "app.quit", "Quit", id="plan-quit", tooltip="Quit the plan view"),
]
