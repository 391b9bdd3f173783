"""Tools ▸ Settings: business hours and time zone, holidays and closures, the policy's
thresholds, the allowed e-mail domains (shared by the branch), and this workstation's storage.

The policy pages are generated from ``desktop.policy.settings`` (labels declared once) and are
read-only for people who may not change settings.
"""

from __future__ import annotations

import zoneinfo
from datetime import time
from typing import Any

from PySide6.QtCore import Qt, QTime, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import AppRole
from desktop.errors import DomainError
from desktop.policy.settings import SETTING_KEYS, SETTING_LABELS, PolicySettings
from desktop.services.authz import Permission, denial
from desktop.services.session import AppServices
from desktop.services.settings_service import SettingsService
from desktop.views.calendar_page import (
    Calendar,
    CalendarPage,
    SettingsApi,
    calendar_of,
    recompute_hooks,
)
from desktop.views.errors import clear_inline, show_inline
from desktop.views.storage_form import StorageForm
from desktop.views.worker import Progress, run_in_background

THRESHOLD_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Service levels",
        (
            "acknowledge_business_hours",
            "emergency_acknowledge_hours",
            "emergency_answer_hours",
            "due_soon_minutes",
            "comment_unassigned_hours",
        ),
    ),
    ("Accounts and access", ("password_rotation_days", "third_party_revoke_days")),
    ("Moderation", ("strike_threshold", "strike_window_days", "ban_days")),
    (
        "Goals, evaluations and approvals",
        (
            "evaluation_interval_months",
            "goals_validity_months",
            "engagement_window_months",
            "approval_stall_days",
        ),
    ),
)
CALENDAR_KEYS = ("timezone", "business_open", "business_close")
DOMAINS_KEY = "allowed_email_domains"


def _policy_keys() -> list[str]:
    grouped = {k for _title, keys in THRESHOLD_GROUPS for k in keys}
    return [k for k in SETTING_KEYS if k not in grouped and k not in CALENDAR_KEYS]


