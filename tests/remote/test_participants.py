"""The participants file: loading, key matching, and FILE:LINE errors for every mistake."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest
from samples import MINIMAL

from drilltui.remote.participants import ParticipantsError, load_participants, loads_participants, parse_key
from drilltui.scenario import loads

SCENARIO = loads(MINIMAL)


def pub(key: asyncssh.SSHKey) -> str:
    return key.export_public_key().decode().strip()


@pytest.fixture(scope="module")
def keys() -> list[asyncssh.SSHKey]:
    return [
        asyncssh.generate_private_key("ssh-ed25519", comment="priya@laptop"),
        asyncssh.generate_private_key("ssh-ed25519"),
        asyncssh.generate_private_key("ecdsa-sha2-nistp256"),
    ]


def errors(text: str) -> list[str]:
    with pytest.raises(ParticipantsError) as info:
        loads_participants(text, "people.yaml", SCENARIO)
    return [str(p) for p in info.value.problems]


def test_the_documented_shape_loads(keys) -> None:
    roster = loads_participants(
        f"""participants:
  - name: Priya Natarajan
    role: ic
    keys:
      - {pub(keys[0])}
      - {pub(keys[2])}
  - name: Independent Auditor
    role: obs
    keys: [{pub(keys[1])}]
""", "people.yaml", SCENARIO)
    priya, auditor = roster.participants
    assert (priya.name, priya.role, len(priya.keys), priya.line) == ("Priya Natarajan", "ic", 2, 2)
    assert auditor.role == "obs"
    assert roster.match(keys[0]) is priya and roster.match(keys[2]) is priya
    assert roster.match(keys[1]) is auditor
    assert roster.match(asyncssh.generate_private_key("ssh-ed25519")) is None
    assert priya.fingerprints[0] == keys[0].get_fingerprint("sha256")


def test_a_key_matches_by_its_public_part_not_its_comment(keys) -> None:
    bare = pub(keys[0]).rsplit(" ", 1)[0]
    roster = loads_participants(f"participants:\n  - {{name: P, role: ic, keys: [{bare} another-comment]}}\n", "p.yaml", SCENARIO)
    assert roster.match(keys[0]) is not None


def test_unknown_role_names_the_line_and_the_roles(keys) -> None:
    (problem,) = errors(f"participants:\n  - name: P\n    role: icc\n    keys: [{pub(keys[0])}]\n")
    assert problem.startswith("people.yaml:3:11: error: unknown role 'icc'")
    assert "control, ic, lead" in problem and "did you mean 'ic'" in problem


def test_malformed_keys_name_their_line(keys) -> None:
    text = f"""participants:
  - name: P
    role: ic
    keys:
      - {pub(keys[0])}
      - ssh-ed25519 AAAAnot-base64
      - ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ
      - command="sh" {pub(keys[1])}
      - just some text
"""
    problems = errors(text)
    assert [p.split(":")[1] for p in problems] == ["6", "7", "8", "9"]
    assert all("malformed key of participant 'P'" in p for p in problems)
    assert "no authorized_keys options" in problems[2]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "a participants file is a mapping"),
        ("- a\n", 1, "a participants file is a mapping"),
        ("participants: []\n", 1, "non-empty list"),
        ("participants:\n  - just a name\n", 2, "each participant is a mapping"),
        ("participants:\n  - {role: ic, keys: [KEY]}\n", 2, "has no 'name'"),
        ("participants:\n  - {name: P, keys: [KEY]}\n", 2, "has no 'role'"),
        ("participants:\n  - {name: P, role: ic}\n", 2, "has no 'keys'"),
        ("participants:\n  - {name: P, role: ic, keys: []}\n", 2, "keys of participant 'P' is empty"),
        ("participants:\n  - {name: P, role: ic, keys: [KEY], email: p@x}\n", 2, "unknown key 'email'"),
        ("participants:\n  - {name: 42, role: ic, keys: [KEY]}\n", 2, "name of the participant on line 2 must be non-empty text"),
        ("participants:\n  - {name: P, role: ic, keys: [KEY]}\nextra: 1\n", 3, "unknown key 'extra'"),
        ("participants:\n  - {name: P, role: ic, keys: [KEY]\n", 3, "YAML syntax"),
        ("participants: !!python/object {}\n", 1, "tag !!python/object is not allowed"),
    ],
)
def test_shape_errors_name_the_line(keys, text: str, line: int, message: str) -> None:
    problems = errors(text.replace("KEY", pub(keys[0])))
    assert any(p.startswith(f"people.yaml:{line}:") and message in p for p in problems), problems


def test_names_and_keys_are_unique(keys) -> None:
    text = f"""participants:
  - {{name: Priya, role: ic, keys: [{pub(keys[0])}]}}
  - {{name: priya, role: soc, keys: [{pub(keys[1])}]}}
  - {{name: Sam, role: soc, keys: ["{pub(keys[0])}"]}}
