"""Keep one column of a table the widest on any screen, as helpdesk inboxes keep the message.

When the table is too narrow for every column and a readable message, columns of less use are
hidden in a set order, and come back when there is room again. The header's context menu
shows or hides any column for good (the person's choice wins over the automatic one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Slot
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView


class ResponsiveColumns(QObject):
    """``stretch`` takes the room left and never gets less than ``min_stretch`` or the widest
    other column shown, while columns of ``drop_order`` can still be hidden."""

    def __init__(
        self,
        table: QTableView,
        stretch: int,
        widths: Mapping[int, int],
        drop_order: Sequence[int],
        min_stretch: int = 260,
    ) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = stretch
        self.widths = dict(widths)
        self.drop_order = list(drop_order)
        self.min_stretch = min_stretch
        self.chosen: dict[int, bool] = {}  # column -> shown, as the person chose
        self.dropped: list[int] = []  # hidden for want of room, right now
        header = table.horizontalHeader()
        for column, width in self.widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._on_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)

    def fit(self) -> None:
        """Hide what must go for the message to stay readable; show what fits again."""
        header = self.table.horizontalHeader()
        room = self._viewport.width()
        if room <= 0:
            return
        shown = {c for c in range(header.count()) if c != self.stretch and self.chosen.get(c, True)}
        dropped: list[int] = []
        for column in [None, *self.drop_order]:
            if column is not None:
                if column not in shown or column in self.chosen:
                    continue
                shown.discard(column)
                dropped.append(column)
            used = sum(self.widths.get(c, header.sectionSize(c)) for c in shown)
            widest = max((self.widths.get(c, 0) for c in shown), default=0)
            if room - used >= max(self.min_stretch, widest + 1):
                break
        self.dropped = dropped
        for c in range(header.count()):
            if c == self.stretch:
                continue
            hide = c not in shown
            if header.isSectionHidden(c) != hide:
                header.setSectionHidden(c, hide)
                if not hide:
                    header.resizeSection(c, self.widths.get(c, header.defaultSectionSize()))

    def hidden(self) -> list[int]:
        header = self.table.horizontalHeader()
        return [c for c in range(header.count()) if header.isSectionHidden(c)]

    @Slot(int, int, int)
    def _on_resized(self, column: int, _old: int, new: int) -> None:
        if column != self.stretch and new > 0:
            self.widths[column] = new

    @Slot(QPoint)
    def _menu(self, at: QPoint) -> None:
        header = self.table.horizontalHeader()
        model = self.table.model()
        menu = QMenu(header)
        menu.setObjectName("columnsMenu")
        for column in range(header.count()):
            if column == self.stretch:
                continue
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or column)
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: self.choose(c, on))
        menu.popup(header.mapToGlobal(at))

    def choose(self, column: int, shown: bool) -> None:
        """The person shows or hides a column; it then stays so whatever the width."""
        self.chosen[column] = shown
        self.table.horizontalHeader().setSectionHidden(column, not shown)
        if shown:
            self.table.horizontalHeader().resizeSection(column, self.widths.get(column, 100))
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and watched is self._viewport
            and shiboken6.isValid(self.table)
        ):
            self.fit()
        return False
