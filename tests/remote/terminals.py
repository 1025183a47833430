"""Participants' terminals for end-to-end tests: the real OpenSSH client in tmux panes, and waiting on what they show."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

SSH, KEYGEN, TMUX = shutil.which("ssh"), shutil.which("ssh-keygen"), shutil.which("tmux")


def wait(condition, timeout: float = 30, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def tmux_at(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A tmux command on the private server at `socket`, with no user configuration."""
    return subprocess.run([TMUX, "-S", socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=30)  # type: ignore[list-item]


class Terminals:
    """Participants' terminals: tmux panes on a private tmux server, each running `ssh -tt`."""

    def __init__(self, root: Path, port: int, keys: dict[str, Path]) -> None:
        self.socket = str(root / "tmux.sock")
        self.port = port
        self.keys = keys

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return tmux_at(self.socket, *args)

    def ssh(self, who: str, *extra: str) -> list[str]:
        return [SSH, "-i", str(self.keys[who]), "-p", str(self.port), "-o", "StrictHostKeyChecking=no",  # type: ignore[list-item]
                "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR", "-F", "/dev/null", *extra]

    def open(self, who: str) -> None:
        command = " ".join(self.ssh(who, "-tt", "drill@127.0.0.1"))
        result = self.tmux("new-session", "-d", "-s", who, "-x", "130", "-y", "40", "-e", "TERM=xterm-256color", command)
        assert result.returncode == 0, result.stderr

    def screen(self, who: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", who).stdout

    def wait_screen(self, who: str, pattern: str, timeout: float = 30) -> re.Match[str]:
        try:
            return wait(lambda: re.search(pattern, self.screen(who)), timeout, f"{pattern!r} on {who}'s screen")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen shows:\n{self.screen(who)}") from None

    def keys_to(self, who: str, *keys: str) -> None:
        assert self.tmux("send-keys", "-t", who, *keys).returncode == 0

    def alive(self, who: str) -> bool:
        return self.tmux("has-session", "-t", who).returncode == 0

    def close(self, who: str) -> None:
        self.tmux("kill-session", "-t", who)

    def stop(self) -> None:
        self.tmux("kill-server")
