"""The Markdown report: GitHub-flavoured tables with the scripted drill's figures."""

from __future__ import annotations

import re

import pytest

from drilltui.report import Report, render_markdown
from drilltui.report.markdown import md_escape


@pytest.fixture(scope="module")
def md(report: Report) -> str:
    return render_markdown(report)


def lines(md: str) -> set[str]:
    return set(md.splitlines())


def test_heading_and_escaped_title(md: str) -> None:
    assert md.startswith('# After-Action Report: Outbound \\<script>alert("x")\\</script> & exfiltration\n')
    # Every `<` is backslash-escaped, so no renderer sees a tag.
    assert re.search(r"(?<!\\)<", md) is None


@pytest.mark.parametrize("row", [
    "| Exercise type | drill |",
    "| Date | 2027-01-15 |",
    "| Started | T+00:00:00 at 2027-01-15 08:00:00 UTC |",
    "| Ended | T+00:12:00 at 2027-01-15 08:11:15 UTC |",
    "| Planned duration | 20m |",
    "| Drill time at end | 12m (T+00:12:00) |",
    "| Wall-clock duration | 11m15s (2m of it paused) |",
    "| Injects released | 5 |",
    "| Escalations | 3 |",
    "| soc | SOC Analyst | player | Ana |",
    "| obs | Observer | observer | — |",
    "| T+00:03:30 | 2027-01-15 08:03:30 UTC | 2027-01-15 08:05:30 UTC | 2m | Dana | — |",
    "| T+00:03:30 | 2027-01-15 08:05:30 UTC | 1x | 2x | 2m45s | Dana |",
    "| T+00:09:00 | 2027-01-15 08:08:15 UTC | 2x | 1x | 3m | Dana |",
])
def test_overview_rows(md: str, row: str) -> None:
    assert row in lines(md)


def test_objective_rows(md: str) -> None:
    got = lines(md)
    assert ("| O1 | Acknowledge alerts within five minutes | Operational Coordination | S — Performed with some challenges "
            "| I-5 missed its deadline | Eve (eval) at T+00:11:40 |") in got
    assert "| O3 | Inform the public | Public Information and Warning | not rated | — | — |" in got
    assert "Rated 2 times; the latest counts. Earlier: M at T+00:11:40 by Eve (eval)." in got
    assert "| I-4 | Second spike | not reached | not reached |" in got
    # A pipe and markup in a note are escaped, so the table keeps its columns.
    assert "| T+00:11:40 | observation | Eve (eval) | I-5 sat unacknowledged \\| until \\<b>escalated\\</b> |" in got


def test_timeline_rows(md: str) -> None:
    got = lines(md)
    assert ("| I-5 | Badge reader alarm | T+00:05:00 | scheduled | soc | T+00:09:00 by Ben (lead) | 4m | 1 | 1 | — "
            "| T+00:11:30 by Ben (lead) | 6m30s | resolved |") in got
    assert ("| I-2 | Follow-up from the vendor | T+00:03:30 | triggered (I-1 acknowledged +2m) | lead | "
            "T+00:05:00 by Ben (lead) | 1m30s | — | 0 | — | — | — | acknowledged |") in got
    assert "| I-4 | Second spike | not reached | after I-1 decision:watch | soc | — | — | — | — | — | — | — | not reached |" in got
    assert "| I-6 | T+00:10:30 | lead | ic | 2 | manual | T+00:20:30 | soc -> lead -> ic |" in got
    assert "| I-5 | T+00:07:00 | soc |" in got
    assert "| I-1 | Isolate the cluster? | isolate: Isolate now | taken by Ana (soc) at T+00:02:00 | I-3 released T+00:02:00 |" in got
    assert "| I-1 | Isolate the cluster? | watch: Keep watching | not taken | I-4 not reached |" in got


def test_role_rows(md: str) -> None:
    got = lines(md)
    assert "| lead | Security Lead | 3 | 2 | 1m45s | 2m | 1 | 0 | 1 | 0 | 1 |" in got
    assert "| soc | SOC Analyst | 3 | 1 | 30s | 30s | 2 | 1 | 1 | 1 | 1 |" in got
    assert "| ic | Incident Commander | 2 | 2 | 38s | 45s | 0 | 0 | 1 | 0 | 0 |" in got


def test_findings_plan_and_integrity_rows(md: str) -> None:
    got = lines(md)
    assert "| O2 | Cybersecurity | Fast containment decision | Eve (eval) at T+00:11:40 |" in got
    assert "| O1 | Operational Coordination | SOC missed the I-5 deadline | Eve (eval) at T+00:11:40 |" in got
    assert "| general | — | — | The room was noisy | Eve (eval) at T+00:11:40 |" in got
    assert "| Missed deadlines | Add a second on-call pager | Operational Coordination | O1 | Security Lead (lead) | 2027-03-01 |" in got
    assert "| Clock confusion after the pause | Brief controllers on pausing | — | — | Exercise Control (control) | — |" in got
    assert "| Events | 40 (seq 1 to 40) |" in got
    assert f"| Hash of the last event | {'ab' * 32} |" in got
    assert "```sh\ndrilltui verify d-7f3a --db /srv/drills/drills.db\n```" in md


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
