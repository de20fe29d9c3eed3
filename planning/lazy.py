"""Public names that load on first use (PEP 562), for the package facades.

``planning`` and ``planning.scenarios`` list their public API as ``name -> defining module``;
a name's module is imported when the name is first read, so a command pays only for what it
uses (``planning validate`` never imports the Monte Carlo, scipy or the report runner).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, public: Mapping[str, str],
               namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names live in ``public``."""

    def __getattr__(name: str) -> Any:
        module = public.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value   # the next read is a plain global
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *public})

    return __getattr__, __dir__
