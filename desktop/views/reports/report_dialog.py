"""The report dialog: which report, about what and which period, then a PDF generated off the
GUI thread and opened. The Reports menu's actions that open it are in ``report_actions``.
"""

from __future__ import annotations

import html
import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.policy.periods import HalfYear
from desktop.reports.service import generate_report
from desktop.reports.spec import ReportKind, ReportResult, ReportSpec
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import ServiceContext
from desktop.views.errors import clear_inline, show_inline
from desktop.views.worker import Progress, run_in_background

HALF_YEARS_OFFERED = 6
ALL_MINISTRIES = "All ministries"
PERSONAL_INFO_TIP = (
    "Names of commenters and the full text of comments appear in the report. Leave this "
    "unchecked to mask them: comment excerpts are then shown masked."
)


def default_half_year(kind: ReportKind, today: date) -> HalfYear:
    """The current half-year; an evaluation looks back at the last completed one."""
    current = HalfYear.containing(today)
    return current.previous() if kind is ReportKind.EVALUATION else current


def default_file_name(kind: ReportKind, period_label: str | None) -> str:
    """``portfolio-2026H2.pdf``; a date range or no period gives ``permissions.pdf``."""
    suffix = f"-{period_label}" if period_label and " " not in period_label else ""
    return f"{kind.value}{suffix}.pdf"


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


