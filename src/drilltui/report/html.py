"""The report as one self-contained, printable, accessible HTML file (no network, no scripts)."""

from __future__ import annotations

from html import escape

from drilltui.report.document import Block, Chart, Code, Heading, Para, Styled, Table, document
from drilltui.report.model import Report
from drilltui.report.svg import timeline_svg

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1180px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
nav ul { columns: 2; padding-left: 1.2rem; }
a { color: #0b4f8a; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1.2rem; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid #bfc4ca; padding: .28rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #e9edf2; }
tbody th { font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #f8f9fa; }
.rating { display: inline-block; padding: 0 .4em; border: 1px solid; border-radius: 3px; font-weight: 600; }
.rating-P { background: #e3f4ea; border-color: #2e7d4f; }
.rating-S { background: #fff5cc; border-color: #8a6d00; }
.rating-M { background: #ffe4c7; border-color: #a34f00; }
.rating-U { background: #fbdcdc; border-color: #a31d1d; }
.rating-none { border-style: dashed; border-color: #777; font-weight: normal; }
.status-not-reached { color: #555; font-style: italic; }
.status-expired, .status-escalated { font-weight: 600; }
.empty { color: #555; font-style: italic; }
.verdict { font-weight: 600; }
.verdict-failed { color: #a31d1d; }
figure { margin: .6rem 0 1rem; }
figcaption { font-size: .85rem; color: #444; }
svg.timeline { max-width: 100%; height: auto; border: 1px solid #d5d9de; background: #fff; }
svg.timeline text { font: 12px system-ui, -apple-system, "Segoe UI", Arial, sans-serif; fill: #222; }
svg.timeline .grid { stroke: #e4e7ea; }
svg.timeline .axis { stroke: #444; }
svg.timeline .life { stroke: #9aa0a6; stroke-width: 2; }
svg.timeline .not-reached { fill: #666; font-style: italic; }
svg.timeline .axis-title { font-weight: 600; }
pre { background: #f3f4f6; border: 1px solid #d5d9de; padding: .6rem .8rem; overflow-x: auto; }
code { font: .9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8.5pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { overflow: visible; }
  table, figure, pre { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  .rating, svg.timeline { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _cell(c: str | Styled) -> str:
    if isinstance(c, Styled):
        return f'<span class="{escape(c.css)}">{escape(c.text)}</span>'
    return escape(c)


def _table(t: Table) -> str:
    if not t.rows:
        return f'<p class="empty">{escape(t.caption)}: none.</p>'
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in t.headers)
    body = []
    for row in t.rows:
        first, rest = row[0], row[1:]
        body.append(f'<tr><th scope="row">{_cell(first)}</th>' + "".join(f"<td>{_cell(c)}</td>" for c in rest) + "</tr>")
    return (f'<div class="table-wrap"><table><caption>{escape(t.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>")


def _block(block: Block, report: Report | None) -> str:
    if isinstance(block, Heading):
        n = block.level
        return f'<h{n} id="{escape(block.anchor)}">{escape(block.text)}</h{n}>'
    if isinstance(block, Para):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart) and report is not None:
        return ("<figure>" + timeline_svg(report) + "<figcaption>Timeline of injects along drill time. Shapes, not "
                "only colours, tell the marks apart; hover a mark for its details.</figcaption></figure>")
    if isinstance(block, Code):
        return f"<pre><code>{escape(block.text)}</code></pre>"
    raise TypeError(type(block).__name__)  # pragma: no cover - every block kind is handled


def render_html(report: Report) -> str:
    """One HTML file: inline CSS and SVG, no external resources, every text escaped."""
    return blocks_html(document(report), report.format, report)


def blocks_html(blocks: list[Block], generator: str, report: Report | None = None) -> str:
    """Report blocks as one HTML file (the report's, or another document's such as the ICS-214 logs)."""
    title = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "After-Action Report")
    toc = "".join(f'<li><a href="#{escape(b.anchor)}">{escape(b.text)}</a></li>'
                  for b in blocks if isinstance(b, Heading) and b.level == 2)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="drilltui ({escape(generator)})">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]
    section_open = False
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            parts.append(f"<header>{_block(block, report)}")
            continue
        if isinstance(block, Heading) and block.level == 2:
            if section_open:
                parts.append("</section>")
            else:
                # The header ends, and the contents list comes, before the first section.
                parts.append(f'</header>\n<nav aria-label="Contents"><ul>{toc}</ul></nav>\n<main>')
            parts.append(f'<section aria-labelledby="{escape(block.anchor)}">')
            section_open = True
        parts.append(_block(block, report))
    if section_open:
        parts.append("</section>\n</main>")
    else:
        parts.append("</header>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
