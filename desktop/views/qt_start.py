"""Create the QApplication without the core dump: when Qt cannot start its platform (a display
that does not answer, a missing system library) it aborts the process after printing several
lines; here the person gets one line and exit status 1 instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication


def start_application(argv: Sequence[str]) -> QApplication:
    """The QApplication; messages Qt prints while starting are shown after it started."""
    held: list[str] = []

    def hold(kind: QtMsgType, _context: Any, message: str) -> None:
        if kind != QtMsgType.QtFatalMsg:
            held.append(message)
            return
        reason = message.strip().splitlines()[0] if message.strip() else "Qt failed to start"
        details = "; ".join(m.strip().splitlines()[0] for m in held if m.strip())
        line = f"smgov: the window cannot be shown: {reason}" + (f" ({details})" if details else "")
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
        os._exit(1)  # Qt aborts the process once this returns

    previous = qInstallMessageHandler(hold)
    try:
        app = QApplication(list(argv))
    finally:
        qInstallMessageHandler(previous)
    for message in held:
        sys.stderr.write(message + "\n")
    return app
