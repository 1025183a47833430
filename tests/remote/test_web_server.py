"""The browser front end in-process, with an HTTP client and stand-in children: invitations, the cookie, the WebSocket, limits."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from samples import MINIMAL

from drilltui.remote.invitations import InvitationFile, invitations_path
from drilltui.remote.server import bind
from drilltui.remote.web.addresses import RefusalBudget, client_address, parse_proxies
from drilltui.remote.web.server import WebConfig, WebFront
from drilltui.scenario import loads


class Browser:
    """An HTTP client with its own cookie jar, as one browser would be."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def get(self, path: str, **options: object) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.get(self.base + path, allow_redirects=False, **options) as response:  # type: ignore[arg-type]
            return response.status, await response.text(), response

    async def session(self, width: int = 100, height: int = 30, origin: str | None = None) -> Terminal:
        ws = await self.http.ws_connect(f"{self.base}/ws?width={width}&height={height}",
                                        headers={"Origin": origin or self.base})
        return Terminal(ws)


class Terminal:
    """A page's WebSocket: what the dashboard sent, and typing."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.out = bytearray()
        self.notices: list[str] = []

    async def wait_for(self, pattern: str, timeout: float = 10) -> re.Match[str]:
        async def seek() -> re.Match[str]:
            while not (found := re.search(pattern, self.out.decode(errors="replace"))):
                message = await self.ws.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.out += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.notices.append(json.loads(message.data)[1])
                    self.out += f"\nNOTICE:{self.notices[-1]}\n".encode()
                else:
                    raise AssertionError(f"closed ({self.ws.close_code}) before {pattern!r}: {self.out[-300:]!r}")
            return found

        return await asyncio.wait_for(seek(), timeout)

    async def type(self, text: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", text]))


class WebRig:
    def __init__(self, rig, tmp: Path) -> None:  # type: ignore[no-untyped-def]
        self.rig = rig
        self.file = InvitationFile(invitations_path(tmp / "drills.db"))
        self.front: WebFront | None = None
        self.browsers: list[Browser] = []

    async def start(self, trusted: str = "", **limits: object) -> WebFront:
        server = await self.rig.start(**limits)
        config = WebConfig(loads(MINIMAL), self.file, "people.yaml", parse_proxies(trusted) if trusted else ())
        self.front = WebFront(server, config)
        await self.front.start(bind("127.0.0.1", 0))
        return self.front

    def invite(self, name: str, drill: str = "drill-1", lifetime: float = 3600, uses: int = 1, now: float | None = None) -> str:
        assert self.front is not None
        _, token = self.file.invite(drill, name, lifetime, uses, False, now=now)
        return f"/i/{token}"

    def browser(self) -> Browser:
        assert self.front is not None
        self.browsers.append(Browser(self.front.url))
        return self.browsers[-1]

    async def joined(self, name: str, **session: object) -> tuple[Browser, Terminal]:
        browser = self.browser()
        status, _, _ = await browser.get(self.invite(name))
        assert status == 303
        return browser, await browser.session(**session)  # type: ignore[arg-type]

    async def close(self) -> None:
        for browser in self.browsers:
            await browser.http.close()
        await self.rig.close()
        if self.front is not None:
            await self.front.close()


@pytest.fixture
async def web(rig, tmp_path: Path) -> AsyncIterator[WebRig]:  # type: ignore[no-untyped-def]
    w = WebRig(rig, tmp_path)
    yield w
    await w.close()


async def test_a_browser_without_an_invitation_gets_a_plain_page_and_nothing_else(web) -> None:
    await web.start()
    browser = web.browser()
    for path in ("/", "/i/not-a-token", "/i/"):
        status, text, response = await browser.get(path)
        assert status in (403, 404), path
        assert "<script" not in text and "drilltui-" not in response.headers.get("Set-Cookie", "")
    status, text, _ = await browser.get("/")
    assert "This browser has no invitation to this drill." in text
    for path in ("/static/xterm.js", "/favicon.ico", "/download/x", "/i"):
        assert (await browser.get(path))[0] == 404
    async with browser.http.post(web.front.url + "/", data=b"x") as response:
        assert response.status == 405
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await browser.session()
    assert not list(web.rig.markers.iterdir())  # no session was started


async def test_a_link_becomes_an_httponly_strict_cookie_and_a_redirect_once(web, tmp_path: Path) -> None:
    await web.start()
    link = web.invite("Sam Okafor")
    token = link.rsplit("/", 1)[1]
    first = web.browser()
    status, _, response = await first.get(link)
    assert status == 303 and response.headers["Location"] == "/"  # the token is in no URL from here on
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    status, page, response = await first.get("/")
    assert status == 200 and "<title>A minimal drill · SOC Analyst · drilltui</title>" in page
    assert "script-src 'nonce-" in response.headers["Content-Security-Policy"]
    again = web.browser()
    status, text, _ = await again.get(link)
    assert status == 403 and "already been used" in text
    stored = web.file.path.read_text()
    assert token not in stored and cookie.split(";")[0].split("=", 1)[1] not in stored  # only their hashes are kept
    assert re.search(r"invitation \w+ for Sam Okafor opened from 127\.0\.0\.1:\d+ \(1 of 1 uses\)", "\n".join(web.rig.logs))


@pytest.mark.parametrize("case", ["expired", "revoked", "other drill", "not web"])
async def test_links_that_open_nothing_are_refused_with_the_reason(web, case: str) -> None:
    front = await web.start()
    if case == "expired":
        link, why = web.invite("Sam Okafor", lifetime=60, now=time.time() - 120), "has expired"
    elif case == "revoked":
        link, why = web.invite("Sam Okafor"), "was withdrawn"
        web.file.revoke(link)
    elif case == "other drill":
        link, why = web.invite("Sam Okafor", drill="drill-2"), "for another drill"
    else:
        front.server.config = front.server.config.__class__(**{**front.server.config.__dict__, "roster": _without_web(web)})
        link, why = web.invite("Sam Okafor"), "names no one this drill admits from a browser"
    browser = web.browser()
    status, text, response = await browser.get(link)
    assert status == 403 and why in text and "Set-Cookie" not in response.headers
    assert (await browser.get("/"))[0] == 403
    await web.rig.until(lambda: any("refused 127.0.0.1" in line and why in line for line in web.rig.logs), what="logged")


def _without_web(web):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    roster = web.rig.roster()
    return replace(roster, participants=tuple(replace(p, web=False) for p in roster.participants))


async def test_the_websocket_runs_the_session_on_a_pty_sized_as_the_browser_asked(web) -> None:
    await web.start()
    browser, terminal = await web.joined("Sam Okafor", width=120, height=40)
    await terminal.wait_for(r"TERM=xterm-256color SIZE=120x40")
    await terminal.type("hello")
    await terminal.wait_for("ECHO:hello")
    await terminal.ws.send_str(json.dumps(["resize", {"width": 90, "height": 20}]))
    await terminal.wait_for("SIZE=90x20")
    await terminal.ws.send_str(json.dumps(["ping", "7"]))
    await terminal.type("\x11")
    await terminal.wait_for("QUIT")
    await web.rig.until(lambda: any("left Sam Okafor (soc)" in line for line in web.rig.logs), what="the leave logged")
    assert any(re.search(r"joined Sam Okafor \(soc\) from 127\.0\.0\.1:\d+ by browser", line) for line in web.rig.logs)


async def test_a_session_from_another_sites_page_is_refused(web) -> None:
    await web.start()
    browser = web.browser()
    assert (await browser.get(web.invite("Sam Okafor")))[0] == 303
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await browser.session(origin="https://evil.example")
    assert not list(web.rig.markers.iterdir())


async def test_a_huge_window_is_drawn_at_a_real_terminals_size_and_the_browser_told(web) -> None:
    await web.start()
    _, terminal = await web.joined("Sam Okafor", width=10000, height=10000)
    await terminal.wait_for("SIZE=500x200")
    assert any("10000x10000" in n and "500x200" in n for n in terminal.notices)


async def test_browsers_and_ssh_share_the_participants_limit(web) -> None:
    await web.start(per_participant=1)
    _, screen = await web.rig.session("soc")
    await screen.wait_for("SIZE=")
    _, terminal = await web.joined("Sam Okafor")
    with pytest.raises(AssertionError, match="closed"):
        await terminal.wait_for("SIZE=")
    assert any("already have 1 sessions" in n for n in terminal.notices)
    await web.rig.until(lambda: any("refused Sam Okafor (soc)" in line and "by browser" in line for line in web.rig.logs),
                        what="the refusal logged")


async def test_browsers_count_against_the_drill_with_the_controllers_slot_kept(web) -> None:
    await web.start(max_sessions=2)
    _, first = await web.joined("Sam Okafor")
    await first.wait_for("SIZE=")
    _, second = await web.joined("Ola Auditor")
    with pytest.raises(AssertionError, match="closed"):
        await second.wait_for("SIZE=")
    assert any("the drill is full (2 sessions, 1 kept for the exercise control)" in n for n in second.notices)


async def test_withdrawing_an_invitation_ends_its_browser_sessions(web) -> None:
    await web.start()
    browser = web.browser()
    link = web.invite("Sam Okafor")
    assert (await browser.get(link))[0] == 303
    terminal = await browser.session()
    await terminal.wait_for("SIZE=")
    web.file.revoke(link)
    await terminal.wait_for("QUIT", timeout=15)  # asked to quit, as any hang-up does
    await web.rig.until(lambda: any("ending Sam Okafor's browser session: this invitation was withdrawn" in line
                                    for line in web.rig.logs), what="the ending logged")
    assert (await browser.get("/"))[0] == 403


async def test_idle_browser_sessions_are_closed_politely(web) -> None:
    await web.start(idle=0.5)
    _, terminal = await web.joined("Sam Okafor")
    await terminal.wait_for("SIZE=")
    await terminal.wait_for("closed after 0.5 s without input", timeout=10)
    assert web.rig.marker("soc", "quit").exists()  # asked to quit with its own key, as a hang-up does


def test_forwarded_addresses_are_believed_only_from_trusted_proxies() -> None:
    proxies = parse_proxies("127.0.0.1, 10.0.0.0/8")
    assert client_address("127.0.0.1", ["198.51.100.7"], proxies) == "198.51.100.7"
    assert client_address("127.0.0.1", ["203.0.113.9, 198.51.100.7, 10.1.2.3"], proxies) == "198.51.100.7"
    assert client_address("192.0.2.1", ["198.51.100.7"], proxies) == "192.0.2.1"  # not a proxy we trust
    assert client_address("127.0.0.1", ["198.51.100.7"], ()) == "127.0.0.1"
    assert client_address("127.0.0.1", ["not an address"], proxies) == "127.0.0.1"
    with pytest.raises(ValueError, match="not an IP address"):
        parse_proxies("proxy.example")


async def test_the_log_and_limits_use_the_forwarded_address_only_when_told_to(web) -> None:
    front = await web.start(trusted="127.0.0.1", log_interval=0)
    browser = web.browser()
    headers = {"X-Forwarded-For": "198.51.100.7"}
    await browser.get("/", headers=headers)
    await web.rig.until(lambda: any("refused 198.51.100.7 (via 127.0.0.1)" in line for line in web.rig.logs), what="logged")
    front.config = front.config.__class__(**{**front.config.__dict__, "trusted": ()})
    await browser.get("/", headers=headers)
    await web.rig.until(lambda: any(re.search(r"refused 127\.0\.0\.1:\d+: This browser", line) for line in web.rig.logs),
                        what="logged by the peer's address")


def test_a_source_that_keeps_being_refused_is_answered_at_once() -> None:
    now = [0.0]
    budget = RefusalBudget(most=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert not budget.spent("198.51.100.7")
        budget.note("198.51.100.7")
    assert budget.spent("198.51.100.7") and not budget.spent("198.51.100.8")
    now[0] = 61
    assert not budget.spent("198.51.100.7")
