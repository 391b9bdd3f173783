"""Create the QApplication without the core dump: when Qt cannot start its platform (a display
that does not answer, a missing system library or plugin) it aborts the process after printing
several lines; here the person gets one line and exit status 1 instead.

The windowed Windows build has no console (``sys.stderr`` is None): there the line goes to the
log file and a message box, since Qt cannot show one.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def start_application(argv: Sequence[str]) -> QApplication:
    """The QApplication; what Qt said while starting is shown (or logged) once it started."""
    held: list[str] = []

    def hold(kind: QtMsgType, _context: Any, message: str) -> None:
        if kind != QtMsgType.QtFatalMsg:
            held.append(message)
            return
        reason = message.strip().splitlines()[0] if message.strip() else "Qt failed to start"
        details = "; ".join(m.strip().splitlines()[0] for m in held if m.strip())
        _fail(f"the window cannot be shown: {reason}" + (f" ({details})" if details else ""))

    previous = qInstallMessageHandler(hold)
    try:
        app = QApplication(list(argv))
    finally:
        qInstallMessageHandler(previous)
    for message in held:  # to the console (when there is one) and the log file
        log.warning("Qt: %s", message)
    return app


def _fail(line: str) -> None:
    """Say why, then end the process: Qt aborts it once the message handler returns."""
    if sys.stderr is not None:
        sys.stderr.write(f"smgov: {line}\n")
        sys.stderr.flush()
    else:  # the windowed build: no console to print to
        log.critical("%s", line)
        logging.shutdown()
        if sys.platform == "win32":
            import ctypes

            ctypes.windll.user32.MessageBoxW(None, line, "Social Media Governance Desk", 0x10)
    os._exit(1)
