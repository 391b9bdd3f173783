"""The main window as a person meets it: tabs, keyboard, status bar, emergency banner, menus
enabled by role, the audit log, help, saved layout, and the first-run welcome."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.enums import AppRole, CommentStatus, EmergencyKind
from desktop.errors import StorageUnavailable
from desktop.models import Comment, Setting
from desktop.models.base import new_id
from desktop.services.accounts import AccountService
from desktop.services.authz import ALLOWED, Permission
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService, PersonInput
from desktop.services.session import AppServices, SessionStatus
from desktop.views import help_dialogs
from desktop.views.app import _CrashHandler
from desktop.views.audit_log_model import COL_RECORD, COL_WHAT, COL_WHO
from desktop.views.base_tab import BaseTab
from desktop.views.cli_commands import register
from desktop.views.emergency_dialog import EmergencyDialog
from desktop.views.main_window import MainWindow
from desktop.views.opening import ensure_ready
from desktop.views.selftest import screenshots, self_test
from desktop.views.tabs import TAB_FACTORIES, LazyTab, PlaceholderTab
from desktop.views.ui_state import UiState
from desktop.views.welcome import WelcomeDialog
from tests.factories import ROLE_CAST, Cast
from tests.views.conftest import add_comment, add_emergency, wait_for_tasks

WindowMaker = Callable[..., MainWindow]
EVERYONE = list(ROLE_CAST)


def allowed(who: str, permission: Permission) -> bool:
    return bool(set(ROLE_CAST[who]) & ALLOWED[permission])


class SearchTab(BaseTab):
    """A tab with what the real ones have: a search box, a splitter and a table."""

    title = "Search"
    icon = "search"
    handles = frozenset({"account"})

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.refreshed = 0
        self.shown: list[tuple[str, object]] = []
        self.search = QLineEdit()
        self.splitter = QSplitter()
        self.splitter.setObjectName("split")
        self.table = QTableView()
        self.table.setObjectName("table")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(QWidget())
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.splitter)

    def refresh(self) -> None:
        super().refresh()
        self.refreshed += 1

    def search_field(self) -> QLineEdit:
        return self.search

    def show_record(self, entity_type: str, entity_id: object) -> None:
        self.shown.append((entity_type, entity_id))


class OtherTab(PlaceholderTab):
    title = "Other"
    icon = "comments"


def test_the_six_tabs_appear_in_order_with_their_icons(make_window: WindowMaker) -> None:
    window = make_window()
    titles = [window.tab_widget.tabText(i) for i in range(window.tab_widget.count())]
    assert titles == [
        "Compliance",
        "Accounts",
        "Permissions",
        "Approvals",
        "Comments",
        "Evaluations",
    ]
    assert len(TAB_FACTORIES) == 6
    assert all(not window.tab_widget.tabIcon(i).isNull() for i in range(6))
    assert window.reports_menu.title() == "&Reports"


def test_the_registry_says_what_each_tab_class_says() -> None:
    """The window shows titles and icons and routes records before a tab's module is loaded."""
    for factory in TAB_FACTORIES:
        assert isinstance(factory, LazyTab)
        cls = factory.tab_class()
        assert (factory.title, factory.icon, factory.handles) == (cls.title, cls.icon, cls.handles)


def test_a_tab_is_built_the_first_time_it_is_selected(make_window: WindowMaker) -> None:
    window = make_window(factories=[SearchTab, OtherTab, SearchTab])
    assert [type(t) for t in window.tabs] == [SearchTab]
    assert window.pages[2].note.text() == "Loading search…"
    window.tab_widget.setCurrentIndex(2)
    third = window.current_tab()
    assert isinstance(third, SearchTab)
    assert third.refreshed == 1
    assert third.isVisible()
    assert not window.pages[2].note.isVisible()
    assert window.tabs == [window.tab_at(0), third]
    window.tab_widget.setCurrentIndex(0)
    window.tab_widget.setCurrentIndex(2)
    assert window.current_tab() is third  # built once
    assert third.refreshed == 1  # and not reloaded when nothing changed


