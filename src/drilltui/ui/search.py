"""`/` search and filter: a query over a list's rows by text, role, severity or status; a view only, it changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from drilltui.frozen import frozen
from drilltui.ui.style import shown

if TYPE_CHECKING:
    from drilltui.ui.search_dialog import SearchDialog, ask

__all__ = ["FIELDS", "HELP", "Search", "SearchDialog", "Term", "ask", "parse"]

# `field:word` narrows a word to one facet; these are the facets and the names they go by.
FIELDS = {"role": "role", "roles": "role", "from": "role", "to": "role", "by": "role",
          "sev": "severity", "severity": "severity", "status": "status", "is": "status", "kind": "kind"}
HELP = "words match anywhere; role:soc, sev:high, status:overdue or kind:note match one field; all must match"


@frozen
class Term:
    field: str | None  # None: any facet
    word: str


def parse(query: str) -> tuple[Term, ...]:
    """`soc status:overdue` -> (any: soc, status: overdue); unknown `x:y` is searched as the text `x:y`."""
    out = []
    for word in query.casefold().split():
        name, colon, rest = word.partition(":")
        if colon and rest and name in FIELDS:
            out.append(Term(FIELDS[name], rest))
        else:
            out.append(Term(None, word))
    return tuple(out)


class Search:
    """A list's current query; `matches(facets)` says whether a row's facets (field -> text) pass it."""

    def __init__(self) -> None:
        self.query = ""
        self.terms: tuple[Term, ...] = ()

    def set(self, query: str) -> None:
        self.query = " ".join(query.split())
        self.terms = parse(self.query)

    def matches(self, facets: Mapping[str, str]) -> bool:
        if not self.terms:
            return True
        folded = {k: v.casefold() for k, v in facets.items()}
        everything = " ".join(folded.values())
        for term in self.terms:
            haystack = everything if term.field is None else folded.get(term.field, "")
            if term.word not in haystack:
                return False
        return True

    def subtitle(self, base: str) -> str:
        """The list's subtitle, saying when a filter hides rows."""
        return f"{base} · filter: {shown(self.query)} (/ to change)" if self.query else base


def __getattr__(name: str) -> object:
    """`SearchDialog` and `ask` are a dialog (ui.modals): imported when first asked for, not with every list's Search."""
    if name in ("SearchDialog", "ask"):
        from drilltui.ui import search_dialog

        value = getattr(search_dialog, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
