"""An MSEL sheet into a scenario: columns found or mapped, rows into injects, roles and objectives, and what to check."""

from __future__ import annotations

import datetime
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drilltui.scenario.check import model_problems
from drilltui.scenario.durations import MAX_SECONDS, format_drill_time, format_duration
from drilltui.scenario.loader import SLUG, cycles, loads
from drilltui.scenario.model import (
    EXERCISE_TYPES,
    METHODS,
    SEVERITIES,
    Decision,
    Inject,
    Objective,
    Role,
    Scenario,
    ScenarioError,
    Trigger,
)
from drilltui.scenario.msel.cells import (
    LIST_SEPARATOR,
    derive_title,
    join_notes,
    key,
    listed,
    map_method,
    map_severity,
    natural,
    parse_decision,
    parse_objectives,
    parse_trigger,
    preview,
    sanitise_id,
    slugify,
    split_names,
)
from drilltui.scenario.msel.cells import flag as parse_flag
from drilltui.scenario.msel.columns import TRACKING, header_score, match_column, normalise_header, time_rank
from drilltui.scenario.msel.mapping import Column, column_letter
from drilltui.scenario.msel.model import ImportResult, MselError, Sheet
from drilltui.scenario.msel.roles import PLACEHOLDER_ROLE, Roles
from drilltui.scenario.msel.times import _time_kind, parse_offset, resolve_times
from drilltui.scenario.msel.yamlout import dump_scenario
from drilltui.visible import describe_control, has_control

HEADER_SEARCH_ROWS = 10
MARGIN = 15 * 60


_GUARDED = re.compile(r"'+[=+\-@\t]")


def clean_cell(value: str, guarded: bool = True) -> str:
    """A cell as the import reads it: line breaks as `\\n`, no blank space around, no formula guard."""
    if "\r" in value or "\x0b" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    value = value.strip()
    # CSV export guards cells that would start a spreadsheet formula with a leading '.
    if guarded and value[:1] == "'" and _GUARDED.match(value):
        value = value[1:]
    return value


@dataclass(frozen=True)
class _Column:
    index: int
    field: str
    header: str


@dataclass
class _Draft:
    """One MSEL row on its way to an inject."""

    row: int
    id: str | None = None
    at: int | None = None
    after: tuple[str, str, str | None, int] | None = None
    manual: bool = False
    sender: str | None = None
    to_text: str = ""
    to: tuple[str, ...] = ()
    method: str = "other"
    severity: str = "medium"
    title: str = ""
    message: str = ""
    expected: str | None = None
    objective_refs: list[tuple[str | None, str | None]] = field(default_factory=list)
    objectives: tuple[str, ...] = ()
    capabilities: list[str] = field(default_factory=list)
    decision: Decision | None = None
    ack_within: int | None = None
    time_text: str = ""

    def inject(self) -> Inject:
        after = Trigger(*self.after) if self.after else None
        return Inject(
            id=self.id or "", title=self.title, to=self.to, at=self.at, after=after, manual=self.manual,
            sender=self.sender, method=self.method, message=self.message, expected_action=self.expected,
            objectives=self.objectives, severity=self.severity, ack_within=self.ack_within,
            decision=self.decision,
        )


def _looks_like_data(cells: Sequence[str]) -> bool:
    """A row whose cells read as times, numbers or sentences is a row of injects, not a header."""
    for c in (c.strip() for c in cells):
        if not c:
            continue
        if "\n" in c or len(c) > 60 or len(c.split()) > 7:
            return True
        if _time_kind(c) not in ("bad",) and not re.fullmatch(r"[A-Za-z ./#+()-]*", c):
            return True
    return False


