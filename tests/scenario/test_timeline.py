"""The plan laid out on a time axis: times through triggers, branches, the bench, deadline chains, load windows."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import MINIMAL, PLANNED

from drilltui.scenario import ScenarioError, loads
from drilltui.scenario.timeline import BRANCH, RESPONSE, SEQUENCE, Step, layout, party_of

PLAN = layout(loads(PLANNED))


def test_each_inject_at_its_earliest_time_in_its_lanes() -> None:
    times = {p.id: (p.time, p.exact) for p in PLAN.order}
    assert times["I-1"] == (60, True)  # at: 1m
    assert times["I-2"] == (180, False)  # 2m after I-1 is acknowledged: at the earliest
    assert times["I-3"] == (60, False)  # the decision:isolate branch, at once at the earliest
    assert times["I-5"] == (60 + 120 + 60, True)  # I-1's deadline (soc's 2m) passed, then 1m: exact
    assert times["I-6"] == (1200, True)
    assert PLAN.by_id["I-6"].lanes == ("ic", "lead")
    assert [p.id for p in PLAN.placed] == ["I-1", "I-3", "I-2", "I-5", "I-6"]  # by time, then file order


def test_manual_injects_and_what_hangs_from_them_sit_on_the_bench() -> None:
    bench = {p.id: p.why_bench for p in PLAN.bench}
    assert bench == {"I-7": "after I-4, which has no planned time", "I-4": "manual: a controller releases it"}
    assert [p.id for p in PLAN.order][-2:] == ["I-7", "I-4"]  # stepping goes through the bench last, in file order


def test_triggers_are_edges_from_the_parent_and_a_decision_reads_as_a_branch() -> None:
    edges = {e.child: (e.parent, e.on, e.link) for e in PLAN.children["I-1"]}
    assert edges == {"I-2": ("I-1", "acknowledged", RESPONSE), "I-3": ("I-1", "decision:isolate", BRANCH),
                     "I-5": ("I-1", "expired", BRANCH)}
    assert PLAN.by_id["I-7"].edge is not None and PLAN.by_id["I-7"].edge.link == SEQUENCE
    assert PLAN.by_id["I-1"].edge is None


def test_the_deadline_chain_climbs_the_chain_of_command_until_a_root() -> None:
    # soc acks within 2m, lead 5m, ic 10m; soc reports to lead, lead to ic.
    assert PLAN.by_id["I-1"].chain == (Step("soc", 180, "lead"), Step("lead", 480, "ic"), Step("ic", 1080, None))
    assert PLAN.by_id["I-1"].escalation_lines()[0] == "I-1 unacknowledged by soc at T+00:03:00 -> escalates to lead"
    assert PLAN.by_id["I-1"].escalation_lines()[-1] == "I-1 unacknowledged by ic at T+00:18:00 -> stays there (top of the chain)"
    # Its own ack_within sets the first deadline; the holder (the first of `to`) is ic, a root.
    assert PLAN.by_id["I-6"].chain == (Step("ic", 1440, None),)
    # On the bench the deadlines count from the release, whenever it comes.
    assert PLAN.by_id["I-4"].escalation_lines()[0] == "I-4 unacknowledged by soc at release + 2m -> escalates to lead"


def test_an_inject_with_no_deadline_has_no_chain_and_an_expiry_branch_from_it_never_comes() -> None:
    text = MINIMAL.replace("    ack_within: 2m\n", "").replace("""  - id: I-4
    manual: true""", """  - id: I-5
    after: {inject: I-3, on: expired}
    to: [lead]
    title: Nobody answered
  - id: I-4
    manual: true""")
    t = layout(loads(text))
    assert t.by_id["I-1"].chain == ()  # soc has no ack_within now, nor has I-1
    assert t.by_id["I-3"].chain == (Step("ic", 660, None),)
    assert t.by_id["I-5"].time == 660


def test_lanes_follow_the_chain_of_command_then_the_simcell_and_its_parties_then_the_idle_roles() -> None:
    assert [lane.id for lane in PLAN.lanes] == ["ic", "lead", "soc", "sim", "party:State regulator", "control", "eval", "obs"]
    assert PLAN.by_id["I-5"].lanes == ("lead", "party:State regulator")


def test_outside_parties_are_those_the_simcell_plays() -> None:
    assert party_of("SimCell as FBI Special Agent Laura Dunn") == "FBI Special Agent Laura Dunn"
    assert party_of("Cluster SRE (simulated by SimCell)") == "Cluster SRE"
    assert party_of("EDR console") is None and party_of(None) is None and party_of("SimCell as ") is None
    # Without a SimCell role there are no party lanes.
    assert all(lane.kind != "party" for lane in layout(loads(PLANNED.replace("kind: simcell", "kind: player"))).lanes)


def test_load_counts_injects_per_window_per_lane_and_marks_busy_ones() -> None:
    assert PLAN.load["lead"] == (2, 0, 1, 0)  # I-2 and I-5 in the first 10 minutes, I-6 at 20m; 30m planned
    assert PLAN.load["sim"] == (1, 0, 0, 0)  # the SimCell plays the regulator
    many = "".join(f"  - {{id: X-{k}, at: {k * 30}s, to: [soc], title: Burst {k}}}\n" for k in range(8))
    t = layout(loads(MINIMAL + many))
    assert t.load["soc"][0] == 8 + 1  # I-1 at 1m too
    assert t.busy("soc") == [0] and t.busy("lead") == []
    assert layout(loads(MINIMAL + many), threshold=9).busy("soc") == []


def test_objectives_and_tasks_each_inject_tests() -> None:
    assert [p.id for p in PLAN.testing("O1")] == ["I-1", "I-5"]  # listed, or through an expectation's task
    assert PLAN.tasks_of(PLAN.by_id["I-1"]) == ["T1", "T2"]
    assert PLAN.testing("O9") == []


def test_a_long_chain_of_triggers_lays_out_without_recursion() -> None:
    n = 3000
    injects = "".join(f'  - {{id: C{k}, after: {{inject: C{k - 1}, "on": released, delay: 1s}}, to: [soc], title: c}}\n'
                      for k in range(1, n))
    t = layout(loads(MINIMAL + f"  - {{id: C0, at: 0s, to: [soc], title: c}}\n{injects}"))
    assert t.by_id[f"C{n - 1}"].time == n - 1 and t.by_id[f"C{n - 1}"].exact


# Scenarios the loader accepts, of any shape: a forest of roles, triggers on earlier injects, decisions, parties.
@st.composite
def scenarios(draw: st.DrawFn) -> str:
    n_roles = draw(st.integers(1, 6))
    roles = []
    for k in range(n_roles):
        up = draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None
        ack = draw(st.sampled_from([None, "30s", "2m", "1h"]))
        kind = draw(st.sampled_from(["player", "player", "simcell", "controller"]))
        roles.append(f"  - {{id: r{k}, title: Role {k}, kind: {kind}"
                     + (f", reports_to: r{up}" if up is not None else "") + (f", ack_within: {ack}" if ack else "") + "}")
    injects = []
    decided: list[int] = []
    for k in range(draw(st.integers(1, 12))):
        to = draw(st.lists(st.integers(0, n_roles - 1), min_size=1, max_size=3, unique=True))
        how = draw(st.sampled_from(["at", "after", "manual"])) if k else "at"
        if how == "at":
            timing = f"at: {draw(st.integers(0, 7200))}s"
        elif how == "manual":
            timing = "manual: true"
        else:
            parent = draw(st.integers(0, k - 1))
            on = draw(st.sampled_from(["released", "acknowledged", "resolved", "escalated", "expired"]
                                      + (["decision:go"] if parent in decided else [])))
            timing = f'after: {{inject: I{parent}, "on": "{on}", delay: {draw(st.integers(0, 600))}s}}'
        extra = ""
        if draw(st.booleans()):
            decided.append(k)
            extra = ", decision: {prompt: Go on, options: [{id: go, label: Go}, {id: stop, label: Stop}]}"
        sender = draw(st.sampled_from(["", ", from: SimCell as Press", ", from: Ops", ", from: X (simulated by SimCell)"]))
        ack = draw(st.sampled_from(["", ", ack_within: 45s"]))
        injects.append(f"  - {{id: I{k}, {timing}, to: [{', '.join(f'r{r}' for r in to)}], title: T{k}{sender}{ack}{extra}}}")
    duration = draw(st.sampled_from(["30m", "2h", "10s"]))
    return "\n".join(["format: drilltui/1", "id: gen", "title: Generated", f"duration: {duration}", "roles:", *roles,
                      "injects:", *injects, ""])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([60, 600]), st.integers(0, 8))
def test_the_layout_never_raises_on_a_scenario_the_loader_accepts(text: str, window: int, threshold: int) -> None:
    try:
        scenario = loads(text)
    except ScenarioError as exc:  # the generator means to write valid files: say what it got wrong
        raise AssertionError(f"{exc}\n{text}") from None
    t = layout(scenario, window=window, threshold=threshold)
    assert sorted(p.id for p in t.order) == sorted(i.id for i in scenario.injects)  # each once, on the chart or bench
    times = [p.time for p in t.placed]
    assert all(time is not None and time >= 0 for time in times) and times == sorted(times)  # type: ignore[type-var]
    assert all(p.time is None for p in t.bench)
    lanes = {lane.id for lane in t.lanes}
    assert all(set(p.lanes) <= lanes and p.lanes for p in t.order)
    for p in t.placed:  # a child never comes before its parent
        if p.edge is not None:
            parent = t.by_id[p.edge.parent]
            assert parent.time is not None and p.time is not None and p.time >= parent.time
    for p in t.order:  # deadlines climb one level at a time, in order
        assert all(a.to == b.role and a.deadline < b.deadline for a, b in zip(p.chain, p.chain[1:], strict=False))
    simcell = [r.id for r in scenario.roles if r.kind == "simcell"][:1]  # the first plays the outside parties
    drawn = sum(len([lane for lane in p.lanes if not lane.startswith("party:") and lane not in simcell]) for p in t.placed)
    assert sum(sum(v) for k, v in t.load.items() if not k.startswith("party:") and k not in simcell) == drawn
    assert all(time is not None and time <= t.end for time in times)
