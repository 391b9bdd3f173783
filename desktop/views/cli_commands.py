"""The desktop app's headless sub-commands of ``smgov``: ``self-test`` and ``screenshots``.

Qt is imported only when one of them runs, so the rest of the CLI starts without it.
"""

from __future__ import annotations

import argparse
from typing import Any


def _self_test(_args: argparse.Namespace) -> int:
    from desktop.views.selftest import self_test

    return self_test()


def _screenshots(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.errors import SmgovError

    folder = Path(args.dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise SmgovError(f"DIR: {folder} is a file; give a folder for the pictures.")
    if not folder.exists() and not folder.parent.is_dir():
        raise SmgovError(f"DIR: the folder {folder.parent} does not exist.")
    from desktop.views.selftest import screenshots

    return screenshots(folder)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "self-test",
        help="offscreen check of the app: demo data, every tab, each main dialog (exit 0 or 1)",
    )
    p.set_defaults(func=_self_test)
    p = sub.add_parser(
        "screenshots", help="save one 1400×900 PNG per tab from demo data at a fixed time"
    )
    p.add_argument("dir", metavar="DIR", help="folder for 01-compliance.png … 06-evaluations.png")
    p.set_defaults(func=_screenshots)
