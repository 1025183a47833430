"""`drilltui serve` and `drilltui participants` as a person runs them: bad input is one line and exit 2."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat

import asyncssh
import pytest


@pytest.fixture
def drilled(drilled_once):  # type: ignore[no-untyped-def]
    return drilled_once  # these tests leave the drill as they found it


def key_line() -> str:
    return asyncssh.generate_private_key("ssh-ed25519", comment="p@laptop").export_public_key().decode().strip()


def people(drilled, role: str = "ic"):  # type: ignore[no-untyped-def]
    return drilled.participants_file({"p": ("Priya Natarajan", role, key_line())})


def one_line_error(result, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("drilltui: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def serve_args(drilled, people_file, *more: str) -> list[str]:  # type: ignore[no-untyped-def]
    return ["serve", drilled.drill_id, "--db", str(drilled.db), "--participants", str(people_file), "--listen", "127.0.0.1:0", *more]


def test_participants_check_lists_people_and_access(drilled, drilltui) -> None:
    path = drilled.participants_file({
        "p": ("Priya Natarajan", "ic", key_line()),
        "a": ("Independent Auditor", "obs", key_line()),
    })
    result = drilltui("participants", str(path), "--scenario", str(drilled.scenario))
    assert result.returncode == 0, result.stderr
    assert "Priya Natarajan" in result.stdout and "read-only" in result.stdout and "SHA256:" in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("ok (2 participants, 2 keys, checked against mini)")
    by_drill = drilltui("participants", str(path), "--scenario", drilled.drill_id[:6], "--db", str(drilled.db))
    assert by_drill.returncode == 0 and f"checked against drill {drilled.drill_id}" in by_drill.stdout


def test_participants_check_names_file_and_line(drilled, drilltui) -> None:
    path = drilled.root / "bad.yaml"
    path.write_text(f"participants:\n  - name: P\n    role: captain\n    keys: [{key_line()}]\n")
    result = drilltui("participants", str(path), "--scenario", str(drilled.scenario))
    one_line_error(result, f"{path}:3:11: error: unknown role 'captain'")
    path.write_text("participants:\n  - name: P\n    role: ic\n    keys:\n      - ssh-ed25519 AAAAC3Nza-truncated\n")
    one_line_error(drilltui("participants", str(path), "--scenario", str(drilled.scenario)), f"{path}:5:9: error: malformed key")


@pytest.mark.parametrize("command", ["participants", "serve"])
def test_a_name_with_an_escape_or_a_leading_dash_is_refused_and_shown_drawn(drilled, drilltui, command: str) -> None:
    for name, fragment in (('"Priya\\e]0;pwned\\a"', "holds ESC (U+001B): 'Priya^[]0;pwned^G'"),
                           ("--db=/tmp/x", "name '--db=/tmp/x' starts with '-'")):
        path = drilled.root / "people.yaml"
        path.write_text(f"participants:\n  - name: {name}\n    role: ic\n    keys: [{key_line()}]\n")
        args = ["participants", str(path), "--scenario", str(drilled.scenario)] if command == "participants" else serve_args(drilled, path)
        result = drilltui(*args)
        one_line_error(result, f"{path}:2:11: error: ", fragment)
        assert "\x1b" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ("missing-participants", ("nope.yaml:1:1: error: no such file",)),
        ("unknown-role", ("people.yaml:3:11: error: unknown role 'captain'",)),
        ("no-such-drill", ("no drill 'zzz'",)),
        ("not-our-db", ("is not a drilltui database",)),
        ("host-key-garbage", ("is not a usable SSH private key",)),
        ("host-key-folder", ("is a folder, not a host key",)),
        ("host-key-open", ("is open to others (mode 0644)",)),
        ("address-not-bindable", ("cannot listen on 192.0.2.1:2222: Cannot assign requested address",)),
        ("bad-listen", ("--listen :2222: name the address",)),
        ("bad-idle", ("--idle: 'soon' is not a duration",)),
        ("bad-max", ("--max-sessions 0",)),
    ],
)
def test_serve_bad_input_is_one_line_exit_2(drilled, drilltui, change: str, fragments: tuple[str, ...]) -> None:
    path = people(drilled, "captain" if change == "unknown-role" else "ic")
    args = serve_args(drilled, path)
    root = drilled.root
    if change == "missing-participants":
        args[args.index(str(path))] = str(root / "nope.yaml")
    elif change == "no-such-drill":
        args[1] = "zzz"
    elif change == "not-our-db":
        (root / "other.db").write_text("hello\n")
        args[args.index(str(drilled.db))] = str(root / "other.db")
    elif change.startswith("host-key"):
        key = root / change
        if change == "host-key-folder":
            key.mkdir()
        elif change == "host-key-garbage":
            key.write_text("garbage\n")
            key.chmod(0o600)
        else:
            key.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_private_key())
            key.chmod(0o644)
        args += ["--host-key", str(key)]
    elif change == "address-not-bindable":
        args[args.index("127.0.0.1:0")] = "192.0.2.1:2222"  # TEST-NET: never an address of this machine
    elif change == "bad-listen":
        args[args.index("127.0.0.1:0")] = ":2222"
    elif change == "bad-idle":
        args += ["--idle", "soon"]
    elif change == "bad-max":
        args += ["--max-sessions", "0"]
    one_line_error(drilltui(*args), *fragments)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
@pytest.mark.parametrize("which", ["participants", "serve --participants", "serve --host-key"])
def test_endless_or_blocking_files_are_one_line_at_once(drilled, drilltui, tmp_path, which: str, special: str) -> None:
    path = special
    if special == "fifo":
        path = str(tmp_path / "named.fifo")
        os.mkfifo(path)
    if which == "participants":
        args = ["participants", path, "--scenario", drilled.drill_id, "--db", str(drilled.db)]
    elif which == "serve --participants":
        args = serve_args(drilled, path)
    else:
        args = [*serve_args(drilled, people(drilled)), "--host-key", path]
    result = drilltui(*args, timeout=20)  # a hang fails here instead of holding the suite
    one_line_error(result, path)


def test_serve_port_in_use(drilled, drilltui) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = serve_args(drilled, people(drilled))
        args[args.index("127.0.0.1:0")] = f"127.0.0.1:{port}"
        one_line_error(drilltui(*args), f"cannot listen on 127.0.0.1:{port}: Address already in use")


def test_serve_locked_database(drilled, drilltui) -> None:
    holder = sqlite3.connect(drilled.db, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        one_line_error(drilltui(*serve_args(drilled, people(drilled)), timeout=90), "is locked by another program")
    finally:
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_serve_read_only_database(drilled, drilltui) -> None:
    drilled.db.chmod(0o444)
    try:
        one_line_error(drilltui(*serve_args(drilled, people(drilled))), "is read-only")
    finally:
        drilled.db.chmod(0o644)


def test_serve_a_scenario_creates_a_drill_and_a_host_key(drilled, drilltui, serve) -> None:
    db = drilled.root / "fresh" / "drills.db"
    server = serve(str(drilled.scenario), "--db", str(db), "--participants", str(people(drilled)), "--listen", "127.0.0.1:0")
    drill_id = server.wait_for(r"new drill (\S+) of mini").group(1)
    fingerprint = server.wait_for(r"host key (SHA256:\S+)").group(1)
    key_file = db.with_name("drills.db.ssh_host_ed25519_key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert asyncssh.read_private_key(key_file).get_fingerprint("sha256") == fingerprint
    assert server.stop() == 0
    assert "stopped" in server.output
    listed = drilltui("drills", "--db", str(db))
    assert drill_id in listed.stdout
    again = serve(drill_id, "--db", str(db), "--participants", str(people(drilled)), "--listen", "127.0.0.1:0")
    assert again.wait_for(r"host key (SHA256:\S+)").group(1) == fingerprint  # kept across starts
    assert again.stop() == 0
