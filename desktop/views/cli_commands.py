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
    from desktop.views.selftest import screenshots

    return screenshots(args.dir)


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
