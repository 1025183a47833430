"""The HTML report: well-formed, self-contained, escaped, accessible, with the SVG timeline."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from drilltui.report import Report, render_html
from drilltui.report.svg import timeline_svg

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Tree(HTMLParser):
    """Checks nesting as it parses and keeps what the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()
        self.marks: Counter[str] = Counter()
        self.legend: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.th_without_scope = 0
        self.tables_without_caption = 0
        self._table_first: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)  # <circle/>: opened and closed at once

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        a = dict(attrs)
        self.attrs += [(tag, k, v) for k, v in attrs]
        if "data-mark" in a:
            self.marks[a["data-mark"] or ""] += 1
        if "data-legend" in a:
            self.legend.append(a["data-legend"] or "")
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        if self._table_first and self._table_first[-1] is None:
            self._table_first[-1] = tag
        if tag == "table":
            self._table_first.append(None)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag == "table" and self._table_first.pop() != "caption":
            self.tables_without_caption += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def tree(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    t.close()
    return t


def test_well_formed(html: str, tree: Tree) -> None:
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert tree.errors == []
    assert tree.stack == []  # nothing left unclosed
    assert tree.tags["html"] == tree.tags["head"] == tree.tags["body"] == tree.tags["main"] == 1


def test_self_contained(html: str, tree: Tree) -> None:
    assert "http://" not in html
    # The one https:// is the text of an inject title, escaped: no element points anywhere.
    assert html.count("https://") == html.count("&lt;img src=&quot;https://evil.example/x.png&quot;")
    for tag, key, value in tree.attrs:
        if key in ("src", "href", "xlink:href", "action", "srcset"):
            assert value is not None and value.startswith("#"), (tag, key, value)
    assert tree.tags["script"] == tree.tags["link"] == tree.tags["img"] == tree.tags["iframe"] == 0
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html


def test_user_text_is_escaped(html: str, tree: Tree) -> None:
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; exfiltration" in html
    text = "".join(tree.text)
    assert 'Outbound <script>alert("x")</script> & exfiltration' in text  # shown as text, not run
    assert "I-5 sat unacknowledged | until <b>escalated</b>" in text


def test_accessible_tables(tree: Tree) -> None:
    assert tree.tags["table"] >= 15
    assert tree.tables_without_caption == 0
    assert tree.th_without_scope == 0
    assert tree.tags["caption"] == tree.tags["table"]


def test_ratings_carry_letters_and_words(html: str) -> None:
    assert '<span class="rating rating-S">S — Performed with some challenges</span>' in html
    assert '<span class="rating rating-P">P — Performed without challenges</span>' in html
    assert '<span class="rating rating-none">not rated</span>' in html


def test_svg_marks(tree: Tree) -> None:
    assert tree.tags["svg"] == 3  # the timeline, time to acknowledge per role, activity over time
    # 5 released, 5 acknowledged (I-1, I-3, I-2, I-5, I-6), 3 escalations, 1 expiry, 3 resolved.
    assert dict(tree.marks) == {"release": 5, "ack": 5, "escalation": 3, "expiry": 1, "resolve": 3}
    assert tree.legend == ["release", "ack", "escalation", "expiry", "resolve"]


def test_svg_rows_axis_and_titles(report: Report) -> None:
    svg = timeline_svg(report)
    rows = re.findall(r'<g class="row" data-inject="([^"]+)">', svg)
    assert rows == ["I-1", "I-3", "I-2", "I-5", "I-6", "I-4"]
    # 720 s of drill: ticks every 2 minutes, labelled T+HH:MM.
    assert re.findall(r'class="tick"[^>]*>([^<]+)<', svg) == [
        "T+00:00", "T+00:02", "T+00:04", "T+00:06", "T+00:08", "T+00:10", "T+00:12"]
    assert "Drill time (T+HH:MM)" in svg
    assert "not reached" in svg
    assert "<title>I-5 escalated T+00:07:00 from SOC Analyst to Security Lead (level 1, deadline)</title>" in svg
    assert '<title id="chart-title">Timeline of injects</title>' in svg and 'aria-labelledby="chart-title chart-desc"' in svg


def test_mark_positions_follow_drill_time(report: Report) -> None:
    svg = timeline_svg(report)
    # Release of I-1 at T+60 of a 720 s axis: x = 150 + (960 - 150 - 44) * 60 / 720.
    x = 150 + (960 - 150 - 44) * 60 / 720
    assert f'data-mark="release"><title>I-1 released T+00:01:00 (scheduled) to SOC Analyst</title><circle cx="{x:.1f}"' in svg


def test_same_figures_as_markdown(html: str) -> None:
    assert "<th scope=\"row\">Security Lead</th><td>3</td><td>2</td><td>1m45s</td><td>2m</td>" in html
    assert "<pre tabindex=\"0\"><code>drilltui verify d-7f3a --db /srv/drills/drills.db</code></pre>" in html
