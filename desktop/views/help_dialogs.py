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
    QTextBrowser,
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


_HEADING_MAX = 70


def _is_heading(block: str) -> bool:
    """A paragraph of one short line, not a sentence or an item: a section title."""
    line = block.strip()
    return (
        "\n" not in line
        and 0 < len(line) <= _HEADING_MAX
        and not line.startswith(("-", "*", "<"))
        and not line[0].isdigit()
        and line[-1] not in ".,;:)"
        and line[0].isupper()
    )


def policy_markdown(text: str) -> str:
    """The policy text (plain, as published) as Markdown: its section titles as headings; its
    lists, bold words and links as they are written. A paragraph
    broken in two mid-sentence (a page break of the source) is joined again."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    joined: list[str] = []
    for block in blocks:
        if not block.strip():
            continue
        if (
            joined
            and block[:1].islower()
            and not _is_heading(joined[-1])
            and joined[-1].rstrip()[-1:] not in ".:;!?"
        ):
            joined[-1] = f"{joined[-1].rstrip()} {block.lstrip()}"
            continue
        joined.append(block)
    out = []
    for block in joined:
        if _is_heading(block):
            out.append(f"## {block.strip()}")
        else:
            # Sub-items written " - a. ..." under a numbered item: indented for Markdown.
            out.append(
                "\n".join(
                    "   " + line.lstrip() if line.startswith(" - ") else line
                    for line in block.splitlines()
                )
            )
    return "\n\n".join(out) + "\n"


class PolicyDialog(QDialog):
    """The policy text, formatted (titles, lists, links), read-only, with a find box."""

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
        self.text = QTextBrowser()
        self.text.setObjectName("policyText")
        self.text.setOpenExternalLinks(True)
        self.text.setAccessibleName("Policy text")
        self.text.document().setDocumentMargin(14)
        self.text.setMarkdown(policy_markdown(text))
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
