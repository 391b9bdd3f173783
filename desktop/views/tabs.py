"""The registry of main-window tabs, in the order they appear.

The window shows every tab's title and icon at once but builds a tab only when it is first
selected, so the registry says what the window needs before then: title, icon and the record
types the tab opens. A tab module is imported only when its tab is built.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.views.base_tab import BaseTab
from desktop.views.icons import icon

if TYPE_CHECKING:
    from desktop.services.context import ServiceContext

log = logging.getLogger(__name__)


class TabFactory(Protocol):
    """Makes one tab; a ``BaseTab`` subclass is one (its class attributes say the rest)."""

    @property
    def title(self) -> str: ...

    @property
    def icon(self) -> str: ...

    @property
    def handles(self) -> frozenset[str]: ...

    def __call__(self, ctx: ServiceContext) -> BaseTab: ...


@dataclass(frozen=True)
class LazyTab:
    """A tab whose module is imported the first time the tab is built."""

    module: str
    class_name: str
    title: str
    icon: str
    handles: frozenset[str] = frozenset()

    def tab_class(self) -> type[BaseTab]:
        cls = getattr(importlib.import_module(self.module), self.class_name)
        if not (isinstance(cls, type) and issubclass(cls, BaseTab)):
            raise TypeError(f"{self.module}.{self.class_name} is not a BaseTab")
        return cls

    def __call__(self, ctx: ServiceContext) -> BaseTab:
        return self.tab_class()(ctx)


def preload(factories: Iterable[TabFactory]) -> None:
    """Import the modules of these tabs now (on the pool), so building one later only builds
    it. A module that fails is logged: building its tab imports it again and says why."""
    for factory in factories:
        if not isinstance(factory, LazyTab):
            continue
        try:
            factory.tab_class()
        except Exception:
            log.exception("Could not load the %s tab in advance", factory.title)


class PlaceholderTab(BaseTab):
    """A tab that only says what it is for (a tab under construction, or a test's)."""

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
        for label in (picture, heading, text):
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


TAB_FACTORIES: list[TabFactory] = [
    LazyTab(
        module="desktop.views.compliance.compliance_tab",
        class_name="ComplianceTab",
        title="Compliance",
        icon="compliance",
    ),
    LazyTab(
        module="desktop.views.accounts.accounts_tab",
        class_name="AccountsTab",
        title="Accounts",
        icon="accounts",
        handles=frozenset({"account"}),
    ),
    LazyTab(
        module="desktop.views.permissions.permissions_tab",
        class_name="PermissionsTab",
        title="Permissions",
        icon="permissions",
        handles=frozenset({"account_role", "person"}),
    ),
    LazyTab(
        module="desktop.views.approvals.approvals_tab",
        class_name="ApprovalsTab",
        title="Approvals",
        icon="approvals",
        handles=frozenset({"approval"}),
    ),
    LazyTab(
        module="desktop.views.comments.comments_tab",
        class_name="CommentsTab",
        title="Comments",
        icon="comments",
        handles=frozenset({"comment"}),
    ),
    LazyTab(
        module="desktop.views.evaluations.evaluations_tab",
        class_name="EvaluationsTab",
        title="Evaluations",
        icon="evaluations",
        handles=frozenset({"evaluation"}),
    ),
]
