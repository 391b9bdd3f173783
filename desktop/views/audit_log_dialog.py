"""Tools ▸ Audit log: every change as people read it (who, what, which record, when),
filtered by person, kind of record, action, record name and dates, each opening its record;
and verifying the hash chain.

The history is one view in ``views``; another (say, changes made outside the app) is added
with ``add_view`` and appears as a tab beside it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services.audit import ChainReport
from desktop.services.audit_log import AuditChoices, AuditEntry, AuditLogService, AuditPage
from desktop.services.audit_service import AuditService
from desktop.services.checkpoints import CheckpointService, CheckpointView
from desktop.services.context import ServiceContext
from desktop.views.audit_log_filters import AuditLogFilters
from desktop.views.audit_log_model import (
    COL_RECORD,
    COL_WHAT,
    COL_WHEN,
    COL_WHO,
    AuditLogModel,
    EntryRole,
    who_text,
)
from desktop.views.errors import show_error
from desktop.views.local_time import format_when
from desktop.views.worker import Progress, run_in_background

NO_TAB = "No tab of the app shows this kind of record."


class AuditLogDialog(QDialog):
    # The person asked to see an entry's record: (entity type, id), as MainWindow.show_record.
    open_record = Signal(str, object)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = AuditService(ctx)
        self.log = AuditLogService(ctx)
        self._generation = 0
        self.outside: QListWidget | None = None
        self.setObjectName("auditLogDialog")
        self.setWindowTitle("Audit log")
        self.resize(1100, 680)
        self.setMinimumSize(900, 540)

        intro = QLabel(
            "Every change is recorded here: who made it, what they did, to which record, and "
            "when. Each entry is chained to the one before it and vouches for the records it "
            "wrote, so verifying finds a change to the log, and names every record changed, "
            "added or deleted outside the app."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.verify_button = QPushButton("&Verify the log and records")
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setProperty("role", "primary")
        self.verify_button.clicked.connect(self._on_verify)
        self.verify_result = QLabel("Not verified yet.")
        self.verify_result.setObjectName("verifyResult")
        self.verify_result.setWordWrap(True)
        self.verify_result.setAccessibleName("Verification result")
        self.checkpoint_button = QPushButton("&Sign a checkpoint")
        self.checkpoint_button.setObjectName("checkpointButton")
        self.checkpoint_button.setToolTip(
            "Sign the log as it stands now with your key (kept in your computer's keyring). "
            "Reports print the latest checkpoint; verifying holds the log against it."
        )
        self.checkpoint_button.clicked.connect(self._on_checkpoint)
        top = QHBoxLayout()
        top.addWidget(self.verify_button)
        top.addWidget(self.checkpoint_button)
        top.addWidget(self.verify_result, 1)

        self.views = QTabWidget()
        self.views.setObjectName("auditViews")
        self.views.setTabBarAutoHide(True)  # a tab bar once there is more than one view
        self.views.addTab(self._history(), "History of changes")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.views, 1)
        layout.addWidget(buttons)
        self._load_choices()
        self._load(None)

    def add_view(self, widget: QWidget, title: str) -> None:
        """Another way to look at the log, as a tab beside the history."""
        self.views.addTab(widget, title)

    # -- layout --------------------------------------------------------------------------

    def _history(self) -> QWidget:
        self.filters = AuditLogFilters()
        self.filters.changed.connect(lambda: self._load(None))
        self.model = AuditLogModel()
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName("Audit log entries")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in ((COL_WHEN, 215), (COL_WHO, 250), (COL_RECORD, 290)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)
        self.table.doubleClicked.connect(lambda _i: self._on_open())

        self.detail = QTextBrowser()
        self.detail.setObjectName("auditDetail")
        self.detail.setAccessibleName("The selected entry")
        self.detail.setMinimumHeight(60)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("auditSplitter")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.count = QLabel()
        self.count.setObjectName("auditCount")
        self.count.setProperty("role", "muted")
        self.older_button = QPushButton("Show &older")
        self.older_button.setObjectName("olderButton")
        self.older_button.clicked.connect(self._on_older)
        self.older_button.setEnabled(False)
        self.open_button = QPushButton("&Open the record")
        self.open_button.setObjectName("openRecordButton")
        self.open_button.clicked.connect(self._on_open)
        self.open_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.older_button)
        bottom.addWidget(self.open_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        return page

    # -- loading -------------------------------------------------------------------------

    def _load_choices(self) -> None:
        log = self.log
        run_in_background(
            self, lambda _p: log.choices(), on_success=self._on_choices, on_failure=self._failed
        )

    def _on_choices(self, choices: AuditChoices) -> None:
        self.filters.blockSignals(True)
        self.filters.set_choices(choices)
        self.filters.blockSignals(False)

    def _load(self, before_seq: int | None) -> None:
        self._generation += 1
        generation, log, ctx = self._generation, self.log, self.ctx
        wanted = self.filters.current()
        self.older_button.setEnabled(False)

        def fetch(_progress: Progress) -> tuple[AuditPage, str]:
            return log.page(wanted, before_seq=before_seq), ctx.settings().timezone

        def show(result: tuple[AuditPage, str]) -> None:
            if generation != self._generation:
                return  # the filters changed since
            page, timezone = result
            if before_seq is None:
                self.model.set_rows(page.entries, timezone)
                if page.entries:
                    self.table.selectRow(0)
                else:
                    self._show_entry(None)
            else:
                self.model.append_rows(page.entries)
            self.older_button.setEnabled(page.more)
            self._show_count(page.more)

        run_in_background(
            self,
            fetch,
            on_success=show,
            on_failure=self._failed,
            progress_label="Loading the audit log…",
            read=True,
        )

    def _show_count(self, more: bool) -> None:
        n = self.model.rowCount()
        what = "entry" if n == 1 else "entries"
        where = " matching the filters" if self.filters.is_filtered() else ""
        if n == 0:
            self.count.setText(f"No entries{where}.")
            return
        self.count.setText(
            f"{n:,} {what}{where}, newest first" + (" · older ones on request" if more else "")
        )

    def _failed(self, exc: BaseException) -> None:
        self.count.setText("Could not load the audit log.")
        show_error(self, exc)

    @Slot()
    def _on_older(self) -> None:
        self.older_button.setEnabled(False)
        self._load(self.model.oldest_seq())

    # -- the selected entry --------------------------------------------------------------

    def current_entry(self) -> AuditEntry | None:
        index = self.table.selectionModel().currentIndex()
        entry = index.data(EntryRole) if index.isValid() else None
        return entry if isinstance(entry, AuditEntry) else None

    @Slot(QItemSelection, QItemSelection)
    def _on_selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_entry(self.current_entry())

    def _show_entry(self, entry: AuditEntry | None) -> None:
        self.open_button.setEnabled(entry is not None and entry.open_type is not None)
        self.open_button.setToolTip("" if entry is None or entry.open_type else NO_TAB)
        if entry is None:
            self.detail.setHtml("<p style='color:#57606a'>Select an entry to see it here.</p>")
            return
        when = format_when(entry.occurred_at, self.model.timezone)
        lines = "".join(f"<li>{escape(line)}</li>" for line in entry.details)
        changes = f"<ul style='margin-left:-20px'>{lines}</ul>" if lines else ""
        self.detail.setHtml(
            f"<p><b>{escape(entry.what)}</b> · {escape(entry.record)}</p>"
            f"<p>{escape(who_text(entry))} · {escape(when)} "
            f"<span style='color:#57606a'>· entry {_entry_number(entry.seq)} "
            f"· login {escape(entry.login)}"
            f"</span></p>{changes}"
        )

    @Slot()
    def _on_open(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.open_type is None or entry.open_id is None:
            return
        self.open_record.emit(entry.open_type, entry.open_id)
        self.accept()

    # -- verifying -----------------------------------------------------------------------

    @Slot()
    def _on_verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_result.setText("Verifying…")
        service = self.service

        def verify(_progress: Progress) -> ChainReport:
            return service.verify()

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.verify_result.setText("Could not verify.")
            show_error(self, exc)

        run_in_background(
            self,
            verify,
            on_success=self._show_report,
            on_failure=failed,
            progress_label="Verifying the audit log…",
        )

    @Slot()
    def _on_checkpoint(self) -> None:
        self.checkpoint_button.setEnabled(False)
        service = CheckpointService(self.ctx)

        def sign(_progress: Progress) -> CheckpointView:
            return service.sign()

        def signed(checkpoint: CheckpointView) -> None:
            self.checkpoint_button.setEnabled(True)
            self.verify_result.setText(
                f"Checkpoint signed at entry #{checkpoint.seq:,} ({checkpoint.short_hash}). "
                "Keep it somewhere else too: smgov audit verify --checkpoint "
                f"{checkpoint.token} will show whether the log was changed since."
            )
            self._load(None)

        def failed(exc: BaseException) -> None:
            self.checkpoint_button.setEnabled(True)
            show_error(self, exc)

        run_in_background(
            self, sign, on_success=signed, on_failure=failed, progress_label="Signing…"
        )

    def _show_report(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        # The records changed outside the app go to their own list; the headline stays short.
        headline = [line for line in report.message.splitlines() if not line.startswith("  ")]
        self.verify_result.setText("\n".join(headline))
        self._show_outside_changes(report)
        self.verify_result.setProperty("severity", "ok" if report.ok else "critical")
        self.verify_result.style().unpolish(self.verify_result)
        self.verify_result.style().polish(self.verify_result)
        self.verify_result.setAlignment(Qt.AlignmentFlag.AlignVCenter)

    def _show_outside_changes(self, report: ChainReport) -> None:
        """A tab that names every record changed, added or deleted outside the app; a
        double-click opens the record where a tab of the app shows it."""
        if self.outside is None:
            self.outside = QListWidget()
            self.outside.setObjectName("outsideChanges")
            self.outside.setAccessibleName("Records changed outside the app")
            self.outside.itemDoubleClicked.connect(self._on_open_outside)
        self.outside.clear()
        index = self.views.indexOf(self.outside)
        if not report.records:
            if index >= 0:
                self.views.removeTab(index)
            return
        for change in report.records:
            item = QListWidgetItem(change.sentence)
            target = report.opens.get((change.table, change.record_id))
            item.setData(Qt.ItemDataRole.UserRole, target)
            item.setToolTip("Double-click to open it" if target else NO_TAB)
            self.outside.addItem(item)
        title = f"Changed outside the app ({len(report.records)})"
        if index < 0:
            index = self.views.addTab(self.outside, title)
        self.views.setTabText(index, title)
        self.views.setCurrentIndex(index)

    def _on_open_outside(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if not target:
            return
        self.open_record.emit(target[0], target[1])
        self.accept()


def _entry_number(seq: int | None) -> str:
    """The branch sequence number; an entry written offline has none until the hub takes it."""
    return f"{seq:,}" if seq is not None else "not yet synchronised"
