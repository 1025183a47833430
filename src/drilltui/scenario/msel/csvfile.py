"""MSEL sheets saved as CSV: the encoding, the separator, and the rows of cells."""

from __future__ import annotations

import csv
import io
import re

from drilltui.scenario.msel.columns import header_score
from drilltui.scenario.msel.model import MselError, Sheet

HEADER_SEARCH_ROWS = 10
DELIMITERS = (",", ";", "\t")
# Many of these in the first 64 KiB is a binary file; a stray one is reported at its cell.
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Text of a CSV: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 with a warning."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise MselError(f"{path}: starts like UTF-16 text but is not; save it as CSV UTF-8") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            notes.append(
                f"{path}: warning: the file is not UTF-8; read it as Windows-1252, so check accented "
                "letters (or save it as CSV UTF-8)"
            )
    text = text.rstrip("\x1a")  # a DOS end-of-file mark
    head = text[:65536]
    if "\x00" in head or len(_BAD_CONTROL.findall(head)) > max(8, len(head) // 200):
        raise MselError(f"{path}: not a CSV file (it holds binary data); export the MSEL sheet as CSV")
    if not text.strip(" \t\r\n\f\v,;\""):  # only separators, quotes and blank space
        raise MselError(f"{path}: the file is empty; export the MSEL sheet as CSV with its header row")
    return text, notes


def _records(text: str, delimiter: str, path: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return [row for row in reader]
    except csv.Error as exc:
        raise MselError(f"{path}: row {reader.line_num}: cannot read it as CSV ({exc})") from None


def _head(text: str, lines: int = 4 * HEADER_SEARCH_ROWS) -> str:
    """The start of the text, long enough to hold the header row even when cells span lines."""
    end = 0
    for _ in range(lines):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


def read_csv(data: bytes, path: str) -> Sheet:
    """The sheet of a CSV file, split by whichever separator explains a header row best (comma when none does)."""
    text, notes = decode(data, path)
    candidates = [d for d in DELIMITERS if d in text or d == ","]
    # The header is among the first rows: judge each separator on them, then read the whole file once.
    head = _head(text)
    best: tuple[int, int, str] | None = None
    for rank, delim in enumerate(candidates):
        for row in _records(head, delim, path)[:HEADER_SEARCH_ROWS]:
            score, usable = header_score(row)
            if usable and (best is None or (score, -rank) > best[:2]):
                best = (score, -rank, delim)
    if best is not None:
        return Sheet(path, _records(text, best[2], path), "CSV", notes, guarded=True)
    # No header row: the separator that makes the most columns.
    tables = [_records(text, d, path) for d in candidates]
    widest = max(tables, key=lambda records: max((len(r) for r in records), default=0))
    return Sheet(path, widest, "CSV", notes, guarded=True)
