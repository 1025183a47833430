"""The report's outline as blocks (headings, paragraphs, tables, pictures), shared by Markdown and HTML."""

# Both formats render these same blocks, so a figure can never differ between
# them; each renderer only decides how a heading, a table or a styled cell looks.
# The outline is the AAR/IP as HSEEP shapes it: a cover, the evidence, an
# executive summary, the analysis of each objective, then the appendices, which
# are listed once in APPENDICES and lettered in that order.

from __future__ import annotations

from collections.abc import Callable, Iterator

from drilltui.engine.state import RATINGS
from drilltui.frozen import frozen
from drilltui.report.model import ExpectationResult, InjectTimeline, NoteEntry, ObjectiveResult, Report
from drilltui.report.text import NONE, clock, dur, factor, plural, rating, wall
from drilltui.scenario import format_drill_time, format_duration


@frozen
class Styled:
    """Cell text with a CSS class for HTML; the text alone carries the meaning."""

    text: str
    css: str


Cell = str | Styled


def cell_text(c: Cell) -> str:
    return c.text if isinstance(c, Styled) else c


@frozen
class Heading:
    level: int
    text: str
    anchor: str


@frozen
class Para:
    text: str


@frozen
class Alert:
    """A warning the reader must not miss (a log that does not verify)."""

    text: str


@frozen
class Table:
    """A table whose first column heads each row."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@frozen
class Chart:
    """A picture (SVG in HTML) with its numbers as a table beside it; Markdown shows the table alone."""

    kind: str = "timeline"  # timeline | expectations | ack | activity
    table: Table | None = None


@frozen
class Code:
    text: str


Block = Heading | Para | Alert | Table | Chart | Code

EXERCISE = {"drill": "drill", "tabletop": "tabletop exercise", "functional": "functional exercise",
            "full-scale": "full-scale exercise"}
STATUS_WORDS = {"met": "met", "partial": "partly met", "not_met": "not met", "missed": "missed", "open": "open"}


def _status(s: str) -> Styled:
    return Styled(s, "status status-" + s.replace(" ", "-"))


def _expect_status(s: str) -> Styled:
    return Styled(STATUS_WORDS.get(s, s), "expect expect-" + s.replace("_", "-"))


def person(r: Report, name: str, role: str | None) -> str:
    """`Ana (SOC Analyst)`: a person by name and role title; the drill's own doing reads `the drill`."""
    if not role:
        return "the drill" if name == "system" else name
    return f"{name} ({r.role_title(role)})"


def titles(r: Report, roles: tuple[str, ...] | list[str]) -> str:
    return ", ".join(r.role_title(x) for x in roles) or NONE


def _ack_cell(r: Report, t: InjectTimeline) -> str:
    if not t.acknowledgements:
        return NONE
    a = t.acknowledgements[0]
    return f"{a.at.clock} by {person(r, a.by, a.role)}"


def _about(r: Report, n: NoteEntry) -> str:
    parts = [n.inject, r.role_title(n.role) if n.role else None, n.objective, n.task]
    return ", ".join(x for x in parts if x) or NONE


def integrity_alert(r: Report) -> Iterator[Block]:
    """A log that fails `verify` is said so at the top, inside the document."""
    e = r.chain_evidence
    if e is not None and not e.verified:
        yield Alert(f"This drill's event log does NOT verify: {e.verification} The figures in this report come "
                    "from a log that may have been altered after the drill; do not rely on them until the log is "
                    "checked (see Evidence).")


