"""Invitations to join a drill from a browser: single-purpose tokens kept hashed in a small file beside the database.

`DB.invitations` (JSON, mode 0600) holds, per invitation, the SHA-256 of its
token (never the token), who it admits and until when, and the hashes of the
session cookies it was exchanged for; and, per drill, where a running
`drilltui serve --web` listens, so `drilltui invite` can print a link on it.
Nothing of it goes to the event log. Writers take a lock file and replace the
file whole, so `invite` and `serve` can both change it at any moment.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from drilltui.errors import UserError

FORMAT = "drilltui-invitations/1"
TOKEN_BYTES = 32  # 256 random bits: guessing one is hopeless, so a refused token needs no lock-out
INVITATIONS_LIMIT = 16 * 1_048_576  # bytes: far more invitations than any drill has


def invitations_path(db: Path) -> Path:
    """Where a database's invitations live: beside it, named after it."""
    return db.with_name(f"{db.name}.invitations")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Invitation:
    """One invitation: for whom, into which drill, how often and until when; and the sessions it opened."""

    id: str
    drill: str
    participant: str
    token_hash: str
    created: float
    expires: float
    uses: int = 1
    used: int = 0
    read_only: bool = False
    revoked: float | None = None
    cookies: tuple[str, ...] = field(default=())  # hashes of the session cookies it was exchanged for

    def refusal(self, drill: str, now: float) -> str | None:
        """Why this invitation opens nothing now, in a sentence for the person holding it; None when it is good."""
        if self.revoked is not None:
            return "This invitation was withdrawn."
        if now >= self.expires:
            return "This invitation has expired."
        if self.drill != drill:
            return "This invitation is for another drill than the one served here."
        return None


@dataclass(frozen=True)
class Listener:
    """A running `serve --web` for a drill: where browsers reach it, and which participants file it serves."""

    drill: str
    url: str
    pid: int
    participants: str

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


@dataclass(frozen=True)
class Book:
    """The whole file: invitations and listeners."""

    invitations: tuple[Invitation, ...] = ()
    listeners: tuple[Listener, ...] = ()

    def find(self, ident: str) -> Invitation | None:
        """An invitation by its id, its token, or a link carrying the token."""
        token = ident.rstrip("/").rsplit("/", 1)[-1]
        hashed = digest(token)
        return next((i for i in self.invitations if i.id == ident or i.token_hash == hashed), None)

    def by_cookie(self, cookie: str) -> Invitation | None:
        hashed = digest(cookie)
        return next((i for i in self.invitations if hashed in i.cookies), None)

    def listener(self, drill: str) -> Listener | None:
        return next((s for s in self.listeners if s.drill == drill and s.alive()), None)


def _decode(data: bytes, path: Path) -> Book:
    try:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise ValueError(f"not {FORMAT}")
        invitations = tuple(Invitation(**{**i, "cookies": tuple(i.get("cookies", ()))}) for i in raw.get("invitations", []))
        listeners = tuple(Listener(**s) for s in raw.get("listeners", []))
    except (ValueError, TypeError, AttributeError) as exc:
        raise UserError(f"{path}: not a drilltui invitations file ({exc}); move it aside to start a new one") from None
    return Book(invitations, listeners)


def _encode(book: Book) -> bytes:
    return json.dumps({"format": FORMAT, "invitations": [asdict(i) for i in book.invitations],
                       "listeners": [asdict(s) for s in book.listeners]}, indent=1).encode()


