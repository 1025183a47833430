"""`drilltui bundle` and `drilltui verify drill.zip`: a round trip, tampering named by file, and checks without drilltui."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from evidencekit import ROOT, allowed_signers, drilltui, headless, make_keys

from drilltui.store.chain import event_hash

SCRIPT = ROOT / "docs" / "verify_chain.py"
pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def attested(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> tuple[Path, str, Path]:
    """A drill with one attestation, and its bundle."""
    folder = tmp_path_factory.mktemp("bundle")
    db = folder / "drills.db"
    drill = headless(db)
    drilltui("attest", drill, "--db", db, "--key", keys["ed25519"], "--as", "Ines Moreau, Audit Ltd", "--role", "auditor")
    bundle = folder / "drill.zip"
    drilltui("bundle", drill, "--db", db, "-o", bundle)
    return db, drill, bundle


def verify(path: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    return drilltui("verify", path, *extra, check=False)


def files_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as z:
        return {i.filename.split("/", 1)[1]: z.read(i) for i in z.infolist()}


def write_bundle(path: Path, files: dict[str, bytes], *, resum: bool = False) -> Path:
    """A bundle with these files; with `resum`, SHA256SUMS rewritten to match, as a careful forger would."""
    if resum:
        files = {**files, "SHA256SUMS": "".join(f"{hashlib.sha256(d).hexdigest()}  {p}\n"
                                                for p, d in sorted(files.items()) if p != "SHA256SUMS").encode()}
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(f"drill/{name}", data)
    return path


def test_round_trip(attested: tuple[Path, str, Path], tmp_path: Path) -> None:
    db, drill, bundle = attested
    out = verify(bundle)
    assert out.returncode == 0, out.stdout
    assert "ok, 43 events, chain intact" in out.stdout and "1 attestation valid" in out.stdout
    assert sorted(files_of(bundle)) == [
        "README.md", "SHA256SUMS", "attestations/01-event-43.txt", "attestations/01-event-43.txt.sig",
        "attestations/allowed_signers", "drill.json", "events.jsonl", "report.html", "report.md", "scenario.yaml",
        "verify_chain.py"]
    again = tmp_path / "drill.zip"
    drilltui("bundle", drill, "--db", db, "-o", again)
    assert again.read_bytes() == bundle.read_bytes()  # the same drill always bundles to the same bytes
    exported = drilltui("export", drill, "--db", db).stdout.encode()
    assert files_of(bundle)["events.jsonl"] == exported


@pytest.mark.parametrize("path, edit, resum, named, why", [
    ("report.html", lambda d: d.replace(b"valid</span>", b"valid!</span>", 1), False, "report.html", "differs from what drilltui writes"),
    ("report.md", lambda d: d.replace(b"| 43 |", b"| 44 |", 1), True, "report.md", "differs from what drilltui writes"),
    ("README.md", lambda d: d + b"trust us\n", False, "README.md", "differs from what drilltui writes"),
    ("scenario.yaml", lambda d: d.replace(b"duration: 90m", b"duration: 95m"), True, "scenario.yaml", "chain breaks at event 0"),
    ("events.jsonl", lambda d: d.replace(b'"role": "soc"', b'"role": "ic"', 1), True, "events.jsonl", "event 3 was changed"),
    ("attestations/01-event-43.txt", lambda d: d.replace(b"capacity: auditor", b"capacity: regulator"), True,
     "attestations/01-event-43.txt", "the signature does not match the statement"),
    ("verify_chain.py", lambda d: d.replace(b"sys.exit(f\"event {n} was changed", b"print(f\"event {n} was changed"), False,
     "verify_chain.py", "differs from what drilltui writes"),
])
def test_a_tampered_file_is_named(attested: tuple[Path, str, Path], tmp_path: Path, path: str, edit, resum: bool,
                                  named: str, why: str) -> None:
    files = files_of(attested[2])
    changed = edit(files[path])
    assert changed != files[path]
    out = verify(write_bundle(tmp_path / "drill.zip", {**files, path: changed}, resum=resum))
    assert out.returncode == 1
    line = next((x for x in out.stdout.splitlines() if x.strip().startswith(f"{named}:")), "")
    assert why in line, out.stdout


def test_added_and_removed_files_are_named(attested: tuple[Path, str, Path], tmp_path: Path) -> None:
    files = files_of(attested[2])
    extra = verify(write_bundle(tmp_path / "a.zip", {**files, "notes.txt": b"x"}))
    assert extra.returncode == 1 and "notes.txt: not in SHA256SUMS (added after bundling)" in extra.stdout
    del files["report.md"]
    gone = verify(write_bundle(tmp_path / "b.zip", files))
    assert gone.returncode == 1 and "report.md: missing" in gone.stdout


def test_a_rewritten_log_is_caught_by_its_attestation(attested: tuple[Path, str, Path], tmp_path: Path) -> None:
    files = files_of(attested[2])
    record = json.loads(files["drill.json"])
    drill = record["drill"]["id"]
    events = [json.loads(line) for line in files["events.jsonl"].splitlines()]
    events[4]["actor"]["role"] = "ic"
    prev = events[4]["prev_hash"]
    for e in events[4:]:  # every hash recomputed, and the head moved: the chain alone looks whole
        e["prev_hash"] = prev
        e["hash"] = prev = event_hash(drill, e["seq"], e["kind"], e["version"], e["data"], e["wall_time"], e["drill_time"],
                                      e["actor"]["participant"], e["actor"]["role"] or "", prev)
    record["drill"]["head_hash"] = prev
    forged = {**files, "events.jsonl": "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode(),
              "drill.json": (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()}
    out = verify(write_bundle(tmp_path / "drill.zip", forged, resum=True))
    assert out.returncode == 1
    assert "attestations/01-event-43.txt: its attestation does not hold: event 42 no longer matches what was signed" in out.stdout
    assert "events.jsonl: attestation at event 43 does not hold" in out.stdout


def test_outside_tools_check_it(attested: tuple[Path, str, Path], tmp_path: Path, keys: dict[str, Path]) -> None:
    db, drill, bundle = attested
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    folder = tmp_path / "drill"
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder).returncode == 0
    head = verify(bundle).stdout.split("last hash ")[1].split(";")[0]
    # The stdlib script, with no site-packages at all: from the zip, the folder, and the database.
    for args in ([bundle], [folder], [db, drill]):
        out = subprocess.run([sys.executable, "-I", "-S", str(folder / "verify_chain.py"), *map(str, args)],
                             capture_output=True, text=True)
        assert (out.returncode, out.stdout.strip()) == (0, head), out.stderr
    signers = allowed_signers(tmp_path / "allowed_signers", "auditor@example.org", Path(f"{keys['ed25519']}.pub"))
    statement = folder / "attestations" / "01-event-43.txt"
    good = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", "auditor@example.org",
                           "-n", "drilltui-attestation", "-s", f"{statement}.sig"], input=statement.read_bytes(), capture_output=True)
    assert good.returncode == 0, good.stderr
    found = subprocess.run(["ssh-keygen", "-Y", "find-principals", "-f", str(folder / "attestations" / "allowed_signers"),
                            "-s", f"{statement}.sig"], capture_output=True, text=True)
    assert found.stdout.strip() == "signer-1"
    assert f"head-hash: {json.loads((folder / 'events.jsonl').read_text().splitlines()[41])['hash']}\n" in statement.read_text()


def test_the_script_names_a_changed_event(attested: tuple[Path, str, Path], tmp_path: Path) -> None:
    files = files_of(attested[2])
    lines = files["events.jsonl"].decode().splitlines(keepends=True)
    lines[6] = lines[6].replace('"drill_time": ', '"drill_time": 1', 1)
    bundle = write_bundle(tmp_path / "drill.zip", {**files, "events.jsonl": "".join(lines).encode()})
    out = subprocess.run([sys.executable, "-I", "-S", str(SCRIPT), str(bundle)], capture_output=True, text=True)
    assert out.returncode == 1 and "event 7 was changed" in out.stderr


def test_not_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    out = verify(tmp_path / "x.zip")
    assert out.returncode == 2 and "is not a drilltui bundle" in out.stderr and "Traceback" not in out.stderr
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("a/b.txt", "hello")
    (tmp_path / "y.zip").write_bytes(buffer.getvalue())
    out = verify(tmp_path / "y.zip")
    assert out.returncode == 2 and "drill.json is missing" in out.stderr


def test_a_regulator_attests_the_bundle_they_received(attested: tuple[Path, str, Path], tmp_path: Path,
                                                      keys: dict[str, Path]) -> None:
    db, drill, bundle = attested
    received = tmp_path / "received.zip"
    shutil.copy(bundle, received)
    receipt = tmp_path / "receipt.txt"
    out = drilltui("attest", received, "--key", keys["ecdsa"], "--as", "AI Office", "--role", "regulator", "-o", receipt)
    assert "attested events 1 to 43" in out.stdout
    assert received.read_bytes() == bundle.read_bytes()  # the bundle itself is never changed
    assert verify(received, "--attestation", receipt).returncode == 0
    assert drilltui("verify", drill, "--db", db, "--attestation", receipt, check=False).returncode == 0
    refused = drilltui("attest", received, "--key", keys["ecdsa"], "--as", "AI Office", check=False)
    assert refused.returncode == 2 and "give -o FILE" in refused.stderr
    files = files_of(bundle)
    forged = write_bundle(tmp_path / "forged.zip", {**files, "report.md": files["report.md"] + b"x"})
    refused = drilltui("attest", forged, "--key", keys["ecdsa"], "--as", "AI Office", "-o", receipt, check=False)
    assert refused.returncode == 2 and "does not check out" in refused.stderr and "report.md" in refused.stderr
