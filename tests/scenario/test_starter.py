"""`drilltui new`'s answers and the scenario written from them: any well-formed answers give a file that validates and lints clean."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drilltui.scenario import loads
from drilltui.scenario.answers import (
    Answers,
    chain_problem,
    read_domain,
    read_duration,
    read_role,
    read_title,
    read_type,
    slug,
)
from drilltui.scenario.lint import lint
from drilltui.scenario.model import EXERCISE_TYPES, ROLE_KINDS, Role
from drilltui.scenario.starter import starter_text
from drilltui.visible import has_control

ROLES = tuple(read_role(s) for s in ("control:Exercise Control:controller", "ic:Incident Commander:player",
                                     "lead:Security Lead:player:ic", "soc:SOC Analyst:player:lead",
                                     "pio:Public Information Officer:player:ic", "eval:Evaluator:evaluator"))


def test_a_role_line_reads_as_id_title_kind_and_reports_to() -> None:
    assert read_role("soc:SOC Analyst:player:lead") == Role("soc", "SOC Analyst", "player", reports_to="lead")
    assert read_role(" ic : Incident Commander : player ") == Role("ic", "Incident Commander", "player")
    assert read_role("pio:PIO: press and public:player") == Role("pio", "PIO: press and public", "player")
    assert read_role("sec:Security:player:observer") == Role("sec", "Security", "player", reports_to="observer")
    assert read_role("soc:SOC:player:") == Role("soc", "SOC", "player")


@pytest.mark.parametrize(("spec", "words"), [
    ("soc", "is not ID:TITLE:KIND[:REPORTS_TO]"),
    ("soc:SOC:playr", "did you mean 'player'?"),
    ("soc:SOC:lead", "names no kind"),
    ("-x:SOC:player", "role id '-x' is not valid"),
    ("soc::player", "role soc has no title"),
    ("soc:SOC\x1b[2J:player", "holds ESC"),
])
def test_a_bad_role_line_says_what_to_change(spec: str, words: str) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        read_role(spec)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_chain_of_command_is_checked() -> None:
    assert chain_problem(ROLES) is None
    assert "reports to 'boss', which is not one of the roles" in (chain_problem((Role("a", "A", reports_to="boss"),)) or "")
    cycle = (Role("a", "A", reports_to="b"), Role("b", "B", reports_to="a"))
    assert "reports_to makes a cycle (a -> b -> a)" in (chain_problem(cycle) or "")
    assert "given twice" in (chain_problem((Role("a", "A"), Role("a", "B"))) or "")
    assert "no role is a player" in (chain_problem((Role("c", "C", "controller"),)) or "")
    assert "no roles" in (chain_problem(()) or "")


def test_the_other_answers_are_checked() -> None:
    assert read_type("full-scale") == "full-scale"
    with pytest.raises(ValueError, match="did you mean 'tabletop'"):
        read_type("tabeltop")
    assert read_domain("healthcare") == "healthcare" and read_domain(" ") is None
    with pytest.raises(ValueError, match="write it as ai-lab"):
        read_domain("AI Lab")
    assert read_duration("1h30m") == 5400
    for bad in ("soon", "0", "-5m"):
        with pytest.raises(ValueError):
            read_duration(bad)
    with pytest.raises(ValueError, match="empty"):
        read_title("  ")
    with pytest.raises(ValueError, match="ESC"):
        read_title("a\x1bb")


def test_the_id_is_the_title_as_a_slug() -> None:
    assert slug("Weights leave the cluster: Meridian Labs") == "weights-leave-the-cluster-meridian-labs"
    assert slug("Крах") == "new-scenario"


def test_the_written_scenario_is_wired_to_the_roles_given() -> None:
    text = starter_text(Answers("Weights leave the cluster", 5400, ROLES, "functional", "ai-lab"))
    s = loads(text, "new.yaml")
    assert (s.id, s.title, s.type, s.domain, s.duration) == ("weights-leave-the-cluster", "Weights leave the cluster",
                                                             "functional", "ai-lab", 5400)
    assert s.roles == ROLES
    first, decision, *branches = s.injects
    assert first.at is not None and first.to == ("soc", "pio")  # the deepest player holds it; pio is reached too
    assert decision.after is not None and decision.decision is not None and decision.to == ("ic",)  # the top of soc's chain
    assert sorted(b.after.option for b in branches if b.after) == ["contain", "watch"]
    [(inject, expectation)] = s.expectations
    assert (inject.id, expectation.task, expectation.when) == ("I-01", "O1.1", "acknowledged")
    assert s.warnings == () and lint(s) == []
    # A planner who has never seen the format reads what each section is for.
    for words in ("# Objectives:", "# Roles:", "# Injects:", "# A timed inject", "# A decision", "# A branch",
                  "drilltui lint FILE"):
        assert words in text


# Well-formed answers: any title and role titles of printable text, any chain of command without a loop.
line = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(
    lambda t: t.strip() and has_control(t) is None)
role_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,6}", fullmatch=True)


@st.composite
def answers(draw: st.DrawFn) -> Answers:
    roles: list[Role] = []
    for rid in draw(st.lists(role_ids, min_size=1, max_size=7, unique=True)):
        above = draw(st.none() | st.sampled_from([r.id for r in roles])) if roles else None
        roles.append(Role(rid, draw(line).strip(), draw(st.sampled_from(ROLE_KINDS)), reports_to=above))
    if not any(r.kind == "player" for r in roles):  # a drill exercises someone
        n = draw(st.integers(0, len(roles) - 1))
        roles[n] = Role(roles[n].id, roles[n].title, "player", reports_to=roles[n].reports_to)
    return Answers(draw(line).strip(), draw(st.integers(1, 40 * 3600)), tuple(roles),
                   draw(st.sampled_from(EXERCISE_TYPES)), draw(st.none() | st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}",
                                                                                           fullmatch=True)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_any_well_formed_answers_give_a_file_that_validates_and_lints_clean(a: Answers) -> None:
    assert chain_problem(a.roles) is None
    s = loads(starter_text(a), "new.yaml")
    assert s.title == a.title and s.roles == a.roles and s.duration == a.duration and s.domain == a.domain
    assert s.warnings == ()
    assert lint(s) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_what_a_role_line_writes_reads_back(a: Answers) -> None:
    for r in a.roles:
        if ":" not in r.title and r.title == r.title.strip():
            spec = f"{r.id}:{r.title}:{r.kind}" + (f":{r.reports_to}" if r.reports_to else "")
            assert read_role(spec) == r
