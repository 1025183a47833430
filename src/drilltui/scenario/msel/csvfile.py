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
    if not re.sub(r"[\s,;\"]", "", text):
        raise MselError(f"{path}: the file is empty; export the MSEL sheet as CSV with its header row")
    return text, notes


def _records(text: str, delimiter: str, path: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return [row for row in reader]
    except csv.Error as exc:
        raise MselError(f"{path}: row {reader.line_num}: cannot read it as CSV ({exc})") from None


def read_csv(data: bytes, path: str) -> Sheet:
    """The sheet of a CSV file, split by whichever separator explains a header row best (comma when none does)."""
    text, notes = decode(data, path)
    best: tuple[int, int, list[list[str]]] | None = None
    for rank, delim in enumerate(DELIMITERS):
        if delim not in text and delim != ",":
            continue
        records = _records(text, delim, path)
        for row in records[:HEADER_SEARCH_ROWS]:
            score, usable = header_score(row)
            if usable and (best is None or (score, -rank) > (best[0], best[1])):
                best = (score, -rank, records)
    if best is None:  # no header row: the separator that makes the most columns
        for delim in DELIMITERS:
            if delim in text or delim == ",":
                records = _records(text, delim, path)
                width = max((len(r) for r in records), default=0)
                if best is None or width > best[0]:
                    best = (width, 0, records)
    assert best is not None
    return Sheet(path, best[2], "CSV", notes, guarded=True)
