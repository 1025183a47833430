"""The server's SSH host key: made on first start, kept mode 0600 next to the database."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh

from drilltui.errors import UserError
from drilltui.scenario.source import Unreadable, read_source

HOST_KEY_LIMIT = 65_536  # bytes: an OpenSSH private key of any usual type and size is well under this


def host_key_path(db: Path) -> Path:
    """Where the host key of a drill database lives: beside it, named after it."""
    return db.with_name(f"{db.name}.ssh_host_ed25519_key")


def fingerprint(key: asyncssh.SSHKey) -> str:
    """The SHA256 fingerprint participants compare with what their ssh client shows."""
    return key.get_fingerprint("sha256")


def load_or_create_host_key(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The host key at `path`, made (ed25519, mode 0600) if there is none; and whether it is new.

    Raises UserError when the file exists but cannot be read or is not a
    private key, or is readable by others (as sshd refuses such keys).
    """
    try:
        os.stat(path)
    except FileNotFoundError:
        return _create(path), True
    except OSError:
        pass  # read_source says why in one sentence
    try:
        data = read_source(path, "host key", limit=HOST_KEY_LIMIT)
    except Unreadable as exc:
        raise UserError(f"host key {path}: {exc}") from None
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UserError(f"host key {path} is open to others (mode {stat.S_IMODE(mode):04o}); run `chmod 600 {path}`")
    try:
        return asyncssh.import_private_key(data), False
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise UserError(f"host key {path} is not a usable SSH private key ({exc}); move it away to make a new one") from None


def _create(path: Path) -> asyncssh.SSHKey:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="drilltui host key")
    data = key.export_private_key("openssh")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write the host key {path}: {exc.strerror or exc}") from None
    try:
        # O_EXCL: never overwrite a key another server made at the same moment.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_or_create_host_key(path)[0]
    except OSError as exc:
        raise UserError(f"cannot write the host key {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise UserError(f"cannot write the host key {path}: {exc.strerror}") from None
    return key
