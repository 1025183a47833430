"""What redaction puts in place of a value: stable placeholders, and the salted hash that commits to the value."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from drilltui.frozen import frozen
from drilltui.scenario import Scenario

SCHEME = "drilltui-redaction/1"
SCENARIO_SEQ = 0  # the "event number" of the scenario's own values in salts


def salt(seed: bytes, seq: int, path: str) -> bytes:
    """The salt of one redacted value: HMAC-SHA256(seed, "SEQ\\nPATH")."""
    return hmac.new(seed, f"{seq}\n{path}".encode("utf-8"), hashlib.sha256).digest()


def commitment(seed: bytes, seq: int, path: str, value: str) -> str:
    """hex SHA-256(salt || UTF-8 value): reveals nothing of the value without the salt."""
    return hashlib.sha256(salt(seed, seq, path) + value.encode("utf-8")).hexdigest()


@frozen
class Policy:
    """What the scenario marks sensitive: field names for every inject and event, and whole injects."""

    fields: frozenset[str]
    injects: frozenset[str]

    @classmethod
    def of(cls, scenario: Scenario) -> Policy:
        return cls(frozenset(scenario.sensitive), frozenset(i.id for i in scenario.injects if i.sensitive))

    def hides(self, category: str | None, inject: str | None = None) -> bool:
        return (category is not None and category in self.fields) or (inject is not None and inject in self.injects)


SHARED_PART = "[a participant]"  # a first or last name that more than one person has
_PART = re.compile(r"[^\W\d_][\w'’-]{2,}")


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)  # longest first, so "Ana Lee" wins over "Ana"
    # Whole words only, so a short name never eats into other words.
    return rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in ordered)})(?!\w)"


@dataclass
class Placeholders:
    """Each participant name and each sensitive text gets a number the first time it is met, and keeps it."""

    names: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)  # first and last names of the scenario's role holders
    _patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None
    _folded: dict[str, str] = field(default_factory=dict)  # casefolded name -> placeholder, with the patterns

    def name(self, value: str, *, person: bool = False) -> str:
        """`Participant N` for a participant's name, learnt for `scrub`.

        For a `person` (a role holder the scenario names), each part of the name is learnt too, so a
        message that says "Hi Hannah" is scrubbed as well. Names seen only in the log are often role
        titles ("SOC Analyst"), whose words must not be scrubbed from every text.
        """
        if value not in self.names:
            self.names[value] = f"Participant {len(self.names) + 1}"
            self._patterns = None
        placeholder = self.names[value]
        if person:
            for part in _PART.findall(value):
                if self.parts.setdefault(part, placeholder) != placeholder:
                    self.parts[part] = SHARED_PART
            self._patterns = None
        return placeholder

    def text(self, value: str) -> str:
        if value not in self.texts:
            self.texts[value] = f"[redacted text {len(self.texts) + 1}]"
        return self.texts[value]

    def scrub(self, value: str) -> str:
        """`value` with every known name in it replaced: whole names in any case, holders' first and last names as written."""
        if self._patterns is None:
            whole = [n for n in self.names if n.strip()]
            self._folded = {n.casefold(): p for n, p in self.names.items()}
            self._patterns = (re.compile(_alternation(whole), re.IGNORECASE) if whole else None,
                              re.compile(_alternation(list(self.parts))) if self.parts else None)
        full, parts = self._patterns
        if full is not None:
            value = full.sub(lambda m: self._folded.get(m.group().casefold(), m.group()), value)
        if parts is not None:
            value = parts.sub(lambda m: self.parts[m.group()], value)
        return value
