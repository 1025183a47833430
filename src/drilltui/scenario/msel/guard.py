"""Cells a spreadsheet would run as formulas, written so it shows them as text."""

from __future__ import annotations

import re

# =, +, - and @ start a formula; a tab or carriage return before them hides it from a quick look.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def guard_cell(value: object) -> object:
    """`value`, with a leading `'` when it is text a spreadsheet would read as a formula (OWASP's advice).

    Anything that is not text is returned as it is; import-msel removes the `'` again.
    """
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value
