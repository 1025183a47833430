"""`drilltui report DRILL`: the after-action report, from the log and the stored scenario only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say, write_data
from drilltui.errors import UserError

if TYPE_CHECKING:
    from drilltui.report import Report
    from drilltui.store import DrillRecord, StoredEvent, VerifyResult


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write the after-action report",
        description="Write a drill's After-Action Report / Improvement Plan as Markdown, "
        "self-contained HTML or JSON (docs/report.md, docs/report-json.md).",
    )
    p.add_argument("drill", metavar="DRILL", nargs="?", help="drill id (or a unique prefix)")
    p.add_argument("--compare", metavar="DRILL", nargs="+", default=None,
                   help="put several drills of one scenario side by side: ratings, expectations met, time to action")
    add_db(p)
    p.add_argument("--format", choices=("md", "html", "json"), default=None,
                   help="output format (default: from -o's extension, else md)")
    p.add_argument("-o", "--output", metavar="FILE", default="-", help="write here instead of standard output")
    p.add_argument("--redact", action="store_true",
                   help="replace participant names and text the scenario marks sensitive with placeholders (docs/report.md)")
    p.set_defaults(func=run)


def _build(record: DrillRecord, events: list[StoredEvent], result: VerifyResult, redact: bool, verify: str) -> Report:
    """The report of the drill, or of its redacted form, with the evidence section."""
    from drilltui.evidence.redact import new_seed, seed_of
    from drilltui.evidence.reporting import report_of
    from drilltui.evidence.view import examine, full_view, redacted_view
    from drilltui.report import build_report
    from drilltui.scenario import loads

    if not events:
        if redact:
            raise UserError(f"drill {record.id} has no events yet; there is nothing to redact")
        scenario = loads(record.scenario_text, f"<scenario of drill {record.id}>")
        return build_report(scenario, [], drill_id=record.id, last_hash=result.last_hash,
                            verify_command=verify)
    if not redact:
        view = full_view(record, events)
        return report_of(view, examine(view, result), verify)
    if not result.ok:
        # Its redacted form would be a consistent commitment to a log that is not.
        raise UserError(f"the log of {record.id} does not verify (event {result.first_bad_seq}: {result.reason}); "
                        "it is not redacted: see `drilltui verify`")
    seed = seed_of(events)
    if seed is None:
        print(f"drilltui: note: no attestation of {record.id} brings a redaction seed, so the commitments in this "
              "report are new ones that nothing signed vouches for", file=sys.stderr)
    view = redacted_view(record, events, seed or new_seed(), "attestation" if seed else "this report")
    return report_of(view, examine(view), verify)


def _format(args: argparse.Namespace) -> str:
    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in ("md", "markdown", "html", "htm", "json") else "md"
    return str(fmt)


def _write(args: argparse.Namespace, text: str, fmt: str, what: str) -> None:
    if args.output == "-":
        # Markdown is read as it is; HTML and JSON stay exact unless they land on a terminal.
        write_data(text, always_drawn=fmt == "md")
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        say(f"wrote {args.output} ({fmt}, {what})", sys.stderr)


async def _compare(args: argparse.Namespace) -> int:
    from drilltui.evidence.reporting import report_of
    from drilltui.evidence.view import examine, full_view
    from drilltui.report.compare import compare, render_comparison
    from drilltui.store import open_log
    from drilltui.visible import visible

    drills = ([args.drill] if args.drill else []) + list(args.compare)
    if len(drills) < 2:
        raise UserError("--compare needs at least two drills, e.g. drilltui report --compare DRILL DRILL")
    path = db_path(args, create=False)
    log = await open_log(path, readonly=True, create=False)
    reports = []
    try:
        for name in drills:
            record = await log.drill(name)
            events, result = await log.read_verified(record.id)
            if not events:
                raise UserError(f"drill {record.id} has no events yet; there is nothing to compare")
            view = full_view(record, events)
            reports.append(report_of(view, examine(view, result), f"drilltui verify {record.id}"))
    finally:
        await log.close()
    scenarios = {r.overview.scenario_id for r in reports}
    if len(scenarios) > 1:
        raise UserError(visible(f"--compare puts runs of one scenario side by side; these drills are of "
                                f"{', '.join(sorted(scenarios))}: name drills of one scenario"))
    fmt = _format(args)
    _write(args, render_comparison(compare(reports), fmt), fmt, f"{len(reports)} drills")
    return 0


async def _report(args: argparse.Namespace) -> int:
    import shlex

    from drilltui.report import RENDERERS
    from drilltui.store import open_log

    if args.compare:
        return await _compare(args)
    if not args.drill:
        raise UserError("name a drill: drilltui report DRILL (or --compare DRILL DRILL...)")
    fmt = _format(args)
    path = db_path(args, create=False)
    async with await open_log(path, readonly=True, create=False) as log:
        record = await log.drill(args.drill)
        events, result = await log.read_verified(record.id)
    verify = f"drilltui verify {record.id} --db {shlex.quote(f'{path}')}"  # a URL without its password
    report, count = _build(record, events, result, args.redact, verify), len(events)
    del events  # the report holds what it shows: the log it came from is let go before the document is written
    text = RENDERERS[fmt](report)
    del report
    _write(args, text, fmt, f"{count} events{', redacted' if args.redact else ''}")
    if not result.ok:
        say(f"drilltui: warning: the log of {record.id} does not verify (event {result.first_bad_seq}: {result.reason})",
            sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio

    from drilltui.gcpause import gc_paused

    # A report builds objects by the hundred thousand and lets go of none till the end, and what it makes holds no
    # reference cycle: the cyclic collector would walk the whole growing heap again and again for nothing.
    with gc_paused():
        return asyncio.run(_report(args))