def chain_evidence(r: Report) -> Iterator[Block]:
    """The evidence on the first page: head hash, event count, attestations, and whether all of it checks out."""
    e = r.chain_evidence
    if e is None:
        return
    yield Heading(2, "Evidence", "evidence")
    verdict = "Verification passed" if e.verified else "Verification FAILED"
    yield Para(f"{verdict}: {e.verification}")
    log = "the drill's event log" if e.log == "full" else "the redacted event log (its hashes form the commitment chain)"
    yield Table("The log this report states", ("Field", "Value"), (
        ("Log", log),
        ("Events", str(e.events)),
        ("Head hash (the last event's)", e.head_hash or NONE),
        ("Verification", Styled("passed", "verdict verdict-ok") if e.verified else Styled("FAILED", "verdict verdict-failed")),
    ))
    yield Table("Attestations", ("Signed by", "Capacity", "Signed at", "Key", "Covers", "Valid"), tuple(
        (a.by, a.capacity or NONE, wall(a.signed_at), a.key or NONE,
         f"events 1 to {a.events}" + (f" (held at event {a.seq})" if a.seq else "") if a.events else NONE,
         Styled("valid", "verdict verdict-ok") if a.valid else Styled(f"NOT VALID: {a.problem}", "verdict verdict-failed"))
        for a in e.attestations
    ))


def _dates(r: Report) -> str:
    o = r.overview
    if o.started is None:
        return o.date or NONE
    start = wall(o.started.wall_time)
    if o.ended is None:
        return f"from {start} (not ended)"
    end = wall(o.ended.wall_time)
    same_day = (o.started.wall_time or "")[:10] == (o.ended.wall_time or "")[:10]
    return f"{start} to {end[11:] if same_day else end}"


def cover(r: Report) -> Iterator[Block]:
    o = r.overview
    people = {n for p in o.participants for n in p.names}
    roles = [p for p in o.participants if p.names]
    capabilities = list(dict.fromkeys(x.capability for x in r.objectives if x.capability))
    yield Heading(2, "Exercise overview", "overview")
    yield Table("Exercise", ("Field", "Value"), (
        ("Exercise name", o.scenario_title),
        ("Exercise type", EXERCISE.get(o.exercise_type, o.exercise_type).capitalize()),
        ("Dates", _dates(r)),
        ("Scope", (o.scenario_summary or "").strip() or NONE),
        ("Threat or hazard", o.threat or NONE),
        ("Sponsor", o.sponsor or NONE),
        ("Objectives", "; ".join(f"{x.id}: {x.text}" for x in r.objectives) or NONE),
        ("Core capabilities", ", ".join(capabilities) or NONE),
        ("Participants", f"none, a rehearsal: {plural(len(roles), 'role')} acted as the policy says (and the "
                         "controller started and ended it), under the holders' names (see the participants appendix)"
                         if o.rehearsal else
                         f"{plural(len(people), 'person') if len(people) == 1 else f'{len(people)} people'} in "
                         f"{plural(len(roles), 'role')} (see the participants appendix)"),
        ("Drill record", f"drill {o.drill_id} of scenario {o.scenario_id}"),
        *((("Rehearsal", f"played with simulated responses under policy {o.rehearsal.policy}: "
                         f"{o.rehearsal.assumptions}"),) if o.rehearsal else ()),
    ))
    yield from rehearsal(r)


def rehearsal(r: Report) -> Iterator[Block]:
    """For a rehearsal: what it assumed, and the expectations that would be missed under those assumptions."""
    h = r.overview.rehearsal
    if h is None:
        return
    yield Heading(2, "Rehearsal", "rehearsal")
    yield Para(f"Nobody played this drill: it is a rehearsal, played forward on a virtual clock with simulated "
               f"responses under policy {h.policy} ({h.assumptions}). Its figures say what would happen if the "
               "players answered so; ratings, observations and the hotwash are for a drill played by people.")
    missed = [x for x in map(r.expectation, h.missed) if x is not None]
    yield Table("Expectations that would be missed", ("Expectation", "Expected", "Inject", "Expected of", "Due by"),
                tuple((x.id, x.text, f"{x.inject}: {x.inject_title}", titles(r, x.by), x.due.clock if x.due else NONE)
                      for x in missed))
    unmet = [x for x in map(r.expectation, h.unmet) if x is not None]
    yield Table("Expectations with no time limit that nothing met by the end",
                ("Expectation", "Expected", "Inject", "Expected of", "When"),
                tuple((x.id, x.text, f"{x.inject}: {x.inject_title}", titles(r, x.by), x.when or NONE) for x in unmet))


