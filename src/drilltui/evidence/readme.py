"""The README of an evidence bundle: what each file is and how to check it without trusting drilltui."""

from __future__ import annotations

from drilltui.evidence.statement import StatementError, parse
from drilltui.evidence.view import Examined, View, chain_of

FILES = """\
| file | what it is |
|---|---|
| `drill.json` | the drill's record: id, scenario, title, creation time, chain version, event count and head hash (the last event's hash) |
| `scenario.yaml` | the scenario the drill ran from{scenario_note} |
| `events.jsonl` | every event, one JSON object a line, each with the hash of the one before (fields: drilltui's docs/events.md) |
| `report.md`, `report.html` | the after-action report, built from the two files above alone; its first page states the evidence |
| `attestations/*.txt` and `*.txt.sig` | each signed statement about the log, and its OpenSSH signature |
| `attestations/allowed_signers` | the keys that signed them, as found here: compare each with a key you had from the signer |
| `verify_chain.py` | recomputes the chain with the Python standard library alone |
| `SHA256SUMS` | the SHA-256 of every other file |
"""

# What the first link of the chain covers, by chain version (docs/store.md, "The hash chain").
GENESIS = {
    1: "the drill's id and its scenario's SHA-256, not its title, scenario id or creation time.",
    2: "the drill's id, scenario id, title, creation time and its scenario's SHA-256, as drill.json gives them, "
       "so a change to any of them breaks the chain.",
}

CHECKS = """\
## How to check it, piece by piece

Nothing here needs drilltui; step 5 does all of it in one command if you have it.

1. **No file changed since bundling**: `sha256sum -c SHA256SUMS` names any file that did. On its own
   this proves little (whoever changed a file could rewrite the list too); the next steps do not
   depend on it.
2. **The chain holds**: `python3 verify_chain.py .` (in this folder) recomputes the chain's first
   link from `drill.json` and `scenario.yaml`, every event's hash from `events.jsonl`, and prints
   the head hash, or names the first event that does not check out. The head must be
   `{head}`{head_where}.
3. **Someone you trust vouches for that head**: for each attestation, put the signer's public key,
   as you had it from them, in an `allowed_signers` file
   (`auditor@example.org namespaces="drilltui-attestation" ssh-ed25519 AAAA...`), then
   ```sh
   ssh-keygen -Y verify -f allowed_signers -I auditor@example.org -n drilltui-attestation \\
       -s attestations/01-event-N.txt.sig < attestations/01-event-N.txt
   ```
   prints `Good "drilltui-attestation" signature`. Read the statement: `events` and `head-hash` must
   be the number of the event before it and that event's `hash` in `events.jsonl` (or the head of
   step 2), and every event after it in `events.jsonl` must be another attestation.
4. **The report says what the log says**: it is built from `scenario.yaml` and `events.jsonl` alone,
   so `drilltui report` on the same log gives the same bytes.
5. **All of it at once**: `drilltui verify {name}.zip`.
"""

REDACTED = """\
## Redacted

Participant names and the text the scenario marks sensitive are replaced with placeholders
(`Participant 3`, `[redacted text 7]`): the same name or text always gets the same placeholder.
Timings, ratings and the structure of the drill are as they were. Because the log's own hashes
cover the original values, the hashes in `events.jsonl` are those of the *commitment chain*: each
replaced value enters its event's hash as `{{"redacted": placeholder, "sha256": commitment}}`,
where the commitment is SHA-256(salt || the original value) with a salt only the organisation can
derive (drilltui's docs/store.md, "Redaction"). The `redacted` object of each event lists the
commitments of its replaced fields, and drill.json's `redaction.scenario_commitments` those of the
scenario. To prove one value, the organisation reveals its salt. {seed_note}
"""


def _attestations(examined: Examined, signed: list[tuple[str, int, str]]) -> list[str]:
    if not signed:
        return ["No attestation: nothing signed vouches for this log. Compare its head hash with one kept elsewhere."]
    lines = ["| file | signed by | capacity | signed at | key | covers | check |", "|---|---|---|---|---|---|---|"]
    checks = {c.seq: c for c in examined.checks if c.log == examined.chain.name}
    for path, seq, text in signed:
        c = checks.get(seq)
        verdict = "valid" if c is not None and c.ok else f"NOT VALID: {c.problem if c else 'not checked'}"
        try:
            s = parse(text)
        except StatementError:
            lines.append(f"| `{path}` | unreadable | | | | | {_cell(verdict)} |")
            continue
        lines.append(f"| `{path}` | {_cell(s.attested_by)} | {_cell(s.capacity)} | {s.signed_at} | `{s.key}` | "
                     f"events 1 to {s.events} | {_cell(verdict)} |")
    return lines


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def readme(view: View, examined: Examined, name: str, signed: list[tuple[str, int, str]], version: str) -> str:
    d = view.drill
    head = d["head_hash"]
    lines = [
        f"# Evidence bundle: drill {d['id']}",
        "",
        f"Drill `{d['id']}` of scenario `{d.get('scenario_id', '')}` ({_cell(str(d.get('title', '')))}), created "
        f"{d.get('created_at', '')}: {d['events']} events, head hash `{head}`. Bundled by drilltui {version}"
        + (", **redacted**." if view.redacted else "."),
        "",
        *([] if view.redacted else [f"The log is on chain {chain_of(d)}: its first link covers "
                                    f"{GENESIS.get(chain_of(d), 'what that chain defines.')}", ""]),
        "## What is here",
        "",
        FILES.format(scenario_note=", with names and sensitive text replaced (see Redacted)" if view.redacted
                     else ", verbatim (its SHA-256 is in drill.json and in the chain's first link)"),
        "## Attestations",
        "",
        *_attestations(examined, signed),
        "",
        CHECKS.format(head=head, name=name, head_where=" (drill.json's `head_hash`)"),
    ]
    if view.redacted:
        seed = ("Its salts come from the drill's first attestation, so the attestations above sign this "
                "commitment chain." if (view.redaction or {}).get("seed") == "attestation" else
                "No attestation brought a redaction seed, so these commitments were made for this bundle "
                "and nothing signed vouches for them.")
        lines.append(REDACTED.format(seed_note=seed))
    return "\n".join(lines).rstrip("\n") + "\n"
