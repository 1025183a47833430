"""Headless Chromium driven over the DevTools protocol: pages with their own cookies, keys typed, the terminal read, screenshots."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = os.environ.get("DRILLTUI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--no-default-browser-check", "--mute-audio", "--remote-debugging-port=0",
         "--remote-allow-origins=*")
SCREEN = """(() => {
  const t = window.drilltuiTerminal;
  if (!t) return null;
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(b.viewportY + i); out.push(l ? l.translateToString(true) : ""); }
  return out.join("\\n");
})()"""
KEYS = {"Escape": ("Escape", 27, ""), "Enter": ("Enter", 13, "\r"), "Tab": ("Tab", 9, "\t"), " ": (" ", 32, " ")}


class Chromium:
    """One headless browser; `page()` opens a tab in a fresh browser context (its own cookies)."""

    def __init__(self) -> None:
        assert CHROMIUM, "no chromium"
        self.profile = tempfile.mkdtemp(prefix="drilltui-chromium-")
        self.proc: asyncio.subprocess.Process | None = None
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.listeners: list[tuple[str, str | None, asyncio.Future[dict[str, Any]]]] = []
        self.reader: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 60) -> Chromium:
        self.proc = await asyncio.create_subprocess_exec(
            CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "--window-size=1280,800", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, start_new_session=True)
        assert self.proc.stderr is not None

        async def address() -> str:
            while True:
                line = (await self.proc.stderr.readline()).decode(errors="replace")  # type: ignore[union-attr]
                if not line:
                    raise AssertionError("chromium ended before it listened")
                found = re.search(r"DevTools listening on (ws://\S+)", line)
                if found:
                    return found.group(1)

        url = await asyncio.wait_for(address(), timeout)
        asyncio.ensure_future(self._drain())
        self.http = aiohttp.ClientSession()
        self.ws = await self.http.ws_connect(url, max_msg_size=0)
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while await self.proc.stderr.read(65536):
            pass

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.waiting:
                self.waiting.pop(data["id"]).set_result(data)
                continue
            for entry in list(self.listeners):
                method, session, future = entry
                if data.get("method") == method and (session is None or data.get("sessionId") == session) and not future.done():
                    future.set_result(data.get("params", {}))
                    self.listeners.remove(entry)

    async def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
                   timeout: float = 30) -> dict[str, Any]:
        assert self.ws is not None
        ident = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.waiting[ident] = future
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, timeout)
        if "error" in answer:
            raise AssertionError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def event(self, method: str, session: str | None = None) -> asyncio.Future[dict[str, Any]]:
        future = asyncio.get_running_loop().create_future()
        self.listeners.append((method, session, future))
        return future

    async def page(self, width: int = 1280, height: int = 800) -> Page:
        context = (await self.send("Target.createBrowserContext", {"disposeOnDetach": True}))["browserContextId"]
        target = (await self.send("Target.createTarget", {"url": "about:blank", "browserContextId": context}))["targetId"]
        session = (await self.send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
        page = Page(self, session)
        await page.send("Page.enable")
        await page.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                              "mobile": False})
        return page

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.ws is not None:
                await asyncio.wait_for(self.send("Browser.close"), 5)
        if self.reader is not None:
            self.reader.cancel()
        if self.http is not None:
            await self.http.close()
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                try:
                    await asyncio.wait_for(self.proc.wait(), 5)
                except TimeoutError:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    await self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """A tab: navigate, read the terminal the page shows, type, take screenshots."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.browser.send(method, params, self.session)

    async def open(self, url: str, timeout: float = 30) -> None:
        loaded = self.browser.event("Page.loadEventFired", self.session)
        await self.send("Page.navigate", {"url": url})
        await asyncio.wait_for(loaded, timeout)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")

    async def text(self) -> str:
        return str(await self.evaluate("document.body ? document.body.innerText : ''"))

    async def screen(self) -> str:
        """The terminal's rows as the participant sees them ('' before the page's terminal exists)."""
        return str(await self.evaluate(SCREEN) or "")

    async def wait_screen(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        return await self._wait(self.screen, pattern, timeout, "screen")

    async def wait_for(self, expression: str, timeout: float = 30) -> None:
        """Wait until a JavaScript expression is true in the page."""
        async def truth() -> str:
            return "yes" if await self.evaluate(f"!!({expression})") else ""

        await self._wait(truth, "yes", timeout, f"page's {expression}")

    async def wait_text(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        return await self._wait(self.text, pattern, timeout, "page")

    async def _wait(self, read: Any, pattern: str, timeout: float, what: str) -> re.Match[str]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last = ""
        while loop.time() < deadline:
            last = await read()
            found = re.search(pattern, last)
            if found:
                return found
            await asyncio.sleep(0.1)  # polling the page: the browser has no event to wait on for this
        raise AssertionError(f"{pattern!r} never showed on the {what}; it shows:\n{last}")

    async def press(self, key: str) -> None:
        """Type one key as a person would: keydown (with its text) and keyup; "ctrl+q" holds control."""
        ctrl = key.startswith("ctrl+")
        key = key.removeprefix("ctrl+")
        name, code, text = KEYS.get(key, (key, ord(key.upper()) if len(key) == 1 else 0, key if len(key) == 1 else ""))
        common = {"key": name, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code, "modifiers": 2 if ctrl else 0}
        if len(name) == 1 and name.isalpha():
            common["code"] = f"Key{name.upper()}"
        down = {"type": "keyDown", **common}
        if text and not ctrl:
            down["text"] = text
        await self.send("Input.dispatchKeyEvent", down)
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **common})

    async def screenshot(self, scale: float = 1.0) -> bytes:
        params: dict[str, Any] = {"format": "png"}
        if scale != 1.0:
            size = await self.evaluate("[window.innerWidth, window.innerHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": scale}
        return base64.b64decode((await self.send("Page.captureScreenshot", params))["data"])


def png_facts(data: bytes) -> tuple[int, int, int]:
    """(width, height, distinct colours among a sample of pixels) of an 8-bit RGB(A) PNG, decoded with zlib alone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        if y % 8 == 0:
            colours.update(bytes(line[x:x + 3]) for x in range(0, stride, channels * 8))
        previous = line
    return width, height, len(colours)


def save_copy(data: bytes, name: str) -> None:
    """Keep a copy of a screenshot where $DRILLTUI_SCREENSHOTS says, for people to look at."""
    folder = os.environ.get("DRILLTUI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)
