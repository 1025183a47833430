"""MSEL spreadsheets as CSV: import them into scenario YAML, export scenarios back."""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drilltui.errors import UserError
from drilltui.scenario.durations import format_drill_time, format_duration
from drilltui.scenario.loader import ID, SLUG, loads
from drilltui.scenario.model import (
    EXERCISE_TYPES,
    FORMAT,
    METHODS,
    SEVERITIES,
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
from drilltui.scenario.yamldata import resolve_plain
from drilltui.scenario.source import Unreadable, read_source

MAX_BYTES = 1_048_576
HEADER_SEARCH_ROWS = 10
DELIMITERS = (",", ";", "\t")
CONTROL_ROLE = Role("exercise-control", "Exercise Control", kind="controller")
PLACEHOLDER_ROLE = Role("players", "Players")
NOTES_HEADING = "Controller notes: "
MARGIN = 15 * 60

# The columns export-msel writes, in order; import-msel reads every one back.
EXPORT_COLUMNS = (
    "Event No.", "Scenario Time (T+)", "Trigger", "From", "To", "Method", "Severity", "Title",
    "Inject / Message", "Expected Player Action", "Objectives", "Capability", "Decision",
    "Contingency", "Notes", "Ack Within",
)
METHOD_LABELS = {
    "email": "Email", "phone": "Phone", "radio": "Radio", "chat": "Chat",
    "in-person": "In person", "system": "System", "other": "Other",
}


class MselError(UserError):
    """An MSEL file that cannot be read at all: one line naming the file."""


# -- results ------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """A scenario made from an MSEL: its YAML text and what the planner should know."""

    yaml_text: str
    scenario_id: str
    warnings: tuple[str, ...]  # `FILE:ROW: warning: ...` and `FILE: note: ...` lines
    todo: tuple[str, ...]  # what to fill in or check before running the drill
    problems: tuple[Problem, ...] = ()  # loader errors when the YAML does not validate
    scenario: Scenario | None = None  # the loaded scenario when it validates
    injects: int = 0
    roles: int = 0
    objectives: int = 0
    skipped_rows: tuple[int, ...] = ()

    @property
    def valid(self) -> bool:
        return self.scenario is not None


# -- column names -------------------------------------------------------------

# Normalised header (lower-case letters and digits only, `#` read as "no",
# `+` as "plus") -> field. Checked first; CONTAINS below catches the rest.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "eventno", "eventnumber", "eventnum", "eventid", "eventnr", "injectno", "injectnumber",
        "injectnum", "injectid", "injectnr", "injectref", "mselno", "mselnumber", "mselnum", "mselid",
        "msel", "mselref", "no", "nr", "number", "num", "id", "ref", "refno", "reference", "serial",
        "serialno", "sn", "item", "itemno", "seq", "seqno", "sequence", "lineno",
    ),
    "time": (
        "time", "scenariotime", "designatedscenariotime", "scenariotimetplus", "tplus", "t", "offset",
        "timeoffset", "elapsed", "elapsedtime", "exercisetime", "drilltime", "injecttime",
        "releasetime", "deliverytime", "planneddeliverytime", "plannedtime", "scheduledtime",
        "scheduled", "schedule", "clock", "clocktime", "walltime", "wallclock", "wallclocktime",
        "timeofday", "starttime", "when", "hhmm", "dtg", "timetplus", "tplusmin", "tplusminutes",
    ),
    "trigger": (
        "trigger", "triggeredby", "after", "dependson", "dependency", "depends", "prerequisite",
        "precondition", "condition", "triggercondition", "releasecondition", "follows",
    ),
    "manual": (
        "contingency", "contingent", "contingencyinject", "manual", "manualrelease", "backup",
        "backupinject", "optional", "ondemand", "standby", "reserve", "holdback", "spare",
    ),
    "from": (
        "from", "sender", "sentby", "originator", "originatedby", "origin", "source", "fromoriginator",
        "fromsimcell", "simulatedsender", "injectsource", "messagefrom",
    ),
    "to": (
        "to", "recipient", "recipients", "torecipient", "torecipients", "intendedplayer",
        "intendedplayers", "intendedrecipient", "intendedrecipients", "player", "players",
        "playerrole", "playerroles", "role", "roles", "sendto", "addressee", "audience", "target",
        "targetplayer", "receivingplayer", "assignedto", "agency", "position", "forplayer",
        "toplayer", "messageto",
    ),
    "method": (
        "method", "deliverymethod", "delivery", "mode", "deliverymode", "medium", "channel", "means",
        "via", "mechanism", "howdelivered", "communicationmethod", "commsmethod", "injectmethod",
        "injectmode", "injectdelivery",
    ),
    "severity": (
        "severity", "priority", "impact", "urgency", "criticality", "level", "sev", "pri",
        "importance", "prio",
    ),
    "title": (
        "title", "subject", "event", "eventtitle", "injecttitle", "synopsis", "eventsynopsis",
        "injectsynopsis", "headline", "heading", "name", "eventname", "injectname",
        "shortdescription", "summary", "brief", "topic",
    ),
    "message": (
        "inject", "injecttext", "injectmessage", "injectcontent", "injectdescription", "injectdetails",
        "message", "messagetext", "messagecontent", "text", "description", "eventdescription",
        "details", "content", "body", "script", "narrative", "situation", "statement", "fulltext",
    ),
    "expected": (
        "expectedplayeraction", "expectedplayeractions", "expectedaction", "expectedactions",
        "expectedresponse", "expectedplayerresponse", "expectedoutcome", "expectedresult",
        "anticipatedresponse", "anticipatedaction", "playeraction", "playeractions",
        "playerresponse", "response", "action", "actions", "desiredoutcome", "desiredresponse",
    ),
    "objectives": (
        "objective", "objectives", "objectiveno", "objectiveid", "objectiveids", "exerciseobjective",
        "exerciseobjectives", "obj", "objs", "objno", "objectivesaddressed", "relatedobjectives",
        "linkedobjectives",
    ),
    "capability": (
        "capability", "capabilities", "corecapability", "corecapabilities", "capabilitytarget",
        "capabilitytargets",
    ),
    "decision": (
        "decision", "decisions", "decisionpoint", "decisionoptions", "options", "choice", "choices",
    ),
    "notes": (
        "notes", "note", "controllernotes", "evaluatornotes", "evaluatornote", "specialinstructions",
        "instructions", "remarks", "comments", "comment", "controllerinstructions", "learningpoints",
        "keypoints", "discussion", "discussionpoints",
    ),
    "ack_within": (
        "ackwithin", "acknowledgewithin", "ackby", "ackdeadline", "acktime", "acknowledgementdeadline",
        "acknowledgmentdeadline", "ackwindow", "timetoacknowledge",
    ),
    # Kept in the notes as "Header: value".
    "extra": (
        "responsiblecontroller", "controller", "deliveredby", "injecttype", "type", "eventtype",
        "category", "location", "venue", "mediatype",
    ),
}
_EXACT = {name: f for f, names in SYNONYMS.items() for name in names}
# Tracking columns filled in during play; never part of the plan.
_TRACKING = ("actual", "status", "completed", "timesent", "sentat", "done", "initials")
_CONTAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("expected", ("expected", "anticipated", "playeraction", "playerresponse", "desired")),
    ("trigger", ("trigger", "depend", "prerequisite")),
    ("manual", ("contingen", "backup", "manual")),
    ("time", ("time", "tplus", "offset", "elapsed", "clock", "hhmm")),
    ("objectives", ("objective",)),
    ("capability", ("capabilit",)),
    ("decision", ("decision",)),
    ("from", ("originat", "sender")),
    ("to", ("recipient", "intendedplayer", "addressee")),
    ("method", ("method", "delivery", "channel")),
    ("severity", ("severity", "priority", "urgency")),
    ("message", ("message", "text", "description", "detail", "content", "narrative")),
    ("title", ("title", "subject", "synopsis", "headline")),
    ("notes", ("note", "remark", "comment", "instruction", "learning", "discussion", "evaluator")),
    ("extra", ("controller", "type", "category", "location")),
)
_ID_COLUMN = re.compile(r"(event|inject|msel|item|serial|ref|seq)\w*(no|number|num|nr|id|ref)\Z")
_OFFSETISH = ("tplus", "offset", "elapsed", "relative", "minutes", "since")
_CLOCKISH = ("clock", "wall", "timeofday", "dtg", "datetime", "local")
_SINGLE = ("id", "time", "trigger", "manual", "from", "to", "method", "severity", "title", "message",
           "expected", "objectives", "capability", "decision", "ack_within")


