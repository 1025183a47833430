"""What redaction puts in place of a value: stable placeholders, and the salted hash that commits to the value."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from drilltui.scenario import Scenario

SCHEME = "drilltui-redaction/1"
SCENARIO_SEQ = 0  # the "event number" of the scenario's own values in salts


def salt(seed: bytes, seq: int, path: str) -> bytes:
    """The salt of one redacted value: HMAC-SHA256(seed, "SEQ\\nPATH")."""
    return hmac.new(seed, f"{seq}\n{path}".encode("utf-8"), hashlib.sha256).digest()


def commitment(seed: bytes, seq: int, path: str, value: str) -> str:
    """hex SHA-256(salt || UTF-8 value): reveals nothing of the value without the salt."""
    return hashlib.sha256(salt(seed, seq, path) + value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Policy:
    """What the scenario marks sensitive: field names for every inject and event, and whole injects."""

    fields: frozenset[str]
    injects: frozenset[str]

    @classmethod
    def of(cls, scenario: Scenario) -> Policy:
        return cls(frozenset(scenario.sensitive), frozenset(i.id for i in scenario.injects if i.sensitive))

    def hides(self, category: str | None, inject: str | None = None) -> bool:
        return (category is not None and category in self.fields) or (inject is not None and inject in self.injects)


@dataclass
class Placeholders:
    """Each participant name and each sensitive text gets a number the first time it is met, and keeps it."""

    names: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    def name(self, value: str) -> str:
        """`Participant N` for a participant's name (and learn the name, for `scrub`)."""
        if value not in self.names:
            self.names[value] = f"Participant {len(self.names) + 1}"
            self._pattern = None
        return self.names[value]

    def text(self, value: str) -> str:
        if value not in self.texts:
            self.texts[value] = f"[redacted text {len(self.texts) + 1}]"
        return self.texts[value]

    def scrub(self, value: str) -> str:
        """`value` with every known participant name in it (any case) replaced by its placeholder."""
        if not self.names:
            return value
        if self._pattern is None:
            ordered = sorted((n for n in self.names if n.strip()), key=len, reverse=True)
            # Whole words only, so a short name never eats into other words.
            alternatives = "|".join(re.escape(n) for n in ordered)
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if ordered else None
        if self._pattern is None:
            return value
        folded = {n.casefold(): p for n, p in self.names.items()}
        return self._pattern.sub(lambda m: folded.get(m.group().casefold(), m.group()), value)
