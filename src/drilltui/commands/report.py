"""`drilltui report DRILL`: the after-action report, from the log and the stored scenario only."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say, write_data


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write the after-action report",
        description="Write a drill's After-Action Report / Improvement Plan as Markdown, "
        "self-contained HTML or JSON (docs/report.md, docs/report-json.md).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("--format", choices=("md", "html", "json"), default=None,
                   help="output format (default: from -o's extension, else md)")
    p.add_argument("-o", "--output", metavar="FILE", default="-", help="write here instead of standard output")
    p.set_defaults(func=run)


async def _report(args: argparse.Namespace) -> int:
    from drilltui.journal import DrillJournal
    from drilltui.report import RENDERERS, build_report
    from drilltui.scenario import loads
    from drilltui.store import open_log

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in ("md", "markdown", "html", "htm", "json") else "md"
    path = db_path(args, create=False)
    log = await open_log(path, readonly=True, create=False)
    try:
        record = await log.drill(args.drill)
        scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
        events = await DrillJournal(log, record.id).read(0)
        result = await log.verify(record.id)
    finally:
        await log.close()
    verify = f"drilltui verify {record.id} --db {shlex.quote(f'{path}')}"  # a URL without its password
    report = build_report(scenario, events, drill_id=record.id, last_hash=result.last_hash, verify_command=verify)
    text = RENDERERS[fmt](report)
    if args.output == "-":
        # Markdown is read as it is; HTML and JSON stay exact unless they land on a terminal.
        write_data(text, always_drawn=fmt == "md")
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        say(f"wrote {args.output} ({fmt}, {len(events)} events)", sys.stderr)
    if not result.ok:
        say(f"drilltui: warning: the log of {record.id} does not verify (event {result.first_bad_seq}: {result.reason})",
            sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_report(args))
