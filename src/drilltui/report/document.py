"""The report's outline as blocks (headings, paragraphs, tables), shared by Markdown and HTML."""

# Both formats render these same blocks, so a figure can never differ between
# them; each renderer only decides how a heading, a table or a styled cell looks.

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drilltui.report.model import InjectTimeline, NoteEntry, Report
from drilltui.report.text import NONE, clock, dur, factor, plural, rating, wall, who
from drilltui.scenario import format_drill_time, format_duration


@dataclass(frozen=True)
class Styled:
    """Cell text with a CSS class for HTML; the text alone carries the meaning."""

    text: str
    css: str


Cell = str | Styled


def cell_text(c: Cell) -> str:
    return c.text if isinstance(c, Styled) else c


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    """A table whose first column heads each row."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Chart:
    """The inject timeline chart (SVG in HTML; Markdown points to the tables instead)."""


@dataclass(frozen=True)
class Code:
    text: str


Block = Heading | Para | Table | Chart | Code


def _status(s: str) -> Styled:
    return Styled(s, "status status-" + s.replace(" ", "-"))


def _about(n: NoteEntry) -> str:
    return ", ".join(x for x in (n.inject, n.role, n.objective) if x) or NONE


def _ack_cell(t: InjectTimeline) -> str:
    if not t.acknowledgements:
        return NONE
    a = t.acknowledgements[0]
    return f"{a.at.clock} by {who(a.by, a.role)}"


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


def overview(r: Report) -> Iterator[Block]:
    o = r.overview
    yield Heading(2, "1. Exercise overview", "overview")
    ended = f"{clock(o.ended)} at {wall(o.ended.wall_time)}" if o.ended else f"not ended (drill {o.status})"
    paused = f" ({format_duration(o.paused_wall_seconds)} of it paused)" if o.pauses else ""
    yield Table("Exercise", ("Field", "Value"), (
        ("Exercise", f"{o.scenario_title} ({o.scenario_id})"),
        ("Exercise type", o.exercise_type),
        ("Drill", o.drill_id),
        ("Date", o.date or NONE),
        ("Started", f"{clock(o.started)} at {wall(o.started.wall_time)}" if o.started else "not started"),
        ("Ended", ended),
        ("Planned duration", format_duration(o.planned_duration_seconds)),
        ("Drill time at end", f"{format_duration(o.drill_seconds)} ({format_drill_time(o.drill_seconds)})"),
        ("Wall-clock duration", format_duration(o.wall_seconds) + paused),
    ))
    if o.scenario_summary:
        yield Para(o.scenario_summary.strip())
    t = o.totals
    yield Table("At a glance", ("Figure", "Count"), (
        ("Injects planned", str(t.injects_planned)),
        ("Injects written in play (ad hoc)", str(t.injects_adhoc)),
        ("Injects released", str(t.injects_released)),
        ("Injects not reached", str(t.injects_not_reached)),
        ("Injects acknowledged", str(t.acknowledged)),
        ("Injects resolved", str(t.resolved)),
        ("Escalations", str(t.escalations)),
        ("Deadlines missed", str(t.expirations)),
        ("Decisions taken", str(t.decisions)),
        ("Notes", str(t.notes)),
        ("Observations", str(t.observations)),
    ))
    yield Table("Participants by role", ("Role", "Title", "Kind", "Participants"), tuple(
        (p.role, p.title, p.kind, ", ".join(p.names) or NONE) for p in o.participants
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


def objectives(r: Report) -> Iterator[Block]:
    yield Heading(2, "2. Objectives and ratings", "objectives")
    yield Para("Ratings use the HSEEP scale: P performed without challenges, S performed with some "
               "challenges, M performed with major challenges, U unable to be performed.")
    yield Table("Objective ratings", ("Objective", "Text", "Core capability", "Rating", "Evaluator comment", "Rated by"), tuple(
        (o.id, o.text, o.capability or NONE,
         Styled(rating(o.rating), f"rating rating-{o.rating.rating}") if o.rating else Styled("not rated", "rating rating-none"),
         (o.rating.comment or NONE) if o.rating else NONE,
         f"{who(o.rating.by, o.rating.by_role)} at {o.rating.at.clock}" if o.rating else NONE)
        for o in r.objectives
    ))
    for o in r.objectives:
        yield Heading(3, f"{o.id}: {o.text}", f"objective-{o.id}")
        if len(o.history) > 1:
            earlier = "; ".join(f"{h.rating} at {h.at.clock} by {who(h.by, h.by_role)}" for h in o.history[:-1])
            yield Para(f"Rated {len(o.history)} times; the latest counts. Earlier: {earlier}.")
        yield Table(f"Evidence for {o.id}: its injects", ("Inject", "Title", "Status", "What happened"), tuple(
            (e.inject, e.title, _status(e.status), e.outcome) for e in o.evidence
        ))
        yield Table(f"Notes and observations on {o.id}", ("At", "Kind", "By", "Text"), tuple(
            (n.at.clock, n.kind, who(n.by, n.by_role), n.text) for n in o.notes
        ))


def findings(r: Report) -> Iterator[Block]:
    yield Heading(2, "3. Strengths and areas for improvement", "findings")
    for caption, items in (("Strengths", r.strengths), ("Areas for improvement", r.improvements)):
        yield Table(caption, ("Objective", "Core capability", "Finding", "Recorded by"), tuple(
            (f.objective or "general", f.capability or NONE, f.text, f"{who(f.by, f.by_role)} at {f.at.clock}") for f in items
        ))
    yield Table("Evaluator observations", ("Objective", "Core capability", "Inject", "Observation", "Recorded by"), tuple(
        (f.objective or "general", f.capability or NONE, f.inject or NONE, f.text, f"{who(f.by, f.by_role)} at {f.at.clock}")
        for f in r.observations
    ))


def timeline(r: Report) -> Iterator[Block]:
    yield Heading(2, "4. Timeline of injects", "timeline")
    yield Chart()
    yield Table("Injects", ("Inject", "Title", "Released", "Via", "To", "Acknowledged", "Time to acknowledge",
                            "Escalated to level", "Deadlines missed", "Decision", "Resolved", "Time to resolve", "Status"), tuple(
        (t.id, t.title,
         t.release.at.clock if t.release else "not reached",
         (t.release.via + (f" ({t.release.cause})" if t.release.cause else "")) if t.release else t.plan,
         t.release.to_role if t.release else ", ".join(t.to),
         _ack_cell(t), dur(t.ack_seconds),
         str(t.top_level) if t.escalations else NONE,
         str(len(t.expirations)) if t.release else NONE,
         f"{t.decision.label} ({t.decision.role})" if t.decision else NONE,
         f"{t.resolution.at.clock} by {who(t.resolution.by, t.resolution.role)}" if t.resolution else NONE,
         dur(t.resolve_seconds), _status(t.status))
        for t in r.injects
    ))
    yield Table("Escalations", ("Inject", "At", "From", "To", "Level", "Reason", "New deadline", "Chain"), tuple(
        (t.id, x.at.clock, x.from_role, x.to_role, str(x.level), x.reason, clock(x.deadline), " -> ".join(t.chain))
        for t in r.injects for x in t.escalations
    ))
    yield Table("Expired deadlines", ("Inject", "Deadline", "Holder"), tuple(
        (t.id, x.deadline.clock, x.role) for t in r.injects for x in t.expirations
    ))
    rows = []
    for d in r.decisions:
        for b in d.branches:
            if d.decision is None:
                taken = d.status
            else:
                taken = f"taken by {who(d.decision.by, d.decision.role)} at {d.decision.at.clock}" if b.taken else "not taken"
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


def roles(r: Report) -> Iterator[Block]:
    yield Heading(2, "5. Roles", "roles")
    yield Para("Time to acknowledge runs from when the item reached the role that held it "
               "(its release, or the escalation that brought it there) to the acknowledgement.")
    yield Table("Figures per role", ("Role", "Title", "Items received", "Acknowledged", "Median time to acknowledge",
                                     "Worst time to acknowledge", "Escalated away", "Deadlines missed", "Resolved",
                                     "Decisions", "Notes written"), tuple(
        (x.role, x.title, str(x.received), str(x.acknowledged), dur(x.median_ack_seconds), dur(x.worst_ack_seconds),
         str(x.escalated_away), str(x.deadlines_missed), str(x.resolved), str(x.decisions), str(x.notes_written))
        for x in r.roles
    ))


def appendices(r: Report) -> Iterator[Block]:
    yield Heading(2, "Appendix A: Improvement plan", "improvement-plan")
    yield Table("Improvement plan", ("Issue", "Corrective action", "Core capability", "Objective", "Owner", "Due"), tuple(
        (p.issue, p.corrective_action or NONE, p.capability or NONE, p.objective or NONE,
         f"{p.owner_title} ({p.owner_role})" if p.owner_role else NONE, p.due or NONE)
        for p in r.improvement_plan
    ))
    yield Heading(2, "Appendix B: Notes and observations", "notes")
    yield Table("Notes and observations, in log order", ("At", "Kind", "By", "About", "Text"), tuple(
        (n.at.clock, n.kind, who(n.by, n.by_role), _about(n), n.text) for n in r.notes
    ))
    i = r.integrity
    yield Heading(2, "Integrity", "integrity")
    seqs = f" (seq {i.first_seq} to {i.last_seq})" if i.first_seq is not None else ""
    yield Table("Log the report was built from", ("Field", "Value"), (
        ("Events", f"{i.event_count}{seqs}"),
        ("Hash of the last event", i.last_hash or NONE),
        ("Scenario SHA-256", i.scenario_sha256 or NONE),
    ))
    yield Para("To check that this report matches the log, run the command below: it recomputes every "
               "event's hash and prints the last one, which must equal the hash above.")
    yield Code(i.verify_command)


def document(r: Report) -> list[Block]:
    """Every block of the report, in reading order."""
    from drilltui.report import ics214  # its blocks are built from these

    o = r.overview
    head: list[Block] = [
        Heading(1, f"After-Action Report: {o.scenario_title}", "top"),
        Para(f"Drill {o.drill_id} of scenario {o.scenario_id}, a {o.exercise_type}, on {o.date or 'no date'}: "
             f"{plural(o.totals.injects_released, 'inject')} released of {o.totals.injects_planned} planned, "
             f"{plural(o.totals.escalations, 'escalation')}, {plural(o.totals.expirations, 'deadline')} missed. "
             "Built from the drill's event log alone; see Integrity to check it."),
    ]
    return [*head, *chain_evidence(r), *overview(r), *objectives(r), *findings(r), *timeline(r), *msel_as_played(r), *roles(r), *appendices(r),
            *ics214.appendix(r.activity_logs)]
