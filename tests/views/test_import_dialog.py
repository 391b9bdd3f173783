"""The import wizard driven as a person would: choose a file, read the preview, pick the
account, import; a bad file shows its rejected rows and imports nothing. And File ▸ Export
table writes the shown table."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from desktop.enums import Platform
from desktop.models import ImportBatch, PostMetric
from desktop.views.imports.import_dialog import ImportDialog
from desktop.views.main_window import MainWindow
from tests.factories import Cast
from tests.imports import fixtures as fx
from tests.views.conftest import wait_for_tasks

SHOTS = os.environ.get("SMGOV_SHOTS")  # a folder to keep the pictures in, when set


def _dialog(qtbot: QtBot, cast: Cast) -> ImportDialog:
    dialog = ImportDialog(cast.ctx("officer"))
    qtbot.addWidget(dialog)
    dialog.resize(900, 640)
    dialog.show()
    return dialog


def _choose(
    qtbot: QtBot, dialog: ImportDialog, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(dialog.findChild(type(dialog.import_button), "importBrowse"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    wait_for_tasks(qtbot)


def test_preview_then_import_with_the_chosen_account(
    qtbot: QtBot, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = cast.account("SaskHealthTV", Platform.YOUTUBE)
    cast.account("SaskHealthKids", Platform.YOUTUBE)
    path = tmp_path / "Table data.csv"
    path.write_text(fx.youtube_table(), encoding="utf-8")
    dialog = _dialog(qtbot, cast)
    _choose(qtbot, dialog, path, monkeypatch)
    assert dialog.format.text() == "YouTube Studio: table data by video (English headers)"
    assert dialog.account.currentData() is None  # the file does not say which channel
    assert not dialog.import_button.isEnabled()
    dialog.account.setCurrentIndex(dialog.account.findData(str(channel.id)))
    dialog.account.activated.emit(dialog.account.currentIndex())
    wait_for_tasks(qtbot)
    assert "2 new, 0 updated, 0 unchanged, 0 rejected" in dialog.counts.text()
    assert "Skipped:" in dialog.notes.toPlainText()
    assert dialog.import_button.isEnabled()
    if SHOTS:
        dialog.grab().save(str(Path(SHOTS) / "import-preview.png"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert dialog.imported
    assert "Imported Table data.csv into YouTube @SaskHealthTV" in dialog.result_message
    with cast.db.read() as s:
        assert s.scalar(select(func.count()).select_from(PostMetric)) == 2


def test_rejected_rows_are_listed_and_nothing_is_imported(
    qtbot: QtBot, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast.account("SaskHealth", Platform.FACEBOOK, display_name="Sask Health")
    path = tmp_path / "fb.csv"
    path.write_bytes(fx.facebook_posts().replace(b",10000,", b",lots,"))
    dialog = _dialog(qtbot, cast)
    _choose(qtbot, dialog, path, monkeypatch)
    assert "2 new, 0 updated, 0 unchanged, 1 rejected" in dialog.counts.text()
    assert dialog.rejected_rows.rowCount() == 1
    assert dialog.rejected_rows.item(0, 0).text() == "fb.csv:line 5"
    assert dialog.rejected_rows.item(0, 1).text() == "Views: 'lots' is not a number"
    assert not dialog.import_button.isEnabled()
    assert dialog.skip_rejected.isVisible()
    if SHOTS:
        dialog.grab().save(str(Path(SHOTS) / "import-rejected.png"))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    with cast.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_an_unknown_file_says_why(
    qtbot: QtBot, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("Line item,Amount\nPrinting,120\n", encoding="utf-8")
    dialog = _dialog(qtbot, cast)
    _choose(qtbot, dialog, path, monkeypatch)
    assert "does not recognise this file" in dialog.counts.text()
    assert not dialog.import_button.isEnabled()


def test_export_table_writes_the_accounts_as_shown(
    make_window: Callable[..., MainWindow], cast: Cast, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    cast.account("ExportB", Platform.X)
    cast.account("ExportA", Platform.FACEBOOK)
    window = make_window("officer")
    window.tab_widget.setCurrentIndex(1)  # Accounts
    wait_for_tasks(qtbot)
    target = tmp_path / "accounts.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window.action_export_table.trigger()
    wait_for_tasks(qtbot)
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("Accounts").to_python()
    assert [r[1] for r in rows[1:]] == ["@ExportA", "@ExportB"]  # sorted by platform, as shown


def test_export_table_of_the_comment_log_runs_in_the_background(
    make_window: Callable[..., MainWindow], cast: Cast, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from datetime import UTC, datetime

    from desktop.services.comments import CommentService

    account = cast.account("LogHealth", Platform.FACEBOOK)
    for n in range(3):
        CommentService(cast.ctx("officer")).log(
            account.id, datetime(2026, 11, 16, 15 + n, tzinfo=UTC), f"Question {n}"
        )
    window = make_window("officer")
    window.tab_widget.setCurrentIndex(4)  # Comments
    wait_for_tasks(qtbot)
    target = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window.action_export_table.trigger()
    wait_for_tasks(qtbot)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4
    assert "Question 2" in lines[1]  # newest first, as the tab shows


def test_a_comments_file_is_logged_on_the_chosen_account(
    qtbot: QtBot, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from desktop.models import Comment

    page = cast.account("SaskHealth", Platform.FACEBOOK)
    path = tmp_path / "comments.json"
    path.write_text(json.dumps({"data": [
        {"id": "1_2", "message": "Is the clinic open?", "created_time": "2026-11-17T15:00:00+0000",
         "from": {"name": "Jane Citizen", "id": "901"}},
    ]}), encoding="utf-8")  # fmt: skip
    dialog = _dialog(qtbot, cast)
    _choose(qtbot, dialog, path, monkeypatch)
    assert dialog.format.text() == "Facebook Graph API: comments (JSON)"
    assert not dialog.import_button.isEnabled()  # the file does not say which page
    dialog.account.setCurrentIndex(dialog.account.findData(str(page.id)))
    dialog.account.activated.emit(dialog.account.currentIndex())
    wait_for_tasks(qtbot)
    assert "1 new, 0 updated, 0 unchanged" in dialog.counts.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert "1 comment logged" in dialog.result_message
    with cast.db.read() as s:
        assert s.scalars(select(Comment)).one().external_id == "1_2"


@pytest.mark.parametrize("index", range(6))
def test_every_tab_exports_its_table(
    make_window: Callable[..., MainWindow], cast: Cast, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, index: int,
) -> None:  # fmt: skip
    cast.account("EveryTab", Platform.FACEBOOK)
    window = make_window("admin")
    window.tab_widget.setCurrentIndex(index)
    wait_for_tasks(qtbot)
    target = tmp_path / "table.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window.action_export_table.trigger()
    wait_for_tasks(qtbot)
    book = CalamineWorkbook.from_path(str(target))
    header = book.get_sheet_by_index(0).to_python()[0]
    assert header
    assert all(isinstance(h, str) and h for h in header)


def test_a_model_becomes_typed_columns_with_its_row_names(qtbot: QtBot) -> None:
    from datetime import date

    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from desktop.views.imports.table_walk import model_table

    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Count", "Due", "Note"])
    for n, (count, due, note) in enumerate([("1,234", "18 Nov 2026", "=SUM(A1)"),
                                            ("5", "—", "ok")]):  # fmt: skip
        model.appendRow([QStandardItem(count), QStandardItem(due), QStandardItem(note)])
        model.setVerticalHeaderItem(n, QStandardItem(f"Person {n}"))
    table = model_table("Matrix", model)
    assert [(c.title, c.kind) for c in table.columns] == [
        ("Name", "text"), ("Count", "int"), ("Due", "date"), ("Note", "text"),
    ]  # fmt: skip
    assert list(table.rows) == [
        ["Person 0", 1234, date(2026, 11, 18), "=SUM(A1)"],
        ["Person 1", 5, None, "ok"],
    ]
