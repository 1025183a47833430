"""The AAR/IP of a drill with expectations: the executive summary's figures, exactly, in every format."""

from __future__ import annotations

import json

from drilltui.report import Report, render_html, render_json, render_markdown


def test_every_expectation_is_scored_from_the_log(evaluated: Report) -> None:
    got = {x.id: (x.status, x.time_to_action_s, x.settled_by, x.overridden) for x in evaluated.expectations}
    assert got == {
        "X-ack": ("met", 30.0, "log", False),         # acknowledged by the SOC 30 s after release, within 1m
        "X-iso": ("met", 60.0, "evaluator", True),     # missed at T+90 (30 s), overridden: met by phone
        "X-vendor": ("partial", 90.0, "evaluator", False),
        "X-brief": ("not_met", 30.0, "evaluator", False),
        "X-second": ("open", None, "none", False),     # its inject was never reached
        "X-badge": ("missed", None, "log", False),     # the lead acknowledged, not the SOC
        "X-nudge": ("met", 30.0, "log", False),        # the SOC escalated it by hand
    }
    iso = evaluated.expectation("X-iso")
    assert iso is not None and iso.missed is not None and iso.missed.drill_time == 90.0
    assert iso.mark is not None and (iso.mark.overrides, iso.mark.by, iso.mark.by_role) == ("missed", "Eve", "eval")


def test_the_executive_summary_figures(evaluated: Report) -> None:
    s = evaluated.summary
    assert s is not None
    assert (s.expectations, s.met, s.partial, s.not_met, s.missed, s.open, s.overridden) == (7, 3, 1, 1, 1, 1, 1)
    assert s.median_ack_seconds == 90.0  # first acknowledgements 30, 30, 90, 135, 240 s from release
    assert [(o.id, o.rating, o.met, o.expectations) for o in s.objectives] == [("O1", "S", 1, 3), ("O2", "P", 1, 3),
                                                                               ("O3", None, 0, 0)]
    assert [f.text for f in s.strengths] == ["Fast containment decision"]
    assert [f.text for f in s.improvements] == ["SOC missed the I-5 deadline"]
    assert s.head_hash == "ab" * 32 and s.verified is None


def test_the_summary_reads_the_same_in_markdown_and_html(evaluated: Report) -> None:
    md, html = render_markdown(evaluated), render_html(evaluated)
    sentence = ("3 of 7 expectations met, 1 partly met, 1 not met, 1 missed and 1 open; 2 of 3 objectives rated. "
                "Median time to acknowledge an inject: 1m30s.")
    assert sentence in md and sentence in html
    for row in ("| Expectations met | 3 of 7 |", "| Expectations missed | 1 |", "| Scores overridden by an evaluator | 1 |",
                "| O1: Acknowledge alerts within five minutes | Operational Coordination | S — Performed with some "
                "challenges | 1 of 3 |", "| O1 | 1 | 1 | 0 | 1 | 0 | 3 |", "| O2 | 1 | 0 | 1 | 0 | 1 | 3 |"):
        assert row in md.splitlines(), row
    assert md.index("## Executive summary") < md.index("## Analysis of objectives") < md.index("## Appendix A")
    # The expectations picture, with its numbers beside it.
    assert '<svg class="chart chart-expectations"' in html and "Expectations per objective" in html


def test_each_objective_shows_its_tasks_expectations_and_evidence(evaluated: Report) -> None:
    md = render_markdown(evaluated).splitlines()
    assert ("| X-iso | T2: Decide on containment at once | The SOC decides to isolate | I-1 | SOC Analyst | met | 1m | "
            "missed: not met by T+00:01:30; decision:isolate by SOC Analyst later, at T+00:02:00; overridden, marked met "
            "by Eve (Evaluator) at T+00:11:40: isolation was agreed by phone at once |") in md
    assert ("| X-ack | T1: Triage alerts as they arrive | The SOC acknowledges the spike | I-1 | SOC Analyst | met | 30s | "
            "the log met it: acknowledged by SOC Analyst at T+00:01:30 |") in md
    assert "| X-second | T2: Decide on containment at once | The SOC isolates after the second spike | I-4 | SOC Analyst | " \
           "open | — | its inject was not reached |" in md
    # An observation on a task counts for the task's objective.
    assert "| T+00:11:40 | Eve (Evaluator) | I-1, T1 | Triage was quick and calm |" in md


def test_the_json_lists_every_expectation(evaluated: Report) -> None:
    d = json.loads(render_json(evaluated))
    first = d["expectations"][0]
    assert list(first)[:4] == ["id", "inject", "status", "time_to_action_s"]
    assert [(x["id"], x["inject"], x["status"], x["time_to_action_s"]) for x in d["expectations"]] == [
        ("X-ack", "I-1", "met", 30.0), ("X-iso", "I-1", "met", 60.0), ("X-vendor", "I-2", "partial", 90.0),
        ("X-brief", "I-3", "not_met", 30.0), ("X-second", "I-4", "open", None), ("X-badge", "I-5", "missed", None),
        ("X-nudge", "I-6", "met", 30.0)]
    assert all(x["status"] in ("met", "partial", "not_met", "missed", "open") for x in d["expectations"])
    assert d["summary"]["met"] == 3 and d["summary"]["missed"] == 1
    assert [t["id"] for t in d["objectives"][0]["tasks"]] == ["T1", "T3"]


def test_a_log_that_fails_verify_says_so_at_the_top(evaluated: Report) -> None:
    import dataclasses

    from drilltui.report.model import ChainEvidence

    bad = dataclasses.replace(evaluated, chain_evidence=ChainEvidence(
        "full", 40, "ab" * 32, False, "event 12 was changed after it was logged.", ()))
    md, html = render_markdown(bad), render_html(bad)
    assert md.splitlines()[4].startswith("> **Warning:** This drill's event log does NOT verify: event 12 was changed")
    assert html.index('role="alert"') < html.index('id="overview"')
    good = dataclasses.replace(bad, chain_evidence=dataclasses.replace(bad.chain_evidence, verified=True))
    assert "**Warning:**" not in render_markdown(good)


def test_compare_puts_runs_side_by_side(evaluated: Report, report: Report) -> None:
    import dataclasses

    from drilltui.report.compare import compare, render_comparison

    later = dataclasses.replace(evaluated, overview=dataclasses.replace(evaluated.overview, drill_id="d-2", date="2027-02-01"))
    c = compare([later, evaluated])
    assert [r.drill_id for r in c.runs] == ["d-7f3a", "d-2"]
    md = render_comparison(c, "md").splitlines()
    assert "| Expectations met | 3 of 7 | 3 of 7 |" in md
    assert "| Rating | S | S |" in md
    data = json.loads(render_comparison(c, "json"))
    assert data["format"] == "drilltui-compare/1" and data["runs"][0]["objectives"][0]["median_time_to_action_s"] == 60.0  # O1: 30 s and 90 s
