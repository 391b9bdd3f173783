"""The Evaluations tab: per account and half-year, the monthly metrics as a chart and a table,
goals against actuals and the evaluation form; beside them the schedule of evaluations due.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import EvaluationStatus
from desktop.errors import NotFound, PermissionDenied
from desktop.models import Evaluation
from desktop.policy.periods import HalfYear
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import Actor, ServiceContext
from desktop.services.evaluation_lookup import EvaluationLookup, EvaluationRef
from desktop.services.evaluations import EvaluationService, ScheduleRow
from desktop.services.goals import GoalProgress, GoalService
from desktop.services.metrics import MetricsService, MonthMetrics
from desktop.views.base_tab import BaseTab
from desktop.views.errors import show_error
from desktop.views.evaluations.account_picker import AccountPicker
from desktop.views.evaluations.evaluation_form import EvaluationForm
from desktop.views.evaluations.evaluation_report import (
    NO_REPORTS,
    open_evaluation_report,
    report_dialog_available,
)
from desktop.views.evaluations.half_year_panel import HalfYearPanel
from desktop.views.evaluations.period_picker import PeriodPicker
from desktop.views.evaluations.schedule_model import (
    status_text,
)
from desktop.views.evaluations.schedule_panel import SchedulePanel
from desktop.views.worker import Progress, run_in_background


@dataclass(frozen=True)
class _Setup:
    actor: Actor
    timezone: str
    today: date
    accounts: list[Choice]
    schedule: list[ScheduleRow]


@dataclass(frozen=True)
class _AccountData:
    account_id: uuid.UUID
    period: HalfYear
    months: list[MonthMetrics]
    goals: list[GoalProgress]
    evaluation: Evaluation | None


class EvaluationsTab(BaseTab):
    title = "Evaluations"
    icon = "evaluations"
    handles = frozenset({"evaluation"})

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actor: Actor | None = None
        self.timezone = "America/Regina"
        self.today: date | None = None
        self.loading = False
        self.data: _AccountData | None = None
        self._blocked: str | None = None
        self._pending: EvaluationRef | None = None  # an evaluation to show once set up
        self._generation = 0
        self._data_generation = 0
        self._build()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.picker = AccountPicker()
        self.period = PeriodPicker()
        account_label = QLabel("&Account")
        account_label.setBuddy(self.picker)
        period_label = QLabel("&Half-year")
        period_label.setBuddy(self.period)
        self.due = QLabel()
        self.due.setObjectName("evaluationDue")
        self.due.setProperty("role", "muted")
        self.due.setWordWrap(True)  # a second line rather than a warning cut off
        self.pdf_button = QPushButton("Generate &PDF…")
        self.pdf_button.setObjectName("generateEvaluationPdf")
        self.pdf_button.clicked.connect(self._on_generate_pdf)
        pdf_shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        pdf_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pdf_shortcut.activated.connect(self._on_generate_pdf)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(account_label)
        bar.addWidget(self.picker, 2)
        bar.addSpacing(8)
        bar.addWidget(period_label)
        bar.addWidget(self.period, 1)
        bar.addSpacing(8)
        bar.addWidget(self.due, 2)
        bar.addWidget(self.pdf_button)

        self.notice = QLabel()
        self.notice.setObjectName("evaluationsNotice")
        self.notice.setProperty("role", "error")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.half_year = HalfYearPanel()
        self.form = EvaluationForm(self.ctx)
        self.form.saved.connect(self._on_saved)
        self.schedule = SchedulePanel()
        self.schedule.account_activated.connect(self._on_schedule_activated)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("evaluationsRightSplitter")
        right.setChildrenCollapsible(False)
        right.addWidget(self.form)
        right.addWidget(self.schedule)
        right.setSizes([400, 380])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("evaluationsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.half_year)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([840, 540])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)

        # Connected once everything exists: filling the pickers must not load anything.
        self.picker.account_chosen.connect(self._on_account_chosen)
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self._update_pdf_button()

    def search_field(self) -> QLineEdit | None:
        """Ctrl+F finds an account: the picker's text box."""
        return self.picker.lineEdit()

    # -- loading the tab -----------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self._generation += 1
        generation = self._generation
        ctx = self.ctx

        def fetch(_progress: Progress) -> _Setup:
            actor = ctx.actor()
            timezone = ctx.settings().timezone
            today = ctx.now().astimezone(ZoneInfo(timezone)).date()
            schedule = EvaluationService(ctx).schedule(today)
            accounts = ChoiceService(ctx).accounts(live_only=False)
            return _Setup(actor, timezone, today, accounts, schedule)

        self.loading = True
        run_in_background(
            self,
            fetch,
            on_success=lambda setup: self._set_up(generation, setup),
            on_failure=lambda exc: self._failed(generation, exc),
            progress_label="Loading the evaluations…",
            read=True,
        )

    def _set_up(self, generation: int, setup: _Setup) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self._blocked = None
        self.notice.hide()
        self.actor, self.timezone, self.today = setup.actor, setup.timezone, setup.today
        self.picker.set_choices(setup.accounts)
        self.period.fill(setup.today)
        self.schedule.set_rows(setup.schedule)
        pending, self._pending = self._pending, None
        if pending is not None:
            self._show_ref(pending)
            return
        if self.picker.account_id() is None:
            first = next(iter(self.schedule.model.rows), None)
            wanted = first.account_id if first else None
            if wanted is None and self.picker.count():
                wanted = uuid.UUID(self.picker.itemData(0))
            if wanted is not None:
                self.picker.blockSignals(True)
                self.picker.select(wanted)
                self.picker.blockSignals(False)
        self._load_account()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        if isinstance(exc, PermissionDenied):
            self._blocked = exc.message
            self.notice.setText(exc.message)
            self.notice.show()
            self.schedule.set_rows([])
            self._show_data(None)
            return
        show_error(self, exc)

    def selected_period(self) -> HalfYear | None:
        return self.period.selected()

    # -- loading one account's half-year -------------------------------------------------

    def _load_account(self) -> None:
        account_id, half = self.picker.account_id(), self.selected_period()
        self._update_due()
        self._update_pdf_button()
        if account_id is None or half is None:
            self._show_data(None)
            return
        self._data_generation += 1
        generation = self._data_generation
        ctx = self.ctx

        def fetch(_progress: Progress) -> _AccountData:
            months = MetricsService(ctx).series(account_id, half.start, half.end)
            goals = GoalService(ctx).goals_against_actuals(account_id, half.start, half.end)
            evaluations = EvaluationService(ctx).for_account(account_id)
            found = next((e for e in evaluations if e.period == half.label), None)
            return _AccountData(account_id, half, months, goals, found)

        self.loading = True
        run_in_background(
            self,
            fetch,
            on_success=lambda data: self._data_arrived(generation, data),
            on_failure=lambda exc: self._data_failed(generation, exc),
            progress_label="Loading the account's half-year…",
            read=True,
        )

    def _data_arrived(self, generation: int, data: _AccountData) -> None:
        if generation != self._data_generation:
            return
        self.loading = False
        self._show_data(data)

    def _data_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._data_generation:
            return
        self.loading = False
        if isinstance(exc, NotFound):
            self.refresh()  # the account went away (an import): show the list as it is now
            return
        if isinstance(exc, PermissionDenied):
            self._blocked = exc.message
            self.notice.setText(exc.message)
            self.notice.show()
            self._show_data(None)
            return
        show_error(self, exc)

    def _show_data(self, data: _AccountData | None) -> None:
        self.data = data
        self.half_year.show_half_year(
            data.months if data else [],
            data.goals if data else [],
            self.today,
            f"No goals of this account cover {data.period}: goals are set every 12 months and "
            "reviewed by the Director DCI."
            if data
            else self._blocked or "Choose an account and a half-year.",
        )
        account = self.picker.current_choice() if data else None
        self.form.show_state(
            self.actor if data else None,
            account,
            data.period if data else None,
            data.evaluation if data else None,
            self.timezone,
        )
        self._update_pdf_button()

    # -- reacting ------------------------------------------------------------------------

    @Slot(object)
    def _on_account_chosen(self, _account_id: object) -> None:
        self._load_account()

    @Slot(int)
    def _on_period_changed(self, _position: int) -> None:
        self._load_account()

    @Slot(object)
    def _on_schedule_activated(self, account_id: uuid.UUID) -> None:
        if account_id != self.picker.account_id():
            self.picker.select(account_id)

    @Slot(object)
    def _on_saved(self, evaluation: Evaluation) -> None:
        if self.data is not None and self.data.account_id == evaluation.account_id:
            self.data = _AccountData(
                self.data.account_id,
                self.data.period,
                self.data.months,
                self.data.goals,
                evaluation,
            )
        self.data_changed.emit()
        if evaluation.status == EvaluationStatus.COMPLETED:
            self._reload_schedule()

    def _reload_schedule(self) -> None:
        ctx, today = self.ctx, self.today
        if today is None:
            return

        def fetch(_progress: Progress) -> list[ScheduleRow]:
            return EvaluationService(ctx).schedule(today)

        def arrived(rows: list[ScheduleRow]) -> None:
            self.schedule.set_rows(rows)
            self._update_due()

        run_in_background(self, fetch, on_success=arrived)

    def _update_due(self) -> None:
        account_id = self.picker.account_id()
        row = self.schedule.row_for(account_id)
        if row is None:
            self.due.setText("Not in the schedule: only active accounts are evaluated.")
            self.due.setProperty("severity", "")
        else:
            self.due.setText(f"Evaluation due {row.next_due:%d %b %Y} · {status_text(row)}")
            level = {"overdue": "critical", "due soon": "warning"}.get(row.status, "")
            self.due.setProperty("severity", level)
        if account_id is None:
            self.due.setText("")
        self.due.style().unpolish(self.due)
        self.due.style().polish(self.due)

    # -- the PDF -------------------------------------------------------------------------

    def _update_pdf_button(self) -> None:
        account, half = self.picker.current_choice(), self.selected_period()
        if not report_dialog_available():
            reason: str | None = NO_REPORTS
        elif self._blocked:
            reason = self._blocked
        elif account is None or half is None:
            reason = "Choose an account and a half-year first."
        else:
            reason = None
        self.pdf_button.setEnabled(reason is None)
        self.pdf_button.setToolTip(
            reason
            or f"Generate the evaluation report of {account.label if account else ''} for "
            f"{half} as a PDF (Ctrl+P)."
        )

    @Slot()
    def _on_generate_pdf(self) -> None:
        account, half = self.picker.current_choice(), self.selected_period()
        if account is None or half is None or not self.pdf_button.isEnabled():
            return
        open_evaluation_report(self, self.ctx, account.id, half.label)

    # -- links from elsewhere ------------------------------------------------------------

    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        if entity_type not in self.handles:
            return
        evaluation_id = entity_id if isinstance(entity_id, uuid.UUID) else uuid.UUID(entity_id)
        ctx = self.ctx

        def fetch(_progress: Progress) -> EvaluationRef:
            return EvaluationLookup(ctx).locate(evaluation_id)

        def found(ref: EvaluationRef) -> None:
            if self.today is None:  # not set up yet: shown once it is
                self._pending = ref
                if not self.loading:
                    self.refresh()
                return
            # A load still running is overtaken: the newer choice wins when both arrive.
            self._show_ref(ref)

        run_in_background(self, fetch, on_success=found)

    def _show_ref(self, ref: EvaluationRef) -> None:
        if self.today is not None:
            self.period.fill(self.today, HalfYear.parse(ref.period))
        self.picker.blockSignals(True)
        self.picker.select(ref.account_id)
        self.picker.blockSignals(False)
        self._load_account()
