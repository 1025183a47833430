"""After-action report / improvement plan: figures from the event log, as Markdown, HTML or JSON."""

# `build_report` folds a drill's events into a frozen `Report`; the renderers turn
# that one tree into text, so every format shows the same figures. No I/O here:
# the CLI reads the log and writes the file.

from drilltui.report.build import build_report
from drilltui.report.html import render_html
from drilltui.report.json import render_json, report_to_dict
from drilltui.report.markdown import render_markdown
from drilltui.report.model import FORMAT, Report

RENDERERS = {"md": render_markdown, "html": render_html, "json": render_json}

__all__ = ["FORMAT", "RENDERERS", "Report", "build_report", "render_html", "render_json", "render_markdown", "report_to_dict"]
