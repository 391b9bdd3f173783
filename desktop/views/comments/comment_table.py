"""The comment log's table view: column widths that fit 1400 px, SQL sorting by header."""

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

# Fit 1400 px with room for the excerpt (it takes what is left); "Overdue 11h 12m" must not
# be cut.
COLUMN_WIDTHS = {
    COL_RECEIVED: 112,
    COL_ACCOUNT: 150,
    COL_MINISTRY: 80,
    COL_AUTHOR: 112,
    COL_EXCERPT: 240,
    COL_KIND: 88,
    COL_STATUS: 104,
    COL_ASSIGNEE: 112,
    COL_FLAGS: 92,
    COL_ACK_IN: 136,
    COL_ANSWER_IN: 136,
}


def comment_table(model: CommentLogModel) -> QTableView:
    """One row per comment, newest first; clicking a header asks the model to sort in SQL."""
    table = QTableView()
    table.setObjectName("commentsTable")
    table.setAccessibleName("Comment log")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    for column, width in COLUMN_WIDTHS.items():
        header.resizeSection(column, width)
    header.setSectionResizeMode(COL_EXCERPT, QHeaderView.ResizeMode.Stretch)
    # The indicator matches the model's default order, so enabling sorting reloads nothing.
    header.setSortIndicator(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    header.setSortIndicatorShown(True)
    table.setSortingEnabled(True)
    return table