def _rating_cell(letter: str | None) -> Styled:
    if letter is None:
        return Styled("not rated", "rating rating-none")
    return Styled(f"{letter} — {RATINGS.get(letter, letter)}", f"rating rating-{letter}")


def _finding_rows(r: Report, items: tuple, *, objective: bool = True) -> tuple[tuple[Cell, ...], ...]:
    return tuple(((f.objective or "general",) if objective else ()) + (f.text, f"{person(r, f.by, f.by_role)} at {f.at.clock}")
                 for f in items)


def expectations_table(r: Report) -> Table:
    """Expectations per objective: the numbers of the expectations picture."""
    rows = []
    for o in r.objectives:
        xs = [r.expectation(x) for x in o.expectations]
        counts = [sum(1 for x in xs if x and x.status == s) for s in STATUS_WORDS]
        rows.append((o.id, *(str(n) for n in counts), str(len(xs))))
    return Table("Expectations per objective", ("Objective", "Met", "Partly met", "Not met", "Missed", "Open", "All"),
                 tuple(rows))


def executive_summary(r: Report) -> Iterator[Block]:
    s = r.summary
    if s is None:
        return
    yield Heading(2, "Executive summary", "summary")
    rated = [o for o in s.objectives if o.rating]
    scored = (f"{s.met} of {plural(s.expectations, 'expectation')} met, {s.partial} partly met, {s.not_met} not met, "
              f"{s.missed} missed and {s.open} open" if s.expectations else "The scenario sets no expectations")
    yield Para(f"{scored}; {len(rated)} of {plural(len(s.objectives), 'objective')} rated. "
               + (f"Median time to acknowledge an inject: {dur(s.median_ack_seconds)}." if s.median_ack_seconds is not None
                  else "No inject was acknowledged."))
    yield Table("Objectives at a glance", ("Objective", "Core capability", "Rating", "Expectations met"), tuple(
        (f"{o.id}: {o.text}", o.capability or NONE, _rating_cell(o.rating),
         f"{o.met} of {o.expectations}" if o.expectations else NONE) for o in s.objectives
    ))
    if r.expectations:
        yield Chart("expectations", expectations_table(r))
    verdicts: dict[bool | None, str | Styled] = {True: Styled("passed", "verdict verdict-ok"),
                                                 False: Styled("FAILED", "verdict verdict-failed"), None: "not checked"}
    verdict = verdicts[s.verified]
    yield Table("Key figures", ("Figure", "Value"), (
        ("Expectations met", f"{s.met} of {s.expectations}"),
        ("Expectations partly met", str(s.partial)),
        ("Expectations not met", str(s.not_met)),
        ("Expectations missed", str(s.missed)),
        ("Expectations open", str(s.open)),
        ("Scores overridden by an evaluator", str(s.overridden)),
        ("Median time to acknowledge", dur(s.median_ack_seconds)),
        ("Injects released", f"{r.overview.totals.injects_released} of {r.overview.totals.injects_planned}"),
        ("Injects written in play (ad hoc)", str(r.overview.totals.injects_adhoc)),
        ("Escalations", str(r.overview.totals.escalations)),
        ("Deadlines missed", str(r.overview.totals.expirations)),
        ("Drill integrity: the log's head hash", s.head_hash or NONE),
        ("Drill integrity: verify", verdict),
    ))
    yield Table("The three most important strengths", ("Objective", "Strength", "Recorded by"), _finding_rows(r, s.strengths))
    yield Table("The three most important areas for improvement", ("Objective", "Area for improvement", "Recorded by"),
                _finding_rows(r, s.improvements))


