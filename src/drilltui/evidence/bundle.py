"""The evidence bundle: a drill's files (scenario, events, report, attestations, README) and reading them back."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from drilltui import __version__
from drilltui.evidence.check import held
from drilltui.evidence.readme import readme
from drilltui.evidence.reporting import report_of
from drilltui.evidence.statement import StatementError, parse
from drilltui.evidence.view import Examined, View, ViewError, chain_of, parse_events
from drilltui.frozen import frozen
from drilltui.paths import DATA
from drilltui.report import render_html, render_markdown

FORMAT = "drilltui-bundle/1"
SUMS = "SHA256SUMS"
PRIMARY = ("drill.json", "scenario.yaml", "events.jsonl")  # what the rest is rebuilt from
MAX_BYTES = 1 << 30  # a bundle is refused beyond this, unpacked
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same drill always zips to the same bytes


class BundleError(ValueError):
    """A file that is not a readable bundle; the message names the file inside it."""


def attestation_files(view: View) -> list[tuple[str, int, str, str]]:
    """(path, seq, statement, signature) for each attestation the log holds, as ssh-keygen checks them."""
    out = []
    for n, (seq, body) in enumerate(held(view.stored()), start=1):
        text, sig = (body.redacted_statement, body.redacted_signature) if view.redacted else (body.statement, body.signature)
        out.append((f"attestations/{n:02d}-event-{seq}.txt", seq, text, sig))
    return out


def allowed_signers(files: list[tuple[str, int, str, str]], key_lines: dict[str, str]) -> str:
    """An allowed_signers file of the keys as found, one principal per attestation (signer-1, ...)."""
    lines = ["# The keys that signed these attestations, AS FOUND IN THIS BUNDLE. Check each against a key",
             "# you got from the signer yourself before you trust `ssh-keygen -Y verify` with this file."]
    for n, (path, _, text, _) in enumerate(files, start=1):
        try:
            statement = parse(text)
        except StatementError:
            continue
        lines.append(f"# signer-{n}: {' '.join(statement.describe().split())}, {statement.key} ({path})")
        if statement.key in key_lines:
            lines.append(f'signer-{n} namespaces="drilltui-attestation" {key_lines[statement.key]}')
    return "\n".join(lines) + "\n"


def bundle_files(view: View, examined: Examined, name: str, version: str = __version__) -> dict[str, bytes]:
    """Every file of the bundle called `name`, by its path inside the bundle's folder."""
    from drilltui.evidence.check import read_signed

    report = report_of(view, examined, f"drilltui verify {name}.zip")
    record = {"format": FORMAT, "drilltui": version, "drill": view.drill, "redaction": view.redaction}
    files: dict[str, str] = {
        "drill.json": json.dumps(record, indent=2, ensure_ascii=False) + "\n",
        "scenario.yaml": view.scenario_text,
        "events.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in view.records()),
        "report.md": render_markdown(report),
        "report.html": render_html(report),
    }
    signed = attestation_files(view)
    keys: dict[str, str] = {}
    for path, _, text, sig in signed:
        files[path], files[f"{path}.sig"] = text, sig
        try:
            signature = read_signed(text, sig)[1]
        except ValueError:
            continue  # a statement that does not check out gets no key line; verify says why
        keys.setdefault(signature.fingerprint, signature.key_line)
    if signed:
        files["attestations/allowed_signers"] = allowed_signers(signed, keys)
    files["verify_chain.py"] = (DATA / "verify_chain.py").read_text(encoding="utf-8")
    files["README.md"] = readme(view, examined, name, [(p, seq, text) for p, seq, text, _ in signed], version)
    out = {path: text.encode("utf-8") for path, text in files.items()}
    out[SUMS] = "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(out.items())).encode()
    return out


def zip_bytes(name: str, files: dict[str, bytes]) -> bytes:
    """The files in one folder `name/` of a zip, with fixed times and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{name}/{path}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if path.endswith(".py") else 0o644) << 16
            z.writestr(info, files[path])
    return buffer.getvalue()


@frozen
class Opened:
    """A bundle read back: its folder name and its files."""

    name: str
    files: dict[str, bytes]
    record: dict[str, Any]  # drill.json


def open_zip(data: bytes | str) -> Opened:
    """Read a bundle zip (its bytes, or a path); BundleError if it is not one."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        infos = [i for i in z.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_BYTES:
            raise BundleError(f"it unpacks to more than {MAX_BYTES >> 20} MiB; a drilltui bundle is far smaller")
        roots = {i.filename.split("/", 1)[0] for i in infos}
        if len(roots) != 1 or any("/" not in i.filename for i in infos):
            raise BundleError("a bundle holds one folder with every file inside it")
        name = roots.pop()
        files = {i.filename.split("/", 1)[1]: z.read(i) for i in infos}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BundleError(f"it is not a readable zip file ({exc})") from None
    try:
        record = json.loads(files["drill.json"].decode("utf-8"))
    except KeyError:
        raise BundleError("drill.json is missing") from None
    except (UnicodeDecodeError, ValueError):
        raise BundleError("drill.json is not JSON") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise BundleError(f"drill.json is not a {FORMAT} record")
    return Opened(name, files, record)


def view_of(opened: Opened) -> View:
    """The view a bundle holds; BundleError naming the file (and line) that cannot be read."""
    f = opened.files
    try:
        scenario_text = f["scenario.yaml"].decode("utf-8")
        lines = f["events.jsonl"].decode("utf-8").splitlines()
    except KeyError as exc:
        raise BundleError(f"{exc.args[0]} is missing") from None
    except UnicodeDecodeError:
        raise BundleError("scenario.yaml or events.jsonl is not UTF-8 text") from None
    drill, redaction = opened.record.get("drill"), opened.record.get("redaction")
    need = {"id": str, "events": int, "head_hash": str} | ({} if redaction else {"scenario_sha256": str})
    if not isinstance(drill, dict) or any(not isinstance(drill.get(k), t) for k, t in need.items()):
        raise BundleError("drill.json's drill record lacks id, events, head_hash or scenario_sha256")
    chain = chain_of(drill)
    if not isinstance(chain, int) or isinstance(chain, bool):
        raise BundleError("drill.json's drill record has a chain that is not a whole number")
    genesis = ("scenario_id", "title", "created_at")  # what chain 2's genesis covers besides the id and scenario
    if not redaction and chain >= 2 and any(not isinstance(drill.get(k), str) for k in genesis):
        raise BundleError(f"drill.json's drill record is of chain {chain} but lacks its scenario_id, title or created_at")
    if redaction is not None and not (isinstance(redaction, dict) and isinstance(redaction.get("scenario_commitments"), dict)):
        raise BundleError("drill.json's redaction record lacks its scenario_commitments")
    records = []
    for n, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except ValueError:
            raise BundleError(f"events.jsonl:{n}: not a JSON object") from None
    try:
        events = parse_events(records, redacted=redaction is not None)
    except ViewError as exc:
        raise BundleError(f"events.jsonl, {exc}") from None
    return View(drill, scenario_text, events, redaction)
