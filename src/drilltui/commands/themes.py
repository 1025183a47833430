"""`drilltui themes`: every colour theme by name, each with a swatch of its colours."""

from __future__ import annotations

import argparse


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "themes", help="list the colour themes, with a preview",
        description="List the colour themes drilltui knows (Textual's own, the bundled ones and any in "
        "~/.config/drilltui/themes/), each with a swatch of its colours. Pick one with --theme NAME "
        "or from the command palette (\"Change theme\"); the choice is remembered.",
    )
    p.set_defaults(func=run)


SWATCH = ("primary", "accent", "success", "warning", "error", "background", "foreground")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    from textual.theme import BUILTIN_THEMES

    from drilltui.ui.settings import load_settings
    from drilltui.ui.themes import load_themes
    from drilltui.visible import visible

    ours, problems = load_themes()
    themes = {**BUILTIN_THEMES, **{t.name: t for t in ours}}
    chosen = load_settings().theme
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("Theme", no_wrap=True)
    table.add_column("Colours (primary, accent, success, warning, error, background, foreground)")
    table.add_column("", no_wrap=True)
    for name in sorted(themes, key=lambda n: (not n.startswith("drilltui-"), n)):
        theme = themes[name]
        swatch = Text()
        for key in SWATCH:
            color = getattr(theme, key, None)
            swatch.append("██", style=color) if color else swatch.append("  ")
            swatch.append(" ")
        note = ("dark" if theme.dark else "light") + (", in use" if name == chosen else "")
        table.add_row(Text(visible(name)), swatch, note)
    console = Console()
    console.print(table)
    for problem in problems:
        console.print(Text(f"skipped: {visible(problem)}"), style="yellow")
    return 0
