"""Tools ▸ Emergencies (and the banner's "Record…"): one emergency's record, with its two
on-call people named or changed while it runs and the group updates posted during it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import AppRole
from desktop.services.authz import Permission, can, denial
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import Actor, ServiceContext
from desktop.services.emergency_work.on_call import OnCallService
from desktop.services.emergency_work.record import (
    EmergencyRecord,
    EmergencyRecordService,
    EmergencySummary,
)
from desktop.views.directory.key_contacts_dialog import display_phone
from desktop.views.emergency_banner import kind_label
from desktop.views.emergency_record.group_update_dialog import (
    GroupUpdateDialog,
    update_kind_label,
)
from desktop.views.field_errors import FieldErrors, error_label
from desktop.views.local_time import format_when
from desktop.views.worker import Progress, run_in_background

NOBODY = "(not named yet)"
UPDATE_COLUMNS = ("Posted", "Kind", "By", "Update")


@dataclass(frozen=True)
class _Loaded:
    actor: Actor
    timezone: str
    emergencies: list[EmergencySummary]
    people: list[Choice]
    council: list[Choice]


class EmergencyRecordDialog(QDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        emergency_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.wanted = emergency_id
        self.record: EmergencyRecord | None = None
        self.actor: Actor | None = None
        self.timezone = "America/Regina"
        self._people: list[Choice] = []
        self.changed = False  # something was saved: the window refreshes the banner
        self.setObjectName("emergencyRecordDialog")
        self.setWindowTitle("Emergency record")
        self.resize(880, 720)

        self.chooser = QComboBox()
        self.chooser.setObjectName("emergencyChooser")
        self.chooser.setAccessibleName("Emergency")
        self.chooser.currentIndexChanged.connect(self._on_chosen)
        self.details = QLabel("Loading…")
        self.details.setObjectName("emergencyDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- on call -----------------------------------------------------------------------
        on_call_box = QGroupBox("On call (one from the ministry affected, one from the "
                                "Executive Council digital team)")  # fmt: skip
        self.on_call_ministry = QComboBox()
        self.on_call_ministry.setObjectName("onCallMinistry")
        self.on_call_ministry.setAccessibleName("On call from the ministry")
        self.on_call_council = QComboBox()
        self.on_call_council.setObjectName("onCallCouncil")
        self.on_call_council.setAccessibleName("On call from Executive Council")
        ministry_error = error_label("error_on_call_ministry_id")
        council_error = error_label("error_on_call_council_id")
        self.save_on_call_button = QPushButton("&Save on-call people")
        self.save_on_call_button.setObjectName("saveOnCallButton")
        self.save_on_call_button.clicked.connect(self._on_save_on_call)
        self.on_call_note = QLabel()
        self.on_call_note.setObjectName("onCallNote")
        self.on_call_note.setProperty("role", "muted")
        self.on_call_note.setWordWrap(True)
        self.on_call_error = error_label("onCallError")
        form = QFormLayout(on_call_box)
        form.addRow("&Ministry", _stack(self.on_call_ministry, ministry_error))
        form.addRow("Executive &Council", _stack(self.on_call_council, council_error))
        row = QHBoxLayout()
        row.addWidget(self.on_call_note, 1)
        row.addWidget(self.save_on_call_button)
        form.addRow(row)
        form.addRow(self.on_call_error)
        self.errors = FieldErrors.for_fields(
            {
                "on_call_ministry_id": (self.on_call_ministry, ministry_error),
                "on_call_council_id": (self.on_call_council, council_error),
            },
            self.on_call_error,
        )

        # -- group updates -----------------------------------------------------------------
        updates_box = QGroupBox("Group updates")
        self.updates = QTableWidget(0, len(UPDATE_COLUMNS))
        self.updates.setObjectName("groupUpdatesTable")
        self.updates.setHorizontalHeaderLabels(list(UPDATE_COLUMNS))
        self.updates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.updates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.updates.verticalHeader().hide()
        self.updates.setWordWrap(True)
        header = self.updates.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.post_button = QPushButton("&Post group update…")
        self.post_button.setObjectName("postGroupUpdateButton")
        self.post_button.clicked.connect(self._on_post_update)
        self.updates_note = QLabel()
        self.updates_note.setProperty("role", "muted")
        self.updates_note.setWordWrap(True)
        updates_layout = QVBoxLayout(updates_box)
        updates_layout.addWidget(self.updates)
        post_row = QHBoxLayout()
        post_row.addWidget(self.updates_note, 1)
        post_row.addWidget(self.post_button)
        updates_layout.addLayout(post_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QFormLayout()
        top.addRow("&Emergency", self.chooser)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(on_call_box)
        layout.addWidget(updates_box, 1)
        layout.addWidget(buttons)
        self._show(None)
        self._load()

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        ctx = self.ctx

        def fetch(_p: Progress) -> _Loaded:
            choices = ChoiceService(ctx)
            return _Loaded(
                ctx.actor(),
                ctx.settings().timezone,
                EmergencyRecordService(ctx).list(),
                choices.people(),
                choices.people(roles=[AppRole.EXEC_COUNCIL]),
            )

        run_in_background(self, fetch, on_success=self._fill)

    def _fill(self, loaded: _Loaded) -> None:
        self.actor = loaded.actor
        self.timezone = loaded.timezone
        self._people = loaded.people
        _fill_people(self.on_call_council, loaded.council)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for e in loaded.emergencies:
            when = "running" if e.ended_at is None else "ended"
            self.chooser.addItem(f"{e.title} — {kind_label(e.kind)} ({when})", e.id)
        self.chooser.blockSignals(False)
        if not loaded.emergencies:
            self.details.setText("No emergency has been declared.")
            return
        index = self.chooser.findData(self.wanted) if self.wanted else 0
        self.chooser.setCurrentIndex(max(index, 0))
        self._on_chosen()

    @Slot()
    def _on_chosen(self, *_args: object) -> None:
        emergency_id = self.chooser.currentData()
        if emergency_id is None:
            return
        service = EmergencyRecordService(self.ctx)
        run_in_background(self, lambda _p: service.record(emergency_id), on_success=self._show)

    def _show(self, record: EmergencyRecord | None) -> None:
        self.record = record
        self.errors.clear()
        if record is None:
            for widget in (self.save_on_call_button, self.post_button):
                widget.setEnabled(False)
            return
        tz = self.timezone
        covers = ", ".join([*record.ministries, *record.accounts]) or "nothing named"
        ended = (
            f"Ended {format_when(record.ended_at, tz)}"
            + (f" by {escape(record.ended_by)}" if record.ended_by else "")
            if record.ended_at
            else "<b>Running</b>: comments it covers are due around the clock"
        )
        self.details.setText(
            f"<b>{escape(record.title)}</b> — {kind_label(record.kind)}<br>"
            f"Declared {format_when(record.declared_at, tz)}"
            + (f" by {escape(record.declared_by)}" if record.declared_by else "")
            + f" · {ended}<br>Covers {escape(covers)} · "
            f"{record.comments} comment{'s' if record.comments != 1 else ''} on its 24/7 clock"
            + (f"<br>{escape(record.description)}" if record.description else "")
        )
        staff = [p for p in self._people if p.ministry_id in set(record.ministry_ids)]
        _fill_people(self.on_call_ministry, staff, record.on_call_ministry_id)
        _select(self.on_call_council, record.on_call_council_id)
        self._fill_updates(record)
        self._update_permissions(record)

    def _fill_updates(self, record: EmergencyRecord) -> None:
        self.updates.setRowCount(len(record.updates))
        for row, u in enumerate(record.updates):
            text = " · ".join(x for x in (u.text, u.link_url, display_phone(u.phone)) if x)
            cells = (
                format_when(u.posted_at, self.timezone),
                update_kind_label(u.kind, short=True),
                u.posted_by,
                text,
            )
            for col, value in enumerate(cells):
                self.updates.setItem(row, col, QTableWidgetItem(value))
        self.updates.resizeRowsToContents()
        if not record.updates:
            self.updates_note.setText("No group update yet.")
        else:
            n = len(record.updates)
            self.updates_note.setText(f"{n} group update{'s' if n != 1 else ''}.")

    def _update_permissions(self, record: EmergencyRecord) -> None:
        roles = self.actor.roles if self.actor else frozenset()
        ended = "" if record.running else "This emergency has ended."
        on_call = ended or denial(roles, Permission.EMERGENCY) or ""
        self.save_on_call_button.setEnabled(not on_call)
        for combo in (self.on_call_ministry, self.on_call_council):
            combo.setEnabled(not on_call)
        self.on_call_note.setText(on_call or "Change them at any time while it runs.")
        may_post = can(roles, Permission.EMERGENCY) or can(roles, Permission.HANDLE_COMMENTS)
        post = ended or (
            ""
            if may_post
            else "Posting a group update needs a role that handles comments or emergencies."
        )
        self.post_button.setEnabled(not post)
        self.post_button.setToolTip(post or "Post a statement, Q&A, infographic, phone or link")
        if post and record.updates:
            self.updates_note.setText(f"{self.updates_note.text()} {post}")
        elif post:
            self.updates_note.setText(post)

    # -- actions -------------------------------------------------------------------------

    @Slot()
    def _on_save_on_call(self) -> None:
        record = self.record
        if record is None:
            return
        self.errors.clear()
        ministry_id = _person(self.on_call_ministry)
        council_id = _person(self.on_call_council)
        service = OnCallService(self.ctx)

        def save(_p: Progress) -> Any:
            return service.set_on_call(record.id, ministry_id, council_id, version=record.version)

        def saved(_e: Any) -> None:
            self.changed = True
            self._on_chosen()

        run_in_background(
            self, save, on_success=saved, on_failure=lambda exc: self.errors.show(exc, self)
        )

    @Slot()
    def _on_post_update(self) -> None:
        record = self.record
        if record is None:
            return
        dialog = GroupUpdateDialog(self.ctx, record.id, record.title, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self._on_chosen()


def _fill_people(combo: QComboBox, people: list[Choice], selected: uuid.UUID | None = None) -> None:
    combo.clear()
    combo.addItem(NOBODY, None)
    for person in people:
        # Kept as text: a QVariant holding a Python object does not compare for findData.
        combo.addItem(f"{person.label} — {person.detail}" if person.detail else person.label)
        combo.setItemData(combo.count() - 1, str(person.id))
    _select(combo, selected)


def _select(combo: QComboBox, person_id: uuid.UUID | None) -> None:
    index = combo.findData(str(person_id)) if person_id is not None else 0
    combo.setCurrentIndex(max(index, 0))


def _person(combo: QComboBox) -> uuid.UUID | None:
    value = combo.currentData()
    return uuid.UUID(value) if value else None


def _stack(widget: QWidget, error: QLabel) -> QWidget:
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return cell