class InvitationFile:
    """Reads (cached while the file is unchanged) and changes a database's invitations file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int] | None = None
        self._book = Book()

    def _marker(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise UserError(f"cannot read {self.path}: {exc.strerror}") from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def changed(self) -> bool:
        """Whether the file moved since it was last read."""
        return self._marker() != self._seen

    def read(self) -> Book:
        marker = self._marker()
        if marker == self._seen:
            return self._book
        if marker is None:
            self._seen, self._book = None, Book()
            return self._book
        try:
            with open(self.path, "rb") as f:
                data = f.read(INVITATIONS_LIMIT + 1)
        except OSError as exc:
            raise UserError(f"cannot read {self.path}: {exc.strerror}") from None
        if len(data) > INVITATIONS_LIMIT:
            raise UserError(f"{self.path} is larger than {INVITATIONS_LIMIT // 1_048_576} MiB; it is not an invitations file")
        self._seen, self._book = marker, _decode(data, self.path)
        return self._book

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise UserError(f"cannot write beside the database ({lock}): {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def change(self, edit: Callable[[Book], Book]) -> Book:
        """Apply `edit` to the file's current content, under the lock, and write the result whole."""
        with self._locked():
            self._seen = None  # read afresh, under the lock
            book = edit(self.read())
            fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_encode(book))
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(temporary, 0o600)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            self._seen = None
            return book

    # -- what `invite` does ---------------------------------------------------------

    def invite(self, drill: str, participant: str, lifetime: float, uses: int, read_only: bool,
               now: float | None = None) -> tuple[Invitation, str]:
        """A new invitation and its token (shown once, never stored)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        at = time.time() if now is None else now
        invitation = Invitation(secrets.token_hex(4), drill, participant, digest(token), at, at + lifetime, uses, 0, read_only)
        self.change(lambda book: replace(book, invitations=(*book.invitations, invitation)))
        return invitation, token

    def revoke(self, ident: str, now: float | None = None) -> Invitation | None:
        """Withdraw an invitation (by id, token or link), and every session cookie it gave; None if there is no such one."""
        found: list[Invitation] = []
        at = time.time() if now is None else now

        def edit(book: Book) -> Book:
            target = book.find(ident)
            if target is None:
                return book
            found.append(replace(target, revoked=target.revoked or at))
            return replace(book, invitations=tuple(found[0] if i.id == target.id else i for i in book.invitations))

        self.change(edit)
        return found[0] if found else None

    # -- what the server does ----------------------------------------------------------

    def exchange(self, token: str, drill: str, now: float | None = None) -> tuple[Invitation | None, str]:
        """Spend one use of the invitation `token` opens: (the invitation, a new session cookie), or (None, why not)."""
        at = time.time() if now is None else now
        cookie = secrets.token_urlsafe(TOKEN_BYTES)
        outcome: list[Any] = [None, "This link is not a valid invitation."]
        hashed = digest(token)

        def edit(book: Book) -> Book:
            target = next((i for i in book.invitations if i.token_hash == hashed), None)
            if target is None:
                return book
            why = target.refusal(drill, at)
            if why is None and target.used >= target.uses:
                why = "This invitation has already been used; ask for a new one."
            if why is not None:
                outcome[1] = why
                return book
            spent = replace(target, used=target.used + 1, cookies=(*target.cookies, digest(cookie)))
            outcome[:] = [spent, cookie]
            return replace(book, invitations=tuple(spent if i.id == target.id else i for i in book.invitations))

        if token and any(i.token_hash == hashed for i in self.read().invitations):
            self.change(edit)
        return outcome[0], outcome[1]

    def session(self, cookie: str, drill: str, now: float | None = None) -> tuple[Invitation | None, str]:
        """The invitation a session cookie stands for, if it still admits its holder; else (None, why not)."""
        found = self.read().by_cookie(cookie) if cookie else None
        if found is None:
            return None, "This browser has no invitation to this drill."
        why = found.refusal(drill, time.time() if now is None else now)
        return (None, why) if why else (found, "")

    def announce(self, listener: Listener) -> None:
        """Say where a serve --web for the drill listens (replacing any record of one that has stopped)."""
        self.change(lambda book: replace(book, listeners=(
            *(s for s in book.listeners if s.drill != listener.drill and s.alive()), listener)))

    def withdraw(self, drill: str, pid: int) -> None:
        self.change(lambda book: replace(book, listeners=tuple(
            s for s in book.listeners if not (s.drill == drill and s.pid == pid))))
