"""The after-action report as a frozen tree of figures, shared by every output format."""

from __future__ import annotations

from functools import cached_property

from drilltui.engine.activity import ActivityLog
from drilltui.frozen import frozen
from drilltui.scenario import format_drill_time

FORMAT = "drilltui-report/1"


@frozen
class Moment:
    """A drill time in seconds, with the wall-clock time (ISO UTC) when it was logged.

    `wall_time` is None for drill times that were planned rather than logged
    (a scheduled `at`, an acknowledgement deadline).
    """

    drill_time: float
    wall_time: str | None = None

    @property
    def clock(self) -> str:
        """`T+HH:MM:SS`."""
        return format_drill_time(self.drill_time)


@frozen
class RoleParticipants:
    role: str
    title: str
    kind: str
    names: tuple[str, ...]  # in order of first appearance in the log


@frozen
class Pause:
    paused: Moment
    resumed: Moment | None  # None: still paused when the log ends
    wall_seconds: float  # until resumed, else until the end of the log
    reason: str
    by: str  # participant name, `system` for an automatic pause


@frozen
class SpeedChange:
    at: Moment
    from_factor: float
    to_factor: float
    wall_seconds: float  # how long this speed lasted, until the next change or the end
    by: str


@frozen
class Totals:
    """The drill at a glance, for the executive summary."""

    injects_planned: int
    injects_released: int
    injects_not_reached: int
    acknowledged: int  # injects acknowledged at least once
    resolved: int
    escalations: int
    expirations: int
    decisions: int
    notes: int
    observations: int
    injects_adhoc: int = 0  # injects written during play (not in the MSEL)


@frozen
class RoleResponse:
    role: str
    seconds: int | None  # None: the role does not answer


@frozen
class DecisionChoice:
    inject: str
    option: str


@frozen
class Rehearsal:
    """A drill played forward with simulated responses (`drilltui rehearse`), and the policy it assumed."""

    policy: str  # as given: nobody, everyone:1m, a policy file's name
    assumptions: str  # the policy in words
    default_seconds: int | None  # response time of roles not listed in `roles`; None: they do not answer
    roles: tuple[RoleResponse, ...]
    decisions: tuple[DecisionChoice, ...]  # the others take their first option
    resolve_seconds: int | None  # after acknowledging, the role resolves the item; None: never
    missed: tuple[str, ...]  # the expectations that would be missed, as `expectations` ids
    unmet: tuple[str, ...]  # those with a `when` and no `within` that nothing met by the end


@frozen
class Overview:
    drill_id: str
    scenario_id: str
    scenario_title: str
    scenario_summary: str | None
    exercise_type: str
    date: str | None  # YYYY-MM-DD, the wall date of the first event
    status: str  # ready | running | paused | ended, after the last event
    started: Moment | None  # drill_started
    ended: Moment | None  # drill_ended
    planned_duration_seconds: int
    drill_seconds: float  # drill time at the end (drill_ended, else the last event)
    wall_seconds: float  # wall time from the start (drill_started, else the first event) to the end
    paused_wall_seconds: float
    participants: tuple[RoleParticipants, ...]
    pauses: tuple[Pause, ...]
    speed_changes: tuple[SpeedChange, ...]
    totals: Totals
    threat: str | None = None  # the threat or hazard, as the scenario names it
    sponsor: str | None = None
    rehearsal: Rehearsal | None = None  # set when the drill is a rehearsal, not played by people


@frozen
class Rating:
    rating: str  # P | S | M | U
    label: str  # "Performed with some challenges"
    comment: str
    by_role: str
    by: str
    at: Moment


@frozen
class CorrectionEntry:
    """A note, observation, rating or hotwash item corrected by its author: the body of the report uses the
    correction (leaving out what was withdrawn); this keeps the original beside it."""

    at: Moment
    entry: int  # the seq of the corrected event
    what: str  # note | observation | rating | hotwash item
    original: str
    action: str  # amended | retracted
    text: str  # the amended text ("" when retracted)
    by_role: str
    by: str
    reason: str


@frozen
class NoteEntry:
    at: Moment
    kind: str  # note | observation
    text: str
    by_role: str
    by: str
    inject: str | None
    role: str | None
    objective: str | None
    task: str | None = None


@frozen
class Evidence:
    """An inject tied to an objective, and what happened to it in one sentence."""

    inject: str
    title: str
    status: str
    outcome: str


