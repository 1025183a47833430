"""Build the report's figures from the event log and the scenario: pure, no I/O."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from drilltui.engine import events as ev
from drilltui.engine.activity import activity_logs
from drilltui.engine.events import SYSTEM, Event, parse_utc
from drilltui.engine.reducer import apply, fold
from drilltui.engine.state import CONTROL, RATINGS, DrillState
from drilltui.report.model import (
    FORMAT,
    Acknowledgement,
    Branch,
    BranchInject,
    ChainEvidence,
    CorrectionEntry,
    DecisionChoice,
    DecisionMade,
    DecisionPoint,
    Escalation,
    Evidence,
    ExpectationResult,
    Expiry,
    Finding,
    InjectTimeline,
    Integrity,
    MarkResult,
    Moment,
    NoteEntry,
    ObjectiveResult,
    ObjectiveSummary,
    Overview,
    Pause,
    PlanItem,
    Rating,
    Rehearsal,
    Release,
    Report,
    Resolution,
    RoleFigures,
    RoleParticipants,
    RoleResponse,
    SpeedChange,
    Summary,
    TaskResult,
    Totals,
)
from drilltui.scenario import Inject, Scenario, format_drill_time, format_duration


def _secs(x: float) -> float:
    # The engine logs drill time to the microsecond; rounding keeps float noise
    # (90.000001 - 60) out of latencies that readers compare exactly.
    return float(round(x, 6))


def _moment(event: Event) -> Moment:
    return Moment(float(event.drill_time), event.wall_time)


def _planned(t: float | None) -> Moment | None:
    return None if t is None else Moment(float(t))


def _wall_between(a: str, b: str) -> float:
    return _secs(parse_utc(b) - parse_utc(a))


def trigger_text(inject: Inject) -> str | None:
    """`I-1 acknowledged +2m` for an inject released `after` another one."""
    if inject.after is None:
        return None
    a = inject.after
    delay = f" +{format_duration(a.delay)}" if a.delay else ""
    return f"{a.inject} {a.label}{delay}"


def plan_text(inject: Inject) -> str:
    if inject.at is not None:
        return f"at {format_drill_time(inject.at)}"
    if inject.after is not None:
        return f"after {trigger_text(inject)}"
    return "manual"


@dataclass
class _Item:
    """What the walk learns about one inject, before it is frozen into an InjectTimeline."""

    release: Release | None = None
    received: Moment | None = None  # when the current holder received it
    acks: list[Acknowledgement] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    expiries: list[Expiry] = field(default_factory=list)
    decision: DecisionMade | None = None
    resolution: Resolution | None = None


@dataclass
class _Walk:
    """Everything gathered in one pass over the log."""

    items: dict[str, _Item]
    names: dict[str, list[str]] = field(default_factory=dict)  # role -> participant names
    role_order: list[str] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    speeds: list[SpeedChange] = field(default_factory=list)
    ratings: dict[str, list[Rating]] = field(default_factory=dict)
    notes: list[NoteEntry] = field(default_factory=list)
    hotwash: list[tuple[Event, ev.HotwashItemAdded]] = field(default_factory=list)
    written: dict[str, Event] = field(default_factory=dict)  # injects written in play: id -> their inject_added
    started: Moment | None = None
    ended: Moment | None = None


def _seen(walk: _Walk, role: str, name: str) -> None:
    if not role:
        return
    if role not in walk.names:
        walk.names[role] = []
        walk.role_order.append(role)
    if name and name != SYSTEM and name not in walk.names[role]:
        walk.names[role].append(name)


def _fixes(events: Sequence[Event]) -> dict[int, Event]:
    """The latest amendment or retraction of each corrected entry, by the entry's seq."""
    out: dict[int, Event] = {}
    for e in events:
        if isinstance(e.body, (ev.EntryAmended, ev.EntryRetracted)):
            out[e.body.entry] = e
    return out


