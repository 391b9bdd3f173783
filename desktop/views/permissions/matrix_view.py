"""The matrix table: people's names in the row header (which stays put while the accounts
scroll), accounts in a rotated column header, every column one role label wide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.enums import PageRole
from desktop.services.permission_matrix import role_label
from desktop.views.permissions.matrix_model import PermissionMatrixModel
from desktop.views.permissions.rotated_header import RotatedHeaderView


class MatrixTableView(QTableView):
    def __init__(self, model: PermissionMatrixModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("permissionsMatrix")
        self.setAccessibleName("Permission matrix: people by accounts")
        self.setModel(model)
        metrics = QFontMetrics(self.font())
        columns = RotatedHeaderView(self)
        self.setHorizontalHeader(columns)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns.setMinimumSectionSize(24)
        columns.setDefaultSectionSize(
            max(metrics.horizontalAdvance(role_label(r)) for r in PageRole) + 12
        )
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 10)
        rows.setMinimumWidth(160)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
