"""The README's commands are the ones CI runs."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    command = ci[ci.index(next(line for line in ci if line.startswith("# The README's test command"))) + 1]
    assert command in (ROOT / "README.md").read_text()


def test_the_set_up_blocks_work_in_a_fresh_shell() -> None:
    """A newcomer copies a block as it is: the virtual environment comes first, in the block itself."""
    readme = (ROOT / "README.md").read_text()
    for command in ("pip install . && drilltui run ai-lab-weights-exfiltration", "pip install '.[test]' && pytest"):
        block = readme[: readme.index(command)].rsplit("```sh\n", 1)[1]
        assert block.startswith("python3 -m venv .venv && . .venv/bin/activate\n"), block
