"""The GUI reaching issue 14's approval and default rules: official content and personal-name
requests, the personal names register, images and video in a reply, the international default.

Set SMGOV_SHOTS to a folder to keep a PNG of each dialog as drawn.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QRadioButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.enums import (
    AccountStatus,
    ApprovalKind,
    ApprovalState,
    MediaPermission,
    Platform,
)
from desktop.models import Approval, ResponseMedia
from desktop.resources import resource_path
from desktop.services.account_list import AccountListService
from desktop.services.approval_tracker import TrackerRow
from desktop.services.approvals import ApprovalService
from desktop.services.approvals_flow.personal_names import PersonalNameService
from desktop.services.comment_log import CommentLogService
from desktop.services.comments import CommentService
from desktop.views.accounts.account_dialog import AccountDialog
from desktop.views.approvals.approvals_tab import ApprovalsTab
from desktop.views.approvals.new_request_dialog import NewRequestDialog
from desktop.views.approvals.personal_names_dialog import PersonalNamesDialog
from desktop.views.approvals.tracker_model import COL_AGE, ApprovalTrackerModel
from desktop.views.comments.respond_dialog import RespondDialog
from tests.factories import Cast
from tests.views.conftest import wait_for_tasks


def _styled(widget: QWidget) -> None:
    """As the app draws it: its stylesheet and 10 pt text."""
    qss = resource_path("style", "app.qss").read_text(encoding="utf-8")
    widget.setStyleSheet(qss.replace("@ICONS@", resource_path("icons").as_posix()))
    font = QFont(widget.font())
    font.setPointSize(10)
    widget.setFont(font)


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SMGOV_SHOTS")
    if folder:
        assert widget.grab().save(str(Path(folder) / f"{name}.png"))


def _tab(cast: Cast, qtbot: QtBot, who: str) -> ApprovalsTab:
    tab = ApprovalsTab(cast.ctx(who))
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    tab.refresh()
    wait_for_tasks(qtbot)
    return tab


def test_an_officer_asks_for_official_content_approval(
    cast: Cast, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast.account()
    seen: list[str] = []

    def run(dialog: NewRequestDialog) -> int:
        _styled(dialog)
        qtbot.waitUntil(dialog.save_button.isEnabled)
        seen.append(dialog.subject.currentText())
        assert dialog.text is not None
        dialog.text.setPlainText("Flu clinics open Monday: times and places, with a map.")
        _shot(dialog, "official-content-request")
        dialog.save_button.click()
        wait_for_tasks(qtbot)
        return int(dialog.result())

    monkeypatch.setattr(NewRequestDialog, "exec", run)
    tab = _tab(cast, qtbot, "officer")
    action = tab.new_actions[ApprovalKind.OFFICIAL_CONTENT]
    assert action.isEnabled()
    action.trigger()
    wait_for_tasks(qtbot)
    assert seen == ["Facebook @SKHealth (HEA)"]
    assert tab.detail is not None
    assert (tab.detail.kind, tab.detail.state) == (
        ApprovalKind.OFFICIAL_CONTENT,
        ApprovalState.DRAFT,
    )
    assert [s.label for s in tab.detail.steps] == [
        "Ministry Director of Communications",
        "Minister's Office",
        "Executive Council",
    ]


def test_a_staff_member_asks_for_a_personal_name_and_sees_the_register(
    cast: Cast, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(dialog: NewRequestDialog) -> int:
        _styled(dialog)
        qtbot.waitUntil(dialog.save_button.isEnabled)
        assert dialog.subject.currentText() == "Officer Person (HEA)"
        assert dialog.subject.count() == 1  # for oneself
        assert dialog.platform is not None
        assert dialog.handle is not None
        dialog.platform.setCurrentIndex(dialog.platform.findData(Platform.INSTAGRAM))
        dialog.handle.setText("Olive At SKGov")
        assert dialog.text is not None
        dialog.text.setPlainText("I share my team's flu clinic photos on my own account.")
        _shot(dialog, "personal-name-request")
        dialog.save_button.click()  # a name with spaces
        wait_for_tasks(qtbot)
        assert dialog.error.text() == "Give the account name as one word, e.g. JaneAtSKGov."
        assert dialog.handle.property("invalid")
        dialog.handle.setText("OliveAtSKGov")
        dialog.save_button.click()
        wait_for_tasks(qtbot)
        return int(dialog.result())

    monkeypatch.setattr(NewRequestDialog, "exec", run)
    tab = _tab(cast, qtbot, "officer")
    tab.new_actions[ApprovalKind.PERSONAL_NAME].trigger()
    wait_for_tasks(qtbot)
    assert tab.detail is not None
    assert tab.detail.subject_label == "Officer Person: personal Instagram @OliveAtSKGov"
    ApprovalService(cast.ctx("officer")).submit(tab.detail.id)
    ApprovalService(cast.ctx("council")).approve(tab.detail.id)

    shown: list[list[str]] = []

    def show(dialog: PersonalNamesDialog) -> int:
        _styled(dialog)
        qtbot.waitUntil(lambda: dialog.count.text() != "Loading…")
        shown.append([dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())])
        _shot(dialog, "personal-names-register")
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(PersonalNamesDialog, "exec", show)
    assert tab.names_register.isEnabled()
    tab.names_register.click()
    assert shown == [["Officer Person", "Instagram @OliveAtSKGov", "Waiting for signatures", ""]]
    assert PersonalNameService(cast.ctx("auditor")).register()[0].state == ApprovalState.SUBMITTED


def test_a_reply_with_an_image_needs_the_copyright_acknowledgement(
    cast: Cast, qtbot: QtBot
) -> None:
    account = cast.account()
    comment = CommentService(cast.ctx("officer")).log(
        account.id, cast.clock() - timedelta(minutes=20), "Where are the flu clinics?", "Sam"
    )
    detail = CommentLogService(cast.ctx("officer")).get(comment.id)
    dialog = RespondDialog(cast.ctx("officer"), detail)
    qtbot.addWidget(dialog)
    _styled(dialog)
    dialog.show()
    dialog.text.setPlainText("Clinic map attached. Map: Saskatchewan Health Authority.")
    for button in dialog.topics_box.findChildren(QRadioButton):
        if button.objectName().endswith("_no"):
            button.click()
    box = dialog.media_box
    assert not box.isChecked()  # nothing asked of a reply without media
    box.setChecked(True)
    box.description.setText("Map of the clinics in Regina")
    box.source.setText("Saskatchewan Health Authority")
    box.permission.setCurrentIndex(box.permission.findData(MediaPermission.SOURCE_CITED))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("media_acknowledged") != "", timeout=3_000)
    assert "Confirm the Government may publish the image" in dialog.errors.message(
        "media_acknowledged"
    )
    _shot(dialog, "respond-with-image")
    with cast.db.read() as s:
        assert s.scalars(select(ResponseMedia)).all() == []
    box.acknowledged.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        dialog.save_button.click()
    with cast.db.read() as s:
        (media,) = s.scalars(select(ResponseMedia)).all()
    assert (media.source, media.permission) == (
        "Saskatchewan Health Authority",
        MediaPermission.SOURCE_CITED,
    )


def test_choosing_wechat_or_another_language_makes_the_account_international(
    cast: Cast, qtbot: QtBot
) -> None:
    ctx = cast.ctx("officer")
    dialog = AccountDialog(ctx, ctx.actor(), AccountListService(ctx).choices())
    qtbot.addWidget(dialog)
    _styled(dialog)
    dialog.show()
    assert [dialog.status.itemData(i) for i in range(dialog.status.count())] == [
        AccountStatus.PROPOSED,
        AccountStatus.ACTIVE,
    ]  # "approved" comes from the new-account request only
    assert not dialog.is_international.isChecked()
    dialog.platform.setCurrentIndex(dialog.platform.findData(Platform.WECHAT))
    assert dialog.is_international.isChecked()
    assert dialog.cultural_notes.isEnabled()
    dialog.platform.setCurrentIndex(dialog.platform.findData(Platform.FACEBOOK))
    dialog.is_international.setChecked(False)
    qtbot.keyClicks(dialog.language, "Cree")
    assert dialog.is_international.isChecked()
    dialog.handle.setText("SKHealthCree")
    dialog.government_email.setText("cree@gov.sk.ca")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("cultural_notes") != "", timeout=3_000)
    assert "International accounts need cultural notes" in dialog.errors.message("cultural_notes")
    _shot(dialog, "account-international")
    dialog.cultural_notes.setPlainText("Plain language; greet in Cree first.")
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        dialog.save_button.click()
    assert dialog.saved is not None
    assert dialog.saved.is_international
    with cast.db.read() as s:
        assert s.scalar(select(Approval.id)) is None  # proposing asks for nothing yet


def test_the_tracker_counts_a_stall_from_the_resubmission() -> None:
    row = TrackerRow(
        id=uuid.uuid4(),
        kind=ApprovalKind.NEW_ACCOUNT,
        title="New account: Instagram @SKHealthNew",
        subject_label="Instagram @SKHealthNew",
        submitter_name="Officer Person",
        state=ApprovalState.SUBMITTED,
        stage_label="Stage 1 of 2: Digital Program alignment (DSO)",
        waiting_on=("Digital Strategy and Operations",),
        age_days=17,
        version=4,
        waiting_days=1,
    )
    model = ApprovalTrackerModel(stall_days=10)
    model.set_rows([row])
    assert not model.stalled(row)  # before: shown as stalled the day after the resubmission
    tip = model.index(0, COL_AGE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Submitted 17 days ago; resubmitted after changes 1 day ago")
    stale = dataclasses.replace(row, waiting_days=11)
    model.set_rows([stale])
    assert model.stalled(stale)
