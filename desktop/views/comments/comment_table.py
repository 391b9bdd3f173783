"""The comment log's table view: the comment text the widest column on any screen (columns
of less use give way on a narrow one), compact rows, SQL sorting by header."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
    columns: ResponsiveColumns  # which columns show at the table's width


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
    return table
