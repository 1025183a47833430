"""The JSON Schema (draft 2020-12) of the scenario format, for editors and tools.

Every key carries a description (editors show it on hover and in completion).
`errorMessage` and `patternErrorMessage` are the YAML and VS Code JSON language
servers' own keywords for the sentence a failed check shows; validators that do
not know them ignore them, as JSON Schema allows.
"""

from __future__ import annotations

from typing import Any

from drilltui.scenario.durations import DURATION_HELP
from drilltui.scenario.model import EXERCISE_TYPES, EXPECT_STATES, FORMAT, METHODS, ROLE_KINDS, SENSITIVE_FIELDS, SEVERITIES, TRIGGERS

SCHEMA_ID = "https://drilltui.invalid/schema/scenario-1.json"

_DURATION_TEXT = r"(T\+)?(\d+|\d+:[0-5]\d(:[0-5]\d)?|(?=\d)(\d+h)?(\d+m)?(\d+s)?)"
_ZERO_TEXT = r"(T\+)?(0+|0+:00(:00)?|(?=\d)(0+h)?(0+m)?(0+s)?)"


def _duration(description: str, *, nonzero: bool = False) -> dict[str, Any]:
    # One schema of two types (no anyOf), so an editor names the real mistake: a bad duration.
    pattern = f"^(?!{_ZERO_TEXT}$){_DURATION_TEXT}$" if nonzero else f"^{_DURATION_TEXT}$"
    what = "a duration longer than zero" if nonzero else "a duration"
    return {
        "description": f"{description} A duration: {DURATION_HELP.removeprefix('write it as ')}.",
        "type": ["integer", "string"],
        ("exclusiveMinimum" if nonzero else "minimum"): 0,
        "pattern": pattern,
        "patternErrorMessage": f"Not {what}; {DURATION_HELP}.",
        "errorMessage": f"Not {what}; {DURATION_HELP}.",
    }


def _id(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", "description": description,
            "patternErrorMessage": "An id is letters, digits, '-', '_' and '.', starting with a letter or digit."}


