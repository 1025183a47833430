"""The HTML report in a real browser: headless Chromium opens it with no console errors.

Skipped when no Chromium is installed (`apt-get install -y chromium`). Leaves a
screenshot at /tmp/report.png for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drilltui.report import Report, render_html

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0"]

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run([BROWSER, *FLAGS, *args], capture_output=True, text=True, timeout=120, check=False)


def test_opens_without_console_errors(report: Report, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    shot = Path("/tmp/report.png")
    shot.unlink(missing_ok=True)
    done = _run("--window-size=1280,2400", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 10_000
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []


def test_browser_dom_has_the_chart(report: Report, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    dom = _run("--dump-dom", page.as_uri()).stdout
    # The browser parsed the page as written: no script ran, the chart and every mark are there.
    assert dom.count('data-mark="') == 17
    assert "<script" not in dom and 'Outbound &lt;script&gt;alert("x")&lt;/script&gt; &amp; exfiltration' in dom
