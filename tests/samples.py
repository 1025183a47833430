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

# The minimal drill with a SimCell, which plays the outside parties (free play: messages and injects written in play).
WITH_SIMCELL = MINIMAL.replace("injects:\n", """\
  - id: sim
    title: SimCell
    kind: simcell
injects:
""", 1)