@frozen
class TaskResult:
    """A critical task of an objective, with the expectations that evidence it."""

    id: str
    text: str
    expectations: tuple[str, ...]  # expectation ids, in MSEL order
    observations: tuple[NoteEntry, ...]  # observations that name this task


@frozen
class MarkResult:
    """An evaluator's mark of an expectation."""

    status: str  # met | partial | not_met
    comment: str
    by: str
    by_role: str
    at: Moment
    overrides: str  # met | missed: what the log said and the mark replaced; "" otherwise


@frozen
class ExpectationResult:
    """One expectation of the MSEL and how it was scored from the log."""

    id: str
    inject: str
    status: str  # met | partial | not_met | missed | open
    time_to_action_s: float | None  # from the inject's release to the action that counts for it
    text: str
    inject_title: str
    objectives: tuple[str, ...]
    task: str | None
    by: tuple[str, ...]  # role ids expected to act
    when: str | None
    within_s: int | None
    released: Moment | None
    due: Moment | None
    met: Moment | None  # when the log met it
    met_by_role: str | None
    acted: Moment | None  # the action that counts for time to action
    acted_by_role: str | None
    missed: Moment | None  # when it was logged as missed
    settled_by: str  # log | evaluator | none
    overridden: bool  # an evaluator's mark replaced what the log said
    mark: MarkResult | None  # the mark in force
    marks: tuple[MarkResult, ...]  # every mark, oldest first


@frozen
class ObjectiveSummary:
    id: str
    text: str
    capability: str | None
    rating: str | None  # P | S | M | U, None if not rated
    expectations: int
    met: int


@frozen
class Summary:
    """The executive summary's figures, in the order the page shows them."""

    objectives: tuple[ObjectiveSummary, ...]
    strengths: tuple[Finding, ...]  # the three most important, best-rated objectives first
    improvements: tuple[Finding, ...]  # the three most important, worst-rated objectives first
    expectations: int
    met: int
    partial: int
    not_met: int
    missed: int
    open: int
    overridden: int
    median_ack_seconds: float | None  # first acknowledgement of each inject, from its release
    head_hash: str
    verified: bool | None  # None: the log was not checked


@frozen
class ObjectiveResult:
    id: str
    text: str
    capability: str | None
    rating: Rating | None  # the latest rating; None if never rated
    history: tuple[Rating, ...]  # every rating, oldest first
    evidence: tuple[Evidence, ...]
    notes: tuple[NoteEntry, ...]  # notes and observations about this objective
    tasks: tuple[TaskResult, ...] = ()  # its critical tasks, in file order
    expectations: tuple[str, ...] = ()  # ids of the expectations that count for it, in MSEL order
    observations: tuple[NoteEntry, ...] = ()  # observations linked to it, its tasks or its injects
    strengths: tuple[Finding, ...] = ()
    improvements: tuple[Finding, ...] = ()


@frozen
class Release:
    at: Moment
    via: str  # scheduled | triggered | manual
    to_role: str
    deadline: Moment | None
    by: str  # participant (`system` for scheduled and triggered)
    by_role: str
    cause: str | None  # for triggered: "I-1 decision:isolate", "I-1 acknowledged +2m"


@frozen
class Acknowledgement:
    at: Moment
    role: str
    by: str
    holder: str  # who held the item then (the acknowledging role, or one below it)
    received: Moment  # when the holder received it (release or escalation)
    since_release_seconds: float
    since_received_seconds: float


@frozen
class Escalation:
    at: Moment
    from_role: str
    to_role: str
    reason: str  # manual | deadline
    level: int  # levels above the first holder that the item reached
    deadline: Moment | None
    by: str
    by_role: str = ""  # the role that escalated it; "" when the deadline did


@frozen
class Expiry:
    at: Moment
    role: str
    deadline: Moment


@frozen
class DecisionMade:
    option: str
    label: str
    role: str
    by: str
    at: Moment
    since_release_seconds: float


@frozen
class Resolution:
    at: Moment
    role: str
    by: str
    since_release_seconds: float


@frozen
class InjectTimeline:
    id: str
    title: str
    severity: str
    to: tuple[str, ...]  # planned recipients
    objectives: tuple[str, ...]
    plan: str  # "at T+00:01:00", "after I-1 acknowledged +2m", "manual"
    status: str  # not reached | new | acknowledged | escalated | expired | resolved
    holder: str | None  # who holds it at the end of the log
    release: Release | None
    ack_seconds: float | None  # first acknowledgement, from release
    resolve_seconds: float | None  # resolution, from release
    acknowledgements: tuple[Acknowledgement, ...]
    escalations: tuple[Escalation, ...]
    chain: tuple[str, ...]  # holders in order: first recipient, then each escalation's target
    top_level: int  # highest level reached above the first holder (0: never escalated)
    expirations: tuple[Expiry, ...]
    decision: DecisionMade | None
    resolution: Resolution | None
    adhoc: bool = False  # written during play, not planned in the MSEL