def _corrections(events: Sequence[Event]) -> tuple[CorrectionEntry, ...]:
    """Every correction, with the entry it corrects, in log order."""
    entries = {e.seq: e for e in events if isinstance(e.body, (ev.NoteAdded, ev.ObjectiveRated, ev.HotwashItemAdded))}
    out = []
    for e in events:
        b = e.body
        if not isinstance(b, (ev.EntryAmended, ev.EntryRetracted)) or b.entry not in entries:
            continue
        target = entries[b.entry].body
        if isinstance(target, ev.NoteAdded):
            what, original = target.kind, target.text
        elif isinstance(target, ev.ObjectiveRated):
            what, original = "rating", f"{target.objective} {target.rating}: {target.comment}"
        else:
            assert isinstance(target, ev.HotwashItemAdded)
            what, original = "hotwash item", target.text
        amended = isinstance(b, ev.EntryAmended)
        text = (f"{b.rating + ': ' if b.rating else ''}{b.text}" if isinstance(b, ev.EntryAmended) else "")
        out.append(CorrectionEntry(_moment(e), b.entry, what, original, "amended" if amended else "retracted", text,
                                   e.role, e.participant, b.reason))
    return tuple(out)


def _entry(walk: _Walk, e: Event, b: ev.EventBody, text: str | None, rating: str | None, at: Moment) -> None:
    """A note, rating or hotwash item into the walk, with its amended text (and rating) when it was amended."""
    if isinstance(b, ev.NoteAdded):
        walk.notes.append(NoteEntry(at, b.kind, b.text if text is None else text, e.role, e.participant, b.inject, b.role,
                                    b.objective, b.task))
    elif isinstance(b, ev.ObjectiveRated):
        grade = rating or b.rating
        walk.ratings.setdefault(b.objective, []).append(
            Rating(grade, RATINGS.get(grade, grade), b.comment if text is None else text, e.role, e.participant, at))
    elif isinstance(b, ev.HotwashItemAdded):
        walk.hotwash.append((e, b if text is None else replace(b, text=text)))


# The events whose entries below read the state the event acted on (`before`) or the one it made (`state`).
_READS_STATE = frozenset({ev.ClockSpeedChanged, ev.InjectReleased, ev.InjectAcknowledged, ev.DecisionTaken})


# The events the walk below reads; for any other it only notes who acted.
_WALKED = frozenset({
    ev.ParticipantJoined, ev.DrillStarted, ev.DrillEnded, ev.ClockPaused, ev.ClockResumed, ev.ClockSpeedChanged,
    ev.InjectAdded, ev.InjectReleased, ev.InjectAcknowledged, ev.InjectEscalated, ev.InjectExpired, ev.DecisionTaken,
    ev.InjectResolved, ev.NoteAdded, ev.ObjectiveRated, ev.HotwashItemAdded,
})
assert _READS_STATE <= _WALKED


