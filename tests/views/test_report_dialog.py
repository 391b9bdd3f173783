"""The report dialog and the Reports menu: a PDF is generated and opened; pickers follow the
kind; people who may not read the whole register cannot open it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.reports.spec import ReportKind
from desktop.services.authz import ALLOWED, Permission
from desktop.services.context import ServiceContext
from desktop.views.main_window import MainWindow
from desktop.views.reports.report_dialog import ReportDialog, open_report_dialog
from tests.factories import Cast
from tests.views.conftest import wait_for_tasks


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def make_dialog(qtbot: QtBot, cast: Cast, who: str = "admin", **kw: object) -> ReportDialog:
    dialog = open_report_dialog(None, cast.ctx(who), **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    wait_for_tasks(qtbot)
    return dialog


def choose(dialog: ReportDialog, kind: ReportKind) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))


def test_portfolio_for_a_half_year_writes_the_pdf_and_opens_it(
    qtbot: QtBot,
    cast: Cast,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    opened: list[QUrl],
) -> None:
    cast.account("SKHealth")
    target = tmp_path / "portfolio.pdf"
    asked: list[str] = []

    def save_as(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    dialog = make_dialog(qtbot, cast, kind="evaluation")
    choose(dialog, ReportKind.PORTFOLIO)
    dialog.half_combo.setCurrentIndex(dialog.half_combo.findData("2026H1"))

    dialog.generate_button.click()
    wait_for_tasks(qtbot, timeout=60_000)

    assert Path(asked[0]).name == "portfolio-2026H1.pdf"
    assert dialog.error.isHidden(), dialog.error.text()
    assert [u.toLocalFile() for u in opened] == [str(target)]
    assert not dialog.saved.isHidden()
    assert str(target) in dialog.saved.text()
    first_page = PdfReader(target).pages[0].extract_text()
    assert "Portfolio" in first_page
    assert "2026H1" in first_page


def test_the_file_name_follows_the_kind_and_the_current_half_year(cast: Cast, qtbot: QtBot) -> None:
    # The cast's clock stands in November 2026: the current half-year is 2026H2.
    dialog = make_dialog(qtbot, cast)
    assert dialog.suggested_path().name == "portfolio-2026H2.pdf"
    choose(dialog, ReportKind.EVALUATION)
    assert dialog.half_combo.currentData() == "2026H1"  # the last completed one
    choose(dialog, ReportKind.PERMISSIONS)
    assert dialog.none_radio.isChecked()
    assert dialog.suggested_path().name == "permissions.pdf"


def test_cancelling_the_save_dialog_generates_nothing(
    qtbot: QtBot, cast: Cast, monkeypatch: pytest.MonkeyPatch, opened: list[QUrl]
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))
    dialog = make_dialog(qtbot, cast)
    dialog.generate_button.click()
    wait_for_tasks(qtbot)
    assert opened == []
    assert dialog.saved.isHidden()


def test_the_account_picker_is_enabled_only_for_the_evaluation(qtbot: QtBot, cast: Cast) -> None:
    dialog = make_dialog(qtbot, cast)
    for kind in ReportKind:
        choose(dialog, kind)
        assert dialog.account_combo.isEnabled() is (kind is ReportKind.EVALUATION), kind
        assert dialog.ministry_combo.isEnabled() is (kind is not ReportKind.EVALUATION), kind


def test_personal_information_is_offered_only_where_there_is_some(qtbot: QtBot, cast: Cast) -> None:
    dialog = make_dialog(qtbot, cast)
    for kind in ReportKind:
        choose(dialog, kind)
        assert dialog.personal_info.isEnabled() is kind.has_comments
    choose(dialog, ReportKind.SLA)
    dialog.personal_info.setChecked(True)
    choose(dialog, ReportKind.PERMISSIONS)
    assert not dialog.personal_info.isChecked()
    assert "nothing to mask" in dialog.personal_info.toolTip()


def test_the_evaluation_opens_with_the_account_and_period_it_was_given(
    qtbot: QtBot, cast: Cast
) -> None:
    account = cast.account("SKHealth")
    dialog = make_dialog(qtbot, cast, kind="evaluation", account_id=account.id, period="2025H2")
    assert dialog.kind is ReportKind.EVALUATION
    assert dialog.account_combo.currentData() == str(account.id)
    assert dialog.half_combo.currentData() == "2025H2"
    assert dialog.spec().account == str(account.id)


def test_an_evaluation_without_an_account_is_shown_at_the_field(
    qtbot: QtBot,
    cast: Cast,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    opened: list[QUrl],
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "e.pdf"), ""))
    dialog = make_dialog(qtbot, cast, kind="evaluation")
    dialog.generate_button.click()
    wait_for_tasks(qtbot)
    assert dialog.error.text() == ("The account evaluation is about one account: name the account.")
    assert dialog.account_combo.property("invalid") is True
    assert opened == []
    assert not (tmp_path / "e.pdf").exists()


def test_the_reports_menu_has_one_action_per_report(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("admin")
    texts = [a.text() for a in window.reports_menu.actions()]
    assert texts == [
        "Account evaluation…",
        "Portfolio summary…",
        "Service-level compliance…",
        "Permission-matrix audit…",
        "Approvals status…",
    ]
    assert all(a.isEnabled() for a in window.report_actions)


def test_a_menu_action_opens_the_dialog_preset_to_its_kind(
    make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window("admin")
    window.report_actions[2].trigger()
    dialogs = window.findChildren(ReportDialog)
    assert len(dialogs) == 1
    assert dialogs[0].kind is ReportKind.SLA
    wait_for_tasks(qtbot)
    dialogs[0].close()


CAST = ["officer", "comms", "dci", "dso", "council", "minister", "agency", "auditor", "admin"]


@pytest.mark.parametrize("who", CAST)
def test_reports_need_the_right_to_read_everything(
    make_window: Callable[..., MainWindow], who: str, cast: Cast
) -> None:
    allowed = bool(ALLOWED[Permission.READ_ALL] & cast.ctx(who).actor().roles)
    assert allowed or who != "admin"
    assert not allowed or who != "agency"
    window = make_window(who)
    for action in window.report_actions:
        assert action.isEnabled() is allowed
        if not allowed:
            assert action.toolTip().startswith("Reading the whole register")


def test_report_dialog_reads_with_the_given_context(cast: Cast, qtbot: QtBot) -> None:
    ctx: ServiceContext = cast.ctx("auditor")
    dialog = open_report_dialog(None, ctx)
    qtbot.addWidget(dialog)
    wait_for_tasks(qtbot)
    assert dialog.ctx is ctx
    assert dialog.generate_button.isEnabled()
