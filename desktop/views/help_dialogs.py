"""Help ▸ About and Help ▸ Social media policy (the policy text shipped in desktop/resources)."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.resources import resource_path
from desktop.services.session import AppServices
from desktop.storage.paths import app_paths
from desktop.version import app_version
from desktop.views.icons import icon

log = logging.getLogger(__name__)


def about_box(parent: QWidget | None, app: AppServices) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About Social Media Governance Desk")
    box.setIconPixmap(icon("app").pixmap(64, 64))
    box.setText(
        "<b>Social Media Governance Desk</b><br>"
        f"Version {html.escape(app_version())}<br><br>"
        "Governs the Government of Saskatchewan's official social media accounts by its "
        "social media policy and guidelines."
    )
    box.setInformativeText(
        f"Database: {html.escape(app.target.label)} ({app.mode})<br>"
        f"Acting as: {html.escape(app.ctx.login)}<br>"
        f"Log file: {html.escape(str(app_paths().log_file))}"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


class PolicyDialog(QDialog):
    """The policy text, read-only, with a find box."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyDialog")
        self.setWindowTitle("Social media policy and guidelines")
        self.resize(820, 700)
        self.find_box = QLineEdit()
        self.find_box.setObjectName("policyFind")
        self.find_box.setPlaceholderText("Find in the policy (Enter for the next match)")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setAccessibleName("Find in the policy")
        self.find_box.returnPressed.connect(self._on_find)
        self.not_found = QLabel("")
        self.not_found.setProperty("role", "muted")
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("policyText")
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Policy text")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        search = QHBoxLayout()
        search.addWidget(self.find_box, 1)
        search.addWidget(self.not_found)
        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    @staticmethod
    def path() -> Path:
        return resource_path("policy", "social-media-policy.txt")

    @classmethod
    def load(cls, parent: QWidget | None = None) -> PolicyDialog | None:
        """None when the text is not installed (the caller says so instead)."""
        try:
            text = cls.path().read_text(encoding="utf-8")
        except OSError as exc:
            log.warning("Policy text unavailable: %s", exc)
            return None
        return cls(text, parent)

    @Slot()
    def _on_find(self) -> None:
        needle = self.find_box.text()
        if not needle:
            return
        found = self.text.find(needle)
        if not found:  # wrap around to the top once
            cursor = self.text.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.text.setTextCursor(cursor)
            found = self.text.find(needle, QTextDocument.FindFlag(0))
        self.not_found.setText("" if found else "Not found")
