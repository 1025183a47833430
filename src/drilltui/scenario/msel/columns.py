"""MSEL column headers: which field of an inject each common header names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Normalised header (lower-case letters and digits only, `#` read as "no",
# `+` as "plus") -> field. Checked first; CONTAINS below catches the rest.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "n", "numero", "ndeg", "nr", "lfdnr", "eventno", "eventnumber", "eventnum", "eventid", "eventnr", "injectno", "injectnumber",
        "injectnum", "injectid", "injectnr", "injectref", "mselno", "mselnumber", "mselnum", "mselid",
        "msel", "mselref", "no", "nr", "number", "num", "id", "ref", "refno", "reference", "serial",
        "serialno", "sn", "item", "itemno", "seq", "seqno", "sequence", "lineno",
    ),
    "time": (
        "heure", "horaire", "heureexercice", "heurescenario", "zeit", "uhrzeit", "time", "scenariotime", "designatedscenariotime", "scenariotimetplus", "tplus", "t", "offset",  # noqa: E501 - one row of synonyms
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
        "emetteur", "expediteur", "de", "absender", "von", "from", "sender", "sentby", "originator", "originatedby", "origin", "source", "fromoriginator",  # noqa: E501 - one row of synonyms
        "fromsimcell", "simulatedsender", "injectsource", "messagefrom",
    ),
    "to": (
        "destinataire", "destinataires", "pour", "empfanger", "an", "to", "recipient", "recipients", "torecipient", "torecipients", "intendedplayer",
        "intendedplayers", "intendedrecipient", "intendedrecipients", "player", "players",
        "playerrole", "playerroles", "role", "roles", "sendto", "addressee", "audience", "target",
        "targetplayer", "receivingplayer", "assignedto", "agency", "position", "forplayer",
        "toplayer", "messageto",
    ),
    "method": (
        "moyen", "canal", "vecteur", "medium", "method", "deliverymethod", "delivery", "mode", "deliverymode", "medium", "channel", "means",
        "via", "mechanism", "howdelivered", "communicationmethod", "commsmethod", "injectmethod",
        "injectmode", "injectdelivery",
    ),
    "severity": (
        "severity", "priority", "impact", "urgency", "criticality", "level", "sev", "pri",
        "importance", "prio",
    ),
    "title": (
        "titre", "objet", "sujet", "titel", "betreff", "title", "subject", "event", "eventtitle", "injecttitle", "synopsis", "eventsynopsis",
        "injectsynopsis", "headline", "heading", "name", "eventname", "injectname",
        "shortdescription", "summary", "brief", "topic",
    ),
    "message": (
        "texte", "contenu", "nachricht", "inject", "injecttext", "injectmessage", "injectcontent", "injectdescription", "injectdetails",
        "message", "messagetext", "messagecontent", "text", "description", "eventdescription",
        "details", "content", "body", "script", "narrative", "situation", "statement", "fulltext",
    ),
    "expected": (
        "actionattendue", "actionsattendues", "reponseattendue", "reactionattendue", "expectedplayeraction", "expectedplayeractions", "expectedaction", "expectedactions",  # noqa: E501 - one row of synonyms
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
        "poll", "polls", "vote",
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
        "category", "location", "venue", "mediatype", "date", "scenariodate", "day", "photo", "picture",
        "picturename", "image", "attachment", "attachments", "profile", "link", "url",
    ),
}
_EXACT = {name: f for f, names in SYNONYMS.items() for name in names}
# Tracking columns filled in during play; never part of the plan.
TRACKING = ("actual", "status", "completed", "timesent", "sentat", "done", "initials")
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
OFFSETISH = ("tplus", "offset", "elapsed", "relative", "minutes", "since")
CLOCKISH = ("clock", "wall", "timeofday", "dtg", "datetime", "local")
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
    if any(t in n for t in TRACKING):
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



def time_rank(header: str) -> int:
    """Which time column wins when there are several: offsets, then scenario times, then clocks."""
    n = normalise_header(header)
    if any(k in n for k in OFFSETISH):
        return 0
    if any(k in n for k in CLOCKISH):
        return 3
    return 1 if any(k in n for k in ("scenario", "exercise", "drill", "designated")) else 2



def header_score(cells: Sequence[str]) -> tuple[int, bool]:
    """How many fields a row names as headers, and whether it names one an import needs."""
    found = {match_column(c) for c in cells if c.strip()}
    found.discard(None)
    return len(found), bool(found & {"time", "message", "title"})
