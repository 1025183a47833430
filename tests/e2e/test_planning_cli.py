"""`drilltui lint` and `drilltui new` through the real command: findings one a line, exit codes 0, 1 and 2."""

from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path

import pytest
from cli import drilltui, drilltui_process
from remote.terminals import TMUX, tmux_at, wait
from samples import MINIMAL

ROLES = ["--role", "control:Exercise Control:controller", "--role", "ic:Incident Commander:player",
         "--role", "soc:SOC Analyst:player:ic", "--role", "eval:Evaluator:evaluator"]


def test_lint_exit_codes_through_the_real_process(tmp_path: Path) -> None:
    clean = drilltui_process("lint", "hospital-ransomware", "power-grid-failure")
    assert (clean.returncode, clean.stdout) == (0, "")
    assert "hospital-ransomware: no findings" in clean.stderr

    (tmp_path / "mini.yaml").write_text(MINIMAL)
    found = drilltui_process("lint", "mini.yaml", cwd=tmp_path)
    assert found.returncode == 1
    lines = found.stdout.splitlines()
    assert lines and all(line.startswith("mini.yaml:") and ": warning: " in line for line in lines)
    # MINIMAL's objective has no task, its I-1 decision branches only on isolate, and I-4 is a contingency.
    assert any("option watch of the decision on inject I-1 leads nowhere" in line for line in lines)
    assert "mini.yaml: 1 finding" in found.stderr

    (tmp_path / "broken.yaml").write_text(MINIMAL.replace("to: [lead]", "to: [nobody]"))
    broken = drilltui_process("lint", "mini.yaml", "broken.yaml", cwd=tmp_path)
    assert broken.returncode == 2
    assert "broken.yaml:" in broken.stderr and "error: to of inject I-2 names role 'nobody'" in broken.stderr
    assert "broken.yaml: invalid (1 error)" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_lint_names_line_and_column_and_takes_the_limit(tmp_path: Path) -> None:
    burst = "".join(f"  - id: B-{n}\n    at: {n}m\n    to: [soc]\n    title: Burst {n}\n" for n in range(2, 5))
    (tmp_path / "busy.yaml").write_text(MINIMAL + burst)
    default = drilltui("lint", tmp_path / "busy.yaml")
    assert "receives" not in default.stdout  # four within ten minutes are within the default six
    tight = drilltui("lint", tmp_path / "busy.yaml", "--max-per-10m", "3")
    line = next(line for line in tight.stdout.splitlines() if "receives" in line)
    n = next(i for i, text in enumerate((MINIMAL + burst).splitlines(), start=1) if text == "  - id: B-4")
    assert line.startswith(f"{tmp_path / 'busy.yaml'}:{n}:9: warning: role soc receives 4 injects between "
                           "T+00:01:00 and T+00:04:00 (I-1, B-2, B-3, B-4), more than 3 in 10 minutes")
    assert tight.returncode == 1
    bad = drilltui("lint", tmp_path / "busy.yaml", "--max-per-10m", "none")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_lint_draws_control_characters_in_what_it_quotes(tmp_path: Path) -> None:
    # A file holding ESC does not validate; its error is said with the ESC drawn, never sent.
    (tmp_path / "esc.yaml").write_text(MINIMAL.replace("title: Follow-up", 'title: "Follow\\e[2J-up"'))
    result = drilltui("lint", tmp_path / "esc.yaml")
    assert result.returncode == 2 and "\x1b" not in result.stderr + result.stdout