def suggest_mapping(rows: Sequence[Sequence[str]]) -> str:
    """A `--map` guessed from what the columns of a headerless sheet hold."""
    width = max((len(r) for r in rows), default=0)
    columns = [[r[i].strip() for r in rows if i < len(r) and r[i].strip()] for i in range(width)]
    guess: dict[str, int] = {}
    timeish = [i for i, c in enumerate(columns) if c and sum(_time_kind(v) != "bad" for v in c) >= 0.8 * len(c)
               and not all(v.isdigit() for v in c)]
    if timeish:
        guess["time"] = timeish[0]
    numbered = [i for i, c in enumerate(columns) if c and all(re.fullmatch(r"#?\d+[A-Za-z]?", v) for v in c)]
    if numbered and numbered[0] != guess.get("time"):
        guess["id"] = numbered[0]
    texts = sorted((i for i, c in enumerate(columns) if c and i not in guess.values()),
                   key=lambda i: -sum(len(v) for v in columns[i]) / len(columns[i]))
    if texts:
        guess["message"] = texts[0]
    short = [i for i in texts[1:] if len(set(columns[i])) < len(columns[i])]
    if short:
        guess["to"] = short[0]
    rest = [i for i in texts[1:] if i not in guess.values()]
    if rest:
        guess["title"] = rest[0]
    return ",".join(f"{f}={column_letter(i)}" for f, i in sorted(guess.items(), key=lambda p: p[1]))


