"""A list with its detail pane below, as in a helpdesk inbox: the list keeps a useful number of
rows in sight, the pane can be dragged taller or shorter, folded by dragging it down, or
hidden with a button (Ctrl+D); a taller window gives its extra height to the list.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QSplitter, QTableView, QToolButton, QWidget

from desktop.views.ui_state import UiState

PANE_MIN = 110  # the pane's least useful height (its text scrolls)


class ListDetail(QObject):
    """Owns the splitter (put ``splitter`` in the layout) and the "Details" button."""

    def __init__(
        self,
        owner: QWidget,
        table: QTableView,
        pane: QWidget,
        name: str,
        *,
        rows: int,
        pane_share: float = 0.4,
        top: QWidget | None = None,
    ) -> None:
        """``top`` is what goes above the pane when it is more than the table (a notice over
        it, say); ``rows`` is how many rows the table should keep in sight."""
        super().__init__(owner)
        self.owner = owner
        self.table = table
        self.pane = pane
        self.rows = rows
        self.pane_share = pane_share
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName(name)
        self.splitter.addWidget(top if top is not None else table)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)
        self.splitter.splitterMoved.connect(self._on_moved)
        self.button = QToolButton()
        self.button.setObjectName(f"{name}Details")
        self.button.setText("Details")
        self.button.setCheckable(True)
        self.button.setChecked(True)
        self.button.setShortcut(QKeySequence("Ctrl+D"))
        self.button.setToolTip("Show or hide the detail pane under the list (Ctrl+D)")
        self.button.setAccessibleName("Show the detail pane")
        self.button.toggled.connect(self.show_pane)
        self._split_done = False
        self.splitter.installEventFilter(self)

    def rows_height(self, rows: int | None = None) -> int:
        """The list's height that shows ``rows`` rows under its header."""
        header = self.table.horizontalHeader().sizeHint().height()
        frame = 2 * self.table.frameWidth()
        row = self.table.verticalHeader().defaultSectionSize()
        return header + (self.rows if rows is None else rows) * row + frame

    def visible_rows(self) -> int:
        """Whole rows the list shows now."""
        row = self.table.verticalHeader().defaultSectionSize()
        return self.table.viewport().height() // row if row else 0

    def split(self) -> None:
        """Share the height: the list keeps its rows in sight when it can, the pane gets the
        rest, but no more than its share and not less than PANE_MIN while there is room."""
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        self._split_done = True
        wanted = max(self.rows_height(), int(total * (1 - self.pane_share)))
        table = min(wanted, max(total - PANE_MIN, int(total * 0.55)))
        self.splitter.setSizes([table, total - table])

    @Slot(bool)
    def show_pane(self, shown: bool) -> None:
        if self.button.isChecked() != shown:
            self.button.setChecked(shown)  # comes back here through ``toggled``
            return
        self.pane.setVisible(shown)
        if shown and self.splitter.sizes()[1] == 0:
            self.split()

    @Slot(int, int)
    def _on_moved(self, _pos: int, _index: int) -> None:
        folded = self.splitter.sizes()[1] == 0  # dragged down to nothing
        if folded == self.button.isChecked():
            self.button.blockSignals(True)
            self.button.setChecked(not folded)
            self.button.blockSignals(False)

    def restore(self, state: UiState, prefix: str) -> None:
        """After the owner's splitters were restored: a saved split is the person's own."""
        self._split_done = state.restore_splitter(
            f"{prefix}.{self.splitter.objectName()}", self.splitter
        )
        self.show_pane(not state.flag(f"{prefix}.{self.splitter.objectName()}.hidden"))

    def save(self, state: UiState, prefix: str) -> None:
        state.set_flag(f"{prefix}.{self.splitter.objectName()}.hidden", not self.button.isChecked())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and watched is self.splitter
            and not self._split_done
            and self.button.isChecked()
        ):
            # After the splitter has laid its children out at the new size.
            QTimer.singleShot(0, self._first_split)
        return False

    def _first_split(self) -> None:
        if shiboken6.isValid(self.splitter) and not self._split_done and self.splitter.height():
            self.split()
