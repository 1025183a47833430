"""The README's commands are the ones CI runs."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    command = ci[ci.index(next(l for l in ci if l.startswith("# The README's test command"))) + 1]
    assert command in (ROOT / "README.md").read_text()
