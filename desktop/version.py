"""The installed version of smgov-desk: ``smgov --version``, Help ▸ About, the installers.

Read from the installed distribution's metadata (pyproject.toml's version), which a wheel, an
editable install and the frozen build (PyInstaller copies the metadata) all carry.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from typing import Any

DISTRIBUTION = "smgov-desk"


@cache
def app_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "development"


class VersionAction(argparse.Action):
    """``--version``: prints ``smgov-desk X.Y.Z`` and exits; the metadata is read only then,
    not on every start."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kw: Any):
        kw.setdefault("help", "print the version and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kw)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"{DISTRIBUTION} {app_version()}")  # on stdout, as argparse's own version action
        parser.exit()