def normalise_header(text: str) -> str:
    """A header as compared: lower-case letters and digits, `#` as "no", `+` as "plus"."""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("#", "no").replace("+", "plus")
    return re.sub(r"[^a-z0-9]", "", text)


def match_column(header: str) -> str | None:
    """The field an MSEL column holds (`time`, `to`, `message`, ...), or None when unknown."""
    n = normalise_header(header)
    if not n:
        return None
    if n in _EXACT:
        return _EXACT[n]
    if any(t in n for t in _TRACKING):
        return None
    if n.startswith("ack"):
        return "ack_within"
    for name, parts in _CONTAINS[:4]:
        if any(p in n for p in parts):
            return name
    if _ID_COLUMN.match(n):
        return "id"
    if n.startswith(("from", "sentby", "source")):
        return "from"
    for name, parts in _CONTAINS[4:]:
        if any(p in n for p in parts):
            return name
    return None


# -- reading the file ---------------------------------------------------------


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an MSEL file; MselError (one line naming it) when it cannot be read."""
    try:
        return read_source(path, "CSV file", MAX_BYTES)
    except Unreadable as exc:
        raise MselError(f"{path}: {exc}") from None


_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Text of a CSV: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 with a warning."""
    notes: list[str] = []
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise MselError(f"{path}: this is an Excel workbook, not CSV; in Excel use File > Save As > CSV UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise MselError(f"{path}: starts like UTF-16 text but is not; save it as CSV UTF-8") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            notes.append(
                f"{path}: warning: the file is not UTF-8; read it as Windows-1252, so check accented "
                "letters (or save it as CSV UTF-8)"
            )
    text = text.rstrip("\x1a")  # a DOS end-of-file mark
    if _BAD_CONTROL.search(text[:65536]):
        raise MselError(f"{path}: not a CSV file (it holds binary data); export the MSEL sheet as CSV")
    if not re.sub(r"[\s,;\"]", "", text):
        raise MselError(f"{path}: the file is empty; export the MSEL sheet as CSV with its header row")
    return text, notes