def _walk(scenario: Scenario, events: Sequence[Event]) -> tuple[_Walk, DrillState]:
    walk = _Walk(items={i.id: _Item() for i in scenario.injects})
    fixes = _fixes(events)  # entries are reported as corrected: amended ones amended, withdrawn ones left out
    state = DrillState.initial(scenario)
    open_pause: tuple[Event, ev.ClockPaused] | None = None
    speed_at: tuple[Event, float, float] | None = None  # the change in force: event, from, to
    end_wall = events[-1].wall_time if events else ""
    for e in events:
        if isinstance(e.body, ev.DrillEnded):
            end_wall = e.wall_time
            break

    def close_speed(until: str) -> None:
        if speed_at is not None:
            se, old, new = speed_at
            walk.speeds.append(SpeedChange(_moment(se), old, new, _wall_between(se.wall_time, until), se.participant))

    # Most events need no state here: they are folded a run at a time (fold is apply event by event, quicker),
    # and only the few that read the state before or after them are applied one by one.
    pending: list[Event] = []
    for e in events:
        b = e.body
        if type(b) in _READS_STATE:
            if pending:
                state = fold(scenario, pending, state)
                pending = []
            before = state  # the state the event acted on: who held the item, at what speed
            state = apply(state, e)
        else:
            pending.append(e)
        if e.participant != SYSTEM:
            _seen(walk, e.role, e.participant)
        if type(b) not in _WALKED:
            continue  # a status change, someone leaving: nothing below reads it
        at = _moment(e)
        if isinstance(b, (ev.NoteAdded, ev.ObjectiveRated, ev.HotwashItemAdded)):  # most of a long log
            if e.seq not in fixes:
                _entry(walk, e, b, None, None, at)
            elif isinstance(fix := fixes[e.seq].body, ev.EntryAmended):  # reported as amended; withdrawn ones left out
                _entry(walk, e, b, fix.text, fix.rating, at)
        elif isinstance(b, ev.ParticipantJoined):
            _seen(walk, b.role, b.participant)
        elif isinstance(b, ev.DrillStarted):
            walk.started = walk.started or at
        elif isinstance(b, ev.DrillEnded):
            walk.ended = walk.ended or at
        elif isinstance(b, ev.ClockPaused):
            open_pause = (e, b)
        elif isinstance(b, ev.ClockResumed) and open_pause is not None:
            pe, pb = open_pause
            walk.pauses.append(Pause(_moment(pe), at, _wall_between(pe.wall_time, e.wall_time), pb.reason, pe.participant))
            open_pause = None
        elif isinstance(b, ev.ClockSpeedChanged):
            close_speed(e.wall_time)
            speed_at = (e, before.clock.speed, b.factor)
        elif isinstance(b, ev.InjectAdded):
            walk.items[b.inject] = _Item()
            walk.written[b.inject] = e
        elif isinstance(b, ev.InjectReleased):
            inject = state.inject(b.inject)
            cause = trigger_text(inject) if inject is not None and b.via == "triggered" else None
            item = walk.items[b.inject]
            item.release = Release(at, b.via, b.to_role, _planned(b.deadline), e.participant, e.role, cause)
            item.received = at
        elif isinstance(b, ev.InjectAcknowledged):
            item = walk.items[b.inject]
            holder = before.injects[b.inject].holder or b.role
            released = item.release.at.drill_time if item.release else at.drill_time
            received = item.received or at
            item.acks.append(Acknowledgement(
                at, b.role, e.participant, holder, received,
                _secs(at.drill_time - released), _secs(at.drill_time - received.drill_time),
            ))
        elif isinstance(b, ev.InjectEscalated):
            item = walk.items[b.inject]
            # Escalation climbs one reports_to link at a time, so the number of
            # escalations so far is the level above the first holder.
            level = len(item.escalations) + 1
            item.escalations.append(Escalation(at, b.from_role, b.to_role, b.reason, level, _planned(b.deadline), e.participant,
                                               e.role))
            item.received = at
        elif isinstance(b, ev.InjectExpired):
            walk.items[b.inject].expiries.append(Expiry(at, b.role, Moment(float(b.deadline))))
        elif isinstance(b, ev.DecisionTaken):
            item = walk.items[b.inject]
            inject = state.inject(b.inject)
            option = inject.decision.option(b.option) if inject is not None and inject.decision else None
            released = item.release.at.drill_time if item.release else at.drill_time
            item.decision = DecisionMade(b.option, option.label if option else b.option, b.role, e.participant, at,
                                         _secs(at.drill_time - released))
        elif isinstance(b, ev.InjectResolved):
            item = walk.items[b.inject]
            released = item.release.at.drill_time if item.release else at.drill_time
            item.resolution = Resolution(at, b.role, e.participant, _secs(at.drill_time - released))
    if pending:
        state = fold(scenario, pending, state)
    if open_pause is not None:
        # Still paused when the log ends (or ended while paused): the pause
        # lasted until the end of the log.
        pe, pb = open_pause
        walk.pauses.append(Pause(_moment(pe), None, _wall_between(pe.wall_time, end_wall), pb.reason, pe.participant))
    close_speed(end_wall)
    return walk, state


