"""`drilltui attest` and `drilltui verify --attestations/--attestation/--expect-head`, through the real command."""

from __future__ import annotations

import asyncio
import json
import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from evidencekit import PASSPHRASE, allowed_signers, drilltui, headless, make_keys, rewrite, truncate

from drilltui.store import EventLog, NewEvent

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("template") / "drills.db"
    return db, headless(db)


@pytest.fixture
def drill(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "drills.db"
    shutil.copy(template[0], db)
    return db, template[1]


def attest(db: Path, drill: str, key: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return drilltui("attest", drill, "--db", db, "--key", key, *extra)


def verify(db: Path, drill: str, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    return drilltui("verify", drill, "--db", db, *extra, check=False)


def test_attest_then_verify(drill: tuple[Path, str], keys: dict[str, Path], tmp_path: Path) -> None:
    db, d = drill
    out = attest(db, d, keys["ed25519"], "--as", "Ines Moreau, Example Audit Ltd", "--role", "auditor", "-o", tmp_path / "a.txt")
    assert "attested events 1 to 42" in out.stdout and "stored as event 43" in out.stdout
    statement = (tmp_path / "a.txt").read_text()
    assert "attested-by: Ines Moreau, Example Audit Ltd\ncapacity: auditor\n" in statement
    assert f"drill: {d}\n" in statement and "events: 42\n" in statement
    checked = verify(db, d, "--attestations", "--attestation", tmp_path / "a.txt")
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.count(": valid: Ines Moreau, Example Audit Ltd (auditor)") == 3  # held, its redacted twin, the file
    head = next(line.split()[1] for line in statement.splitlines() if line.startswith("head-hash:"))
    assert verify(db, d, "--expect-head", head).returncode == 0  # only the attestation itself came after it


def test_any_number_of_attestations(drill: tuple[Path, str], keys: dict[str, Path]) -> None:
    db, d = drill
    attest(db, d, keys["ed25519"], "--as", "Exercise Director", "--role", "exercise director")
    attest(db, d, keys["rsa"], "--as", "Independent Auditor", "--role", "auditor")
    attest(db, d, keys["ecdsa"])  # --as defaults to the key's comment
    out = verify(db, d, "--attestations")
    assert out.returncode == 0, out.stdout
    assert [line.split(":")[0] for line in out.stdout.splitlines()[1:] if "redacted" not in line] == [
        "attestation at event 43", "attestation at event 44", "attestation at event 45"]
    assert "ecdsa@example.org" in out.stdout


def test_ssh_keygen_accepts_our_signatures(drill: tuple[Path, str], keys: dict[str, Path], tmp_path: Path) -> None:
    db, d = drill
    for kind in ("ed25519", "rsa", "ecdsa"):
        statement = tmp_path / f"{kind}.txt"
        attest(db, d, keys[kind], "--as", "Auditor", "-o", statement)
        signers = allowed_signers(tmp_path / "allowed_signers", "auditor@example.org", Path(f"{keys[kind]}.pub"))
        command = ["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", "auditor@example.org",
                   "-n", "drilltui-attestation", "-s", f"{statement}.sig"]
        good = subprocess.run(command, input=statement.read_bytes(), capture_output=True)
        assert good.returncode == 0 and b"Good \"drilltui-attestation\" signature" in good.stdout, (kind, good.stderr)
        bad = subprocess.run(command, input=statement.read_bytes().replace(b"events: ", b"events: 1"), capture_output=True)
        assert bad.returncode != 0


def test_we_check_what_ssh_keygen_signs(drill: tuple[Path, str], keys: dict[str, Path], tmp_path: Path) -> None:
    db, d = drill
    statement = tmp_path / "a.txt"
    attest(db, d, keys["ed25519"], "--as", "Auditor", "-o", statement)
    (tmp_path / "a.txt.sig").unlink()
    subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-f", str(keys["ed25519"]), "-n", "drilltui-attestation", str(statement)],
                   check=True, capture_output=True)
    assert verify(db, d, "--attestation", statement).returncode == 0
    # the same signature under another namespace is refused
    (tmp_path / "a.txt.sig").unlink()
    subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-f", str(keys["ed25519"]), "-n", "file", str(statement)],
                   check=True, capture_output=True)
    out = verify(db, d, "--attestation", statement)
    assert out.returncode == 1 and "namespace 'file', not 'drilltui-attestation'" in out.stdout


def test_truncated_tail_is_caught(drill: tuple[Path, str], keys: dict[str, Path], tmp_path: Path) -> None:
    db, d = drill
    attest(db, d, keys["ed25519"], "--as", "Auditor", "-o", tmp_path / "a.txt")
    truncate(db, d, 38)  # the attestation goes with the tail, and the head is moved to match
    assert verify(db, d).returncode == 0  # the chain alone cannot tell
    inside = verify(db, d, "--attestations")
    assert inside.returncode == 1 and "the log holds none" in inside.stdout
    outside = verify(db, d, "--attestation", tmp_path / "a.txt")
    assert outside.returncode == 1
    assert f"{tmp_path / 'a.txt'}: FAILED" in outside.stdout
    assert "it covers 42 events but the log has 38: events 39 to 42 are missing" in outside.stdout


def test_forged_event_after_an_attestation_is_caught(drill: tuple[Path, str], keys: dict[str, Path]) -> None:
    db, d = drill
    attest(db, d, keys["ed25519"], "--as", "Auditor")

    async def forge() -> None:
        async with await EventLog.open(db) as log:
            await log.append(d, NewEvent("note_added", {"text": "All deadlines met", "kind": "note", "inject": None,
                                                        "role": None, "objective": None},
                                         "2026-03-12T09:45:00.000000Z", 2700.0, "Mallory", "ic"))

    asyncio.run(forge())
    assert verify(db, d).returncode == 0  # appended honestly: the chain holds
    out = verify(db, d, "--attestations")
    assert out.returncode == 1
    assert "attestation at event 43: FAILED" in out.stdout
    assert "event 44 (note_added) was added after it was signed" in out.stdout
    evidence = json.loads(drilltui("report", d, "--db", db, "--format", "json").stdout)["chain_evidence"]
    assert evidence["verified"] is False and evidence["events"] == 44
    (held,) = evidence["attestations"]
    assert (held["valid"], held["seq"], held["by"]) == (False, 43, "Auditor") and "event 44 (note_added)" in held["problem"]
    page = drilltui("report", d, "--db", db, "--format", "md").stdout
    evidence_section = page.split("## Evidence")[1].split("## 1.")[0]
    assert "Verification FAILED" in evidence_section and "NOT VALID: event 44 (note\\_added) was added" in evidence_section
    assert "but 1 of 1 attestation does not hold" in evidence_section


def test_rewritten_chain_is_caught(drill: tuple[Path, str], keys: dict[str, Path], tmp_path: Path) -> None:
    db, d = drill
    attest(db, d, keys["ed25519"], "--as", "Auditor", "-o", tmp_path / "a.txt")
    rewrite(db, d, 5, {"role": "ic"})
    assert verify(db, d).returncode == 0  # every hash recomputed: consistent
    out = verify(db, d, "--attestations", "--attestation", tmp_path / "a.txt")
    assert out.returncode == 1
    assert out.stdout.count("event 42 no longer matches what was signed") == 3
    assert "the log was rewritten at or before event 42" in out.stdout


def test_rewrite_that_drops_the_attestations_is_caught_from_outside(drill: tuple[Path, str], keys: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    db, d = drill
    out = attest(db, d, keys["ed25519"], "--as", "Auditor", "-o", tmp_path / "a.txt")
    head = out.stdout.split("head ")[1].split(",")[0]
    rewrite(db, d, 5, {"role": "ic"}, drop_attestations=True)
    assert verify(db, d).returncode == 0
    assert "event 42 no longer matches" in verify(db, d, "--attestation", tmp_path / "a.txt").stdout
    kept = verify(db, d, "--expect-head", head)
    assert kept.returncode == 1 and "is not the hash of any event of this log" in kept.stdout


def test_expect_head_names_events_added_after_it(drill: tuple[Path, str]) -> None:
    db, d = drill
    first = drilltui("export", d, "--db", db).stdout.splitlines()[39]
    head40 = first.split('"hash": "')[1][:64]
    out = verify(db, d, "--expect-head", head40)
    assert out.returncode == 1 and "is the hash of event 40" in out.stdout and "events 41 to 42 were added after it" in out.stdout
    bad = verify(db, d, "--expect-head", "not-a-hash")
    assert bad.returncode == 2 and "64-digit hex" in bad.stderr


def test_encrypted_key_without_a_terminal_is_refused(drill: tuple[Path, str], keys: dict[str, Path]) -> None:
    db, d = drill
    out = drilltui("attest", d, "--db", db, "--key", keys["encrypted"], "--as", "A", check=False)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "is encrypted" in out.stderr and "Traceback" not in out.stderr
    assert verify(db, d, "--attestations").returncode == 1  # nothing was stored


def _read_until(fd: int, marker: bytes | None, timeout: float = 60.0) -> bytes:
    """What the terminal shows, until `marker` (or the end, for None)."""
    seen = b""
    while marker is None or marker not in seen:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"nothing more after {seen!r}"
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child has gone and its terminal with it
            chunk = b""
        if not chunk:
            assert marker is None, seen
            return seen
        seen += chunk
    return seen


def test_encrypted_key_asks_for_its_passphrase_at_a_terminal(drill: tuple[Path, str], keys: dict[str, Path]) -> None:
    db, d = drill
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent)) or "drilltui"
    pid, fd = os.forkpty()
    if pid == 0:  # pragma: no cover - the child
        os.execv(exe, [exe, "attest", d, "--db", str(db), "--key", str(keys["encrypted"]), "--as", "A"])
    _read_until(fd, b"passphrase for")
    os.write(fd, b"wrong\n")
    _read_until(fd, b"passphrase for")
    os.write(fd, PASSPHRASE.encode() + b"\n")
    seen = _read_until(fd, None)
    assert os.waitpid(pid, 0)[1] == 0, seen
    assert b"stored as event 43" in seen and PASSPHRASE.encode() not in seen
    assert verify(db, d, "--attestations").returncode == 0