def _records(text: str, delimiter: str, path: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return [row for row in reader]
    except csv.Error as exc:
        raise MselError(f"{path}: row {reader.line_num}: cannot read it as CSV ({exc})") from None


def _cell(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").strip()
    # Export guards cells that would start a spreadsheet formula with a leading '.
    if value.startswith("'") and re.match(r"'+[=+\-@]", value):
        value = value[1:]
    return value


@dataclass(frozen=True)
class _Column:
    index: int
    field: str
    header: str


def _header_score(cells: Sequence[str]) -> tuple[int, bool]:
    found = {match_column(c) for c in cells if c.strip()}
    found.discard(None)
    return len(found), bool(found & {"time", "message", "title"})


def _find_header(text: str, path: str) -> tuple[str, list[list[str]], int]:
    """The delimiter, the records and the header's index, whichever delimiter explains the header best."""
    best: tuple[int, int, str, list[list[str]], int] | None = None
    for rank, delim in enumerate(DELIMITERS):
        if delim not in text and delim != ",":
            continue
        records = _records(text, delim, path)
        for i, row in enumerate(records[:HEADER_SEARCH_ROWS]):
            score, usable = _header_score(row)
            if usable and (best is None or (score, -rank) > (best[0], best[1])):
                best = (score, -rank, delim, records, i)
    if best is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        shown = first if len(first) <= 60 else first[:57] + "..."
        raise MselError(
            f"{path}: no header row found (first line: '{shown}'); the first row should name the "
            "columns, e.g. Event No., Time, From, To, Message"
        )
    return best[2], best[3], best[4]


# -- times --------------------------------------------------------------------

_T_PREFIX = re.compile(r"(?:t\s*\+|\+)\s*", re.I)
_UNIT_PART = re.compile(
    r"(\d+)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m|seconds|second|secs|sec|s)\s*", re.I
)
_HMS = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?\Z")
_AMPM = re.compile(r"(\d{1,2})(?::([0-5]\d))?(?::([0-5]\d))?\s*([ap])\.?\s*m\.?\Z", re.I)
_MILITARY = re.compile(r"([01]\d|2[0-3])([0-5]\d)(?:\s*(?:h|hrs?|hours|l|z))?\Z", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ]\s*(.+)\Z")
_DATED = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s+(.+)\Z")


def parse_offset(text: str) -> int | None:
    """Seconds in an MSEL offset: `T+15` (minutes), `15`, `+15m`, `1h30m`, `01:30` (HH:MM), `01:30:00`."""
    t = text.strip()
    m = _T_PREFIX.match(t)
    if m:
        t = t[m.end():]
    if t.isdigit():
        return int(t) * 60
    m = _HMS.match(t)
    if m:
        h, mi, s = m.groups()
        return int(h) * 3600 + int(mi) * 60 + int(s or 0)
    pos, total, seen = 0, 0, False
    while pos < len(t):
        m = _UNIT_PART.match(t, pos)
        if not m:
            return None
        unit = m.group(2).lower()
        total += int(m.group(1)) * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
        pos, seen = m.end(), True
    return total if seen else None


def _clock(text: str) -> int | None:
    """Seconds since midnight (plus whole days for ISO dates) of a clock time, or None."""
    t = text.strip()
    day = 0
    m = _ISO.match(t)
    if m:
        y, mo, d, t = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        try:
            day = datetime.date(y, mo, d).toordinal()
        except ValueError:
            return None
    else:
        m = _DATED.match(t)
        if m:
            t = m.group(1)
    m = _AMPM.match(t)
    if m:
        h, mi, s, half = m.groups()
        hour = int(h)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
        return day * 86400 + hour * 3600 + int(mi or 0) * 60 + int(s or 0)
    m = _HMS.match(t)
    if m and int(m.group(1)) < 24:
        h, mi, s = m.groups()
        return day * 86400 + int(h) * 3600 + int(mi) * 60 + int(s or 0)
    m = _MILITARY.match(t)
    if m:
        return day * 86400 + int(m.group(1)) * 3600 + int(m.group(2)) * 60
    return None


def _time_kind(text: str) -> str:
    t = text.strip()
    if _T_PREFIX.match(t):
        return "offset"
    if _AMPM.match(t) or _ISO.match(t) or _DATED.match(t):
        return "clock"
    if _HMS.match(t):
        return "hm"
    if t.isdigit():
        return "digits4" if _MILITARY.match(t) and len(t) == 4 else "number"
    if _MILITARY.match(t):
        return "clock"
    return "offset" if parse_offset(t) is not None else "bad"


@dataclass(frozen=True)
class _Times:
    seconds: dict[int, int]
    bad: dict[int, str]
    note: str | None


def _resolve_times(cells: list[tuple[int, str]], header: str, path: str) -> _Times:
    """Turn one time column into drill-time offsets, deciding whether it holds offsets or clock times."""
    norm = normalise_header(header)
    kinds = {row: _time_kind(v) for row, v in cells}
    values = dict(cells)
    if any(k in norm for k in _OFFSETISH):
        mode = "offset"
    elif any(k in norm for k in _CLOCKISH) or "clock" in kinds.values():
        mode = "clock"
    elif any(k in ("offset", "number") for k in kinds.values()):
        mode = "offset"
    elif "hm" in kinds.values():
        first = next(values[r] for r, k in kinds.items() if k == "hm")
        mode = "offset" if int(_HMS.match(first.strip()).group(1)) == 0 else "clock"  # type: ignore[union-attr]
    elif "digits4" in kinds.values():
        mode = "clock"
    else:
        mode = "offset"
    seconds: dict[int, int] = {}
    bad: dict[int, str] = {}
    clocks: dict[int, tuple[int, bool]] = {}
    for row, value in cells:
        kind = kinds[row]
        if kind == "offset" or (mode == "offset" and kind in ("hm", "number", "digits4")):
            got = parse_offset(value)
            if got is None:
                bad[row] = value
            else:
                seconds[row] = got
        elif mode == "clock" and kind in ("hm", "clock", "digits4"):
            got = _clock(value)
            if got is None:
                bad[row] = value
            else:
                clocks[row] = (got, bool(_ISO.match(value.strip())))
        else:
            bad[row] = value
    note = None
    if clocks:
        base_row = next(iter(clocks))
        base = clocks[base_row][0]
        rel: dict[int, int] = {}
        for row, (t, dated) in clocks.items():
            d = t - base
            if d <= -12 * 3600 and not dated:
                d += 86400  # past midnight
            rel[row] = d
        earliest = min(rel, key=lambda r: rel[r])
        if rel[earliest] < 0:
            shift = -rel[earliest]
            rel = {r: d + shift for r, d in rel.items()}
            base_row = earliest
        seconds.update(rel)
        note = (
            f"{path}: note: read column '{header}' as clock times; "
            f"{values[base_row].strip()} (row {base_row}) is the start of the drill, T+00:00:00"
        )
    return _Times(seconds, bad, note)


# -- cells into scenario values -----------------------------------------------

_METHOD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("phone", ("phone", "telephone", "tel", "call", "phone call", "voicemail", "voice mail", "cell",
               "mobile", "landline", "teleconference", "conference call", "hotline", "voice")),
    ("email", ("email", "e mail", "mail", "outlook", "emails")),
    ("radio", ("radio", "walkie", "walkie talkie", "two way", "2 way", "vhf", "uhf", "hf", "ham")),
    ("chat", ("chat", "slack", "teams", "im", "instant message", "sms", "text", "text message",
              "whatsapp", "signal", "messenger", "mattermost", "irc", "message")),
    ("in-person", ("in person", "inperson", "face to face", "f2f", "verbal", "verbally", "spoken",
                   "briefing", "meeting", "walk in", "runner", "in room", "oral", "facilitator")),
    ("system", ("system", "alert", "alarm", "pager", "page", "paging", "monitoring", "dashboard",
                "siem", "ticket", "automated", "automatic", "sensor", "notification", "push", "log",
                "scada", "console")),
    ("other", ("handout", "hand out", "paper", "document", "fax", "video", "tv", "television",
               "news", "media", "social media", "website", "web", "twitter", "press", "letter",
               "memo", "other", "map", "photo", "simcell", "sim cell", "courier", "printed")),
)
_METHOD_RE = [
    (method, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"))
    for method, words in _METHOD_WORDS
]


def map_method(text: str) -> str | None:
    """The scenario method for an MSEL delivery word (`E-mail` -> email, `face to face` -> in-person)."""
    n = re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFKD", text).lower()).strip()
    if not n:
        return None
    if n.replace(" ", "-") in METHODS:
        return n.replace(" ", "-")
    best: tuple[int, int, str] | None = None
    for method, rx in _METHOD_RE:
        m = rx.search(n)
        if m and (best is None or (m.start(), -len(m.group())) < (best[0], best[1])):
            best = (m.start(), -len(m.group()), method)
    return best[2] if best else None


_SEVERITY_WORDS = {
    "low": ("low", "minor", "routine", "info", "informational", "p4", "p5", "sev4", "sev5", "green", "lo"),
    "medium": ("medium", "moderate", "normal", "med", "mid", "p3", "sev3", "yellow", "amber", "standard"),
    "high": ("high", "major", "urgent", "important", "p2", "sev2", "orange", "hi", "serious"),
    "critical": ("critical", "severe", "emergency", "flash", "immediate", "p1", "sev1", "p0", "sev0",
                 "red", "highest", "crit", "extreme"),
}
_SEVERITY = {w: s for s, words in _SEVERITY_WORDS.items() for w in words}
_SEVERITY_NUMBERS = {"0": "critical", "1": "critical", "2": "high", "3": "medium", "4": "low", "5": "low"}


def map_severity(text: str) -> str | None:
    """The scenario severity for an MSEL severity or priority (`P1`, `Urgent`, `3`), or None."""
    n = re.sub(r"[^a-z0-9]", "", text.lower())
    return _SEVERITY.get(n) or _SEVERITY_NUMBERS.get(n)


_TRUE = {"yes", "y", "x", "true", "1", "✓", "✔", "✗", "☑", "contingency", "manual", "backup", "ja", "oui", "si"}
_FALSE = {"no", "n", "false", "0", "-", "", "none", "na", "n/a", "scheduled", "nein", "non"}


def _flag(text: str) -> bool | None:
    t = text.strip().lower().rstrip(".")
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None


def slugify(text: str, limit: int = 40) -> str:
    """A lower-case slug (`[a-z0-9][a-z0-9-]*`) of a name, or "" when it has no letters or digits."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    if len(t) > limit:
        t = t[:limit].rstrip("-")
    return t


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).lower())


def sanitise_id(text: str) -> str:
    """An inject id (`[A-Za-z0-9][A-Za-z0-9_.-]*`) from an event number, or "" when nothing is left."""
    t = text.strip().lstrip("#").strip()
    if ID.match(t):
        return t
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"\s+", "-", t)
    t = re.sub(r"[^A-Za-z0-9_.-]", "", t)
    return t.lstrip("_.-")


def split_names(cell: str) -> list[str]:
    """Recipients in a To cell, split on `;`, `,`, `/` and new lines (not inside brackets)."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in cell:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ";,/\n":
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    out: list[str] = []
    for p in (" ".join(p.split()) for p in parts):
        if p and p not in out:
            out.append(p)
    return out


_EXPLICIT = re.compile(r"(.*?)\s*\[\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*\]\Z", re.S)


def _guess_kind(name: str) -> str:
    k = _key(name)
    if any(w in k for w in ("simcell", "simulationcell", "simulator")):
        return "simcell"
    if "evaluator" in k:
        return "evaluator"
    if "observer" in k:
        return "observer"
    if any(w in k for w in ("controller", "exercisecontrol", "exercisedirector", "facilitator")):
        return "controller"
    return "player"


class _Roles:
    """The roles named in To cells, found again by id, slug or title."""

    def __init__(self) -> None:
        self.roles: dict[str, Role] = {CONTROL_ROLE.id: CONTROL_ROLE}

    def resolve(self, name: str) -> str:
        m = _EXPLICIT.match(name)
        if m:
            title, rid = m.group(1).strip(), m.group(2)
            if rid not in self.roles:
                self.roles[rid] = Role(rid, title or rid, _guess_kind(title or rid))
            return rid
        if name in self.roles:
            return name
        slug = slugify(name) or "role"
        if slug in self.roles:
            return slug
        low, key = name.lower(), _key(name)
        for role in self.roles.values():
            if role.id.lower() == low or (key and _key(role.title) == key):
                return role.id
        rid, n = slug, 2
        while rid in self.roles:
            rid, n = f"{slug}-{n}", n + 1
        self.roles[rid] = Role(rid, name, _guess_kind(name))
        return rid

    def placeholder(self) -> str:
        if PLACEHOLDER_ROLE.id not in self.roles:
            self.roles[PLACEHOLDER_ROLE.id] = PLACEHOLDER_ROLE
        return PLACEHOLDER_ROLE.id


def unescape_split(cell: str) -> list[str] | None:
    """Split a Decision cell on `|` (`\\|` is a literal bar, `\\\\` a backslash); None without bars."""
    parts: list[str] = []
    cur: list[str] = []
    found = False
    i = 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell) and cell[i + 1] in "|\\":
            cur.append(cell[i + 1])
            i += 2
            continue
        if c == "|":
            parts.append("".join(cur))
            cur = []
            found = True
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts if found else None


def escape_bars(text: str) -> str:
    """The inverse of unescape_split for one part: `|` -> `\\|`, and a `\\` before `|` or `\\` doubled."""
    out = []
    for i, c in enumerate(text):
        if c == "|":
            out.append("\\|")
        elif c == "\\" and i + 1 < len(text) and text[i + 1] in "|\\":
            out.append("\\\\")
        else:
            out.append(c)
    return "".join(out)


_OPTION = re.compile(r"([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?:\s+|\Z)(.*)\Z", re.S)


def parse_decision(cell: str) -> tuple[Decision | None, str | None]:
    """A decision from `prompt | id: label | id: label` (or one per line); else None and why."""
    parts = unescape_split(cell)
    if parts is None:  # no bars: the question on the first line, one option a line
        parts = cell.split("\n")
    parts = [p.strip() for p in parts]
    prompt, rest = parts[0], [p for p in parts[1:] if p]
    if not prompt:
        return None, "it has no question before the first |"
    options: list[Option] = []
    for i, part in enumerate(rest, 1):
        m = _OPTION.match(part)
        if m:
            oid, label = m.group(1), m.group(2).strip() or m.group(1)
        else:
            oid, label = slugify(part, 24) or f"option-{i}", part
        base, n = oid, 2
        while any(o.id == oid for o in options):
            oid, n = f"{base}-{n}", n + 1
        options.append(Option(oid, label))
    if len(options) < 2:
        return None, "a decision needs a question and at least two options"
    return Decision(prompt, tuple(options)), None


_ON_WORDS = {
    "released": "released", "release": "released", "sent": "released", "delivered": "released",
    "acknowledged": "acknowledged", "acknowledge": "acknowledged", "ack": "acknowledged",
    "acked": "acknowledged", "resolved": "resolved", "resolve": "resolved", "closed": "resolved",
    "escalated": "escalated", "escalate": "escalated", "expired": "expired", "expire": "expired",
    "timeout": "expired", "missed": "expired",
}
_TRIGGER = re.compile(
    r"(?:after\s+)?(?P<id>#?[A-Za-z0-9][A-Za-z0-9_.-]*)"
    r"(?:\s+(?:is\s+)?(?P<on>decision\s*:\s*[A-Za-z0-9][A-Za-z0-9_.-]*|[A-Za-z]+))?"
    r"(?:\s*(?:\+|plus\s)\s*(?P<delay>.+?))?\s*\Z",
    re.I,
)


def parse_trigger(cell: str) -> tuple[str, str, str | None, int] | None:
    """`after I-1 acknowledged +2m` -> (inject id, on, option, delay seconds); None when unreadable."""
    m = _TRIGGER.match(" ".join(cell.split()))
    if not m:
        return None
    target = sanitise_id(m.group("id"))
    on_text = (m.group("on") or "released").lower()
    option = None
    if on_text.startswith("decision") and ":" in on_text:
        option = m.group("on").split(":", 1)[1].strip()
        on = "decision"
    elif on_text in _ON_WORDS:
        on = _ON_WORDS[on_text]
    else:
        return None
    delay = 0
    if m.group("delay"):
        got = parse_offset(m.group("delay"))
        if got is None:
            return None
        delay = got
    return target, on, option, delay


def format_trigger(trigger: Trigger) -> str:
    """An `after` as the Trigger column writes it: `after I-001 acknowledged +2m`."""
    text = f"after {trigger.inject} {trigger.label}"
    return f"{text} +{format_duration(trigger.delay)}" if trigger.delay else text


def join_notes(expected: str | None, notes: str | None) -> str | None:
    """expected_action with controller notes appended under a `Controller notes:` heading."""
    if not notes:
        return expected or None
    if not expected:
        return NOTES_HEADING + notes
    return f"{expected}\n\n{NOTES_HEADING}{notes}"


def split_notes(expected_action: str | None) -> tuple[str, str]:
    """The inverse of join_notes: (expected player action, controller notes)."""
    text = expected_action or ""

    def clean(a: str, b: str) -> bool:
        return a == a.strip() and b == b.strip() and bool(b)

    if text.startswith(NOTES_HEADING) and clean("", text[len(NOTES_HEADING):]):
        return "", text[len(NOTES_HEADING):]
    i = text.find("\n\n" + NOTES_HEADING)
    if i > 0:
        head, tail = text[:i], text[i + 2 + len(NOTES_HEADING):]
        if head.strip() and clean(head, tail):
            return head, tail
    return text, ""


_OBJ_WORD = re.compile(r"obj(?:ective)?s?\s*[.#:]?\s*(?:no\.?\s*)?(\d+[A-Za-z]?)\Z", re.I)
_OBJ_WITH_TEXT = re.compile(r"([A-Za-z0-9][A-Za-z0-9_.-]*?)\s*(?::\s*|\s+[-\u2013\u2014]\s+)(\S.*)\Z", re.S)


def parse_objectives(cell: str) -> list[tuple[str | None, str | None]]:
    """Objective references in a cell: (id, text) pairs; id None for a sentence, text None for a bare id."""
    out: list[tuple[str | None, str | None]] = []
    for part in (p.strip() for p in re.split(r"[;\n]", cell)):
        if not part:
            continue
        tokens = [t.strip() for t in part.split(",") if t.strip()]
        ids = [_objective_id(t) for t in tokens]
        if tokens and all(ids):
            out.extend((i, None) for i in ids)
            continue
        m = _OBJ_WITH_TEXT.match(part)
        if m and (_objective_id(m.group(1)) or "").strip():
            out.append((_objective_id(m.group(1)), m.group(2).strip()))
            continue
        out.append((None, part))
    return out


def _objective_id(token: str) -> str | None:
    if ID.match(token):
        return token
    m = _OBJ_WORD.match(token)
    return f"O{m.group(1)}" if m else None


# -- import -------------------------------------------------------------------


@dataclass
class _Draft:
    """One MSEL row on its way to an inject."""

    row: int
    id: str | None = None
    at: int | None = None
    after: tuple[str, str, str | None, int] | None = None
    manual: bool = False
    sender: str | None = None
    to_text: str = ""
    to: tuple[str, ...] = ()
    method: str = "other"
    severity: str = "medium"
    title: str = ""
    message: str = ""
    expected: str | None = None
    objective_refs: list[tuple[str | None, str | None]] = field(default_factory=list)
    objectives: tuple[str, ...] = ()
    capabilities: list[str] = field(default_factory=list)
    decision: Decision | None = None
    ack_within: int | None = None
    time_text: str = ""

    def inject(self) -> Inject:
        after = Trigger(*self.after) if self.after else None
        return Inject(
            id=self.id or "", title=self.title, to=self.to, at=self.at, after=after, manual=self.manual,
            sender=self.sender, method=self.method, message=self.message, expected_action=self.expected,
            objectives=self.objectives, severity=self.severity, ack_within=self.ack_within,
            decision=self.decision,
        )


def derive_title(message: str, limit: int = 60) -> str:
    """A title from the first line of a message, cut at a word near `limit` characters."""
    line = next((" ".join(ln.split()) for ln in message.split("\n") if ln.strip()), "")
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def _preview(cells: Iterable[str]) -> str:
    text = " | ".join(" ".join(c.split()) for c in cells if c.strip())
    return text if len(text) <= 60 else text[:57] + "..."


def _listed(word: str, items: Sequence[object]) -> str:
    return f"{word}{'s' if len(items) > 1 else ''} {', '.join(map(str, items))}"


class _Import:
    """One MSEL file being read: its columns, its rows, and what to tell the planner."""

    def __init__(self, path: str, text: str, notes: list[str]) -> None:
        self.path = path
        self.notes: list[tuple[int, int, str]] = [(0, n, t) for n, t in enumerate(notes)]
        _, self.records, self.h = _find_header(text, path)
        self.header = self.records[self.h]
        self.rows = [(self.h + 2 + j, [_cell(c) for c in r]) for j, r in enumerate(self.records[self.h + 1:])]
        self.cols: dict[str, _Column] = {}
        self.note_cols: list[_Column] = []
        self.skipped: list[int] = []
        self.unscheduled: list[int] = []
        self.seconds: dict[int, int] = {}

    # -- telling the planner

    def warn(self, message: str) -> None:
        self.notes.append((0, len(self.notes), f"{self.path}: warning: {message}"))

    def row_warning(self, row: int, message: str) -> None:
        self.notes.append((row, len(self.notes), f"{self.path}:{row}: warning: {message}"))

    @property
    def warnings(self) -> list[str]:
        return [t for _, _, t in sorted(self.notes)]

    # -- columns

    def map_columns(self) -> None:
        found: dict[str, list[_Column]] = {}
        for i, name in enumerate(self.header):
            if not name.strip():
                continue
            f = match_column(name)
            shown = " ".join(name.replace("\ufeff", "").split())
            if f is None:
                why = ("it is filled in during play" if any(t in normalise_header(name) for t in _TRACKING)
                       else "drilltui does not know what it holds (see docs/msel.md)")
                self.row_warning(self.h + 1, f"ignoring column '{shown}': {why}")
                continue
            found.setdefault(f, []).append(_Column(i, f, shown))
        if "id" not in found:  # an "Event" or "Inject" column that holds only numbers
            for f in ("title", "message"):
                col = next((c for c in found.get(f, ()) if self._numbers_only(c)), None)
                if col is not None:
                    found[f].remove(col)
                    found["id"] = [_Column(col.index, "id", col.header)]
                    break
        titles = found.get("title", [])
        if not found.get("message") and titles:  # a synopsis is the inject text then
            wordy = ("synopsis", "description", "summary")
            pick = next((c for c in titles if any(w in normalise_header(c.header) for w in wordy)), titles[-1])
            titles.remove(pick)
            found["message"] = [_Column(pick.index, "message", pick.header)]
        found.get("time", []).sort(key=lambda c: (_time_rank(c.header), c.index))
        missing = [what for f, what in (("time", "time column (Time, Scenario Time or T+)"),
                                        ("message", "inject text column (Inject, Message or Description)"))
                   if not found.get(f)]
        if missing:
            names = ", ".join(f"'{' '.join(c.split())}'" for c in self.header if c.strip()) or "none"
            raise MselError(f"{self.path}: no {' and no '.join(missing)}; columns found: {names}")
        for f, cs in found.items():
            if f in ("notes", "extra"):
                self.note_cols.extend(cs)
            elif cs:
                self.cols[f] = cs[0]
                for other in cs[1:]:
                    self.row_warning(self.h + 1, f"ignoring column '{other.header}': column "
                                     f"'{cs[0].header}' already gives the {f.replace('_', ' ')}")
        self.note_cols.sort(key=lambda c: (c.field != "notes", c.index))
        if "to" not in self.cols:
            self.warn("no To column; every inject goes to the placeholder role 'players' "
                      "(rename it or add a To column)")

    def _numbers_only(self, col: _Column) -> bool:
        vals = [cells[col.index] for _, cells in self.rows if col.index < len(cells) and cells[col.index]]
        return bool(vals) and all(re.fullmatch(r"#?\d+(?:[.-]\d+)*[A-Za-z]?", v) for v in vals)

    def get(self, cells: list[str], f: str) -> str:
        col = self.cols.get(f)
        return cells[col.index] if col is not None and col.index < len(cells) else ""

    # -- rows

    def drafts(self) -> list[_Draft]:
        out = []
        width = len(self.header)
        for row, cells in self.rows:
            if not any(cells):
                continue  # blank rows are normal in a spreadsheet
            if any(cells[width:]):
                self.row_warning(row, f"the row has {len(cells)} cells but the header only {width}; "
                                 "the extra cells are ignored")
            d = self.draft(row, cells)
            if d is not None:
                out.append(d)
        if not out:
            raise MselError(f"{self.path}: no injects below the header (row {self.h + 1}); "
                            "every row is blank or has no inject text")
        return out

    def draft(self, row: int, cells: list[str]) -> _Draft | None:
        get = self.get
        message, title = get(cells, "message"), get(cells, "title")
        if not message and not title:
            self.row_warning(row, f"no inject text or title, so the row is skipped ({_preview(cells)})")
            self.skipped.append(row)
            return None
        d = _Draft(row=row, message=message, title=title or derive_title(message))
        raw_id = get(cells, "id")
        if raw_id:
            d.id = sanitise_id(raw_id) or None
            if d.id is None:
                self.row_warning(row, f"event number '{raw_id}' has no letters or digits; an id is made up for it")
            elif d.id != raw_id.lstrip("#").strip():
                self.row_warning(row, f"event number '{raw_id}' becomes the id '{d.id}'")
        d.sender = get(cells, "from") or None
        d.to_text = get(cells, "to")
        d.time_text = get(cells, "time")
        extra: list[str] = []
        if manual := get(cells, "manual"):
            flag = _flag(manual)
            d.manual = True if flag is None else flag
            if flag is None:  # a condition rather than a mark: keep it for the controller
                extra.append(f"Contingency: {manual}")
        if (trig := get(cells, "trigger")) and not d.manual:
            d.after = parse_trigger(trig)
            if d.after is None:
                self.row_warning(row, f"cannot read the trigger '{_preview([trig])}'; "
                                 "write it like 'after 12 acknowledged +5m'")
        if method := get(cells, "method"):
            got = map_method(method)
            if got is None:
                self.row_warning(row, f"method '{_preview([method])}' is not one of {', '.join(METHODS)}; other is used")
            d.method = got or "other"
        if sev := get(cells, "severity"):
            got = map_severity(sev)
            if got is None:
                self.row_warning(row, f"severity '{_preview([sev])}' is not one of {', '.join(SEVERITIES)}; "
                                 "medium is used")
            d.severity = got or "medium"
        if obj := get(cells, "objectives"):
            d.objective_refs = parse_objectives(obj)
        if cap := get(cells, "capability"):
            d.capabilities = [c.strip() for c in re.split(r"[;\n]", cap)]
        if dec := get(cells, "decision"):
            d.decision, why = parse_decision(dec)
            if d.decision is None:
                self.row_warning(row, f"the decision is left out: {why}; write it as 'question | id: label | id: label'")
        if ack := get(cells, "ack_within"):
            d.ack_within = parse_offset(ack)
            if d.ack_within is None:
                self.row_warning(row, f"cannot read the acknowledgement deadline '{_preview([ack])}'; left out")
        notes = []
        bare = sum(c.field == "notes" for c in self.note_cols) == 1
        for col in self.note_cols:
            v = cells[col.index] if col.index < len(cells) else ""
            if v:
                notes.append(v if bare and col.field == "notes" else f"{col.header}: {v}")
        d.expected = join_notes(get(cells, "expected") or None, "\n".join(notes + extra) or None)
        return d

    # -- timing

    def settle_times(self, drafts: list[_Draft]) -> None:
        col = self.cols["time"]
        timed = _resolve_times([(d.row, d.time_text) for d in drafts if d.time_text], col.header, self.path)
        if timed.note:
            self.notes.append((0, len(self.notes), timed.note))
        self.seconds = timed.seconds
        for d in drafts:
            if d.manual:
                if d.time_text:
                    self.row_warning(d.row, f"contingency inject: its time '{d.time_text}' is dropped, "
                                     "a controller releases it")
            elif d.after is not None:
                if d.time_text:
                    self.row_warning(d.row, f"has both a time ('{d.time_text}') and a trigger; the trigger is used")
            elif d.row in timed.seconds:
                d.at = timed.seconds[d.row]
            else:
                if d.row in timed.bad:
                    self.row_warning(d.row, f"cannot read the time '{timed.bad[d.row]}'; imported as a "
                                     "contingency inject (manual: true), give it an at")
                else:
                    self.row_warning(d.row, "no time; imported as a contingency inject (manual: true), "
                                     "give it an at if it is scheduled")
                d.manual = True
                self.unscheduled.append(d.row)

    def assign_ids(self, drafts: list[_Draft]) -> None:
        used: dict[str, int] = {}
        for d in drafts:
            if d.id is None:
                continue
            if d.id in used:
                base, n = d.id, 2
                while f"{base}-{n}" in used:
                    n += 1
                self.row_warning(d.row, f"event number {base} is used twice (first on row {used[base]}); "
                                 f"this one becomes {base}-{n}")
                d.id = f"{base}-{n}"
            used[d.id] = d.row
        counter = 0
        for d in drafts:
            while d.id is None:
                counter += 1
                if f"M-{counter:03d}" not in used:
                    d.id = f"M-{counter:03d}"
                    used[d.id] = d.row

    def check_triggers(self, drafts: list[_Draft]) -> None:
        by_id = {d.id: d for d in drafts}

        def demote(d: _Draft, why: str) -> None:
            d.after = None
            if d.row in self.seconds:
                d.at = self.seconds[d.row]
                self.row_warning(d.row, f"{why}; its time is used instead")
            else:
                d.manual = True
                self.row_warning(d.row, f"{why}; imported as a contingency inject (manual: true)")
                self.unscheduled.append(d.row)

        for d in drafts:
            if d.after is None:
                continue
            target, on, option, _ = d.after
            other = by_id.get(target)
            if other is None:
                demote(d, f"the trigger names event {target}, which is not in the MSEL")
            elif other is d:
                demote(d, "the trigger names the row's own event")
            elif on == "decision" and (other.decision is None or other.decision.option(option or "") is None):
                demote(d, f"the trigger waits for decision option '{option}' of {target}, which has no such option")
        for d in drafts:
            seen: list[str] = [d.id or ""]
            nxt = d.after[0] if d.after else None
            while nxt in by_id and nxt not in seen:
                seen.append(nxt)
                after = by_id[nxt].after
                nxt = after[0] if after else None
            if d.after is not None and nxt == d.id:
                demote(d, f"the triggers go round in a loop ({' -> '.join([*seen, d.id or ''])})")

    # -- roles and objectives

    def roles(self, drafts: list[_Draft]) -> tuple[Role, ...]:
        registry = _Roles()
        for d in drafts:
            names = split_names(d.to_text)
            if names:
                d.to = tuple(dict.fromkeys(registry.resolve(n) for n in names))
            else:
                if "to" in self.cols:
                    self.row_warning(d.row, "no recipient (To); sent to the placeholder role 'players'")
                d.to = (registry.placeholder(),)
        return tuple(registry.roles.values())

    def objectives(self, drafts: list[_Draft]) -> tuple[tuple[Objective, ...], list[str]]:
        """Objectives as written (O1, Obj 2); sentences and lone capabilities get O1, O2, ..."""
        made: dict[str, Objective] = {}
        explicit = {oid for d in drafts for oid, _ in d.objective_refs if oid}
        by_text: dict[str, str] = {}
        untitled: list[str] = []
        gen = 0

        def new_id(key: str) -> str:
            nonlocal gen
            if key in by_text:
                return by_text[key]
            while f"O{gen}" in explicit or f"O{gen}" in made or gen == 0:
                gen += 1
            by_text[key] = f"O{gen}"
            return by_text[key]

        for d in drafts:
            ids: list[str] = []
            for oid, text in d.objective_refs:
                oid = oid or new_id(_key(text or ""))
                if oid not in made:
                    made[oid] = Objective(oid, text or f"Objective {oid} from the MSEL (write its text)")
                    if not text:
                        untitled.append(oid)
                elif text and oid in untitled:
                    made[oid] = Objective(oid, text, made[oid].capability)
                    untitled.remove(oid)
                if oid not in ids:
                    ids.append(oid)
            caps = [c for c in d.capabilities if c]
            if caps and not ids:  # a capability with no objective becomes one
                for cap in caps:
                    oid = new_id("capability:" + _key(cap))
                    made.setdefault(oid, Objective(oid, cap, cap))
                    if oid not in ids:
                        ids.append(oid)
            elif caps:
                # One capability per objective, in order; or one for all of them.
                if len(d.capabilities) == len(ids):
                    pairs = list(zip(ids, d.capabilities))
                else:
                    pairs = [(i, "; ".join(caps)) for i in ids]
                for oid, cap in pairs:
                    if cap and made[oid].capability is None:
                        made[oid] = Objective(oid, made[oid].text, cap)
            d.objectives = tuple(ids)
        return tuple(sorted(made.values(), key=lambda o: _natural(o.id))), sorted(untitled, key=_natural)

    def pre_header_title(self) -> str | None:
        """A lone cell above the header, as Excel templates put the exercise name there."""
        for cells in self.records[: self.h]:
            if cells and cells[0].strip() and not any(c.strip() for c in cells[1:]):
                return " ".join(cells[0].split())
        return None


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key that puts O2 before O10."""
    return [(0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.findall(r"\d+|\D+", text)]


def _time_rank(header: str) -> int:
    n = normalise_header(header)
    if any(k in n for k in _OFFSETISH):
        return 0
    if any(k in n for k in _CLOCKISH):
        return 3
    return 1 if any(k in n for k in ("scenario", "exercise", "drill", "designated")) else 2


def import_msel(
    data: bytes,
    path: str,
    *,
    title: str | None = None,
    duration: str | int | None = None,
    scenario_id: str | None = None,
    exercise_type: str = "tabletop",
    output_name: str = "<imported>",
) -> ImportResult:
    """Read an MSEL CSV (bytes) into scenario YAML; MselError when the file cannot be used at all.

    `path` names the file in messages; `output_name` names the YAML in validation problems.
    """
    if exercise_type not in EXERCISE_TYPES:
        raise MselError(f"type '{exercise_type}' is not one of {', '.join(EXERCISE_TYPES)}")
    if scenario_id is not None and not SLUG.match(scenario_id):
        raise MselError(f"id '{scenario_id}' is not valid; use lower-case letters, digits and '-'")
    planned: int | None = None
    if duration is not None:
        planned = duration if isinstance(duration, int) else parse_offset(str(duration))
        if planned is None or planned <= 0:
            raise MselError(f"duration '{duration}' is not a duration; write it as 2h, 90m, 1h30m, 01:30 or 01:30:00")
    text, notes = decode(data, path)
    job = _Import(path, text, notes)
    job.map_columns()
    drafts = job.drafts()
    job.settle_times(drafts)
    job.assign_ids(drafts)
    job.check_triggers(drafts)
    roles = job.roles(drafts)
    objectives, untitled = job.objectives(drafts)
    injects = tuple(d.inject() for d in drafts)

    stem = Path(path).stem if path not in ("-", "<stdin>") else ""
    the_title = title or job.pre_header_title() or " ".join(re.split(r"[_\s-]+", stem)).strip().capitalize() or "Imported MSEL"
    sid = scenario_id or slugify(the_title) or "imported-msel"
    estimated = planned is None
    planned = planned or _estimate_duration(injects)
    scenario = Scenario(id=sid, title=the_title, duration=planned, roles=roles, injects=injects,
                        objectives=objectives, type=exercise_type)

    todo = ["roles: set reports_to for the chain of command and ack_within for acknowledgement "
            "deadlines (an MSEL has neither); add holders, evaluators and observers"]
    if any(r.id == PLACEHOLDER_ROLE.id for r in roles):
        todo.append("role 'players' stands in for rows with no recipient: rename it or fill in To")
    if untitled:
        todo.append(f"{_listed('objective', untitled)}: write the text")
    if job.unscheduled:
        rows = sorted(set(job.unscheduled))
        todo.append(f"{_listed('row', rows)}: no usable time or trigger, so imported as "
                    f"{'contingency injects' if len(rows) > 1 else 'a contingency inject'} (manual: true); "
                    "give an at or after where it is scheduled")
    if estimated:
        todo.append(f"duration {format_duration(planned)} is estimated from the last inject; set the planned length")
    if job.skipped:
        todo.append(f"{_listed('row', job.skipped)}: skipped, no inject text")
    source = Path(path).name if stem else "standard input"
    header = [f"Imported from {source} by `drilltui import-msel`.", "Check before running the drill:"]
    for item in todo:
        header += textwrap.wrap(item, 96, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
    comments = {d.id or "": f"MSEL row {d.row}" for d in drafts}
    yaml_text = dump_scenario(scenario, header=header, inject_comments=comments)
    warnings = job.warnings
    counts = dict(injects=len(injects), roles=len(roles), objectives=len(objectives), skipped_rows=tuple(job.skipped))
    try:
        loaded = loads(yaml_text, output_name)
    except ScenarioError as exc:
        return ImportResult(yaml_text, sid, tuple(warnings), tuple(todo), exc.problems, None, **counts)
    warnings += [str(p) for p in loaded.warnings]
    return ImportResult(yaml_text, sid, tuple(warnings), tuple(todo), (), loaded, **counts)


def import_file(path: str | Path, **options: object) -> ImportResult:
    """import_msel on a file; MselError naming it when it cannot be read."""
    return import_msel(read_bytes(path), str(path), **options)  # type: ignore[arg-type]


def _estimate_duration(injects: Sequence[Inject]) -> int:
    """The last inject's time (triggers followed with their delays) plus a margin, in whole quarter hours."""
    by_id = {i.id: i for i in injects}
    memo: dict[str, int] = {}

    def when(inject: Inject, depth: int = 0) -> int:
        if inject.id not in memo:
            t = inject.at or 0
            if inject.after and inject.after.inject in by_id and depth < len(injects):
                t = when(by_id[inject.after.inject], depth + 1) + inject.after.delay
            memo[inject.id] = t
        return memo[inject.id]

    last = max((when(i) for i in injects), default=0)
    return max(MARGIN * 2, math.ceil((last + MARGIN) / MARGIN) * MARGIN)


# -- YAML out -----------------------------------------------------------------

_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_FLOW_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}


