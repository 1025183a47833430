"""An OpenAEV (formerly OpenBAS) scenario or simulation export, the JSON or the zip it comes in, as a sheet.

Injects are timed by `inject_depends_duration` (seconds from the start),
teams become roles, `inject_depends_on` becomes `after` (released, with the
delay between the two), expectations are kept in the expected action, and a
disabled inject becomes a contingency inject.
"""

from __future__ import annotations

import html
import re
from typing import Any

from drilltui.scenario.msel.model import Sheet

HEADER = ["Event No.", "Time (T+)", "Trigger", "To", "Method", "Title", "Message", "Expected Player Action",
          "Contingency", "Notes"]
_CONDITIONS = {"execution": "released"}


def prefix_of(data: object) -> str | None:
    """`scenario_`, `exercise_` or `inject_` for an export, None for other JSON."""
    if not isinstance(data, dict) or "export_version" not in data:
        return None
    for prefix in ("scenario_", "exercise_"):
        if f"{prefix}information" in data or f"{prefix}injects" in data:
            return prefix
    return "inject_" if "inject_information" in data else None


def _s(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _plain(markup: str) -> str:
    """Text of an HTML fragment (OpenAEV keeps mail bodies as HTML)."""
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def _seconds(inject: dict[str, Any]) -> int:
    try:
        return max(0, int(_s(inject.get("inject_depends_duration")) or 0))
    except ValueError:
        return 0


def _method(inject: dict[str, Any]) -> str:
    contract = inject.get("inject_injector_contract")
    words = " ".join([_s(inject.get("inject_type")), str(contract or ""), " ".join(inject.get("inject_content") or {})]).lower()
    for needle, method in (("mail", "Email"), ("sms", "Chat"), ("subject", "Email"), ("manual", "In person"),
                           ("mastodon", "Other"), ("channel", "Other"), ("article", "Other")):
        if needle in words:
            return method
    return "Other"


def _parents(inject: dict[str, Any]) -> list[tuple[str, str]]:
    """(parent id, condition word) of each dependency, as the export writes them (old or new)."""
    out = []
    for dep in inject.get("inject_depends_on") or []:
        if isinstance(dep, dict):
            rel = dep.get("dependency_relationship") or {}
            parent = _s(rel.get("inject_parent_id"))
            cond = dep.get("dependency_condition") or dep.get("conditions") or {}
            keys = [_s(c.get("key")).lower() for c in (cond.get("conditions") or []) if isinstance(c, dict)]
            out.append((parent, ", ".join(k for k in keys if k) or "execution"))
        elif isinstance(dep, str):
            out.append((dep, "execution"))
    if not out and _s(inject.get("inject_depends_from_another")):
        out.append((_s(inject.get("inject_depends_from_another")), "execution"))
    return out


def openaev_sheet(data: dict[str, Any], path: str) -> Sheet:
    """The export's injects in time order, numbered I-001, I-002, ..., as rows under drilltui's own headers."""
    prefix = prefix_of(data) or "scenario_"
    info = data.get(f"{prefix}information") or {}
    teams = {_s(t.get("team_id")): " ".join(_s(t.get("team_name")).split()) for t in data.get(f"{prefix}teams") or []
             if isinstance(t, dict) and _s(t.get("team_name")).strip()}
    injects = [i for i in (data.get(f"{prefix}injects") or []) if isinstance(i, dict)]
    injects.sort(key=_seconds)
    ids = {_s(i.get("inject_id")): f"I-{n:03d}" for n, i in enumerate(injects, 1)}
    by_id = {_s(i.get("inject_id")): i for i in injects}
    rows = [HEADER]
    notes: list[str] = []
    for inject in injects:
        own = _seconds(inject)
        trigger, extra = "", []
        parents = [(p, c) for p, c in _parents(inject) if p in ids]
        if parents:
            parent, cond = parents[0]
            delay = max(0, own - _seconds(by_id[parent]))
            on = _CONDITIONS.get(cond, "released")
            trigger = f"after {ids[parent]} {on}" + (f" +{delay}s" if delay else "")
            if cond not in _CONDITIONS:
                extra.append(f"OpenAEV condition: {cond} (read as released)")
            for other, _ in parents[1:]:
                extra.append(f"OpenAEV also waits for {ids[other]}")
        h, rest = divmod(own, 3600)
        time = f"T+{h:02d}:{rest // 60:02d}:{rest % 60:02d}"
        names = list(teams.values()) if inject.get("inject_all_teams") else [
            teams[t] for t in (inject.get("inject_teams") or []) if isinstance(t, str) and t in teams]
        raw = inject.get("inject_content")
        content: dict[str, Any] = raw if isinstance(raw, dict) else {}
        message = [_plain(_s(inject.get("inject_description")))]
        if _s(content.get("subject")).strip():
            message.append(f"Subject: {_s(content.get('subject')).strip()}")
        for body in ("body", "message", "content"):
            if _s(content.get(body)).strip():
                message.append(_plain(_s(content.get(body))))
        expectations = [
            " ".join(x for x in (_s(e.get("expectation_name")).strip(),
                                 f"({_s(e.get('expectation_score'))} points)" if _s(e.get("expectation_score")) else "")
                     if x) + (f": {_plain(_s(e.get('expectation_description')))}" if _s(e.get("expectation_description")).strip() else "")
            for e in (content.get("expectations") or []) if isinstance(e, dict)
        ]
        disabled = inject.get("inject_enabled") is False
        if disabled:
            extra.append("disabled in OpenAEV")
        if trigger or disabled:
            time = ""  # a triggered or contingency inject has no time of its own here
        rows.append([ids[_s(inject.get("inject_id"))], time, trigger, "\n".join(names), _method(inject),
                     _s(inject.get("inject_title")), "\n\n".join(m for m in message if m),
                     ("Expectations: " + "; ".join(expectations)) if expectations else "",
                     "yes" if disabled else "", "\n".join(extra)])
    objectives = []
    for n, o in enumerate((o for o in data.get(f"{prefix}objectives") or [] if isinstance(o, dict)), 1):
        text = " ".join(_s(o.get("objective_title")).split())
        desc = _plain(_s(o.get("objective_description")))
        if text or desc:
            objectives.append((f"O{n}", f"{text}: {desc}" if text and desc else text or desc))
    name = info.get(f"{prefix}name") if isinstance(info, dict) else None
    summary = _plain(_s(info.get(f"{prefix}description"))) if isinstance(info, dict) else ""
    kind = {"scenario_": "OpenAEV scenario export", "exercise_": "OpenAEV simulation export"}.get(prefix, "OpenAEV export")
    return Sheet(path, rows, kind, notes, first_row=0, header_row=0, where=lambda r: f"{path}: inject {r}",
                 row_word="inject", split_lines_only=True, title=_s(name).strip() or None, summary=summary or None,
                 roles=list(teams.values()), objectives=objectives)
