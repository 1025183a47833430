"""The fields scenarios are written for (`domain:`), as people read them, in the order the home screen lists them."""

from __future__ import annotations

# The fields drilltui is first written for, in the order they are listed; any other slug is title-cased
# and listed after them, and scenarios that name no field come last, as "Other".
KNOWN = {"ai-lab": "AI labs", "healthcare": "Healthcare", "energy": "Energy", "chemical": "Chemical"}
OTHER = "Other"


def domain_label(domain: str | None) -> str:
    """`ai-lab` -> "AI labs"; an unknown slug title-cased (`water-utilities` -> "Water Utilities"); none -> "Other"."""
    if not domain:
        return OTHER
    if domain in KNOWN:
        return KNOWN[domain]
    words = [w for w in domain.split("-") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or OTHER


def domain_order(domain: str | None) -> tuple[int, str]:
    """A sort key: the known fields in their order, then the others by label, then no field."""
    if not domain:
        return (2, "")
    if domain in KNOWN:
        return (0, f"{list(KNOWN).index(domain):03d}")
    return (1, domain_label(domain).casefold())
