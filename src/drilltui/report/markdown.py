"""The report as GitHub-flavoured Markdown, readable as plain text."""

from __future__ import annotations

import re

from drilltui.report.document import Alert, Block, Cell, Chart, Code, Heading, Para, Styled, Table, cell_text, document
from drilltui.report.model import Report

# Characters that would start Markdown or HTML in text a planner or player typed.
# `<` matters most: a renderer that allows HTML would otherwise run it.
_SPECIAL = re.compile(r"[\\`*_\[\]<|]")  # each one backslashed
_LEADING = frozenset("#>+-=")  # at the start of a line only


def md_escape(text: str) -> str:
    """Text as one Markdown line that renders literally: no markup, no HTML, no table breaks."""
    escaped = " ".join(text.split())
    if _SPECIAL.search(escaped):  # most text has none: looking is cheaper than substituting
        escaped = _SPECIAL.sub(r"\\\g<0>", escaped)
    return "\\" + escaped if escaped[:1] in _LEADING else escaped


# In a row's cells joined by newlines (which no escaped cell holds), whatever md_escape would change:
# a special character, whitespace other than one space between words, or a character that leads a line.
# Every character but space and newline that str.split() splits on (tests/report/test_markdown.py checks the list).
OTHER_SPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CHANGED_CHAR = re.compile("[" + re.escape("\\`*_[]<|") + OTHER_SPACE + "]")  # listed: quicker than [^\S\n ]
_CHANGED_EDGE = re.compile(r"\n[ #>+=-]| \n")  # each alternative starts with a literal: found as fast as `in`
_CHANGED_FIRST = _LEADING | {" "}


def row_cells(row: tuple[Cell, ...]) -> list[str] | tuple[str, ...]:
    """The row's cells as Markdown text; a row of plain text that needs no escaping is its own answer."""
    try:
        joined = "\n".join(row)  # type: ignore[arg-type]  # a styled cell raises TypeError: escaped one by one
    except TypeError:
        return [_cell(c) for c in row]
    if (joined.count("\n") == len(row) - 1 and joined[:1] not in _CHANGED_FIRST and joined[-1:] != " "
            and "  " not in joined and not _CHANGED_CHAR.search(joined) and not _CHANGED_EDGE.search(joined)):
        return row  # type: ignore[return-value]  # every cell is a str
    return [md_escape(c) for c in row]  # type: ignore[arg-type]


def _cell(c: Cell) -> str:
    text = md_escape(cell_text(c))
    return f"~~{text}~~" if text and isinstance(c, Styled) and "struck" in c.css.split() else text


def _table(t: Table) -> list[str]:
    if not t.rows:
        return [f"*{md_escape(t.caption)}: none.*", ""]
    out = [f"**{md_escape(t.caption)}**", ""]
    out.append("| " + " | ".join(md_escape(h) for h in t.headers) + " |")
    out.append("|" + "|".join("---" for _ in t.headers) + "|")
    for row in t.rows:
        out.append("| " + " | ".join(row_cells(row)) + " |")
    out.append("")
    return out


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document, ending with a newline."""
    return render_block_lines(document(report))


def render_block_lines(blocks: list[Block]) -> str:
    """Blocks as one Markdown document, ending with a newline."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + md_escape(block.text), ""]
        elif isinstance(block, Para):
            lines += [md_escape(block.text), ""]
        elif isinstance(block, Table):
            lines += _table(block)
        elif isinstance(block, Alert):
            lines += ["> **Warning:** " + md_escape(block.text), ""]
        elif isinstance(block, Chart):
            if block.table is not None:
                lines += ["The picture of these numbers is in the HTML report.", ""] + _table(block.table)
            else:
                lines += ["The timeline chart is in the HTML report; the tables below carry the same figures.", ""]
        elif isinstance(block, Code):
            fence = "```"
            while fence in block.text:
                fence += "`"
            lines += [fence + "sh", block.text, fence, ""]
    return "\n".join(lines).rstrip("\n") + "\n"