def _timeline(inject: Inject, item: _Item, state: DrillState, written: Event | None = None) -> InjectTimeline:
    s = state.injects[inject.id]
    chain = ((item.release.to_role,) if item.release else ()) + tuple(x.to_role for x in item.escalations)
    first_ack = item.acks[0].since_release_seconds if item.acks else None
    return InjectTimeline(
        id=inject.id,
        title=inject.title,
        severity=inject.severity,
        to=inject.to,
        objectives=inject.objectives,
        plan=plan_text(inject) if written is None else f"ad hoc, written by {written.participant} ({written.role}) at "
                                                            f"{format_drill_time(written.drill_time)}",
        status="not reached" if s.status == "pending" else s.status,
        holder=s.holder,
        release=item.release,
        ack_seconds=first_ack,
        resolve_seconds=item.resolution.since_release_seconds if item.resolution else None,
        acknowledgements=tuple(item.acks),
        escalations=tuple(item.escalations),
        chain=chain,
        top_level=len(item.escalations),
        expirations=tuple(item.expiries),
        decision=item.decision,
        resolution=item.resolution,
        adhoc=written is not None,
    )


def outcome_text(t: InjectTimeline, title: Callable[[str], str] = str) -> str:
    """What happened to an inject, in one sentence, for the objectives' evidence; `title` names a role."""
    if t.release is None:
        return "not reached"
    parts = [f"released {t.release.at.clock} ({t.release.via}) to {title(t.release.to_role)}"]
    if t.expirations:
        n = len(t.expirations)
        parts.append(f"{n} deadline{'s' if n > 1 else ''} missed")
    if t.escalations:
        parts.append(f"escalated {' -> '.join(title(x) for x in t.chain)} (level {t.top_level})")
    if t.acknowledgements:
        a = t.acknowledgements[0]
        parts.append(f"acknowledged by {title(a.role)} after {format_duration(a.since_release_seconds)}")
    else:
        parts.append("never acknowledged")
    if t.decision:
        parts.append(f"decided '{t.decision.label}' by {title(t.decision.role)}")
    if t.resolution:
        parts.append(f"resolved by {title(t.resolution.role)} after {format_duration(t.resolution.since_release_seconds)}")
    else:
        parts.append("not resolved")
    return "; ".join(parts)


def _timelines(scenario: Scenario, walk: _Walk, state: DrillState) -> tuple[InjectTimeline, ...]:
    order = list(state.release_order) + [i.id for i in scenario.injects if not state.injects[i.id].released]
    out = []
    for inject_id in order:
        inject = state.inject(inject_id)
        assert inject is not None
        out.append(_timeline(inject, walk.items[inject_id], state, walk.written.get(inject_id)))
    return tuple(out)


def _decisions(scenario: Scenario, timelines: dict[str, InjectTimeline], state: DrillState) -> tuple[DecisionPoint, ...]:
    out = []
    for inject in state.all_injects():
        if inject.decision is None:
            continue
        t = timelines[inject.id]
        branches = []
        for option in inject.decision.options:
            followers = tuple(
                BranchInject(i.id, i.title, timelines[i.id].release.at if timelines[i.id].release else None)  # type: ignore[union-attr]
                for i in scenario.injects
                if i.after is not None and i.after.inject == inject.id and i.after.on == "decision" and i.after.option == option.id
            )
            taken = t.decision is not None and t.decision.option == option.id
            branches.append(Branch(option.id, option.label, taken, followers))
        status = "not reached" if t.release is None else ("decided" if t.decision else "undecided")
        out.append(DecisionPoint(inject.id, inject.title, inject.decision.prompt, status, t.decision, tuple(branches)))
    return tuple(out)


def _role_meta(scenario: Scenario, role_id: str) -> tuple[str, str]:
    role = scenario.role(role_id)
    if role is not None:
        return role.title, role.kind
    if role_id == CONTROL:
        return "Exercise Control", "controller"
    return role_id, "unknown"


