"""The import wizard: 1. choose a platform export file, 2. check the preview (the account it
lands on, the time zone of its times, what it would add or change, every rejected row),
3. import — in one transaction, or cancel and nothing is written."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.context import ServiceContext
from desktop.services.imports import is_comments_file
from desktop.services.imports.comments_import import CommentImportService, CommentPreview
from desktop.services.imports.metrics_import import MetricImportService, MetricPreview
from desktop.services.imports.model import MEASURE_LABELS
from desktop.views.worker import Progress, run_in_background

FILE_FILTER = (
    "Platform exports (*.csv *.xlsx *.xls *.zip *.json);;CSV (*.csv);;Excel (*.xlsx *.xls);;"
    "ZIP (*.zip);;JSON (*.json);;All files (*)"
)
ZONES = ("America/Regina", "America/Winnipeg", "America/Edmonton", "America/Toronto",
         "America/Vancouver", "America/Los_Angeles", "UTC")  # fmt: skip

Preview = MetricPreview | CommentPreview


class ImportDialog(QDialog):
    """Emits nothing: ``imported`` is True once a file was committed (the window refreshes)."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("importDialog")
        self.setWindowTitle("Import a platform export file")
        self.setMinimumSize(760, 560)
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.imported = False
        self.result_message = ""

        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText("A Meta, X, YouTube or LinkedIn export, or a comments file")
        browse = QPushButton("&Choose file…")
        browse.setObjectName("importBrowse")
        browse.clicked.connect(self._on_browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)

        self.format = QLabel("—")
        self.format.setObjectName("importFormat")
        self.format.setWordWrap(True)
        self.account = QComboBox()
        self.account.setObjectName("importAccount")
        self.account.activated.connect(self._on_options_changed)
        self.zone = QComboBox()
        self.zone.setObjectName("importZone")
        self.zone.setEditable(True)
        self.zone.addItems(list(ZONES))
        self.zone.setCurrentText(ctx.settings().timezone)
        self.zone.setToolTip("Times the file gives without a time zone are read in this zone.")
        self.zone.activated.connect(self._on_options_changed)
        self.counts = QLabel("Choose a file to see what it would import.")
        self.counts.setObjectName("importCounts")
        self.counts.setWordWrap(True)
        form = QFormLayout()
        form.addRow("File", file_row)
        form.addRow("Format", self.format)
        form.addRow("&Account", self.account)
        form.addRow("Time &zone", self.zone)
        form.addRow("Preview", self.counts)

        self.rejected_rows = QTableWidget(0, 2)
        self.rejected_rows.setObjectName("importRejected")
        self.rejected_rows.setHorizontalHeaderLabels(["Where", "Why the row was rejected"])
        self.rejected_rows.horizontalHeader().setStretchLastSection(True)
        self.rejected_rows.verticalHeader().setVisible(False)
        self.rejected_rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rejected_rows.setColumnWidth(0, 220)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("importNotes")
        self.notes.setReadOnly(True)
        self.notes.setPlaceholderText("Changes to numbers imported before, skipped rows, notes")
        self.skip_rejected = QCheckBox(
            "Import the other rows anyway (the rejected ones are left out)"
        )
        self.skip_rejected.setObjectName("importSkipRejected")
        self.skip_rejected.setVisible(False)
        self.skip_rejected.toggled.connect(self._update_buttons)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("importCommit")
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self._on_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        steps = QLabel("1. Choose the file  ›  2. Check the preview  ›  3. Import (one step, all "
                       "or nothing; Cancel writes nothing)")  # fmt: skip
        steps.setProperty("role", "hint")
        layout.addWidget(steps)
        layout.addLayout(form)
        layout.addWidget(QLabel("Rejected rows"))
        layout.addWidget(self.rejected_rows, 2)
        layout.addWidget(QLabel("Changes and notes"))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.skip_rejected)
        layout.addWidget(self.buttons)

    # -- choosing and previewing -----------------------------------------------------------

    @Slot()
    def _on_browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Choose an export file", "", FILE_FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        self.path = path
        self.file.setText(str(path))
        self.account.clear()
        self._refresh_preview()

    @Slot()
    def _on_options_changed(self) -> None:
        if self.path is not None:
            self._refresh_preview()

    def _chosen_account(self) -> uuid.UUID | None:
        # Item data holds the id as text: Qt compares text, not Python objects, in findData.
        data = self.account.currentData()
        return uuid.UUID(data) if isinstance(data, str) and data else None

    def _refresh_preview(self) -> None:
        path, account, zone, ctx = (
            self.path,
            self._chosen_account(),
            self.zone.currentText(),
            self.ctx,
        )
        assert path is not None
        self.import_button.setEnabled(False)
        self.counts.setText("Reading the file…")

        def work(_progress: Progress) -> Preview:
            if is_comments_file(path):
                return CommentImportService(ctx).preview(path, account, zone)
            return MetricImportService(ctx).preview(path, account, zone)

        run_in_background(
            self, work, on_success=self._show, on_failure=self._failed,
            progress_label="Reading the file…",
        )  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.preview = None
        self.format.setText("—")
        self.counts.setText(f"<b>This file cannot be imported.</b> {_html(str(exc))}")
        self.rejected_rows.setRowCount(0)
        self.notes.clear()
        self._update_buttons()

    def _show(self, preview: Preview) -> None:
        self.preview = preview
        parsed = preview.parsed
        version = getattr(parsed, "format_version", "")
        self.format.setText(f"{parsed.format_label}" + (f" ({version})" if version else ""))
        self._fill_accounts(preview)
        lines = [preview.counts_line()]
        if preview.earlier is not None:
            lines.append(preview.earlier.sentence(preview.zone))
        if isinstance(preview, CommentPreview):
            if preview.overdue:
                lines.append(f"{preview.overdue:,} of the new comments are already past due.")
            if preview.in_emergency:
                lines.append(f"{preview.in_emergency:,} fall in a declared emergency (24/7 clock).")
        self.counts.setText("<br>".join(_html(line) for line in lines))
        self.rejected_rows.setRowCount(len(parsed.errors))
        for row, error in enumerate(parsed.errors):
            self.rejected_rows.setItem(row, 0, QTableWidgetItem(str(error.where)))
            self.rejected_rows.setItem(row, 1, QTableWidgetItem(error.reason))
        self.notes.setPlainText("\n".join(_notes(preview)))
        self.skip_rejected.setVisible(bool(parsed.errors))
        self._update_buttons()

    def _fill_accounts(self, preview: Preview) -> None:
        self.account.blockSignals(True)
        self.account.clear()
        if isinstance(preview, MetricPreview):
            self.account.addItem("Choose the account…", None)
            for choice in preview.candidates:
                self.account.addItem(choice.label, str(choice.id))
        else:
            self.account.addItem("As the file says (template) / choose…", None)
            for choice in preview.candidates:
                self.account.addItem(choice.label, str(choice.id))
        chosen = preview.account.id if preview.account else None
        index = self.account.findData(str(chosen)) if chosen else 0
        self.account.setCurrentIndex(max(index, 0))
        self.account.blockSignals(False)

    @Slot()
    def _update_buttons(self) -> None:
        preview = self.preview
        ok = preview is not None and preview.earlier is None
        if preview is not None and preview.parsed.errors and not self.skip_rejected.isChecked():
            ok = False
        if isinstance(preview, MetricPreview) and self._chosen_account() is None:
            ok = False
        if isinstance(preview, CommentPreview) and preview.problems:
            ok = False
        self.import_button.setEnabled(ok)

    # -- committing ------------------------------------------------------------------------

    @Slot()
    def _on_import(self) -> None:
        preview, ctx, skip = self.preview, self.ctx, self.skip_rejected.isChecked()
        account = self._chosen_account()
        assert preview is not None
        self.import_button.setEnabled(False)

        def work(_progress: Progress) -> str:
            if isinstance(preview, MetricPreview):
                return MetricImportService(ctx).commit(preview, account, skip_rejected=skip).message
            return CommentImportService(ctx).commit(preview, skip_rejected=skip).message

        run_in_background(self, work, on_success=self._done, on_failure=self._failed_commit,
                          progress_label="Importing…")  # fmt: skip

    def _done(self, message: str) -> None:
        self.imported = True
        self.result_message = message
        self.accept()

    def _failed_commit(self, exc: BaseException) -> None:
        self.counts.setText(f"<b>Nothing was imported.</b> {_html(str(exc))}")
        self._update_buttons()


def _notes(preview: Preview) -> list[str]:
    parsed = preview.parsed
    notes = (
        [f"Changed: {line}" for line in preview.drift] if isinstance(preview, MetricPreview) else []
    )
    notes += [f"Skipped: {line}" for line in parsed.skipped]
    notes += [f"Note: {w}" for w in parsed.warnings]
    if isinstance(preview, MetricPreview):
        metrics = preview.parsed
        if metrics.measures:
            named = [MEASURE_LABELS.get(m, m) for m in metrics.measures]
            notes.append("Measures in the file: " + "; ".join(named))
        if preview.months:
            notes.append("Months updated: " + ", ".join(f"{m:%b %Y}" for m in preview.months))
        if metrics.unknown_columns:
            notes.append(
                "Columns the app does not know (ignored): " + ", ".join(metrics.unknown_columns)
            )
    else:
        notes += preview.problems
        if preview.replies_unmatched:
            notes.append(f"{preview.replies_unmatched:,} replies answer comments not in the log.")
    return notes


def _html(text: str) -> str:
    import html

    return html.escape(text)


def open_import_dialog(parent: QWidget, ctx: ServiceContext) -> Any:
    dialog = ImportDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    return dialog
