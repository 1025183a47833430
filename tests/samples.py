"""Small scenario texts shared by the tests."""

MINIMAL = """\
format: drilltui/1
id: mini
title: A minimal drill
duration: 30m
objectives:
  - id: O1
    text: Acknowledge within five minutes
roles:
  - id: control
    title: Exercise Control
    kind: controller
  - id: ic
    title: Incident Commander
    ack_within: 10m
  - id: lead
    title: Security Lead
    reports_to: ic
    ack_within: 5m
  - id: soc
    title: SOC Analyst
    reports_to: lead
    ack_within: 2m
  - id: eval
    title: Evaluator
    kind: evaluator
  - id: obs
    title: Observer
    kind: observer
injects:
  - id: I-1
    at: 1m
    to: [soc]
    title: Outbound traffic spike
    objectives: [O1]
    decision:
      prompt: Isolate the cluster?
      options:
        - id: isolate
          label: Isolate now
        - id: watch
          label: Keep watching
  - id: I-2
    after: {inject: I-1, on: acknowledged, delay: 2m}
    to: [lead]
    title: Follow-up
  - id: I-3
    after: {inject: I-1, on: "decision:isolate"}
    to: [ic]
    title: Isolation consequences
  - id: I-4
    manual: true
    to: [soc]
    title: Contingency nudge
"""

# MINIMAL with critical tasks and expectations: met from the log, marked by an evaluator, with and without `within`.
EVALUATED = MINIMAL.replace("""    text: Acknowledge within five minutes
""", """    text: Acknowledge within five minutes
    tasks:
      - {id: T1, text: Triage the alert}
      - {id: T2, text: Contain the cluster}
""").replace("""    objectives: [O1]
    decision:""", """    objectives: [O1]
    expect:
      - {id: E-ack, text: The SOC acknowledges the alert, within: 90s, task: T1, when: acknowledged}
      - {id: E-iso, text: The SOC isolates the cluster, by: [soc, lead], within: 3m, task: T2, when: "decision:isolate"}
      - {id: E-page, text: The SOC pages the security lead, within: 4m, task: T1}
      - {id: E-brief, text: The SOC briefs the lead on what it saw}
    decision:""").replace("""    to: [lead]
    title: Follow-up
""", """    to: [lead]
    title: Follow-up
    expect:
      - {id: E-up, text: The lead escalates to the incident commander, within: 2m, when: escalated}
      - {id: E-close, text: The lead closes the follow-up, when: resolved}
""")


def with_simcell(text: str) -> str:
    """A scenario with a SimCell, which plays the outside parties (free play: messages and injects written in play)."""
    return text.replace("injects:\n", """\
  - id: sim
    title: SimCell
    kind: simcell
injects:
""", 1)


WITH_SIMCELL = with_simcell(MINIMAL)


# EVALUATED with a SimCell playing an outside party, a branch on an expired deadline, and an inject hanging from the
# manual one: what the plan view draws (lanes, branches, the bench, deadline chains).
PLANNED = with_simcell(EVALUATED).replace("""  - id: I-4
    manual: true
""", """  - id: I-5
    after: {inject: I-1, on: expired, delay: 1m}
    from: SimCell as State regulator
    to: [lead]
    title: The regulator calls about the outage
    objectives: [O1]
  - id: I-6
    at: 20m
    to: [ic, lead]
    ack_within: 4m
    title: Press statement draft
  - id: I-7
    after: {inject: I-4, on: released, delay: 30s}
    to: [soc]
    title: Second contingency nudge
  - id: I-4
    manual: true
""")