def expectation_evidence(r: Report, x: ExpectationResult) -> str:
    """How an expectation was settled, in one sentence: by the log, by an evaluator, or not yet."""
    parts = []
    if x.met is not None:
        parts.append(f"the log met it: {x.when} by {r.role_title(x.met_by_role)} at {x.met.clock}")
    elif x.missed is not None:
        parts.append(f"missed: not met by {x.missed.clock}")
        if x.acted is not None:
            parts.append(f"{x.when or 'acted'} by {r.role_title(x.acted_by_role)} later, at {x.acted.clock}")
    if x.mark is not None:
        m = x.mark
        how = "overridden, marked" if m.overrides else "marked"
        parts.append(f"{how} {STATUS_WORDS[m.status]} by {person(r, m.by, m.by_role)} at {m.at.clock}: {m.comment}")
    if not parts:
        if x.released is None:
            return "its inject was not reached"
        return f"waits for {x.when} by {titles(r, x.by)}" if x.when else "waits for an evaluator's mark"
    return "; ".join(parts)


def _objective(r: Report, o: ObjectiveResult) -> Iterator[Block]:
    yield Heading(3, f"{o.id}: {o.text}", f"objective-{o.id}")
    if o.capability:
        yield Para(f"Core capability: {o.capability}.")
    if o.rating is not None:
        yield Para(f"Rating: {rating(o.rating)}. Rationale: {o.rating.comment or NONE} "
                   f"({person(r, o.rating.by, o.rating.by_role)}, {o.rating.at.clock}).")
    else:
        yield Para("Rating: not rated.")
    if len(o.history) > 1:
        earlier = "; ".join(f"{h.rating} at {h.at.clock} by {person(r, h.by, h.by_role)}" for h in o.history[:-1])
        yield Para(f"Rated {len(o.history)} times; the latest counts. Earlier: {earlier}.")
    tasks = {t.id: t.text for t in o.tasks}
    rows: list[tuple[str | Styled, ...]] = []
    for x in (r.expectation(e) for e in o.expectations):
        assert x is not None
        task = f"{x.task}: {tasks[x.task]}" if x.task in tasks else (x.task or "no critical task named")
        rows.append((x.id, task, x.text, x.inject, titles(r, x.by), _expect_status(x.status), dur(x.time_to_action_s),
                     expectation_evidence(r, x)))
    rows += [(NONE, f"{t.id}: {t.text}", "no expectation evidences it", NONE, NONE, NONE, NONE, NONE)
             for t in o.tasks if not t.expectations]
    yield Table(f"Critical tasks and expectations for {o.id}",
                ("Expectation", "Critical task", "Expected", "Inject", "Expected of", "Status", "Time to action",
                 "Evidence"), tuple(rows))
    yield Table(f"Injects tied to {o.id}", ("Inject", "Title", "Status", "What happened"), tuple(
        (e.inject, e.title, _status(e.status), e.outcome) for e in o.evidence
    ))
    yield Table(f"Strengths for {o.id}", ("Strength", "Recorded by"), _finding_rows(r, o.strengths, objective=False))
    yield Table(f"Areas for improvement for {o.id}", ("Area for improvement", "Recorded by"),
                _finding_rows(r, o.improvements, objective=False))
    yield Table(f"Observations on {o.id}", ("At", "By", "About", "Observation"), tuple(
        (n.at.clock, person(r, n.by, n.by_role), _about(r, n), n.text) for n in o.observations
    ))


def analysis(r: Report) -> Iterator[Block]:
    yield Heading(2, "Analysis of objectives", "objectives")
    yield Para("Ratings use the HSEEP scale: P performed without challenges, S performed with some challenges, "
               "M performed with major challenges, U unable to be performed. An expectation is met by the log when an "
               "expected role reaches its state in time, missed when its time passes unmet, and otherwise marked by "
               "an evaluator; time to action runs from the inject's release.")
    for o in r.objectives:
        yield from _objective(r, o)
    linked = {id(n) for o in r.objectives for n in o.observations}
    general = [f for f in (*r.strengths, *r.improvements) if f.objective is None]
    loose = [n for n in r.notes if n.kind == "observation" and id(n) not in linked
             and not any(n in o.observations for o in r.objectives)]
    if general or loose:
        kinds = {"strength": "strength", "improvement": "area for improvement"}
        yield Heading(3, "Findings not tied to an objective", "general-findings")
        yield Table("General findings and observations", ("Kind", "Finding", "Recorded by"), tuple(
            (kinds[f.section], f.text, f"{person(r, f.by, f.by_role)} at {f.at.clock}") for f in general) + tuple(
            ("observation", n.text, f"{person(r, n.by, n.by_role)} at {n.at.clock}") for n in loose))


