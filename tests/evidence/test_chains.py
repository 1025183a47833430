"""Bundles, `verify drill.zip` and the stdlib script for drills on either chain: 1 (made before schema 2) and 2."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from evidencekit import ROOT, drilltui, headless, make_keys, on_chain

SCRIPT = ROOT / "docs" / "verify_chain.py"
CHAINS = (1, 2)
pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")


@pytest.fixture(scope="module")
def drills(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, str, Path]]:
    """One headless drill, attested and bundled once on each chain: (database, drill id, bundle) by chain."""
    folder = tmp_path_factory.mktemp("chains")
    keys = make_keys(folder / "keys")
    source = folder / "source.db"
    drill = headless(source)
    out = {}
    for chain in CHAINS:
        db = folder / f"chain-{chain}.db"
        on_chain(source, drill, db, chain)
        drilltui("attest", drill, "--db", db, "--key", keys["ed25519"], "--as", "Ines Moreau, Audit Ltd", "--role", "auditor")
        bundle = folder / f"chain-{chain}" / "drill.zip"
        bundle.parent.mkdir()
        drilltui("bundle", drill, "--db", db, "-o", bundle)
        out[chain] = (db, drill, bundle)
    return out


def script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """docs/verify_chain.py with no site-packages at all, as an auditor without drilltui runs it."""
    return subprocess.run([sys.executable, "-I", "-S", str(SCRIPT), *map(str, args)], capture_output=True, text=True)


def head_of(db: Path, drill: str) -> str:
    """The last hash the store's own verify gives."""
    out = drilltui("verify", drill, "--db", db).stdout
    return out.split("last hash ")[1].split()[0]


def files_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as z:
        return {i.filename.split("/", 1)[1]: z.read(i) for i in z.infolist()}


def resummed(path: Path, files: dict[str, bytes]) -> Path:
    """A bundle of these files with SHA256SUMS rewritten to match, as a careful forger would."""
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {p}\n" for p, d in sorted(files.items()) if p != "SHA256SUMS")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in {**files, "SHA256SUMS": sums.encode()}.items():
            z.writestr(f"drill/{name}", data)
    return path


