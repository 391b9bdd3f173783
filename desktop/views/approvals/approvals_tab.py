"""The Approvals tab: the tracker of requests, one request's steps as a timeline, and the
decisions the signed-in person may take on it now (the others disabled, saying why)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import ApprovalKind
from desktop.policy.settings import PolicySettings
from desktop.policy.workflows import Action
from desktop.services.approval_tracker import ApprovalDetail, TrackerRow
from desktop.services.approvals import ApprovalService
from desktop.services.authz import Permission, denial
from desktop.services.context import Actor, ServiceContext
from desktop.views.approvals.decision_dialog import DecisionDialog
from desktop.views.approvals.detail_panel import ApprovalDetailPanel, words
from desktop.views.approvals.new_request_dialog import FORMS, NewRequestDialog
from desktop.views.approvals.personal_names_dialog import PersonalNamesDialog
from desktop.views.approvals.tracker_model import (
    COL_AGE,
    COL_KIND,
    COL_STAGE,
    COL_SUBJECT,
    COL_SUBMITTER,
    COL_WAITING,
    ApprovalTrackerModel,
    IdRole,
    TrackerProxy,
)
from desktop.views.base_tab import BaseTab
from desktop.views.errors import show_error
from desktop.views.icons import icon
from desktop.views.worker import Progress, run_in_background

DONE_WORDS = {
    Action.SUBMIT: "Submitted",
    Action.APPROVE: "Approved",
    Action.REJECT: "Rejected",
    Action.REQUEST_CHANGES: "Changes requested",
    Action.RESUBMIT: "Resubmitted",
    Action.WITHDRAW: "Withdrawn",
}
REQUEST_PERMISSIONS = {
    ApprovalKind.NEW_ACCOUNT: Permission.PROPOSE_ACCOUNT,
    ApprovalKind.CAMPAIGN_CONTENT: Permission.SUBMIT_CAMPAIGN,
    ApprovalKind.ANNUAL_GOALS: Permission.DRAFT_RECORDS,
    ApprovalKind.ACCOUNT_TERMINATION: Permission.REQUEST_TERMINATION,
    ApprovalKind.OFFICIAL_CONTENT: Permission.SUBMIT_CAMPAIGN,
    ApprovalKind.PERSONAL_NAME: Permission.REQUEST_PERSONAL_NAME,
}

Loaded = tuple[Actor, PolicySettings, list[TrackerRow]]
DetailLoaded = tuple[ApprovalDetail, dict[Action, str | None]]


class ApprovalsTab(BaseTab):
    title = "Approvals"
    icon = "approvals"
    handles = frozenset({"approval"})

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.service = ApprovalService(ctx)
        self.actor: Actor | None = None
        self.settings = PolicySettings()
        self.detail: ApprovalDetail | None = None
        self.reasons: dict[Action, str | None] = {}
        self._generation = 0
        self._detail_generation = 0
        self._select_id: uuid.UUID | None = None
        # Keep showing a request just acted on even when it left the list (it closed).
        self._keep_shown = False
        self._build()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.waiting_for_me = QCheckBox("Waiting for &me")
        self.waiting_for_me.setObjectName("approvalsWaitingForMe")
        self.waiting_for_me.setToolTip(
            "Only the requests you may sign now, and your own drafts and requests sent back."
        )
        self.show_closed = QCheckBox("Show c&losed")
        self.show_closed.setObjectName("approvalsShowClosed")
        self.show_closed.setToolTip("Also the approved, rejected and withdrawn requests.")
        for box in (self.waiting_for_me, self.show_closed):
            box.toggled.connect(self._on_filters_changed)
        self.search = QLineEdit()
        self.search.setObjectName("approvalsSearch")
        self.search.setAccessibleName("Search requests")
        self.search.setPlaceholderText("Search requests…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.new_request = QPushButton(icon("add"), "&New request")
        self.new_request.setObjectName("newRequestButton")
        self.new_menu = QMenu(self.new_request)
        self.new_menu.setObjectName("newRequestMenu")
        self.new_menu.setToolTipsVisible(True)
        self.new_actions: dict[ApprovalKind, QAction] = {}
        for kind in ApprovalKind:
            action = self.new_menu.addAction(FORMS[kind].title + "…")
            action.setData(kind)
            action.triggered.connect(self._bind(self._on_new_request, kind))
            self.new_actions[kind] = action
        self.new_request.setMenu(self.new_menu)

        bar = QHBoxLayout()
        bar.setSpacing(12)
        bar.addWidget(self.waiting_for_me)
        bar.addWidget(self.show_closed)
        bar.addWidget(self.search)
        bar.addStretch(1)
        self.count = QLabel("Loading…")
        self.count.setObjectName("approvalsCount")
        self.count.setProperty("role", "muted")
        bar.addWidget(self.count)
        self.names_register = QPushButton("Personal names re&gister…")
        self.names_register.setObjectName("personalNamesButton")
        self.names_register.setToolTip(
            "The register of staff members' personal social media names that include the "
            "Government's name, with their approvals."
        )
        self.names_register.clicked.connect(self._on_names_register)
        bar.addWidget(self.names_register)
        bar.addWidget(self.new_request)

        # Parented: a model the Python collector frees on a worker thread would crash Qt.
        self.model = ApprovalTrackerModel(parent=self)
        self.proxy = TrackerProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self._on_search)
        self.table = QTableView()
        self.table.setObjectName("approvalsTable")
        self.table.setAccessibleName("Approval requests")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_AGE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in (
            (COL_KIND, 138),
            (COL_SUBJECT, 180),
            (COL_SUBMITTER, 125),
            (COL_STAGE, 260),
            (COL_WAITING, 150),
            (COL_AGE, 56),
        ):
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_STAGE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("approvalsSplitter")
        splitter.addWidget(self.table)
        self.panel = ApprovalDetailPanel()
        self.panel.action_requested.connect(self._on_action_requested)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 480])
        splitter.setChildrenCollapsible(False)

        self.message = QLabel()
        self.message.setObjectName("approvalsMessage")
        self.message.setProperty("role", "muted")
        self.message.setWordWrap(True)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        approve = QShortcut(QKeySequence("Ctrl+Return"), self)
        approve.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        approve.activated.connect(lambda: self._on_shortcut(Action.APPROVE))

    @staticmethod
    def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], None]:
        # No parameters: PySide then passes no ``checked`` bool (bools crossing into Python
        # lambdas have upset PySide's reference counts).
        return lambda: fn(*args)

    # -- BaseTab -------------------------------------------------------------------------

    def search_field(self) -> QLineEdit:
        return self.search

    def refresh(self) -> None:
        super().refresh()
        self._load()

    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        ident = uuid.UUID(str(entity_id))
        if self._select(ident):
            return
        self._select_id = ident
        self.search.clear()
        for box, checked in ((self.waiting_for_me, False), (self.show_closed, True)):
            box.blockSignals(True)
            box.setChecked(checked)
            box.blockSignals(False)
        self._load()

    # -- loading -------------------------------------------------------------------------

    def current_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        value = index.data(IdRole)
        return value if isinstance(value, uuid.UUID) else None

    def _load(self) -> None:
        self._generation += 1
        generation = self._generation
        if self._select_id is None:
            self._select_id = self.current_id()
        waiting, closed = self.waiting_for_me.isChecked(), self.show_closed.isChecked()
        ctx, service = self.ctx, self.service

        def work(_p: Progress) -> Loaded:
            actor = ctx.actor()
            if denial(actor.roles, Permission.READ_ALL) is not None:
                # An agency reads no one's requests (DESIGN §6); the tab still knows who is
                # acting, so the New request menu can say what it allows.
                return actor, ctx.settings(), []
            rows = service.tracker(
                ctx.now(), waiting_for=actor.login if waiting else None, include_closed=closed
            )
            return actor, ctx.settings(), rows

        self.count.setText("Loading…")
        run_in_background(
            self,
            work,
            on_success=lambda loaded: self._on_loaded(generation, loaded),
            on_failure=lambda exc: self._on_load_failed(generation, exc),
        )

    def _on_loaded(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return
        self.actor, self.settings, rows = loaded
        wanted, self._select_id = self._select_id, None
        keep, self._keep_shown = self._keep_shown, False
        self.model.set_rows(rows, self.settings.approval_stall_days)
        self._show_count()
        self._apply_request_permissions()
        if wanted is not None and self._select(wanted):
            return
        if wanted is not None and keep:
            self.table.clearSelection()
            self._load_detail(wanted)
            if not self.show_closed.isChecked():
                self.message.setText(
                    f"{self.message.text()} It has left this list; tick Show closed to find it."
                )
            return
        if self.proxy.rowCount():
            # The top request (the oldest open one): the panel is never blank for nothing.
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def _on_load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.count.setText("Could not load the requests.")
            show_error(self, exc)

    def _apply_request_permissions(self) -> None:
        roles = self.actor.roles if self.actor else frozenset()
        unreadable = denial(roles, Permission.READ_ALL)
        self.names_register.setEnabled(unreadable is None)
        if unreadable:
            self.names_register.setToolTip(unreadable)
        for kind, action in self.new_actions.items():
            reason = denial(roles, REQUEST_PERMISSIONS[kind])
            action.setEnabled(reason is None)
            action.setToolTip(reason or FORMS[kind].intro)
        allowed = any(a.isEnabled() for a in self.new_actions.values())
        self.new_request.setEnabled(allowed)
        self.new_request.setToolTip(
            "Raise a new approval request."
            if allowed
            else "Raising approval requests needs the role Communications officer, Ministry "
            "Director of Communications, Digital Strategy and Operations or Administrator."
        )

    def _select(self, approval_id: uuid.UUID) -> bool:
        position = self.model.position_of(approval_id)
        if position is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self._load_detail(approval_id)  # also when it was selected already: it changed
        return True

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        approval_id = self.current_id()
        if approval_id is None:
            self._show_detail(None)
        elif self.detail is None or self.detail.id != approval_id:
            self._load_detail(approval_id)

    @Slot()
    def _on_filters_changed(self) -> None:
        self._load()

    @Slot(str)
    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._show_count()

    def _show_count(self) -> None:
        reason = denial(self.actor.roles, Permission.READ_ALL) if self.actor else None
        if reason is not None:
            self.count.setText("Your role does not read the approvals register.")
            self.count.setToolTip(reason)
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "request" if total == 1 else "requests"
        self.count.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}")

    def _load_detail(self, approval_id: uuid.UUID) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        service, login = self.service, self.ctx.login

        def work(_p: Progress) -> DetailLoaded:
            detail = service.detail(approval_id)
            return detail, {a: service.why_not(approval_id, a, login) for a in Action}

        run_in_background(self, work, on_success=lambda loaded: self._on_detail(generation, loaded))

    def _on_detail(self, generation: int, loaded: DetailLoaded) -> None:
        if generation == self._detail_generation:
            self._show_detail(*loaded)

    # -- the detail panel ----------------------------------------------------------------

    def _show_detail(
        self, detail: ApprovalDetail | None, reasons: dict[Action, str | None] | None = None
    ) -> None:
        self.detail = detail
        self.reasons = dict(reasons or {})
        self.panel.show_detail(detail, self.reasons, self.settings.timezone)

    # -- acting --------------------------------------------------------------------------

    def make_decision_dialog(self, action: Action, detail: ApprovalDetail) -> DecisionDialog:
        service, approval_id, version = self.service, detail.id, detail.version
        original = detail.business_case

        def perform(comment: str, revised: str | None) -> Any:
            if action is Action.APPROVE:
                return service.approve(approval_id, comment, version=version)
            if action is Action.REJECT:
                return service.reject(approval_id, comment, version=version)
            if action is Action.REQUEST_CHANGES:
                return service.request_changes(approval_id, comment, version=version)
            if action is Action.WITHDRAW:
                return service.withdraw(approval_id, comment, version=version)
            changed = revised if revised is not None and revised != original else None
            return service.resubmit(approval_id, comment, business_case=changed, version=version)

        intro = {
            Action.APPROVE: f"Approve the step waiting for you on \u201c{detail.title}\u201d.",
            Action.REJECT: (
                f"Reject \u201c{detail.title}\u201d. Say why: the submitter and the record "
                "keep your reason."
            ),
            Action.REQUEST_CHANGES: (
                f"Send \u201c{detail.title}\u201d back to {detail.submitter_name} for changes. "
                "Say what needs to change."
            ),
            Action.WITHDRAW: f"Withdraw \u201c{detail.title}\u201d. Nobody will be asked to sign.",
            Action.RESUBMIT: (
                f"Resubmit \u201c{detail.title}\u201d after the changes asked for; the stage "
                "that asked signs again."
            ),
        }[action]
        return DecisionDialog(
            f"{words(action)} — {detail.title}",
            intro,
            words(action),
            perform,
            comment_required=action in (Action.REJECT, Action.REQUEST_CHANGES),
            business_case=original if action is Action.RESUBMIT and original else None,
            parent=self,
        )

    @Slot(str)
    def _on_action_requested(self, value: str) -> None:
        self._on_action(Action(value))

    def _on_shortcut(self, action: Action) -> None:
        if self.panel.action_buttons[action].isEnabled():
            self._on_action(action)

    def _on_action(self, action: Action) -> None:
        detail = self.detail
        if detail is None or self.reasons.get(action) is not None:
            return
        done = f"{DONE_WORDS[action]}: {detail.title}."
        if action is Action.SUBMIT:
            service, approval_id, version = self.service, detail.id, detail.version
            run_in_background(
                self,
                lambda _p: service.submit(approval_id, version=version),
                on_success=lambda _r: self._acted(detail.id, done),
            )
            return
        dialog = self.make_decision_dialog(action, detail)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self._acted(detail.id, done)

    def _acted(self, approval_id: uuid.UUID, message: str) -> None:
        self.message.setText(message)
        self.message.show()
        self._select_id = approval_id
        self._keep_shown = True
        self._load()
        self.data_changed.emit()

    def make_names_register(self) -> PersonalNamesDialog:
        return PersonalNamesDialog(self.ctx, self)

    @Slot()
    def _on_names_register(self) -> None:
        dialog = self.make_names_register()
        dialog.exec()
        dialog.deleteLater()

    def make_new_request_dialog(self, kind: ApprovalKind) -> NewRequestDialog:
        return NewRequestDialog(self.ctx, kind, self)

    def _on_new_request(self, kind: ApprovalKind) -> None:
        dialog = self.make_new_request_dialog(kind)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        created = dialog.created
        dialog.deleteLater()
        if accepted and created is not None:
            # A new draft is the author's to submit: it shows whatever the filters say.
            self.waiting_for_me.blockSignals(True)
            self.waiting_for_me.setChecked(False)
            self.waiting_for_me.blockSignals(False)
            self._acted(created.id, f"Saved as a draft: {created.title}. Submit it when ready.")
