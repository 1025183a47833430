"""Package names imported on first use, so a command pays only for the modules it needs."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` (PEP 562) that imports `package.where[name]` the first time `name` is asked for."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # asked once: later lookups are plain attribute reads
        return value

    return __getattr__
