"""A replica's sync in the window: the status bar's corner (online / offline since HH:MM /
N changes waiting / N conflicts), a background worker that syncs and backs off while the hub
is away (the GUI thread never waits for the network), "Sync now", and the conflicts dialog
(both versions field by field; keep mine or keep theirs, the choice audited)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desktop.sync.engine import Status
    from desktop.sync.service import ConflictView, SyncService

log = logging.getLogger(__name__)

INTERVAL_S = 15.0
MAX_BACKOFF_S = 300.0


class SyncWorker(QThread):
    """Syncs now and then on its own thread: every ``interval`` seconds while the hub answers,
    doubling the wait (up to five minutes) while it does not; ``wake()`` syncs at once."""

    status_changed = Signal(object)  # Status

    def __init__(
        self, service: SyncService, interval: float = INTERVAL_S, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.interval = interval
        self.delay = interval
        self._wake = threading.Event()
        self._stop = threading.Event()

    def wake(self) -> None:
        self.delay = self.interval
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.wait(15_000)

    def run(self) -> None:
        from desktop.errors import SmgovError

        while not self._stop.is_set():
            try:
                status = self.service.sync_once()
                self.delay = self.interval
            except SmgovError as exc:
                log.info("Sync: %s", exc)
                status = self.service.status()
                status.online = False
                self.delay = min(self.delay * 2, MAX_BACKOFF_S)
            except Exception:  # never let the thread die with the window open
                log.exception("Sync failed")
                status = self.service.status()
                status.online = False
                self.delay = min(self.delay * 2, MAX_BACKOFF_S)
            self.status_changed.emit(status)
            self._wake.wait(self.delay)
            self._wake.clear()


class SyncIndicator(QLabel):
    """The status bar's corner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Replica · connecting to the hub…", parent)
        self.setObjectName("statusSync")
        self.setAccessibleName("Sync with the shared database")

    def show_status(self, status: Status) -> None:
        self.setText(status.line())
        severity = "critical" if status.conflicts or status.blocked else ""
        if not severity and (not status.online or status.waiting):
            severity = "warning"
        self.setProperty("severity", severity)
        self.style().unpolish(self)
        self.style().polish(self)
        tip = [f"Replica of {status.hub} as {status.login}"]
        if status.last_sync is not None:
            tip.append(f"Last synced {status.last_sync.astimezone():%Y-%m-%d %H:%M}")
        self.setToolTip("\n".join(tip))