def _participants(scenario: Scenario, walk: _Walk) -> tuple[RoleParticipants, ...]:
    ids = [r.id for r in scenario.roles] + [r for r in walk.role_order if scenario.role(r) is None]
    out = []
    for rid in ids:
        title, kind = _role_meta(scenario, rid)
        out.append(RoleParticipants(rid, title, kind, tuple(walk.names.get(rid, ()))))
    return tuple(out)


def _roles(participants: Sequence[RoleParticipants], timelines: Sequence[InjectTimeline],
           notes: Sequence[NoteEntry]) -> tuple[RoleFigures, ...]:
    out = []
    for p in participants:
        rid = p.role
        received = sum(1 for t in timelines if t.release and t.release.to_role == rid)
        received += sum(1 for t in timelines for x in t.escalations if x.to_role == rid)
        acks = [a.since_received_seconds for t in timelines for a in t.acknowledgements if a.role == rid]
        fig = RoleFigures(
            role=rid,
            title=p.title,
            kind=p.kind,
            received=received,
            acknowledged=len(acks),
            median_ack_seconds=_secs(statistics.median(acks)) if acks else None,
            worst_ack_seconds=max(acks) if acks else None,
            escalated_away=sum(1 for t in timelines for x in t.escalations if x.from_role == rid),
            deadlines_missed=sum(1 for t in timelines for x in t.expirations if x.role == rid),
            resolved=sum(1 for t in timelines if t.resolution and t.resolution.role == rid),
            decisions=sum(1 for t in timelines if t.decision and t.decision.role == rid),
            notes_written=sum(1 for n in notes if n.by_role == rid),
        )
        # Players always appear; other roles only when they did something that counts.
        busy = any((fig.received, fig.acknowledged, fig.escalated_away, fig.deadlines_missed,
                    fig.resolved, fig.decisions, fig.notes_written))
        if p.kind == "player" or busy:
            out.append(fig)
    return tuple(out)


def _capability(scenario: Scenario, objective: str | None) -> str | None:
    o = scenario.objective(objective) if objective else None
    return o.capability if o else None


def _findings(scenario: Scenario, walk: _Walk) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[Finding, ...], tuple[PlanItem, ...]]:
    strengths: list[Finding] = []
    improvements: list[Finding] = []
    plan: list[PlanItem] = []
    for e, b in walk.hotwash:
        at = _moment(e)
        cap = _capability(scenario, b.objective)
        if b.section == "action":
            owner = _role_meta(scenario, b.owner)[0] if b.owner else None
            plan.append(PlanItem(b.text, b.corrective_action, b.objective, cap, b.owner, owner, b.due, e.role, e.participant, at))
        else:
            f = Finding(b.section, b.text, b.objective, cap, None, e.role, e.participant, at)
            (strengths if b.section == "strength" else improvements).append(f)
    observations = [
        Finding("observation", n.text, n.objective, _capability(scenario, n.objective), n.inject, n.by_role, n.by, n.at)
        for n in walk.notes if n.kind == "observation"
    ]
    return tuple(strengths), tuple(improvements), tuple(observations), tuple(plan)


def _expectations(scenario: Scenario, state: DrillState) -> tuple[ExpectationResult, ...]:
    out = []
    for inject, x in scenario.expectations:
        now = state.expectation(x.id)
        marks = tuple(MarkResult(m.status, m.comment, m.participant, m.by_role, Moment(m.drill_time), m.overrides)
                      for m in now.marks)
        mark = marks[-1] if marks else None
        out.append(ExpectationResult(
            id=x.id, inject=inject.id, status=now.status, time_to_action_s=now.time_to_action, text=x.text,
            inject_title=inject.title, objectives=scenario.expectation_objectives(inject, x), task=x.task, by=x.by,
            when=x.when, within_s=x.within, released=_planned(now.released_at), due=_planned(now.due),
            met=_planned(now.met_at), met_by_role=now.met_by, acted=_planned(now.acted_at), acted_by_role=now.acted_by,
            missed=_planned(now.missed_at),
            settled_by="evaluator" if mark else ("log" if now.logged != "open" else "none"),
            overridden=any(m.overrides for m in marks), mark=mark, marks=marks,
        ))
    return tuple(out)