def test_new_from_flags_writes_a_file_that_validates_and_lints_clean(tmp_path: Path) -> None:
    made = drilltui("new", "--type", "drill", "--domain", "healthcare", "--title", "Night shift: EHR down",
                    "--duration", "2h", *ROLES, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "night-shift-ehr-down.yaml"
    assert path.exists() and "wrote night-shift-ehr-down.yaml" in made.stdout
    assert drilltui("validate", path).returncode == 0
    linted = drilltui("lint", path)
    assert (linted.returncode, linted.stdout) == (0, "")
    text = path.read_text()
    assert "type: drill" in text and "domain: healthcare" in text and "duration: 2h" in text
    assert "reports_to: ic" in text


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    out.write_text("mine\n")
    args = ("new", "-o", out, "--title", "A plan", "--duration", "30m", *ROLES)
    refused = drilltui(*args)
    assert refused.returncode == 2 and out.read_text() == "mine\n"
    assert refused.stderr.strip() == f"drilltui: error: {out} exists; pass --force to overwrite it, or -o another file"
    forced = drilltui(*args, "--force")
    assert forced.returncode == 0 and out.read_text().startswith("# A drilltui scenario")


def test_new_to_standard_output(tmp_path: Path) -> None:
    result = drilltui("new", "-o", "-", "--title", "A plan", "--duration", "30m", *ROLES, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("# A drilltui scenario")
    assert list(tmp_path.iterdir()) == []


def test_new_with_no_terminal_names_the_flags_to_give(tmp_path: Path) -> None:
    result = drilltui_process("new", "--title", "A plan", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("drilltui: error: no terminal to ask on: give --duration DURATION and "
                             "--role ID:TITLE:KIND[:REPORTS_TO] (see `drilltui new --help`)\n")
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_bad_answers_in_one_line(tmp_path: Path) -> None:
    base = ["new", "--title", "A plan", "--duration", "30m"]
    cases = [
        ([*base, "--role", "soc:SOC:player:lead"], "--role: role soc reports to 'lead', which is not one of the roles"),
        ([*base, "--role", "a:A:player:b", "--role", "b:B:player:a"], "--role: reports_to makes a cycle (a -> b -> a)"),
        (["new", "--title", "A plan", "--duration", "soon", *ROLES], "--duration: 'soon' is not a duration"),
        ([*base, "--type", "tabeltop", *ROLES], "did you mean 'tabletop'?"),
        ([*base, "--domain", "Health Care", *ROLES], "write it as health-care"),
        ([*base, "--role", "control:Control:controller"], "no role is a player"),
    ]
    for args, words in cases:
        result = drilltui(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(TMUX is None, reason="needs tmux for a real terminal")
def test_new_on_a_terminal_asks_in_a_form_and_writes(tmp_path: Path) -> None:
    """The real command in a real terminal (a tmux pane): what no flag gave is asked; ctrl+s writes the file."""
    exe = shutil.which("drilltui", path=str(Path(sys.executable).parent))
    assert exe
    tmux = functools.partial(tmux_at, str(tmp_path / "tmux.sock"))

    out = tmp_path / "plan.yaml"
    command = f"cd {tmp_path} && XDG_CONFIG_HOME={tmp_path} {exe} new --title 'Grid down' --duration 2h -o plan.yaml"
    assert tmux("new-session", "-d", "-s", "new", "-x", "110", "-y", "40", "-e", "TERM=xterm-256color",
                command).returncode == 0
    try:
        screen = lambda: tmux("capture-pane", "-p", "-t", "new").stdout  # noqa: E731
        wait(lambda: "id: grid-down" in screen(), 30, "the form with the title given")
        wait(lambda: "ic: Incident Commander (player)" in screen(), 30, "the starting chain of command, to edit")
        # Each burst of keys waits for the screen to show the last one's effect: a busy terminal may read
        # one burst's keys ahead of the previous one's.
        # Select all of it, so what is typed next replaces it. A key sent while the form is still settling can go
        # unseen, so F7 is sent until the second role's line (not the cursor's, which blinks) shows the selection.
        def second_role() -> str:
            lines = tmux("capture-pane", "-e", "-p", "-t", "new").stdout.splitlines()
            return next((line for line in lines if "ic:Incident Commander:player" in line), "")

        unselected = second_role()

        def selected() -> bool:
            if second_role() != unselected:
                return True
            tmux("send-keys", "-t", "new", "F7")  # selecting all twice is selecting all
            return False

        wait(selected, 30, "all of the starting chain selected")
        tmux("send-keys", "-t", "new", "-l", "ic:Grid Controller on duty:player")
        wait(lambda: "ic: Grid Controller on duty (player)" in screen() and "SOC Analyst" not in screen(), 30,
             "the starting chain replaced by what was typed")
        tmux("send-keys", "-t", "new", "Enter")
        tmux("send-keys", "-t", "new", "-l", "ops:Operations:player:boss")
        wait(lambda: "reports to 'boss'" in screen(), 30, "the unknown reports_to said inline")
        tmux("send-keys", "-t", "new", "BSpace", "BSpace", "BSpace", "BSpace")
        wait(lambda: "boss" not in screen(), 30, "the unknown reports_to rubbed out")
        tmux("send-keys", "-t", "new", "-l", "ic")
        wait(lambda: "└ ops: Operations (player)" in screen(), 30, "the chain of command")
        tmux("send-keys", "-t", "new", "C-s")
        wait(lambda: out.exists() and out.read_text().endswith("\n"), 30, "the file written")
    finally:
        tmux("kill-server")
    assert drilltui("lint", out).returncode == 0
    assert "reports_to: ic" in out.read_text() and "duration: 2h" in out.read_text()
