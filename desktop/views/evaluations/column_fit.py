"""Fit a table's columns to their contents and bold headers, one column taking the room left.

Qt's own fit-to-contents does not measure the stylesheet's bold, padded headers, and a
stretching column may shrink below its contents; this keeps every column readable.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

HEADER_PADDING = 22  # the stylesheet's 8 px each side, a border and a little air
CELL_PADDING = 4


class ColumnFitter(QObject):
    """Refits after every reset of the model and whenever the table is resized."""

    def __init__(self, table: QTableView, fill: int, fill_min: int | None = None) -> None:
        """``fill`` takes the room left, never less than its contents or ``fill_min``."""
        super().__init__(table)
        self.table = table
        self.fill = fill
        self.fill_min = fill_min
        self.widths: list[int] = []
        bold = QFont(table.horizontalHeader().font())
        bold.setBold(True)
        self._metrics = QFontMetrics(bold)
        table.model().modelReset.connect(self.fit)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        model, header = self.table.model(), self.table.horizontalHeader()
        self.widths = []
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            contents = self.table.sizeHintForColumn(column) + CELL_PADDING
            self.widths.append(
                max(contents, self._metrics.horizontalAdvance(title) + HEADER_PADDING)
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._spread()

    def _spread(self) -> None:
        header = self.table.horizontalHeader()
        if not self.widths:
            return
        others = sum(w for i, w in enumerate(self.widths) if i != self.fill)
        room = self.table.viewport().width() - others
        for column, width in enumerate(self.widths):
            header.resizeSection(column, max(width, room) if column == self.fill else width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The table may be half torn down when its viewport's last events arrive.
        resized = event.type() == QEvent.Type.Resize and watched is self._viewport
        if resized and shiboken6.isValid(self.table):
            self._spread()
        return False
