"""The Compliance tab as a person meets it: the KPI tiles, findings grouped by severity and
filtered, the detail with the policy sentence, and double-click opening the record."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from desktop.enums import Platform, Severity
from desktop.models import Account
from desktop.policy.findings import CHECKS
from desktop.services.compliance import ComplianceService
from desktop.views.accounts.accounts_tab import AccountsTab
from desktop.views.compliance.compliance_tab import ComplianceTab
from desktop.views.compliance.findings_model import COL_SUBJECT, FindingFilter
from desktop.views.main_window import MainWindow
from desktop.views.tabs import TAB_FACTORIES
from desktop.views.ui_state import UiState
from desktop.views.worker import PROGRESS_DELAY_MS, Task
from tests.factories import Cast
from tests.views.conftest import add_comment, add_emergency, wait_for_tasks

TabMaker = Callable[[str], ComplianceTab]


@pytest.fixture
def accounts(cast: Cast) -> dict[str, Account]:
    """Two accounts (with findings of every severity the checks give new accounts), an overdue
    comment and an emergency nobody is on call for."""
    made = {
        "health": cast.account("SKHealth", Platform.FACEBOOK),
        "env": cast.account(
            "SKEnvironment",
            Platform.X,
            ministry_id=cast.environment.id,
            owner_id=cast.people["officer2"].id,
        ),
    }
    add_comment(cast, acknowledge_in=timedelta(minutes=-20))
    add_emergency(cast, "Spring flooding")
    return made


@pytest.fixture
def make_tab(accounts: dict[str, Account], cast: Cast, qtbot: QtBot) -> TabMaker:
    def make(who: str) -> ComplianceTab:
        tab = ComplianceTab(cast.ctx(who))
        qtbot.addWidget(tab)
        tab.resize(1400, 900)
        tab.show()
        tab.refresh()
        wait_loaded(qtbot, tab)
        return tab

    return make


def wait_loaded(qtbot: QtBot, tab: ComplianceTab) -> None:
    qtbot.waitUntil(lambda: not tab.loading)
    wait_for_tasks(qtbot)


def choose(tab: ComplianceTab, combo_name: str, data: object) -> None:
    combo = getattr(tab.filter_bar, combo_name)
    position = combo.findData(data)
    assert position >= 0, f"{data!r} is not offered by {combo_name}"
    combo.setCurrentIndex(position)


def index_of(tab: ComplianceTab, code: str, label: str) -> QModelIndex:
    for severity in Severity:
        group = tab.model.group_index(severity)
        for row in range(tab.model.rowCount(group)):
            index = tab.model.index(row, 0, group)
            f = tab.model.finding(index)
            if f is not None and f.code == code and f.subject_label == label:
                return index
    raise AssertionError(f"no {code} finding about {label} is shown")


def double_click(qtbot: QtBot, tab: ComplianceTab, index: QModelIndex) -> None:
    tab.tree.scrollTo(index)
    rect = tab.tree.visualRect(index)
    # QTest's double click alone carries no press; the view wants the press first.
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- the KPIs and the groups ---------------------------------------------------------------


def test_kpi_tiles_show_the_numbers_of_the_service(make_tab: TabMaker, cast: Cast) -> None:
    tab = make_tab("dci")
    kpis = ComplianceService(cast.ctx("dci")).kpis(cast.clock())
    assert kpis.active_accounts == 2
    assert kpis.overdue_comments == 1
    assert kpis.critical_findings > 0
    shown = {field: tab.kpis.value_text(field) for field in tab.kpis.tiles}
    assert shown == {
        "active_accounts": "2",
        "overdue_comments": "1",
        "evaluations_due": str(kpis.evaluations_due),
        "third_party_to_revoke": str(kpis.third_party_to_revoke),
        "critical_findings": str(kpis.critical_findings),
    }
    # Alarms are coloured while they are not zero; a count of accounts never is.
    assert tab.kpis.tiles["overdue_comments"].value.property("severity") == "critical"
    assert tab.kpis.tiles["third_party_to_revoke"].value.property("severity") == "ok"
    assert tab.kpis.tiles["active_accounts"].value.property("severity") == ""
    assert tab.checked.text() == "Checked 2026-11-18 09:00 (America/Regina)"


def test_findings_are_grouped_by_severity_with_their_counts(make_tab: TabMaker, cast: Cast) -> None:
    tab = make_tab("officer")
    summary = ComplianceService(cast.ctx("officer")).overview(cast.clock()).summary
    groups = [tab.model.index(row, 0).data() for row in range(3)]
    by = summary.by_severity
    assert groups == [
        f"Critical — {by[Severity.CRITICAL]} findings",
        f"Warning — {by[Severity.WARNING]} findings",
        f"Information — {by[Severity.INFO]} findings",
    ]
    assert tab.summary.text() == summary.line
    assert tab.tree.isExpanded(tab.model.group_index(Severity.WARNING))
    # The first critical finding is shown rather than an empty detail pane.
    assert tab.detail.finding is not None
    assert tab.detail.finding.severity == Severity.CRITICAL


# -- filters -------------------------------------------------------------------------------


def test_filtering_by_check_narrows_the_findings(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    total = tab.model.shown
    choose(tab, "check", "GOALS_MISSING")
    assert tab.filter_bar.check.currentText() == "Account without measurable goals (2)"
    assert {f.code for f in tab.model.shown_findings()} == {"GOALS_MISSING"}
    assert sorted(f.subject_label for f in tab.model.shown_findings()) == [
        "Facebook @SKHealth",
        "X (Twitter) @SKEnvironment",
    ]
    assert tab.filter_bar.count.text() == f"Showing 2 of {total}"
    assert tab.model.index(1, 0).data() == "Warning — 2 of 4 findings"
    assert tab.filter_bar.clear_button.isEnabled()
    qtbot.mouseClick(tab.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    assert tab.model.shown == total
    assert tab.filter_bar.check.currentIndex() == 0
    assert not tab.filter_bar.clear_button.isEnabled()


def test_filtering_by_ministry_and_platform(make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    assert tab.filter_bar.ministry.findData("ENV") > 0
    choose(tab, "ministry", "ENV")
    assert {f.subject_label for f in tab.model.shown_findings()} == {"X (Twitter) @SKEnvironment"}
    choose(tab, "ministry", "HEA")
    labels = {f.subject_label for f in tab.model.shown_findings()}
    assert labels == {"Facebook @SKHealth", "Spring flooding"}  # the emergency is Health's
    choose(tab, "platform", Platform.FACEBOOK)
    assert {f.subject_label for f in tab.model.shown_findings()} == {"Facebook @SKHealth"}
    choose(tab, "platform", Platform.TIKTOK)
    assert tab.model.shown == 0
    assert tab.detail.empty.text() == "No finding matches the filters; clear them to see all."


def test_search_keeps_the_filters(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    assert tab.search_field() is tab.filter_bar.search
    qtbot.keyClicks(tab.filter_bar.search, "flooding")
    assert [f.code for f in tab.model.shown_findings()] == ["EMERGENCY_NO_ON_CALL"]
    assert tab.model.filter == FindingFilter(text="flooding")


# -- detail and opening the record ---------------------------------------------------------


def test_double_click_opens_the_account_concerned(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    index = index_of(tab, "GOALS_MISSING", "X (Twitter) @SKEnvironment")
    with qtbot.waitSignal(tab.open_record, timeout=2000) as opened:
        double_click(qtbot, tab, index)
    assert opened.args == ["account", accounts["env"].id]
    assert tab.detail.finding is not None
    assert tab.detail.finding.code == "GOALS_MISSING"


def test_enter_opens_the_selected_finding_record(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    tab.tree.setCurrentIndex(index_of(tab, "FACEBOOK_ADMINS", "Facebook @SKHealth"))
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.tree.setFocus()
    with qtbot.waitSignal(tab.open_record, timeout=2000) as opened:
        qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    assert opened.args == ["account", accounts["health"].id]


def test_a_record_without_a_tab_shows_its_detail_only(qtbot: QtBot, make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    index = index_of(tab, "EMERGENCY_NO_ON_CALL", "Spring flooding")
    with qtbot.assertNotEmitted(tab.open_record, wait=200):
        double_click(qtbot, tab, index)
    detail = tab.detail
    assert detail.finding is not None
    assert detail.finding.subject_type == "emergency"
    spec = CHECKS["EMERGENCY_NO_ON_CALL"]
    assert detail.title.text() == spec.title
    assert detail.message.text() == detail.finding.message
    assert detail.remedy.text() == detail.finding.remedy
    assert detail.quote.text() == f"“{spec.policy_quote}”"
    assert detail.ministry.text() == "HEA — Ministry of Health"
    assert not detail.open_button.isEnabled()
    assert detail.open_button.toolTip() == (
        "A emergency has no tab of its own; everything known about it is shown here."
    )


def test_open_record_button_asks_for_the_record(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    tab.tree.setCurrentIndex(index_of(tab, "ACCOUNT_NOT_APPROVED", "Facebook @SKHealth"))
    assert tab.detail.open_button.isEnabled()
    with qtbot.waitSignal(tab.open_record, timeout=2000) as opened:
        qtbot.mouseClick(tab.detail.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == ["account", accounts["health"].id]
    assert isinstance(opened.args[1], uuid.UUID)


def test_window_routes_a_finding_to_the_accounts_tab(
    qtbot: QtBot, make_window: Callable[..., MainWindow], accounts: dict[str, Account]
) -> None:
    window = make_window("officer", factories=TAB_FACTORIES)
    tab = window.tabs[0]
    assert isinstance(tab, ComplianceTab)
    assert window.current_tab() is tab
    wait_loaded(qtbot, tab)
    double_click(qtbot, tab, index_of(tab, "GOALS_MISSING", "X (Twitter) @SKEnvironment"))
    accounts_tab = window.current_tab()
    assert isinstance(accounts_tab, AccountsTab)
    qtbot.waitUntil(lambda: accounts_tab.selected_row() is not None)
    wait_for_tasks(qtbot)
    selected = accounts_tab.selected_row()
    assert selected is not None
    assert selected.id == accounts["env"].id


# -- refresh and refusal -------------------------------------------------------------------


def test_refresh_runs_the_checks_again(qtbot: QtBot, make_tab: TabMaker, cast: Cast) -> None:
    tab = make_tab("officer")
    assert tab.kpis.value_text("active_accounts") == "2"
    cast.account("SKHealthX", Platform.X)
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    assert tab.loading
    assert tab.progress.isVisible()
    assert not tab.refresh_button.isEnabled()
    wait_loaded(qtbot, tab)
    assert tab.kpis.value_text("active_accounts") == "3"
    assert not tab.progress.isVisible()
    assert tab.refresh_button.isEnabled()


def test_agency_is_told_why_nothing_is_shown(make_tab: TabMaker) -> None:
    tab = make_tab("agency")
    assert tab.notice.isVisible()
    assert tab.notice.text().startswith("Reading the whole register needs the role")
    assert tab.model.total == 0
    assert tab.kpis.value_text("critical_findings") == "–"


def test_cancelling_the_run_stops_saying_it_is_running(
    qtbot: QtBot, make_tab: TabMaker, request: pytest.FixtureRequest
) -> None:
    tab = make_tab("officer")
    shown = tab.model.total
    release: threading.Event = request.getfixturevalue("held")  # the checks from now on
    tab.refresh()
    assert tab.progress.isVisible()
    task = tab._task
    assert isinstance(task, Task)
    # A read: said in the tab, never a dialog over it, however long the checks take.
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
    assert tab.stop_button.isVisible()
    qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    assert task.progress.cancelled
    release.set()
    wait_loaded(qtbot, tab)
    assert not tab.progress.isVisible()
    assert not tab.stop_button.isVisible()
    assert tab.refresh_button.isEnabled()
    assert tab.model.total == shown  # the findings of the last run stay


def test_splitter_and_columns_come_back_as_left(make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    tab.splitter.setSizes([700, 680])
    tab.tree.header().resizeSection(COL_SUBJECT, 333)
    state = UiState.in_memory()
    tab.save_state(state)
    assert "tab.ComplianceTab.complianceSplitter/splitter" in set(state.keys())
    again = make_tab("officer")
    again.restore_state(state)
    assert again.splitter.sizes() == tab.splitter.sizes()
    assert again.tree.header().sectionSize(COL_SUBJECT) == 333
