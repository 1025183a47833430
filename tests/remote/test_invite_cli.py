"""`drilltui invite` and the web options of `serve` and the participants file: links, revocation, and one-line errors."""

from __future__ import annotations

import re

import pytest
from samples import MINIMAL

from drilltui.remote.invitations import InvitationFile, invitations_path
from drilltui.remote.participants import ParticipantsError, loads_participants
from drilltui.scenario import loads

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh7s7oXR9sQYuIq3nJr0VWgEQJ3mX2+1NqgR3tJvY3k test"


@pytest.fixture
def people(drilled):  # type: ignore[no-untyped-def]
    return drilled.participants_file({"soc": ("Sam Okafor", "soc", ""), "obs": ("Ola Auditor", "obs", ""),
                                      "ic": ("Priya Natarajan", "ic", KEY)}, web=("soc", "obs"))


def invite(drilltui, drilled, *args: str):  # type: ignore[no-untyped-def]
    return drilltui("invite", *args, "--db", str(drilled.db))


def test_an_invitation_prints_a_link_and_keeps_only_its_hash(drilled, drilltui, people) -> None:
    result = invite(drilltui, drilled, "sam okafor", "--drill", drilled.drill_id, "--base-url", "https://drill.example.org/",
                    "--participants", str(people), "--uses", "2", "--expires", "90m")
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert re.fullmatch(r"https://drill\.example\.org/i/[\w-]{43}", link)
    found = re.search(r"invitation (\w+): Sam Okafor \(soc\) may open it 2 times, until .+; `drilltui invite --revoke \1`",
                      result.stderr)
    assert found
    stored = invitations_path(drilled.db)
    assert link.rsplit("/", 1)[1] not in stored.read_text() and oct(stored.stat().st_mode)[-3:] == "600"
    listed = invite(drilltui, drilled, "--list", "--drill", drilled.drill_id)
    assert f"{found.group(1)}  Sam Okafor  0/2 used" in listed.stdout and "open" in listed.stdout
    assert invite(drilltui, drilled, "--revoke", found.group(1)).returncode == 0
    assert "was withdrawn" in invite(drilltui, drilled, "--list", "--drill", drilled.drill_id).stdout
    assert InvitationFile(stored).read().find(link).revoked is not None  # type: ignore[union-attr]


def test_an_observers_invitation_is_read_only(drilled, drilltui, people) -> None:
    result = invite(drilltui, drilled, "Ola Auditor", "--drill", drilled.drill_id, "--base-url", "http://127.0.0.1:9",
                    "--participants", str(people))
    assert result.returncode == 0 and "(obs, read-only)" in result.stderr
    assert InvitationFile(invitations_path(drilled.db)).read().find(result.stdout.strip()).read_only  # type: ignore[union-attr]


@pytest.mark.parametrize(("args", "fragment"), [
    (("Sam Okafor", "--drill", "{drill}"), "no `drilltui serve --web` is running for"),
    (("Priya Natarajan", "--drill", "{drill}", "--base-url", "http://x", "--participants", "{people}"),
     "add 'web: true' to their entry in"),
    (("Nobody", "--drill", "{drill}", "--base-url", "http://x", "--participants", "{people}"),
     "not in .* \\(who may join by browser: Sam Okafor, Ola Auditor\\)"),
    (("Sam Okafor", "--drill", "no-such-drill", "--base-url", "http://x"), "--drill no-such-drill: no such drill"),
    (("Sam Okafor", "--drill", "{drill}", "--expires", "soon", "--base-url", "http://x"), "--expires:"),
    (("Sam Okafor", "--drill", "{drill}", "--uses", "0", "--base-url", "http://x"), "--uses 0: allow at least one use"),
    (("--revoke", "nope"), "--revoke nope: no such invitation"),
    (("Sam Okafor",), "name the drill"),
])
def test_bad_invitations_are_one_line_exit_2(drilled, drilltui, people, args: tuple[str, ...], fragment: str) -> None:
    result = invite(drilltui, drilled, *(a.format(drill=drilled.drill_id, people=people) for a in args))
    assert result.returncode == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert re.search(fragment, result.stderr), result.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (("--listen", "off"), "--listen off: with no SSH, serve browsers with --web HOST:PORT"),
    (("--web", "127.0.0.1:0", "--trust-proxy", "proxy.example"), "--trust-proxy: 'proxy.example' is not an IP address"),
    (("--web", "127.0.0.1:0", "--base-url", "ftp://drill"), "--base-url ftp://drill: write the address browsers use"),
    (("--base-url", "https://drill.example.org"), "--base-url and --trust-proxy are for browsers: add --web HOST:PORT"),
    (("--web", ":8080"), "--web :8080: name the address"),
])
def test_serve_web_bad_input_is_one_line_exit_2(drilled, drilltui, people, args: tuple[str, ...], fragment: str) -> None:
    result = drilltui("serve", drilled.drill_id, "--db", str(drilled.db), "--participants", str(people), *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and fragment in result.stderr, result.stderr


def test_web_in_the_participants_file() -> None:
    scenario = loads(MINIMAL)
    roster = loads_participants("participants:\n  - {name: Ann, role: soc, web: true}\n  - {name: Bo, role: ic, keys: [" + KEY + "]}\n",
                                "p.yaml", scenario)
    assert [(p.name, p.web, len(p.keys)) for p in roster.participants] == [("Ann", True, 0), ("Bo", False, 1)]
    assert roster.named(" ann ") is roster.participants[0]
    with pytest.raises(ParticipantsError, match=r"p\.yaml:2:\d+: error: web of participant 'Ann' must be true or false"):
        loads_participants("participants:\n  - {name: Ann, role: soc, web: maybe}\n", "p.yaml", scenario)
    with pytest.raises(ParticipantsError, match="has no 'keys'.*or say 'web: true'"):
        loads_participants("participants:\n  - {name: Ann, role: soc}\n", "p.yaml", scenario)


def test_participants_check_shows_who_joins_by_browser(drilled, drilltui, people) -> None:
    result = drilltui("participants", str(people), "--scenario", drilled.drill_id, "--db", str(drilled.db))
    assert result.returncode == 0
    assert re.search(r"Sam Okafor\s+soc\s+player, web\s+\(no SSH key: joins from a browser\)", result.stdout)
    assert re.search(r"Ola Auditor\s+obs\s+read-only, web", result.stdout)
