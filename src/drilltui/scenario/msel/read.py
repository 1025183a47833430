"""Which kind of file an MSEL is, told by its content rather than its name, and the sheet read from it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from drilltui.scenario.msel.csvfile import read_csv
from drilltui.scenario.msel.model import MAX_BYTES, MselError, Sheet
from drilltui.scenario.msel.openaev import openaev_sheet, prefix_of
from drilltui.scenario.msel.t3sf import is_t3sf, t3sf_sheet
from drilltui.scenario.msel.xlsx import is_workbook, read_xlsx
from drilltui.scenario.source import Unreadable, read_source

_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls) or another old Office file; save it as .xlsx or CSV"),
    (b"%PDF", "a PDF document; export the MSEL sheet as CSV or XLSX"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"\x89PNG", "a PNG image, not an MSEL"),
    (b"\xff\xd8\xff", "a JPEG image, not an MSEL"),
    (b"SQLite format 3\x00", "an SQLite database (a drill database?), not an MSEL"),
)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an MSEL file; MselError (one line naming it) when it cannot be read."""
    try:
        return read_source(path, "MSEL file", MAX_BYTES)
    except Unreadable as exc:
        raise MselError(f"{path}: {exc}") from None


def _json(data: bytes) -> object | None:
    try:
        text = data.decode("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig")
        # Numbers stay text: a 5000-digit "#" is a bad cell, not a crash.
        return json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _keys(data: object) -> str:
    if isinstance(data, dict):
        keys = list(data)
        shown = ", ".join(f"'{k}'" for k in keys[:8]) + (", ..." if len(keys) > 8 else "")
        return f"an object with keys {shown}" if keys else "an empty object"
    if isinstance(data, list):
        first = next((x for x in data if isinstance(x, dict)), None)
        if first is not None:
            return f"a list of {len(data)} objects with keys " + ", ".join(f"'{k}'" for k in list(first)[:8])
        return f"a list of {len(data)} values"
    return f"a single {type(data).__name__}"


def _from_json(data: object, path: str) -> Sheet | None:
    if is_t3sf(data):
        return t3sf_sheet(data, path)  # type: ignore[arg-type]
    if prefix_of(data) is not None:
        return openaev_sheet(data, path)  # type: ignore[arg-type]
    return None


def _from_zip(data: bytes, path: str, sheet: str | None) -> Sheet:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise MselError(f"{path}: starts like a zip archive (or an Excel workbook) but is damaged") from None
    with z:
        names = z.namelist()
        if is_workbook(names):
            return read_xlsx(data, path, sheet)
        if "word/document.xml" in names:
            raise MselError(f"{path}: this is a Word document, not an MSEL sheet; copy its table into a sheet "
                            "and save that as CSV or XLSX")
        if "content.xml" in names and b"spreadsheet" in (z.read("mimetype")[:200] if "mimetype" in names else b""):
            raise MselError(f"{path}: this is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV")
        for info in z.infolist():  # OpenAEV marks its data entry with a comment; older exports only name it .json
            if info.is_dir() or not (info.comment in (b"Scenario", b"Exercise") or info.filename.endswith(".json")):
                continue
            with z.open(info) as entry:
                body = entry.read(MAX_BYTES + 1)
            found = _json(body) if len(body) <= MAX_BYTES else None
            if found is not None and (got := _from_json(found, path)) is not None:
                got.kind += f" (zip entry {info.filename})"
                return got
        shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        raise MselError(f"{path}: this is a zip archive but neither an Excel workbook nor an OpenAEV export; "
                        f"it holds {shown or 'nothing'}")


def read_sheet(data: bytes, path: str, sheet: str | None = None) -> Sheet:
    """The MSEL sheet in a file of any kind drilltui reads: CSV, XLSX, T3SF JSON, OpenAEV JSON or zip.

    MselError, one line naming what the file is, when it is none of them.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _from_zip(data, path, sheet)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise MselError(f"{path}: this is {what}")
    if sheet is not None:
        raise MselError(f"{path}: --sheet picks a sheet of an Excel workbook; this file is not one")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n\xff\xfe\x00")[:1]
    if head in (b"{", b"["):
        found = _json(data)
        if found is not None:
            got = _from_json(found, path)
            if got is None:
                raise MselError(f"{path}: this is JSON but not a T3SF MSEL or an OpenAEV export: it is {_keys(found)}")
            return got
    return read_csv(data, path)
