"""The Accounts tab as a person meets it: filtering, proposing and editing with the service's
messages beside the fields, the actions each role may take, and the detail panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

from desktop.enums import AccountStatus, PageRole, Platform
from desktop.services.account_list import AccountFilters, AccountListService
from desktop.services.accounts import AccountService
from desktop.services.authz import Permission, denial
from desktop.services.goals import GoalService
from desktop.services.roles import RoleService
from desktop.views.accounts.account_dialog import AccountDialog
from desktop.views.accounts.account_table_model import COL_HANDLE, COL_PASSWORD_AGE
from desktop.views.accounts.accounts_tab import AccountsTab
from desktop.views.accounts.combos import index_of
from desktop.views.accounts.password_dialog import PasswordChangeDialog
from desktop.views.main_window import MainWindow
from desktop.views.tabs import TAB_FACTORIES
from desktop.views.ui_state import UiState
from tests.factories import ROLE_CAST, Cast
from tests.views.conftest import wait_for_tasks

TabMaker = Callable[[str], AccountsTab]


@pytest.fixture
def inventory(cast: Cast) -> Cast:
    cast.account("SKHealth", Platform.FACEBOOK)
    cast.account("SKHealthX", Platform.X)
    cast.account(
        "SKEnvironment",
        Platform.FACEBOOK,
        ministry_id=cast.environment.id,
        owner_id=cast.people["officer2"].id,
        government_email="environment@gov.sk.ca",
    )
    return cast


@pytest.fixture
def make_tab(inventory: Cast, qtbot: QtBot) -> TabMaker:
    def make(who: str) -> AccountsTab:
        tab = AccountsTab(inventory.ctx(who))
        qtbot.addWidget(tab)
        tab.resize(1400, 900)
        tab.show()
        tab.refresh()
        wait_loaded(qtbot, tab)
        return tab

    return make


def wait_loaded(qtbot: QtBot, tab: AccountsTab) -> None:
    qtbot.waitUntil(lambda: not tab.loading)
    wait_for_tasks(qtbot)


def shown_handles(tab: AccountsTab) -> list[str]:
    return sorted(row.handle for row in tab.model.rows)


def status_is(tab: AccountsTab, status: AccountStatus) -> bool:
    row = tab.selected_row()
    return row is not None and row.status == status


def select(qtbot: QtBot, tab: AccountsTab, handle: str) -> None:
    position = next(i for i, r in enumerate(tab.model.rows) if r.handle == handle)
    tab.table.selectRow(position)
    row = tab.selected_row()
    assert row is not None
    qtbot.waitUntil(lambda: tab.detail_loaded == row.id)


def press(qtbot: QtBot, tab: AccountsTab, key: Qt.Key, modifier: Any = None) -> None:
    """A key in the table, as typed: shortcuts answer only in the active window."""
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.table.setFocus()
    if modifier is None:
        qtbot.keyClick(tab.table, key)
    else:
        qtbot.keyClick(tab.table, key, modifier)


def open_dialog(qtbot: QtBot, tab: AccountsTab) -> Any:
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    return tab.dialog


# -- the list ------------------------------------------------------------------------------


def test_tab_is_registered_and_opens_accounts_for_the_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow], inventory: Cast
) -> None:
    window = make_window("officer", factories=TAB_FACTORIES)
    assert [t.title for t in window.tabs] == ["Compliance"]  # the others wait to be selected
    target = next(
        r
        for r in AccountListService(inventory.ctx("officer")).rows(inventory.clock())
        if r.handle == "SKHealthX"
    )
    window.show_record("account", target.id)  # as the Compliance tab asks
    tab = window.current_tab()
    assert isinstance(tab, AccountsTab)
    assert window.tab_widget.tabText(window.tab_widget.currentIndex()) == "Accounts"
    qtbot.waitUntil(lambda: tab.selected_row() is not None)
    wait_loaded(qtbot, tab)
    assert shown_handles(tab) == ["SKEnvironment", "SKHealth", "SKHealthX"]
    assert tab.count.text() == "3 accounts"
    assert tab.selected_row().id == target.id  # type: ignore[union-attr]


def test_filter_by_platform_narrows_the_rows(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    tab.filter_bar.platform.setCurrentIndex(tab.filter_bar.platform.findData(Platform.X))
    wait_loaded(qtbot, tab)
    assert shown_handles(tab) == ["SKHealthX"]
    assert tab.count.text() == "1 account"
    tab.filter_bar.platform.setCurrentIndex(0)
    wait_loaded(qtbot, tab)
    assert len(tab.model.rows) == 3


def test_filter_by_ministry_narrows_the_rows(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    tab = make_tab("officer")
    assert tab.filter_bar.ministry.count() == 3  # all, ENV, HEA
    tab.filter_bar.ministry.setCurrentIndex(
        index_of(tab.filter_bar.ministry, inventory.environment.id)
    )
    wait_loaded(qtbot, tab)
    assert shown_handles(tab) == ["SKEnvironment"]


def test_filter_by_status_narrows_the_rows(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    tab.filter_bar.status.setCurrentIndex(tab.filter_bar.status.findData(AccountStatus.PROPOSED))
    wait_loaded(qtbot, tab)
    assert shown_handles(tab) == []
    assert tab.count.text() == "No accounts match"


def test_search_box_narrows_the_rows_after_typing(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    assert tab.search_field() is tab.filter_bar.search
    qtbot.keyClicks(tab.filter_bar.search, "officer2")  # the accountable owner's name
    qtbot.waitUntil(lambda: shown_handles(tab) == ["SKEnvironment"])
    tab.filter_bar.search.clear()
    qtbot.keyClicks(tab.filter_bar.search, "@skhealth")
    qtbot.waitUntil(lambda: shown_handles(tab) == ["SKHealth", "SKHealthX"])


def test_clicking_a_header_sorts(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    tab.table.sortByColumn(COL_HANDLE, Qt.SortOrder.DescendingOrder)
    assert [r.handle for r in tab.model.rows] == ["SKHealthX", "SKHealth", "SKEnvironment"]


def test_agency_sees_why_the_register_is_closed(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("agency")
    assert tab.notice.isVisible()
    assert "Reading the whole register needs the role" in tab.notice.text()
    assert tab.model.rowCount() == 0
    assert not tab.tab_actions.propose.isEnabled()
    assert tab.tab_actions.propose.toolTip() == tab.notice.text()


# -- proposing and editing -----------------------------------------------------------------


def test_personal_email_is_shown_next_to_the_field_and_nothing_is_saved(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    tab = make_tab("officer")
    press(qtbot, tab, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog: AccountDialog = open_dialog(qtbot, tab)
    assert dialog.windowTitle() == "Propose an account"
    assert dialog.ministry.currentData() == inventory.health.id  # the officer's ministry
    assert not dialog.status.isEnabled()  # only DSO registers accounts directly
    assert "needs the role" in dialog.status.toolTip()
    dialog.handle.setText("HealthNews")
    dialog.government_email.setText("health.news@gmail.com")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.errors.message("government_email")))
    wait_for_tasks(qtbot)

    message = dialog.errors.message("government_email")
    assert "health.news@gmail.com is not a government address" in message
    label = dialog.errors.labels["government_email"]
    assert label.isVisible()
    # Next to the field: in the same form cell, right under the e-mail box.
    assert label.parentWidget() is dialog.government_email.parentWidget()
    assert label.geometry().top() >= dialog.government_email.geometry().bottom()
    assert dialog.government_email.property("invalid") is True
    assert not dialog.error.isVisible()
    assert dialog.isVisible()
    everything = AccountListService(inventory.ctx("officer")).rows(inventory.clock())
    assert len(everything) == 3

    dialog.government_email.setText("health.news@gov.sk.ca")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None)
    wait_loaded(qtbot, tab)
    assert "HealthNews" in shown_handles(tab)
    selected = tab.selected_row()
    assert selected is not None
    assert (selected.handle, selected.status) == ("HealthNews", AccountStatus.PROPOSED)


def test_dso_registers_an_active_account_and_an_error_without_field_goes_under_the_form(
    qtbot: QtBot, make_tab: TabMaker
) -> None:
    tab = make_tab("dso")
    tab.tab_actions.propose.trigger()
    dialog: AccountDialog = open_dialog(qtbot, tab)
    assert dialog.status.isEnabled()
    dialog.status.setCurrentIndex(dialog.status.findData(AccountStatus.ACTIVE))
    dialog.handle.setText("skhealth")  # already in the inventory, whatever the case
    dialog.government_email.setText("health@gov.sk.ca")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible)
    assert "Facebook @skhealth is already in the inventory" in dialog.error.text()
    dialog.handle.setText("SKHealthAlerts")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None)
    wait_loaded(qtbot, tab)
    row = tab.selected_row()
    assert row is not None
    assert (row.handle, row.status) == ("SKHealthAlerts", AccountStatus.ACTIVE)


def test_choosing_x_selects_tweetdeck(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    tab.tab_actions.propose.trigger()
    dialog: AccountDialog = open_dialog(qtbot, tab)
    assert not dialog.tool_hint.isVisible()
    dialog.platform.setCurrentIndex(dialog.platform.findData(Platform.X))
    assert dialog.posting_tool.currentText() == "TweetDeck / X Pro"
    assert dialog.tool_hint.isVisible()
    dialog.reject()


def test_editing_bumps_the_version_and_shows_the_change(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    tab = make_tab("officer")
    select(qtbot, tab, "SKHealth")
    before = tab.selected_row()
    assert before is not None
    press(qtbot, tab, Qt.Key.Key_Return)
    dialog: AccountDialog = open_dialog(qtbot, tab)
    assert dialog.windowTitle() == "Edit Facebook @SKHealth"
    assert dialog.handle.text() == "SKHealth"
    assert dialog.owner.currentData() == inventory.people["officer"].id
    dialog.display_name.setText("Saskatchewan Health")
    dialog.purpose.setPlainText("Health news and clinic hours.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None)
    wait_loaded(qtbot, tab)
    qtbot.waitUntil(lambda: tab.detail_loaded == before.id)
    after = tab.selected_row()
    assert after is not None
    assert after.id == before.id
    assert after.version == before.version + 1
    assert after.display_name == "Saskatchewan Health"
    assert tab.detail.facts["purpose"].text() == "Health news and clinic hours."
    assert tab.detail.history.item(0, 2).text() == "Edit"
    assert "Saskatchewan Health" in tab.detail.history.item(0, 3).text()


def test_edit_with_a_stale_version_says_someone_else_changed_it(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    tab = make_tab("officer")
    select(qtbot, tab, "SKHealth")
    row = tab.selected_row()
    assert row is not None
    tab.tab_actions.edit.trigger()
    dialog: AccountDialog = open_dialog(qtbot, tab)
    changed = row.to_input()
    changed.display_name = "Changed elsewhere"
    AccountService(inventory.ctx("comms")).edit(row.id, changed)
    dialog.display_name.setText("Mine")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible)
    assert "Someone else changed this account" in dialog.error.text()
    dialog.reject()


def test_double_click_opens_the_edit_dialog(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("dso")
    select(qtbot, tab, "SKHealthX")
    position = tab.model.position_of(tab.selected_row().id)  # type: ignore[union-attr]
    rect = tab.table.visualRect(tab.model.index(position or 0, COL_HANDLE))
    # QTest's double click alone carries no press; the view wants the press first.
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog: AccountDialog = open_dialog(qtbot, tab)
    assert dialog.windowTitle() == "Edit X (Twitter) @SKHealthX"
    dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None)


# -- what each role may do -----------------------------------------------------------------


def _expected(who: str, cast: Cast, permission: Permission) -> str | None:
    person = cast.people[who]
    return denial(
        frozenset(ROLE_CAST[who]),
        permission,
        actor_ministry=person.ministry_id,
        target_ministry=cast.health.id,
    )


@pytest.mark.parametrize("who", [w for w in ROLE_CAST if w != "agency"])
def test_actions_are_enabled_by_role_with_the_reason_otherwise(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast, who: str
) -> None:
    tab = make_tab(who)
    select(qtbot, tab, "SKHealth")  # active, Ministry of Health
    propose = _expected(who, inventory, Permission.PROPOSE_ACCOUNT)
    edit = _expected(who, inventory, Permission.EDIT_ACCOUNT)
    manage = _expected(who, inventory, Permission.MANAGE_ACCOUNTS)
    already_active = "Facebook @SKHealth is already active."
    expectations = {
        tab.tab_actions.propose: propose,
        tab.tab_actions.edit: edit,
        tab.tab_actions.password: edit,
        tab.tab_actions.suspend: edit,
        tab.tab_actions.shut_down: manage,
        tab.tab_actions.activate: manage or already_active,
    }
    for action, refusal in expectations.items():
        assert action.isEnabled() == (refusal is None), action.objectName()
        if refusal is not None:
            assert action.toolTip() == refusal, action.objectName()
    button = tab.findChild(QToolButton, "buttonEditAccount")
    assert button is not None
    assert button.toolTip() == tab.tab_actions.edit.toolTip()


def test_the_auditor_reads_but_every_button_says_why_not(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("auditor")
    select(qtbot, tab, "SKHealth")
    for action in (
        tab.tab_actions.propose,
        tab.tab_actions.edit,
        tab.tab_actions.password,
        tab.tab_actions.suspend,
        tab.tab_actions.shut_down,
        tab.tab_actions.activate,
    ):
        assert not action.isEnabled()
        assert "needs the role" in action.toolTip()
        assert "you hold Auditor" in action.toolTip()
    tab.tab_actions.edit.trigger()  # a disabled action does nothing
    assert tab.dialog is None


def test_officer_of_another_ministry_is_told_the_limit(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer2")
    select(qtbot, tab, "SKHealth")
    assert not tab.tab_actions.edit.isEnabled()
    assert tab.tab_actions.edit.toolTip() == (
        "Editing account details is limited to your own ministry's accounts for your role."
    )
    select(qtbot, tab, "SKEnvironment")
    assert tab.tab_actions.edit.isEnabled()


def test_without_a_selection_row_actions_ask_for_one(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("admin")
    tab.table.clearSelection()
    assert not tab.tab_actions.edit.isEnabled()
    assert tab.tab_actions.edit.toolTip() == "Select an account first."
    assert tab.tab_actions.propose.isEnabled()


# -- status and password -------------------------------------------------------------------


def test_suspend_then_activate(
    qtbot: QtBot, make_tab: TabMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = make_tab("dso")
    select(qtbot, tab, "SKHealthX")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Security review", True))
    with qtbot.waitSignal(tab.data_changed):  # the window refreshes the other tabs
        tab.tab_actions.suspend.trigger()
    qtbot.waitUntil(lambda: status_is(tab, AccountStatus.SUSPENDED))
    row = tab.selected_row()
    assert row is not None
    assert row.status_reason == "Security review"
    qtbot.waitUntil(lambda: tab.tab_actions.activate.isEnabled())
    assert not tab.tab_actions.suspend.isEnabled()
    assert tab.tab_actions.suspend.toolTip() == "X (Twitter) @SKHealthX is already suspended."
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.tab_actions.activate.trigger()
    qtbot.waitUntil(lambda: status_is(tab, AccountStatus.ACTIVE))


def test_shut_down_without_a_reason_is_refused_with_a_message(
    qtbot: QtBot,
    make_tab: TabMaker,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[QMessageBox],
    inventory: Cast,
) -> None:
    tab = make_tab("admin")
    select(qtbot, tab, "SKHealth")
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("  ", True))
    tab.tab_actions.shut_down.trigger()
    qtbot.waitUntil(lambda: bool(boxes))
    assert boxes[0].text() == "Give the reason the account is shut down."
    rows = AccountListService(inventory.ctx("admin")).rows(
        inventory.clock(), AccountFilters(status=AccountStatus.SHUT_DOWN)
    )
    assert rows == []
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Merged", True))
    tab.tab_actions.shut_down.trigger()
    qtbot.waitUntil(lambda: status_is(tab, AccountStatus.SHUT_DOWN))
    assert "Facebook @SKHealth is shut down" in tab.tab_actions.activate.toolTip()


def test_proposed_account_cannot_be_activated_here(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    from desktop.services.accounts import AccountInput

    AccountService(inventory.ctx("officer")).propose(
        AccountInput(Platform.YOUTUBE, "HealthVideos", inventory.health.id, "video@gov.sk.ca")
    )
    tab = make_tab("dso")
    select(qtbot, tab, "HealthVideos")
    assert not tab.tab_actions.activate.isEnabled()
    assert tab.tab_actions.activate.toolTip() == (
        "YouTube @HealthVideos is proposed; only approved or suspended accounts can be "
        "activated. A proposed account is approved through its new-account approval first."
    )


def test_record_password_change_refuses_the_future_then_saves(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    tab = make_tab("officer")
    select(qtbot, tab, "SKHealth")
    row = tab.selected_row()
    assert row is not None
    assert tab.model.data(
        tab.model.index(tab.model.position_of(row.id) or 0, COL_PASSWORD_AGE)
    ) == ("Never recorded")
    tab.tab_actions.password.trigger()
    dialog: PasswordChangeDialog = open_dialog(qtbot, tab)
    dialog.changed_at.setDateTime(dialog.changed_at.dateTime().addDays(2))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.errors.message("changed_at")))
    assert dialog.errors.message("changed_at") == "The password change cannot be in the future."
    dialog.changed_at.setDateTime(dialog.changed_at.dateTime().addDays(-12))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is None)
    wait_loaded(qtbot, tab)
    after = tab.selected_row()
    assert after is not None
    assert after.password_age_days == 10
    assert after.password_changed_at == inventory.clock() - timedelta(days=10)


# -- detail and navigation -----------------------------------------------------------------


def test_detail_panel_shows_goals_roles_and_history(
    qtbot: QtBot, make_tab: TabMaker, inventory: Cast
) -> None:
    rows = AccountListService(inventory.ctx("dso")).rows(inventory.clock())
    health = next(r for r in rows if r.handle == "SKHealth")
    GoalService(inventory.ctx("officer")).draft(health.id, "Answer questions", "comments", 120)
    RoleService(inventory.ctx("dso")).grant(inventory.people["comms"].id, health.id, PageRole.ADMIN)
    tab = make_tab("auditor")
    select(qtbot, tab, "SKHealth")
    detail = tab.detail
    assert detail.heading.text() == "Facebook @SKHealth"
    assert detail.facts["email"].text() == "skhealth@gov.sk.ca"
    assert detail.facts["owner"].text() == "Officer Person"
    assert detail.goals.item(0, 0).text() == "Answer questions"
    assert detail.goals.item(0, 4).text() == "Draft"
    assert detail.sections.tabText(0) == "Goals (1)"
    assert detail.roles.item(0, 0).text() == "Comms Person"
    assert detail.roles.item(0, 1).text() == "Admin"
    assert detail.history.item(0, 2).text() == "Create"
    assert len(detail.sparkline.points) == 12
    assert detail.sparkline_summary.text() == "No engagement metrics recorded in these months."


def test_show_record_selects_the_account_even_when_filtered_out(
    qtbot: QtBot, make_tab: TabMaker
) -> None:
    tab = make_tab("officer")
    target = next(r for r in tab.model.rows if r.handle == "SKEnvironment")
    tab.filter_bar.platform.setCurrentIndex(tab.filter_bar.platform.findData(Platform.X))
    wait_loaded(qtbot, tab)
    tab.show_record("account", str(target.id))
    qtbot.waitUntil(lambda: tab.selected_row() is not None)
    wait_loaded(qtbot, tab)
    assert tab.selected_row().id == target.id  # type: ignore[union-attr]
    assert tab.filter_bar.platform.currentIndex() == 0


def test_splitter_and_header_are_saved_by_name(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    state = UiState.in_memory()
    tab.save_state(state)
    assert "tab.AccountsTab.accountListSplitter/splitter" in state.keys()  # noqa: SIM118 - UiState is not a mapping
    assert "tab.AccountsTab.accountsTable/header" in state.keys()  # noqa: SIM118 - UiState is not a mapping
    tab.restore_state(state)
