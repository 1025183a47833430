"""Every key of the dashboard, with an id so users can remap it in config.yaml."""

from __future__ import annotations

from textual.binding import Binding

# (key, action, description, id, shown in footer). Ids are the names used in
# the `keys:` section of config.yaml.
DASHBOARD = [
    Binding("s", "start", "Start", id="drill-start"),
    Binding("space", "toggle_clock", "Pause/resume", id="clock-toggle"),
    Binding("right_square_bracket", "speed(2)", "Faster", id="speed-up"),
    Binding("left_square_bracket", "speed(0.5)", "Slower", id="speed-down"),
    Binding("r", "release", "Release", id="release"),
    Binding("R", "release_next", "Release next", id="release-next", show=False),
    Binding("a", "acknowledge", "Ack", id="acknowledge"),
    Binding("x", "resolve", "Resolve", id="resolve"),
    Binding("e", "escalate", "Escalate", id="escalate"),
    Binding("d", "decide", "Decide", id="decide"),
    Binding("t", "status", "Status", id="role-status"),
    Binding("n", "note", "Note", id="note"),
    Binding("g", "rate", "Rate", id="rate"),
    Binding("ctrl+e", "end", "End drill", id="drill-end"),
    Binding("h", "hotwash", "Hotwash", id="hotwash"),
    Binding("b", "toggle_bell", "Bell on/off", id="bell", show=False),
    Binding("question_mark", "help", "Keys", id="help"),
    Binding("1", "focus('feed')", "Feed", id="focus-feed", show=False),
    Binding("2", "focus('roles')", "Roles", id="focus-roles", show=False),
    Binding("3", "focus('tree')", "Tree", id="focus-tree", show=False),
    Binding("4", "focus('pending')", "Pending", id="focus-pending", show=False),
]

HELP = {
    "start": "Start the drill: drill time begins at T+00:00:00 (controllers)",
    "toggle_clock": "Pause or resume the drill clock (controllers)",
    "speed(2)": "Run the clock twice as fast, up to 64x (controllers)",
    "speed(0.5)": "Run the clock half as fast, down to 0.25x (controllers)",
    "release": "Release the pending inject selected in the Pending list, or pick one, manual ones included",
    "release_next": "Release the next pending inject of the MSEL now",
    "acknowledge": "Acknowledge the selected inject",
    "resolve": "Resolve (close) the selected inject",
    "escalate": "Escalate the selected inject one level up the chain of command",
    "decide": "Take the decision the selected inject asks for",
    "status": "Set a role's status (standby, active, busy, unreachable) and current task",
    "note": "Add a note or observation on the selected inject or role",
    "rate": "Rate an objective: P, S, M or U, with a comment (evaluators, controllers)",
    "end": "End the drill, after confirmation (controllers)",
    "hotwash": "Open the hotwash: strengths, areas for improvement and the improvement plan, per objective",
    "toggle_bell": "Turn the terminal bell for notifications on or off",
    "help": "Show this list of keys",
    "focus('feed')": "Move to the inject feed",
    "focus('roles')": "Move to the role board",
    "focus('tree')": "Move to the escalation tree",
    "focus('pending')": "Move to the pending injects (controllers)",
}
