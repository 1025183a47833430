"""Check a bundle offline: each file against SHA256SUMS, the chain, every attestation, and the files rebuilt from the log."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from drilltui import __version__
from drilltui.evidence.bundle import PRIMARY, SUMS, BundleError, Opened, bundle_files, view_of
from drilltui.evidence.check import check_file
from drilltui.evidence.view import Examined, View, examine
from drilltui.store.chain import sha256_hex

_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
CHANGED = "changed since bundling (its SHA-256 is not the one in SHA256SUMS)"


@dataclass
class BundleCheck:
    """What checking a bundle found: problems, each naming the file inside the bundle, and notes."""

    view: View | None = None
    examined: Examined | None = None
    problems: dict[str, str] = field(default_factory=dict)  # file -> what is wrong with it
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return [f"{path}: {message}" for path, message in self.problems.items()]


def _sums(opened: Opened, found: BundleCheck) -> None:
    text = opened.files.get(SUMS)
    if text is None:
        found.problems[SUMS] = "missing: nothing says which files were bundled"
        return
    listed: dict[str, str] = {}
    for n, line in enumerate(text.decode("utf-8", "replace").splitlines(), start=1):
        match = _SUM_LINE.fullmatch(line)
        if match is None:
            found.problems[SUMS] = f"line {n} is not 'SHA256  FILE'"
            return
        listed[match.group(2)] = match.group(1)
    for path, digest in listed.items():
        if path not in opened.files:
            found.problems[path] = "missing (SHA256SUMS lists it)"
        elif hashlib.sha256(opened.files[path]).hexdigest() != digest:
            found.problems[path] = CHANGED
    for path in opened.files:
        if path != SUMS and path not in listed:
            found.problems[path] = "not in SHA256SUMS (added after bundling)"


def _attestation_files(opened: Opened, examined: Examined, found: BundleCheck) -> None:
    for path in sorted(p for p in opened.files if p.startswith("attestations/") and p.endswith(".txt")):
        signature = opened.files.get(f"{path}.sig")
        if signature is None:
            found.problems[f"{path}.sig"] = "missing: the statement has no signature beside it"
            continue
        checked = check_file(path, opened.files[path].decode("utf-8", "replace"), signature.decode("utf-8", "replace"),
                             examined.chains)
        if not checked.ok:
            found.problems[path] = f"its attestation does not hold: {checked.problem}"


def _rebuilt(opened: Opened, view: View, examined: Examined, found: BundleCheck) -> None:
    made_by = str(opened.record.get("drilltui", "?"))
    if made_by != __version__:
        found.notes.append(f"bundled by drilltui {made_by}, checked with {__version__}: the report, README and script "
                           "were not rebuilt to compare (SHA256SUMS covers them)")
        return
    rebuilt = bundle_files(view, examined, opened.name, made_by)
    for path, data in rebuilt.items():
        if path == SUMS or opened.files.get(path) == data:
            continue
        if found.problems.get(path, CHANGED) != CHANGED:
            continue  # already named for something more telling
        if path in PRIMARY:
            found.problems[path] = "not as drilltui writes it (edited after bundling)"
        elif path in opened.files:
            found.problems[path] = "differs from what drilltui writes for this log (edited after bundling)"
        else:
            found.problems[path] = "missing"


def _broken_file(view: View, first_bad_seq: int | None) -> str:
    """The file to blame for a chain that breaks at this event (0: the drill's own record)."""
    if first_bad_seq != 0:
        return "events.jsonl"
    sha = view.drill.get("scenario_sha256")
    # The scenario's text, unless it still matches its hash: then the record the genesis is made of.
    return "scenario.yaml" if view.redacted or sha is None or sha256_hex(view.scenario_text) != sha else "drill.json"


def check_bundle(opened: Opened) -> BundleCheck:
    """Every check a bundle can be put to without anything but itself."""
    found = BundleCheck()
    _sums(opened, found)
    try:
        view = view_of(opened)
    except BundleError as exc:
        found.problems.setdefault("drill.json" if str(exc).startswith("drill.json") else "bundle", str(exc))
        return found
    examined = examine(view)
    found.view, found.examined = view, examined
    result = examined.result
    if not result.ok:
        found.problems[_broken_file(view, result.first_bad_seq)] = f"the chain breaks at event {result.first_bad_seq}: {result.reason}"
    for checked in examined.checks:
        if not checked.ok:
            found.problems.setdefault("events.jsonl", f"{checked.label} does not hold: {checked.problem}")
    _attestation_files(opened, examined, found)
    if examined.ok:  # rebuilt from a broken log, every derived file would differ without having been touched
        _rebuilt(opened, view, examined, found)
    return found
