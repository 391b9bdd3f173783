"""The Comments tab as an officer (and an auditor) uses it: filters, logging a comment with a
mistake fixed, responding, acknowledging, assigning, closing, moderating up to a ban."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
)
from pytestqt.qtbot import QtBot

from desktop.enums import CommentKind, Platform
from desktop.models import Account
from desktop.resources import resource_path
from desktop.services.authz import ALLOWED, Permission, denial
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService
from desktop.views.comments.comment_log_model import (
    AMBER_BACKGROUND,
    COL_ACK_IN,
    COL_ANSWER_IN,
    COL_AUTHOR,
    COL_EXCERPT,
    COL_RECEIVED,
    COL_STATUS,
    SORT_COLUMNS,
)
from desktop.views.comments.comments_tab import CommentsTab
from desktop.views.comments.log_comment_dialog import LogCommentDialog
from desktop.views.comments.moderate_dialog import ModerateDialog
from desktop.views.comments.respond_dialog import RespondDialog
from desktop.views.worker import PROGRESS_DELAY_MS, running_tasks
from tests.conftest import FIXED_NOW
from tests.factories import ROLE_CAST, Cast
from tests.views.conftest import wait_for_tasks

HANDLERS = [
    who for who, roles in ROLE_CAST.items() if set(roles) & ALLOWED[Permission.HANDLE_COMMENTS]
]
# Executive Council and the Minister's Office work on the central accounts' comments
# (tests/views/test_comment_work_views.py); the auditor reads only.
READ_ONLY = ["auditor"]


class Clock:
    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now


def settle(qtbot: QtBot, tab: CommentsTab) -> None:
    qtbot.waitUntil(
        lambda: running_tasks() == 0 and not tab.loading and tab.actor is not None,
        timeout=10_000,
    )


def open_tab(cast: Cast, qtbot: QtBot, who: str, clock: Clock | None = None) -> CommentsTab:
    ctx = ServiceContext(cast.db, cast.people[who].login, clock=clock or cast.clock)
    tab = CommentsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1400, 900)
    tab.show()
    tab.refresh()
    settle(qtbot, tab)
    return tab


def log(
    cast: Cast,
    account: Account,
    text: str,
    *,
    minutes_ago: int = 5,
    **kw: object,
) -> uuid.UUID:
    comment = CommentService(cast.ctx("officer")).log(
        account.id,
        FIXED_NOW - timedelta(minutes=minutes_ago),
        text,
        **kw,  # type: ignore[arg-type]
    )
    return comment.id


@pytest.fixture
def accounts(cast: Cast) -> tuple[Account, Account]:
    return (
        cast.account("SKHealth"),
        cast.account("SKEnvironment", Platform.X, ministry_id=cast.environment.id),
    )


def column(tab: CommentsTab, col: int) -> list[str]:
    m = tab.model
    return [m.data(m.index(r, col)) for r in range(m.rowCount())]


def test_filters_narrow_the_list_in_sql(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    health, env = accounts
    log(cast, health, "When does the flu clinic open?", author_name="Sam Morin", minutes_ago=30)
    log(cast, health, "Reporter here: comment on wait times?", kind=CommentKind.MEDIA)
    log(cast, env, "Is the smoke safe for kids?", author_name="Ava Bear", minutes_ago=50)
    done = log(cast, env, "Thanks for the update", minutes_ago=70)
    CommentService(cast.ctx("officer")).acknowledge(done)
    tab = open_tab(cast, qtbot, "officer")
    assert tab.model.rowCount() == 4
    assert tab.count_label.text() == "4 comments"

    tab.filters.high_profile.setChecked(True)
    settle(qtbot, tab)
    assert column(tab, COL_AUTHOR) == ["(anonymous)"]
    assert tab.count_label.text() == "1 comment"
    tab.filters.high_profile.setChecked(False)

    tab.filters.account.setCurrentIndex(tab.filters.account.findData(str(env.id)))
    settle(qtbot, tab)
    assert set(column(tab, COL_AUTHOR)) == {"Ava Bear", "(anonymous)"}
    status = tab.filters.status
    status.setCurrentIndex(status.findText("Acknowledged"))
    settle(qtbot, tab)
    assert column(tab, COL_STATUS) == ["Acknowledged"]
    status.setCurrentIndex(0)
    tab.filters.account.setCurrentIndex(0)
    settle(qtbot, tab)

    # The quick search waits until typing stops, then searches text and authors.
    qtbot.keyClicks(tab.filters.search, "CLINIC")
    assert tab.model.query.search == ""  # not yet: debounced
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=3_000)
    settle(qtbot, tab)
    assert column(tab, COL_AUTHOR) == ["Sam Morin"]
    tab.filters.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=3_000)

    ministry = tab.filters.ministry
    ministry.setCurrentIndex(ministry.findData(str(cast.health.id)))
    settle(qtbot, tab)
    assert set(column(tab, 2)) == {"HEA"}
    assert tab.model.rowCount() == 2


def test_search_box_takes_ctrl_f(cast: Cast, qtbot: QtBot) -> None:
    tab = open_tab(cast, qtbot, "officer")
    assert tab.search_field() is tab.filters.search
    assert tab.focus_search()
    qtbot.waitUntil(tab.filters.search.hasFocus, timeout=2_000)


def test_header_click_sorts_every_column_in_sql(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    log(cast, accounts[0], "First", author_name="Zed", minutes_ago=90)
    log(cast, accounts[0], "Second", author_name="Amy", minutes_ago=10)
    log(cast, accounts[1], "A third", author_name="Max", minutes_ago=50)
    tab = open_tab(cast, qtbot, "officer")
    header = tab.table.horizontalHeader()
    assert column(tab, COL_AUTHOR) == ["Amy", "Max", "Zed"]  # newest first
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=_section_pos(tab, COL_RECEIVED)
    )
    settle(qtbot, tab)
    assert tab.model.query.descending is False
    assert column(tab, COL_AUTHOR) == ["Zed", "Max", "Amy"]
    for col, ascending in (
        (COL_AUTHOR, ["Amy", "Max", "Zed"]),
        (COL_EXCERPT, ["A third", "First", "Second"]),
    ):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_pos(tab, col))
        settle(qtbot, tab)
        assert header.sortIndicatorSection() == SORT_COLUMNS[tab.model.query.sort] == col
        shown = column(tab, col)
        assert shown == (list(reversed(ascending)) if tab.model.query.descending else ascending)


def _section_pos(tab: CommentsTab, col: int) -> QPoint:
    header = tab.table.horizontalHeader()
    return QPoint(header.sectionViewportPosition(col) + 10, header.height() // 2)


def test_the_account_message_goes_once_the_account_is_chosen(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    tab = open_tab(cast, qtbot, "officer")
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, LogCommentDialog)
    dialog.text.setPlainText("When does the flu clinic open?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("account_id") != "", timeout=3_000)
    assert dialog.account.property("invalid") is True
    dialog.account.setCurrentIndex(dialog.account.findData(str(accounts[0].id)))
    assert dialog.errors.message("account_id") == ""
    assert dialog.account.property("invalid") is False
    # Another field's message stays until that field is changed.
    dialog.text.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("text") != "", timeout=3_000)
    dialog.author.setText("Sam")
    qtbot.keyClicks(dialog.author, "i")
    assert dialog.errors.message("text") == "Comment text is required."
    dialog.reject()


def test_logging_a_comment_shows_the_mistake_then_saves(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    tab = open_tab(cast, qtbot, "officer")
    assert tab.model.rowCount() == 0
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, LogCommentDialog)
    dialog.account.setCurrentIndex(dialog.account.findData(str(accounts[0].id)))
    # Received now (Wed 09:00 in Regina): due times shown before saving.
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=3_000)
    assert "Acknowledge by</b> Wed 18 Nov 2026, 10:00 CST" in dialog.due_label.text()
    assert "Answer by</b> Thu 19 Nov 2026, 17:00 CST" in dialog.due_label.text()
    dialog.author.setText("Sam Morin")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("text") != "", timeout=3_000)
    assert dialog.errors.message("text") == "Comment text is required."
    assert dialog.text.property("invalid") is True
    assert dialog.isVisible()

    # The received time moved into the future: the message sits next to that field.
    dialog.received.setDateTime(dialog.received.dateTime().addSecs(3 * 3600))
    dialog.text.setPlainText("When does the flu clinic open in Regina?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("received_at") != "", timeout=3_000)
    assert "is in the future" in dialog.errors.message("received_at")
    assert dialog.errors.message("text") == ""
    assert dialog.text.property("invalid") is False

    dialog.received.setDateTime(dialog.received.dateTime().addSecs(-3 * 3600))
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.model.rowCount() == 1
    assert column(tab, COL_AUTHOR) == ["Sam Morin"]
    assert column(tab, COL_ACK_IN) == ["1h 00m"]
    assert column(tab, COL_STATUS) == ["New"]


def test_the_restricted_topics_hint_is_never_clipped(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    log(cast, accounts[0], "Is the new courthouse on budget?", author_name="Sam Morin")
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)
    qtbot.mouseClick(tab.respond_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RespondDialog)
    # As the app draws it: its stylesheet and 10 pt text (the tests run without them).
    qss = resource_path("style", "app.qss").read_text(encoding="utf-8")
    dialog.setStyleSheet(qss.replace("@ICONS@", resource_path("icons").as_posix()))
    font = QFont(dialog.font())
    font.setPointSize(10)
    dialog.setFont(font)
    dialog.adjustSize()
    qtbot.wait(50)
    for button in dialog.topics_box.findChildren(QRadioButton):
        if button.objectName().endswith("_yes"):
            button.click()
            break
    hint = dialog.topics_hint
    assert hint.text().startswith("A reply may not discuss these, in public or in a message")
    qtbot.waitUntil(lambda: hint.height() >= hint.heightForWidth(hint.width()))
    # Inside its box, above the buttons, all of it.
    box = dialog.topics_box
    assert hint.geometry().bottom() <= box.contentsRect().bottom()
    dialog.reject()


def test_responding_changes_status_and_countdown(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    log(cast, accounts[0], "When does the flu clinic open?", author_name="Sam Morin")
    clock = Clock()
    clock.now = FIXED_NOW + timedelta(minutes=50)  # 10 minutes left to acknowledge
    tab = open_tab(cast, qtbot, "officer", clock)
    index = tab.model.index(0, COL_ACK_IN)
    assert index.data() == "10m"
    assert index.data(Qt.ItemDataRole.BackgroundRole) == AMBER_BACKGROUND
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)

    qtbot.mouseClick(tab.respond_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RespondDialog)
    assert dialog.method_buttons[next(iter(dialog.method_buttons))].isChecked()  # public
    dialog.text.setPlainText("The clinic opens Monday at 9:00 at the Cornwall Centre.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("restricted_topics_cleared") != "")
    assert "confirm the reply discusses none of the topics" in dialog.errors.message(
        "restricted_topics_cleared"
    )
    for button in dialog.topics_box.findChildren(QRadioButton):
        if button.objectName().endswith("_no"):
            button.click()
    assert dialog.topics_cleared()
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.model.index(0, COL_STATUS).data() == "Answered"
    assert tab.model.index(0, COL_ACK_IN).data() == "Done"
    assert tab.model.index(0, COL_ANSWER_IN).data() == "Done"
    assert tab.model.index(0, COL_ACK_IN).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "The clinic opens Monday" in tab.detail_panel.responses.toPlainText()
    assert "Public answer" in tab.detail_panel.responses.toPlainText()


def test_the_countdown_timer_moves_without_a_refetch(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    log(cast, accounts[0], "Is the clinic open?")
    clock = Clock()
    tab = open_tab(cast, qtbot, "officer", clock)
    assert tab.countdown_timer.isActive()
    assert tab.countdown_timer.interval() == 30_000
    assert tab.model.index(0, COL_ACK_IN).data() == "1h 00m"
    clock.now = FIXED_NOW + timedelta(minutes=61)
    fetched: list[object] = []
    tab.model.modelReset.connect(lambda: fetched.append(True))
    tab.countdown_timer.timeout.emit()
    assert tab.model.index(0, COL_ACK_IN).data() == "Overdue 1m"
    assert fetched == []


def test_high_profile_reply_needs_the_referral(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    PeopleService(cast.ctx("admin")).add_contact(
        cast.health.id, "Minister's office", topic="Minister", phone="306-787-0000"
    )
    log(cast, accounts[0], "CBC News: can the minister comment?", kind=CommentKind.MEDIA)
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)
    qtbot.mouseClick(tab.respond_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RespondDialog)
    assert dialog.referral_frame.isVisibleTo(dialog)
    dialog.text.setPlainText("No comment.")
    for button in dialog.topics_box.findChildren(QRadioButton):
        if button.objectName().endswith("_no"):
            button.click()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("high_profile_referral") != "")
    assert "standard referral to the Minister's office" in dialog.errors.message(
        "high_profile_referral"
    )
    dialog.text.clear()
    qtbot.mouseClick(dialog.referral_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.referral_inserted, timeout=3_000)
    assert "Minister's office at (306) 787-0000" in dialog.text.toPlainText()
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert "referred to the Minister's office" in tab.detail_panel.responses.toPlainText()


def test_acknowledge_assign_and_close(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    log(cast, accounts[0], "Thanks, that is all.")
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.ack_button.isEnabled(), timeout=3_000)
    qtbot.mouseClick(tab.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.index(0, COL_STATUS).data() == "Acknowledged")
    settle(qtbot, tab)
    assert not tab.ack_button.isEnabled()
    assert tab.ack_button.toolTip() == "This comment was already acknowledged."

    officer2 = cast.people["officer2"].name
    monkeypatch.setattr(
        QInputDialog,
        "getItem",
        lambda _p, _t, _l, items, *_a: (next(i for i in items if i.startswith(officer2)), True),
    )
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.index(0, 7).data() == officer2, timeout=3_000)
    settle(qtbot, tab)

    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a: ("No response needed", True))
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.index(0, COL_STATUS).data() == "Closed", timeout=3_000)
    settle(qtbot, tab)
    assert "(no response needed)" in tab.detail_panel.comment.toPlainText()
    for button in (tab.respond_button, tab.assign_button, tab.close_button):
        assert not button.isEnabled()
    assert tab.close_button.toolTip() == "This comment is already closed."


def test_closing_unanswered_as_answered_shows_the_service_message(
    cast: Cast,
    qtbot: QtBot,
    accounts: tuple[Account, Account],
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[QMessageBox],
) -> None:
    log(cast, accounts[0], "Why?")
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.close_button.isEnabled(), timeout=3_000)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a: ("Answered", True))
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(boxes) == 1, timeout=3_000)
    assert "has no answer yet" in boxes[0].text()
    assert tab.model.index(0, COL_STATUS).data() == "New"


def test_moderating_three_times_proposes_a_ban_that_is_approved(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    from desktop.services.moderation import ModerationService

    first = log(cast, accounts[0], "Buy cheap pills", author_handle="spammer", minutes_ago=40)
    second = log(cast, accounts[0], "Buy more pills", author_handle="spammer", minutes_ago=30)
    log(cast, accounts[0], "Pills! Pills!", author_handle="spammer", minutes_ago=1)
    moderation = ModerationService(cast.ctx("officer"))
    for comment_id in (first, second):
        moderation.record_strike(comment_id, category="spam")
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.moderate_button.isEnabled(), timeout=3_000)
    assert "2 strikes" in tab.detail_panel.strikes.toPlainText()
    qtbot.mouseClick(tab.moderate_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ModerateDialog)
    assert dialog.evidence.toPlainText() == "Pills! Pills!"
    qtbot.mouseClick(dialog.strike_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("category") == "Choose the removal category it breaks."
    dialog.category.setCurrentIndex(dialog.category.findText("Spam"))
    qtbot.mouseClick(dialog.strike_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=3_000)
    assert "3 strikes" in dialog.proposal.text()
    assert "temporary ban" in dialog.proposal.text()
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.model.index(0, COL_STATUS).data() == "Hidden"
    strikes = tab.detail_panel.strikes.toPlainText()
    assert "3 strikes" in strikes
    assert "banned" in strikes
    assert not tab.moderate_button.isEnabled()


def test_a_comment_without_handle_can_only_be_hidden(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    log(cast, accounts[0], "Rude words")
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.moderate_button.isEnabled(), timeout=3_000)
    qtbot.mouseClick(tab.moderate_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ModerateDialog)
    assert not dialog.strike_button.isEnabled()
    assert "no author handle" in dialog.strike_button.toolTip()
    dialog.category.setCurrentIndex(dialog.category.findText("Bullying"))
    with qtbot.waitSignal(dialog.accepted, timeout=3_000):
        qtbot.mouseClick(dialog.hide_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.model.index(0, COL_STATUS).data() == "Hidden"


@pytest.mark.parametrize("who", READ_ONLY)
def test_buttons_are_disabled_with_the_reason_for_who_may_not_handle_comments(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account], who: str
) -> None:
    log(cast, accounts[0], "When does the clinic open?")
    tab = open_tab(cast, qtbot, who)
    assert tab.model.rowCount() == 1  # they may read the log
    reason = denial(frozenset(ROLE_CAST[who]), Permission.HANDLE_COMMENTS)
    assert reason is not None
    assert reason.startswith("Handling comments and recording strikes needs the role")
    for button in tab.findChildren(QPushButton):
        if button in tab.action_buttons:
            assert not button.isEnabled(), button.text()
            assert button.toolTip() == reason
    held = ROLE_CAST[who][0].label
    assert (
        tab.permission_note.text()
        == f"Read-only: you hold {held}. Point at a button to see who may act."
    )
    assert tab.permission_note.toolTip() == reason
    assert tab.goto_button.isEnabled()


@pytest.mark.parametrize("who", HANDLERS)
def test_buttons_are_enabled_for_who_handles_comments(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account], who: str
) -> None:
    log(cast, accounts[0], "When does the clinic open?")
    tab = open_tab(cast, qtbot, who)
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)
    assert [b.isEnabled() for b in tab.action_buttons] == [True] * 7
    assert tab.permission_note.isHidden()


def test_an_agency_is_told_it_may_not_read_the_log(
    cast: Cast, qtbot: QtBot, boxes: list[QMessageBox]
) -> None:
    ctx = ServiceContext(cast.db, cast.people["agency"].login, clock=cast.clock)
    tab = CommentsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    qtbot.waitUntil(lambda: running_tasks() == 0 and tab.actor is not None, timeout=5_000)
    assert [b.text() for b in boxes] == [
        denial(frozenset(ROLE_CAST["agency"]), Permission.READ_ALL)
    ]
    assert tab.count_label.text() == "Could not load the comments"
    assert not any(b.isEnabled() for b in tab.action_buttons)


def test_go_to_row_jumps_down_the_list(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        log(cast, accounts[0], f"Question {i}", author_name=f"Author {i}", minutes_ago=10 + i)
    tab = open_tab(cast, qtbot, "officer")
    monkeypatch.setattr(QInputDialog, "getInt", lambda *_a: (4, True))
    qtbot.mouseClick(tab.goto_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert column(tab, COL_AUTHOR) == ["Author 3", "Author 4"]
    assert tab.count_label.text() == "5 comments · from row 4"


@pytest.mark.parametrize(
    ("key", "dialog_type"),
    [(Qt.Key.Key_N, LogCommentDialog), (Qt.Key.Key_R, RespondDialog)],
    ids=["ctrl+n logs", "ctrl+r responds"],
)
def test_keyboard_shortcuts_open_the_dialogs(
    cast: Cast,
    qtbot: QtBot,
    accounts: tuple[Account, Account],
    key: Qt.Key,
    dialog_type: type,
) -> None:
    log(cast, accounts[0], "When does the clinic open?")
    tab = open_tab(cast, qtbot, "officer")
    qtbot.waitUntil(lambda: tab.respond_button.isEnabled(), timeout=3_000)
    # Nothing left loading: a slow load's progress dialog would take the window's focus.
    wait_for_tasks(qtbot)
    # A button's shortcut works in the active window only. (waitActive is a context manager:
    # called alone it waited for nothing.)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    qtbot.keyClick(tab.table, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, dialog_type), timeout=3_000)


def test_typing_fast_shows_only_the_last_search_and_stops_the_earlier_ones(
    cast: Cast, qtbot: QtBot, accounts: tuple[Account, Account]
) -> None:
    health, env = accounts
    log(cast, health, "Wildfire smoke over Prince Albert", author_name="Ava Bear")
    log(cast, env, "Wild rice harvest dates?", minutes_ago=20)
    log(cast, env, "When does the flu clinic open?", minutes_ago=40)
    tab = open_tab(cast, qtbot, "officer")
    shown: list[str] = []
    tab.model.rowsInserted.connect(lambda *_a: shown.append(tab.model.query.search))
    # Each search starts as the person pauses just long enough; none has answered yet.
    for typed in ("w", "wi", "wild", "wildf", "wildfire"):
        tab.filters.search.setText(typed)
        tab.filters.search_now()
        assert tab.count_label.text() == "Searching…"
    assert tab.model.superseded == 4
    settle(qtbot, tab)
    qtbot.wait(PROGRESS_DELAY_MS + 50)
    assert shown == ["wildfire"]  # no earlier search's rows ever appeared
    assert column(tab, COL_EXCERPT) == ["Wildfire smoke over Prince Albert"]
    assert tab.count_label.text() == "1 comment"
    assert tab.window().findChildren(QProgressDialog) == []  # reads never open a dialog
