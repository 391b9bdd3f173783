"""The Approvals tab: the tracker of requests, one request's steps as a timeline, and the
decisions the signed-in person may take on it now (the others disabled, saying why)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import ApprovalKind, ApprovalState, StepState
from desktop.policy.settings import PolicySettings
from desktop.policy.workflows import Action
from desktop.services.approvals import ApprovalDetail, ApprovalService, TrackerRow
from desktop.services.authz import Permission, denial
from desktop.services.context import Actor, ServiceContext
from desktop.views.approvals.decision_dialog import DecisionDialog
from desktop.views.approvals.new_request_dialog import FORMS, NewRequestDialog
from desktop.views.approvals.timeline import StepTimeline
from desktop.views.approvals.tracker_model import (
    COL_AGE,
    COL_KIND,
    COL_STAGE,
    COL_SUBJECT,
    COL_SUBMITTER,
    COL_WAITING,
    KIND_LABELS,
    STATE_COLOURS,
    STATE_LABELS,
    ApprovalTrackerModel,
    IdRole,
    TrackerProxy,
)
from desktop.views.base_tab import BaseTab
from desktop.views.errors import show_error
from desktop.views.icons import icon
from desktop.views.local_time import format_when
from desktop.views.worker import Progress, run_in_background

ACTION_LABELS = {
    Action.SUBMIT: "&Submit",
    Action.APPROVE: "&Approve",
    Action.REJECT: "&Reject",
    Action.REQUEST_CHANGES: "Request &changes",
    Action.RESUBMIT: "Resu&bmit",
    Action.WITHDRAW: "&Withdraw",
}
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
}
NO_SELECTION = "Select a request in the list."

Loaded = tuple[Actor, PolicySettings, list[TrackerRow]]
DetailLoaded = tuple[ApprovalDetail, dict[Action, str | None]]


def words(action: Action) -> str:
    return ACTION_LABELS[action].replace("&", "")


def reasons_text(reasons: dict[Action, str | None]) -> str:
    """The disabled actions grouped by their reason: "Approve, Reject: You cannot sign…"."""
    grouped: dict[str, list[str]] = {}
    for action, reason in reasons.items():
        if reason:
            grouped.setdefault(reason, []).append(words(action))
    return "\n".join(f"{', '.join(names)}: {reason}" for reason, names in grouped.items())


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
            action.triggered.connect(lambda _checked=False, k=kind: self._on_new_request(k))
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
        bar.addWidget(self.new_request)

        # Parented: a model the Python collector frees on a worker thread would crash Qt.
        self.model = ApprovalTrackerModel(parent=self)
        self.proxy = TrackerProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
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
            (COL_KIND, 118),
            (COL_SUBJECT, 185),
            (COL_SUBMITTER, 130),
            (COL_STAGE, 260),
            (COL_WAITING, 165),
            (COL_AGE, 56),
        ):
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_STAGE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("approvalsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
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

    def _build_detail(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("approvalDetail")
        panel.setProperty("role", "card")
        self.detail_title = QLabel(NO_SELECTION)
        self.detail_title.setObjectName("approvalTitle")
        self.detail_title.setProperty("role", "heading")
        self.detail_title.setWordWrap(True)
        self.detail_state = QLabel()
        self.detail_state.setObjectName("approvalState")
        self.meta = {name: QLabel() for name in ("kind", "subject", "submitter", "submitted")}
        for label in self.meta.values():
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta_box = QWidget()
        form = QFormLayout(self.meta_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(4)
        form.addRow("Kind", self.meta["kind"])
        form.addRow("Subject", self.meta["subject"])
        form.addRow("Submitted by", self.meta["submitter"])
        form.addRow("Submitted", self.meta["submitted"])
        self.case_heading = QLabel("Request")
        self.case_heading.setProperty("role", "heading")
        self.business_case = QLabel()
        self.business_case.setObjectName("approvalBusinessCase")
        self.business_case.setWordWrap(True)
        self.business_case.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps_heading = QLabel("Steps")
        self.steps_heading.setProperty("role", "heading")
        self.timeline = StepTimeline()
        self.on_approved = QLabel()
        self.on_approved.setObjectName("approvalOnApproved")
        self.on_approved.setProperty("role", "muted")
        self.on_approved.setWordWrap(True)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(14, 12, 14, 12)
        inner.setSpacing(8)
        inner.addWidget(self.detail_title)
        inner.addWidget(self.detail_state)
        inner.addWidget(self.meta_box)
        inner.addSpacing(4)
        inner.addWidget(self.case_heading)
        inner.addWidget(self.business_case)
        inner.addSpacing(4)
        inner.addWidget(self.steps_heading)
        inner.addWidget(self.timeline)
        inner.addWidget(self.on_approved)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("approvalDetailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        self.action_buttons: dict[Action, QPushButton] = {}
        rows = (
            (Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES),
            (Action.SUBMIT, Action.RESUBMIT, Action.WITHDRAW),
        )
        grid = QVBoxLayout()
        grid.setSpacing(6)
        for row in rows:
            line = QHBoxLayout()
            line.setSpacing(6)
            for action in row:
                button = QPushButton(ACTION_LABELS[action])
                button.setObjectName(f"action_{action.value}")
                button.setAccessibleName(words(action))
                button.setEnabled(False)
                button.setToolTip(NO_SELECTION)
                button.clicked.connect(lambda _checked=False, a=action: self._on_action(a))
                line.addWidget(button)
                self.action_buttons[action] = button
            grid.addLayout(line)
        self.action_buttons[Action.APPROVE].setProperty("role", "primary")
        self.why_not = QLabel(NO_SELECTION)
        self.why_not.setObjectName("approvalWhyNot")
        self.why_not.setProperty("role", "muted")
        self.why_not.setWordWrap(True)
        actions = QFrame()
        actions.setObjectName("approvalActions")
        box = QVBoxLayout(actions)
        box.setContentsMargins(14, 8, 14, 12)
        box.setSpacing(6)
        box.addLayout(grid)
        box.addWidget(self.why_not)

        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #d0d7de;")
        outer.addWidget(rule)
        outer.addWidget(actions)
        panel.setMinimumWidth(420)
        self._show_detail(None)
        return panel

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
        count = self.proxy.rowCount()
        self.count.setText(f"{count} request{'' if count == 1 else 's'}")
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
        for widget in (self.meta_box, self.steps_heading, self.timeline, self.on_approved):
            widget.setVisible(detail is not None)
        if detail is None:
            self.detail_title.setText(NO_SELECTION)
            self.detail_state.clear()
            for label in self.meta.values():
                label.clear()
            self.business_case.clear()
            self.case_heading.hide()
            self.business_case.hide()
            self.timeline.set_steps((), None, self.settings.timezone)
            self.on_approved.clear()
            for button in self.action_buttons.values():
                button.setEnabled(False)
                button.setToolTip(NO_SELECTION)
            self.why_not.setText(NO_SELECTION)
            return
        zone = self.settings.timezone
        self.detail_title.setText(detail.title)
        self.detail_state.setText(STATE_LABELS[detail.state])
        colour = STATE_COLOURS[detail.state].name()
        self.detail_state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.meta["kind"].setText(KIND_LABELS[detail.kind])
        self.meta["subject"].setText(detail.subject_label or "—")
        self.meta["submitter"].setText(detail.submitter_name)
        submitted = format_when(detail.submitted_at, zone) if detail.submitted_at else "Not yet"
        if detail.decided_at is not None:
            submitted += f" · decided {format_when(detail.decided_at, zone)}"
        self.meta["submitted"].setText(submitted)
        self.case_heading.setVisible(bool(detail.business_case))
        self.business_case.setVisible(bool(detail.business_case))
        self.business_case.setText(detail.business_case)
        current = None
        if detail.state is ApprovalState.SUBMITTED:
            pending = [s.stage for s in detail.steps if s.state is StepState.PENDING]
            current = min(pending, default=None)
        self.timeline.set_steps(detail.steps, current, zone)
        self.on_approved.setText(f"When approved: {detail.on_approved}")
        for action, button in self.action_buttons.items():
            reason = self.reasons.get(action)
            button.setEnabled(reason is None)
            button.setToolTip(reason or f"{words(action)} this request.")
        why = reasons_text(self.reasons)
        self.why_not.setText(why or "You may take any of these actions.")

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

    def _on_shortcut(self, action: Action) -> None:
        if self.action_buttons[action].isEnabled():
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