def _rehearsal(state: DrillState, expectations: Sequence[ExpectationResult]) -> Rehearsal | None:
    mark = state.rehearsal
    if mark is None:
        return None
    from drilltui.engine.rehearsal_policy import Policy, describe_policy

    return Rehearsal(
        policy=mark.policy, assumptions=describe_policy(Policy.from_event(mark)), default_seconds=mark.default,
        roles=tuple(RoleResponse(r, t) for r, t in (mark.roles or {}).items()),
        decisions=tuple(DecisionChoice(i, o) for i, o in (mark.decisions or {}).items()),
        resolve_seconds=mark.resolve, missed=tuple(x.id for x in expectations if x.status == "missed"),
        unmet=tuple(x.id for x in expectations if x.status == "open" and x.when and x.within_s is None),
    )


def linked(scenario: Scenario, note: NoteEntry) -> tuple[str, ...]:
    """The objectives a note bears on: its own, its task's, else its inject's."""
    if note.objective:
        return (note.objective,)
    task = scenario.task(note.task) if note.task else None
    if task is not None:
        return (task[0].id,)
    inject = scenario.inject(note.inject) if note.inject else None
    return inject.objectives if inject is not None else ()


# Which findings matter most: areas for improvement of the worst-rated objectives first, strengths of the best.
_WORST_FIRST = {"U": 0, "M": 1, "S": 2, "P": 3}


def _top(findings: Sequence[Finding], ratings: dict[str, str], *, worst: bool) -> tuple[Finding, ...]:
    def rank(f: Finding) -> int:
        letter = ratings.get(f.objective or "")
        if letter is None:
            return 4 if f.objective else 5  # unrated objectives, then general findings
        return _WORST_FIRST[letter] if worst else 3 - _WORST_FIRST[letter]

    return tuple(sorted(findings, key=rank)[:3])


def _summary(objectives: Sequence[ObjectiveResult], expectations: Sequence[ExpectationResult],
             strengths: Sequence[Finding], improvements: Sequence[Finding], timelines: Sequence[InjectTimeline],
             last_hash: str, evidence: ChainEvidence | None) -> Summary:
    ratings = {o.id: o.rating.rating for o in objectives if o.rating}
    by_id = {x.id: x for x in expectations}
    count = {s: sum(1 for x in expectations if x.status == s) for s in ("met", "partial", "not_met", "missed", "open")}
    acks = [t.ack_seconds for t in timelines if t.ack_seconds is not None]
    return Summary(
        objectives=tuple(ObjectiveSummary(o.id, o.text, o.capability, ratings.get(o.id), len(o.expectations),
                                          sum(1 for x in o.expectations if by_id[x].status == "met")) for o in objectives),
        strengths=_top(strengths, ratings, worst=False),
        improvements=_top(improvements, ratings, worst=True),
        expectations=len(expectations), met=count["met"], partial=count["partial"], not_met=count["not_met"],
        missed=count["missed"], open=count["open"], overridden=sum(1 for x in expectations if x.overridden),
        median_ack_seconds=_secs(statistics.median(acks)) if acks else None,
        head_hash=evidence.head_hash if evidence is not None else last_hash,
        verified=evidence.verified if evidence is not None else None,
    )