"""
    problems = errors(text)
    assert any(p.startswith("people.yaml:3:") and "already used on line 2" in p for p in problems)
    assert any(p.startswith("people.yaml:4:") and "already Priya's" in p for p in problems)


def test_every_role_kind_may_be_listed_and_the_implicit_controller_too(keys) -> None:
    text = "participants:\n" + "".join(
        f"  - {{name: N{i}, role: {role}, keys: [{pub(asyncssh.generate_private_key('ssh-ed25519'))}]}}\n"
        for i, role in enumerate(r.id for r in SCENARIO.roles)
    )
    assert len(loads_participants(text, "p.yaml", SCENARIO).participants) == len(SCENARIO.roles)
    no_controller = loads(MINIMAL.replace("    kind: controller\n", ""))
    roster = loads_participants(f"participants:\n  - {{name: D, role: exercise-control, keys: [{pub(keys[0])}]}}\n", "p.yaml", no_controller)
    assert roster.participants[0].role == "exercise-control"


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ParticipantsError, match=r"nope.yaml:1:1: error: no such file"):
        load_participants(tmp_path / "nope.yaml", SCENARIO)
    with pytest.raises(ParticipantsError, match="is a folder"):
        load_participants(tmp_path, SCENARIO)
    (tmp_path / "bin.yaml").write_bytes(b"participants:\n  - \xff\n")
    with pytest.raises(ParticipantsError, match=r"bin.yaml:2:5: error: byte 0xff is not UTF-8"):
        load_participants(tmp_path / "bin.yaml", SCENARIO)


def test_parse_key_accepts_the_common_types(keys) -> None:
    rsa = asyncssh.generate_private_key("ssh-rsa", key_size=2048)
    for key in (*keys, rsa):
        assert parse_key(pub(key)).public_data == key.public_data
    with pytest.raises(ValueError, match="one line"):
        parse_key(pub(keys[0]) + "\n" + pub(keys[1]))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (r"Priya\e]52;c;cm0gLXJmIH4=\a", "ESC (U+001B)"),  # OSC 52: writes the reader's clipboard
        (r"Sam\e[5n", "ESC (U+001B)"),  # makes the terminal type a reply
        (r"Ola\x9b2J", "CSI (U+009B)"),
        (r"Eve\u202Eevil", "a bidirectional control (U+202E)"),
        (r"two\nlines", "newline (U+000A)"),
    ],
)
def test_names_with_control_characters_are_refused_and_shown_drawn(keys, name: str, shown: str) -> None:
    (problem,) = errors(f'participants:\n  - name: "{name}"\n    role: ic\n    keys: [{pub(keys[0])}]\n')
    assert problem.startswith("people.yaml:2:11: error: name of the participant on line 2 holds " + shown)
    assert not any(c in problem for c in "\x1b\x07\x9b\u202e\n")


def test_names_starting_with_a_dash_are_refused(keys) -> None:
    (problem,) = errors(f"participants:\n  - name: --db=/tmp/x\n    role: ic\n    keys: [{pub(keys[0])}]\n")
    assert problem.startswith("people.yaml:2:11: error: name '--db=/tmp/x' starts with '-'")


def test_unknown_keys_and_bad_key_lines_are_shown_drawn(keys) -> None:
    problems = errors('participants:\n  - name: P\n    role: ic\n    "k\\e[2J": 1\n    keys: ["ssh-ed25519 \\e]0;pwned\\a"]\n')
    assert len(problems) == 2 and all("\x1b" not in p for p in problems)
    assert "unknown key 'k^[[2J'" in problems[0] and "^[]0;pwned^G" in problems[1]


def test_an_endless_file_is_one_line_at_once() -> None:
    with pytest.raises(ParticipantsError, match=r"^/dev/zero:1:1: error: ") as info:
        load_participants("/dev/zero", SCENARIO)
    assert len(info.value.problems) == 1
