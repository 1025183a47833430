"""`drilltui verify DRILL|BUNDLE.zip`: check a drill's hash chain, its attestations and a head hash kept elsewhere."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path
from drilltui.commands.output import say
from drilltui.errors import UserError
from drilltui.visible import visible

if TYPE_CHECKING:
    from drilltui.evidence.view import Examined

_HEX64 = re.compile(r"[0-9a-fA-F]{64}\Z")


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help="check that a drill's log was not edited",
        description="Recompute every event's SHA-256 and its link to the one before; with the options, also check "
        "the drill's attestations, statements kept outside it and a head hash kept elsewhere. A BUNDLE.zip "
        "(from `drilltui bundle`) is checked offline, file by file. "
        "Exit 0 when everything holds, 1 when something does not (naming it).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix), see `drilltui drills`; or a bundle .zip")
    add_db(p)
    p.add_argument("--attestations", action="store_true", help="check every attestation the log holds against the chain")
    p.add_argument("--attestation", metavar="FILE", type=Path, action="append", default=[],
                   help="check a statement kept outside the log (FILE, and its signature FILE.sig); repeatable")
    p.add_argument("--expect-head", metavar="HASH", help="the head hash kept elsewhere that the log must end at")
    p.set_defaults(func=run)


def read_pair(path: Path) -> tuple[str, str]:
    """A statement file and its signature beside it (FILE.sig)."""
    texts = []
    for f in (path, Path(f"{path}.sig")):
        try:
            texts.append(f.read_bytes().decode("utf-8"))
        except OSError as exc:
            raise UserError(f"cannot read {visible(str(f))}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UserError(f"{visible(str(f))} is not UTF-8 text; give the files `drilltui attest -o` wrote") from None
    return texts[0], texts[1]


def expected_head(text: str | None) -> str | None:
    if text is None:
        return None
    if not _HEX64.match(text.strip()):
        raise UserError(f"--expect-head takes a 64-digit hex SHA-256, not '{visible(text)}'")
    return text.strip().lower()


def report_checks(args: argparse.Namespace, examined: Examined) -> int:
    """Print the attestation and head checks asked for; the number that failed."""
    from drilltui.evidence.check import check_file, head_problem

    failed = 0
    head = expected_head(args.expect_head)
    if head is not None:
        problem = head_problem(head, examined.chain)
        failed += bool(problem)
        print(f"expected head: FAILED: {problem}" if problem else f"expected head: ok, the log ends at {head}")
    if args.attestations:
        if not examined.checks:
            print("attestations: FAILED: the log holds none (were they removed? check a statement kept outside "
                  "with --attestation FILE)")
            failed += 1
        for checked in examined.checks:
            failed += not checked.ok
            print(visible(checked.line()))
    for path in args.attestation:
        statement, signature = read_pair(path)
        checked = check_file(str(path), statement, signature, examined.chains)
        failed += not checked.ok
        print(visible(checked.line()))
    return failed


async def _verify(args: argparse.Namespace) -> int:
    from drilltui.store import open_log

    wanted = bool(args.attestations or args.attestation or args.expect_head)
    async with await open_log(db_path(args, create=False), readonly=True, create=False) as log:
        drill = await log.drill(args.drill)
        # Checks of attestations or a head look at the same snapshot of the log as the walk.
        events, result = await log.read_verified(drill.id) if wanted else ([], await log.verify(drill.id))
    if result.ok:
        say(f"{drill.id}: ok, {result.events} events, chain intact; last hash {result.last_hash}")
    else:
        say(f"{drill.id}: BROKEN at event {result.first_bad_seq}: {result.reason}")
    if not wanted:
        return 0 if result.ok else 1
    if not events:
        raise UserError(f"drill {drill.id} has no events: there is nothing to check attestations or a head hash against")
    from drilltui.evidence.view import examine, full_view

    failed = report_checks(args, examine(full_view(drill, events), result))
    return 0 if result.ok and not failed else 1


def run(args: argparse.Namespace) -> int:
    import asyncio
    import zipfile

    if args.drill.lower().endswith(".zip") or zipfile.is_zipfile(args.drill):
        from drilltui.commands.bundle import verify_bundle

        return verify_bundle(args)
    return asyncio.run(_verify(args))
