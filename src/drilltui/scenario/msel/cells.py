"""MSEL cells into scenario values: methods, severities, flags, ids, decisions, triggers, objectives, notes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from drilltui.scenario.durations import format_duration
from drilltui.scenario.loader import ID
from drilltui.scenario.model import METHODS, Decision, Option, Trigger
from drilltui.scenario.msel.times import parse_offset

NOTES_HEADING = "Controller notes: "
_NOT_WORD = re.compile(r"[^a-z0-9]")
_NOT_WORD_RUN = re.compile(r"[^a-z0-9]+")
LIST_SEPARATOR = re.compile(r"[;\n]")  # between objectives, capabilities

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
    n = _NOT_WORD_RUN.sub(" ", unicodedata.normalize("NFKD", text).lower()).strip()
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
    n = _NOT_WORD.sub("", text.lower())
    return _SEVERITY.get(n) or _SEVERITY_NUMBERS.get(n)


_TRUE = {"yes", "y", "x", "true", "1", "✓", "✔", "✗", "☑", "contingency", "manual", "backup", "ja", "oui", "si"}
_FALSE = {"no", "n", "false", "0", "-", "", "none", "na", "n/a", "scheduled", "nein", "non"}


def flag(text: str) -> bool | None:
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
    t = _NOT_WORD_RUN.sub("-", t).strip("-")
    if len(t) > limit:
        t = t[:limit].rstrip("-")
    return t


def key(text: str) -> str:
    """A name as compared: lower-case letters and digits only."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKD", text).lower())


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


def split_names(cell: str, *, slashes: bool = False, lines_only: bool = False) -> list[str]:
    """Recipients in a To cell, split on `;`, `,` and new lines (not inside brackets).

    A slash or ampersand is part of a name (`PR/Comm`, `Legal & Policy`) unless
    `slashes` says the sheet uses them between names; with `lines_only` only line
    breaks separate names (foreign formats that list recipients).
    """
    seps = "\n" if lines_only else ";,\n" + ("/&" if slashes else "")
    if not any(c in cell for c in seps):  # the usual cell: one name
        name = " ".join(cell.split())
        return [name] if name else []
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in cell:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if (depth == 0 or lines_only) and ch in seps:
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
    for part in (p.strip() for p in LIST_SEPARATOR.split(cell)):
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


def preview(cells: Iterable[str]) -> str:
    """Cells shown in a warning: joined, on one line, cut at 60 characters."""
    text = " | ".join(" ".join(c.split()) for c in cells if c.strip())
    return text if len(text) <= 60 else text[:57] + "..."


def listed(word: str, items: Sequence[object]) -> str:
    return f"{word}{'s' if len(items) > 1 else ''} {', '.join(map(str, items))}"


def natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key that puts O2 before O10."""
    return [(0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.findall(r"\d+|\D+", text)]