def _printable(c: str) -> bool:
    o = ord(c)
    if c in "\u2028\u2029\ufeff\x85":
        return False
    return 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or 0x10000 <= o <= 0x10FFFF


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS or not all(_printable(c) for c in text):
        return False
    if flow and not _FLOW_PLAIN.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return text.lower() not in _YAML11_WORDS and resolve_plain(text) == text


def quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    out = ['"']
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif _printable(c):
            out.append(c)
        elif ord(c) <= 0xFF:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    out.append('"')
    return "".join(out)


def scalar(text: str, *, flow: bool = False) -> str:
    """A one-line YAML scalar for `text`: plain when that is safe, else double-quoted."""
    return text if _plain_ok(text, flow) else quote(text)


def _block_ok(text: str) -> bool:
    if "\n" not in text or not text.strip("\n") or text.endswith("\n\n"):
        return False  # `|+` would take in the blank line that follows it
    if any(not _printable(c) and c != "\n" for c in text):
        return False
    lines = text.split("\n")
    if any(ln and not ln.strip() for ln in lines):
        return False  # whitespace-only lines would be read as indentation
    first = next(ln for ln in lines if ln)
    return not first.startswith(" ")


def _text_lines(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    if not _block_ok(text):
        return [f"{pad}{key}: {scalar(text)}"]
    body = text.rstrip("\n")
    chomp = "-" if body == text else ""  # block text ends with at most one line break (_block_ok)
    return [f"{pad}{key}: |{chomp}", *(f"{pad}  {ln}" if ln else "" for ln in body.split("\n"))]


def _ids(values: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def _comment(text: str) -> str:
    return "".join(c if _printable(c) else " " for c in " ".join(text.splitlines()))


def dump_scenario(
    scenario: Scenario,
    *,
    header: Sequence[str] = (),
    inject_comments: Mapping[str, str] | None = None,
) -> str:
    """Scenario YAML written for people: readable key order, block scalars, a few comments."""
    comments = inject_comments or {}
    out = [f"# {_comment(line)}".rstrip() for line in header]
    out += [
        f"format: {FORMAT}",
        f"id: {scalar(scenario.id)}",
        f"title: {scalar(scenario.title)}",
    ]
    if scenario.summary is not None:
        out += _text_lines("summary", scenario.summary, 0)
    out += [f"type: {scenario.type}", f"duration: {format_duration(scenario.duration)}"]
    if scenario.objectives:
        out += ["", "objectives:"]
        for o in scenario.objectives:
            out.append(f"  - id: {scalar(o.id)}")
            out += _text_lines("text", o.text, 4)
            if o.capability is not None:
                out += _text_lines("capability", o.capability, 4)
    out += ["", "roles:"]
    for r in scenario.roles:
        out.append(f"  - id: {scalar(r.id)}")
        out += _text_lines("title", r.title, 4)
        if r.kind != "player":
            out.append(f"    kind: {r.kind}")
        if r.holder is not None:
            out += _text_lines("holder", r.holder, 4)
        if r.reports_to is not None:
            out.append(f"    reports_to: {scalar(r.reports_to)}")
        if r.ack_within is not None:
            out.append(f"    ack_within: {format_duration(r.ack_within)}")
    out += ["", "injects:"]
    for n, i in enumerate(scenario.injects):
        if n:
            out.append("")
        note = comments.get(i.id)
        out.append(f"  - id: {scalar(i.id)}" + (f"  # {_comment(note)}" if note else ""))
        if i.manual:
            out.append("    manual: true")
        elif i.after is not None:
            a = i.after
            parts = [f"inject: {scalar(a.inject, flow=True)}", f"on: {scalar(a.label, flow=True)}"]
            if a.delay:
                parts.append(f"delay: {format_duration(a.delay)}")
            out.append("    after: {" + ", ".join(parts) + "}")
        else:
            out.append(f"    at: {format_duration(i.at or 0)}")
        if i.sender is not None:
            out += _text_lines("from", i.sender, 4)
        out.append(f"    to: {_ids(i.to)}")
        out.append(f"    method: {i.method}")
        out.append(f"    severity: {i.severity}")
        out += _text_lines("title", i.title, 4)
        if i.message:
            out += _text_lines("message", i.message, 4)
        if i.expected_action is not None:
            out += _text_lines("expected_action", i.expected_action, 4)
        if i.objectives:
            out.append(f"    objectives: {_ids(i.objectives)}")
        if i.ack_within is not None:
            out.append(f"    ack_within: {format_duration(i.ack_within)}")
        if i.decision is not None:
            out.append("    decision:")
            out += _text_lines("prompt", i.decision.prompt, 6)
            out.append("      options:")
            for o in i.decision.options:
                out.append(f"        - id: {scalar(o.id)}")
                out += _text_lines("label", o.label, 10)
    return "\n".join(out) + "\n"


# -- export -------------------------------------------------------------------


def _cell_title(title: str) -> str:
    """A role title as a To cell can hold it: no separators, brackets or unbalanced parentheses."""
    t = " ".join(title.replace("[", "(").replace("]", ")").split())
    depth, ok = 0, True
    for c in t:
        depth += c == "("
        depth -= c == ")"
        ok = ok and depth >= 0
    if not ok or depth:
        t = t.replace("(", " ").replace(")", " ")
    out, depth = [], 0
    for c in t:
        depth += c == "("
        depth -= c == ")"
        out.append(" " if depth == 0 and c in ";,/" else c)
    return " ".join("".join(out).split())


def recipient(role: Role, roles: Sequence[Role]) -> str:
    """How a To cell names a role: its title, with `[id]` unless the title alone finds it again."""
    title = _cell_title(role.title)
    others = [r for r in (*roles, CONTROL_ROLE) if r.id != role.id]
    bare = (
        title == role.title and title and slugify(title) == role.id
        and not _EXPLICIT.match(title)
        and not any(r.id == title or r.id.lower() == title.lower() or _key(r.title) == _key(title) for r in others)
    )
    if bare:
        return title
    return f"{title} [{role.id}]" if title else f"[{role.id}]"


def _guard(value: str) -> str:
    # A leading =, +, - or @ would start a formula in a spreadsheet; import removes the '.
    return "'" + value if re.match(r"'*[=+\-@]", value) else value


def export_rows(scenario: Scenario) -> list[list[str]]:
    """The MSEL rows of a scenario, header first (EXPORT_COLUMNS)."""
    rows = [list(EXPORT_COLUMNS)]
    for i in scenario.injects:
        expected, notes = split_notes(i.expected_action)
        caps = [(o.capability or "") if (o := scenario.objective(oid)) else "" for oid in i.objectives]
        if len(set(caps)) == 1:
            caps = caps[:1]  # one capability for all of the row's objectives
        decision = ""
        if i.decision is not None:
            decision = " | ".join(
                [escape_bars(i.decision.prompt), *(f"{o.id}: {escape_bars(o.label)}" for o in i.decision.options)]
            )
        to = "; ".join(recipient(scenario.role(r) or Role(r, r), scenario.roles) for r in i.to)
        rows.append([_guard(v) for v in (
            i.id,
            format_drill_time(i.at) if i.at is not None and not i.manual and i.after is None else "",
            format_trigger(i.after) if i.after is not None and not i.manual else "",
            i.sender or "",
            to,
            METHOD_LABELS.get(i.method, i.method),
            i.severity.capitalize(),
            i.title,
            i.message,
            expected,
            "; ".join(i.objectives),
            "; ".join(caps) if any(caps) else "",
            decision,
            "Yes" if i.manual else "",
            notes,
            format_duration(i.ack_within) if i.ack_within is not None else "",
        )])
    return rows


def export_msel(scenario: Scenario, *, delimiter: str = ",") -> str:
    """A scenario's MSEL as CSV text (CRLF rows, multi-line cells quoted), HSEEP-style headers."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(export_rows(scenario))
    return buf.getvalue()
