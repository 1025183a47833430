"""Noticing that the SQLite file (or its -wal, -shm) under an open connection is no longer the one at its path."""

from __future__ import annotations

import os
import shlex
import sqlite3
import threading
import time
from pathlib import Path

from drilltui.store.errors import Moved

Identity = tuple[int, int] | None  # (st_dev, st_ino), None when there is no file


def identity(path: str) -> Identity:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class FileGuard:
    """The identities of a database's three files as its connection opened them, rechecked before each write.

    Deleting `drills.db-wal` and `-shm` (or moving another file over
    `drills.db`) while a connection is open leaves that connection writing into
    files nobody else will ever read, and its close then checkpoints stale pages
    over what others wrote. Three stat calls per write transaction catch it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._paths = (str(path), f"{path}-wal", f"{path}-shm")
        self._folder = str(path.absolute().parent)
        self._seen = tuple(identity(p) for p in self._paths)
        self._folder_mtime = -1  # the folder's mtime at the last full check that passed
        self.tripped: str | None = None  # what happened, once noticed
        self.error: Moved | None = None  # the error every write gets from then on

    def _folder_unchanged(self) -> bool:
        """Whether no name in the folder can have been added, removed or renamed since the last full check.

        Deleting or renaming a file changes its folder's mtime, so one stat of the
        folder stands for three of the files. File times are coarse (a clock
        tick), so a folder changed in the last second is always looked at in full.
        """
        try:
            st = os.stat(self._folder)
        except OSError:
            return False
        if st.st_mtime_ns == self._folder_mtime:
            return True  # unchanged since a look at which it was already settled
        # Trusted next time only if it is already settled now: a change in the same tick as this
        # look would leave the same mtime behind, and any later one leaves a later mtime.
        settled = time.time_ns() - st.st_mtime_ns > 1_000_000_000
        self._folder_mtime = st.st_mtime_ns if settled else -1
        return False

    def problem(self) -> str | None:
        """What happened to the files since the connection opened them, or None when they are still its own."""
        if self.tripped is None and not self._folder_unchanged():
            db, wal, shm = (identity(p) for p in self._paths)
            if db != self._seen[0]:
                what = "deleted" if db is None else "replaced by another file (moved or copied over it)"
                self.tripped = f"{self.path} was {what} while drilltui had it open"
            elif (wal, shm) != self._seen[1:]:
                gone = [p for p, now, was in zip(self._paths[1:], (wal, shm), self._seen[1:]) if now != was]
                self.tripped = f"{' and '.join(gone)} {'was' if len(gone) == 1 else 'were'} deleted or replaced while drilltui had {self.path} open"
        return self.tripped

    @property
    def database_replaced(self) -> bool:
        return identity(self._paths[0]) != self._seen[0]

    @property
    def wal_changed(self) -> bool:
        return identity(self._paths[1]) != self._seen[1]


def safe_up_to(path: Path, drill_id: str | None) -> str:
    """What the file now at `path` holds of the drill, read without touching its -wal or -shm."""
    if drill_id is None:
        return ""
    try:
        # immutable: no locks, no -shm, no -wal; only what is already in the main file, which is
        # what survives whatever becomes of the write-ahead log.
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            row = conn.execute("SELECT head_seq FROM drill WHERE id = ?", (drill_id,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return f" The file now at {path} cannot be read as a drilltui database."
    if row is None:
        return f" The file now at {path} does not hold drill '{drill_id}'."
    return f" The last safe event of drill '{drill_id}' is event {row[0]}, the last one in {path} itself."


def rescue(conn: sqlite3.Connection, path: Path) -> str:
    """Copy what this connection still sees (its old, unlinked file) beside the path; say where, or why not."""
    target = path.with_name(f"{path.name}.rescued-{os.getpid()}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.rescued-{os.getpid()}-{n}")
    try:
        conn.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as exc:
        return f" Its drills could not be saved elsewhere ({exc})."
    return f" Everything it had was saved to {target} (`drilltui drills --db {shlex.quote(str(target))}`)."


def moved(guard: FileGuard, drill_id: str | None, conn: sqlite3.Connection) -> Moved:
    """The one-line error for a write refused because the files moved; called on the connection's thread.

    Worked out (and the old file rescued) once; every later write gets the same error.
    """
    if guard.error is not None:
        return guard.error
    what = guard.problem() or "the database moved"
    saved = ""
    if guard.database_replaced:
        saved = rescue(conn, guard.path)
        if not guard.wal_changed:
            # The -wal at the path is still ours, and another process opening the file now at the
            # path would read our frames against it: fold them into our old file and empty it.
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
    guard.error = Moved(f"{what}: nothing more was written, so nothing is written into a file no one will read.{saved}"
                        f"{safe_up_to(guard.path, drill_id)} Restart drilltui on the database to go on.")
    return guard.error


def never_close(conn: sqlite3.Connection) -> None:
    """Keep a connection whose files moved open until the process ends.

    Closing it would checkpoint its stale write-ahead log into the database file
    (overwriting what other processes wrote since) and delete the `-wal` now at
    the path, which is another connection's. A daemon thread that holds it and
    waits for ever keeps it from ever being closed, even at interpreter exit;
    the process's exit then drops it with no checkpoint.
    """
    threading.Thread(target=_hold, args=(conn, threading.Event()), name="drilltui-moved-db", daemon=True).start()


def _hold(conn: sqlite3.Connection, forever: threading.Event) -> None:
    forever.wait()
