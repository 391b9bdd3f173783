"""Find the files of the top-level ``resources/`` folder (icons, stylesheet, policy text).

The folder sits next to the ``desktop`` package in a checkout and in the installed app; a
frozen build (PyInstaller) unpacks it under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_root() -> Path:
    """The ``resources`` folder; the first candidate that exists wins."""
    candidates = [_PACKAGE_DIR.parent / "resources", _PACKAGE_DIR / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resource_path(*parts: str) -> Path:
    """A path inside ``resources/``, e.g. ``resource_path("icons", "add.svg")``.

    The file may not exist (an optional resource); callers check ``.is_file()``.
    """
    return resources_root().joinpath(*parts)
