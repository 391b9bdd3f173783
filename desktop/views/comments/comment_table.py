"""The comment log's table view: the comment text the widest column on any screen (columns
of less use give way on a narrow one), compact rows, SQL sorting by header."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from desktop.views.comments.comment_log_model import (
    COL_ACCOUNT,
    COL_ACK_IN,
    COL_ANSWER_IN,
    COL_ASSIGNEE,
    COL_AUTHOR,
    COL_EXCERPT,
    COL_FLAGS,
    COL_KIND,
    COL_MINISTRY,
    COL_RECEIVED,
    COL_STATUS,
    CommentLogModel,
)
from desktop.views.responsive_columns import ResponsiveColumns

# The excerpt takes what is left; "Overdue 11h 12m" and the bold headers must not be cut.
COLUMN_WIDTHS = {
    COL_RECEIVED: 104,
    COL_ACCOUNT: 156,
    COL_MINISTRY: 72,
    COL_AUTHOR: 124,
    COL_KIND: 88,
    COL_STATUS: 108,
    COL_ASSIGNEE: 124,
    COL_FLAGS: 96,
    COL_ACK_IN: 132,
    COL_ANSWER_IN: 116,
}
# Hidden in this order when the window is too narrow for them and a readable comment: the
# ministry is in the account, the kind and the assignee in the detail pane.
DROP_ORDER = (COL_MINISTRY, COL_KIND, COL_FLAGS, COL_ASSIGNEE, COL_AUTHOR)
MIN_EXCERPT = 260
ROW_HEIGHT = 24


class CommentTableView(QTableView):
    """Scrolls a window of pages: at its top the page before is fetched, and rows that enter
    or leave above the viewport move the scroll bar so the rows in sight stay put. Ctrl+Home
    and Ctrl+End go to the list's start and end, not the window's."""

    columns: ResponsiveColumns  # which columns show at the table's width

    def window_model(self) -> CommentLogModel:
        model = self.model()
        assert isinstance(model, CommentLogModel)
        return model

    def watch_window(self) -> None:
        model = self.window_model()
        model.rowsInserted.connect(self._rows_inserted)
        model.rowsRemoved.connect(self._rows_removed)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _shift(self, rows: int) -> None:
        self.updateGeometries()  # the scroll bar's range must include the new rows first
        bar = self.verticalScrollBar()
        per_pixel = self.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerPixel
        bar.setValue(
            bar.value() + rows * (self.verticalHeader().defaultSectionSize() if per_pixel else 1)
        )

    def _rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        model = self.window_model()
        if first == 0 and model.rowCount() > last + 1:  # a page before the window
            self._shift(last + 1)

    def _rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        if first == 0 and self.window_model().trimming:
            self._shift(-(last + 1))

    def _scrolled(self, value: int) -> None:
        model = self.window_model()
        if value <= self.verticalScrollBar().minimum() and model.can_fetch_previous:
            model.fetch_previous()

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model = self.window_model()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            if cursorAction == QAbstractItemView.CursorAction.MoveEnd and (
                model.canFetchMore(QModelIndex()) or model.loading
            ):
                model.jump_to_end()
                return QModelIndex()
            if cursorAction == QAbstractItemView.CursorAction.MoveHome and (
                model.first_row != 0 or model.can_fetch_previous
            ):
                model.jump_to_start()
                return QModelIndex()
        return super().moveCursor(cursorAction, modifiers)


def comment_table(model: CommentLogModel) -> CommentTableView:
    """One row per comment, newest first; clicking a header asks the model to sort in SQL."""
    table = CommentTableView()
    table.setObjectName("commentsTable")
    table.setAccessibleName("Comment log")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    table.columns = ResponsiveColumns(table, COL_EXCERPT, COLUMN_WIDTHS, DROP_ORDER, MIN_EXCERPT)
    # The indicator matches the model's default order, so enabling sorting reloads nothing.
    header.setSortIndicator(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    header.setSortIndicatorShown(True)
    table.setSortingEnabled(True)
    table.watch_window()
    return table
