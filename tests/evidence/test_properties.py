"""Properties of the evidence formats: statements read back as written, redaction keeps structure and is stable."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from drillgen import SCENARIO, actions, generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drilltui.engine import Event
from drilltui.engine import commands as c
from drilltui.engine.events import EntryAmended
from drilltui.evidence.placeholders import Placeholders, Policy
from drilltui.evidence.redact import redact_drill
from drilltui.evidence.redact_scenario import quote, redact_scenario
from drilltui.evidence.statement import Statement, StatementError, parse
from drilltui.journal import to_record
from drilltui.scenario import loads
from drilltui.store import StoredEvent
from drilltui.store.chain import canonical_json, event_hash, genesis_hash, scenario_hash

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
WALL = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(9999, 1, 1)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40).map(str.strip)


@FAST
@given(st.builds(Statement, st.sampled_from(["full", "redacted"]), LINE.filter(bool), HEX, st.integers(1, 10**9), HEX,
                 WALL, WALL, LINE.filter(bool), LINE, st.text(min_size=1, max_size=40).map(lambda t: "SHA256:" + t.strip()).filter(
                     lambda k: k.isprintable() and len(k) > 7), WALL))
def test_a_statement_reads_back_as_written(statement: Statement) -> None:
    assert parse(statement.text()) == statement


@FAST
@given(st.text(max_size=600))
def test_any_text_is_a_statement_or_a_statement_error(text: str) -> None:
    try:
        parse(text)
    except StatementError:
        pass


NAME = st.from_regex(r"Zq[a-z]{2,6} V[a-z]{3,7}", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff\x85\u2028\u2029\r"),
               min_size=1, max_size=60).filter(lambda t: t.strip() == t and t)
STYLE = st.sampled_from(["quoted", "block", "single"])


def _scalar(text: str, style: str, indent: int) -> str:
    if style == "block" and all(c.isprintable() or c == "\n" for c in text) and text.strip() and "\n\n" not in text:
        pad = " " * indent
        return "|-\n" + "\n".join(pad + line for line in text.split("\n")) + "\n"
    if style == "single" and all(c.isprintable() for c in text):
        return "'" + text.replace("'", "''") + "'\n"
    return quote(text) + "\n"


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, list[str], list[tuple[str, str, bool]]]:
    holders = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
    lines = ["# written by hand", "format: drilltui/1", "id: prop", "title: Property drill  # a comment",
             "duration: 30m", "roles:"]
    for n, h in enumerate(holders):
        lines += [f"  - id: r{n}", f"    title: Role {n}", f"    holder: {_scalar(h, draw(STYLE), 6)}".rstrip("\n"),
                  f"    # {h} keeps the minutes"]
    lines.append("injects:")
    injects = []
    for n in range(draw(st.integers(1, 4))):
        sensitive = draw(st.booleans())
        message = draw(TEXT)
        if draw(st.booleans()):
            message = f"{message} for {draw(st.sampled_from(holders))}"
        injects.append((f"I-{n}", message, sensitive))
        lines += [f"  - id: I-{n}", f"    at: {n}m", "    to: [r0]", f"    title: Inject {n}",
                  f"    message: {_scalar(message, draw(STYLE), 6)}".rstrip("\n")]
        if sensitive:
            lines.append("    sensitive: true")
    return "\n".join(lines) + "\n", holders, injects


@FAST
@given(scenarios())
def test_redacted_scenario_loads_with_the_same_structure(case: tuple[str, list[str], list[tuple[str, str, bool]]]) -> None:
    text, holders, injects = case
    original = loads(text)
    places = Placeholders()
    redacted = redact_scenario(text, Policy.of(original), places, b"s" * 32)
    again = loads(redacted.text)
    assert [(r.id, r.kind, r.reports_to) for r in again.roles] == [(r.id, r.kind, r.reports_to) for r in original.roles]
    assert [(i.id, i.at, i.to, i.sensitive) for i in again.injects] == [(i.id, i.at, i.to, i.sensitive) for i in original.injects]
    assert [r.holder for r in again.roles] == [places.names[h] for h in holders]
    for (_inject_id, message, sensitive), got in zip(injects, again.injects):
        assert got.message.startswith("[redacted text") if sensitive else got.message == places.scrub(message)
    for h in holders:
        assert h.casefold() not in redacted.text.casefold()  # nor in the comments, which are gone
    assert "keeps the minutes" not in redacted.text and "a comment" not in redacted.text and "by hand" not in redacted.text


def _stored(events: list, scenario_text: str = SCENARIO.source_text) -> list[StoredEvent]:
    """Events as the store would hold them, with honest hashes."""
    prev = genesis_hash("d", scenario_hash(scenario_text))
    out = []
    for e in events:
        r = to_record(e)
        data = json.loads(canonical_json(r.data))
        digest = event_hash("d", e.seq, r.kind, r.version, data, r.wall_time, r.drill_time, r.participant, r.role, prev)
        out.append(StoredEvent(e.seq, r.kind, data, r.wall_time, r.drill_time, r.participant, r.role, r.version, prev, digest))
        prev = digest
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions, st.integers(1, 200))
def test_redaction_of_a_prefix_is_a_prefix_of_the_redaction(steps: list, cut: int) -> None:
    """What an attestation signed for events 1 to N stays checkable however the log grows after it."""
    stored = _stored(generate(steps))
    if not stored:
        return
    cut = min(cut, len(stored))
    whole = redact_drill("d", SCENARIO.source_text, stored, b"k" * 32)
    part = redact_drill("d", SCENARIO.source_text, stored[:cut], b"k" * 32)
    assert [e.hash for e in part.events] == [e.hash for e in whole.events[:cut]]
    assert all(e.participant in ("system", "") or e.participant.startswith("Participant ") for e in whole.events)


@pytest.mark.parametrize("seed", [b"a" * 32, b"b" * 32])
def test_the_seed_changes_every_commitment_but_no_placeholder(seed: bytes) -> None:
    stored = _stored(generate([(1.0, "control", c.Start()), (5.0, "control", c.Join("Ana"))]))
    a = redact_drill("d", SCENARIO.source_text, stored, seed)
    b = redact_drill("d", SCENARIO.source_text, stored, b"c" * 32)
    assert [e.participant for e in a.events] == [e.participant for e in b.events]
    assert [e.hash for e in a.events] != [e.hash for e in b.events]


def test_a_correction_is_as_sensitive_as_the_entry_it_corrects() -> None:
    text = SCENARIO.source_text.replace("format: drilltui/1", "format: drilltui/1\nsensitive: [notes]", 1)
    events = generate([(1.0, "control", c.Start()), (2.0, "ic", c.AddNote("Ana said the keys are gone")),
                       (3.0, "eval", c.Rate("O1", "S", "Ana was slow"))])
    note = next(e for e in events if e.kind == "note_added")
    rating = next(e for e in events if e.kind == "objective_rated")
    amended = Event(EntryAmended(note.seq, "Ana said half the keys are gone", None, "typo from Ana"), 4.0, events[-1].wall_time,
                    "IC", "ic", len(events) + 1)
    fixed = Event(EntryAmended(rating.seq, "Ana was slow to page", "M", "wrong letter"), 5.0, events[-1].wall_time,
                  "EVAL", "eval", len(events) + 2)
    redacted = redact_drill("d", text, _stored([*events, amended, fixed], text), b"k" * 32).events
    assert redacted[-2].data["text"].startswith("[redacted text") and redacted[-2].data["reason"].startswith("[redacted text")
    assert redacted[-1].data["text"] == "Ana was slow to page"  # comments are not marked sensitive here
    assert redacted[-1].data["rating"] == "M" and redacted[-1].data["entry"] == rating.seq
