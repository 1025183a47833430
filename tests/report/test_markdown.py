"""The Markdown report: GitHub-flavoured tables with the scripted drill's figures."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drilltui.report import Report, render_markdown
from drilltui.report.document import Styled
from drilltui.report.markdown import OTHER_SPACE, _cell, md_escape, row_cells


@pytest.fixture(scope="module")
def md(report: Report) -> str:
    return render_markdown(report)


def lines(md: str) -> set[str]:
    return set(md.splitlines())


def test_heading_and_escaped_title(md: str) -> None:
    assert md.startswith('# After-Action Report / Improvement Plan: Outbound \\<script>alert("x")\\</script> & exfiltration\n')
    # Every `<` is backslash-escaped, so no renderer sees a tag.
    assert re.search(r"(?<!\\)<", md) is None


def test_summary_sentence_reads_well(md: str) -> None:
    assert md.splitlines()[2] == ("A drill of scenario aar-test, drill d-7f3a, on 2027-01-15: 5 of 6 planned injects "
                                  "released, 3 escalations, 1 deadline missed. Built from the drill's event log alone; "
                                  "the Evidence and Integrity sections say how to check it.")


@pytest.mark.parametrize("row", [
    "| Exercise type | Drill |",
    "| Dates | 2027-01-15 08:00:00 UTC to 08:11:15 UTC |",
    "| Objectives | O1: Acknowledge alerts within five minutes; O2: Decide on containment; O3: Inform the public |",
    "| Participants | 5 people in 5 roles (see the participants appendix) |",
    "| Started | T+00:00:00 at 2027-01-15 08:00:00 UTC |",
    "| Ended | T+00:12:00 at 2027-01-15 08:11:15 UTC |",
    "| Planned duration | 20m |",
    "| Drill time at end | 12m (T+00:12:00) |",
    "| Wall-clock duration | 11m15s (2m of it paused) |",
    "| Injects released | 5 of 6 |",
    "| Escalations | 3 |",
    "| Median time to acknowledge | 1m30s |",
    "| SOC Analyst | player | Ana |",
    "| Observer | observer | — |",
    "| T+00:03:30 | 2027-01-15 08:03:30 UTC | 2027-01-15 08:05:30 UTC | 2m | Dana | — |",
    "| T+00:03:30 | 2027-01-15 08:05:30 UTC | 1x | 2x | 2m45s | Dana |",
    "| T+00:09:00 | 2027-01-15 08:08:15 UTC | 2x | 1x | 3m | Dana |",
])
def test_overview_rows(md: str, row: str) -> None:
    assert row in lines(md)


def test_objective_rows(md: str) -> None:
    got = lines(md)
    assert ("| O1: Acknowledge alerts within five minutes | Operational Coordination | S — Performed with some challenges "
            "| — |") in got
    assert "| O3: Inform the public | Public Information and Warning | not rated | — |" in got
    assert "Rating: S — Performed with some challenges. Rationale: I-5 missed its deadline (Eve (Evaluator), T+00:11:40)." in got
    assert "Rated 2 times; the latest counts. Earlier: M at T+00:11:40 by Eve (Evaluator)." in got
    assert "| I-4 | Second spike | not reached | not reached |" in got
    assert "| T+00:11:40 | Eve (Evaluator) | I-5, O1 | I-5 sat unacknowledged \\| until \\<b>escalated\\</b> |" in got
    assert "| observation | The room was noisy | Eve (Evaluator) at T+00:11:40 |" in got


def test_timeline_rows(md: str) -> None:
    got = lines(md)
    assert "| I-5 | Badge reader alarm | T+00:05:00 | scheduled | SOC Analyst | T+00:09:00 by Ben (Security Lead) | 4m |" in got
    assert "| I-5 | 1 | 1 | — | T+00:11:30 by Ben (Security Lead) | 6m30s | resolved |" in got
    assert ("| I-2 | Follow-up from the vendor | T+00:03:30 | triggered (I-1 acknowledged +2m) | Security Lead | "
            "T+00:05:00 by Ben (Security Lead) | 1m30s |") in got
    assert "| I-4 | Second spike | not reached | after I-1 decision:watch | SOC Analyst | — | — |" in got
    assert "| I-4 | — | — | — | — | — | not reached |" in got
    # Each escalation row says who escalated it.
    assert "| I-6 | T+00:10:30 | Ben (Security Lead) | Security Lead | Incident Commander | 2 | T+00:20:30 |" in got
    assert "| I-5 | T+00:07:00 | the drill: the deadline passed | SOC Analyst | Security Lead | 1 | T+00:12:00 |" in got
    assert "| I-5 | T+00:07:00 | SOC Analyst |" in got
    assert ("| I-1 | Isolate the cluster? | isolate: Isolate now | taken by Ana (SOC Analyst) at T+00:02:00 | "
            "I-3 released T+00:02:00 |") in got
    assert "| I-1 | Isolate the cluster? | watch: Keep watching | not taken | I-4 not reached |" in got


def test_role_rows(md: str) -> None:
    got = lines(md)
    assert "| Security Lead | 3 | 2 | 1m45s | 2m | 1 | 0 | 1 | 0 | 1 |" in got
    assert "| SOC Analyst | 3 | 1 | 30s | 30s | 2 | 1 | 1 | 1 | 1 |" in got
    assert "| Incident Commander | 2 | 2 | 38s | 45s | 0 | 0 | 1 | 0 | 0 |" in got
    assert "| Security Lead | 2 | 1m45s | 2m | 5m |" in got  # the numbers beside the time-to-acknowledge picture


def test_findings_plan_and_integrity_rows(md: str) -> None:
    got = lines(md)
    assert "| O2 | Fast containment decision | Eve (Evaluator) at T+00:11:40 |" in got
    assert "| O1 | SOC missed the I-5 deadline | Eve (Evaluator) at T+00:11:40 |" in got
    assert ("| Missed deadlines | Add a second on-call pager | Operational Coordination | O1 | Security Lead | 2027-01-15 "
            "| 2027-03-01 |") in got
    assert "| Clock confusion after the pause | Brief controllers on pausing | — | — | Exercise Control | 2027-01-15 | — |" in got
    assert "| Events | 40 (seq 1 to 40) |" in got
    assert f"| Hash of the last event | {'ab' * 32} |" in got
    assert "```sh\ndrilltui verify d-7f3a --db /srv/drills/drills.db\n```" in md


def test_sections_in_aar_ip_order_with_appendices_lettered(md: str) -> None:
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == ["## Exercise overview", "## Executive summary", "## Analysis of objectives",
                     "## Appendix A: Improvement plan", "## Appendix B: Timeline", "## Appendix C: The MSEL as played",
                     "## Appendix D: Participants", "## Appendix E: Response times by role",
                     "## Appendix F: Clock and speed changes", "## Appendix G: Notes and observations",
                     "## Appendix H: Activity logs (ICS-214)", "## Appendix I: Corrections", "## Appendix J: Integrity"]


def test_every_table_row_has_its_header_width(md: str) -> None:
    width = None
    for line in md.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(line.replace("\\|", "").split("|"))
        if width is None:
            width = cells
        assert cells == width, line


def test_md_escape() -> None:
    assert md_escape("a|b <i>x</i>\nnext") == "a\\|b \\<i>x\\</i> next"
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("[link](x) *em* `code`") == "\\[link\\](x) \\*em\\* \\`code\\`"


def test_renders_as_tables_and_never_as_markup(md: str) -> None:
    # markdown-it (CommonMark with GFM tables, raw HTML allowed) stands in for GitHub:
    # user text must come out as text, and every table as a table.
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<table>") == md.count("\n|---|")
    for tag in ("<script", "<img", "<b>", "<i>"):
        assert tag not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "I-5 sat unacknowledged | until &lt;b&gt;escalated&lt;/b&gt;" in html


_TEXT = st.text(st.sampled_from(list("ab #>+=-|\\`*_[]<\n\t\u00a0\x1f ")), max_size=8) | st.text(max_size=8)


@settings(max_examples=800, deadline=None)
@given(st.lists(_TEXT | st.builds(Styled, _TEXT, st.sampled_from(["struck", "late", ""])), max_size=5))
def test_a_row_renders_as_its_cells_escaped_one_by_one(row: list) -> None:
    assert list(row_cells(tuple(row))) == [_cell(c) for c in row]


def test_the_listed_spaces_are_what_split_splits_on() -> None:
    spaces = {c for c in map(chr, range(0x110000)) if len(f"a{c}b".split()) == 2} - {" ", "\n"}
    assert {c for c in spaces if re.fullmatch(f"[{OTHER_SPACE}]", c)} == spaces
    assert all(not re.fullmatch(f"[{OTHER_SPACE}]", chr(c)) or chr(c) in spaces for c in range(0x110000))