class ConflictsDialog(QDialog):
    """Open conflicts, one at a time: both versions field by field, the differing ones marked;
    "Keep mine", "Keep theirs", or "Combine": tick the differing fields to take from the hub's
    version and keep yours for the rest (each an audited change that syncs like any other)."""

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Conflicts with the shared database")
        self.resize(760, 460)
        self.intro = QLabel(
            "Someone changed these records on the shared database while you changed them "
            "here. Keep your version or theirs, or tick the fields to take from theirs and "
            "Combine; what is replaced is recorded in the audit log."
        )
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        self.list.setMaximumWidth(230)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictFields")
        self.table.setHorizontalHeaderLabels(["Field", "Yours (this computer)", "Theirs (hub)"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.keep_mine = QPushButton("Keep &mine")
        self.keep_mine.setObjectName("keepMine")
        self.keep_theirs = QPushButton("Keep &theirs")
        self.keep_theirs.setObjectName("keepTheirs")
        self.combine = QPushButton("&Combine")
        self.combine.setObjectName("combine")
        self.combine.setToolTip(
            "Keep your version, with the ticked fields taken from theirs (tick them in the "
            "Theirs column)."
        )
        self.keep_mine.clicked.connect(lambda: self._resolve(True))
        self.keep_theirs.clicked.connect(lambda: self._resolve(False))
        self.combine.clicked.connect(self._combine)
        self.table.itemChanged.connect(self._update_combine)
        self._field_names: list[str] = []
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list)
        row.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.keep_mine)
        actions.addWidget(self.keep_theirs)
        actions.addWidget(self.combine)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row, 1)
        layout.addLayout(actions)
        self.list.currentRowChanged.connect(self._show)
        self.conflicts: list[ConflictView] = []
        self.reload()

    def reload(self) -> None:
        self.conflicts = self.service.conflicts()
        self.list.clear()
        for c in self.conflicts:
            item = QListWidgetItem(f"{c.title}\n{c.detected_at.astimezone():%Y-%m-%d %H:%M}")
            self.list.addItem(item)
        has = bool(self.conflicts)
        self.keep_mine.setEnabled(has)
        self.keep_theirs.setEnabled(has)
        self.combine.setEnabled(False)
        if has:
            self.list.setCurrentRow(0)
        else:
            self.table.setRowCount(0)
            self.intro.setText("No conflicts: everything you changed reached the hub.")

    @Slot(int)
    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.conflicts):
            return
        c = self.conflicts[index]
        self.table.blockSignals(True)
        self.table.setRowCount(len(c.fields))
        marked = QBrush(QColor("#fff3cd"))
        # The fields that differ first: they are what the person decides on.
        fields = sorted(c.fields, key=lambda f: not f.differs)
        self._field_names = [f.name for f in fields]
        combinable = c.mine_exists and c.theirs_exists
        for r, f in enumerate(fields):
            label = f.name.removesuffix("_id").replace("_", " ")
            cells = [QTableWidgetItem(label), QTableWidgetItem(f.mine)]
            cells.append(QTableWidgetItem(f.theirs))
            for col, cell in enumerate(cells):
                cell.setToolTip(cell.text())
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                if f.differs:
                    cell.setBackground(marked)
                    if col == 0:
                        cell.setText(f"● {cell.text()}")
                self.table.setItem(r, col, cell)
            if f.differs and combinable:
                # Ticked: this field takes the hub's value when combining.
                theirs = cells[2]
                theirs.setFlags(theirs.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                theirs.setCheckState(Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self._update_combine()

    def ticked_fields(self) -> list[str]:
        """The fields ticked in the Theirs column: taken from the hub when combining."""
        out = []
        for r, name in enumerate(self._field_names):
            item = self.table.item(r, 2)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(name)
        return out

    @Slot()
    def _update_combine(self, *_args: object) -> None:
        self.combine.setEnabled(bool(self.ticked_fields()))

    def _combine(self) -> None:
        index = self.list.currentRow()
        if not 0 <= index < len(self.conflicts):
            return
        from desktop.errors import SmgovError

        try:
            self.service.combine(self.conflicts[index].id, self.ticked_fields())
        except SmgovError as exc:
            QMessageBox.warning(self, "Conflict", str(exc))
        self.reload()

    def _resolve(self, keep_mine: bool) -> None:
        index = self.list.currentRow()
        if not 0 <= index < len(self.conflicts):
            return
        from desktop.errors import SmgovError

        try:
            self.service.resolve(self.conflicts[index].id, keep_mine)
        except SmgovError as exc:
            QMessageBox.warning(self, "Conflict", str(exc))
        self.reload()


class SyncControls:
    """Everything a replica adds to the main window, attached once the database is open."""

    def __init__(self, window: QWidget, status_bar: QStatusBar, service: SyncService) -> None:
        self.window = window
        self.service = service
        self.indicator = SyncIndicator()
        status_bar.addPermanentWidget(self.indicator)
        self.indicator.show_status(service.status())
        self.worker = SyncWorker(service, parent=window)
        self.worker.status_changed.connect(self.indicator.show_status)
        self.action_sync = QAction("&Sync now", window)
        self.action_sync.setObjectName("actionSyncNow")
        self.action_sync.setShortcut("F9")
        self.action_sync.triggered.connect(self.sync_now)
        self.action_conflicts = QAction("Sync &conflicts…", window)
        self.action_conflicts.setObjectName("actionSyncConflicts")
        self.action_conflicts.triggered.connect(self.show_conflicts)
        window.addAction(self.action_sync)
        self.worker.start()

    def sync_now(self) -> None:
        self.indicator.setText("Syncing…")
        self.worker.wake()

    def show_conflicts(self) -> None:
        dialog = ConflictsDialog(self.service, self.window)
        dialog.exec()
        self.indicator.show_status(self.service.status())
        self.worker.wake()

    def close(self) -> None:
        self.worker.stop()
        self.service.close()
