"""Many hosts, one drill: three `drilltui serve` on one PostgreSQL drill, a real OpenSSH client on each."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from remote.conftest import SCRIPT, Served, run_drilltui
from remote.test_e2e_ssh import KEYGEN, SSH, TMUX, WHO, Terminals
from samples import MINIMAL
from store.conftest import fresh_pg_database

pytestmark = [
    pytest.mark.skipif(not (SSH and KEYGEN), reason="the OpenSSH client is not installed (apt-get install openssh-client)"),
    pytest.mark.skipif(not TMUX, reason="tmux is not installed (apt-get install tmux)"),
]

HOSTS = {"soc": 0, "ic": 1, "obs": 2}  # who connects to which of the three servers


@pytest.fixture
def pg_url() -> Iterator[str]:
    url, drop = asyncio.run(fresh_pg_database())
    yield url
    asyncio.run(drop())


def test_participants_on_three_hosts_see_each_others_actions(tmp_path: Path, pg_url: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # participants' folders: not the real home
    (tmp_path / "mini.yaml").write_text(MINIMAL)
    (tmp_path / "script.yaml").write_text(SCRIPT)
    ran = run_drilltui("run", str(tmp_path / "mini.yaml"), "--headless", "--script", str(tmp_path / "script.yaml"),
                       "--db", pg_url, "--until", "2m")
    assert ran.returncode == 0, ran.stderr
    drill = ran.stdout.strip().splitlines()[-1]
    keys: dict[str, Path] = {}
    lines = ["participants:"]
    for who, (name, role) in WHO.items():
        keys[who] = tmp_path / f"id_{who}"
        subprocess.run([KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", f"{who}@test", "-f", str(keys[who])],  # type: ignore[list-item]
                       check=True, timeout=30)
        lines += [f"  - name: {name}", f"    role: {role}", "    keys:", f"      - {keys[who].with_suffix('.pub').read_text().strip()}"]
    people = tmp_path / "people.yaml"
    people.write_text("\n".join(lines) + "\n")
    hosts: list[Served] = []
    terminals: list[Terminals] = []
    try:
        for n in range(3):
            (tmp_path / f"host{n}").mkdir()
            hosts.append(Served(drill, "--db", pg_url, "--participants", str(people), "--listen", "127.0.0.1:0",
                                "--host-key", str(tmp_path / f"host{n}" / "key")))
            terminals.append(Terminals(tmp_path, hosts[-1].port, keys))  # one tmux server, one port per host
        screen = {who: terminals[n] for who, n in HOSTS.items()}
        for who, t in screen.items():
            t.open(who)
        for who, t in screen.items():
            t.wait_screen(who, rf"{WHO[who][0]} as ")
            t.wait_screen(who, r"I-1 MED ● new")
        screen["soc"].keys_to("soc", "a")  # on host 0
        screen["ic"].wait_screen("ic", r"I-1 MED ✓ ack")  # seen on host 1
        screen["obs"].wait_screen("obs", r"I-1 MED ✓ ack")  # and on host 2
        screen["ic"].wait_screen("ic", rf"acknowledged by {WHO['soc'][0]} \(SOC Analyst\)")
        screen["ic"].keys_to("ic", "x")  # on host 1: the incident commander closes it
        screen["soc"].wait_screen("soc", r"I-1 MED ✔ resolved")  # seen on host 0
        screen["obs"].wait_screen("obs", r"I-1 MED ✔ resolved")  # and on host 2
        for n, who in enumerate(HOSTS):
            hosts[n].wait_for(rf"joined {WHO[who][0]} \({WHO[who][1]}\) from 127\.0\.0\.1:\d+")
    finally:
        if terminals:
            terminals[0].stop()
        for host in hosts:
            host.stop()
    exported = run_drilltui("export", drill, "--db", pg_url)
    events = [json.loads(line) for line in exported.stdout.splitlines()]
    acted = [(e["kind"], e["actor"]["participant"]) for e in events if e["kind"] in ("inject_acknowledged", "inject_resolved")]
    assert acted == [("inject_acknowledged", "Sam Okafor"), ("inject_resolved", "Priya Natarajan")]
    joined = {e["actor"]["participant"] for e in events if e["kind"] == "participant_joined"}
    assert {name for name, _ in WHO.values()} <= joined
    verified = run_drilltui("verify", drill, "--db", pg_url)
    assert verified.returncode == 0 and ": ok, " in verified.stdout
