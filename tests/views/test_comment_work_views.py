"""The GUI of issue 14's comment and emergency work: Executive Council on a central account's
comment, routing a comment, the bans list, the key-contacts directory and an emergency's record
(on-call people changed while it runs, group updates posted)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.enums import BanStatus, GroupUpdateKind, RemovalCategory, ResponseMethod
from desktop.models import Account
from desktop.services.comment_log import CommentLogService
from desktop.services.comment_work.bans import BanListService
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.directory.key_contacts import ContactInput, KeyContactService
from desktop.services.emergencies import EmergencyService
from desktop.services.emergency_work.record import EmergencyRecordService
from desktop.services.moderation import ModerationService
from desktop.views.comments.bans_dialog import BansDialog
from desktop.views.comments.comment_actions import SCOPED_NOTE
from desktop.views.comments.respond_dialog import RespondDialog
from desktop.views.comments.route_dialog import RouteDialog
from desktop.views.directory.key_contacts_dialog import ContactDialog, KeyContactsDialog
from desktop.views.emergency_record.group_update_dialog import GroupUpdateDialog
from desktop.views.emergency_record.record_dialog import EmergencyRecordDialog
from tests.conftest import FIXED_NOW
from tests.factories import Cast
from tests.views.conftest import wait_for_tasks
from tests.views.test_comments_tab import log, open_tab


def shot(widget: QWidget, name: str) -> None:
    """With SMGOV_SHOTS_DIR set, the widget as drawn, to look at."""
    folder = os.environ.get("SMGOV_SHOTS_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _ctx(cast: Cast, who: str) -> ServiceContext:
    return ServiceContext(cast.db, cast.people[who].login, clock=cast.clock)


def _select(tab: object, comment_text: str, qtbot: QtBot) -> None:
    model = tab.model  # type: ignore[attr-defined]
    for row in range(model.rowCount()):
        if model.row_at(row).id == comment_text:
            tab.table.selectRow(row)  # type: ignore[attr-defined]
            break
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == comment_text)  # type: ignore[attr-defined]


def test_executive_council_answers_on_a_central_account_only(cast: Cast, qtbot: QtBot) -> None:
    central = cast.account("SKGov", is_central=True)
    health = cast.account("SKHealth")
    on_central = log(cast, central, "Where do I renew my licence?")
    on_health = log(cast, health, "When does the clinic open?", minutes_ago=10)
    tab = open_tab(cast, qtbot, "council")
    assert tab.permission_note.text() == SCOPED_NOTE
    assert tab.log_button.isEnabled()
    _select(tab, on_central, qtbot)
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)
    assert tab.route_button.isEnabled()
    shot(tab, "comments_tab_council")
    _select(tab, on_health, qtbot)
    qtbot.waitUntil(lambda: not tab.respond_button.isEnabled(), timeout=3_000)
    assert "Facebook @SKHealth is not a central account" in tab.respond_button.toolTip()
    assert tab.log_button.isEnabled()


def test_a_comment_is_routed_from_the_tab(cast: Cast, qtbot: QtBot) -> None:
    central = cast.account("SKGov", is_central=True)
    comment_id = log(cast, central, "When does fire season end?")
    tab = open_tab(cast, qtbot, "council")
    _select(tab, comment_id, qtbot)
    qtbot.waitUntil(lambda: tab.route_button.isEnabled(), timeout=3_000)
    qtbot.mouseClick(tab.route_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RouteDialog)
    dialog.ministry.setCurrentIndex(dialog.ministry.findText("Ministry of Environment"))
    dialog.reason.setText("A wildfire question: Environment answers it")
    shot(dialog, "route_dialog")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=5_000)
    wait_for_tasks(qtbot)
    detail = CommentLogService(cast.ctx("auditor")).get(comment_id)
    assert detail.ministry_name == "Ministry of Environment"


def _proposal(cast: Cast, account: Account, handle: str = "troll") -> object:
    for i in range(3):
        comment = log(cast, account, f"You are all idiots {i}", author_handle=handle)
        result = ModerationService(cast.ctx("officer")).record_strike(
            comment, category=RemovalCategory.HARASSMENT
        )
    return result.ban_proposal


def test_bans_are_declined_lifted_and_expired_from_the_dialog(
    cast: Cast, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    health = cast.account("SKHealth")
    declined = _proposal(cast, health, "troll")
    lifted = _proposal(cast, health, "spammer")
    ModerationService(cast.ctx("officer")).decide_ban(lifted.id, approve=True)  # type: ignore[attr-defined]
    dialog = BansDialog(_ctx(cast, "officer"))
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_tasks(qtbot)
    assert dialog.table.rowCount() == 2
    shot(dialog, "bans_dialog")
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *_a, **_k: ("Heated but within the rules.", True)
    )
    handles = [dialog.table.item(r, 0).text() for r in range(2)]
    dialog.table.selectRow(handles.index("@troll (Facebook)"))
    assert dialog.decline_button.isEnabled()
    assert not dialog.lift_button.isEnabled()
    qtbot.mouseClick(dialog.decline_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert dialog.changed
    statuses = {r.handle: r.status for r in BanListService(cast.ctx("auditor")).bans()}
    assert statuses == {"troll": BanStatus.DECLINED, "spammer": BanStatus.ACTIVE}
    assert dialog.table.rowCount() == 1  # only the active ban is still open
    dialog.table.selectRow(0)
    assert dialog.lift_button.isEnabled()
    qtbot.mouseClick(dialog.lift_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    statuses = {r.handle: r.status for r in BanListService(cast.ctx("auditor")).bans()}
    assert statuses["spammer"] == BanStatus.LIFTED
    del declined


def test_expired_bans_are_recorded_from_the_dialog(cast: Cast, qtbot: QtBot) -> None:
    health = cast.account("SKHealth")
    proposal = _proposal(cast, health)
    earlier = FIXED_NOW - timedelta(days=40)
    ModerationService(ServiceContext(cast.db, "officer", clock=lambda: earlier)).decide_ban(
        proposal.id,  # type: ignore[attr-defined]
        approve=True,
    )
    dialog = BansDialog(_ctx(cast, "officer"))
    qtbot.addWidget(dialog)
    wait_for_tasks(qtbot)
    assert dialog.table.item(0, 2).text() == "Active, past its end"
    assert dialog.expire_button.isEnabled()
    qtbot.mouseClick(dialog.expire_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert [r.status for r in BanListService(cast.ctx("auditor")).bans()] == [BanStatus.EXPIRED]
    assert not dialog.expire_button.isEnabled()


def test_an_auditor_reads_the_bans_without_acting(cast: Cast, qtbot: QtBot) -> None:
    _proposal(cast, cast.account("SKHealth"))
    dialog = BansDialog(_ctx(cast, "auditor"))
    qtbot.addWidget(dialog)
    wait_for_tasks(qtbot)
    dialog.table.selectRow(0)
    assert not dialog.approve_button.isEnabled()
    assert dialog.approve_button.toolTip().startswith("Handling comments and recording strikes")


def test_the_key_contacts_directory_is_kept_in_its_dialog(
    cast: Cast, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    KeyContactService(cast.ctx("dso")).add(
        ContactInput(cast.environment.id, "Wildfire line", "Wildfires", phone="1-855-559-5502")
    )
    dialog = KeyContactsDialog(_ctx(cast, "dso"))
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_tasks(qtbot)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 3).text() == "(855) 559-5502"
    opened: list[ContactDialog] = []

    def fill(self: ContactDialog) -> int:
        opened.append(self)
        self.ministry.setCurrentIndex(self.ministry.findText("Ministry of Health"))
        self.name.setText("Office of the Minister of Health")
        self.topic.setText("Minister's office")
        self.phone.setText("306-787-7345")
        self.email.setText("minister.health@gov.sk.ca")
        shot(self, "contact_dialog")
        self._on_save()
        wait_for_tasks(qtbot)
        return int(self.result())

    monkeypatch.setattr(ContactDialog, "exec", fill)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert opened[0].saved is not None
    assert dialog.table.rowCount() == 2
    shot(dialog, "key_contacts_dialog")
    referral = CommentService(cast.ctx("officer")).high_profile_referral_text(cast.health.id)
    assert "(306) 787-7345 or minister.health@gov.sk.ca" in referral

    reader = KeyContactsDialog(_ctx(cast, "officer"))
    qtbot.addWidget(reader)
    wait_for_tasks(qtbot)
    reader.table.selectRow(0)
    assert not reader.add_button.isEnabled()
    assert not reader.edit_button.isEnabled()
    assert "Adding and changing people needs the role" in reader.add_button.toolTip()
    assert reader.note.text() == "Read-only: the DSO and administrators keep the directory."


def test_on_call_people_and_group_updates_in_the_emergency_record(
    cast: Cast, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    emergency = EmergencyService(cast.ctx("comms")).declare(
        "forest_fire", "La Ronge fire", [cast.environment.id]
    )
    dialog = EmergencyRecordDialog(_ctx(cast, "council"), emergency.id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_for_tasks(qtbot)
    assert "La Ronge fire" in dialog.details.text()
    assert dialog.save_on_call_button.isEnabled()
    dialog.on_call_ministry.setCurrentIndex(
        dialog.on_call_ministry.findText("Officer2 Person", Qt.MatchFlag.MatchStartsWith)
    )
    dialog.on_call_council.setCurrentIndex(
        dialog.on_call_council.findText("Council2 Person", Qt.MatchFlag.MatchStartsWith)
    )
    qtbot.mouseClick(dialog.save_on_call_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    record = EmergencyRecordService(cast.ctx("auditor")).record(emergency.id)
    assert (record.on_call_ministry, record.on_call_council) == (
        "Officer2 Person",
        "Council2 Person",
    )
    assert dialog.changed

    def post(self: GroupUpdateDialog) -> int:
        self.kind.setCurrentIndex(self.kind.findData(GroupUpdateKind.PHONE_OR_LINK))
        self.text.setPlainText("Evacuation information for La Ronge")
        self.link.setText("https://www.saskatchewan.ca/fire")
        self.phone.setText("1-855-559-5502")
        self._on_save()
        wait_for_tasks(qtbot)
        assert "confirm it discusses none of the topics" in self.errors.message(
            "restricted_topics_cleared"
        )
        for button in self.topics.findChildren(QRadioButton):
            if button.objectName().endswith("_no"):
                button.click()
        shot(self, "group_update_dialog")
        self._on_save()
        wait_for_tasks(qtbot)
        return int(QDialog.DialogCode.Accepted if self.saved else QDialog.DialogCode.Rejected)

    monkeypatch.setattr(GroupUpdateDialog, "exec", post)
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert dialog.updates.rowCount() == 1
    assert dialog.updates.item(0, 1).text() == "Phone or link"
    assert dialog.updates.item(0, 3).text() == (
        "Evacuation information for La Ronge · https://www.saskatchewan.ca/fire · (855) 559-5502"
    )
    # The on-call people saved above show in the record as it is reloaded.
    assert dialog.on_call_ministry.currentText().startswith("Officer2 Person")
    assert dialog.on_call_council.currentText().startswith("Council2 Person")
    shot(dialog, "emergency_record_dialog")

    EmergencyService(cast.ctx("comms")).end(emergency.id)
    ended = EmergencyRecordDialog(_ctx(cast, "council"), emergency.id)
    qtbot.addWidget(ended)
    wait_for_tasks(qtbot)
    assert not ended.save_on_call_button.isEnabled()
    assert not ended.post_button.isEnabled()
    assert ended.on_call_note.text() == "This emergency has ended."


def test_a_direct_message_request_needs_the_checklist_in_the_dialog(
    cast: Cast, qtbot: QtBot
) -> None:
    comment_id = log(cast, cast.account("SKHealth"), "My neighbour's court case?")
    tab = open_tab(cast, qtbot, "officer")
    _select(tab, comment_id, qtbot)
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)
    qtbot.mouseClick(tab.respond_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RespondDialog)
    dialog.method_buttons[ResponseMethod.DIRECT_MESSAGE].click()
    dialog.text.setPlainText("Please send us a direct message so we can follow up.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("restricted_topics_cleared") != "")
    shot(dialog, "respond_dialog_direct_message")
    for button in dialog.topics_box.findChildren(QRadioButton):
        if button.objectName().endswith("_no"):
            button.click()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=5_000)
    wait_for_tasks(qtbot)
    detail = CommentLogService(cast.ctx("auditor")).get(comment_id)
    assert [r.restricted_topics_cleared for r in detail.responses] == [True]
