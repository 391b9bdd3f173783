"""A horizontal header that writes its labels bottom-to-top, so sixty account columns stay
narrow (one role label wide) and every handle is still readable without hovering."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

MAX_HEIGHT = 210  # taller handles are elided; the tooltip has the whole label
PADDING = 8
HEADER_TEXT = QColor("#3d444d")


class RotatedHeaderView(QHeaderView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)  # selects the column: the whole account
        self.setHighlightSections(True)

    def _font(self) -> QFont:
        # Regular weight: a bold rotated handle costs a tenth more height for no more clarity.
        return QFont(self.font())

    def _label(self, section: int) -> str:
        model = self.model()
        if model is None:
            return ""
        return str(model.headerData(section, self.orientation()) or "")

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = QFontMetrics(self._font())
        model = self.model()
        count = model.columnCount() if model is not None else 0
        longest = max((metrics.horizontalAdvance(self._label(i)) for i in range(count)), default=0)
        hint.setHeight(min(max(longest + 2 * PADDING, 60), MAX_HEIGHT))
        return hint

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        # The width a rotated label needs is one line of text, not the label's length.
        size = super().sectionSizeFromContents(logicalIndex)
        return QSize(self.fontMetrics().height() + 2 * PADDING, size.height())

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logicalIndex
        option.text = ""  # the label is drawn rotated below
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()

        metrics = QFontMetrics(self._font())
        room = rect.height() - 2 * PADDING
        text = metrics.elidedText(self._label(logicalIndex), Qt.TextElideMode.ElideRight, room)
        model = self.model()
        colour = model.headerData(
            logicalIndex, self.orientation(), Qt.ItemDataRole.ForegroundRole
        ) if model is not None else None  # fmt: skip
        painter.save()
        painter.setPen(colour if isinstance(colour, QColor) else HEADER_TEXT)
        painter.setFont(self._font())
        # Baseline centred in the column, text running up from the bottom edge.
        x = rect.left() + (rect.width() + metrics.ascent() - metrics.descent()) // 2
        painter.translate(x, rect.bottom() - PADDING)
        painter.rotate(-90)
        painter.drawText(0, 0, text)
        painter.restore()
