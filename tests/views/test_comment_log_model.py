"""The comment log's Qt model without any widget: paging over 100,000 comments, SQL sorting
and filtering, countdown text and colours at a fixed time, and the 30-second repaint."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import select

from desktop.enums import CommentKind, CommentStatus
from desktop.errors import Cancelled
from desktop.models import Comment
from desktop.services.comment_log import CommentLogQuery, CommentLogService, CommentRow, SortKey
from desktop.services.context import ServiceContext
from desktop.storage.database import Database, open_database
from desktop.views.comments.comment_log_model import (
    AMBER_BACKGROUND,
    AMBER_TEXT,
    COL_ACCOUNT,
    COL_ACK_IN,
    COL_ANSWER_IN,
    COL_AUTHOR,
    COL_EXCERPT,
    COL_RECEIVED,
    COL_STATUS,
    HEADERS,
    RED_BACKGROUND,
    RED_TEXT,
    CommentLogModel,
    IdRole,
    RowRole,
    Urgency,
    UrgencyRole,
    countdown_text,
    format_span,
    urgency,
)
from tests.bulk_comments import BulkLog, bulk_comment_log
from tests.conftest import FIXED_NOW

ROWS = 100_000
PAGE = 200

# One worker builds the 100,000-comment file (about a minute) and runs every test reading it.
pytestmark = [pytest.mark.usefixtures("qapp"), pytest.mark.xdist_group("big_log")]


@pytest.fixture(scope="session")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, BulkLog]]:
    """100,000 comments in one SQLite file for the whole run; tests only read it."""
    path: Path = tmp_path_factory.mktemp("comment-log") / "log.sqlite3"
    db = open_database(path)
    made = bulk_comment_log(db, ROWS, as_of=FIXED_NOW, accounts=120)
    yield db, made
    db.dispose()


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def service(big_log: tuple[Database, BulkLog]) -> CommentLogService:
    return CommentLogService(ServiceContext(big_log[0], "bulk00", clock=lambda: FIXED_NOW))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def model(service: CommentLogService, clock: Clock) -> CommentLogModel:
    made = CommentLogModel(service, clock=clock)
    made.set_query(CommentLogQuery())
    return made


def _ids(model: CommentLogModel) -> list[uuid.UUID]:
    return [model.data(model.index(r, 0), IdRole) for r in range(model.rowCount())]


def _sql_ids(db: Database, *order: Any, where: Any = None, offset: int = 0, limit: int = PAGE):
    stmt = select(Comment.id).order_by(*order).offset(offset).limit(limit)
    if where is not None:
        stmt = stmt.where(where)
    with db.read() as s:
        return list(s.scalars(stmt))


def test_first_page_is_200_newest_rows_and_fetch_more_adds_200(
    model: CommentLogModel, big_log: tuple[Database, BulkLog]
) -> None:
    db = big_log[0]
    assert model.rowCount() == PAGE
    assert model.columnCount() == len(HEADERS)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3 * PAGE
    newest = _sql_ids(db, Comment.received_at.desc(), Comment.id.desc(), limit=3 * PAGE)
    assert _ids(model) == newest


def test_paging_a_filter_to_its_end_stops_fetching(
    model: CommentLogModel, service: CommentLogService
) -> None:
    query = CommentLogQuery(statuses=frozenset({CommentStatus.NEW}))
    model.set_query(query)
    pages = 1
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        pages += 1
    total = service.count(query)
    assert 2 * PAGE < total < ROWS
    # The window holds its last pages only; their position says where they are.
    assert model.rowCount() == min(total, model.max_rows)
    assert model.first_row == total - model.rowCount()
    assert pages == -(-total // PAGE)
    statuses = {model.data(model.index(r, COL_STATUS)) for r in range(model.rowCount())}
    assert statuses == {"New"}


@pytest.mark.parametrize(
    ("column", "order", "sql_order"),
    [
        (COL_RECEIVED, Qt.SortOrder.AscendingOrder, (Comment.received_at, Comment.id)),
        (
            COL_ACK_IN,
            Qt.SortOrder.AscendingOrder,
            (Comment.acknowledge_due_at, Comment.id),
        ),
        (
            COL_ANSWER_IN,
            Qt.SortOrder.DescendingOrder,
            (Comment.answer_due_at.desc(), Comment.id.desc()),
        ),
        (
            COL_STATUS,
            Qt.SortOrder.AscendingOrder,
            (Comment.status, Comment.acknowledge_due_at, Comment.id),
        ),
    ],
)
def test_clicking_a_header_sorts_in_sql(
    model: CommentLogModel,
    big_log: tuple[Database, BulkLog],
    column: int,
    order: Qt.SortOrder,
    sql_order: tuple[Any, ...],
) -> None:
    model.sort(column, order)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE
    assert _ids(model) == _sql_ids(big_log[0], *sql_order, limit=2 * PAGE)


def test_account_sort_follows_the_account_labels(model: CommentLogModel) -> None:
    model.sort(COL_ACCOUNT, Qt.SortOrder.AscendingOrder)
    for _ in range(20):  # past the first account's comments
        model.fetchMore(QModelIndex())
    labels = [model.data(model.index(r, COL_ACCOUNT)) for r in range(model.rowCount())]
    assert len(set(labels)) > 1
    # Grouped, in platform then handle order, newest last within an account.
    firsts = list(dict.fromkeys(labels))
    assert firsts == sorted(firsts, key=lambda label: (label.split(" @")[0].lower(), label))
    rows: list[CommentRow] = [model.data(model.index(r, 0), RowRole) for r in range(len(labels))]
    same = [r.received_at for r in rows if r.account == labels[0]]
    assert same == sorted(same)


def test_every_column_sorts(model: CommentLogModel) -> None:
    model.sort(COL_AUTHOR, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == SortKey.AUTHOR
    names = [model.rows[r].author for r in range(model.rowCount())]
    assert names == sorted(names)
    model.sort(COL_EXCERPT, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == SortKey.TEXT
    assert model.query.descending


def test_filters_reach_sql_with_the_sort(
    model: CommentLogModel, service: CommentLogService
) -> None:
    query = CommentLogQuery(high_profile=True, sort=SortKey.ANSWER_DUE, descending=False)
    model.set_query(query)
    rows: list[CommentRow] = [model.data(model.index(r, 0), RowRole) for r in range(PAGE)]
    assert all(r.high_profile for r in rows)
    assert [r.answer_due_at for r in rows] == sorted(r.answer_due_at for r in rows)
    assert model.data(model.index(0, 8)) in ("High profile", "High profile · Emergency")


def test_jump_to_row_500_of_the_reference(
    model: CommentLogModel, big_log: tuple[Database, BulkLog]
) -> None:
    model.jump_to(50_000)
    assert model.first_row == 50_000
    assert model.rowCount() == PAGE
    reference = _sql_ids(big_log[0], Comment.received_at.desc(), Comment.id.desc(), offset=50_000)
    assert _ids(model) == reference
    assert model.headerData(0, Qt.Orientation.Vertical) == "50,001"
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE


def _row(**changes: Any) -> CommentRow:
    base = CommentRow(
        id=uuid.uuid4(),
        received_at=FIXED_NOW - timedelta(minutes=50),
        account="Facebook @SKHealth",
        ministry="HEA",
        author="Sam Morin",
        excerpt="When does the clinic open?",
        kind=CommentKind.QUESTION,
        status=CommentStatus.NEW,
        assignee="",
        high_profile=False,
        emergency=False,
        acknowledge_due_at=FIXED_NOW + timedelta(minutes=10),
        answer_due_at=FIXED_NOW + timedelta(hours=26, minutes=5),
        acknowledged_at=None,
        answered_at=None,
        version=1,
    )
    return dataclasses.replace(base, **changes)


class FixedRows:
    """A stand-in service that serves given rows (the colours need exact due times)."""

    def __init__(self, rows: list[CommentRow]) -> None:
        self.rows = rows

    def page(
        self, query: CommentLogQuery, as_of: datetime, after: object, limit: int, **_kw: object
    ) -> Any:
        from desktop.services.comment_log import Page

        return Page(self.rows, None)


def _fixed_model(rows: list[CommentRow], clock: Clock) -> CommentLogModel:
    model = CommentLogModel(FixedRows(rows), clock=clock)  # type: ignore[arg-type]
    model.set_query(CommentLogQuery())
    return model


def _cell(model: CommentLogModel, row: int, column: int, role: int) -> Any:
    return model.data(model.index(row, column), role)


def test_countdown_colours_at_a_fixed_time(clock: Clock) -> None:
    rows = [
        _row(),  # acknowledge in 10 min: amber
        _row(acknowledge_due_at=FIXED_NOW - timedelta(minutes=65)),  # overdue: red
        _row(acknowledge_due_at=FIXED_NOW + timedelta(hours=3)),  # plenty of time
        _row(
            status=CommentStatus.ACKNOWLEDGED,
            acknowledged_at=FIXED_NOW - timedelta(minutes=5),
            answer_due_at=FIXED_NOW + timedelta(minutes=15),
        ),
        _row(status=CommentStatus.CLOSED, acknowledged_at=None, answered_at=None),
    ]
    model = _fixed_model(rows, clock)
    bg, fg, display = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, 0
    assert _cell(model, 0, COL_ACK_IN, display) == "10m"
    assert _cell(model, 0, COL_ACK_IN, bg) == AMBER_BACKGROUND
    assert _cell(model, 0, COL_ACK_IN, fg) == AMBER_TEXT
    assert _cell(model, 0, COL_ANSWER_IN, display) == "1d 2h"
    assert _cell(model, 0, COL_ANSWER_IN, bg) is None
    assert _cell(model, 1, COL_ACK_IN, display) == "Overdue 1h 05m"
    assert _cell(model, 1, COL_ACK_IN, bg) == RED_BACKGROUND
    assert _cell(model, 1, COL_ACK_IN, fg) == RED_TEXT
    assert _cell(model, 2, COL_ACK_IN, display) == "3h 00m"
    assert _cell(model, 2, COL_ACK_IN, UrgencyRole) == Urgency.OK
    assert _cell(model, 2, COL_ACK_IN, bg) is None
    # Acknowledged: that step is done; the answer is due in exactly 15 minutes (amber).
    assert _cell(model, 3, COL_ACK_IN, display) == "Done"
    assert _cell(model, 3, COL_ACK_IN, bg) is None
    assert _cell(model, 3, COL_ANSWER_IN, display) == "15m"
    assert _cell(model, 3, COL_ANSWER_IN, bg) == AMBER_BACKGROUND
    # Closed without a reply: nothing is due any more.
    assert _cell(model, 4, COL_ACK_IN, display) == "—"
    assert _cell(model, 4, COL_ANSWER_IN, UrgencyRole) is None
    tip = _cell(model, 0, COL_ACK_IN, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Acknowledge by Wed 18 Nov, 09:10 CST"


def test_the_timer_tick_moves_countdowns_and_repaints_only_them(clock: Clock) -> None:
    model = _fixed_model([_row(), _row(acknowledge_due_at=FIXED_NOW + timedelta(hours=1))], clock)
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles: changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    clock.now = FIXED_NOW + timedelta(minutes=50)
    # Until the tick, the model shows the time it was painted at.
    assert _cell(model, 0, COL_ACK_IN, 0) == "10m"
    model.tick()
    assert changed == [(0, COL_ACK_IN, 1, COL_ANSWER_IN)]
    assert resets == []
    assert _cell(model, 0, COL_ACK_IN, 0) == "Overdue 40m"
    assert _cell(model, 0, COL_ACK_IN, Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert _cell(model, 1, COL_ACK_IN, 0) == "10m"
    assert _cell(model, 1, COL_ACK_IN, Qt.ItemDataRole.BackgroundRole) == AMBER_BACKGROUND


def test_countdown_helpers() -> None:
    assert format_span(timedelta(minutes=5)) == "5m"
    assert format_span(timedelta(hours=2, minutes=5)) == "2h 05m"
    assert format_span(timedelta(days=3, hours=4, minutes=59)) == "3d 4h"
    assert countdown_text(FIXED_NOW + timedelta(seconds=20), FIXED_NOW) == "1m"
    assert countdown_text(FIXED_NOW, FIXED_NOW) == "Overdue 0m"
    assert urgency(FIXED_NOW + timedelta(minutes=16), FIXED_NOW, 15) == Urgency.OK
    assert urgency(FIXED_NOW + timedelta(minutes=15), FIXED_NOW, 15) == Urgency.DUE_SOON
    assert urgency(FIXED_NOW + timedelta(minutes=25), FIXED_NOW, 30) == Urgency.DUE_SOON


def test_display_is_in_the_branch_time_zone(clock: Clock) -> None:
    last_year = _row(received_at=FIXED_NOW - timedelta(days=400))
    model = _fixed_model([_row(), last_year], clock)
    assert _cell(model, 0, COL_RECEIVED, 0) == "18 Nov 08:10"
    assert _cell(model, 1, COL_RECEIVED, 0) == "14 Oct 2025"
    assert (
        _cell(model, 0, COL_RECEIVED, Qt.ItemDataRole.ToolTipRole) == "Wed 18 Nov 2026, 08:10 CST"
    )
    assert _cell(model, 0, COL_STATUS, 0) == "New"
    assert _cell(model, 0, 7, 0) == "—"  # nobody assigned


def test_replace_row_repaints_one_line(clock: Clock) -> None:
    first, second = _row(), _row()
    model = _fixed_model([first, second], clock)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: changed.append((a.row(), b.row())))
    answered = dataclasses.replace(
        second, status=CommentStatus.ANSWERED, acknowledged_at=FIXED_NOW, answered_at=FIXED_NOW
    )
    assert model.replace_row(answered)
    assert changed == [(1, 1)]
    assert _cell(model, 1, COL_ANSWER_IN, 0) == "Done"
    assert not model.replace_row(_row())


def test_a_late_page_of_an_old_query_is_dropped(service: CommentLogService, clock: Clock) -> None:
    pending: list[Callable[[], None]] = []

    def runner(work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        pending.append(lambda: done(work()))

    model = CommentLogModel(service, clock=clock, runner=runner)
    model.set_query(CommentLogQuery(statuses=frozenset({CommentStatus.CLOSED})))
    assert model.loading
    assert not model.canFetchMore(QModelIndex())
    model.set_query(CommentLogQuery(statuses=frozenset({CommentStatus.NEW})))
    pending[1]()
    # The first query's read was stopped when the second replaced it; had it answered, its
    # page would be dropped.
    with pytest.raises(Cancelled):
        pending[0]()
    assert model.superseded == 1
    statuses = {model.data(model.index(r, COL_STATUS)) for r in range(model.rowCount())}
    assert statuses == {"New"}
    assert not model.loading


def test_a_failed_page_is_reported_not_swallowed(clock: Clock) -> None:
    class Broken:
        def page(self, *args: object, **_kw: object) -> Any:
            raise RuntimeError("disk on fire")

    model = CommentLogModel(Broken(), clock=clock)  # type: ignore[arg-type]
    failures: list[BaseException] = []
    model.load_failed.connect(failures.append)
    model.set_query(CommentLogQuery())
    assert [str(f) for f in failures] == ["disk on fire"]
    assert model.rowCount() == 0
    assert not model.loading