class SettingsDialog(QDialog):
    POLICY_PAGE = "hours"
    CALENDAR_PAGE = "calendar"
    THRESHOLDS_PAGE = "thresholds"
    DOMAINS_PAGE = "domains"
    STORAGE_PAGE = "storage"

    def __init__(
        self,
        app: AppServices,
        roles: frozenset[AppRole],
        parent: QWidget | None = None,
        *,
        page: str = POLICY_PAGE,
        service: SettingsApi | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.service = service if service is not None else SettingsService(app.ctx)
        self.denied = denial(roles, Permission.SETTINGS)
        self.loaded: PolicySettings | None = None
        self.policy_changed = False
        self.chosen_target: str | None = None
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.resize(780, 620)
        self.editors: dict[str, QWidget] = {}

        self.pages = QTabWidget()
        self.pages.setObjectName("settingsPages")
        self._page_index: dict[str, int] = {}
        self._add_page(self.POLICY_PAGE, "Business hours", self._hours_page())
        self.calendar = CalendarPage(
            self.service, app.ctx.now().date(), editable=self.denied is None
        )
        self.calendar.changing.connect(self._clear_errors)
        self.calendar.changed.connect(self._on_calendar_changed)
        self.calendar.failed.connect(self._show_failure)
        self._add_page(self.CALENDAR_PAGE, "Holidays and closures", self.calendar)
        self._add_page(self.THRESHOLDS_PAGE, "Thresholds", self._thresholds_page())
        self._add_page(self.DOMAINS_PAGE, "E-mail domains", self._domains_page())
        self.storage = StorageForm(app.target)
        self._add_page(self.STORAGE_PAGE, "Storage", self.storage)

        self.notice = QLabel(self.denied or "")
        self.notice.setObjectName("settingsNotice")
        self.notice.setProperty("role", "muted")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(self.denied))
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.save_button.setEnabled(False)  # until the current values are loaded
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        for editor in self.editors.values():
            editor.setEnabled(self.denied is None)
        self.show_page(page)
        self._load()

    # -- pages ---------------------------------------------------------------------------

    def _add_page(self, key: str, title: str, widget: QWidget) -> None:
        widget.setObjectName(f"page_{key}")
        self._page_index[key] = self.pages.addTab(widget, title)

    def show_page(self, key: str) -> None:
        self.pages.setCurrentIndex(self._page_index.get(key, 0))

    def _page_of(self, key: str) -> str:
        if key in CALENDAR_KEYS:
            return self.POLICY_PAGE
        if key == DOMAINS_KEY:
            return self.DOMAINS_PAGE
        if key in ("day", "reason"):
            return self.CALENDAR_PAGE
        if key == "database_url":
            return self.STORAGE_PAGE
        return self.THRESHOLDS_PAGE

    def _hours_page(self) -> QWidget:
        page = QWidget()
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        zones = sorted(zoneinfo.available_timezones())
        preferred = [z for z in zones if z.startswith(("America/Regina", "America/Winnipeg"))]
        self.timezone.addItems(preferred + [z for z in zones if z not in preferred])
        self.timezone.setMinimumWidth(280)
        self.opening = QTimeEdit()
        self.closing = QTimeEdit()
        for edit in (self.opening, self.closing):
            edit.setDisplayFormat("HH:mm")
            edit.setMinimumWidth(110)
        self.editors.update(
            {
                "timezone": self.timezone,
                "business_open": self.opening,
                "business_close": self.closing,
            }
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(SETTING_LABELS["timezone"], self.timezone)
        form.addRow(SETTING_LABELS["business_open"], self.opening)
        form.addRow(SETTING_LABELS["business_close"], self.closing)
        note = QLabel(
            "Business days are Monday to Friday, except Saskatchewan's public holidays and the "
            "closures on the next page. Comments are due within business hours; changing them "
            "recomputes the due times of open comments."
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _thresholds_page(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        defaults = PolicySettings()
        groups = [*THRESHOLD_GROUPS]
        others = tuple(k for k in _policy_keys() if k != DOMAINS_KEY)
        if others:
            groups.append(("Other", others))
        labels: list[QLabel] = []
        for title, keys in groups:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
            for key in keys:
                editor = _number_editor(getattr(defaults, key))
                editor.setObjectName(f"setting_{key}")
                editor.setAccessibleName(SETTING_LABELS[key])
                self.editors[key] = editor
                label = QLabel(SETTING_LABELS[key])
                label.setBuddy(editor)
                labels.append(label)
                form.addRow(label, editor)
            layout.addWidget(box)
        # One label column across the groups, so the fields line up from box to box.
        widest = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(widest)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _domains_page(self) -> QWidget:
        page = QWidget()
        self.domains = QPlainTextEdit()
        self.domains.setObjectName("setting_allowed_email_domains")
        self.domains.setAccessibleName(SETTING_LABELS[DOMAINS_KEY])
        self.editors[DOMAINS_KEY] = self.domains
        note = QLabel(
            "One domain a line. Accounts must be tied to an address on one of these domains or "
            "a subdomain of one; personal e-mail is refused."
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(SETTING_LABELS[DOMAINS_KEY]))
        layout.addWidget(self.domains, 1)
        layout.addWidget(note)
        return page

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        service, year = self.service, self.calendar.year.value()

        def fetch(_p: Progress) -> tuple[PolicySettings, Calendar]:
            return service.get(), calendar_of(service, year)

        run_in_background(
            self, fetch, on_success=self._fill, progress_label="Loading settings…", read=True
        )

    def _fill(self, loaded: tuple[PolicySettings, Calendar]) -> None:
        settings, calendar = loaded
        self.loaded = settings
        self.timezone.setCurrentText(settings.timezone)
        self.opening.setTime(QTime(settings.business_open.hour, settings.business_open.minute))
        self.closing.setTime(QTime(settings.business_close.hour, settings.business_close.minute))
        for key, editor in self.editors.items():
            if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                editor.setValue(getattr(settings, key))
        self.domains.setPlainText("\n".join(settings.allowed_email_domains))
        self.calendar.show_calendar(calendar)
        self.save_button.setEnabled(True)

    @Slot()
    def _clear_errors(self) -> None:
        clear_inline(self._fields(), self.error)

    @Slot()
    def _on_calendar_changed(self) -> None:
        self.policy_changed = True

    # -- saving --------------------------------------------------------------------------

    def _fields(self) -> dict[str, QWidget]:
        return {
            **self.editors,
            **self.calendar.fields,
            "database_url": self.storage.fields["database_url"],
        }

    def values(self) -> dict[str, Any]:
        """The policy values as shown now."""
        opening, closing = self.opening.time(), self.closing.time()
        values: dict[str, Any] = {
            "timezone": self.timezone.currentText().strip(),
            "business_open": time(opening.hour(), opening.minute()),
            "business_close": time(closing.hour(), closing.minute()),
            DOMAINS_KEY: tuple(
                line.strip().lower()
                for line in self.domains.toPlainText().splitlines()
                if line.strip()
            ),
        }
        for key, editor in self.editors.items():
            if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                values[key] = editor.value()
        return values

    def changes(self) -> dict[str, Any]:
        """Only what the person changed: untouched settings keep following the defaults."""
        if self.loaded is None or self.denied is not None:
            return {}
        return {
            key: value for key, value in self.values().items() if getattr(self.loaded, key) != value
        }

    def _show_failure(self, exc: BaseException) -> None:
        field = getattr(exc, "field", None)
        if field:
            self.show_page(self._page_of(field))
        show_inline(self._fields(), self.error, exc, self)

    @Slot()
    def _on_save(self) -> None:
        clear_inline(self._fields(), self.error)
        try:
            self.chosen_target = self.storage.apply()
        except DomainError as exc:
            self._show_failure(exc)
            return
        changes = self.changes()
        if not changes:
            self.accept()
            return
        service = self.service

        def save(progress: Progress) -> PolicySettings:
            return service.update(changes, **recompute_hooks(progress))

        def saved(_result: Any) -> None:
            self.policy_changed = True
            self.accept()

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self._show_failure(exc)

        self.save_button.setEnabled(False)
        run_in_background(
            self,
            save,
            on_success=saved,
            on_failure=failed,
            progress_label="Saving the settings and recomputing due times…",
            cancellable=True,
        )


def _number_editor(default: Any) -> QWidget:
    editor: QSpinBox | QDoubleSpinBox
    if isinstance(default, float):
        editor = QDoubleSpinBox()
        editor.setDecimals(2)
        editor.setSingleStep(0.25)
        editor.setRange(0.25, 10_000)
    else:
        editor = QSpinBox()
        editor.setRange(1, 100_000)
    editor.setFixedWidth(130)
    editor.setAlignment(Qt.AlignmentFlag.AlignRight)
    return editor
