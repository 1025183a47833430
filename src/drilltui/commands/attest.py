"""`drilltui attest DRILL --key KEY`: sign a statement of the drill's log as it stands, and keep it in the log."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from drilltui.commands.options import add_db, db_path
from drilltui.errors import UserError
from drilltui.visible import visible

if TYPE_CHECKING:
    from drilltui.evidence.signer import Signer
    from drilltui.store import StoredEvent

RETRIES = 5  # appends that may find the drill moved on before giving up


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "attest", help="sign a statement of a drill's log with your SSH key",
        description="Sign a small statement of the drill's log (drill, scenario hash, event count, head hash, "
        "wall-clock span, who attests and in what capacity) as an OpenSSH signature (namespace "
        "drilltui-attestation), and append it to the log. `drilltui verify DRILL --attestations` checks it; "
        "so does `ssh-keygen -Y verify` on the -o files (docs/store.md).",
    )
    p.add_argument("drill", metavar="DRILL", help="drill id (or a unique prefix); or a bundle .zip, to sign what you "
                   "received (with -o: a bundle is never changed)")
    add_db(p)
    p.add_argument("--key", required=True, type=Path, metavar="FILE",
                   help="your SSH private key (such as ~/.ssh/id_ed25519), or its .pub file if ssh-agent holds it")
    p.add_argument("--as", dest="by", metavar="NAME",
                   help='who attests, such as "Dana Reyes, Example Audit Ltd" (default: the key\'s comment)')
    p.add_argument("--role", dest="capacity", metavar="CAPACITY", default="",
                   help="in what capacity: exercise director, auditor, regulator, ...")
    p.add_argument("-o", "--output", metavar="FILE", type=Path,
                   help="also write the statement to FILE and its signature to FILE.sig")
    p.set_defaults(func=run)


def _who(args: argparse.Namespace, comment: str | None) -> tuple[str, str]:
    from drilltui.evidence.statement import StatementError, check_text

    by = args.by if args.by is not None else (comment or "")
    try:
        by, capacity = check_text(by, "--as"), check_text(args.capacity, "--role")
    except StatementError as exc:
        raise UserError(str(exc)) from None
    if not by:
        raise UserError("say who attests with --as \"Name, Organisation\" (the key has no comment to use)")
    return by, capacity


def _drill_time(scenario_text: str, events: list[StoredEvent], now: str) -> float:
    """Drill time now, as the drill's clock runs; the last event's if the log cannot be folded."""
    from drilltui.engine import parse_utc
    from drilltui.engine.reducer import fold
    from drilltui.journal import from_record
    from drilltui.scenario import loads

    try:
        state = fold(loads(scenario_text), [from_record(e) for e in events])
    except (ValueError, TypeError):
        return float(events[-1].drill_time)
    return float(state.drill_time(parse_utc(now)))


async def _attest(args: argparse.Namespace, signer: Signer, by: str, capacity: str) -> int:
    from drilltui.engine import Event, utc_iso
    from drilltui.evidence.attestation import attest
    from drilltui.journal import to_record
    from drilltui.store import Conflict, open_log

    async with await open_log(db_path(args, create=False), create=False) as log:
        record = await log.drill(args.drill)
        for _ in range(RETRIES):
            events, result = await log.read_verified(record.id)
            if not events:
                raise UserError(f"drill {record.id} has no events yet; there is nothing to attest")
            if not result.ok:
                raise UserError(f"the log of {record.id} does not verify (event {result.first_bad_seq}: {result.reason}); "
                                "an attestation would vouch for a broken log")
            now = utc_iso(time.time())
            body = await attest(record, events, signer, by, capacity, now)
            event = Event(body, _drill_time(record.scenario_text, events, now), now, by, "")
            try:
                stored = await log.append(record.id, to_record(event), expected_seq=events[-1].seq)
            except Conflict:
                continue  # someone appended meanwhile: attest the log as it now stands
            break
        else:
            raise UserError(f"drill {record.id} kept moving on while signing; try again")
    print(f"{record.id}: attested events 1 to {body.events}, head {events[-1].hash}, as {visible(by)}"
          + (f" ({visible(capacity)})" if capacity else "") + f"; stored as event {stored.seq}")
    if args.output is not None:
        try:
            _write(args.output, body.statement, body.signature)
        except UserError as exc:
            raise UserError(f"the attestation is stored in the log, but {exc}") from None
    return 0


def _write(output: Path, statement: str, signature: str) -> None:
    sig = Path(f"{output}.sig")
    try:
        output.write_text(statement, encoding="utf-8", newline="\n")
        sig.write_text(signature, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UserError(f"{visible(str(exc.filename))} could not be written: {exc.strerror}") from None
    print(f"wrote {visible(str(output))} and {visible(str(sig))}")


async def _attest_bundle(args: argparse.Namespace, signer: Signer, by: str, capacity: str) -> int:
    """Sign a statement of a bundle's log as received; it goes to -o only."""
    from drilltui.engine import utc_iso
    from drilltui.evidence.bundle import BundleError, open_zip
    from drilltui.evidence.bundle_check import check_bundle
    from drilltui.evidence.statement import NAMESPACE, Statement

    if args.output is None:
        raise UserError("a bundle is never changed: give -o FILE for the statement of what you received")
    try:
        found = check_bundle(open_zip(args.drill))
    except BundleError as exc:
        raise UserError(f"{visible(args.drill)} is not a drilltui bundle: {exc}") from None
    if not found.ok or found.examined is None:
        raise UserError(f"{visible(args.drill)} does not check out ({'; '.join(found.lines())}); "
                        f"see `drilltui verify {visible(args.drill)}`")
    chain = found.examined.chain
    first, last = chain.links[0], chain.links[-1]
    statement = Statement(chain.name, chain.drill, chain.scenario_sha256, last.seq, last.hash, first.wall_time,
                          last.wall_time, by, capacity, signer.fingerprint, utc_iso(time.time()))
    text = statement.text()
    signature = await signer.sign(text.encode("utf-8"), NAMESPACE)
    print(f"{visible(args.drill)}: attested events 1 to {last.seq} of drill {chain.drill} ({chain.name} log), "
          f"head {last.hash}, as {visible(by)}" + (f" ({visible(capacity)})" if capacity else ""))
    _write(args.output, text, signature)
    return 0


def run(args: argparse.Namespace) -> int:
    import asyncio
    import getpass
    import zipfile

    from drilltui.evidence.signer import load_signer

    signer = load_signer(args.key, getpass.getpass if sys.stdin.isatty() else None)
    by, capacity = _who(args, signer.public_key.get_comment())
    if args.drill.lower().endswith(".zip") or zipfile.is_zipfile(args.drill):
        return asyncio.run(_attest_bundle(args, signer, by, capacity))
    return asyncio.run(_attest(args, signer, by, capacity))
