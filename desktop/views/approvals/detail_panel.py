"""One approval request in detail: what is asked, by whom, the steps as a timeline, and the
decision buttons, each enabled only when the person may take it, with the reason otherwise."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import ApprovalState, StepState
from desktop.policy.workflows import Action
from desktop.services.approval_tracker import ApprovalDetail
from desktop.views.approvals.timeline import StepTimeline
from desktop.views.approvals.tracker_model import KIND_LABELS, STATE_COLOURS, STATE_LABELS
from desktop.views.local_time import format_when

ACTION_LABELS = {
    Action.SUBMIT: "&Submit",
    Action.APPROVE: "&Approve",
    Action.REJECT: "&Reject",
    Action.REQUEST_CHANGES: "Request &changes",
    Action.RESUBMIT: "Resu&bmit",
    Action.WITHDRAW: "&Withdraw",
}
NO_SELECTION = "Select a request in the list."


def words(action: Action) -> str:
    return ACTION_LABELS[action].replace("&", "")


def reasons_text(reasons: dict[Action, str | None]) -> str:
    """The disabled actions grouped by their reason: "Approve, Reject: You cannot sign…"."""
    grouped: dict[str, list[str]] = {}
    for action, reason in reasons.items():
        if reason:
            grouped.setdefault(reason, []).append(words(action))
    return "\n".join(f"{', '.join(names)}: {reason}" for reason, names in grouped.items())


class ApprovalDetailPanel(QFrame):
    """``action_requested`` carries the ``Action`` value of the button pressed."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDetail")
        self.setProperty("role", "card")
        self.detail_title = QLabel(NO_SELECTION)
        self.detail_title.setObjectName("approvalTitle")
        self.detail_title.setProperty("role", "heading")
        self.detail_title.setWordWrap(True)
        self.detail_state = QLabel()
        self.detail_state.setObjectName("approvalState")
        names = ("kind", "subject", "submitter", "submitted", "decided")
        self.meta = {name: QLabel() for name in names}
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
        form.addRow("Decided", self.meta["decided"])
        self.meta_form = form
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
                button.clicked.connect(self._emitter(action))
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

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #d0d7de;")
        outer.addWidget(rule)
        outer.addWidget(actions)
        self.setMinimumWidth(420)
        self.show_detail(None, {}, "America/Regina")

    def _emitter(self, action: Action) -> Callable[[], None]:
        # No parameters: PySide then passes no ``checked`` bool (bools crossing into Python
        # lambdas have upset PySide's reference counts).
        return lambda: self.action_requested.emit(action.value)

    def show_detail(
        self, detail: ApprovalDetail | None, reasons: dict[Action, str | None], zone: str
    ) -> None:
        """Show a request and which actions the person may take (a None reason: allowed)."""
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
            self.timeline.set_steps((), None, zone)
            self.on_approved.clear()
            for button in self.action_buttons.values():
                button.setEnabled(False)
                button.setToolTip(NO_SELECTION)
            self.why_not.setText(NO_SELECTION)
            return
        self.detail_title.setText(detail.title)
        self.detail_state.setText(STATE_LABELS[detail.state])
        colour = STATE_COLOURS[detail.state].name()
        self.detail_state.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.meta["kind"].setText(KIND_LABELS[detail.kind])
        self.meta["subject"].setText(detail.subject_label or "—")
        self.meta["submitter"].setText(detail.submitter_name)
        submitted = format_when(detail.submitted_at, zone) if detail.submitted_at else "Not yet"
        if detail.resubmitted_at is not None:
            submitted += f"; resubmitted {format_when(detail.resubmitted_at, zone)}"
        self.meta["submitted"].setText(submitted)
        decided = format_when(detail.decided_at, zone) if detail.decided_at else ""
        self.meta["decided"].setText(decided)
        self.meta_form.setRowVisible(self.meta["decided"], bool(decided))
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
            reason = reasons.get(action)
            button.setEnabled(reason is None)
            button.setToolTip(reason or f"{words(action)} this request.")
        why = reasons_text(reasons)
        self.why_not.setText(why or "You may take any of these actions.")
