"""The user's settings file: theme, bell and remapped keys, in config.yaml."""

from __future__ import annotations

from dataclasses import field, replace
from pathlib import Path

import yaml

from drilltui.frozen import frozen
from drilltui.paths import config_dir

# libyaml's loader where PyYAML has it: the same data as yaml.safe_load, about ten times faster (the console reads
# config.yaml and every theme file before its first frame).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> object:
    """`yaml.safe_load`, by libyaml when PyYAML has it."""
    return yaml.load(text, Loader=_SAFE_LOADER)


@frozen
class Settings:
    theme: str | None = None
    bell: bool = True
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s)
    path: Path | None = None

    def with_theme(self, theme: str) -> "Settings":
        return replace(self, theme=theme)


def settings_path() -> Path:
    return config_dir() / "config.yaml"


def load_settings(path: Path | None = None) -> Settings:
    """Read config.yaml; a missing or unreadable file gives the defaults (never a crash)."""
    path = path or settings_path()
    try:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return Settings(path=path)
    if not isinstance(data, dict):
        return Settings(path=path)
    keys = data["keys"] if isinstance(data.get("keys"), dict) else {}
    bell = data.get("bell")
    theme = data.get("theme")
    return Settings(
        theme=theme if isinstance(theme, str) else None,
        bell=bell if isinstance(bell, bool) else True,
        keys={str(k): str(v) for k, v in keys.items()},
        path=path,
    )


def save_settings(settings: Settings) -> None:
    """Write config.yaml, keeping what else is in it; failures are ignored (a read-only home)."""
    path = settings.path or settings_path()
    try:
        existing = safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = existing if isinstance(existing, dict) else {}
        data.update({"theme": settings.theme, "bell": settings.bell})
        if settings.keys:
            data["keys"] = settings.keys
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        pass
