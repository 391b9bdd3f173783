"""The Evaluations tab as a person meets it: an account's half-year (metrics, chart, goals), the
evaluation form with the service's messages and who may complete it, the schedule's colours,
and the PDF button."""

from __future__ import annotations

import importlib.machinery
import sys
import types
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.enums import EvaluationStatus, Platform, Recommendation
from desktop.models import Account
from desktop.services.authz import ALLOWED, Permission, denial
from desktop.services.evaluations import EvaluationService
from desktop.services.goals import GoalService
from desktop.services.metrics import MetricsService
from desktop.views.evaluations.evaluation_report import (
    NO_REPORTS,
    REPORT_DIALOG,
    report_dialog_available,
)
from desktop.views.evaluations.evaluations_tab import EvaluationsTab
from desktop.views.evaluations.schedule_model import (
    COL_ACCOUNT,
    COL_STATUS,
    RED_BACKGROUND,
    AccountIdRole,
)
from desktop.views.main_window import MainWindow
from desktop.views.tabs import TAB_FACTORIES
from desktop.views.ui_state import UiState
from tests.factories import ROLE_CAST, Cast
from tests.views.conftest import wait_for_tasks

TabMaker = Callable[[str], EvaluationsTab]
H1 = "2026H1"
SUMMARY_NEEDED = "Write a summary of the evaluation before completing it."


@pytest.fixture
def accounts(cast: Cast) -> dict[str, Account]:
    """Health's page with six months of metrics and a goal; an account overdue for its
    evaluation; one due soon."""
    system = cast.ctx("admin")
    health = cast.account("SKHealth", Platform.FACEBOOK)
    metrics = MetricsService(system)
    for month in range(1, 7):
        metrics.record(health.id, date(2026, month, 1), 100 * month, 10, 20 + month, 5, 3600)
    GoalService(system).draft(
        health.id, "More shares", "shares", 200, 100, date(2026, 2, 1), date(2027, 1, 31)
    )
    old = cast.account("SKOld", Platform.X)
    soon = cast.account("SKSoon", Platform.YOUTUBE, ministry_id=cast.environment.id)
    now = cast.clock()
    with cast.db.write() as session:
        for account, days in ((old, 250), (soon, 170)):
            row = session.get(Account, account.id)
            assert row is not None
            row.activated_at = now - timedelta(days=days)
    return {"health": health, "old": old, "soon": soon}


@pytest.fixture
def make_tab(accounts: dict[str, Account], cast: Cast, qtbot: QtBot) -> TabMaker:
    def make(who: str) -> EvaluationsTab:
        tab = EvaluationsTab(cast.ctx(who))
        qtbot.addWidget(tab)
        tab.resize(1400, 900)
        tab.show()
        tab.refresh()
        wait_loaded(qtbot, tab)
        return tab

    return make


def wait_loaded(qtbot: QtBot, tab: EvaluationsTab) -> None:
    qtbot.waitUntil(lambda: not tab.loading and not tab.form.busy)
    wait_for_tasks(qtbot)


def show(qtbot: QtBot, tab: EvaluationsTab, account: Account, period: str = H1) -> None:
    """Pick the account and the half-year as a person would, then wait for them to load."""
    tab.period.setCurrentIndex(tab.period.findData(period))
    wait_loaded(qtbot, tab)
    assert tab.picker.select(account.id)
    wait_loaded(qtbot, tab)
    assert tab.data is not None
    assert tab.data.account_id == account.id
    assert tab.data.period.label == period