def _text(description: str, *, required: bool = False, nullable: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", "description": description}
    if required:
        out["minLength"] = 1
    return out


def _ids(description: str, *, min_items: int = 0) -> dict[str, Any]:
    # Each branch carries the description too: editors show the one of the branch that matched.
    one = _id(description)
    return {"description": description,
            "anyOf": [one, {"type": "array", "items": one, "description": description,
                            **({"minItems": min_items} if min_items else {})}]}


def _choice(values: tuple[str, ...], default: str, description: str) -> dict[str, Any]:
    return {"enum": list(values), "default": default, "description": description}


def _obj(props: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def scenario_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict."""
    task = _obj(
        {
            "id": _id("The critical task's id, unique among all tasks of the scenario (O1.1); expectations name it in task."),
            "text": _text("What must be done for the objective to be met, as an Exercise Evaluation Guide states it.",
                          required=True),
        },
        ["id", "text"],
        "An HSEEP critical task of the objective.",
    )
    objective = _obj(
        {
            "id": _id("The objective's id, unique among objectives (O1); injects name it in their objectives."),
            "text": _text("What the players should achieve, as evaluators will rate it.", required=True),
            "capability": _text("The HSEEP core capability the objective exercises (Operational Coordination).", nullable=True),
            "tasks": {"anyOf": [{"type": "array", "items": task}, {"type": "null"}],
                      "description": "The objective's critical tasks (HSEEP): each {id, text}; expectations evidence them."},
        },
        ["id", "text"],
        "An exercise objective, optionally tied to an HSEEP core capability.",
    )
    role = _obj(
        {
            "id": _id("The role's id, unique among roles; injects send to it, reports_to names it."),
            "title": _text("The role's name as people say it (Incident Commander).", required=True),
            "holder": _text("The person playing the role, if known.", nullable=True),
            "kind": _choice(ROLE_KINDS, "player", "What the role does in the drill: players act, controllers run the "
                            "drill, evaluators rate, observers watch, the SimCell plays everyone outside the room."),
            # One schema of two types, not anyOf: editors show the description of the branch that matched.
            "reports_to": {**_id("The role this one reports to in the chain of command (escalations climb it); "
                                 "null or absent for a root. No cycles."), "type": ["string", "null"]},
            "ack_within": _duration("Default acknowledgement deadline for items sent to this role; unacknowledged, they "
                                    "escalate to reports_to."),
        },
        ["id", "title"],
        "A role in the drill; reports_to links form the chain of command.",
    )
    trigger = _obj(
        {
            "inject": _id("The inject whose state releases this one."),
            "on": {
                "type": "string",
                "pattern": "^(" + "|".join(TRIGGERS) + r"|decision:[A-Za-z0-9][A-Za-z0-9_.-]*)$",
                "description": "When: released, acknowledged, resolved, escalated, expired (its deadline passed), or "
                               "decision:<option id>. Write the key as \"on\" so YAML 1.1 tools read it as text.",
                "patternErrorMessage": "on is one of " + ", ".join(TRIGGERS) + ", or decision:<option id>.",
                "examples": [*TRIGGERS, "decision:offline"],
            },
            "delay": _duration("How long after that to release it (default 0s)."),
        },
        ["inject", "on"],
        "Release after another inject reaches a state, plus a delay.",
    )
    option = _obj(
        {"id": _id("The option's id, unique in this decision; after.on names it as decision:<id>."),
         "label": _text("The option as the players read it.", required=True)},
        ["id", "label"], "A decision option.",
    )
    decision = _obj(
        {
            "prompt": _text("The question the receiving role must answer.", required=True),
            "options": {"type": "array", "minItems": 2, "items": option, "description": "Two or more options."},
        },
        ["prompt", "options"],
        "A choice the receiving role must make; other injects may wait for an option with after.",
    )
    expectation = _obj(
        {
            "id": _id("The expectation's id, unique among all expectations of the scenario (I-001.a)."),
            "text": _text("What the players are expected to do, as an evaluator would check it.", required=True),
            "by": _ids("The role or roles expected to act (default: the inject's to)."),
            "within": _duration("How long after the inject's release it must be done; unmet by then, it is logged as "
                                "missed (an evaluator may still override)."),
            "task": _id("The critical task (an objective's tasks id) this expectation evidences."),
            "when": {
                "type": "string",
                "pattern": "^(" + "|".join(EXPECT_STATES) + r"|decision:[A-Za-z0-9][A-Za-z0-9_.-]*)$",
                "description": "The log state that meets it automatically when an expected role reaches it: "
                               "acknowledged, resolved, escalated or decision:<option id>. Without it, an evaluator "
                               "marks it met, partial or not met.",
                "patternErrorMessage": "when is one of " + ", ".join(EXPECT_STATES) + ", or decision:<option id>.",
                "examples": [*EXPECT_STATES, "decision:offline"],
            },
        },
        ["id", "text"],
        "One expected player action on this inject: who, by when, and what in the log shows it.",
    )
    inject = _obj(
        {
            "id": _id("The MSEL event number, unique among injects (I-001)."),
            "at": _duration("When to release it: drill time from the start (T+). Use one of at, after or manual: true."),
            "after": {**trigger, "description": "Release it when another inject reaches a state, plus a delay. Use one "
                                                "of at, after or manual: true."},
            "manual": {"type": "boolean", "description": "true for a contingency inject: only a controller releases it. "
                                                         "Use one of at, after or manual: true."},
            "from": _text("Who the message claims to come from (often played by the SimCell).", nullable=True),
            "to": _ids("The role or roles it is sent to; the first holds it.", min_items=1),
            "method": _choice(METHODS, "other", "How it is delivered."),
            "title": _text("One line that names the inject in feeds and reports.", required=True),
            "message": _text("The full text as the players receive it.", nullable=True),
            "expected_action": _text("What the players are expected to do (for controllers and evaluators).", nullable=True),
            "objectives": _ids("The objectives the inject tests."),
            "severity": _choice(SEVERITIES, "medium", "How serious it is; shown with a word, not colour alone."),
            "ack_within": _duration("Acknowledgement deadline; overrides the holder's ack_within."),
            "decision": decision,
            "sensitive": {"type": "boolean", "description": "Redact all of this inject's free text in a redacted report or bundle."},
            "expect": {"anyOf": [{"type": "array", "items": expectation}, {"type": "null"}],
                       "description": "What the players are expected to do about this inject, each scored from the log "
                                      "or by an evaluator."},
        },
        ["id", "to", "title"],
        "One MSEL event: exactly one of at, after or manual: true.",
    )
    inject["oneOf"] = [
        {"required": ["at"], "not": {"anyOf": [{"required": ["after"]}, {"required": ["manual"], "properties": {"manual": {"const": True}}}]}},
        {"required": ["after"], "not": {"anyOf": [{"required": ["at"]}, {"required": ["manual"], "properties": {"manual": {"const": True}}}]}},
        {"required": ["manual"], "properties": {"manual": {"const": True}}, "not": {"anyOf": [{"required": ["at"]}, {"required": ["after"]}]}},
    ]
    top = _obj(
        {
            "format": {"const": FORMAT, "description": f"The format and its version: always {FORMAT}.",
                       "errorMessage": f"This drilltui reads format: {FORMAT}."},
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                   "description": "The scenario's id: lower-case letters, digits and '-' (weights-exfil).",
                   "patternErrorMessage": "The scenario id is lower-case letters, digits and '-', starting with a letter or digit."},
            "title": _text("The scenario's title, one line.", required=True),
            "summary": _text("Situation, scope and assumptions, as free text.", nullable=True),
            "domain": {"anyOf": [{"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}, {"type": "null"}],
                       "description": "The field the scenario is written for, as a slug (ai-lab, healthcare, energy, "
                                      "chemical, ...); the home screen groups scenarios by it.",
                       "patternErrorMessage": "The domain is lower-case letters, digits and '-', starting with a letter or digit."},
            "threat": _text("The threat or hazard the exercise is about, one line (the report's cover).", nullable=True),
            "sponsor": _text("The organisation that sponsors the exercise (the report's cover).", nullable=True),
            "type": _choice(EXERCISE_TYPES, "tabletop", "The HSEEP exercise type."),
            "duration": _duration("The planned length of the drill.", nonzero=True),
            "objectives": {"anyOf": [{"type": "array", "items": objective}, {"type": "null"}],
                           "description": "The exercise objectives evaluators rate (P/S/M/U)."},
            "roles": {"type": "array", "minItems": 1, "items": role,
                      "description": "The roles that take part, at least one; reports_to links make the chain of command."},
            "sensitive": {
                "anyOf": [{"enum": list(SENSITIVE_FIELDS)}, {"type": "array", "items": {"enum": list(SENSITIVE_FIELDS)}}],
                "description": "Free-text fields that a redacted report or bundle replaces in every inject and event.",
            },
            "injects": {"type": "array", "minItems": 1, "items": inject,
                        "description": "The MSEL: the injects the drill releases, at least one."},
        },
        list(("format", "id", "title", "duration", "roles", "injects")),
        "A drilltui scenario: the exercise plan and its MSEL.",
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, "title": "drilltui scenario", **top}
