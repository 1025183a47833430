"""`report --redact` and `bundle --redact`: no name or marked text left, everything else kept, and the redacted log verifies."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from evidencekit import ROOT, drilltui, headless, make_keys

SCENARIO = """\
format: drilltui/1
id: vault-breach
title: A breach at the key vault
summary: Priya Raman runs the response; the vault holds the signing keys.
duration: 30m
sensitive: [notes, comments]   # every note and rating comment is sensitive
objectives:
  - {id: O1, text: Rotate the keys within 20 minutes}
roles:
  - {id: control, title: Exercise Control, kind: controller, holder: Priya Raman}
  - id: ic
    title: Incident Commander
    holder: "Jonas Eklund"   # call him on +44 7700 900123
    ack_within: 10m
  - {id: soc, title: SOC Analyst, holder: Ana Lee, reports_to: ic, ack_within: 3m}
  - {id: eval, title: Evaluator, kind: evaluator, holder: Tomás Ruiz}
injects:
  - id: I-1
    at: 1m
    to: [soc]
    title: Vault audit log shows bulk exports
    message: Ana, the vault exported 4,000 keys overnight.
  - id: I-2
    at: 2m
    sensitive: true
    from: Hollis & Crane LLP
    to: [ic]
    title: Outside counsel warns about Project Nightjar disclosure
    message: |
      Jonas, our client agreement for Project Nightjar requires notice
      within 4 hours. Call me on 555-0134.
    expected_action: Brief the general counsel.
    decision:
      prompt: Notify the client now?
      options:
        - {id: now, label: Notify Nightjar's sponsor now}
        - {id: later, label: Wait for forensics}
"""

SCRIPT = """\
- {at: 0s, as: control, do: start}
- {at: 0s, as: soc, do: join, participant: Mira Okafor}
- {at: 1m30s, as: soc, do: acknowledge, inject: I-1}
- {at: 1m40s, as: soc, do: status, status: busy, task: Paging Jonas Eklund about the exports}
- {at: 2m30s, as: ic, do: decide, inject: I-2, option: now}
- {at: 3m, as: ic, do: note, text: Mira Okafor confirms the Nightjar export list}
- {at: 4m, as: eval, do: rate, objective: O1, rating: S, comment: Jonas rotated late because Ana was off shift}
- {at: 5m, as: eval, do: hotwash, section: strength, text: Fast acknowledgement of I-1}
- {at: 6m, as: control, do: end, reason: Exercise complete}
"""

NAMES = ["Priya Raman", "Jonas Eklund", "Ana Lee", "Tomás Ruiz", "Mira Okafor", "Priya", "Raman", "Jonas", "Eklund",
         "Tomás", "Ruiz"]
MARKED = ["Nightjar", "Hollis", "555-0134", "Brief the general counsel", "Notify the client now",
          "Wait for forensics", "Outside counsel warns", "confirms the Nightjar export list", "rotated late", "7700 900123"]
KEPT = ["Vault audit log shows bulk exports", "Fast acknowledgement of I-1", "Rotate the keys within 20 minutes"]


def _search(texts: dict[str, str]) -> list[str]:
    """Every name and marked text found, as FILE: WORD."""
    found = []
    for where, text in texts.items():
        found += [f"{where}: {word}" for word in NAMES + MARKED if word.casefold() in text.casefold()]
        found += [f"{where}: Ana" for _ in [1] if " Ana " in text or "Ana," in text]
    return found


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("redact")
    (folder / "vault.yaml").write_text(SCENARIO)
    (folder / "script.yaml").write_text(SCRIPT)
    db = folder / "drills.db"
    d = headless(db, str(folder / "vault.yaml"), folder / "script.yaml")
    keys = make_keys(folder / "keys")
    drilltui("attest", d, "--db", db, "--key", keys["ed25519"], "--as", "Ines Moreau, Audit Ltd", "--role", "auditor")
    return db, d, keys


def test_the_full_report_has_the_names(drill: tuple[Path, str, dict[str, Path]]) -> None:
    db, d, _ = drill
    text = drilltui("report", d, "--db", db, "--format", "json").stdout
    assert "Mira Okafor" in text and "Jonas Eklund" in text and "rotated late" in text  # the search below can find them


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_redacted_report_has_no_name_or_marked_text(drill: tuple[Path, str, dict[str, Path]], fmt: str) -> None:
    db, d, _ = drill
    text = drilltui("report", d, "--db", db, "--format", fmt, "--redact").stdout
    assert _search({fmt: text}) == []
    for kept in KEPT:
        assert kept in text
    assert "Participant" in text and "[redacted text" in text


def test_redaction_keeps_timings_ratings_and_structure(drill: tuple[Path, str, dict[str, Path]]) -> None:
    db, d, _ = drill
    full = json.loads(drilltui("report", d, "--db", db, "--format", "json").stdout)
    red = json.loads(drilltui("report", d, "--db", db, "--format", "json", "--redact").stdout)

    def shape(r: dict) -> object:
        return ([(i["id"], i["status"], i["ack_seconds"], i["release"] and i["release"]["at"], i["decision"] and i["decision"]["option"])
                 for i in r["injects"]],
                [(o["id"], o["rating"] and o["rating"]["rating"], o["rating"] and o["rating"]["at"]) for o in r["objectives"]],
                r["overview"]["totals"], r["overview"]["wall_seconds"], [p["role"] for p in r["overview"]["participants"]],
                [len(p["names"]) for p in r["overview"]["participants"]], r["integrity"]["event_count"])

    assert shape(red) == shape(full)
    assert red["chain_evidence"]["log"] == "redacted" and red["chain_evidence"]["verified"] is True
    assert red["chain_evidence"]["attestations"][0]["valid"] is True
    assert red["chain_evidence"]["head_hash"] != full["chain_evidence"]["head_hash"]


def test_redacted_bundle_has_no_name_and_verifies(drill: tuple[Path, str, dict[str, Path]], tmp_path: Path) -> None:
    db, d, _ = drill
    bundle = tmp_path / "public.zip"
    drilltui("bundle", d, "--db", db, "-o", bundle, "--redact")
    with zipfile.ZipFile(bundle) as z:
        texts = {i.filename: z.read(i).decode("utf-8") for i in z.infolist()}
    assert _search(texts) == []
    out = drilltui("verify", bundle, check=False)
    assert out.returncode == 0, out.stdout
    assert "1 attestation valid" in out.stdout and "(redacted)" in out.stdout
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    folder = tmp_path / "public"
    script = subprocess.run([sys.executable, "-I", "-S", str(folder / "verify_chain.py"), str(folder)],
                            capture_output=True, text=True)
    head = json.loads((folder / "drill.json").read_text())["drill"]["head_hash"]
    assert (script.returncode, script.stdout.strip()) == (0, head), script.stderr
    (path,) = (folder / "attestations").glob("*.txt")
    statement = dict(line.split(": ", 1) for line in path.read_text().splitlines())
    assert statement["chain"] == "redacted" and statement["attested-by"] == "Ines Moreau, Audit Ltd"
    attested = json.loads((folder / "events.jsonl").read_text().splitlines()[int(statement["events"]) - 1])["hash"]
    assert statement["head-hash"] == attested


def test_a_redacted_value_can_be_proved_by_revealing_its_salt(drill: tuple[Path, str, dict[str, Path]], tmp_path: Path) -> None:
    """The documented commitment: SHA-256(salt || value), salt = HMAC-SHA256(seed, "SEQ\\nPATH")."""
    db, d, _ = drill
    bundle = tmp_path / "public.zip"
    drilltui("bundle", d, "--db", db, "-o", bundle, "--redact")
    with zipfile.ZipFile(bundle) as z:
        events = [json.loads(x) for x in z.read("public/events.jsonl").decode().splitlines()]
    note = next(e for e in events if e["kind"] == "note_added")
    with sqlite3.connect(db) as conn:
        seed = json.loads(conn.execute("SELECT data FROM event WHERE kind = 'drill_attested'").fetchone()[0])["redaction_seed"]
    salt = hmac.new(bytes.fromhex(seed), f"{note['seq']}\ndata.text".encode(), hashlib.sha256).digest()
    original = "Mira Okafor confirms the Nightjar export list"
    assert note["data"]["text"].startswith("[redacted text")
    assert note["redacted"]["data.text"] == hashlib.sha256(salt + original.encode()).hexdigest()
    assert note["actor"]["participant"].startswith("Participant ")


def test_a_tampered_redacted_bundle_is_named(drill: tuple[Path, str, dict[str, Path]], tmp_path: Path) -> None:
    db, d, _ = drill
    bundle = tmp_path / "public.zip"
    drilltui("bundle", d, "--db", db, "-o", bundle, "--redact")
    with zipfile.ZipFile(bundle) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    # Swap who did what: the placeholders are part of each event's commitment hash.
    files["public/events.jsonl"] = files["public/events.jsonl"].replace(b"Participant 3", b"Participant 2", 1)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    out = drilltui("verify", forged, check=False)
    assert out.returncode == 1 and "events.jsonl: the chain breaks at event" in out.stdout


def test_unattested_drill_redacts_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "vault.yaml").write_text(SCENARIO)
    (tmp_path / "script.yaml").write_text(SCRIPT)
    db = tmp_path / "drills.db"
    d = headless(db, str(tmp_path / "vault.yaml"), tmp_path / "script.yaml")
    out = drilltui("bundle", d, "--db", db, "-o", tmp_path / "b.zip", "--redact")
    assert "nothing signed vouches for them" in out.stderr
    assert drilltui("verify", tmp_path / "b.zip", check=False).returncode == 0


def test_the_scenario_lists_only_known_sensitive_fields(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO.replace("sensitive: [notes, comments]", "sensitive: [notes, coments]"))
    out = drilltui("validate", tmp_path / "s.yaml", check=False)
    assert out.returncode == 2 and "sensitive lists 'coments'" in out.stdout + out.stderr and "did you mean 'comments'" in out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")
def test_redacted_statement_checks_with_ssh_keygen(drill: tuple[Path, str, dict[str, Path]], tmp_path: Path) -> None:
    db, d, keys = drill
    bundle = tmp_path / "public.zip"
    drilltui("bundle", d, "--db", db, "-o", bundle, "--redact")
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    (statement,) = (tmp_path / "public" / "attestations").glob("*.txt")
    algorithm, key = Path(f"{keys['ed25519']}.pub").read_text().split()[:2]
    (tmp_path / "signers").write_text(f'ines@audit.example namespaces="drilltui-attestation" {algorithm} {key}\n')
    good = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "signers"), "-I", "ines@audit.example",
                           "-n", "drilltui-attestation", "-s", f"{statement}.sig"],
                          input=statement.read_bytes(), capture_output=True)
    assert good.returncode == 0, good.stderr


def test_redacted_scenario_still_loads(drill: tuple[Path, str, dict[str, Path]], tmp_path: Path) -> None:
    db, d, _ = drill
    bundle = tmp_path / "public.zip"
    drilltui("bundle", d, "--db", db, "-o", bundle, "--redact")
    with zipfile.ZipFile(bundle) as z:
        (tmp_path / "s.yaml").write_bytes(z.read("public/scenario.yaml"))
    assert drilltui("validate", tmp_path / "s.yaml").returncode == 0
    assert (ROOT / "docs" / "verify_chain.py").exists()


def test_a_broken_log_is_not_redacted(tmp_path: Path) -> None:
    (tmp_path / "vault.yaml").write_text(SCENARIO)
    (tmp_path / "script.yaml").write_text(SCRIPT)
    db = tmp_path / "drills.db"
    d = headless(db, str(tmp_path / "vault.yaml"), tmp_path / "script.yaml")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE event SET data = replace(data, 'Mira', 'Myra') WHERE seq = 2")
    out = drilltui("report", d, "--db", db, "--redact", check=False)
    assert out.returncode == 2 and "does not verify" in out.stderr and out.stdout == ""
    assert drilltui("report", d, "--db", db, check=False).returncode == 0  # the full report still comes, with a warning
