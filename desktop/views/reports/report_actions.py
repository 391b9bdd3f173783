"""The Reports menu: one action per report kind, each opening the report dialog preset to it.

Part of the window's frame, so it stays light: the dialog module (and reportlab behind it) is
imported when an action is first used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop.reports.spec import ReportKind

if TYPE_CHECKING:
    from desktop.services.context import ServiceContext


def add_report_actions(
    parent: QWidget, menu: QMenu, ctx: Callable[[], ServiceContext]
) -> list[QAction]:
    """One action per report kind; ``ctx`` is asked when clicked (the database may change)."""
    actions = []
    for kind in ReportKind:
        action = QAction(f"{kind.label}…", parent)
        action.setObjectName(f"actionReport_{kind.value}")
        action.triggered.connect(lambda _checked=False, k=kind: _open(parent, ctx(), k))
        menu.addAction(action)
        actions.append(action)
    return actions


def _open(parent: QWidget, ctx: ServiceContext, kind: ReportKind) -> None:
    from desktop.views.reports.report_dialog import open_report_dialog

    open_report_dialog(parent, ctx, kind.value)
