"""`drilltui bundle DRILL -o drill.zip`: a drill's evidence as plain files; `drilltui verify drill.zip` checks one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drilltui.commands.options import add_db, db_path
from drilltui.errors import UserError
from drilltui.visible import visible


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bundle", help="write a drill's evidence bundle (a zip of plain files)",
        description="Write one zip with the scenario as run, the event log (events.jsonl), the report (HTML and "
        "Markdown), the attestations, a stdlib-only script that recomputes the chain, and a README saying how "
        "to check each piece. `drilltui verify drill.zip` checks it offline.",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix)")
    add_db(p)
    p.add_argument("-o", "--output", metavar="FILE", type=Path, required=True, help="the zip to write, such as drill.zip")
    p.add_argument("--redact", action="store_true",
                   help="replace participant names and text the scenario marks sensitive (docs/store.md, \"Redaction\")")
    p.set_defaults(func=run)


async def _read(args: argparse.Namespace) -> tuple:
    from drilltui.store import open_log

    async with await open_log(db_path(args, create=False), readonly=True, create=False) as log:
        record = await log.drill(args.drill)
        events, result = await log.read_verified(record.id)
        return record, events, result


def run(args: argparse.Namespace) -> int:
    import asyncio

    from drilltui.evidence.bundle import bundle_files, zip_bytes
    from drilltui.evidence.check import held
    from drilltui.evidence.redact import new_seed, seed_of
    from drilltui.evidence.view import examine, full_view, redacted_view

    record, events, result = asyncio.run(_read(args))
    if not events:
        raise UserError(f"drill {record.id} has no events yet; there is nothing to bundle")
    if not result.ok:
        raise UserError(f"the log of {record.id} does not verify (event {result.first_bad_seq}: {result.reason}); "
                        f"a bundle of it would not check out: see `drilltui verify {record.id}`")
    seed = seed_of(events)
    if args.redact:
        view = redacted_view(record, events, seed or new_seed(), "attestation" if seed else "this bundle")
        if seed is None:
            print(f"drilltui: note: no attestation of {record.id} brings a redaction seed, so this bundle's commitments "
                  "are new and nothing signed vouches for them", file=sys.stderr)
    else:
        view = full_view(record, events)
    name = args.output.name.removesuffix(".zip") or record.id
    files = bundle_files(view, examine(view), name)
    try:
        args.output.write_bytes(zip_bytes(name, files))
    except OSError as exc:
        raise UserError(f"cannot write {visible(str(args.output))}: {exc.strerror}") from None
    count = len(held(events))
    print(f"wrote {visible(str(args.output))}: {record.id}, {len(events)} events, "
          f"{count} attestation{'' if count == 1 else 's'}{', redacted' if args.redact else ''}; "
          f"check it with `drilltui verify {visible(str(args.output))}`")
    return 0


def verify_bundle(args: argparse.Namespace) -> int:
    """`drilltui verify drill.zip`: every check, offline, naming each file that fails."""
    from drilltui.commands.verify import report_checks
    from drilltui.evidence.bundle import BundleError, open_zip
    from drilltui.evidence.bundle_check import check_bundle

    shown = visible(args.drill)
    try:
        opened = open_zip(args.drill)
    except BundleError as exc:
        raise UserError(f"{shown} is not a drilltui bundle: {exc}") from None
    except FileNotFoundError:
        raise UserError(f"{shown}: no such file") from None
    found = check_bundle(opened)
    ex = found.examined
    if found.ok and ex is not None:
        valid = sum(1 for c in ex.checks if c.log == ex.chain.name)
        print(f"{shown}: ok, {len(ex.chain.links)} events, chain intact; last hash {ex.result.last_hash}; "
              f"{valid} attestation{'' if valid == 1 else 's'} valid; {len(opened.files)} files as bundled"
              + (" (redacted)" if ex.chain.name == "redacted" else ""))
    else:
        print(f"{shown}: FAILED")
    for line in found.lines():
        print(f"  {visible(line)}")
    for note in found.notes:
        print(f"  note: {visible(note)}")
    failed = 0
    if ex is not None:
        args.attestations = False  # the bundle check above covered the attestations it holds
        failed = report_checks(args, ex)
    return 0 if found.ok and not failed else 1
