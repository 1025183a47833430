"""The scenario format's fixed words (exercise types, role kinds, methods...), apart so the CLI names them cheaply."""

FORMAT = "drilltui/1"
EXERCISE_TYPES = ("drill", "tabletop", "functional", "full-scale")
ROLE_KINDS = ("player", "controller", "evaluator", "observer", "simcell")
METHODS = ("email", "phone", "radio", "chat", "in-person", "system", "other")
SEVERITIES = ("low", "medium", "high", "critical")
TRIGGERS = ("released", "acknowledged", "resolved", "escalated", "expired")
# What an expectation's `when` may name (besides `decision:<option id>`): the log state that meets it.
EXPECT_STATES = ("acknowledged", "resolved", "escalated")
# What `sensitive:` may list: free text that `--redact` replaces (docs/scenario-format.md, "Redaction").
SENSITIVE_FIELDS = ("summary", "objectives", "title", "from", "message", "expected_action", "decision",
                    "notes", "tasks", "comments", "hotwash", "reasons")
# `drilltui lint`: the most injects one role should receive in any ten minutes, unless told otherwise.
DEFAULT_MAX_PER_10M = 6
# `drilltui new --role`: how one role of the chain of command is written on a line.
ROLE_FORM = "ID:TITLE:KIND[:REPORTS_TO]"
