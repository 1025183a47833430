"""The JSON Schema (draft 2020-12) of the scenario format, for editors and tools."""

from __future__ import annotations

from typing import Any

from drilltui.scenario.model import EXERCISE_TYPES, FORMAT, METHODS, ROLE_KINDS, SENSITIVE_FIELDS, SEVERITIES, TRIGGERS

SCHEMA_ID = "https://drilltui.invalid/schema/scenario-1.json"

_DURATION = {
    "description": "90s, 5m, 1h30m, 2h, 01:30:00, 12:30 (MM:SS) or whole seconds",
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": r"^(T\+)?(\d+|\d+:[0-5]\d(:[0-5]\d)?|(?=\d)(\d+h)?(\d+m)?(\d+s)?)$"},
    ],
}
_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"}
_TEXT = {"type": "string"}
_OPT_TEXT = {"type": ["string", "null"]}
_IDS = {"anyOf": [_ID, {"type": "array", "items": _ID}]}


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
    objective = _obj(
        {"id": _ID, "text": {**_TEXT, "minLength": 1}, "capability": _OPT_TEXT},
        ["id", "text"],
        "An exercise objective, optionally tied to an HSEEP core capability.",
    )
    role = _obj(
        {
            "id": _ID,
            "title": {**_TEXT, "minLength": 1},
            "holder": _OPT_TEXT,
            "kind": {"enum": list(ROLE_KINDS), "default": "player"},
            "reports_to": {"anyOf": [_ID, {"type": "null"}]},
            "ack_within": _DURATION,
        },
        ["id", "title"],
        "A role in the drill; reports_to links form the chain of command.",
    )
    trigger = _obj(
        {
            "inject": _ID,
            "on": {
                "type": "string",
                "pattern": "^(" + "|".join(TRIGGERS) + r"|decision:[A-Za-z0-9][A-Za-z0-9_.-]*)$",
            },
            "delay": _DURATION,
        },
        ["inject", "on"],
        "Release after another inject reaches a state, plus a delay.",
    )
    decision = _obj(
        {
            "prompt": {**_TEXT, "minLength": 1},
            "options": {
                "type": "array",
                "minItems": 2,
                "items": _obj({"id": _ID, "label": {**_TEXT, "minLength": 1}}, ["id", "label"], "A decision option."),
            },
        },
        ["prompt", "options"],
        "A choice the receiving role must make.",
    )
    inject = _obj(
        {
            "id": _ID,
            "at": _DURATION,
            "after": trigger,
            "manual": {"type": "boolean"},
            "from": _OPT_TEXT,
            "to": {"anyOf": [_ID, {"type": "array", "items": _ID, "minItems": 1}]},
            "method": {"enum": list(METHODS), "default": "other"},
            "title": {**_TEXT, "minLength": 1},
            "message": _OPT_TEXT,
            "expected_action": _OPT_TEXT,
            "objectives": _IDS,
            "severity": {"enum": list(SEVERITIES), "default": "medium"},
            "ack_within": _DURATION,
            "decision": decision,
            "sensitive": {"type": "boolean", "description": "redact all of this inject's free text"},
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
            "format": {"const": FORMAT},
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
            "title": {**_TEXT, "minLength": 1},
            "summary": _OPT_TEXT,
            "type": {"enum": list(EXERCISE_TYPES), "default": "tabletop"},
            "duration": {**_DURATION, "not": {"const": 0}},
            "objectives": {"anyOf": [{"type": "array", "items": objective}, {"type": "null"}]},
            "roles": {"type": "array", "minItems": 1, "items": role},
            "injects": {"type": "array", "minItems": 1, "items": inject},
            "sensitive": {
                "anyOf": [{"enum": list(SENSITIVE_FIELDS)}, {"type": "array", "items": {"enum": list(SENSITIVE_FIELDS)}}],
                "description": "free text that --redact replaces in every inject and event",
            },
        },
        list(("format", "id", "title", "duration", "roles", "injects")),
        "A drilltui scenario: the exercise plan and its MSEL.",
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, "title": "drilltui scenario", **top}
