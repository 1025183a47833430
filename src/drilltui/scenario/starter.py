"""A scenario to start from, written for a planner who has never seen the format: every section explained in comments.

It is wired to the roles given: a timed inject reaches every player (the
deepest of the chain of command holds it, so what escalates climbs the whole
chain), a decision goes to the top of that chain, and each of its options has
a branch; an objective with a critical task, and an expectation that evidences
it. What it writes validates and lints clean (tests/scenario/test_starter.py).
"""

from __future__ import annotations

import json
import re

from drilltui.scenario.answers import Answers, slug
from drilltui.scenario.durations import format_drill_time, format_duration
from drilltui.scenario.model import FORMAT, Role, Scenario
from drilltui.scenario.yamldata import resolve_plain

# Characters a YAML reader takes for a line break (U+2028, U+2029) or refuses raw (U+FFFE, U+FFFF): written escaped.
_ESCAPE = re.compile("[\u2028\u2029\ufffe\uffff]")


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON's quoting is YAML's); the answers hold no control characters."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _id(rid: str) -> str:
    """An id as YAML reads it back as text: quoted when plain it would be a number, a boolean or null (`0`, `no`)."""
    return rid if resolve_plain(rid) == rid else _q(rid)


def _comment(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


def _targets(roles: tuple[Role, ...]) -> tuple[list[str], str, str]:
    """The first inject's `to` (every player reached), its holder, and the player at the top of the holder's chain."""
    plan = Scenario(id="x", title="x", duration=1, roles=roles, injects=())
    players = [r.id for r in roles if r.kind == "player"]
    first = max(players, key=lambda rid: len(plan.chain_of(rid)))  # the deepest; the first such in file order
    chain = [first, *plan.chain_of(first)]
    top = [rid for rid in chain if rid in players][-1]
    reached = set(chain)
    return [first, *(p for p in players if p not in reached)], first, top


def starter_text(answers: Answers) -> str:
    """The scenario's YAML, with comments; it loads as written."""
    to, holder, top = _targets(answers.roles)
    d = answers.duration
    step = d // 10 if d < 600 else d // 10 // 60 * 60  # the example's pace: a tenth of the drill, in whole minutes
    at, delay, within = format_duration(step), format_duration(step), format_duration(max(60, step))
    choose = "" if top == holder else f" (the top of {holder}'s chain of command)"
    out = [
        "# A drilltui scenario: the exercise plan and its MSEL (Master Scenario Events List).",
        "# Written by `drilltui new` as a start: keep the roles, replace the example objective and injects",
        "# with your own. `drilltui validate FILE` checks the format, `drilltui lint FILE` what a plan",
        "# misses; docs/scenario-format.md describes every key, and `drilltui schema` gives editors a schema.",
        f"format: {FORMAT}",
        f"id: {_id(slug(answers.title))}" + "  # a slug from the title; unique among your scenarios",
        f"title: {_q(answers.title)}",
        "summary: |  # the situation, the scope and the assumptions, as the players are briefed",
        "  Write here what has happened before T+0, what is in scope, and what the drill assumes.",
    ]
    if answers.domain:
        out.append(f"domain: {_id(answers.domain)}  # the field it is written for; the home screen groups scenarios by it")
    out += [
        f"type: {answers.type}  # HSEEP exercise type: drill, tabletop, functional or full-scale",
        f"duration: {format_duration(d)}  # the planned length: drill time runs from T+00:00:00 to "
        f"{format_drill_time(d)}",
        "",
        "# Objectives: what the exercise sets out to test. Each may list its critical tasks (HSEEP);",
        "# expectations on injects evidence them, and evaluators rate each objective P, S, M or U.",
        "objectives:",
        "  - id: O1",
        f"    text: {_q('Acknowledge the first alert and take the containment decision within the first half')}",
        "    capability: Operational Coordination  # optional: the HSEEP core capability it exercises",
        "    tasks:",
        f"      - {{id: O1.1, text: {_q('Acknowledge the alert and tell the chain of command')}}}",
        "",
        "# Roles: who takes part. kind is player (the people exercised), controller (runs the clock and",
        "# releases injects), evaluator (scores), observer (watches) or simcell (plays everyone outside the",
        "# room). reports_to makes the chain of command that escalations climb. Optional: holder (the",
        "# person), ack_within (how long an item sent to the role waits for an acknowledgement before it",
        "# escalates by itself, e.g. 5m).",
        "roles:",
    ]
    for r in answers.roles:
        out += [f"  - id: {_id(r.id)}", f"    title: {_q(r.title)}", f"    kind: {r.kind}"]
        if r.reports_to is not None:
            out.append(f"    reports_to: {_id(r.reports_to)}")
    options = (("contain", "Contain now"), ("watch", "Keep watching and learn more"))
    out += [
        "",
        "# Injects: the MSEL. Each is released at a drill time (at), when another inject reaches a state",
        "# (after: released, acknowledged, resolved, escalated, expired or decision:<option id>, plus a",
        "# delay), or only by a controller (manual: true, a contingency inject). It goes to the roles in",
        "# to; the first of them holds it, and it escalates from there up the chain of command.",
        "injects:",
        f"  # A timed inject, released at {format_drill_time(step)}; {holder} holds it.",
        "  - id: I-01",
        f"    at: {at}",
        f"    from: {_q('Monitoring')}  # who it claims to come from (often played by the SimCell)",
        f"    to: [{', '.join(map(_id, to))}]",
        "    method: email  # email, phone, radio, chat, in-person, system or other",
        "    severity: high  # low, medium, high or critical",
        f"    title: {_q('The first alert')}",
        "    message: |",
        "      The text the players receive, as they would receive it.",
        f"    expected_action: {_q('Acknowledge the alert, assess it and tell the chain of command.')}",
        "    objectives: [O1]",
        "    expect:  # what the players are expected to do, met from the log or marked by an evaluator",
        "      - id: I-01.a",
        f"        text: {_q(f'{holder} acknowledges the alert' if len(to) == 1 else 'One of those it is sent to acknowledges the alert')}",
        f"        by: [{', '.join(map(_id, to))}]  # the roles expected to act (default: the inject's to); an inject is"
        " acknowledged once, by whoever does it first",
        f"        within: {within}  # from the release",
        "        task: O1.1  # the critical task it evidences",
        "        when: acknowledged  # acknowledged, resolved, escalated or decision:<option id>",
        f"  # A decision, {delay} after I-01 is acknowledged: {top}{choose} chooses an option.",
        "  - id: I-02",
        f'    after: {{inject: I-01, "on": acknowledged, delay: {delay}}}',
        f"    to: [{_id(top)}]",
        "    method: in-person",
        "    severity: high",
        f"    title: {_q('Contain now, or keep watching?')}",
        "    message: |",
        "      What the situation is by now, and what each choice costs.",
        "    objectives: [O1]",
        "    decision:",
        f"      prompt: {_q('Contain now, or keep watching?')}",
        "      options:",
    ]
    for oid, label in options:
        out += [f"        - id: {oid}", f"          label: {_q(label)}"]
    for n, (oid, label) in enumerate(options, start=3):
        whom = top if oid == "contain" else holder
        out += [
            f"  # A branch: released {delay} after {top} chooses \"{_comment(label)}\" on I-02; the other option's "
            "branch is never released.",
            f"  - id: I-0{n}",
            f'    after: {{inject: I-02, "on": "decision:{oid}", delay: {delay}}}',
            f"    to: [{_id(whom)}]",
            "    method: phone",
            f"    title: {_q('What containment cost' if oid == 'contain' else 'It spreads while you watch')}",
            "    message: |",
            "      What follows from the choice.",
            "    objectives: [O1]",
        ]
    return "\n".join(out) + "\n"