class ReportDialog(QDialog):
    """Choose a report, generate it in the background, then open it."""

    def __init__(
        self,
        ctx: ServiceContext,
        parent: QWidget | None = None,
        *,
        kind: ReportKind = ReportKind.PORTFOLIO,
        account_id: uuid.UUID | None = None,
        period: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportDialog")
        self.setWindowTitle("Generate report")
        self._wanted_account = account_id
        self._today = ctx.now().astimezone().date()
        self.last_result: ReportResult | None = None

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("reportKind")
        for k in ReportKind:
            self.kind_combo.addItem(k.label, k)
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("reportAccount")
        self.account_combo.setPlaceholderText("Loading accounts…")
        self.ministry_combo = QComboBox()
        self.ministry_combo.setObjectName("reportMinistry")
        self.ministry_combo.addItem(ALL_MINISTRIES, None)

        self.half_radio = QRadioButton("&Half-year")
        self.dates_radio = QRadioButton("&Dates")
        self.none_radio = QRadioButton("&No period (current snapshot only)")
        self.period_group = QButtonGroup(self)
        for radio in (self.half_radio, self.dates_radio, self.none_radio):
            self.period_group.addButton(radio)
        self.half_combo = QComboBox()
        self.half_combo.setObjectName("reportHalfYear")
        self._fill_half_years(period)
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        start = HalfYear.containing(self._today).start
        self.from_date.setDate(QDate(start.year, start.month, start.day))
        self.to_date.setDate(QDate(self._today.year, self._today.month, self._today.day))
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")

        self.personal_info = QCheckBox("Include &personal information")
        self.personal_info.setObjectName("reportPersonalInfo")
        self.personal_info.setToolTip(PERSONAL_INFO_TIP)

        half_row = QHBoxLayout()
        half_row.addWidget(self.half_radio)
        half_row.addWidget(self.half_combo, 1)
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.dates_radio)
        dates_row.addWidget(self.from_date, 1)
        dates_row.addWidget(QLabel("to"))
        dates_row.addWidget(self.to_date, 1)
        period_box = QVBoxLayout()
        period_box.setSpacing(4)
        period_box.addLayout(half_row)
        period_box.addLayout(dates_row)
        period_box.addWidget(self.none_radio)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Report", self.kind_combo)
        form.addRow("&Account", self.account_combo)
        form.addRow("&Ministry (optional)", self.ministry_combo)
        form.addRow("Period", period_box)
        form.addRow("", self.personal_info)
        for widget, name in (
            (self.kind_combo, "Report"),
            (self.account_combo, "Account"),
            (self.ministry_combo, "Ministry"),
            (self.half_combo, "Half-year"),
            (self.from_date, "From date"),
            (self.to_date, "To date"),
            (self.personal_info, "Include personal information"),
        ):
            widget.setAccessibleName(name)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.saved = QLabel()
        self.saved.setObjectName("reportSaved")
        self.saved.setWordWrap(True)
        self.saved.setTextFormat(Qt.TextFormat.RichText)
        self.saved.setOpenExternalLinks(True)
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.saved.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.generate_button = QPushButton("&Generate…")
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setDefault(True)
        self.generate_button.setEnabled(False)  # until the pickers are loaded
        self.buttons.addButton(self.generate_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.generate_button.clicked.connect(self._on_generate)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {
            "account": self.account_combo,
            "ministry": self.ministry_combo,
            "period": self.half_combo,
        }
        self.setMinimumWidth(520)

        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.half_radio.setChecked(True)
        self._on_kind_changed(preset_period=period is not None)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._on_kind_changed())
        self.period_group.buttonToggled.connect(lambda *_a: self._sync_period())
        self._load_choices()

    # -- state ---------------------------------------------------------------------------

    @property
    def kind(self) -> ReportKind:
        return ReportKind(self.kind_combo.currentData())

    def _fill_half_years(self, period: str | None) -> None:
        half = HalfYear.containing(self._today)
        offered = [half]
        for _ in range(HALF_YEARS_OFFERED - 1):
            offered.append(offered[-1].previous())
        if period:
            try:
                wanted = HalfYear.parse(period)
            except ValueError:
                wanted = None
            if wanted is not None and wanted not in offered:
                offered = sorted({*offered, wanted}, reverse=True)
        for h in offered:
            self.half_combo.addItem(h.label, h.label)
        if period:
            self.half_combo.setCurrentIndex(
                max(self.half_combo.findData(period.strip().upper()), 0)
            )

    def _on_kind_changed(self, *, preset_period: bool = False) -> None:
        kind = self.kind
        self.account_combo.setEnabled(kind.needs_account)
        # A report is about one account or (optionally) one ministry, never both.
        self.ministry_combo.setEnabled(not kind.needs_account)
        self.none_radio.setVisible(not kind.needs_period)
        # Only reports that quote comments or name commenters hold personal information.
        self.personal_info.setEnabled(kind.has_comments)
        self.personal_info.setToolTip(
            PERSONAL_INFO_TIP
            if kind.has_comments
            else "This report quotes no comment and names no commenter: nothing to mask."
        )
        if not kind.has_comments:
            self.personal_info.setChecked(False)
        if kind.needs_period and self.none_radio.isChecked():
            self.half_radio.setChecked(True)
        if not kind.needs_period:
            self.none_radio.setChecked(True)
        if not preset_period:
            label = default_half_year(kind, self._today).label
            index = self.half_combo.findData(label)
            if index >= 0:
                self.half_combo.setCurrentIndex(index)
        self._sync_period()

    def _sync_period(self) -> None:
        self.half_combo.setEnabled(self.half_radio.isChecked())
        for edit in (self.from_date, self.to_date):
            edit.setEnabled(self.dates_radio.isChecked())

    def spec(self) -> ReportSpec:
        """What the person chose, as the report service takes it."""
        kind = self.kind
        # Ids are kept as text: Qt cannot compare Python UUIDs when it looks one up.
        account_id = self.account_combo.currentData() if kind.needs_account else None
        ministry = None if kind.needs_account else self.ministry_combo.currentData()
        period = start = end = None
        if self.half_radio.isChecked():
            period = self.half_combo.currentData()
        elif self.dates_radio.isChecked():
            start, end = _day(self.from_date), _day(self.to_date)
        return ReportSpec(
            kind=kind,
            account=account_id or None,
            ministry=ministry,
            period=period,
            start=start,
            end=end,
            include_personal_info=self.personal_info.isChecked(),
        )

    def suggested_path(self) -> Path:
        spec = self.spec()
        label = spec.period
        if label is None and spec.start and spec.end:
            label = f"{spec.start.isoformat()}_{spec.end.isoformat()}"
        return documents_folder() / default_file_name(spec.kind, label)

    # -- loading the pickers -------------------------------------------------------------

    def _load_choices(self) -> None:
        choices = ChoiceService(self.ctx)

        def load(_progress: Progress) -> tuple[list[Choice], list[Choice]]:
            return choices.ministries(), choices.accounts()

        run_in_background(self, load, on_success=self._on_choices_loaded)

    def _on_choices_loaded(self, loaded: tuple[list[Choice], list[Choice]]) -> None:
        ministries, accounts = loaded
        for m in ministries:
            self.ministry_combo.addItem(f"{m.label} ({m.key})", m.key)
        self.account_combo.setPlaceholderText("Choose the account")
        for a in accounts:
            self.account_combo.addItem(f"{a.label} ({a.detail})", str(a.id))
        if self._wanted_account is not None:
            self.account_combo.setCurrentIndex(
                self.account_combo.findData(str(self._wanted_account))
            )
        self.generate_button.setEnabled(True)

    # -- generating ----------------------------------------------------------------------

    @Slot()
    def _on_generate(self) -> None:
        clear_inline(self.fields, self.error)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save the report as", str(self.suggested_path()), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(f"{chosen}.pdf")
        spec, ctx = self.spec(), self.ctx

        def work(p: Progress) -> ReportResult:
            # A cancelled report raises ReportCancelled, a Cancelled: no callback, no file.
            return generate_report(ctx, spec, path, progress=p.report, cancelled=p.is_cancelled)

        self.generate_button.setEnabled(False)
        self.saved.hide()
        task = run_in_background(
            self,
            work,
            on_success=self._on_generated,
            on_failure=self._on_failed,
            progress_label=f"Generating the {spec.kind.label.lower()} report",
            cancellable=True,
        )
        task.finished.connect(lambda: self.generate_button.setEnabled(True))

    def _on_generated(self, result: ReportResult) -> None:
        self.last_result = result
        url = QUrl.fromLocalFile(str(result.path))
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        shown = html.escape(str(result.path))
        link = f'<a href="{url.toString()}">{shown}</a>'
        self.saved.setText(f"Saved {result.title} ({pages}): {link}")
        self.saved.show()
        QDesktopServices.openUrl(url)

    def _on_failed(self, exc: BaseException) -> None:
        show_inline(self.fields, self.error, exc, self)


def _day(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def open_report_dialog(
    parent: QWidget | None,
    ctx: ServiceContext,
    kind: str = "portfolio",
    account_id: uuid.UUID | None = None,
    period: str | None = None,
) -> ReportDialog:
    """Show the dialog (not modal) preset to ``kind``, the account and the half-year."""
    dialog = ReportDialog(ctx, parent, kind=ReportKind(kind), account_id=account_id, period=period)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