@pytest.fixture
def confirm(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answers Yes to the confirmation of completing; records what it asked."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


# -- the half-year of one account ----------------------------------------------------------


def test_metrics_chart_and_goals_of_the_chosen_half_year(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    assert tab.selected_period() is not None
    assert tab.period.currentData() == H1  # the latest half-year that has ended
    show(qtbot, tab, accounts["health"])
    model = tab.half_year.metrics_model
    assert model.rowCount() == 7
    assert [model.index(r, 0).data() for r in (0, 5, 6)] == ["Jan 2026", "Jun 2026", "Total"]
    assert model.index(6, 1).data() == "2,100"  # positive responses, 100 + 200 + … + 600
    assert tab.half_year.chart.has_data
    assert "Jan 2026: positive responses 100" in tab.half_year.chart.accessibleDescription()
    goals = tab.half_year.goals_model.goals
    assert [(g.title, g.actual) for g in goals] == [("More shares", 21 + 22 + 23 + 24 + 25 + 26)]
    assert tab.half_year.goals_table.isVisibleTo(tab)
    assert not tab.half_year.goals_empty.isVisibleTo(tab)


def test_an_account_without_metrics_or_goals_says_so(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    show(qtbot, tab, accounts["old"])
    assert not tab.half_year.chart.has_data
    assert tab.half_year.goals_empty.isVisibleTo(tab)
    assert tab.half_year.goals_empty.text().startswith("No goals of this account cover 2026H1")
    assert tab.due.text().startswith("Evaluation due")
    assert tab.due.property("severity") == "critical"
    # The whole warning is readable in the default 1280 px window, even the longest.
    tab.resize(1256, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.due.height() >= tab.due.heightForWidth(tab.due.width()))
    shown = tab.due.fontMetrics().boundingRect(
        tab.due.contentsRect(),
        int(tab.due.alignment()) | int(Qt.TextFlag.TextWordWrap),
        tab.due.text(),
    )
    assert shown.width() <= tab.due.contentsRect().width()
    assert shown.height() <= tab.due.contentsRect().height()


# -- the form ------------------------------------------------------------------------------


def test_drafting_empty_then_completing_as_the_dci_shows_the_message_then_succeeds(
    qtbot: QtBot,
    make_tab: TabMaker,
    accounts: dict[str, Account],
    cast: Cast,
    confirm: list[str],
) -> None:
    tab = make_tab("dci")
    show(qtbot, tab, accounts["health"])
    form = tab.form
    assert form.status.text() == "Not started: nothing is saved for 2026H1 yet."
    assert form.save_button.isEnabled()
    assert form.complete_button.isEnabled()

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)
    assert form.status.text() == "Draft — waiting to be completed by the Director DCI."
    [draft] = EvaluationService(cast.ctx("dci")).for_account(accounts["health"].id)
    assert (draft.period, draft.status, draft.summary) == (H1, EvaluationStatus.DRAFT, "")

    qtbot.mouseClick(form.complete_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)
    assert confirm == [
        "Complete the evaluation of Facebook @SKHealth for 2026H1? It is signed off in your "
        "name and cannot be changed afterwards."
    ]
    assert form.error.isVisible()
    assert form.error.text() == SUMMARY_NEEDED
    assert form.summary.property("invalid") is True
    assert form.complete_button.isEnabled()  # fix the summary and try again

    qtbot.keyClicks(form.summary, "Engagement grew every month; shares met the goal.")
    form.recommendation.setCurrentIndex(form.recommendation.findData(Recommendation.NEW_STRATEGY))
    qtbot.mouseClick(form.complete_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)
    assert not form.error.isVisible()
    assert form.summary.property("invalid") is False
    assert form.status.text().startswith("Completed on Wed 18 Nov 2026, 09:00")
    [done] = EvaluationService(cast.ctx("dci")).for_account(accounts["health"].id)
    assert done.status == EvaluationStatus.COMPLETED
    assert done.recommendation == Recommendation.NEW_STRATEGY
    assert done.summary == "Engagement grew every month; shares met the goal."
    # Completed: nothing can change any more, and the buttons say why.
    assert form.summary.isReadOnly()
    assert not form.save_button.isEnabled()
    assert not form.complete_button.isEnabled()
    assert form.complete_button.toolTip().startswith("The evaluation for 2026H1 was completed on")


def test_completing_without_a_recommendation_names_the_field(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account], confirm: list[str]
) -> None:
    tab = make_tab("admin")
    show(qtbot, tab, accounts["health"])
    qtbot.keyClicks(tab.form.summary, "A steady half-year.")
    qtbot.mouseClick(tab.form.complete_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)
    assert tab.form.error.text().startswith("Choose a recommendation before completing")
    assert tab.form.recommendation.property("invalid") is True
    # Completing drafted it first: the draft is kept with the summary typed.
    assert tab.form.status.text().startswith("Draft")


def test_cancelling_the_confirmation_completes_nothing(
    qtbot: QtBot,
    make_tab: TabMaker,
    accounts: dict[str, Account],
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    tab = make_tab("dci")
    show(qtbot, tab, accounts["health"])
    qtbot.mouseClick(tab.form.complete_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)
    assert EvaluationService(cast.ctx("dci")).for_account(accounts["health"].id) == []


def _readers() -> list[str]:
    return [w for w, roles in ROLE_CAST.items() if set(roles) & ALLOWED[Permission.READ_ALL]]


@pytest.mark.parametrize("who", _readers())
def test_buttons_are_enabled_only_for_those_who_may_act(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account], cast: Cast, who: str
) -> None:
    tab = make_tab(who)
    show(qtbot, tab, accounts["health"])  # a Health account
    person = cast.people[who]
    roles = frozenset(ROLE_CAST[who])
    complete = denial(roles, Permission.COMPLETE_EVALUATION)
    draft = denial(
        roles,
        Permission.DRAFT_RECORDS,
        actor_ministry=person.ministry_id,
        target_ministry=cast.health.id,
    )
    form = tab.form
    assert form.complete_button.isEnabled() is (complete is None)
    assert form.save_button.isEnabled() is (draft is None)
    if complete is not None:
        assert form.complete_button.toolTip() == complete
    if draft is not None:
        assert form.save_button.toolTip() == draft
    assert form.summary.isReadOnly() is (complete is not None and draft is not None)


def test_complete_is_disabled_for_an_officer_with_the_reason(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    show(qtbot, tab, accounts["health"])
    assert tab.form.save_button.isEnabled()
    assert not tab.form.complete_button.isEnabled()
    assert tab.form.complete_button.toolTip() == (
        "Completing an evaluation needs the role Director, Digital Channels and Insights or "
        "Administrator; you hold Communications officer."
    )


def test_an_officer_of_another_ministry_may_not_draft(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer2")  # Environment
    show(qtbot, tab, accounts["health"])
    assert not tab.form.save_button.isEnabled()
    assert tab.form.save_button.toolTip() == (
        "Entering metrics and drafting goals and evaluations is limited to your own "
        "ministry's accounts for your role."
    )
    show(qtbot, tab, accounts["soon"])  # Environment's own
    assert tab.form.save_button.isEnabled()


def test_agency_is_told_why_nothing_is_shown(make_tab: TabMaker) -> None:
    tab = make_tab("agency")
    assert tab.notice.isVisible()
    assert tab.notice.text().startswith("Reading the whole register needs the role")
    assert not tab.form.save_button.isEnabled()
    assert tab.schedule.model.rowCount() == 0


# -- the schedule --------------------------------------------------------------------------


def schedule_position(tab: EvaluationsTab, account: Account) -> int:
    position = tab.schedule.model.position_of(account.id)
    assert position is not None, f"{account.handle} is not in the schedule"
    return position


def test_schedule_overdue_rows_are_coloured(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    model = tab.schedule.model
    assert [model.index(r, COL_ACCOUNT).data() for r in range(model.rowCount())] == [
        "X (Twitter) @SKOld",
        "YouTube @SKSoon",
    ]
    late = model.index(schedule_position(tab, accounts["old"]), COL_STATUS)
    assert late.data().endswith("days overdue")
    assert late.data(Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    soon = model.index(schedule_position(tab, accounts["soon"]), COL_STATUS)
    assert soon.data(Qt.ItemDataRole.BackgroundRole) != RED_BACKGROUND
    assert tab.schedule.count.text() == "1 overdue, 1 due soon"
    qtbot.mouseClick(tab.schedule.show_all, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 3  # Health's page is not due for months
    # The most urgent account is shown first.
    assert tab.picker.account_id() == accounts["old"].id


def test_double_click_in_the_schedule_selects_that_account(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    index = tab.schedule.model.index(schedule_position(tab, accounts["soon"]), COL_ACCOUNT)
    rect = tab.schedule.table.visualRect(index)
    viewport = tab.schedule.table.viewport()
    # QTest's double click alone carries no press; the view wants the press first.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    wait_loaded(qtbot, tab)
    assert tab.picker.account_id() == accounts["soon"].id
    assert tab.picker.currentText() == "YouTube @SKSoon — ENV"
    assert tab.data is not None
    assert tab.data.account_id == accounts["soon"].id
    assert index.data(AccountIdRole) == accounts["soon"].id


def test_completing_moves_the_account_in_the_schedule(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account], confirm: list[str]
) -> None:
    tab = make_tab("dci")
    show(qtbot, tab, accounts["old"])
    with qtbot.waitSignal(tab.data_changed, timeout=5000):
        qtbot.keyClicks(tab.form.summary, "Overdue, now done.")
        tab.form.recommendation.setCurrentIndex(1)
        qtbot.mouseClick(tab.form.complete_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)
    qtbot.waitUntil(lambda: tab.schedule.model.position_of(accounts["old"].id) is None)
    assert tab.schedule.count.text() == "0 overdue, 1 due soon"


# -- the PDF -------------------------------------------------------------------------------


@pytest.fixture
def report_dialog(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A stand-in for the reports view's module: records how it was asked to open."""
    calls: list[dict[str, Any]] = []
    module = types.ModuleType(REPORT_DIALOG)
    module.__spec__ = importlib.machinery.ModuleSpec(REPORT_DIALOG, None)

    def open_report_dialog(parent: object, ctx: object, **kw: Any) -> None:
        calls.append({"parent": parent, "ctx": ctx, **kw})

    module.open_report_dialog = open_report_dialog  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, REPORT_DIALOG, module)
    return calls


def test_generate_pdf_opens_the_report_dialog_prefilled(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account], report_dialog: list[dict]
) -> None:
    tab = make_tab("officer")
    show(qtbot, tab, accounts["health"])
    assert tab.pdf_button.isEnabled()
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    assert report_dialog == [
        {
            "parent": tab,
            "ctx": tab.ctx,
            "kind": "evaluation",
            "account_id": accounts["health"].id,
            "period": H1,
        }
    ]


def test_without_the_reports_view_the_pdf_button_says_why(
    qtbot: QtBot,
    make_tab: TabMaker,
    accounts: dict[str, Account],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "desktop.views.evaluations.evaluations_tab.report_dialog_available", lambda: False
    )
    tab = make_tab("officer")
    show(qtbot, tab, accounts["health"])
    assert not tab.pdf_button.isEnabled()
    assert tab.pdf_button.toolTip() == NO_REPORTS


# -- links ---------------------------------------------------------------------------------


def test_window_opens_an_evaluation_in_this_tab(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    accounts: dict[str, Account],
    cast: Cast,
) -> None:
    evaluation = EvaluationService(cast.ctx("officer")).draft(
        accounts["health"].id, "2025H2", "Looking back on 2025.", Recommendation.CONTINUE
    )
    window = make_window("officer", factories=TAB_FACTORIES)
    window.show_record("evaluation", evaluation.id)
    tab = window.current_tab()
    assert isinstance(tab, EvaluationsTab)
    assert window.tab_widget.currentIndex() == window.tab_widget.count() - 1
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.evaluation is not None)
    wait_loaded(qtbot, tab)
    assert tab.picker.account_id() == accounts["health"].id
    assert tab.period.currentData() == "2025H2"
    assert tab.form.summary.toPlainText() == "Looking back on 2025."
    assert tab.form.recommendation.currentData() == Recommendation.CONTINUE


def test_show_record_ignores_other_types(make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    before = tab.picker.account_id()
    tab.show_record("account", uuid.uuid4())
    assert tab.picker.account_id() == before
    assert tab.schedule.table.currentIndex() == QModelIndex()


# The completer's popup asks the offscreen platform for what it cannot do.
@pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints",
    "does not support raise",
    "does not support grabbing the keyboard",
)
def test_ctrl_f_finds_an_account_by_any_part_of_its_name(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    # Focus goes to the active window: another test's window may still hold it for a moment.
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    assert tab.focus_search()
    field = tab.search_field()
    assert field is not None
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "soon")
    completer = tab.picker.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "YouTube @SKSoon — ENV"
    popup.setCurrentIndex(popup.model().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    wait_loaded(qtbot, tab)
    assert tab.picker.account_id() == accounts["soon"].id
    assert tab.data is not None
    assert tab.data.account_id == accounts["soon"].id


def test_splitters_come_back_as_left(make_tab: TabMaker) -> None:
    tab = make_tab("officer")
    tab.splitter.setSizes([600, 760])
    state = UiState.in_memory()
    tab.save_state(state)
    again = make_tab("officer")
    again.restore_state(state)
    assert again.splitter.sizes() == tab.splitter.sizes()


@pytest.mark.skipif(not report_dialog_available(), reason="no reports view in this build")
def test_generate_pdf_opens_the_real_report_dialog_on_this_account_and_half_year(
    qtbot: QtBot, make_tab: TabMaker, accounts: dict[str, Account]
) -> None:
    tab = make_tab("officer")
    show(qtbot, tab, accounts["health"])
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(QDialog, "reportDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    kind, account, half = (
        dialog.findChild(QComboBox, name)
        for name in ("reportKind", "reportAccount", "reportHalfYear")
    )
    assert kind is not None
    assert account is not None
    assert half is not None
    assert kind.currentData() == "evaluation"
    qtbot.waitUntil(lambda: account.currentData() == str(accounts["health"].id))
    assert half.currentData() == H1
    wait_for_tasks(qtbot)
    dialog.close()