def with_record(files: dict[str, bytes], **drill: object) -> dict[str, bytes]:
    """The files with drill.json's drill record changed (a value of None removes the key)."""
    record = json.loads(files["drill.json"])
    for key, value in drill.items():
        if value is None:
            record["drill"].pop(key)
        else:
            record["drill"][key] = value
    return {**files, "drill.json": (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()}


@pytest.mark.parametrize("chain", CHAINS)
def test_a_drill_on_either_chain_bundles_and_verifies(drills: dict[int, tuple[Path, str, Path]], chain: int,
                                                      tmp_path: Path) -> None:
    db, drill, bundle = drills[chain]
    record = json.loads(files_of(bundle)["drill.json"])["drill"]
    assert record["chain"] == chain and {"id", "scenario_id", "title", "created_at", "scenario_sha256"} <= set(record)
    out = drilltui("verify", bundle, check=False)
    assert out.returncode == 0, out.stdout
    assert f"ok, 43 events, chain intact; last hash {head_of(db, drill)}" in out.stdout
    assert "1 attestation valid" in out.stdout
    assert drilltui("verify", drill, "--db", db, "--attestations", check=False).returncode == 0
    redacted = tmp_path / "redacted.zip"
    drilltui("bundle", drill, "--db", db, "-o", redacted, "--redact")
    out = drilltui("verify", redacted, check=False)
    assert out.returncode == 0 and "1 attestation valid" in out.stdout and "(redacted)" in out.stdout, out.stdout


def test_the_two_chains_give_the_same_events_different_heads(drills: dict[int, tuple[Path, str, Path]]) -> None:
    """The same events hang from another genesis on each chain, so no hash of one is a hash of the other."""
    (db1, drill, _), (db2, _, _) = drills[1], drills[2]
    assert head_of(db1, drill) != head_of(db2, drill)
    one, two = (drilltui("export", drill, "--db", db).stdout.splitlines() for db in (db1, db2))
    strip = lambda lines: [{k: v for k, v in json.loads(x).items() if k not in ("hash", "prev_hash")} for x in lines]  # noqa: E731
    assert strip(one)[:-1] == strip(two)[:-1]  # all but the attestations, which sign different heads


@pytest.mark.parametrize("chain", CHAINS)
def test_the_script_reproduces_the_head_of_either_chain(drills: dict[int, tuple[Path, str, Path]], chain: int,
                                                        tmp_path: Path) -> None:
    db, drill, bundle = drills[chain]
    head = head_of(db, drill)
    with zipfile.ZipFile(bundle) as z:
        z.extractall(tmp_path)
    for args in ([db, drill], [bundle], [tmp_path / "drill"]):
        out = script(*args)
        assert (out.returncode, out.stdout.strip()) == (0, head), out.stderr


def test_the_script_reads_a_schema_1_file(tmp_path: Path) -> None:
    from store.test_migration import schema_1_file

    last = schema_1_file(tmp_path / "old.db")
    out = script(tmp_path / "old.db", "old-1")
    assert (out.returncode, out.stdout.strip()) == (0, last), out.stderr


def test_a_real_schema_1_database_bundles_and_is_attested_on_chain_1(tmp_path: Path) -> None:
    """A database as drilltui wrote it before schema 2, bundled read-only as it is, then attested (which migrates it)."""
    legacy, drill = ROOT / "tests" / "data" / "legacy", "hospital-ransomware-20260101-0900"
    db = tmp_path / "drills.db"
    shutil.copyfile(legacy / "drills-e5b5b44.db", db)
    head = json.loads((legacy / "events-e5b5b44.jsonl").read_text().splitlines()[-1])["hash"]
    bundle = tmp_path / "drill.zip"
    drilltui("bundle", drill, "--db", db, "-o", bundle)
    assert json.loads(files_of(bundle)["drill.json"])["drill"]["chain"] == 1
    assert f"ok, 50 events, chain intact; last hash {head}" in drilltui("verify", bundle).stdout
    for args in ([db, drill], [bundle]):
        out = script(*args)
        assert (out.returncode, out.stdout.strip()) == (0, head), out.stderr
    keys = make_keys(tmp_path / "keys")
    drilltui("attest", drill, "--db", db, "--key", keys["ed25519"], "--as", "Ines Moreau, Audit Ltd")
    drilltui("bundle", drill, "--db", db, "-o", bundle)
    out = drilltui("verify", bundle)
    assert "ok, 51 events, chain intact" in out.stdout and "1 attestation valid" in out.stdout
    assert json.loads(files_of(bundle)["drill.json"])["drill"]["chain"] == 1
    assert script(db, drill).stdout.strip() == head_of(db, drill)


def test_a_changed_title_breaks_chain_2(drills: dict[int, tuple[Path, str, Path]], tmp_path: Path) -> None:
    db, drill, bundle = drills[2]
    forged = resummed(tmp_path / "drill.zip", with_record(files_of(bundle), title="A quieter drill"))
    out = drilltui("verify", forged, check=False)
    assert out.returncode == 1
    assert "drill.json: the chain breaks at event 0: the drill's record (its title, scenario, scenario id or creation " \
           "time) was changed" in out.stdout, out.stdout
    out = script(forged)
    assert out.returncode == 1 and "the drill's record (its title, scenario id or creation time) was changed" in out.stderr
    edited = tmp_path / "edited.db"
    shutil.copy(db, edited)
    with sqlite3.connect(edited) as conn:
        conn.execute("UPDATE drill SET created_at = '2020-01-01T00:00:00.000000Z' WHERE id = ?", (drill,))
    out = script(edited, drill)
    assert out.returncode == 1 and "the drill's record" in out.stderr


def test_a_bundle_that_names_no_chain_is_of_chain_1(drills: dict[int, tuple[Path, str, Path]], tmp_path: Path) -> None:
    """As every bundle was before drill.json named the chain."""
    db, drill, bundle = drills[1]
    older = resummed(tmp_path / "drill.zip", with_record(files_of(bundle), chain=None))
    out = script(older)
    assert (out.returncode, out.stdout.strip()) == (0, head_of(db, drill)), out.stderr
    out = drilltui("verify", older, check=False)
    assert "chain breaks" not in out.stdout and "drill.json:" not in out.stdout, out.stdout


@pytest.mark.parametrize("chain, why", [
    (3, "drill.json: the chain breaks at event 0: the drill's record names chain 3, which this drilltui does not know"),
    (1, "event 1 does not follow the drill's genesis hash"),  # a chain-2 drill passed off as chain 1
])
def test_a_wrong_chain_is_named(drills: dict[int, tuple[Path, str, Path]], tmp_path: Path, chain: int, why: str) -> None:
    forged = resummed(tmp_path / "drill.zip", with_record(files_of(drills[2][2]), chain=chain))
    out = drilltui("verify", forged, check=False)
    assert out.returncode == 1 and why in out.stdout, out.stdout
    assert script(forged).returncode == 1


@pytest.mark.parametrize("chain", CHAINS)
def test_a_postgresql_drill_bundles_to_the_same_bytes(drills: dict[int, tuple[Path, str, Path]], chain: int,
                                                      tmp_path: Path) -> None:
    from store.conftest import fresh_pg_database

    db, drill, bundle = drills[chain]
    url, drop = asyncio.run(fresh_pg_database())
    try:
        drilltui("copy", "--from", db, "--to", url)  # the drill keeps its chain
        again = tmp_path / "drill.zip"
        drilltui("bundle", drill, "--db", url, "-o", again)
        assert again.read_bytes() == bundle.read_bytes()
        assert drilltui("verify", drill, "--db", url, "--attestations", check=False).returncode == 0
    finally:
        asyncio.run(drop())
