"""Themes as YAML files: parsed, checked and registered with Textual by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml
from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

from drilltui.paths import BUNDLED_THEMES, config_dir
from drilltui.ui.settings import safe_load

COLOR_KEYS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground",
              "background", "surface", "panel", "boost")


class ThemeError(ValueError):
    """A theme file that cannot be used; the message names the file and the key."""


def theme_dirs() -> list[Path]:
    return [BUNDLED_THEMES, config_dir() / "themes"]


def parse_theme(path: Path) -> Theme:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"{path}: cannot read the theme: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ThemeError(f"{path}{where}: not valid YAML") from None
    if not isinstance(data, dict):
        raise ThemeError(f"{path}: a theme is a mapping with name, primary, ...")
    known = {f.name for f in fields(Theme)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ThemeError(f"{path}: unknown key '{unknown[0]}'; a theme has {', '.join(sorted(known))}")
    if not isinstance(data.get("name"), str) or not isinstance(data.get("primary"), str):
        raise ThemeError(f"{path}: a theme needs a name and a primary colour")
    for key in COLOR_KEYS:
        if key in data and data[key] is not None:
            try:
                Color.parse(str(data[key]))
            except ColorParseError:
                raise ThemeError(f"{path}: {key} '{data[key]}' is not a colour such as #1e90ff") from None
    data["variables"] = {str(k): str(v) for k, v in (data.get("variables") or {}).items()}
    return Theme(**data)


def load_themes() -> tuple[list[Theme], list[str]]:
    """Every theme file that parses, and one line per file that does not."""
    themes, problems = [], []
    for folder in theme_dirs():
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            try:
                themes.append(parse_theme(path))
            except ThemeError as exc:
                problems.append(str(exc))
    return themes, problems


def set_up_looks(app: App[Any], theme: str | None, keys: Mapping[str, str]) -> list[str]:
    """Register the theme files, switch to `theme` if there is one by that name, remap keys; the files skipped."""
    themes, problems = load_themes()
    for found in themes:
        app.register_theme(found)
    if theme and theme in app.available_themes:
        app.theme = theme
    if keys:
        app.set_keymap(dict(keys))
    return problems