def build_report(scenario: Scenario, events: list[Event], *, drill_id: str, last_hash: str, verify_command: str,
                 evidence: ChainEvidence | None = None) -> Report:
    """Every figure of the after-action report, from the drill's events and its scenario.

    Pure: the same log always gives the same report (no clock is read, so the
    report carries no generation time and re-running it is byte-identical).
    """
    events = list(events)
    walk, state = _walk(scenario, events)
    timelines = _timelines(scenario, walk, state)
    by_id = {t.id: t for t in timelines}
    participants = _participants(scenario, walk)
    strengths, improvements, observations, plan = _findings(scenario, walk)

    expectations = _expectations(scenario, state)
    observed = [n for n in walk.notes if n.kind == "observation"]
    objectives = tuple(
        ObjectiveResult(
            id=o.id,
            text=o.text,
            capability=o.capability,
            rating=walk.ratings[o.id][-1] if o.id in walk.ratings else None,
            history=tuple(walk.ratings.get(o.id, ())),
            evidence=tuple(
                Evidence(i.id, i.title, by_id[i.id].status, outcome_text(by_id[i.id], lambda x: _role_meta(scenario, x)[0]))
                for i in state.all_injects() if o.id in i.objectives
            ),
            notes=tuple(n for n in walk.notes if n.objective == o.id),
            tasks=tuple(TaskResult(t.id, t.text, tuple(x.id for x in expectations if x.task == t.id),
                                   tuple(n for n in observed if n.task == t.id)) for t in o.tasks),
            expectations=tuple(x.id for x in expectations if o.id in x.objectives),
            observations=tuple(n for n in observed if o.id in linked(scenario, n)),
            strengths=tuple(f for f in strengths if f.objective == o.id),
            improvements=tuple(f for f in improvements if f.objective == o.id),
        )
        for o in scenario.objectives
    )

    first, last = (events[0], events[-1]) if events else (None, None)
    start_wall = walk.started.wall_time if walk.started else (first.wall_time if first else None)
    end_event_wall = walk.ended.wall_time if walk.ended else (last.wall_time if last else None)
    drill_seconds = walk.ended.drill_time if walk.ended else (float(last.drill_time) if last else 0.0)
    wall_seconds = _wall_between(start_wall, end_event_wall) if start_wall and end_event_wall else 0.0

    totals = Totals(
        injects_planned=len(scenario.injects),
        injects_released=sum(1 for t in timelines if t.release),
        injects_not_reached=sum(1 for t in timelines if t.release is None),
        acknowledged=sum(1 for t in timelines if t.acknowledgements),
        resolved=sum(1 for t in timelines if t.resolution),
        escalations=sum(len(t.escalations) for t in timelines),
        expirations=sum(len(t.expirations) for t in timelines),
        decisions=sum(1 for t in timelines if t.decision),
        notes=sum(1 for n in walk.notes if n.kind != "observation"),
        observations=sum(1 for n in walk.notes if n.kind == "observation"),
        injects_adhoc=len(walk.written),
    )
    overview = Overview(
        drill_id=drill_id,
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        scenario_summary=scenario.summary,
        threat=scenario.threat,
        sponsor=scenario.sponsor,
        exercise_type=scenario.type,
        date=first.wall_time[:10] if first else None,
        status=state.phase,
        started=walk.started,
        ended=walk.ended,
        planned_duration_seconds=scenario.duration,
        drill_seconds=_secs(drill_seconds),
        wall_seconds=wall_seconds,
        paused_wall_seconds=_secs(sum(p.wall_seconds for p in walk.pauses)),
        participants=participants,
        pauses=tuple(walk.pauses),
        speed_changes=tuple(walk.speeds),
        totals=totals,
        rehearsal=_rehearsal(state, expectations),
    )
    integrity = Integrity(
        event_count=len(events),
        first_seq=first.seq if first else None,
        last_seq=last.seq if last else None,
        last_hash=last_hash,
        scenario_sha256=scenario.sha256 if scenario.source_text else None,
        verify_command=verify_command,
    )
    return Report(
        format=FORMAT,
        overview=overview,
        objectives=objectives,
        strengths=strengths,
        improvements=improvements,
        observations=observations,
        injects=timelines,
        decisions=_decisions(scenario, by_id, state),
        roles=_roles(participants, timelines, walk.notes),
        improvement_plan=plan,
        notes=tuple(walk.notes),
        integrity=integrity,
        chain_evidence=evidence,
        summary=_summary(objectives, expectations, strengths, improvements, timelines, last_hash, evidence),
        expectations=expectations,
        corrections=_corrections(events),
        activity_logs=activity_logs(state, until_wall=last.wall_time if last else ""),
    )
