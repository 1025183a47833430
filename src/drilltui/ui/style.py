"""How drill states look on screen: text markers first, colour second."""

from __future__ import annotations

from rich.color import Color, ColorParseError
from rich.text import Text

# Severity always carries a word, so it reads without colour.
SEVERITY = {
    "critical": ("CRIT", "bold reverse $error"),
    "high": ("HIGH", "bold $error"),
    "medium": ("MED", "$warning"),
    "low": ("LOW", "$text-muted"),
}
STATUS = {
    "pending": ("pending", "$text-muted"),
    "new": ("● new", "bold $accent"),
    "acknowledged": ("✓ ack", "$success"),
    "decided": ("◆ decided", "bold $accent"),
    "overdue": ("⚠ overdue", "bold reverse $error"),
    "escalated": ("▲ escalated", "bold $warning"),
    "expired": ("⌛ expired", "bold $error"),
    "resolved": ("✔ resolved", "$text-muted"),
}
ROLE_STATUS = {
    "standby": ("standby", "$text-muted"),
    "active": ("active", "$success"),
    "busy": ("busy", "$warning"),
    "unreachable": ("unreachable", "bold $error"),
}


def marked(table: dict[str, tuple[str, str]], key: str, colors: dict[str, str]) -> Text:
    """The marker text for `key`, coloured from the theme's variables."""
    label, style = table.get(key, (key, ""))
    return Text(label, style=resolve(style, colors))


def resolve(style: str, colors: dict[str, str]) -> str:
    """Replace `$variable` words in a Rich style with the theme's colours.

    Variables Rich cannot draw (Textual's `auto 60%` text colours) become `dim`.
    """
    words = []
    for word in style.split():
        if word.startswith("$"):
            word = color(colors, word[1:])
        if word:
            words.append(word)
    return " ".join(words)


def color(colors: dict[str, str], name: str) -> str:
    """One theme colour as a Rich style."""
    value = colors.get(name, "")
    try:
        Color.parse(value)
    except ColorParseError:
        return "dim"
    return value
