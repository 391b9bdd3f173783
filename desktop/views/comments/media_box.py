"""The "includes an image or video" part of the respond dialog: what the media is, where it
comes from, on what permission it is used, and the copyright acknowledgement."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import MediaKind, MediaPermission
from desktop.services.reply_media.media import ACKNOWLEDGEMENT, MediaInput
from desktop.views.field_errors import error_label


class MediaBox(QGroupBox):
    """Checkable: unchecked, the reply has no image or video and nothing is asked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The reply includes an image or video", parent)
        self.setObjectName("replyMedia")
        self.setCheckable(True)
        self.setChecked(False)
        self.kind = QComboBox()
        self.kind.setObjectName("mediaKind")
        self.kind.setAccessibleName("Image or video")
        self.kind.addItem("Image", MediaKind.IMAGE)
        self.kind.addItem("Video", MediaKind.VIDEO)
        self.description = QLineEdit()
        self.description.setObjectName("mediaDescription")
        self.description.setAccessibleName("What it shows")
        self.description.setPlaceholderText("e.g. Map of the road closures near Estevan")
        self.source = QLineEdit()
        self.source.setObjectName("mediaSource")
        self.source.setAccessibleName("Source")
        self.source.setPlaceholderText("Who made it, or where it comes from")
        self.permission = QComboBox()
        self.permission.setObjectName("mediaPermission")
        self.permission.setAccessibleName("Permission")
        for permission in MediaPermission:
            self.permission.addItem(permission.label, permission)
        self.acknowledged = QCheckBox(
            "I &confirm it is used with permission, or its source is cited in the reply"
        )
        self.acknowledged.setObjectName("mediaAcknowledged")
        self.acknowledged.setToolTip(ACKNOWLEDGEMENT)
        self.errors: dict[str, tuple[QWidget, QLabel]] = {
            "media_description": (self.description, error_label("mediaDescriptionError")),
            "media_source": (self.source, error_label("mediaSourceError")),
            "media_acknowledged": (self.acknowledged, error_label("mediaAcknowledgedError")),
        }
        self.body = QWidget()
        grid = QGridLayout(self.body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        choices: tuple[tuple[str, QWidget], ...] = (
            ("&Kind", self.kind),
            ("Pe&rmission", self.permission),
        )
        for column, (text, choice) in enumerate(choices):
            label = QLabel(text)
            label.setBuddy(choice)
            grid.addWidget(label, 0, 2 * column)
            grid.addWidget(choice, 0, 2 * column + 1)
        for row, (text, field) in enumerate(
            (("&Shows", "media_description"), ("S&ource", "media_source")), start=1
        ):
            entry, error = self.errors[field]
            label = QLabel(text)
            label.setBuddy(entry)
            grid.addWidget(label, row, 0)
            grid.addWidget(_with_error(entry, error), row, 1, 1, 3)
        grid.addWidget(self.acknowledged, 3, 0, 1, 4)
        grid.addWidget(self.errors["media_acknowledged"][1], 4, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        # Unticked, the reply has no media and the box takes one line.
        self.body.setVisible(False)
        self.toggled.connect(self.body.setVisible)

    def items(self) -> list[MediaInput]:
        if not self.isChecked():
            return []
        return [
            MediaInput(
                kind=self.kind.currentData(),
                description=self.description.text(),
                source=self.source.text(),
                permission=self.permission.currentData(),
                acknowledged=self.acknowledged.isChecked(),
            )
        ]


def _with_error(widget: QWidget, error: QLabel) -> QWidget:
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(widget)
    box.addWidget(error)
    return cell
