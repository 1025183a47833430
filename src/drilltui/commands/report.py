"""`drilltui report DRILL`: the after-action report, from the log and the stored scenario only."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

from drilltui.commands.options import add_db, db_path
from drilltui.errors import UserError


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
    p.add_argument("--redact", action="store_true",
                   help="replace participant names and text the scenario marks sensitive with placeholders (docs/report.md)")
    p.set_defaults(func=run)


async def _report(args: argparse.Namespace) -> int:
    from drilltui.evidence.redact import new_seed, seed_of
    from drilltui.evidence.reporting import report_of
    from drilltui.evidence.view import examine, full_view, redacted_view
    from drilltui.report import RENDERERS
    from drilltui.store import EventLog

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in ("md", "markdown", "html", "htm", "json") else "md"
    path = db_path(args, create=False)
    log = await EventLog.open(path, readonly=True, create=False)
    try:
        record = await log.drill(args.drill)
        events = await log.read(record.id)
        result = await log.verify(record.id)
    finally:
        await log.close()
    verify = f"drilltui verify {record.id} --db {shlex.quote(str(path))}"
    seed = seed_of(events)
    if args.redact:
        if not events:
            raise UserError(f"drill {record.id} has no events yet; there is nothing to redact")
        if seed is None:
            print(f"drilltui: note: no attestation of {record.id} brings a redaction seed, so the commitments in this "
                  "report are new ones that nothing signed vouches for", file=sys.stderr)
        view = redacted_view(record, events, seed or new_seed(), "attestation" if seed else "this report")
        examined = examine(view)
        if not result.ok:
            examined = examine(view, result)  # the log's own check speaks for its redacted form
    else:
        view = full_view(record, events) if events else None
        examined = examine(view, result) if view else None
    if view is None or examined is None:
        from drilltui.report import build_report
        from drilltui.scenario import loads

        scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
        report = build_report(scenario, [], drill_id=record.id, last_hash=result.last_hash, verify_command=verify)
    else:
        report = report_of(view, examined, verify)
    text = RENDERERS[fmt](report)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({fmt}, {len(events)} events{', redacted' if args.redact else ''})", file=sys.stderr)
    if not result.ok:
        print(f"drilltui: warning: the log of {record.id} does not verify (event {result.first_bad_seq}: {result.reason})",
              file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_report(args))
