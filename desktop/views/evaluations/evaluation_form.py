"""The evaluation form of one account and half-year: the summary and recommendation, saved as a
draft by those who may draft and completed (signed off) by the Director DCI or an administrator.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import EvaluationStatus, Recommendation
from desktop.models import Evaluation
from desktop.policy.periods import HalfYear
from desktop.services.authz import Permission, denial
from desktop.services.choices import Choice
from desktop.services.context import Actor, ServiceContext
from desktop.services.evaluations import EvaluationService
from desktop.views.errors import clear_inline, show_inline
from desktop.views.local_time import format_when
from desktop.views.worker import Progress, run_in_background

RECOMMENDATION_LABELS = {
    Recommendation.CONTINUE: "Continue",
    Recommendation.NEW_STRATEGY: "New strategy",
    Recommendation.TERMINATE: "Terminate",
}
RECOMMENDATION_TIP = (
    "Continue: keep the current strategy. New strategy: the review found the account needs a "
    "new approach. Terminate: recommend closing the account (for example, no engagement for "
    "12 months)."
)
CHOOSE_FIRST = "Choose an account and a half-year first."


def completed_reason(evaluation: Evaluation, timezone: str) -> str:
    when = (
        f" on {format_when(evaluation.completed_at, timezone)}" if evaluation.completed_at else ""
    )
    return (
        f"The evaluation for {evaluation.period} was completed{when} and cannot be changed; "
        "record new findings in the next half-year's evaluation."
    )


class EvaluationForm(QGroupBox):
    """Shows one evaluation (or none yet); ``saved`` carries the evaluation after each save."""

    saved = Signal(object)  # the Evaluation

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__("Evaluation", parent)
        self.setObjectName("evaluationForm")
        self.ctx = ctx
        self.actor: Actor | None = None
        self.account: Choice | None = None
        self.period: HalfYear | None = None
        self.evaluation: Evaluation | None = None
        self.timezone = "America/Regina"
        self.busy = False

        self.status = QLabel()
        self.status.setObjectName("evaluationStatus")
        self.status.setWordWrap(True)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("evaluationSummary")
        self.summary.setAccessibleName("Evaluation summary")
        self.summary.setPlaceholderText(
            "What the half-year showed: engagement against the goals, what worked, what to change."
        )
        self.summary.setTabChangesFocus(True)
        self.recommendation = QComboBox()
        self.recommendation.setObjectName("evaluationRecommendation")
        self.recommendation.setAccessibleName("Recommendation")
        self.recommendation.setToolTip(RECOMMENDATION_TIP)
        self.recommendation.addItem("Choose a recommendation…", None)
        for value, label in RECOMMENDATION_LABELS.items():
            self.recommendation.addItem(label, value)
        self.error = QLabel()
        self.error.setObjectName("evaluationError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.fields: dict[str, QWidget] = {
            "summary": self.summary,
            "recommendation": self.recommendation,
        }

        self.save_button = QPushButton("&Save draft")
        self.save_button.setObjectName("saveEvaluationDraft")
        self.complete_button = QPushButton("&Complete…")
        self.complete_button.setObjectName("completeEvaluation")
        self.complete_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self._on_save)
        self.complete_button.clicked.connect(self._on_complete)
        # Shortcuts, not button shortcuts: a disabled button would swallow nothing but say
        # nothing either; the slots check the buttons' state themselves.
        for keys, slot in (("Ctrl+S", self._on_save), ("Ctrl+Return", self._on_complete)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Status", self.status)
        form.addRow("&Summary", self.summary)
        form.addRow("&Recommendation", self.recommendation)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.show_state(None, None, None, None)

    # -- what it shows -------------------------------------------------------------------

    def show_state(
        self,
        actor: Actor | None,
        account: Choice | None,
        period: HalfYear | None,
        evaluation: Evaluation | None,
        timezone: str | None = None,
    ) -> None:
        """Show the evaluation of ``account`` for ``period`` (None: not started yet)."""
        self.actor, self.account, self.period, self.evaluation = actor, account, period, evaluation
        if timezone:
            self.timezone = timezone
        clear_inline(self.fields, self.error)
        self.summary.setPlainText(evaluation.summary if evaluation else "")
        position = self.recommendation.findData(evaluation.recommendation) if evaluation else 0
        self.recommendation.setCurrentIndex(max(position, 0))
        self._update()

    def _status_text(self) -> tuple[str, str]:
        """The status line and its colour (a ``severity`` of the stylesheet)."""
        evaluation = self.evaluation
        if self.account is None or self.period is None:
            return CHOOSE_FIRST, ""
        if evaluation is None:
            return f"Not started: nothing is saved for {self.period} yet.", ""
        if evaluation.status == EvaluationStatus.COMPLETED:
            when = evaluation.completed_at
            on = f" on {format_when(when, self.timezone)}" if when else ""
            return f"Completed{on} — signed off; it cannot change any more.", "ok"
        return "Draft — waiting to be completed by the Director DCI.", "warning"

    def _update(self) -> None:
        text, severity = self._status_text()
        self.status.setText(text)
        self.status.setProperty("severity", severity)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        draft_reason, complete_reason = self.refusals()
        editable = not self.busy and (draft_reason is None or complete_reason is None)
        self.summary.setReadOnly(not editable)
        self.recommendation.setEnabled(editable)
        label = self.account.label if self.account else ""
        _enable(
            self.save_button,
            draft_reason,
            f"Save the summary and recommendation of {label} for {self.period} as a draft "
            "(Ctrl+S).",
            busy=self.busy,
        )
        _enable(
            self.complete_button,
            complete_reason,
            "Sign the evaluation off (Ctrl+Return); it cannot be changed afterwards.",
            busy=self.busy,
        )

    def refusals(self) -> tuple[str | None, str | None]:
        """Why saving a draft and completing are refused now (None: allowed)."""
        actor, account = self.actor, self.account
        if actor is None or account is None or self.period is None:
            return CHOOSE_FIRST, CHOOSE_FIRST
        if self.evaluation is not None and self.evaluation.status == EvaluationStatus.COMPLETED:
            reason = completed_reason(self.evaluation, self.timezone)
            return reason, reason
        draft = denial(
            actor.roles,
            Permission.DRAFT_RECORDS,
            actor_ministry=actor.ministry_id,
            target_ministry=account.ministry_id,
        )
        return draft, denial(actor.roles, Permission.COMPLETE_EVALUATION)

    # -- actions -------------------------------------------------------------------------

    def _values(self) -> tuple[str, Recommendation | None]:
        return self.summary.toPlainText(), self.recommendation.currentData()

    @Slot()
    def _on_save(self) -> None:
        if not self.save_button.isEnabled() or self.account is None or self.period is None:
            return
        service, summary, choice = EvaluationService(self.ctx), *self._values()
        account_id, period, current = self.account.id, self.period.label, self.evaluation

        def save(_progress: Progress) -> Evaluation:
            if current is None:
                return service.draft(account_id, period, summary, choice)
            return service.edit(current.id, summary, choice, version=current.version)

        self._run(save, [], "Saving the draft…")

    @Slot()
    def _on_complete(self) -> None:
        if not self.complete_button.isEnabled() or self.account is None or self.period is None:
            return
        answer = QMessageBox.question(
            self,
            "Complete evaluation",
            f"Complete the evaluation of {self.account.label} for {self.period}? It is signed "
            "off in your name and cannot be changed afterwards.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        service, summary, choice = EvaluationService(self.ctx), *self._values()
        account_id, period, current = self.account.id, self.period.label, self.evaluation
        drafted: list[Evaluation] = []  # filled on the worker, read after it called back

        def complete(_progress: Progress) -> Evaluation:
            target = current
            if target is None:
                target = service.draft(account_id, period, summary, choice)
                drafted.append(target)
            return service.complete(target.id, summary, choice, version=target.version)

        self._run(complete, drafted, "Completing the evaluation…")

    def _run(
        self, fn: Callable[[Progress], Evaluation], drafted: list[Evaluation], label: str
    ) -> None:
        self.busy = True
        self._update()
        task = run_in_background(
            self,
            fn,
            on_success=self._on_saved,
            on_failure=lambda exc: self._on_failed(exc, drafted),
            progress_label=label,
        )
        task.finished.connect(self._on_finished)

    def _on_saved(self, evaluation: Evaluation) -> None:
        clear_inline(self.fields, self.error)
        self.evaluation = evaluation
        self.saved.emit(evaluation)

    def _on_failed(self, exc: BaseException, drafted: list[Evaluation]) -> None:
        if drafted:  # the draft was saved before completing it failed: keep it
            self.evaluation = drafted[0]
            self.saved.emit(drafted[0])
        show_inline(self.fields, self.error, exc, self)

    @Slot()
    def _on_finished(self) -> None:
        self.busy = False
        self._update()


def _enable(button: QPushButton, refusal: str | None, tip: str, *, busy: bool) -> None:
    button.setEnabled(refusal is None and not busy)
    button.setToolTip(refusal or tip)