# -- appendices ------------------------------------------------------------

def improvement_plan(r: Report) -> Iterator[Block]:
    yield Table("Improvement plan", ("Issue", "Corrective action", "Core capability", "Objective", "Owner", "Start",
                                     "Completion"), tuple(
        (p.issue, p.corrective_action or NONE, p.capability or NONE, p.objective or NONE,
         p.owner_title or NONE, (p.at.wall_time or "")[:10] or NONE, p.due or NONE)
        for p in r.improvement_plan
    ))


def activity_table(r: Report) -> Table:
    from drilltui.report.charts import activity_points

    return Table("Open items and escalations over drill time", ("Drill time", "Open items", "Escalations so far"),
                 tuple((format_drill_time(t), str(n), str(e)) for t, n, e in activity_points(r)))


def timeline(r: Report) -> Iterator[Block]:
    yield Chart("timeline")
    yield Chart("activity", activity_table(r))
    yield Table("Injects: release and acknowledgement", ("Inject", "Title", "Released", "Via", "To", "Acknowledged",
                                                         "Time to acknowledge"), tuple(
        (t.id, t.title,
         t.release.at.clock if t.release else "not reached",
         (t.release.via + (f" ({t.release.cause})" if t.release.cause else "")) if t.release else t.plan,
         r.role_title(t.release.to_role) if t.release else titles(r, t.to),
         _ack_cell(r, t), dur(t.ack_seconds))
        for t in r.injects
    ))
    yield Table("Injects: escalation, decision and outcome", ("Inject", "Escalated to level", "Deadlines missed",
                                                             "Decision", "Resolved", "Time to resolve", "Status"), tuple(
        (t.id, str(t.top_level) if t.escalations else NONE,
         str(len(t.expirations)) if t.release else NONE,
         f"{t.decision.label} ({person(r, t.decision.by, t.decision.role)})" if t.decision else NONE,
         f"{t.resolution.at.clock} by {person(r, t.resolution.by, t.resolution.role)}" if t.resolution else NONE,
         dur(t.resolve_seconds), _status(t.status))
        for t in r.injects
    ))
    yield Table("Escalations", ("Inject", "At", "Escalated by", "From", "To", "Level", "New deadline"), tuple(
        (t.id, x.at.clock,
         person(r, x.by, x.by_role) if x.reason == "manual" else "the drill: the deadline passed",
         r.role_title(x.from_role), r.role_title(x.to_role), str(x.level), clock(x.deadline))
        for t in r.injects for x in t.escalations
    ))
    yield Table("Expired deadlines", ("Inject", "Deadline", "Holder"), tuple(
        (t.id, x.deadline.clock, r.role_title(x.role)) for t in r.injects for x in t.expirations
    ))
    rows = []
    for d in r.decisions:
        for b in d.branches:
            if d.decision is None:
                taken = d.status
            else:
                taken = f"taken by {person(r, d.decision.by, d.decision.role)} at {d.decision.at.clock}" if b.taken else "not taken"
            follow = "; ".join(f"{i.inject} {('released ' + i.released.clock) if i.released else 'not reached'}" for i in b.injects)
            rows.append((d.inject, d.prompt, f"{b.option}: {b.label}", taken, follow or NONE))
    yield Table("Decisions and the branch followed", ("Inject", "Prompt", "Option", "Taken", "Injects on this branch"), tuple(rows))


