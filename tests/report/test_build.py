"""The report's figures, checked exactly against the scripted drill in conftest."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from memjournal import MemoryJournal, VirtualWall
from samples import MINIMAL

from drilltui.engine import Drill, Event
from drilltui.engine import commands as c
from drilltui.report import FORMAT, Report, build_report
from drilltui.report.model import Moment
from drilltui.scenario import Scenario, loads

# As conftest.py builds the report.
DRILL_ID = "d-7f3a"
LAST_HASH = "ab" * 32
VERIFY = "drilltui verify d-7f3a --db /srv/drills/drills.db"


def test_overview(report: Report) -> None:
    o = report.overview
    assert report.format == FORMAT == "drilltui-report/1"
    assert (o.drill_id, o.scenario_id, o.exercise_type, o.date, o.status) == (DRILL_ID, "aar-test", "drill", "2027-01-15", "ended")
    assert o.scenario_title == 'Outbound <script>alert("x")</script> & exfiltration'
    assert o.started == Moment(0.0, "2027-01-15T08:00:00.000000Z")
    assert o.ended == Moment(720.0, "2027-01-15T08:11:15.000000Z")
    assert (o.planned_duration_seconds, o.drill_seconds, o.wall_seconds, o.paused_wall_seconds) == (1200, 720.0, 675.0, 120.0)
    assert [(p.role, p.names) for p in o.participants] == [
        ("control", ("Dana",)), ("ic", ("Cy",)), ("lead", ("Ben",)), ("soc", ("Ana",)), ("eval", ("Eve",)), ("obs", ()),
    ]
    [pause] = o.pauses
    assert (pause.paused.drill_time, pause.paused.wall_time, pause.resumed, pause.wall_seconds, pause.by) == (
        210.0, "2027-01-15T08:03:30.000000Z", Moment(210.0, "2027-01-15T08:05:30.000000Z"), 120.0, "Dana")
    assert [(s.at.drill_time, s.from_factor, s.to_factor, s.wall_seconds) for s in o.speed_changes] == [
        (210.0, 1.0, 2.0, 165.0), (540.0, 2.0, 1.0, 180.0),
    ]
    t = o.totals
    assert (t.injects_planned, t.injects_released, t.injects_not_reached, t.acknowledged, t.resolved) == (6, 5, 1, 5, 3)
    assert (t.escalations, t.expirations, t.decisions, t.notes, t.observations) == (3, 1, 1, 2, 3)


def test_inject_timeline(report: Report) -> None:
    assert [(t.id, t.status) for t in report.injects] == [
        ("I-1", "resolved"), ("I-3", "acknowledged"), ("I-2", "acknowledged"), ("I-5", "resolved"), ("I-6", "resolved"),
        ("I-4", "not reached"),
    ]
    i1, i3, i2, i5, i6, i4 = report.injects
    assert (i1.release.at.drill_time, i1.release.via, i1.release.to_role, i1.release.deadline) == (60.0, "scheduled", "soc", Moment(180.0))
    assert (i1.ack_seconds, i1.resolve_seconds, i1.chain, i1.top_level) == (30.0, 630.0, ("soc",), 0)
    assert (i1.decision.option, i1.decision.label, i1.decision.by, i1.decision.since_release_seconds) == ("isolate", "Isolate now", "Ana", 60.0)
    assert (i3.release.via, i3.release.cause, i3.release.at.drill_time, i3.ack_seconds) == ("triggered", "I-1 decision:isolate", 120.0, 30.0)
    assert (i2.release.cause, i2.release.at.drill_time, i2.ack_seconds, i2.resolution) == ("I-1 acknowledged +2m", 210.0, 90.0, None)

    # I-5: soc let the deadline pass; it escalated to lead, who acknowledged 120 s after receiving it.
    assert [(x.at.drill_time, x.role, x.deadline.drill_time) for x in i5.expirations] == [(420.0, "soc", 420.0)]
    assert [(x.from_role, x.to_role, x.reason, x.level, x.by, x.deadline.drill_time) for x in i5.escalations] == [
        ("soc", "lead", "deadline", 1, "system", 720.0)]
    [ack] = i5.acknowledgements
    assert (ack.role, ack.holder, ack.received.drill_time, ack.since_release_seconds, ack.since_received_seconds) == (
        "lead", "lead", 420.0, 240.0, 120.0)
    assert (i5.chain, i5.top_level, i5.resolve_seconds, i5.resolution.by) == (("soc", "lead"), 1, 390.0, "Ben")

    # I-6: released by hand, escalated by hand two levels, to the root.
    assert (i6.release.via, i6.release.by, i6.release.by_role, i6.plan) == ("manual", "Dana", "control", "manual")
    assert [(x.at.drill_time, x.from_role, x.to_role, x.level, x.reason, x.by) for x in i6.escalations] == [
        (570.0, "soc", "lead", 1, "manual", "Ana"), (630.0, "lead", "ic", 2, "manual", "Ben")]
    assert (i6.chain, i6.top_level, i6.ack_seconds, i6.acknowledgements[0].since_received_seconds) == (("soc", "lead", "ic"), 2, 135.0, 45.0)
    assert (i6.resolve_seconds, i6.holder) == (160.0, "ic")

    assert (i4.release, i4.plan, i4.acknowledgements, i4.ack_seconds) == (None, "after I-1 decision:watch", (), None)


def test_decisions_and_branches(report: Report) -> None:
    [d] = report.decisions
    assert (d.inject, d.prompt, d.status, d.decision.option, d.decision.role) == ("I-1", "Isolate the cluster?", "decided", "isolate", "soc")
    assert [(b.option, b.taken, [(i.inject, i.released) for i in b.injects]) for b in d.branches] == [
        ("isolate", True, [("I-3", Moment(120.0, "2027-01-15T08:02:00.000000Z"))]),
        ("watch", False, [("I-4", None)]),
    ]


def test_roles(report: Report) -> None:
    rows = {r.role: r for r in report.roles}
    assert list(rows) == ["ic", "lead", "soc", "eval"]  # players always, others when they did something
    figures = {
        k: (r.received, r.acknowledged, r.median_ack_seconds, r.worst_ack_seconds, r.escalated_away,
            r.deadlines_missed, r.resolved, r.decisions, r.notes_written)
        for k, r in rows.items()
    }
    assert figures == {
        "ic": (2, 2, 37.5, 45.0, 0, 0, 1, 0, 0),
        "lead": (3, 2, 105.0, 120.0, 1, 0, 1, 0, 1),
        "soc": (3, 1, 30.0, 30.0, 2, 1, 1, 1, 1),
        "eval": (0, 0, None, None, 0, 0, 0, 0, 3),
    }


def test_objectives(report: Report) -> None:
    o1, o2, o3 = report.objectives
    assert (o1.rating.rating, o1.rating.label, o1.rating.comment, o1.rating.by) == (
        "S", "Performed with some challenges", "I-5 missed its deadline", "Eve")
    assert [e.inject for e in o1.evidence] == ["I-1", "I-2", "I-5"]
    assert o1.evidence[2].outcome == ("released T+00:05:00 (scheduled) to SOC Analyst; 1 deadline missed; escalated "
                                      "SOC Analyst -> Security Lead (level 1); acknowledged by Security Lead after 4m; "
                                      "resolved by Security Lead after 6m30s")
    assert [n.text for n in o1.notes] == ["SOC acknowledged I-1 within 30 seconds",
                                          "I-5 sat unacknowledged | until <b>escalated</b>"]
    assert (o2.rating.rating, [h.rating for h in o2.history], o2.capability) == ("P", ["M", "P"], "Cybersecurity")
    assert [(e.inject, e.status, e.outcome) for e in o2.evidence][2] == ("I-4", "not reached", "not reached")
    assert (o3.rating, o3.history, o3.evidence, o3.notes) == (None, (), (), ())


def test_findings_and_improvement_plan(report: Report) -> None:
    assert [(f.text, f.objective, f.capability) for f in report.strengths] == [("Fast containment decision", "O2", "Cybersecurity")]
    assert [(f.text, f.objective, f.capability) for f in report.improvements] == [
        ("SOC missed the I-5 deadline", "O1", "Operational Coordination")]
    assert [(f.objective, f.inject) for f in report.observations] == [("O1", "I-1"), ("O1", "I-5"), (None, None)]
    assert [(p.issue, p.corrective_action, p.capability, p.owner_role, p.owner_title, p.due) for p in report.improvement_plan] == [
        ("Missed deadlines", "Add a second on-call pager", "Operational Coordination", "lead", "Security Lead", "2027-03-01"),
        ("Clock confusion after the pause", "Brief controllers on pausing", None, "control", "Exercise Control", ""),
    ]
    assert [(n.kind, n.by_role) for n in report.notes] == [
        ("note", "soc"), ("note", "lead"), ("observation", "eval"), ("observation", "eval"), ("observation", "eval")]


def test_integrity(report: Report, events: list[Event], scenario: Scenario) -> None:
    i = report.integrity
    assert (i.event_count, i.first_seq, i.last_seq) == (len(events), 1, events[-1].seq) == (40, 1, 40)
    assert (i.last_hash, i.verify_command, i.scenario_sha256) == (LAST_HASH, VERIFY, scenario.sha256)


def test_report_is_frozen_and_pure(report: Report, scenario: Scenario, events: list[Event]) -> None:
    with pytest.raises(FrozenInstanceError):
        report.overview.status = "x"  # type: ignore[misc]
    again = build_report(scenario, list(events), drill_id=DRILL_ID, last_hash=LAST_HASH, verify_command=VERIFY)
    assert again == report


def test_empty_log_reports_a_drill_never_started() -> None:
    scenario = loads(MINIMAL)
    r = build_report(scenario, [], drill_id="x", last_hash="", verify_command="drilltui verify x")
    assert (r.overview.status, r.overview.date, r.overview.started, r.overview.drill_seconds) == ("ready", None, None, 0.0)
    assert [t.status for t in r.injects] == ["not reached"] * 4
    assert (r.integrity.event_count, r.integrity.first_seq) == (0, None)


async def test_still_paused_at_the_end_of_the_log() -> None:
    scenario = loads(MINIMAL)
    wall = VirtualWall()
    d = Drill(scenario, MemoryJournal(), participant="Dana", role="control", wall=wall)
    await d.execute(c.Start())
    wall.advance(30)
    await d.execute(c.Pause())
    wall.advance(300)
    await d.execute(c.Join("Sam"), role="soc", participant="Sam")  # the last event, while paused
    r = build_report(scenario, d.journal.events, drill_id="x", last_hash="h", verify_command="v")  # type: ignore[attr-defined]
    [p] = r.overview.pauses
    assert (p.resumed, p.wall_seconds, r.overview.status, r.overview.ended) == (None, 300.0, "paused", None)
    assert (r.overview.drill_seconds, r.overview.wall_seconds, r.overview.paused_wall_seconds) == (30.0, 330.0, 300.0)


async def test_corrections_are_reported_as_corrected_with_the_originals_in_an_appendix() -> None:
    """An amended note reads amended, a withdrawn rating is left out (the earlier one counts again), and an
    appendix lists each correction with the original."""
    from memjournal import MemoryJournal, VirtualWall
    from samples import MINIMAL

    from drilltui.engine import Drill
    from drilltui.engine import commands as c
    from drilltui.report import RENDERERS, build_report
    from drilltui.scenario import loads

    wall = VirtualWall()
    drill = Drill(loads(MINIMAL), MemoryJournal(clock=wall), participant="Dana", role="control", wall=wall)
    await drill.execute(c.Start())
    [note] = await drill.execute(c.AddNote("lead paged at 14:07"), participant="Eve", role="eval")
    await drill.execute(c.Rate("O1", "S", "acknowledged within four minutes"), participant="Eve", role="eval")
    [wrong] = await drill.execute(c.Rate("O1", "U", "nobody acknowledged it at all"), participant="Eve", role="eval")
    await drill.execute(c.Amend(note.seq, "lead paged at 14:09", reason="clock was off"), participant="Eve", role="eval")
    await drill.execute(c.Retract(wrong.seq, "rated the wrong drill"), participant="Eve", role="eval")
    report = build_report(drill.scenario, list(drill.journal.events), drill_id="d", last_hash="", verify_command="v")  # type: ignore[attr-defined]
    assert [n.text for n in report.notes] == ["lead paged at 14:09"]
    o1 = next(o for o in report.objectives if o.id == "O1")
    assert o1.rating is not None and o1.rating.rating == "S"
    assert [(x.what, x.action, x.original) for x in report.corrections] == [
        ("note", "amended", "lead paged at 14:07"), ("rating", "retracted", "O1 U: nobody acknowledged it at all")]
    md = RENDERERS["md"](report)
    assert "~~lead paged at 14:07~~" in md and "clock was off" in md and "withdrawn" in md
    assert 'class="struck"' in RENDERERS["html"](report)


def test_the_cover_names_the_threat_and_the_sponsor() -> None:
    from samples import MINIMAL

    from drilltui.report import RENDERERS, build_report
    from drilltui.scenario import loads

    scenario = loads(MINIMAL.replace("duration: 30m\n", "duration: 30m\nthreat: Model weights leaving the cluster\n"
                                     "sponsor: Meridian Labs security office\n", 1))
    report = build_report(scenario, [], drill_id="d", last_hash="", verify_command="v")
    md = RENDERERS["md"](report)
    assert "| Threat or hazard | Model weights leaving the cluster |" in md
    assert "| Sponsor | Meridian Labs security office |" in md
