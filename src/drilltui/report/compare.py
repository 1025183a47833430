"""Several drills of one scenario side by side: ratings, expectations met and time to action per objective."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence

from drilltui.frozen import frozen
from drilltui.report.document import Heading, Para, Table
from drilltui.report.html import render_blocks
from drilltui.report.json import _plain
from drilltui.report.markdown import render_block_lines
from drilltui.report.model import Report
from drilltui.report.text import NONE, dur

FORMAT = "drilltui-compare/1"


@frozen
class ObjectiveRun:
    objective: str
    rating: str | None
    expectations: int
    met: int
    median_time_to_action_s: float | None


@frozen
class Run:
    drill_id: str
    date: str | None
    status: str
    expectations: int
    met: int
    missed: int
    median_ack_seconds: float | None
    verified: bool | None
    objectives: tuple[ObjectiveRun, ...]


@frozen
class Comparison:
    format: str
    scenario_id: str
    scenario_title: str
    objectives: tuple[tuple[str, str], ...]  # (id, text), in the scenario's order
    runs: tuple[Run, ...]  # oldest first


def compare(reports: Sequence[Report]) -> Comparison:
    """The runs in date order; every report must be of the same scenario (the caller checks)."""
    runs = []
    for r in sorted(reports, key=lambda x: (x.overview.date or "", x.overview.drill_id)):
        per = []
        for o in r.objectives:
            xs = [r.expectation(x) for x in o.expectations]
            times = [x.time_to_action_s for x in xs if x is not None and x.time_to_action_s is not None]
            per.append(ObjectiveRun(o.id, o.rating.rating if o.rating else None, len(xs),
                                    sum(1 for x in xs if x is not None and x.status == "met"),
                                    float(round(statistics.median(times), 6)) if times else None))
        s = r.summary
        assert s is not None
        runs.append(Run(r.overview.drill_id, r.overview.date, r.overview.status, s.expectations, s.met, s.missed,
                        s.median_ack_seconds, s.verified, tuple(per)))
    first = reports[0].overview
    return Comparison(FORMAT, first.scenario_id, first.scenario_title,
                      tuple((o.id, o.text) for o in reports[0].objectives), tuple(runs))


def blocks(c: Comparison) -> list:
    heads = tuple(f"{run.drill_id} ({run.date or 'no date'})" for run in c.runs)
    out: list = [Heading(1, f"Drills compared: {c.scenario_title}", "top"),
                 Para(f"{len(c.runs)} drills of scenario {c.scenario_id}, oldest first. Each column is one drill.")]
    out.append(Heading(2, "Overall", "overall"))
    out.append(Table("Each drill at a glance", ("Figure", *heads), (
        ("Expectations met", *(f"{r.met} of {r.expectations}" for r in c.runs)),
        ("Expectations missed", *(str(r.missed) for r in c.runs)),
        ("Median time to acknowledge", *(dur(r.median_ack_seconds) for r in c.runs)),
        ("Log verified", *({True: "passed", False: "FAILED", None: "not checked"}[r.verified] for r in c.runs)),
        ("Drill status", *(r.status for r in c.runs)),
    )))
    out.append(Heading(2, "Per objective", "objectives"))
    for n, (oid, text) in enumerate(c.objectives):
        out.append(Table(f"{oid}: {text}", ("Figure", *heads), (
            ("Rating", *(r.objectives[n].rating or "not rated" for r in c.runs)),
            ("Expectations met", *(f"{r.objectives[n].met} of {r.objectives[n].expectations}"
                                   if r.objectives[n].expectations else NONE for r in c.runs)),
            ("Median time to action", *(dur(r.objectives[n].median_time_to_action_s) for r in c.runs)),
        )))
    return out


def render_comparison(c: Comparison, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(_plain(c), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return render_blocks(blocks(c), None, FORMAT)
    return render_block_lines(blocks(c))