def test_tabs_not_shown_yet_have_their_modules_loaded_in_the_background(
    make_window: WindowMaker, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = "smgov_test_lazy_tab_module"
    (tmp_path / f"{module}.py").write_text(
        "import threading\n"
        "from desktop.views.tabs import PlaceholderTab\n"
        "LOADED_ON = threading.current_thread()\n"
        "class LaterTab(PlaceholderTab):\n"
        "    title = 'Later'\n"
        "    icon = 'comments'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    later = LazyTab(module=module, class_name="LaterTab", title="Later", icon="comments")
    window = make_window(factories=[SearchTab, later])
    assert module not in sys.modules
    window.warm_up_tabs()
    wait_for_tasks(qtbot)
    loaded = sys.modules[module]
    assert loaded.LOADED_ON is not threading.main_thread()  # type: ignore[attr-defined]
    assert window.pages[1].tab is None  # loaded, not built: that waits for the selection
    window.tab_widget.setCurrentIndex(1)
    assert type(window.current_tab()) is loaded.LaterTab  # type: ignore[attr-defined]


def test_the_frame_before_a_database_is_open(qtbot: QtBot) -> None:
    window = MainWindow(ui_state=UiState.in_memory())
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Social Media Governance Desk"
    assert window.tab_widget.count() == 6
    assert window.current_tab() is None
    assert window.pages[0].note.isVisible()
    disabled = [a.objectName() for a in window.findChildren(QAction) if not a.isEnabled()]
    assert "actionExport" in disabled
    assert "actionSettings" in disabled
    assert "actionReport_portfolio" in disabled
    assert window.action_quit.isEnabled()
    assert window.action_policy.isEnabled()
    window.refresh_current()  # F5 while opening: nothing to refresh, nothing breaks
    assert window.status is None


def test_keyboard_moves_between_tabs_focuses_search_and_refreshes(
    make_window: WindowMaker, qtbot: QtBot
) -> None:
    window = make_window(factories=[SearchTab, OtherTab, OtherTab])
    tab = window.tabs[0]
    assert isinstance(tab, SearchTab)
    assert tab.refreshed == 1  # shown first, so loaded once
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tab_widget.currentIndex() == 1
    qtbot.keyClick(
        window.tab_widget.currentWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
    )
    assert window.tab_widget.currentIndex() == 2
    qtbot.keyClick(
        window,
        Qt.Key.Key_Backtab,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.tab_widget.currentIndex() == 1
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab() is tab  # wraps around
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is tab.search
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert tab.refreshed == 2


def test_ctrl_f_on_a_tab_without_search_says_so(make_window: WindowMaker, qtbot: QtBot) -> None:
    window = make_window(factories=[OtherTab])
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.status_bar.currentMessage() == "This tab has no search box."


def test_a_tab_opens_a_record_in_the_tab_that_shows_it(make_window: WindowMaker) -> None:
    window = make_window(factories=[SearchTab, OtherTab])
    window.tab_widget.setCurrentIndex(1)
    window.tabs[1].open_record.emit("account", "abc")
    assert window.current_tab() is window.tabs[0]
    assert window.tabs[0].shown == [("account", "abc")]  # type: ignore[attr-defined]
    window.tabs[1].open_record.emit("person", "x")
    assert window.status_bar.currentMessage() == "No tab shows records of type person."


def test_status_bar_names_the_database_the_person_and_the_counts(
    make_window: WindowMaker, cast: Cast
) -> None:
    add_comment(cast, acknowledge_in=timedelta(minutes=10))  # due soon
    add_comment(cast, acknowledge_in=timedelta(minutes=40))  # not yet
    add_comment(cast, acknowledge_in=timedelta(minutes=-5))  # overdue to acknowledge
    add_comment(
        cast,
        acknowledge_in=timedelta(hours=-3),
        answer_in=timedelta(minutes=-1),
        status=CommentStatus.ACKNOWLEDGED,
    )  # overdue to answer
    add_comment(cast, acknowledge_in=timedelta(hours=-3), status=CommentStatus.ANSWERED)
    window = make_window("officer")
    bar = window.status_bar
    assert bar.database.text().startswith("Local file: ")
    assert bar.database.text().endswith("test.sqlite3")
    assert bar.person.text() == "Officer Person · Communications officer"
    assert bar.due_soon.text() == "1 due to acknowledge within 15 min"
    assert bar.due_soon.property("severity") == "warning"
    assert bar.overdue.text() == "2 overdue"
    assert bar.overdue.property("severity") == "critical"


def test_the_status_refreshes_on_its_timer(
    make_window: WindowMaker, cast: Cast, qtbot: QtBot
) -> None:
    window = make_window(status_interval_ms=100)
    assert window.status_bar.overdue.text() == "0 overdue"
    add_comment(cast, acknowledge_in=timedelta(minutes=-5))
    qtbot.waitUntil(lambda: window.status_bar.overdue.text() == "1 overdue", timeout=3000)


def test_an_unreachable_database_shows_in_the_status_bar_not_in_a_box_every_minute(
    make_window: WindowMaker,
    qtbot: QtBot,
    boxes: list[QMessageBox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()

    def fail(_self: AppServices) -> SessionStatus:
        raise StorageUnavailable("The database (server) cannot be reached: timeout")

    monkeypatch.setattr(AppServices, "status", fail)
    window.refresh_status()
    qtbot.waitUntil(lambda: window.status_bar.due_soon.text() == "Counts unavailable")
    assert "cannot be reached" in window.status_bar.due_soon.toolTip()
    assert boxes == []


def test_no_banner_without_an_emergency(make_window: WindowMaker) -> None:
    window = make_window()
    assert window.banner.isHidden()
    assert not window.action_end_emergency.isEnabled()


def test_the_banner_names_the_emergency_its_ministries_and_since_when(
    make_window: WindowMaker, cast: Cast
) -> None:
    add_emergency(cast, "Spring flooding in the Qu'Appelle Valley", hours_ago=6, on_call=True)
    window = make_window("comms")
    assert window.banner.isVisible()
    assert window.banner.texts[0] == "Emergency: Flood — Spring flooding in the Qu'Appelle Valley"
    # 15:00 UTC less 6 hours is 03:00 in Regina (UTC-6, no daylight saving time).
    assert window.banner.texts[1] == (
        "Covers Ministry of Health · since Wed 18 Nov 2026, 03:00 CST · on call: Officer Person "
        "(ministry), Council Person (Executive Council) · comments there are due around the "
        "clock (1 h to acknowledge, 48 h to answer)."
    )
    assert window.banner.end_button.isVisible()
    assert window.action_end_emergency.isEnabled()


@pytest.mark.parametrize("who", EVERYONE)
def test_only_those_allowed_may_declare_or_end_an_emergency(
    make_window: WindowMaker, cast: Cast, who: str
) -> None:
    add_emergency(cast)
    window = make_window(who)
    may = allowed(who, Permission.EMERGENCY)
    assert window.action_declare_emergency.isEnabled() is may
    assert window.action_end_emergency.isEnabled() is may
    assert window.banner.end_button.isVisible() is may
    if not may:
        assert "Declaring or ending an emergency needs the role" in (
            window.action_declare_emergency.toolTip()
        )


@pytest.mark.parametrize("who", EVERYONE)
def test_import_export_and_audit_log_follow_the_role_table(
    make_window: WindowMaker, who: str
) -> None:
    window = make_window(who)
    assert window.action_export.isEnabled() is allowed(who, Permission.EXPORT)
    assert window.action_audit_log.isEnabled() is allowed(who, Permission.EXPORT)
    assert window.action_import.isEnabled() is allowed(who, Permission.SETTINGS)


def test_ending_the_emergency_asks_then_ends_it_through_the_service(
    make_window: WindowMaker,
    cast: Cast,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_emergency(cast, "Grassfire near Swift Current")
    window = make_window("dso")
    asked: list[str] = []
    ended: list[object] = []

    def question(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    def end(ctx: ServiceContext, emergency_id: object) -> None:
        assert ctx.login == "dso"
        ended.append(emergency_id)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr("desktop.views.emergency_dialog.end_emergency", end)
    assert window.status is not None
    expected_id = window.status.emergencies[0].id
    window.banner.end_button.click()
    qtbot.waitUntil(lambda: bool(ended))
    assert asked == [
        "End the emergency “Grassfire near Swift Current”? Comments it covered go back to the "
        "business-hours clock."
    ]
    assert ended == [expected_id]
    qtbot.waitUntil(lambda: "ended" in window.status_bar.currentMessage())


def test_audit_log_lists_changes_and_verifies_the_chain(
    make_window: WindowMaker, qtbot: QtBot
) -> None:
    window = make_window("auditor")
    dialog = window.make_audit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    # The cast: the first administrator, 2 ministries, 10 more people; newest first, in words.
    assert dialog.model.rowCount() == 13
    assert dialog.model.rows[0].what == "Added the person"
    assert dialog.model.rows[-1].what == "Became the first administrator"
    assert dialog.count.text() == "13 entries, newest first"
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.verify_result.text().startswith("Audit log intact"))
    assert dialog.verify_result.text().startswith("Audit log intact: 13 events, hash chain")
    assert dialog.verify_result.property("severity") == "ok"
    assert not dialog.older_button.isEnabled()  # fewer than a page


def test_audit_log_filters_and_opens_the_record(
    cast: Cast, make_window: WindowMaker, qtbot: QtBot
) -> None:
    account = cast.account("SKHealth")
    AccountService(cast.ctx("officer")).record_password_change(
        account.id, cast.clock() - timedelta(days=2)
    )
    window = make_window("officer")
    dialog = window.make_audit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 15)
    qtbot.waitUntil(lambda: dialog.filters.person.count() > 1)
    # By person: the officer's one change, in words, with the officer's name and role.
    dialog.filters.person.setCurrentIndex(dialog.filters.person.findData("officer"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    index = dialog.model.index(0, COL_WHO)
    assert index.data() == "Officer Person (Officer)"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Officer Person (Communications officer)"
    assert dialog.model.index(0, COL_WHAT).data() == "Recorded a password change"
    assert dialog.model.index(0, COL_RECORD).data() == "Facebook @SKHealth"
    assert dialog.count.text() == "1 entry matching the filters, newest first"
    # By record name and by kind: nothing of the account was done by a ministry.
    dialog.filters.clear()
    dialog.filters.record.setText("skhealth")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    dialog.filters.kind.setCurrentIndex(dialog.filters.kind.findData("ministry"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
    assert dialog.count.text() == "No entries matching the filters."
    # Open the record: the Accounts tab shows the account.
    dialog.filters.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    dialog.table.selectRow(0)
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(
        lambda: window.tab_widget.tabText(window.tab_widget.currentIndex()) == "Accounts"
    )
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.selected_row() is not None)  # type: ignore[union-attr]
    assert tab.selected_row().id == account.id  # type: ignore[union-attr]


def test_help_shows_the_policy_text_and_says_so_when_it_is_missing(
    make_window: WindowMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    window = make_window()
    missing = tmp_path / "nowhere.txt"
    monkeypatch.setattr(help_dialogs.PolicyDialog, "path", staticmethod(lambda: missing))
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, title, text: told.append(f"{title}: {text}")
    )
    window.action_policy.trigger()
    assert told == [
        "Policy text not installed: The social media policy text is not installed with this "
        f"copy of the app (expected at {missing})."
    ]
    text = tmp_path / "policy.txt"
    text.write_text("1. Purpose\nOfficial accounts are approved before use.\n", encoding="utf-8")
    monkeypatch.setattr(help_dialogs.PolicyDialog, "path", staticmethod(lambda: text))
    dialog = window.make_policy_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert "Official accounts are approved" in dialog.text.toPlainText()
    dialog.find_box.setText("approved")
    qtbot.keyClick(dialog.find_box, Qt.Key.Key_Return)
    assert dialog.text.textCursor().selectedText() == "approved"
    dialog.find_box.setText("TikTok")
    qtbot.keyClick(dialog.find_box, Qt.Key.Key_Return)
    assert dialog.not_found.text() == "Not found"


def test_the_policy_reads_with_its_titles_lists_and_links(
    make_window: WindowMaker, qtbot: QtBot
) -> None:
    window = make_window()
    dialog = window.make_policy_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    document = dialog.text.document()
    headings, items, links = [], 0, 0
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel():
            headings.append(block.text())
        if block.textList() is not None:
            items += 1
        it = block.begin()
        while not it.atEnd():
            links += bool(it.fragment().charFormat().isAnchor())
            it += 1
        block = block.next()
    assert headings[:4] == [
        "What is Social Media?",
        "Social Media Policy",
        "Applicability",
        "Policy Requirements",
    ]
    assert "Measurable Goals and Objectives" in headings
    assert "Guidelines for Answering Comments" in headings
    assert items > 30  # the bullets and numbered steps are lists, not lines starting with "-"
    assert links >= 2
    # The sentence the source broke over a page is one paragraph again.
    assert "Account security is handled via Facebook's page roles" in dialog.text.toPlainText()


def test_about_names_the_database_the_person_and_the_log_file(make_window: WindowMaker) -> None:
    window = make_window("officer")
    box = window.make_about_box()
    assert "Social Media Governance Desk" in box.text()
    assert "test.sqlite3" in box.informativeText()
    assert "Acting as: officer" in box.informativeText()
    assert "smgov.log" in box.informativeText()


def test_window_geometry_splitters_and_headers_are_saved_and_restored(
    make_window: WindowMaker, qtbot: QtBot
) -> None:
    state = UiState.in_memory()
    window = make_window(factories=[SearchTab], ui_state=state)
    window.resize(1000, 650)
    tab = window.tabs[0]
    assert isinstance(tab, SearchTab)
    tab.splitter.setSizes([150, 500])
    saved_sizes = tab.splitter.sizes()
    window.close()
    assert state.keys() == [
        "mainWindow/geometry",
        "tab.SearchTab.split/splitter",
        "tab.SearchTab.table/header",
    ]
    again = make_window(factories=[SearchTab], ui_state=state)
    # Qt fits a restored window to the screen; the offscreen screen is only 800 px wide, so
    # the height (default 800) is what shows the geometry came back.
    assert again.height() == 650
    restored = again.tabs[0].splitter.sizes()  # type: ignore[attr-defined]
    # The narrower window shares the width out in the saved proportion (not half and half).
    assert restored[0] / sum(restored) == pytest.approx(saved_sizes[0] / sum(saved_sizes), abs=0.02)


def test_saved_layout_survives_in_the_settings_file() -> None:
    state = UiState()
    splitter = QSplitter()
    splitter.addWidget(QWidget())
    splitter.addWidget(QWidget())
    splitter.resize(600, 100)
    splitter.setSizes([100, 500])
    state.save_splitter("x", splitter)
    state.flush()
    other = QSplitter()
    other.addWidget(QWidget())
    other.addWidget(QWidget())
    other.resize(600, 100)
    assert UiState.load().restore_splitter("x", other)
    assert other.sizes() == splitter.sizes()


def test_an_uncaught_exception_is_logged_and_shown_with_the_log_file(
    boxes: list[QMessageBox], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    hook = _CrashHandler(tmp_path / "smgov.log")
    try:
        raise RuntimeError("tab failed to draw")
    except RuntimeError as exc:
        with caplog.at_level(logging.CRITICAL):
            hook(RuntimeError, exc, exc.__traceback__)
    assert caplog.records[-1].exc_info is not None
    assert boxes[0].windowTitle() == "Something went wrong"
    assert (
        boxes[0].text()
        == "The app hit an error it did not expect: RuntimeError: tab failed to draw"
    )
    assert str(tmp_path / "smgov.log") in boxes[0].informativeText()
    assert "RuntimeError: tab failed to draw" in boxes[0].detailedText()


# -- first run ------------------------------------------------------------------------------


@pytest.fixture
def empty_app(sqlite_db: object, qtbot: QtBot) -> AppServices:
    from desktop.services.session import describe_target

    ctx = ServiceContext(sqlite_db, "jdoe")  # type: ignore[arg-type]
    app = AppServices(ctx, describe_target(str(ctx.db.url.database)))
    yield app  # type: ignore[misc]
    wait_for_tasks(qtbot)


def test_first_run_starts_empty_with_the_os_login_as_administrator(
    empty_app: AppServices, qtbot: QtBot
) -> None:
    assert empty_app.is_empty()
    dialog = WelcomeDialog(empty_app)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_button.text() == "Start empty with jdoe as administrator"
    qtbot.keyClicks(dialog.name, "Jane Doe")
    qtbot.keyClicks(dialog.email, "not an address")
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text().startswith("E-mail 'not an address' is not a valid e-mail address")
    assert dialog.email.property("invalid") is True
    assert empty_app.is_empty()
    # A personal address is refused, as the account dialog refuses it.
    dialog.email.setText("jane.doe@gmail.com")
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text().startswith("jane.doe@gmail.com is not a gov"))
    assert "personal e-mail may not be used" in dialog.error.text()
    assert dialog.email.property("invalid") is True
    assert empty_app.is_empty()
    dialog.email.setText("jane.doe@gov.sk.ca")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome == "empty"
    actor = empty_app.actor()
    assert actor.name == "Jane Doe"
    assert actor.roles == frozenset({AppRole.ADMIN})


def test_sample_data_then_choose_whom_to_act_as(
    empty_app: AppServices, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_demo(app: AppServices, as_of: object = None, progress: object = None) -> str:
        from desktop.services.context import ServiceContext as Ctx

        # What the demo generator leaves: people, and the database marked as demo data.
        PeopleService(Ctx(app.ctx.db, "ada")).bootstrap_admin("ada", "Ada Admin", "ada@gov.sk.ca")
        people = PeopleService(Ctx(app.ctx.db, "ada"))
        people.add(PersonInput("pat", "Pat Officer", "pat@gov.sk.ca", roles=[AppRole.OFFICER]))
        with app.ctx.db.write() as session:
            session.add(Setting(key="demo_data", value="true"))
        return "2 people"

    offered: list[list[str]] = []

    def get_item(*args: object) -> tuple[str, bool]:
        items = list(args[3])  # type: ignore[call-overload]
        offered.append(items)
        return items[0], True

    monkeypatch.setattr(AppServices, "load_sample_data", fake_demo)
    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    dialog = WelcomeDialog(empty_app)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    assert offered == [
        ["Ada Admin — Administrator (ada)", "Pat Officer — Communications officer (pat)"]
    ]
    assert empty_app.actor().name == "Ada Admin"
    # Kept in the demo database, not in this workstation's settings.
    from desktop.services.acting import demo_person
    from desktop.storage.app_settings import LocalSettings

    assert demo_person(empty_app.ctx.db) == "ada"
    assert "ada" not in LocalSettings.load().__dict__.values()


def test_a_login_not_registered_is_told_whom_to_ask(
    make_app: Callable[[str], AppServices], boxes: list[QMessageBox]
) -> None:
    app = make_app("officer")
    app.ctx.login = "stranger"  # signed in to the database, but not in its register
    assert ensure_ready(app) is None
    assert boxes[0].windowTitle() == "Not registered"
    assert "'stranger' is not registered" in boxes[0].text()


# -- declaring an emergency ------------------------------------------------------------------


def _received_now(cast: Cast) -> Comment:
    """A new comment received at the declaration instant, with business-hours due times."""
    now = cast.clock()
    account = cast.account("SKHealth")
    comment = Comment(
        id=new_id(),
        account_id=account.id,
        received_at=now,
        text="Is the water safe to drink?",
        clock_start_at=now,
        acknowledge_due_at=now + timedelta(hours=1),
        answer_due_at=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),  # Thu 17:00 in Regina
    )
    with cast.db.write() as session:
        session.add(comment)
    return comment


def test_declaring_an_emergency_shows_the_banner_and_moves_due_times(
    make_window: WindowMaker, cast: Cast, qtbot: QtBot
) -> None:
    comment = _received_now(cast)
    window = make_window("comms")
    dialog = window.make_emergency_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.declare_button.isEnabled())
    # A mistake first: the service's message is shown at the field, nothing is declared.
    qtbot.mouseClick(dialog.declare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "Title is required."
    assert dialog.title_edit.property("invalid") is True

    dialog.kind.setCurrentIndex(dialog.kind.findData(EmergencyKind.FLOOD))
    qtbot.keyClicks(dialog.title_edit, "Flooding in Melfort")
    health = next(
        dialog.ministries.item(i)
        for i in range(dialog.ministries.count())
        if dialog.ministries.item(i).text() == "Ministry of Health (HEA)"
    )
    health.setCheckState(Qt.CheckState.Checked)
    staff = [dialog.on_call_ministry.itemText(i) for i in range(dialog.on_call_ministry.count())]
    assert "Officer Person — Communications officer" in staff
    assert "Officer2 Person — Communications officer" not in staff  # other ministry
    dialog.on_call_ministry.setCurrentText("Officer Person — Communications officer")
    dialog.on_call_council.setCurrentText("Council Person — Executive Council")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.declare_button, Qt.MouseButton.LeftButton)
    assert dialog.declared is not None

    window.refresh_all()
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.texts[0] == "Emergency: Flood — Flooding in Melfort"
    assert (
        "on call: Officer Person (ministry), Council Person (Executive Council)"
        in (window.banner.texts[1])
    )
    with cast.db.read() as session:
        moved = session.get(Comment, comment.id)
        assert moved is not None
        # Around the clock now: 48 hours from receipt, not 17:00 the next business day.
        assert moved.answer_due_at == cast.clock() + timedelta(hours=48)
        assert moved.emergency_id == dialog.declared.id


def test_the_window_refreshes_after_a_declaration(
    make_window: WindowMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window("dci", factories=[SearchTab])
    monkeypatch.setattr(EmergencyDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    before = window.tabs[0].refreshed  # type: ignore[attr-defined]
    window.action_declare_emergency.trigger()
    assert window.status_bar.currentMessage() == "Emergency declared; due times recomputed."
    assert window.tabs[0].refreshed == before + 1  # type: ignore[attr-defined]


# -- headless entry points -----------------------------------------------------------------


@pytest.mark.slow
def test_the_self_test_passes_on_the_demo_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert self_test() == 0
    out = capsys.readouterr().out
    assert out.startswith("self-test passed: 6 tabs (Compliance, Accounts, Permissions,")


@pytest.mark.slow
def test_screenshots_are_one_png_per_tab_at_1400_by_900(tmp_path: Path) -> None:
    assert screenshots(tmp_path / "shots") == 0
    names = sorted(p.name for p in (tmp_path / "shots").iterdir())
    assert names == [
        "01-compliance.png",
        "02-accounts.png",
        "03-permissions.png",
        "04-approvals.png",
        "05-comments.png",
        "06-evaluations.png",
    ]
    image = QImage(str(tmp_path / "shots" / "05-comments.png"))
    assert (image.width(), image.height()) == (1400, 900)


class BrokenTab(OtherTab):
    title = "Accounts"

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        raise RuntimeError("the accounts model lost its columns")


def test_the_self_test_fails_and_says_why_when_a_tab_breaks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("desktop.views.main_window.TAB_FACTORIES", [OtherTab, BrokenTab])
    assert self_test() == 1
    err = capsys.readouterr().err
    assert err.startswith("self-test FAILED: ")
    assert "RuntimeError: the accounts model lost its columns" in err


def test_the_cli_has_the_self_test_and_screenshots_commands() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["screenshots", "docs/screenshots"])
    assert args.dir == "docs/screenshots"
    assert parser.parse_args(["self-test"]).command == "self-test"