def msel_as_played(r: Report) -> Iterator[Block]:
    """The MSEL as it was played: the planned injects and those written during play, side by side."""
    planned = [t for t in r.injects if not t.adhoc]
    adhoc = [t for t in r.injects if t.adhoc]
    yield Table("The MSEL as played: planned and ad hoc", ("Injects", "In the MSEL", "Released", "Acknowledged",
                                                            "Escalated", "Resolved"), tuple(
        (label, str(len(ts)) if label == "Planned" else NONE, str(sum(1 for t in ts if t.release)),
         str(sum(1 for t in ts if t.acknowledgements)), str(sum(1 for t in ts if t.escalations)),
         str(sum(1 for t in ts if t.resolution)))
        for label, ts in (("Planned", planned), ("Ad hoc (written during play)", adhoc))
    ))
    yield Table("Ad-hoc injects (written during play; drilltui export-msel DRILL adds them to the MSEL)",
                ("Inject", "Title", "Written", "To", "Status"), tuple(
        (t.id, t.title, t.plan, ", ".join(t.to), _status(t.status)) for t in adhoc
    ))


def activity_logs(r: Report) -> Iterator[Block]:
    from drilltui.report import ics214  # it builds on this module's blocks

    yield from ics214.appendix(r.activity_logs)


def participants(r: Report) -> Iterator[Block]:
    yield Table("Participants by role", ("Role", "Kind", "Participants"), tuple(
        (p.title, p.kind, ", ".join(p.names) or NONE) for p in r.overview.participants
    ))


def ack_table(r: Report) -> Table:
    from drilltui.report.charts import ack_rows

    return Table("Time to acknowledge per role", ("Role", "Acknowledged", "Median", "Worst", "Deadline"), tuple(
        (title, str(len(marks)), dur(median), dur(max(m for m, _ in marks) if marks else None),
         ", ".join(dict.fromkeys(dur(d) for _, d in marks if d is not None)) or NONE)
        for title, marks, median in ack_rows(r)
    ))


def roles(r: Report) -> Iterator[Block]:
    yield Para("Time to acknowledge runs from when the item reached the role that held it "
               "(its release, or the escalation that brought it there) to the acknowledgement.")
    yield Chart("ack", ack_table(r))
    yield Table("Figures per role", ("Role", "Items received", "Acknowledged", "Median time to acknowledge",
                                     "Worst time to acknowledge", "Escalated away", "Deadlines missed", "Resolved",
                                     "Decisions", "Notes written"), tuple(
        (x.title, str(x.received), str(x.acknowledged), dur(x.median_ack_seconds), dur(x.worst_ack_seconds),
         str(x.escalated_away), str(x.deadlines_missed), str(x.resolved), str(x.decisions), str(x.notes_written))
        for x in r.roles
    ))


def clock_changes(r: Report) -> Iterator[Block]:
    o = r.overview
    ended = f"{clock(o.ended)} at {wall(o.ended.wall_time)}" if o.ended else f"not ended (drill {o.status})"
    paused = f" ({format_duration(o.paused_wall_seconds)} of it paused)" if o.pauses else ""
    yield Table("The drill clock", ("Field", "Value"), (
        ("Started", f"{clock(o.started)} at {wall(o.started.wall_time)}" if o.started else "not started"),
        ("Ended", ended),
        ("Planned duration", format_duration(o.planned_duration_seconds)),
        ("Drill time at end", f"{format_duration(o.drill_seconds)} ({format_drill_time(o.drill_seconds)})"),
        ("Wall-clock duration", format_duration(o.wall_seconds) + paused),
    ))
    yield Table("Pauses", ("Paused at", "Paused (wall)", "Resumed (wall)", "Wall duration", "By", "Reason"), tuple(
        (p.paused.clock, wall(p.paused.wall_time), wall(p.resumed.wall_time) if p.resumed else "not resumed",
         format_duration(p.wall_seconds), p.by, p.reason or NONE)
        for p in o.pauses
    ))
    yield Table("Speed changes", ("At", "Wall time", "From", "To", "Lasted (wall)", "By"), tuple(
        (s.at.clock, wall(s.at.wall_time), factor(s.from_factor), factor(s.to_factor), format_duration(s.wall_seconds), s.by)
        for s in o.speed_changes
    ))


