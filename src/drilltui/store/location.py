"""Where the drills are: a SQLite file path or a postgresql:// URL, and opening the right backend for it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Union
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from drilltui.store.log import EventLog
    from drilltui.store.postgres import PgEventLog

SCHEMES = ("postgresql://", "postgres://")


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, as it may be shown."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}@{host}" if user else host, parts.path, parts.query, parts.fragment))


class DatabaseUrl(str):
    """A postgresql:// URL where drilltui takes a database: it stays the URL (children get it whole).

    It answers the few questions code asks of a database path: `absolute()`
    and `exists()` (the server decides); and files that live beside a database
    file (a server's host key, participants' folders) live in the data
    directory under `name`, a slug of the server and database. Put in a
    message (an f-string or `format`) it shows without its password; `str()`
    is the whole URL, for a child process's argv.
    """

    def __format__(self, spec: str) -> str:
        return format(self.shown, spec)

    def absolute(self) -> DatabaseUrl:
        return self

    def exists(self) -> bool:
        return True

    @property
    def shown(self) -> str:
        return redact(self)

    @property
    def name(self) -> str:
        import hashlib  # here, not at the top: naming a --db path needs no OpenSSL

        parts = urlsplit(self)
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{parts.hostname or 'local'}-{parts.port or 5432}{parts.path}").strip("-")
        return f"{slug}-{hashlib.sha256(self.shown.encode()).hexdigest()[:8]}"

    def with_name(self, name: str) -> Path:
        from drilltui.paths import data_dir

        return data_dir() / name


Location = Union[Path, DatabaseUrl]


def location(value: str | Path) -> Location:
    """A --db value or $DRILLTUI_DB: a postgresql:// URL, or else a file path."""
    if isinstance(value, Path):
        return value
    return DatabaseUrl(value) if is_url(value) else Path(value)


async def open_log(where: str | Path, *, readonly: bool = False, create: bool = True) -> EventLog | PgEventLog:
    """Open the drills at `where` with the backend it names: PostgreSQL for a URL, SQLite for a path."""
    if is_url(where):
        from drilltui.store.postgres import PgEventLog

        return await PgEventLog.open(str(where), readonly=readonly, create=create)
    from drilltui.store.log import EventLog

    return await EventLog.open(where, readonly=readonly, create=create)
