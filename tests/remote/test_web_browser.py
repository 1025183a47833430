"""End to end in headless Chromium: an invitation link opens the drill, an acknowledgement reaches an SSH screen, bad links open nothing."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from pathlib import Path

import pytest
from remote.chromium import CHROMIUM, Chromium, png_facts, save_copy
from remote.terminals import KEYGEN, SSH, TMUX, Terminals, wait

from drilltui.remote.invitations import InvitationFile, invitations_path

pytestmark = [
    pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not (SSH and KEYGEN and TMUX), reason="the OpenSSH client and tmux are needed"),
]

# alias -> (name, role); all may join by browser, and ic also holds an SSH key
WHO = {"ic": ("Priya Natarajan", "ic"), "soc": ("Sam Okafor", "soc"), "obs": ("Ola Auditor", "obs")}


@pytest.fixture
def served(drilled, serve):  # type: ignore[no-untyped-def]
    key = drilled.root / "id_ic"
    subprocess.run([KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)  # type: ignore[list-item]
    people = {alias: (name, role, key.with_suffix(".pub").read_text().strip() if alias == "ic" else "")
              for alias, (name, role) in WHO.items()}
    server = serve(drilled.drill_id, "--db", str(drilled.db), "--participants",
                   str(drilled.participants_file(people, web=("soc", "obs"))),
                   "--listen", "127.0.0.1:0", "--web", "127.0.0.1:0")
    terminals = Terminals(drilled.root, server.port, {"ic": key})
    yield drilled, server, terminals
    terminals.stop()


@pytest.fixture
async def browser():  # type: ignore[no-untyped-def]
    chromium = await Chromium().start()
    yield chromium
    await chromium.close()


def invite(drilled, drilltui, name: str, *extra: str) -> str:  # type: ignore[no-untyped-def]
    result = drilltui("invite", name, "--drill", drilled.drill_id, "--db", str(drilled.db), *extra)
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/i/[\w-]{40,}", link), link
    return link


def by(events: list[dict], name: str) -> list[str]:
    return [e["kind"] for e in events if e["actor"]["participant"] == name]


async def test_an_invited_browser_sees_the_drill_and_its_acknowledgement_reaches_an_ssh_screen(served, browser, drilltui) -> None:
    drilled, server, terminals = served
    link = invite(drilled, drilltui, "Sam Okafor")
    terminals.open("ic")
    page = await browser.page()
    await page.open(link)
    await page.wait_screen(r"Sam Okafor as SOC Analyst", timeout=60)
    await page.wait_screen(r"I-1 MED ● new")
    title = await page.evaluate("document.title")
    assert "A minimal drill" in title and "SOC Analyst" in title
    assert "/i/" not in await page.evaluate("window.location.href")  # the token left the address bar
    assert await page.evaluate("document.cookie") == ""  # the session cookie is HttpOnly

    shot = await page.screenshot()
    width, height, _ = png_facts(await page.screenshot(scale=0.25))
    assert png_facts(shot)[:2] == (1280, 800) and (width, height) == (320, 200)
    assert png_facts(await page.screenshot(scale=0.25))[2] >= 8  # not blank: the dashboard's colours and text
    save_copy(shot, "web-dashboard.png")

    await asyncio.to_thread(terminals.wait_screen, "ic", r"I-1 MED ● new")
    await page.press("a")
    await page.wait_screen(r"I-1 MED ✓ ack")
    await asyncio.to_thread(terminals.wait_screen, "ic", r"acknowledged by Sam Okafor \(SOC Analyst\)")
    await asyncio.to_thread(terminals.wait_screen, "ic", r"I-1 MED ✓ ack")
    assert by(drilled.events(), "Sam Okafor") == ["participant_joined", "inject_acknowledged"]

    await release_contingency(drilled)  # a new inject for soc rings its bell
    await page.wait_screen(r"New inject for you")
    await page.wait_for("window.drilltuiBells >= 1")

    await page.press("ctrl+q")  # ctrl+q leaves, as in a terminal
    await wait_async(lambda: "participant_left" in by(drilled.events(), "Sam Okafor"), "the browser's leave")
    assert re.search(r"joined Sam Okafor \(soc\) from 127\.0\.0\.1:\d+ by browser", server.output)
    assert not any(link.rsplit("/", 1)[1] in line for line in (drilled.db.with_name("drills.db.invitations").read_text(),
                                                                 *map(str, drilled.events())))


async def release_contingency(drilled) -> None:  # type: ignore[no-untyped-def]
    from drilltui.engine import Drill
    from drilltui.engine.commands import Release
    from drilltui.journal import DrillJournal
    from drilltui.scenario import loads
    from drilltui.store import EventLog

    log = await EventLog.open(drilled.db, create=False)
    try:
        record = await log.drill(drilled.drill_id)
        drill = Drill(loads(record.scenario_text), DrillJournal(log, record.id), participant="Dana Director", role="control")
        await drill.load()
        await drill.execute(Release("I-4"))
    finally:
        await log.close()


async def wait_async(condition, what: str, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    await asyncio.to_thread(wait, condition, timeout, what)


@pytest.mark.parametrize("case", ["revoked", "expired", "other drill"])
async def test_revoked_expired_and_other_drill_links_open_nothing(served, browser, drilltui, case: str) -> None:
    drilled, server, _ = served
    if case == "revoked":
        link = invite(drilled, drilltui, "Sam Okafor")
        assert drilltui("invite", "--revoke", _id_of(drilled, link), "--db", str(drilled.db)).returncode == 0
        why = "This invitation was withdrawn."
    elif case == "expired":
        file = InvitationFile(invitations_path(drilled.db))
        _, token = file.invite(drilled.drill_id, "Sam Okafor", 60, 1, False, now=time.time() - 3600)
        link, why = f"{server.web}/i/{token}", "This invitation has expired."
    else:
        other = drilltui("run", str(drilled.scenario), "--headless", "--script", str(drilled.root / "script.yaml"),
                         "--db", str(drilled.db), "--until", "1m").stdout.strip().splitlines()[-1]
        file = InvitationFile(invitations_path(drilled.db))
        _, token = file.invite(other, "Sam Okafor", 3600, 1, False)
        link, why = f"{server.web}/i/{token}", "This invitation is for another drill than the one served here."
    page = await browser.page()
    await page.open(link)
    text = await page.text()
    assert why in text and "Ask the exercise director for a new invitation." in text
    assert await page.evaluate("typeof window.drilltuiTerminal") == "undefined"  # no terminal, no script at all
    await page.open(server.web + "/")  # nor does the page itself open afterwards
    assert "This browser has no invitation to this drill." in await page.text()
    assert "joined Sam Okafor" not in server.output
    assert by(drilled.events(), "Sam Okafor") == []


def _id_of(drilled, link: str) -> str:  # type: ignore[no-untyped-def]
    found = InvitationFile(invitations_path(drilled.db)).read().find(link)
    assert found is not None
    return found.id


async def test_a_live_browser_session_ends_when_its_invitation_is_withdrawn(served, browser, drilltui) -> None:
    drilled, server, _ = served
    link = invite(drilled, drilltui, "Sam Okafor")
    page = await browser.page()
    await page.open(link)
    await page.wait_screen(r"Sam Okafor as SOC Analyst", timeout=60)
    assert drilltui("invite", "--revoke", link, "--db", str(drilled.db)).returncode == 0
    await page.wait_text(r"This invitation was withdrawn\.", timeout=20)
    await wait_async(lambda: "participant_left" in by(drilled.events(), "Sam Okafor"), "the leave after the withdrawal")


async def test_an_observers_link_watches_and_acts_on_nothing(served, browser, drilltui) -> None:
    drilled, server, _ = served
    link = invite(drilled, drilltui, "Ola Auditor")
    before = drilled.events()
    page = await browser.page()
    await page.open(link)
    await page.wait_screen(r"Ola Auditor as Observer", timeout=60)
    await page.wait_screen(r"read-only")
    await page.wait_screen(r"I-1 MED ● new")
    assert "Observer (watching)" in await page.evaluate("document.title")
    for key in ("a", "x", "e", "d", "s", " ", "r", "R", "n", "g", "t", "]", "Escape"):
        await page.press(key)
    await page.press("ctrl+q")
    await page.wait_text(r"The session has ended|ended", timeout=30)
    server.wait_for(r"left Ola Auditor \(obs\)")
    assert drilled.events() == before  # nothing logged: not the joining, not a key


async def test_the_screenshot_is_kept_for_people_to_look_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRILLTUI_SCREENSHOTS", str(tmp_path))
    save_copy(b"\x89PNG\r\n\x1a\nrest", "x.png")
    assert (tmp_path / "x.png").read_bytes().startswith(b"\x89PNG")
