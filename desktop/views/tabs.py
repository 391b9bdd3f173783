"""The registry of main-window tabs, in the order they appear.

Each entry makes one tab from the service context. A tab module replaces its placeholder
entry with ``lazy_tab("desktop.views.<module>", "<Class>")`` so the window imports it only
when it is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.services.context import ServiceContext
from desktop.views.base_tab import BaseTab
from desktop.views.icons import icon

TabFactory = Callable[[ServiceContext], BaseTab]


def lazy_tab(module: str, class_name: str) -> TabFactory:
    """A factory importing ``module.class_name`` the first time a window is built."""

    def make(ctx: ServiceContext) -> BaseTab:
        cls = getattr(importlib.import_module(module), class_name)
        tab = cls(ctx)
        assert isinstance(tab, BaseTab), f"{module}.{class_name} is not a BaseTab"
        return tab

    return make


class PlaceholderTab(BaseTab):
    """Stands in for a tab whose module is not built yet: says what will be here."""

    description: ClassVar[str] = ""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # A fixed-width column: a word-wrapped label in an aligned layout item shrinks to
        # its narrowest line otherwise.
        column = QWidget()
        column.setFixedWidth(560)
        inner = QVBoxLayout(column)
        inner.setSpacing(12)
        picture = QLabel()
        picture.setPixmap(icon(self.icon).pixmap(QSize(48, 48)))
        heading = QLabel(self.title)
        heading.setProperty("role", "title")
        text = QLabel(self.description)
        text.setWordWrap(True)
        coming = QLabel("This tab is coming in the next build.")
        coming.setObjectName("placeholderComing")
        coming.setProperty("role", "muted")
        for label in (picture, heading, text, coming):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            inner.addWidget(label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class CompliancePlaceholder(PlaceholderTab):
    title = "Compliance"
    icon = "compliance"
    description = (
        "Key figures and every finding of the policy checks, grouped by severity and "
        "filterable by ministry, platform and check."
    )


class AccountsPlaceholder(PlaceholderTab):
    title = "Accounts"
    icon = "accounts"
    description = (
        "The inventory of official accounts: platform, handle, ministry, status, owner, "
        "password age, next evaluation and goals."
    )


class PermissionsPlaceholder(PlaceholderTab):
    title = "Permissions"
    icon = "permissions"
    description = (
        "Who holds which role on which account, with extra Facebook admins, expired "
        "third-party access and personal e-mail highlighted."
    )


class ApprovalsPlaceholder(PlaceholderTab):
    title = "Approvals"
    icon = "approvals"
    description = (
        "The approval tracker: what waits on whom, with each step's signature and the "
        "actions you may take."
    )


class CommentsPlaceholder(PlaceholderTab):
    title = "Comments"
    icon = "comments"
    description = (
        "The citizen comment response log with countdowns to acknowledge and answer, "
        "responses and moderation."
    )


class EvaluationsPlaceholder(PlaceholderTab):
    title = "Evaluations"
    icon = "evaluations"
    description = (
        "Semi-annual evaluations per account: engagement metrics, goals against actuals "
        "and the recommendation."
    )


TAB_FACTORIES: list[TabFactory] = [
    lazy_tab("desktop.views.compliance.compliance_tab", "ComplianceTab"),
    lazy_tab("desktop.views.accounts.accounts_tab", "AccountsTab"),
    lazy_tab("desktop.views.permissions.permissions_tab", "PermissionsTab"),
    lazy_tab("desktop.views.approvals.approvals_tab", "ApprovalsTab"),
    lazy_tab("desktop.views.comments.comments_tab", "CommentsTab"),
    lazy_tab("desktop.views.evaluations.evaluations_tab", "EvaluationsTab"),
]
