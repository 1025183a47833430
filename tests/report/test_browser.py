"""The HTML report checked by real tools: the Nu HTML checker, axe-core (WCAG 2.1 AA) in headless Chromium,
and Chromium's print to PDF on Letter and A4 with nothing cut off (pdftotext's word boxes).

Each test skips, saying what is missing, where its tool is not installed (.ci/run installs them all).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drilltui.report import Report, render_html

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def _npm_file(*parts: str) -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        return None
    root = subprocess.run([npm, "root", "--global"], capture_output=True, text=True, timeout=60).stdout.strip()
    path = Path(root, *parts)
    return path if path.is_file() else None


AXE = _npm_file("axe-core", "axe.min.js")
VNU = _npm_file("vnu-jar", "build", "dist", "vnu.jar")
need_browser = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium (apt-get install -y chromium)")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp_path / "profile"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=180, check=False)


@pytest.mark.skipif(VNU is None or shutil.which("java") is None,
                    reason="no Nu HTML checker (npm install -g vnu-jar) or no Java runtime (apt-get install default-jre-headless)")
@pytest.mark.parametrize("which", ["report", "evaluated"])
def test_the_nu_html_checker_finds_nothing(which: str, request, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(request.getfixturevalue(which)), encoding="utf-8")
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text", str(page)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@need_browser
@pytest.mark.skipif(AXE is None, reason="no axe-core (npm install -g axe-core)")
@pytest.mark.parametrize("which", ["report", "evaluated"])
def test_axe_core_finds_no_wcag_2_1_aa_violation(which: str, request, tmp_path: Path) -> None:
    assert AXE is not None
    html = render_html(request.getfixturevalue(which))
    # The report carries no script; this copy gets axe-core and a runner that writes its findings into the page.
    runner = ("<script>" + AXE.read_text(encoding="utf-8") + "</script><script>"
              "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
              ".then(r => { const p = document.createElement('pre'); p.id = 'axe-result';"
              " p.textContent = JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.html)})));"
              " document.body.appendChild(p); });</script>")
    page = tmp_path / "axe.html"
    page.write_text(html.replace("</body>", runner + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, "--virtual-time-budget=30000", "--dump-dom", page.as_uri()).stdout
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, re.S)
    assert found is not None, "axe-core did not finish"
    violations = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                            .replace("&amp;", "&"))
    assert violations == []


def _words(pdf: Path) -> tuple[list[tuple[float, float, float, str]], float]:
    """Every word of the PDF as (xMin, xMax, page width, text), from pdftotext's bounding boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120, check=True).stdout
    words = []
    width = 0.0
    for page_w, body in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', out, re.S):
        width = float(page_w)
        for x0, x1, text in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', body):
            words.append((float(x0), float(x1), width, text))
    return words, width


@need_browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext (apt-get install -y poppler-utils)")
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_prints_whole_on_letter_and_a4(paper: str, evaluated: Report, tmp_path: Path) -> None:
    page = tmp_path / "print.html"
    page.write_text(render_html(evaluated).replace("</style>", f"@page {{ size: {paper}; }}</style>"), encoding="utf-8")
    pdf = tmp_path / f"report-{paper}.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), done.stderr[-2000:]
    words, width = _words(pdf)
    assert width == pytest.approx({"Letter": 612.0, "A4": 595.3}[paper], abs=1.0)
    # Nothing runs off the page's right edge (a cut-off column would).
    assert [w for w in words if w[1] > width - 1] == []
    text = " ".join(w[3] for w in words)
    # Every column of both injects tables is there, the last (Status) included, with each inject's status.
    for header in ("Released", "Acknowledged", "Resolved", "Status", "Evidence"):
        assert header in text
    for t in evaluated.injects:
        assert t.id in text
    assert text.count("not reached") >= 1 and "resolved" in text and "acknowledged" in text
    # The evidence and the cover are on the first page.
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           timeout=60, check=True).stdout
    assert "Exercise overview" in first and "Exercise name" in first
