"""Whatever bytes it is given, import-msel gives a scenario or one MselError line: never another exception."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drilltui.scenario.msel import MselError, import_msel
from drilltui.visible import has_control

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every code point (controls, bidi controls, lone surrogates) and numbers of any length.
hostile = st.text(st.characters(blacklist_categories=()), max_size=20)
huge = st.integers(1, 6000).map(lambda n: "9" * n)
cell = hostile | huge | huge.map(lambda d: "T+" + d) | st.sampled_from(["T+15", "09:00", "J-60", "D+1 09:00", "=1+1",
                                                                            "PR/Comm", "after 1 acknowledged", "x | y | z"])
HEADER = ["Event No.", "Time", "To", "Method", "Title", "Message", "Decision", "Trigger", "Contingency"]


def import_or_refuse(data: bytes, name: str) -> None:
    try:
        result = import_msel(data, name)
    except MselError as exc:
        assert "\n" not in str(exc)
        return
    if result.scenario is not None:  # accepted: nothing a terminal would act on got through
        for i in result.scenario.injects:
            assert has_control(i.title) is None and has_control(i.message) is None
    for line in result.warnings:
        line.encode("utf-8", "surrogateescape")


def as_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([HEADER, *rows])
    return buf.getvalue().encode("utf-8", "surrogatepass")


@FAST
@given(st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=4))
def test_hostile_csv_cells(rows: list[list[str]]) -> None:
    import_or_refuse(as_csv(rows), "fuzz.csv")


@FAST
@given(st.lists(st.dictionaries(st.sampled_from(["#", "Real Time", "Date", "Subject", "From", "Player", "Script", "Poll"]),
                                cell | st.integers() | st.floats() | st.none() | st.booleans(), min_size=3),
                min_size=1, max_size=4))
def test_hostile_t3sf_json(items: list[dict[str, object]]) -> None:
    import_or_refuse(json.dumps(items).encode(), "fuzz.json")


@FAST
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    import_or_refuse(data, "fuzz.bin")


@FAST
@given(st.sampled_from([b"PK\x03\x04", b"{", b"[", b"\xff\xfe", b"\xef\xbb\xbf", b"%PDF"]), st.binary(max_size=200))
def test_bytes_that_start_like_another_kind_of_file(magic: bytes, rest: bytes) -> None:
    import_or_refuse(magic + rest, "fuzz.bin")