def notes(r: Report) -> Iterator[Block]:
    yield Table("Notes and observations, in log order", ("At", "Kind", "By", "About", "Text"), tuple(
        (n.at.clock, n.kind, person(r, n.by, n.by_role), _about(r, n), n.text) for n in r.notes
    ))


def corrections(r: Report) -> Iterator[Block]:
    if not r.corrections:
        yield Para("No note, observation, rating or hotwash item was amended or withdrawn.")
        return
    yield Para("Entries their authors (or a controller) corrected after logging them. The report above uses the "
               "corrections and leaves out what was withdrawn; the log keeps the originals, listed here.")
    yield Table("Corrections, in log order", ("At", "Entry", "Original", "Correction", "By", "Why"), tuple(
        (c.at.clock, f"{c.what} (event {c.entry})", Styled(c.original, "struck"),
         c.text if c.action == "amended" else "withdrawn", person(r, c.by, c.by_role), c.reason or NONE)
        for c in r.corrections
    ))


def integrity(r: Report) -> Iterator[Block]:
    i = r.integrity
    seqs = f" (seq {i.first_seq} to {i.last_seq})" if i.first_seq is not None else ""
    yield Table("Log the report was built from", ("Field", "Value"), (
        ("Events", f"{i.event_count}{seqs}"),
        ("Hash of the last event", i.last_hash or NONE),
        ("Scenario SHA-256", i.scenario_sha256 or NONE),
    ))
    yield Para("To check that this report matches the log, run the command below: it recomputes every "
               "event's hash and prints the last one, which must equal the hash above.")
    yield Code(i.verify_command)


# The appendices, in order: (title, anchor, blocks). Each is lettered A, B, C... as listed; add one here.
APPENDICES: list[tuple[str, str, Callable[[Report], Iterator[Block]]]] = [
    ("Improvement plan", "improvement-plan", improvement_plan),
    ("Timeline", "timeline", timeline),
    ("The MSEL as played", "msel-as-played", msel_as_played),
    ("Participants", "participants", participants),
    ("Response times by role", "roles", roles),
    ("Clock and speed changes", "clock", clock_changes),
    ("Notes and observations", "notes", notes),
    ("Activity logs (ICS-214)", "activity-logs", activity_logs),
    ("Corrections", "corrections", corrections),
    ("Integrity", "integrity", integrity),
]


def appendices(r: Report) -> Iterator[Block]:
    for n, (title, anchor, blocks) in enumerate(APPENDICES):
        yield Heading(2, f"Appendix {chr(ord('A') + n)}: {title}", anchor)
        yield from blocks(r)


def summary_sentence(r: Report) -> str:
    o = r.overview
    kind = EXERCISE.get(o.exercise_type, o.exercise_type)
    article = "An" if kind[:1] in "aeiou" else "A"
    when = f"on {o.date}" if o.date else "not yet started"
    met = f"; {r.summary.met} of {plural(r.summary.expectations, 'expectation')} met" if r.summary and r.expectations else ""
    return (f"{article} {kind} of scenario {o.scenario_id}, drill {o.drill_id}, {when}: "
            f"{o.totals.injects_released} of {plural(o.totals.injects_planned, 'planned inject')} released, "
            f"{plural(o.totals.escalations, 'escalation')}, {plural(o.totals.expirations, 'deadline')} missed{met}. "
            "Built from the drill's event log alone; the Evidence and Integrity sections say how to check it.")


def document(r: Report) -> list[Block]:
    """Every block of the report, in reading order."""
    what = f"Rehearsal ({r.overview.rehearsal.policy}) " if r.overview.rehearsal else ""
    head: list[Block] = [
        Heading(1, f"{what}After-Action Report / Improvement Plan: {r.overview.scenario_title}", "top"),
        Para(summary_sentence(r)),
    ]
    return [*head, *integrity_alert(r), *cover(r), *chain_evidence(r), *executive_summary(r), *analysis(r),
            *appendices(r)]
