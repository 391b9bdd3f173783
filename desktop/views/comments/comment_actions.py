"""The row of actions over the comment log: enabled for people who may handle comments and
only when the selected comment's state allows, each disabled button saying why.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.enums import AppRole, CommentStatus
from desktop.services.authz import Permission, denial
from desktop.services.comment_log import CommentRow
from desktop.services.comment_work.scope import may_work_somewhere
from desktop.services.comments import WORKABLE
from desktop.services.context import Actor
from desktop.views.icons import icon

LOADING = "Loading who you are…"
PICK = "Select a comment in the list first."
SCOPED_NOTE = "Yours: the central @SKGov accounts; an emergency's accounts while on call."


def action_reasons(
    actor: Actor | None, row: CommentRow | None, refusal: str | None = None
) -> tuple[str | None, ...]:
    """Why each action is unavailable (None: available), in the order of the buttons:
    log, respond, acknowledge, assign, close, moderate, route. Mirrors the services' rules;
    ``refusal`` is why the actor may not work on the selected comment (its account)."""
    if actor is None:
        return (LOADING,) * 7
    refused = denial(actor.roles, Permission.HANDLE_COMMENTS)
    if refused and not may_work_somewhere(actor.roles):
        return (refused,) * 7
    if row is None:
        return (None, PICK, PICK, PICK, PICK, PICK, PICK)
    if refusal:
        return (None, *(refusal,) * 6)
    status = row.status.value
    respond = ack = assign = close = moderate = None
    if row.status not in WORKABLE:
        respond = f"This comment is {status}; it cannot be answered any more."
        assign = f"This comment is {status}; there is nothing left to assign."
        close = f"This comment is already {status}."
    if row.status != CommentStatus.NEW:
        ack = (
            "This comment was already acknowledged."
            if row.acknowledged_at is not None
            else f"This comment is {status}; only new comments are acknowledged."
        )
    if row.status in (CommentStatus.HIDDEN, CommentStatus.DELETED):
        moderate = f"This comment is already {status}."
    route = (
        None if row.status in WORKABLE else f"This comment is {status}; it is not routed any more."
    )
    return (None, respond, ack, assign, close, moderate, route)


def _button(text: str, name: str, shortcut: str = "", icon_name: str = "") -> QPushButton:
    button = QPushButton(icon(icon_name), text) if icon_name else QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    if shortcut:
        # A button's shortcut works only while it is shown: only on the Comments tab.
        button.setShortcut(QKeySequence(shortcut))
    return button


class CommentActionBar(QWidget):
    """The buttons (the tab connects their ``clicked``) and a read-only note for readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentActions")
        self.log_button = _button("&Log comment", "logCommentButton", "Ctrl+N", "add")
        self.log_button.setProperty("role", "primary")
        self.respond_button = _button("&Respond…", "respondButton", "Ctrl+R", "edit")
        self.ack_button = _button("Ac&knowledge", "acknowledgeButton")
        self.assign_button = _button("Assi&gn…", "assignButton")
        self.close_button = _button("&Close…", "closeButton")
        self.moderate_button = _button("Mo&derate…", "moderateButton", icon_name="warning")
        self.route_button = _button("Ro&ute…", "routeButton")
        self.route_button.setToolTip("Route the comment to another ministry")
        self.note = QLabel()
        self.note.setObjectName("permissionNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for button in self.buttons:
            layout.addWidget(button)
        layout.addSpacing(12)
        layout.addWidget(self.note, 4)
        layout.addStretch(1)
        self.reasons: tuple[str | None, ...] = action_reasons(None, None)
        self.show_for(None, None)

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.log_button,
            self.respond_button,
            self.ack_button,
            self.assign_button,
            self.close_button,
            self.moderate_button,
            self.route_button,
        )

    def show_for(
        self, actor: Actor | None, row: CommentRow | None, refusal: str | None = None
    ) -> None:
        self.reasons = action_reasons(actor, row, refusal)
        for button, reason in zip(self.buttons, self.reasons, strict=True):
            button.setEnabled(reason is None)
            button.setToolTip(reason or button.accessibleName())
        refused = self.reasons[0]
        general = denial(actor.roles, Permission.HANDLE_COMMENTS) if actor else None
        if refused and actor is not None:
            # One line here; the full sentence is in the tooltips of the buttons.
            held = ", ".join(r.label for r in AppRole if r in actor.roles) or "no role"
            self.note.setText(f"Read-only: you hold {held}. Point at a button to see who may act.")
            self.note.setToolTip(refused)
        elif general and actor is not None:
            self.note.setText(SCOPED_NOTE)
            self.note.setToolTip(general)
        else:
            self.note.setText(refused or "")
            self.note.setToolTip(refused or "")
        self.note.setVisible(bool(self.note.text()))
