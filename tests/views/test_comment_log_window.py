"""The comment log model keeps a bounded window of pages: scrolling through the whole log,
down and back up, never holds more than its bound, and every window shows exactly the rows
of the list at its position; Ctrl+End reads the end directly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from desktop.services.comment_log import CommentLogQuery, CommentLogService, Cursor, SortKey
from desktop.services.context import ServiceContext
from desktop.storage.database import Database
from desktop.views.comments.comment_log_model import CommentLogModel, IdRole
from desktop.views.comments.comment_table import comment_table
from tests.bulk_comments import bulk_comment_log
from tests.conftest import FIXED_NOW

pytestmark = pytest.mark.usefixtures("qapp")

ROWS = 1_000
PAGE = 40
WINDOW = 3


@pytest.fixture
def service(sqlite_db: Database, clock: Callable[[], datetime]) -> CommentLogService:
    bulk_comment_log(sqlite_db, ROWS, as_of=FIXED_NOW, accounts=7, batch=500, days=10)
    return CommentLogService(ServiceContext(sqlite_db, "bulk00", clock=clock))


def _every_id(service: CommentLogService, query: CommentLogQuery) -> list[object]:
    ids: list[object] = []
    cursor: Cursor | None = None
    while True:
        page = service.page(query, FIXED_NOW, cursor, 250)
        ids.extend(r.id for r in page.rows)
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def _window_is_in_place(model: CommentLogModel, every: list[object]) -> None:
    assert model.first_row is not None
    shown = [r.id for r in model.rows]
    assert shown == every[model.first_row : model.first_row + len(shown)]


@pytest.mark.parametrize("key", [SortKey.RECEIVED, SortKey.AUTHOR, SortKey.MINISTRY])
def test_scrolling_the_whole_log_keeps_a_bounded_window(
    service: CommentLogService, clock: Callable[[], datetime], key: SortKey
) -> None:
    query = CommentLogQuery(sort=key)
    every = _every_id(service, query)
    assert len(every) == ROWS
    model = CommentLogModel(service, clock=clock, page_size=PAGE, window_pages=WINDOW)
    model.set_query(query)
    largest = 0
    fetches = 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        fetches += 1
        largest = max(largest, len(model.rows), model.rowCount())
        _window_is_in_place(model, every)
    assert fetches == ROWS // PAGE - 1
    assert largest == PAGE * WINDOW  # the bound, never more
    assert model.first_row == ROWS - PAGE * WINDOW
    assert [r.id for r in model.rows][-1] == every[-1]
    # And back up to the top, page by page.
    while model.can_fetch_previous:
        model.fetch_previous()
        assert len(model.rows) <= PAGE * WINDOW
        _window_is_in_place(model, every)
    assert model.first_row == 0
    assert [r.id for r in model.rows] == every[: PAGE * WINDOW]


def test_ctrl_end_reads_the_last_page_directly(
    service: CommentLogService, clock: Callable[[], datetime]
) -> None:
    query = CommentLogQuery(search="the")
    every = _every_id(service, query)
    assert len(every) > 3 * PAGE
    model = CommentLogModel(service, clock=clock, page_size=PAGE, window_pages=WINDOW)
    model.set_query(query)
    model.jump_to_end()
    assert model.at_end
    assert [r.id for r in model.rows] == every[-PAGE:]
    assert not model.canFetchMore(QModelIndex())
    model.fetch_previous()  # scrolling up from the end
    assert [r.id for r in model.rows] == every[-2 * PAGE :]
    model.jump_to_start()
    assert model.first_row == 0
    assert [r.id for r in model.rows] == every[:PAGE]


def test_ctrl_end_and_ctrl_home_in_the_table_jump_over_the_window(
    service: CommentLogService, clock: Callable[[], datetime], qtbot: QtBot
) -> None:
    query = CommentLogQuery()
    every = _every_id(service, query)
    model = CommentLogModel(service, clock=clock, page_size=PAGE, window_pages=WINDOW)
    table = comment_table(model)
    qtbot.addWidget(table)
    table.resize(1200, 500)
    table.show()
    model.set_query(query)
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert model.at_end
    assert [r.id for r in model.rows] == every[-PAGE:]
    # Scrolling up from the end brings the page before, and the rows in sight stay put.
    table.scrollToBottom()
    in_sight = table.indexAt(table.viewport().rect().topLeft()).data(IdRole)
    table.verticalScrollBar().setValue(0)
    assert [r.id for r in model.rows] == every[-2 * PAGE :]
    assert table.indexAt(table.viewport().rect().topLeft()).row() >= PAGE - 1
    assert in_sight in [r.id for r in model.rows]
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert model.first_row == 0
    assert [r.id for r in model.rows] == every[:PAGE]
