"""End to end: `drilltui serve` and the real OpenSSH client, each participant's screen in tmux."""

from __future__ import annotations

import re
import stat
import subprocess
import time
from pathlib import Path

import pytest
from remote.terminals import KEYGEN, SSH, TMUX, Terminals, wait

pytestmark = [
    pytest.mark.skipif(not (SSH and KEYGEN), reason="the OpenSSH client is not installed (apt-get install openssh-client)"),
    pytest.mark.skipif(not TMUX, reason="tmux is not installed (apt-get install tmux)"),
]

WHO = {"ic": ("Priya Natarajan", "ic"), "soc": ("Sam Okafor", "soc"), "obs": ("Ola Auditor", "obs")}


@pytest.fixture
def remote(drilled, serve):  # type: ignore[no-untyped-def]
    keys: dict[str, Path] = {}
    for who in (*WHO, "stranger"):
        keys[who] = drilled.root / f"id_{who}"
        subprocess.run([KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", f"{who}@test", "-f", str(keys[who])], check=True, timeout=30)  # type: ignore[list-item]
    people = {who: (name, role, keys[who].with_suffix(".pub").read_text().strip()) for who, (name, role) in WHO.items()}
    server = serve(drilled.drill_id, "--db", str(drilled.db), "--participants", str(drilled.participants_file(people)),
                   "--listen", "127.0.0.1:0")
    terminals = Terminals(drilled.root, server.port, keys)
    yield drilled, server, terminals
    terminals.stop()


def by(events: list[dict], name: str) -> list[str]:
    return [e["kind"] for e in events if e["actor"]["participant"] == name]


def test_an_acknowledgement_shows_on_the_other_participants_screen(remote) -> None:
    drilled, server, t = remote
    t.open("soc")
    t.open("ic")
    t.wait_screen("soc", r"Sam Okafor as SOC Analyst")
    t.wait_screen("ic", r"Priya Natarajan as Incident Commander")
    t.wait_screen("ic", r"I-1 MED ● new")
    t.wait_screen("soc", r"I-1 MED ● new")
    t.keys_to("soc", "a")
    t.wait_screen("ic", r"acknowledged by Sam Okafor \(SOC Analyst\)")
    t.wait_screen("ic", r"I-1 MED ✓ ack")
    t.wait_screen("ic", r"I-1\s+MED\s+✓ ack\s+Outbound traffic")  # the feed's row, repainted on its own
    events = drilled.events()
    assert by(events, "Sam Okafor") == ["participant_joined", "inject_acknowledged"]
    assert "participant_joined" in by(events, "Priya Natarajan")
    assert re.search(r"joined Sam Okafor \(soc\) from 127\.0\.0\.1:\d+", server.output)


def test_the_host_key_is_kept_0600_and_its_fingerprint_printed(remote) -> None:
    drilled, server, _ = remote
    key_file = drilled.db.with_name(drilled.db.name + ".ssh_host_ed25519_key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    listed = subprocess.run([KEYGEN, "-l", "-f", str(key_file)], capture_output=True, text=True, timeout=30)  # type: ignore[list-item]
    assert server.wait_for(r"host key (SHA256:\S+)").group(1) in listed.stdout


def test_an_unknown_key_is_refused(remote) -> None:
    _, server, t = remote
    result = subprocess.run([*t.ssh("stranger", "-tt"), "drill@127.0.0.1"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 255
    assert "Permission denied (publickey)" in result.stderr
    server.wait_for(r"refused 127\.0\.0\.1:\d+: no participant holds the key\(s\) offered \(SHA256:")


def test_commands_get_no_shell_and_no_content(remote) -> None:
    _, server, t = remote
    for mode in ("-T", "-tt"):
        result = subprocess.run([*t.ssh("ic", mode), "drill@127.0.0.1", "cat", "/etc/passwd"],
                                capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert result.returncode == 1
        assert "root:" not in result.stdout + result.stderr
        assert "drilltui: commands are refused (`cat /etc/passwd`)" in result.stdout + result.stderr
    result = subprocess.run([*t.ssh("ic", "-T"), "drill@127.0.0.1"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and "the drill needs a terminal" in result.stderr
    result = subprocess.run([*t.ssh("ic", "-W", "127.0.0.1:22"), "drill@127.0.0.1"],
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 255 and "SSH-" not in result.stdout  # nothing was forwarded to port 22
    assert "stdio forwarding failed" in result.stderr


def test_an_observers_attempts_to_act_are_refused_and_log_nothing(remote) -> None:
    drilled, _, t = remote
    t.open("obs")
    t.wait_screen("obs", r"Ola Auditor as Observer")
    t.wait_screen("obs", r"I-1 MED ● new")
    for key in ("a", "x", "e", "d", "s", "space", "r", "R", "n", "g", "t", "C-e", "right_square_bracket"):
        t.keys_to("obs", key)
    t.keys_to("obs", "Escape", "C-q")  # leaving is logged after every key before it was handled
    wait(lambda: "participant_left" in by(drilled.events(), "Ola Auditor"), what="the observer to leave")
    events = drilled.events()
    assert by(events, "Ola Auditor") == ["participant_joined", "participant_left"]
    assert [e for e in events if e["actor"]["role"] == "obs"] == [e for e in events if e["actor"]["participant"] == "Ola Auditor"]
    assert "inject_acknowledged" not in [e["kind"] for e in events]


def test_a_dropped_participant_comes_back_to_the_same_state(remote) -> None:
    drilled, server, t = remote
    t.open("soc")
    t.wait_screen("soc", r"I-1 MED ● new")
    t.keys_to("soc", "a")
    t.wait_screen("soc", r"I-1 MED ✓ ack")
    t.close("soc")  # the ssh client dies: the connection drops
    wait(lambda: "participant_left" in by(drilled.events(), "Sam Okafor"), what="participant_left after the drop")
    server.wait_for(r"left Sam Okafor \(soc\) after [\d.]+ min \(disconnected\)")
    t.open("soc")
    t.wait_screen("soc", r"Sam Okafor as SOC Analyst")
    t.wait_screen("soc", r"I-1 MED ✓ ack")
    assert by(drilled.events(), "Sam Okafor") == ["participant_joined", "inject_acknowledged", "participant_left", "participant_joined"]


def test_stopping_the_server_closes_sessions_and_logs_their_leaving(remote) -> None:
    drilled, server, t = remote
    t.open("ic")
    t.wait_screen("ic", r"Priya Natarajan as Incident Commander")
    assert server.stop() == 0
    wait(lambda: not t.alive("ic"), what="the ssh client to end")
    assert by(drilled.events(), "Priya Natarajan") == ["participant_joined", "participant_left"]
    assert "stopped. The drill goes on" in server.output


def test_two_participants_exchange_messages_and_each_sees_the_other_s_within_a_second(remote) -> None:
    drilled, _, t = remote
    for who, title in (("ic", "Priya Natarajan as Incident Commander"), ("soc", "Sam Okafor as SOC Analyst")):
        t.open(who)
        t.wait_screen(who, title)
        t.wait_screen(who, r"I-1 MED")
        t.keys_to(who, "m")  # the messages screen: what arrives shows in the list at once
        t.wait_screen(who, r"No messages here yet")
    # The commander writes to the SOC analyst: the roles list first (control, ic, lead, soc, eval), then the text.
    t.keys_to("ic", "w")
    t.wait_screen("ic", r"▸ To ")  # keys go where the focus is once it is there: each step waits for what it shows
    t.keys_to("ic", "Down", "Down", "Down", "Space")
    t.wait_screen("ic", r"Sending to: SOC Analyst")
    t.keys_to("ic", "Tab", "Tab")
    t.wait_screen("ic", r"▸ Text")
    t.keys_to("ic", "-l", "Isolate tc-east-2 now")
    t.wait_screen("ic", r"Isolate tc-east-2 now")
    start = time.monotonic()
    t.keys_to("ic", "Enter")
    t.wait_screen("soc", r"M-1 .*Incident Comm.*Isolate tc-east-2 now", timeout=5)
    first = time.monotonic() - start
    # The analyst replies: back to the commander, the text field ready.
    t.keys_to("soc", "r")
    t.wait_screen("soc", r"Reply to M-1 from Incident Commander")
    t.wait_screen("soc", r"▸ Text")
    t.wait_screen("soc", r"Sending to: Incident Commander")
    t.keys_to("soc", "-l", "Done at 09:07")
    t.wait_screen("soc", r"Done at 09:07")
    start = time.monotonic()
    t.keys_to("soc", "Enter")
    t.wait_screen("ic", r"M-2 .*SOC Analyst.*Done at 09:07", timeout=5)
    second = time.monotonic() - start
    assert first < 1.0 and second < 1.0, (first, second)
    sent = [e for e in drilled.events() if e["kind"] == "message_sent"]
    assert [(e["actor"]["participant"], e["data"]["to"], e["data"]["text"], e["data"]["reply_to"]) for e in sent] == [
        ("Priya Natarajan", ["soc"], "Isolate tc-east-2 now", None), ("Sam Okafor", ["ic"], "Done at 09:07", "M-1")]