@frozen
class BranchInject:
    inject: str
    title: str
    released: Moment | None  # None: not reached


@frozen
class Branch:
    option: str
    label: str
    taken: bool
    injects: tuple[BranchInject, ...]  # injects released `after` this option


@frozen
class DecisionPoint:
    inject: str
    title: str
    prompt: str
    status: str  # not reached | undecided | decided
    decision: DecisionMade | None
    branches: tuple[Branch, ...]


@frozen
class RoleFigures:
    role: str
    title: str
    kind: str
    received: int  # items released to it plus items escalated to it
    acknowledged: int  # acknowledgements by it
    median_ack_seconds: float | None  # from when the item reached its holder
    worst_ack_seconds: float | None
    escalated_away: int  # items escalated from it (manual or deadline)
    deadlines_missed: int  # expiries while it held the item
    resolved: int
    decisions: int
    notes_written: int  # notes and observations it wrote


@frozen
class Finding:
    section: str  # strength | improvement | observation
    text: str
    objective: str | None
    capability: str | None
    inject: str | None
    by_role: str
    by: str
    at: Moment


@frozen
class PlanItem:
    issue: str
    corrective_action: str
    objective: str | None
    capability: str | None  # the objective's core capability
    owner_role: str | None
    owner_title: str | None
    due: str
    by_role: str
    by: str
    at: Moment


@frozen
class Integrity:
    event_count: int
    first_seq: int | None
    last_seq: int | None
    last_hash: str
    scenario_sha256: str | None  # of the stored scenario text, when known
    verify_command: str


@frozen
class Attestation:
    """One signed statement about the log, and whether it still holds."""

    by: str
    capacity: str
    signed_at: str  # ISO-8601 UTC, as the signer's statement says
    key: str  # SHA256 fingerprint of the signing key
    events: int | None  # the statement covers events 1 to this; None when it could not be read
    seq: int | None  # the event that holds it
    valid: bool
    problem: str  # why not, when not valid


@frozen
class ChainEvidence:
    """What an outsider can check, stated on the report's first page (docs/store.md, "Attestations")."""

    log: str  # full: the drill's own log; redacted: its redacted form, whose hashes are the commitment chain
    events: int
    head_hash: str  # the last event's hash in that log
    verified: bool  # the chain checks out and every attestation holds
    verification: str  # what the check found, in one sentence
    attestations: tuple[Attestation, ...]


@frozen
class Report:
    format: str
    overview: Overview
    objectives: tuple[ObjectiveResult, ...]
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    observations: tuple[Finding, ...]
    injects: tuple[InjectTimeline, ...]  # released in release order (ad hoc ones too), then not reached in MSEL order
    decisions: tuple[DecisionPoint, ...]
    roles: tuple[RoleFigures, ...]
    improvement_plan: tuple[PlanItem, ...]
    notes: tuple[NoteEntry, ...]  # every note and observation, in log order
    integrity: Integrity
    chain_evidence: ChainEvidence | None = None  # None when the report was built without checking the log
    summary: Summary | None = None
    expectations: tuple[ExpectationResult, ...] = ()  # every expectation of the MSEL, in MSEL order
    corrections: tuple[CorrectionEntry, ...] = ()  # notes, ratings and hotwash items amended or withdrawn, in log order

    activity_logs: tuple[ActivityLog, ...] = ()  # each role's ICS-214 log, in scenario order

    def expectation(self, expectation_id: str) -> ExpectationResult | None:
        return next((x for x in self.expectations if x.id == expectation_id), None)

    def inject(self, inject_id: str) -> InjectTimeline | None:
        return next((i for i in self.injects if i.id == inject_id), None)

    def role_title(self, role_id: str | None) -> str:
        if role_id is None:
            return ""
        return self._role_titles.get(role_id, role_id)

    @cached_property
    def _role_titles(self) -> dict[str, str]:
        """Each role's title, as the first participant entry of the role gives it (asked for on every row)."""
        titles: dict[str, str] = {}
        for p in self.overview.participants:
            titles.setdefault(p.role, p.title)
        return titles
