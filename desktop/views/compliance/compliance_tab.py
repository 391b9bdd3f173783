"""The Compliance tab: the headline KPIs, every finding of the policy checks grouped by severity
and filtered by ministry, platform and check, and the selected finding's detail; a finding's
record opens in the tab that shows it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import PermissionDenied
from desktop.policy.findings import Finding
from desktop.services.choices import Choice, ChoiceService
from desktop.services.compliance import ComplianceOverview, ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.finding_scope import FindingScope, FindingScopeService, SubjectKey
from desktop.views.base_tab import BaseTab
from desktop.views.compliance import last_checks
from desktop.views.compliance.finding_detail import OPENABLE, FindingDetail
from desktop.views.compliance.finding_filters import FindingFilterBar
from desktop.views.compliance.findings_model import (
    COL_CHECK,
    COL_MESSAGE,
    COL_MINISTRY,
    COL_PLATFORM,
    COL_SINCE,
    COL_SUBJECT,
    SEVERITIES,
    FindingsModel,
    finding_key,
)
from desktop.views.compliance.kpi_tiles import KpiBar
from desktop.views.compliance.last_checks import ChecksShown
from desktop.views.errors import show_error
from desktop.views.icons import icon
from desktop.views.worker import Progress, Task, run_in_background

log = logging.getLogger(__name__)

RUNNING_TEXT = "Running the compliance checks…"
NO_FINDINGS = "No findings: every policy check passed."
COLUMN_WIDTHS = {
    COL_CHECK: 280,
    COL_SUBJECT: 220,
    COL_MINISTRY: 84,
    COL_PLATFORM: 100,
    COL_SINCE: 96,
}


def checked_text(as_of: datetime, timezone: str, *, kept: bool = False) -> str:
    """'Checked 2026-11-18 09:00 (America/Regina)': the run's instant in the branch's zone;
    'Last checked …' for the run kept from an earlier start, shown while the checks run."""
    local = as_of.astimezone(ZoneInfo(timezone))
    return f"{'Last checked' if kept else 'Checked'} {local:%Y-%m-%d %H:%M} ({timezone})"


class ComplianceTab(BaseTab):
    title = "Compliance"
    icon = "compliance"

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loading = False
        self.overview: ComplianceOverview | None = None
        self.kept = False  # the findings shown are the last start's, kept on this workstation
        self.timezone = "America/Regina"
        self._generation = 0
        self._task: Task[ChecksShown] | None = None  # the latest run of the checks
        self._build()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.checked = QLabel("Not checked yet")
        self.checked.setObjectName("complianceCheckedAt")
        self.checked.setProperty("role", "heading")
        self.progress = QLabel(RUNNING_TEXT)
        self.progress.setObjectName("complianceProgress")
        self.progress.setProperty("role", "muted")
        self.progress.hide()
        self.summary = QLabel()
        self.summary.setObjectName("complianceSummary")
        self.summary.setProperty("role", "muted")
        self.refresh_button = QPushButton(icon("refresh"), "&Refresh")
        self.refresh_button.setObjectName("complianceRefresh")
        self.refresh_button.setToolTip("Run every policy check again (F5).")
        self.refresh_button.clicked.connect(self._on_refresh)
        # The checks are a read: their progress is said here, never in a dialog over the tab,
        # and this stops them (the findings shown stay).
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setObjectName("complianceStop")
        self.stop_button.setToolTip("Stop the checks; the findings shown stay.")
        self.stop_button.clicked.connect(self._on_stop)
        # Its place is kept: showing it does not lay the whole tab out again.
        policy = self.stop_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.stop_button.setSizePolicy(policy)
        self.stop_button.hide()
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self.checked)
        header.addWidget(self.progress)
        header.addWidget(self.stop_button)
        header.addStretch(1)
        header.addWidget(self.summary)
        header.addWidget(self.refresh_button)

        self.kpis = KpiBar()

        self.notice = QLabel()
        self.notice.setObjectName("complianceNotice")
        self.notice.setProperty("role", "error")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.filter_bar = FindingFilterBar()

        # Parented: a model the Python collector frees on a worker thread would crash Qt.
        self.model = FindingsModel(parent=self)
        self.tree = QTreeView()
        self.tree.setObjectName("findingsTree")
        self.tree.setAccessibleName("Compliance findings")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(COL_CHECK, Qt.SortOrder.AscendingOrder)
        tree_header = self.tree.header()
        tree_header.setStretchLastSection(True)
        tree_header.setSectionsMovable(True)
        for column, width in COLUMN_WIDTHS.items():
            tree_header.resizeSection(column, width)
        tree_header.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Interactive)
        self.tree.doubleClicked.connect(self._on_double_clicked)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_model_reset)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._on_open_current)

        self.detail = FindingDetail()
        self.detail.setMinimumWidth(320)
        self.detail.open_requested.connect(self._open)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("complianceSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1000, 380])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.kpis)
        layout.addWidget(self.notice)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self.filter_bar.changed.connect(self._on_filters_changed)

    def search_field(self) -> QLineEdit:
        return self.filter_bar.search

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self._generation += 1
        generation = self._generation
        ctx, as_of = self.ctx, self.ctx.now()

        def fetch(progress: Progress) -> ChecksShown:
            progress.report(0, 0, RUNNING_TEXT)
            try:
                overview = ComplianceService(ctx).overview(as_of)
            except PermissionDenied:
                last_checks.forget(ctx)
                raise
            progress.check()
            subjects = {(f.subject_type, f.subject_id) for f in overview.findings}
            scopes = FindingScopeService(ctx).scopes(subjects)
            shown = ChecksShown(
                overview, scopes, ChoiceService(ctx).ministries(), ctx.settings().timezone
            )
            try:
                last_checks.keep(ctx, shown)
            except OSError:
                log.warning("Could not keep the checks for the next start", exc_info=True)
            return shown

        first = self.overview is None and not self.loading
        self.loading = True
        self.progress.show()
        self.refresh_button.setEnabled(False)
        if not first:
            self._run(generation, fetch)
            return

        # The first load: the run kept from the last start is shown, then the checks run
        # again. In turn, not at once: filling the tree while the checks ran on the pool had
        # both wait on the interpreter, and the window went unanswered the longer.
        def then(kept: ChecksShown | None) -> None:
            self._kept(generation, kept)
            self._run(generation, fetch)

        def failed(exc: BaseException) -> None:
            log.warning("The kept checks could not be read: %s", exc)
            self._run(generation, fetch)

        run_in_background(
            self, lambda _progress: last_checks.kept(ctx), on_success=then, on_failure=failed
        )

    def _run(self, generation: int, fetch: Callable[[Progress], ChecksShown]) -> None:
        if generation != self._generation:
            return  # a newer refresh runs the checks itself
        task = run_in_background(
            self,
            fetch,
            on_success=lambda loaded: self._loaded(generation, loaded),
            on_failure=lambda exc: self._failed(generation, exc),
            quiet=True,
        )
        # A cancelled run calls neither callback: the header stops saying it is running. A
        # bound slot, not a lambda: Qt drops the connection if the tab is closed meanwhile.
        self._task = task
        task.finished.connect(self._on_task_finished)
        self.stop_button.show()

    @Slot()
    def _on_task_finished(self) -> None:
        if self.sender() is self._task and self.loading:
            self._done()

    @Slot()
    def _on_stop(self) -> None:
        if self._task is not None and self.loading:
            self._task.progress.cancel()
            self.stop_button.hide()

    def _done(self) -> None:
        self.loading = False
        self.progress.hide()
        self.stop_button.hide()
        self.refresh_button.setEnabled(True)

    def _kept(self, generation: int, kept: ChecksShown | None) -> None:
        if kept is None or generation != self._generation or not self.loading:
            return  # none kept, or this start's own run came first
        self._show(kept, kept=True)

    def _loaded(self, generation: int, loaded: ChecksShown) -> None:
        if generation != self._generation:
            return  # a newer refresh replaced this one while it ran
        self._done()
        self._show(loaded)

    def _same_findings(self, loaded: ChecksShown) -> bool:
        """The model already holds these findings (the kept run found the same): only the
        header, the KPIs and the filters' choices need saying again."""
        return (
            self.overview is not None
            and self.timezone == loaded.timezone
            and self.model.findings == loaded.overview.findings
            and self.model.scopes == loaded.scopes
        )

    def _show(self, loaded: ChecksShown, *, kept: bool = False) -> None:
        self.notice.hide()
        selected = self.selected_finding()
        same = self._same_findings(loaded)
        self.overview = loaded.overview
        self.kept = kept
        self.timezone = self.model.timezone = self.detail.timezone = loaded.timezone
        self.checked.setText(checked_text(loaded.overview.as_of, loaded.timezone, kept=kept))
        self.summary.setText(loaded.overview.summary.line)
        self.kpis.set_kpis(loaded.overview.kpis)
        self._fill_ministries(loaded.ministries, loaded.scopes)
        self.filter_bar.set_checks(loaded.overview.summary.by_code)
        if not same:  # refilling the tree costs ~90 ms on a thousand findings
            self.model.set_findings(loaded.overview.findings, loaded.scopes)
        self.model.set_filter(self.filter_bar.filters())
        # The detail pane is never empty while there is something to show.
        if not (selected is not None and self._select(finding_key(selected))):
            self._select_first()

    def _select_first(self) -> None:
        for severity in SEVERITIES:
            if self.model.shown_in(severity):
                first = self.model.index(0, 0, self.model.group_index(severity))
                self.tree.setCurrentIndex(first)
                self.tree.scrollTo(first)
                return

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._done()
        if isinstance(exc, PermissionDenied):
            self.notice.setText(exc.message)
            self.notice.show()
            self.kpis.set_kpis(None)
            self.model.set_findings([], {})
            self.detail.clear(exc.message)
            return
        show_error(self, exc)

    def _fill_ministries(
        self, choices: list[Choice], scopes: dict[SubjectKey, FindingScope]
    ) -> None:
        names = {c.key: c.label for c in choices}
        self.detail.ministry_names = dict(names)
        # A finding may belong to a ministry no longer active: it is still offered.
        for scope in scopes.values():
            for code in scope.ministries:
                names.setdefault(code, code)
        self.filter_bar.set_ministries(names)

    # -- filters -------------------------------------------------------------------------

    @Slot()
    def _on_filters_changed(self, *_args: Any) -> None:
        selected = self.selected_finding()
        self.model.set_filter(self.filter_bar.filters())
        if selected is not None:
            self._select(finding_key(selected))

    @Slot()
    def _on_model_reset(self) -> None:
        # A reset collapses the tree and forgets which rows span: the groups open again, in
        # one layout of the tree (expanding each group laid out every row again: ~25 ms each
        # on a thousand findings).
        for row in range(len(SEVERITIES)):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        self.filter_bar.show_counts(self.model.shown, self.model.total)
        if self.selected_finding() is None:
            self._show_empty_detail()

    def _show_empty_detail(self) -> None:
        if self.overview is None:
            self.detail.clear()
        elif not self.model.total:
            self.detail.clear(NO_FINDINGS)
        elif not self.model.shown:
            self.detail.clear("No finding matches the filters; clear them to see all.")
        else:
            self.detail.clear()

    # -- selection and opening -----------------------------------------------------------

    def selected_finding(self) -> Finding | None:
        rows = self.tree.selectionModel().selectedRows()
        return self.model.finding(rows[0]) if rows else None

    def _select(self, key: tuple[str, str, str]) -> bool:
        index = self.model.index_of(key)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, *_args: Any) -> None:
        finding = self.selected_finding()
        if finding is None:
            self._show_empty_detail()
            return
        self.detail.show_finding(finding, self.model.scope_of(finding))

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self._open(finding.subject_type, finding.subject_id)

    @Slot()
    def _on_open_current(self) -> None:
        finding = self.model.finding(self.tree.currentIndex())
        if finding is not None:
            self._open(finding.subject_type, finding.subject_id)

    @Slot(str, str)
    def _open(self, subject_type: str, subject_id: str) -> None:
        """Records with a tab of their own open there; the others stay in the detail pane."""
        if subject_type not in OPENABLE:
            return
        try:
            ident: uuid.UUID | str = uuid.UUID(subject_id)
        except ValueError:
            ident = subject_id
        self.open_record.emit(subject_type, ident)

    @Slot()
    def _on_refresh(self) -> None:
        self.refresh()