@pytest.mark.parametrize("key, message", [
    ("missing", "cannot read the key"),
    ("not-a-key", "is not an SSH key"),
])
def test_bad_keys_get_one_line(drill: tuple[Path, str], tmp_path: Path, key: str, message: str) -> None:
    db, d = drill
    (tmp_path / "not-a-key").write_text("hello\n")
    out = drilltui("attest", d, "--db", db, "--key", tmp_path / key, "--as", "A", check=False)
    assert out.returncode == 2 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_public_key_signs_through_ssh_agent(drill: tuple[Path, str], keys: dict[str, Path], tmp_path: Path) -> None:
    db, d = drill
    sock = tmp_path / "agent.sock"
    # Without -D the agent forks once its socket is listening, and prints its pid.
    started = subprocess.run(["ssh-agent", "-s", "-a", str(sock)], capture_output=True, text=True, check=True)
    agent_pid = int(started.stdout.split("SSH_AGENT_PID=")[1].split(";")[0])
    try:
        env = {**os.environ, "SSH_AUTH_SOCK": str(sock), "NO_COLOR": "1"}
        subprocess.run(["ssh-add", str(keys["rsa"])], env=env, check=True, capture_output=True)
        exe = shutil.which("drilltui", path=str(Path(sys.executable).parent)) or "drilltui"
        out = subprocess.run([exe, "attest", d, "--db", str(db), "--key", f"{keys['rsa']}.pub", "--as", "Agent User",
                              "-o", str(tmp_path / "a.txt")], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert verify(db, d, "--attestations", "--attestation", tmp_path / "a.txt").returncode == 0
        held_elsewhere = subprocess.run([exe, "attest", d, "--db", str(db), "--key", f"{keys['ed25519']}.pub", "--as", "A"],
                                        env=env, capture_output=True, text=True, timeout=120)
        assert held_elsewhere.returncode == 2 and "ssh-agent does not hold the private key" in held_elsewhere.stderr
        no_agent = drilltui("attest", d, "--db", db, "--key", f"{keys['ed25519']}.pub", "--as", "A", check=False)
        assert no_agent.returncode == 2 and "no ssh-agent answers" in no_agent.stderr
    finally:
        os.kill(agent_pid, signal.SIGTERM)


def test_a_participant_attests_with_the_key_they_join_with(drill: tuple[Path, str], keys: dict[str, Path],
                                                           tmp_path: Path) -> None:
    """The key in the participants file for `drilltui serve` signs; its fingerprint is the statement's."""
    db, d = drill
    people = tmp_path / "people.yaml"
    public = Path(f"{keys['ecdsa']}.pub").read_text().strip()
    people.write_text(f"participants:\n  - name: Independent Auditor\n    role: observer\n    keys: [{public}]\n")
    listed = drilltui("participants", people, "--scenario", d, "--db", db).stdout
    out = attest(db, d, keys["ecdsa"], "--as", "Independent Auditor", "--role", "auditor", "-o", tmp_path / "a.txt")
    fingerprint = next(line.split(": ", 1)[1] for line in (tmp_path / "a.txt").read_text().splitlines() if line.startswith("key: "))
    assert fingerprint in listed and "stored as event 43" in out.stdout