class _Import:
    """One MSEL sheet being read: its columns, its rows, and what to tell the planner."""

    def __init__(self, sheet: Sheet, *, mapping: dict[str, Column] | None = None, split_recipients: bool = False,
                 start: datetime.datetime | None = None) -> None:
        self.sheet = sheet
        self.path = sheet.name
        self.mapping = mapping or {}
        self.split_recipients = split_recipients
        self.start = start
        self.notes: list[tuple[int, int, str]] = [(0, n, t) for n, t in enumerate(sheet.notes)]
        self.h = self.find_header()
        records = sheet.records[(self.h + 1) if self.h is not None else 0:]
        first = sheet.first_row + (self.h + 1 if self.h is not None else 0)
        self.header: list[str] = sheet.records[self.h] if self.h is not None else []
        self.rows = [(first + j, [clean_cell(c, sheet.guarded) for c in r]) for j, r in enumerate(records)]
        self.cols: dict[str, _Column] = {}
        self.note_cols: list[_Column] = []
        self.skipped: list[int] = []
        self.unscheduled: list[int] = []
        self.seconds: dict[int, int] = {}

    @property
    def header_number(self) -> int:
        return self.sheet.first_row + (self.h or 0)

    def label(self, row: int) -> str:
        return f"{self.sheet.row_word} {row}"

    def find_header(self) -> int | None:
        """The index of the header record; None for a sheet of data only (with a --map by letters)."""
        if self.sheet.header_row is not None:
            return self.sheet.header_row
        records = self.sheet.records
        best: tuple[int, int] | None = None
        for i, row in enumerate(records[:HEADER_SEARCH_ROWS]):
            score, usable = header_score(row)
            if usable and not _looks_like_data(row) and (best is None or score > best[0]):
                best = (score, i)
        by_letter = bool(self.mapping) and all(c.index is not None for c in self.mapping.values())
        if best is not None and not (by_letter and _looks_like_data(records[best[1]])):
            return best[1]
        if by_letter:
            return None
        if self.mapping:  # columns named by header, and no header row names them
            named = ", ".join(f"'{c.header}'" for c in self.mapping.values() if c.header)
            raise MselError(f"{self.path}: no header row names the columns {named} of --map; "
                            "name the columns by letter instead (time=B)")
        data = [r for r in records if any(c.strip() for c in r)]
        if not data:
            raise MselError(f"{self.path}: the sheet is empty; export the MSEL sheet with its header row")
        first = next(iter(data))
        if not _looks_like_data(first):
            raise MselError(
                f"{self.path}: no header row found (first row: {preview(first)}); the first row should name the "
                "columns, e.g. Event No., Time, From, To, Message, or name them with --map time=B,message=E"
            )
        hint = suggest_mapping(data[:50])
        raise MselError(
            f"{self.path}: no header row: the first row holds data ({preview(first)}); name the columns "
            f"with --map, e.g. --map {hint or 'time=A,message=B'} (fields: docs/msel.md)"
        )

    # -- telling the planner

    def warn(self, message: str) -> None:
        self.notes.append((0, len(self.notes), f"{self.path}: warning: {message}"))

    def row_warning(self, row: int, message: str) -> None:
        self.notes.append((row, len(self.notes), f"{self.sheet.where(row)}: warning: {message}"))  # type: ignore[misc]

    @property
    def warnings(self) -> list[str]:
        return [t for _, _, t in sorted(self.notes)]

    # -- columns

    def map_columns(self) -> None:
        found: dict[str, list[_Column]] = {}
        taken: set[int] = set()
        for f, given in self.mapping.items():
            index = given.find(self.header or None)
            if index is None:
                names = ", ".join(f"'{' '.join(c.split())}'" for c in self.header if c.strip()) or "none"
                raise MselError(f"{self.path}: --map names the column '{given.header}' for {f}, which the header "
                                f"row ({self.label(self.header_number)}) does not have; columns found: {names}")
            header = self.header[index] if index < len(self.header) else ""
            shown = " ".join(header.split()) or column_letter(index)
            found[f] = [_Column(index, f, shown)]
            taken.add(index)
        for i, name in enumerate(self.header):
            if not name.strip() or i in taken:
                continue
            matched = match_column(name)
            shown = " ".join(name.replace("\ufeff", "").split())
            if matched is None:
                why = ("it is filled in during play" if any(t in normalise_header(name) for t in TRACKING)
                       else "drilltui does not know what it holds (see docs/msel.md)")
                self.row_warning(self.header_number, f"ignoring column '{shown}': {why}")
                continue
            if matched in self.mapping:
                self.row_warning(self.header_number, f"ignoring column '{shown}': --map gives the {matched.replace('_', ' ')}")
                continue
            found.setdefault(matched, []).append(_Column(i, matched, shown))
        if "id" not in found:  # an "Event" or "Inject" column that holds only numbers
            for f in ("title", "message"):
                col = next((c for c in found.get(f, ()) if f not in self.mapping and self._numbers_only(c)), None)
                if col is not None:
                    found[f].remove(col)
                    found["id"] = [_Column(col.index, "id", col.header)]
                    break
        titles = found.get("title", [])
        if not found.get("message") and titles:  # a synopsis is the inject text then
            wordy = ("synopsis", "description", "summary")
            pick = next((c for c in titles if any(w in normalise_header(c.header) for w in wordy)), titles[-1])
            titles.remove(pick)
            found["message"] = [_Column(pick.index, "message", pick.header)]
        found.get("time", []).sort(key=lambda c: (time_rank(c.header), c.index))
        missing = [what for f, what in (("time", "time column (Time, Scenario Time or T+)"),
                                        ("message", "inject text column (Inject, Message or Description)"))
                   if not found.get(f)]
        if missing:
            names = ", ".join(f"'{' '.join(c.split())}'" for c in self.header if c.strip()) or "none"
            raise MselError(f"{self.path}: no {' and no '.join(missing)}; columns found: {names}"
                            " (or name them with --map, e.g. --map time=B,message=E)")
        for f, cs in found.items():
            if f in ("notes", "extra"):
                self.note_cols.extend(cs)
            elif cs:
                self.cols[f] = cs[0]
                for other in cs[1:]:
                    self.row_warning(self.header_number, f"ignoring column '{other.header}': column "
                                     f"'{cs[0].header}' already gives the {f.replace('_', ' ')}")
        self.note_cols.sort(key=lambda c: (c.field != "notes", c.index))
        if "to" not in self.cols:
            self.warn("no To column; every inject goes to the placeholder role 'players' "
                      "(rename it or add a To column)")

    def used(self) -> tuple[str, str]:
        """The columns used, as a note and as the `--map` that picks them again."""
        cols = sorted((*self.cols.values(), *(c for c in self.note_cols if c.field == "notes")), key=lambda c: c.index)
        said = ", ".join(f"{c.field}={column_letter(c.index)}" + (f" ('{c.header}')" if self.header else "") for c in cols)
        return said, ",".join(f"{c.field}={column_letter(c.index)}" for c in cols)

    def _numbers_only(self, col: _Column) -> bool:
        vals = [cells[col.index] for _, cells in self.rows if col.index < len(cells) and cells[col.index]]
        return bool(vals) and all(re.fullmatch(r"#?\d+(?:[.-]\d+)*[A-Za-z]?", v) for v in vals)

    def get(self, cells: list[str], f: str) -> str:
        col = self.cols.get(f)
        return cells[col.index] if col is not None and col.index < len(cells) else ""

    def check_controls(self, row: int, cells: list[str]) -> None:
        """A cell that would reach the scenario with a control character stops the import at that cell."""
        if has_control("\n".join(cells)) is None:  # the usual row: one look at all of it
            return
        for col in (*self.cols.values(), *self.note_cols):
            value = cells[col.index] if col.index < len(cells) else ""
            if value and (c := has_control(value)) is not None:
                raise MselError(f"{self.sheet.where(row)}: the {col.header or col.field} cell "  # type: ignore[misc]
                                f"({column_letter(col.index)}) holds {describe_control(c)}; remove it "
                                "(cells may hold tabs and line breaks, no other control characters)")

    # -- rows

    def drafts(self) -> list[_Draft]:
        out = []
        width = len(self.header)
        for row, cells in self.rows:
            if not any(cells):
                continue  # blank rows are normal in a spreadsheet
            if self.header and any(cells[width:]):
                self.row_warning(row, f"the row has {len(cells)} cells but the header only {width}; "
                                 "the extra cells are ignored")
            self.check_controls(row, cells)
            d = self.draft(row, cells)
            if d is not None:
                out.append(d)
        if not out:
            below = f"below the header ({self.label(self.header_number)})" if self.h is not None else "in the sheet"
            raise MselError(f"{self.path}: no injects {below}; every row is blank or has no inject text")
        return out

    def draft(self, row: int, cells: list[str]) -> _Draft | None:
        get = self.get
        message, title = get(cells, "message"), get(cells, "title")
        if not message and not title:
            self.row_warning(row, f"no inject text or title, so the row is skipped ({preview(cells)})")
            self.skipped.append(row)
            return None
        d = _Draft(row=row, message=message, title=title or derive_title(message))
        raw_id = get(cells, "id")
        if raw_id:
            d.id = sanitise_id(raw_id) or None
            if d.id is None:
                self.row_warning(row, f"event number '{raw_id}' has no letters or digits; an id is made up for it")
            elif d.id != raw_id.lstrip("#").strip():
                self.row_warning(row, f"event number '{raw_id}' becomes the id '{d.id}'")
        d.sender = get(cells, "from") or None
        d.to_text = get(cells, "to")
        d.time_text = get(cells, "time")
        extra: list[str] = []
        if manual := get(cells, "manual"):
            flag = parse_flag(manual)
            d.manual = True if flag is None else flag
            if flag is None:  # a condition rather than a mark: keep it for the controller
                extra.append(f"Contingency: {manual}")
        if (trig := get(cells, "trigger")) and not d.manual:
            d.after = parse_trigger(trig)
            if d.after is not None and not 0 <= d.after[3] <= MAX_SECONDS:
                d.after = None
            if d.after is None:
                self.row_warning(row, f"cannot read the trigger '{preview([trig])}'; "
                                 "write it like 'after 12 acknowledged +5m'")
        if method := get(cells, "method"):
            got = map_method(method)
            if got is None:
                self.row_warning(row, f"method '{preview([method])}' is not one of {', '.join(METHODS)}; other is used")
            d.method = got or "other"
        if sev := get(cells, "severity"):
            got = map_severity(sev)
            if got is None:
                self.row_warning(row, f"severity '{preview([sev])}' is not one of {', '.join(SEVERITIES)}; "
                                 "medium is used")
            d.severity = got or "medium"
        if obj := get(cells, "objectives"):
            d.objective_refs = parse_objectives(obj)
        if cap := get(cells, "capability"):
            d.capabilities = [c.strip() for c in LIST_SEPARATOR.split(cap)]
        if dec := get(cells, "decision"):
            d.decision, why = parse_decision(dec)
            if d.decision is None:
                self.row_warning(row, f"the decision is left out: {why}; write it as 'question | id: label | id: label'")
        if ack := get(cells, "ack_within"):
            d.ack_within = parse_offset(ack)
            if d.ack_within is not None and not 0 <= d.ack_within <= MAX_SECONDS:
                d.ack_within = None
            if d.ack_within is None:
                self.row_warning(row, f"cannot read the acknowledgement deadline '{preview([ack])}'; left out")
        notes = []
        bare = sum(c.field == "notes" for c in self.note_cols) == 1
        for col in self.note_cols:
            v = cells[col.index] if col.index < len(cells) else ""
            if v:
                notes.append(v if bare and col.field == "notes" else f"{col.header}: {v}")
        d.expected = join_notes(get(cells, "expected") or None, "\n".join(notes + extra) or None)
        return d

    # -- timing

    def settle_times(self, drafts: list[_Draft]) -> None:
        col = self.cols["time"]
        timed = resolve_times([(d.row, d.time_text) for d in drafts if d.time_text], col.header, self.sheet.name,
                              self.label, self.start)
        for note in timed.notes:
            self.notes.append((0, len(self.notes), note))
        self.seconds = timed.seconds
        for d in drafts:
            if d.manual:
                if d.time_text:
                    self.row_warning(d.row, f"contingency inject: its time '{d.time_text}' is dropped, "
                                     "a controller releases it")
            elif d.after is not None:
                if d.time_text:
                    self.row_warning(d.row, f"has both a time ('{d.time_text}') and a trigger; the trigger is used")
            elif d.row in timed.seconds:
                d.at = timed.seconds[d.row]
            else:
                if d.row in timed.bad:
                    self.row_warning(d.row, f"cannot read the time '{timed.bad[d.row]}'; imported as a "
                                     "contingency inject (manual: true), give it an at")
                else:
                    self.row_warning(d.row, "no time; imported as a contingency inject (manual: true), "
                                     "give it an at if it is scheduled")
                d.manual = True
                self.unscheduled.append(d.row)

    def assign_ids(self, drafts: list[_Draft]) -> None:
        used: dict[str, int] = {}
        for d in drafts:
            if d.id is None:
                continue
            if d.id in used:
                base, n = d.id, 2
                while f"{base}-{n}" in used:
                    n += 1
                self.row_warning(d.row, f"event number {base} is used twice (first on row {used[base]}); "
                                 f"this one becomes {base}-{n}")
                d.id = f"{base}-{n}"
            used[d.id] = d.row
        counter = 0
        for d in drafts:
            while d.id is None:
                counter += 1
                if f"M-{counter:03d}" not in used:
                    d.id = f"M-{counter:03d}"
                    used[d.id] = d.row

    def check_triggers(self, drafts: list[_Draft]) -> None:
        by_id = {d.id: d for d in drafts}

        def demote(d: _Draft, why: str) -> None:
            d.after = None
            if d.row in self.seconds:
                d.at = self.seconds[d.row]
                self.row_warning(d.row, f"{why}; its time is used instead")
            else:
                d.manual = True
                self.row_warning(d.row, f"{why}; imported as a contingency inject (manual: true)")
                self.unscheduled.append(d.row)

        for d in drafts:
            if d.after is None:
                continue
            target, on, option, _ = d.after
            other = by_id.get(target)
            if other is None:
                demote(d, f"the trigger names event {target}, which is not in the MSEL")
            elif other is d:
                demote(d, "the trigger names the row's own event")
            elif on == "decision" and (other.decision is None or other.decision.option(option or "") is None):
                demote(d, f"the trigger waits for decision option '{option}' of {target}, which has no such option")
        links = {d.id or "": d.after[0] if d.after else None for d in drafts}
        for loop in cycles(links):
            if len(loop) > 1:
                demote(by_id[loop[0]], f"the triggers go round in a loop ({' -> '.join([*loop, loop[0]])})")

    # -- roles and objectives

    def roles(self, drafts: list[_Draft]) -> tuple[Role, ...]:
        registry = Roles()
        for name in self.sheet.roles:
            registry.resolve(name)
        for d in drafts:
            names = split_names(d.to_text, slashes=self.split_recipients, lines_only=self.sheet.split_lines_only)
            if names:
                d.to = tuple(dict.fromkeys(registry.resolve(n) for n in names))
            else:
                if "to" in self.cols:
                    self.row_warning(d.row, "no recipient (To); sent to the placeholder role 'players'")
                d.to = (registry.placeholder(),)
        return tuple(registry.roles.values())

    def objectives(self, drafts: list[_Draft]) -> tuple[tuple[Objective, ...], list[str]]:
        """Objectives as written (O1, Obj 2); sentences and lone capabilities get O1, O2, ..."""
        made: dict[str, Objective] = {oid: Objective(oid, text) for oid, text in self.sheet.objectives}
        explicit = {oid for d in drafts for oid, _ in d.objective_refs if oid}
        by_text: dict[str, str] = {}
        untitled: list[str] = []
        gen = 0

        def new_id(key: str) -> str:
            nonlocal gen
            if key in by_text:
                return by_text[key]
            while f"O{gen}" in explicit or f"O{gen}" in made or gen == 0:
                gen += 1
            by_text[key] = f"O{gen}"
            return by_text[key]

        for d in drafts:
            ids: list[str] = []
            for oid, text in d.objective_refs:
                oid = oid or new_id(key(text or ""))
                if oid not in made:
                    made[oid] = Objective(oid, text or f"Objective {oid} from the MSEL (write its text)")
                    if not text:
                        untitled.append(oid)
                elif text and oid in untitled:
                    made[oid] = Objective(oid, text, made[oid].capability)
                    untitled.remove(oid)
                if oid not in ids:
                    ids.append(oid)
            caps = [c for c in d.capabilities if c]
            if caps and not ids:  # a capability with no objective becomes one
                for cap in caps:
                    oid = new_id("capability:" + key(cap))
                    made.setdefault(oid, Objective(oid, cap, cap))
                    if oid not in ids:
                        ids.append(oid)
            elif caps:
                # One capability per objective, in order; or one for all of them.
                if len(d.capabilities) == len(ids):
                    pairs = list(zip(ids, d.capabilities))
                else:
                    pairs = [(i, "; ".join(caps)) for i in ids]
                for oid, cap in pairs:
                    if cap and made[oid].capability is None:
                        made[oid] = Objective(oid, made[oid].text, cap)
            d.objectives = tuple(ids)
        return tuple(sorted(made.values(), key=lambda o: natural(o.id))), sorted(untitled, key=natural)

    def pre_header_title(self) -> str | None:
        """A lone cell above the header, as Excel templates put the exercise name there."""
        for cells in self.sheet.records[: self.h or 0]:
            if cells and cells[0].strip() and not any(c.strip() for c in cells[1:]):
                return " ".join(cells[0].split())
        return None




