"""Tools ▸ Bans: the proposed and running bans of the "3 strikes" rule, to approve or decline
(a decline ends the strike episode), lift early with a reason, or record as expired."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import BanStatus
from desktop.services.authz import Permission, denial
from desktop.services.comment_work.bans import BanListService, BanRow
from desktop.services.context import Actor, ServiceContext
from desktop.services.moderation import ModerationService
from desktop.views.worker import Progress, run_in_background

COLUMNS = ("Commenter", "Kind", "Status", "Proposed", "From", "Until", "Decided by", "Reason")
OPEN = (BanStatus.PROPOSED, BanStatus.ACTIVE)
WIDTHS = (210, 85, 150, 125, 125, 125, 120)  # the reason takes the rest


@dataclass(frozen=True)
class _Loaded:
    actor: Actor
    timezone: str
    rows: list[BanRow]


class BansDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.timezone = "America/Regina"
        self.rows: list[BanRow] = []
        self.changed = False
        self.setObjectName("bansDialog")
        self.setWindowTitle("Bans")
        self.resize(1100, 540)
        intro = QLabel(
            "After 3 instances of abuse a commenter may be banned for a while; a repeat "
            "offender may be removed for good. Decide the proposals, lift a ban early with a "
            "reason, and record temporary bans as expired once they end (then unblock the "
            "person on the platform)."
        )
        intro.setWordWrap(True)
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("banFilter")
        self.show_filter.setAccessibleName("Show")
        self.show_filter.addItem("Proposed and active bans", "open")
        self.show_filter.addItem("All bans", "all")
        self.show_filter.currentIndexChanged.connect(self._reload)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("bansTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # One line per ban; the reason is elided and whole in the tooltip.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate(WIDTHS):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.approve_button = QPushButton("&Approve")
        self.approve_button.setObjectName("approveBanButton")
        self.approve_button.clicked.connect(self._on_approve)
        self.decline_button = QPushButton("&Decline…")
        self.decline_button.setObjectName("declineBanButton")
        self.decline_button.clicked.connect(self._on_decline)
        self.lift_button = QPushButton("&Lift…")
        self.lift_button.setObjectName("liftBanButton")
        self.lift_button.clicked.connect(self._on_lift)
        self.expire_button = QPushButton("Record &ended bans as expired")
        self.expire_button.setObjectName("expireBansButton")
        self.expire_button.clicked.connect(self._on_expire)
        self.note = QLabel()
        self.note.setObjectName("bansNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.show_filter)
        top.addStretch(1)
        top.addWidget(self.expire_button)
        actions = QHBoxLayout()
        actions.addWidget(self.note, 1)
        for button in (self.approve_button, self.decline_button, self.lift_button):
            actions.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(close)
        self._update_buttons()
        self._reload()

    # -- loading -------------------------------------------------------------------------

    @Slot()
    def _reload(self, *_args: object) -> None:
        ctx = self.ctx
        statuses = OPEN if self.show_filter.currentData() == "open" else None

        def fetch(_p: Progress) -> _Loaded:
            return _Loaded(ctx.actor(), ctx.settings().timezone, BanListService(ctx).bans(statuses))

        run_in_background(self, fetch, on_success=self._show)

    def _show(self, loaded: _Loaded) -> None:
        self.actor, self.timezone, self.rows = loaded.actor, loaded.timezone, loaded.rows
        now = self.ctx.now()
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            status = r.status.value.capitalize()
            if r.past_end(now):
                status = "Active, past its end"
            values = (
                f"@{r.handle} ({r.platform.label})",
                r.kind.value.capitalize(),
                status,
                self._when(r.proposed_at),
                self._when(r.starts_at),
                self._when(r.ends_at) if r.ends_at else ("—" if r.starts_at else ""),
                r.decided_by,
                " ".join(r.reason.split()),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(r.reason if col == len(values) - 1 else value)
                self.table.setItem(i, col, item)
        self._update_buttons()

    def _when(self, value: Any) -> str:
        if not value:
            return ""
        return f"{value.astimezone(ZoneInfo(self.timezone)):%Y-%m-%d %H:%M}"

    def selected(self) -> BanRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        roles = self.actor.roles if self.actor else frozenset()
        refused = "Loading…" if self.actor is None else denial(roles, Permission.HANDLE_COMMENTS)
        row = self.selected()
        proposed = row is not None and row.status is BanStatus.PROPOSED
        active = row is not None and row.status is BanStatus.ACTIVE
        due = sum(1 for r in self.rows if r.past_end(self.ctx.now()))
        states = (
            (self.approve_button, proposed, "Select a proposed ban."),
            (self.decline_button, proposed, "Select a proposed ban."),
            (self.lift_button, active, "Select an active ban."),
            (self.expire_button, due > 0, "No temporary ban is past its end."),
        )
        for button, fits, why in states:
            button.setEnabled(refused is None and fits)
            button.setToolTip(refused or ("" if fits else why))
        if refused and self.actor is not None:
            self.note.setText("Read-only: deciding and lifting bans is for those who handle "
                              "comments.")  # fmt: skip
            self.note.setToolTip(refused)
        else:
            waiting = sum(1 for r in self.rows if r.status is BanStatus.PROPOSED)
            self.note.setText(
                f"{waiting} proposal{'s' if waiting != 1 else ''} to decide · "
                f"{due} ban{'s' if due != 1 else ''} past {'its' if due == 1 else 'their'} end."
            )

    # -- actions -------------------------------------------------------------------------

    def _run(self, work: Callable[[ModerationService], Any], done: str) -> None:
        service = ModerationService(self.ctx)

        def finished(_result: Any) -> None:
            self.changed = True
            self.note.setText(done)
            self._reload()

        run_in_background(self, lambda _p: work(service), on_success=finished)

    def _reason(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, title, label)
        return text if ok else None

    @Slot()
    def _on_approve(self) -> None:
        row = self.selected()
        if row is not None:
            self._run(lambda s: s.decide_ban(row.id, approve=True), "Ban approved.")

    @Slot()
    def _on_decline(self) -> None:
        row = self.selected()
        if row is None:
            return
        why = self._reason(
            "Decline the ban",
            f"Why is @{row.handle} not banned? (No new proposal until another strike.)",
        )
        if why is not None:
            self._run(lambda s: s.decide_ban(row.id, approve=False, reason=why), "Declined.")

    @Slot()
    def _on_lift(self) -> None:
        row = self.selected()
        if row is None:
            return
        why = self._reason("Lift the ban", f"Why is the ban of @{row.handle} lifted early?")
        if why is not None:
            self._run(lambda s: s.lift_ban(row.id, why), "Ban lifted.")

    @Slot()
    def _on_expire(self) -> None:
        now = self.ctx.now()
        self._run(lambda s: s.expire_bans(now), "Ended bans recorded as expired.")