def import_sheet(
    sheet: Sheet,
    *,
    title: str | None = None,
    duration: str | int | None = None,
    scenario_id: str | None = None,
    exercise_type: str = "tabletop",
    output_name: str = "<imported>",
    mapping: dict[str, Column] | None = None,
    split_recipients: bool = False,
    start: datetime.datetime | None = None,
    found: str = "",
) -> ImportResult:
    """A sheet into scenario YAML; MselError when it cannot be used at all.

    `output_name` names the YAML in validation problems.
    """
    if exercise_type not in EXERCISE_TYPES:
        raise MselError(f"type '{exercise_type}' is not one of {', '.join(EXERCISE_TYPES)}")
    if scenario_id is not None and not SLUG.match(scenario_id):
        raise MselError(f"id '{scenario_id}' is not valid; use lower-case letters, digits and '-'")
    planned: int | None = None
    if duration is not None:
        planned = duration if isinstance(duration, int) else parse_offset(str(duration))
        if planned is None or planned <= 0:
            raise MselError(f"duration '{duration}' is not a duration; write it as 2h, 90m, 1h30m, 01:30 or 01:30:00")
    path = sheet.name
    job = _Import(sheet, mapping=mapping, split_recipients=split_recipients, start=start)
    job.map_columns()
    drafts = job.drafts()
    job.settle_times(drafts)
    job.assign_ids(drafts)
    job.check_triggers(drafts)
    roles = job.roles(drafts)
    objectives, untitled = job.objectives(drafts)
    injects = tuple(d.inject() for d in drafts)

    stem = Path(path).stem if path not in ("-", "<stdin>") else ""
    the_title = (title or sheet.title or job.pre_header_title()
                 or " ".join(re.split(r"[_\s-]+", stem)).strip().capitalize() or "Imported MSEL")
    sid = scenario_id or slugify(the_title) or "imported-msel"
    estimated = planned is None
    planned = planned or _estimate_duration(injects)
    scenario = Scenario(id=sid, title=the_title, duration=planned, roles=roles, injects=injects,
                        objectives=objectives, type=exercise_type, summary=sheet.summary or None)

    todo = ["roles: set reports_to for the chain of command and ack_within for acknowledgement "
            "deadlines (an MSEL has neither); add holders, evaluators and observers"]
    if any(r.id == PLACEHOLDER_ROLE.id for r in roles):
        todo.append("role 'players' stands in for rows with no recipient: rename it or fill in To")
    if untitled:
        todo.append(f"{listed('objective', untitled)}: write the text")
    word = sheet.row_word
    if job.unscheduled:
        rows = sorted(set(job.unscheduled))
        todo.append(f"{listed(word, rows)}: no usable time or trigger, so imported as "
                    f"{'contingency injects' if len(rows) > 1 else 'a contingency inject'} (manual: true); "
                    "give an at or after where it is scheduled")
    if estimated:
        todo.append(f"duration {format_duration(planned)} is estimated from the last inject; set the planned length")
    if job.skipped:
        todo.append(f"{listed(word, job.skipped)}: skipped, no inject text")
    source = Path(path).name if stem else "standard input"
    header = [f"Imported from {source} by `drilltui import-msel`.", "Check before running the drill:"]
    for item in todo:
        header += textwrap.wrap(item, 96, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)
    comments = {d.id or "": f"MSEL {word} {d.row}" for d in drafts}
    yaml_text = dump_scenario(scenario, header=header, inject_comments=comments)
    said, again = job.used()
    job.notes.append((0, len(job.notes), f"{path}: note: columns used: {said}; to map them the same way again: --map {again}"))
    warnings = job.warnings
    counts = dict(injects=len(injects), roles=len(roles), objectives=len(objectives), skipped_rows=tuple(job.skipped),
                  mapping=again, found=found or sheet.kind)
    # What was built is checked against the loader's rules in memory; only when it breaks one is the
    # written text loaded again, to say where (re-reading every import cost 90% of its time).
    beyond = [f"{output_name}: warning: inject {i.id} is at {format_drill_time(i.at)}, beyond the planned duration "
              f"of {format_duration(planned)}" for i in injects if i.at is not None and i.at > planned]
    if not model_problems(scenario):
        built = Scenario(id=sid, title=the_title, duration=planned, roles=roles, injects=injects, objectives=objectives,
                         type=exercise_type, summary=sheet.summary or None, source_text=yaml_text)
        return ImportResult(yaml_text, sid, tuple(warnings + beyond), tuple(todo), (), built, **counts)  # type: ignore[arg-type]
    try:
        loaded = loads(yaml_text, output_name)
    except ScenarioError as exc:
        return ImportResult(yaml_text, sid, tuple(warnings), tuple(todo), exc.problems, None, **counts)  # type: ignore[arg-type]
    warnings += [str(p) for p in loaded.warnings]
    return ImportResult(yaml_text, sid, tuple(warnings), tuple(todo), (), loaded, **counts)  # type: ignore[arg-type]


def _estimate_duration(injects: Sequence[Inject]) -> int:
    """The last inject's time (triggers followed with their delays) plus a margin, in whole quarter hours."""
    by_id = {i.id: i for i in injects}
    memo: dict[str, int] = {}
    for inject in injects:
        chain: list[Inject] = []
        on_chain: set[str] = set()
        node: Inject | None = inject
        while node is not None and node.id not in memo and node.id not in on_chain:  # no recursion: chains may be long
            chain.append(node)
            on_chain.add(node.id)
            node = by_id.get(node.after.inject) if node.after else None
        base = memo.get(node.id, 0) if node is not None else 0
        for link in reversed(chain):
            base = (base + link.after.delay) if link.after and link.after.inject in by_id else (link.at or 0)
            memo[link.id] = base
    last = max(memo.values(), default=0)
    return max(MARGIN * 2, math.ceil((last + MARGIN) / MARGIN) * MARGIN)
