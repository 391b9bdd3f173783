"""A thin, paged Qt table model over ``CommentLogService``: rows arrive 200 at a time by keyset
as the view scrolls, sorting and filtering happen in SQL, and the countdown columns are
computed from a clock so a timer can repaint them without a refetch.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.enums import CommentStatus
from desktop.services.comment_log import (
    PAGE_SIZE,
    CommentLogQuery,
    CommentLogService,
    CommentRow,
    Cursor,
    Interrupter,
    Page,
    SortKey,
)

log = logging.getLogger(__name__)

WINDOW_PAGES = 5  # pages the model holds at most: flat memory however far one scrolls

(
    COL_RECEIVED,
    COL_ACCOUNT,
    COL_MINISTRY,
    COL_AUTHOR,
    COL_EXCERPT,
    COL_KIND,
    COL_STATUS,
    COL_ASSIGNEE,
    COL_FLAGS,
    COL_ACK_IN,
    COL_ANSWER_IN,
) = range(11)
HEADERS = (
    "Received",
    "Account",
    "Ministry",
    "Author",
    "Comment",
    "Kind",
    "Status",
    "Assigned to",
    "Flags",
    "Acknowledge in",
    "Answer in",
)
COUNTDOWN_COLUMNS = (COL_ACK_IN, COL_ANSWER_IN)
# Every column sorts in SQL: the service's key for each.
SORT_KEYS: dict[int, SortKey] = {
    COL_RECEIVED: SortKey.RECEIVED,
    COL_ACCOUNT: SortKey.ACCOUNT,
    COL_MINISTRY: SortKey.MINISTRY,
    COL_AUTHOR: SortKey.AUTHOR,
    COL_EXCERPT: SortKey.TEXT,
    COL_KIND: SortKey.KIND,
    COL_STATUS: SortKey.STATUS,
    COL_ASSIGNEE: SortKey.ASSIGNEE,
    COL_FLAGS: SortKey.FLAGS,
    COL_ACK_IN: SortKey.ACKNOWLEDGE_DUE,
    COL_ANSWER_IN: SortKey.ANSWER_DUE,
}
SORT_COLUMNS: dict[SortKey, int] = {key: col for col, key in SORT_KEYS.items()}

RowRole = Qt.ItemDataRole.UserRole + 1  # the CommentRow
IdRole = Qt.ItemDataRole.UserRole + 2  # the comment's uuid
UrgencyRole = Qt.ItemDataRole.UserRole + 3  # Urgency of a countdown cell, or None

AMBER_BACKGROUND, AMBER_TEXT = QColor("#fff4e0"), QColor("#b25e00")
RED_BACKGROUND, RED_TEXT = QColor("#fdecea"), QColor("#b42318")

_OPEN = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)
_Index = QModelIndex | QPersistentModelIndex
# Runs ``work`` (possibly on another thread) and hands its result to ``done`` on this one.
Runner = Callable[[Callable[[], Any], Callable[[Any], None]], None]


class Urgency(StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def urgency(due: datetime, as_of: datetime, due_soon_minutes: int) -> Urgency:
    if due <= as_of:
        return Urgency.OVERDUE
    if due - as_of <= timedelta(minutes=due_soon_minutes):
        return Urgency.DUE_SOON
    return Urgency.OK


def pending_due(row: CommentRow, column: int) -> datetime | None:
    """The due time a countdown cell counts to, or None when that step is done or moot."""
    if row.status not in _OPEN:
        return None
    if column == COL_ACK_IN:
        return row.acknowledge_due_at if row.acknowledged_at is None else None
    return row.answer_due_at if row.answered_at is None else None


def format_span(span: timedelta) -> str:
    """ "45m", "2h 05m", "3d 4h": what a glance needs in a narrow column, no seconds."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def countdown_text(due: datetime, as_of: datetime) -> str:
    if due <= as_of:
        return f"Overdue {format_span(as_of - due)}"
    return format_span(due - as_of + timedelta(seconds=59))  # "1m" until it is due


class CommentLogModel(QAbstractTableModel):
    """The comment log, ``PAGE_SIZE`` rows at a time; never the whole table.

    It holds a window of at most ``window_pages`` pages: scrolling down past it drops the
    top page, scrolling back up fetches it again (by keyset, backwards), so memory stays flat
    however far the person scrolls. ``first_row`` is the window's position in the list (None
    after a jump to the end, where the count alone would tell it).
    """

    # The first page of a new query arrived (or failed): the tab updates its count and detail.
    reloaded = Signal()
    load_failed = Signal(object)

    def __init__(
        self,
        service: CommentLogService,
        *,
        clock: Callable[[], datetime],
        timezone: str = "America/Regina",
        due_soon_minutes: int = 15,
        runner: Runner | None = None,
        page_size: int = PAGE_SIZE,
        window_pages: int = WINDOW_PAGES,
    ) -> None:
        super().__init__()
        self.service = service
        self.clock = clock
        self.timezone = timezone
        self.due_soon_minutes = due_soon_minutes
        self.page_size = page_size
        self.max_rows = page_size * max(window_pages, 2)
        self._runner = runner
        self.query = CommentLogQuery()
        self.rows: list[CommentRow] = []
        self._cursors: list[Cursor] = []  # each row's keyset position
        self.first_row: int | None = 0  # the absolute position of rows[0]
        self.at_end = False  # the window was loaded from the list's end (Ctrl+End)
        self.trimming = False  # rows leave the window: the selection did not change
        self.as_of = clock()
        self.loading = False
        self._next: Cursor | None = None  # rows after the window
        self._prev: Cursor | None = None  # rows before it
        self._generation = 0
        self._reading: Interrupter | None = None  # the read in flight, stopped when replaced
        self.superseded = 0  # reads stopped because a newer one replaced them
        self._tz = ZoneInfo(timezone)

    def configure(self, timezone: str, due_soon_minutes: int) -> None:
        """The branch's settings, once loaded: repaints the times and countdown colours."""
        self.timezone = timezone
        self._tz = ZoneInfo(timezone)
        self.due_soon_minutes = due_soon_minutes
        if self.rows:
            last = self.index(len(self.rows) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- loading -------------------------------------------------------------------------

    def set_query(self, query: CommentLogQuery) -> None:
        """Show the rows of ``query`` from the top; a read still running for an earlier query
        (a search typed past) is stopped."""
        self._load(
            query,
            lambda cancel: self.service.page(
                query, self.clock(), None, self.page_size, cancel=cancel
            ),
            0,
        )

    def reload(self) -> None:
        self.set_query(self.query)

    def jump_to(self, n: int) -> None:
        """Show the rows from absolute row ``n`` (0-based) on, as "go to row" asks."""
        query = self.query

        def work(cancel: Interrupter) -> Page:
            as_of = self.clock()
            cursor = self.service.row_at_offset(query, n, as_of, cancel=cancel)
            return self.service.page(query, as_of, cursor, self.page_size, cancel=cancel)

        self._load(query, work, max(n, 0))

    def jump_to_start(self) -> None:
        """Ctrl+Home: the list's first page (no fetch when the window already starts there)."""
        if self.first_row != 0 or self._prev is not None:
            self.set_query(self.query)

    def jump_to_end(self) -> None:
        """Ctrl+End: the list's last page, read backwards from the end (as fast as the first)."""
        query = self.query
        self._load(
            query,
            lambda cancel: self.service.page(
                query, self.clock(), None, self.page_size, last=True, cancel=cancel
            ),
            None,
        )

    @property
    def complete(self) -> bool:
        """The window holds the whole list: its count is the rows shown, no query needed."""
        return self.first_row == 0 and self._prev is None and self._next is None

    @property
    def can_fetch_previous(self) -> bool:
        return not self.loading and self._prev is not None

    def _supersede(self) -> Interrupter:
        """Stop the read in flight (its result would be dropped anyway); the next one's."""
        if self._reading is not None and self.loading:
            self._reading.cancel()
            self.superseded += 1
        self._reading = Interrupter()
        return self._reading

    def _load(
        self, query: CommentLogQuery, work: Callable[[Interrupter], Page], first_row: int | None
    ) -> None:
        cancel = self._supersede()
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self.query = query
        self.rows = []
        self._cursors = []
        self.first_row = first_row
        self.at_end = first_row is None
        self._next = self._prev = None
        self.loading = True
        self.endResetModel()
        self._run(lambda: work(cancel), lambda page: self._loaded(generation, page))

    def _loaded(self, generation: int, page: Page | BaseException) -> None:
        if generation != self._generation:
            return  # a newer query replaced this one while it loaded
        self.loading = False
        if isinstance(page, BaseException):
            self.load_failed.emit(page)
            return
        self.as_of = self.clock()
        self._next, self._prev = page.next_cursor, page.prev_cursor
        if page.rows:
            self.beginInsertRows(QModelIndex(), 0, len(page.rows) - 1)
            self.rows = list(page.rows)
            self._cursors = list(page.cursors)
            self.endInsertRows()
        self.reloaded.emit()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self.loading and self._next is not None

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        query, cursor, generation = self.query, self._next, self._generation
        cancel = self._supersede()
        self.loading = True
        self._run(
            lambda: self.service.page(query, self.clock(), cursor, self.page_size, cancel=cancel),
            lambda page: self._appended(generation, page),
        )

    def fetch_previous(self) -> None:
        """The page before the window (scrolled to its top); the window's last page leaves."""
        if not self.can_fetch_previous:
            return
        query, cursor, generation = self.query, self._prev, self._generation
        cancel = self._supersede()
        self.loading = True
        self._run(
            lambda: self.service.page(
                query, self.clock(), None, self.page_size, before=cursor, cancel=cancel
            ),
            lambda page: self._prepended(generation, page),
        )

    def _appended(self, generation: int, page: Page | BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        if isinstance(page, BaseException):
            self.load_failed.emit(page)
            return
        self._next = page.next_cursor
        if not page.rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self._cursors.extend(page.cursors)
        self.endInsertRows()
        excess = len(self.rows) - self.max_rows
        if excess > 0:
            self._drop(0, excess)
            self._prev = self._cursors[0]
            if self.first_row is not None:
                self.first_row += excess

    def _prepended(self, generation: int, page: Page | BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        if isinstance(page, BaseException):
            self.load_failed.emit(page)
            return
        self._prev = page.prev_cursor
        if not page.rows:
            self._prev = None
            return
        self.beginInsertRows(QModelIndex(), 0, len(page.rows) - 1)
        self.rows[:0] = page.rows
        self._cursors[:0] = page.cursors
        self.endInsertRows()
        if self.first_row is not None:
            self.first_row = max(self.first_row - len(page.rows), 0)
        if self._prev is None:
            self.first_row = 0
        excess = len(self.rows) - self.max_rows
        if excess > 0:
            self._drop(len(self.rows) - excess, excess)
            self._next = self._cursors[-1]

    def _drop(self, first: int, count: int) -> None:
        self.trimming = True
        try:
            self.beginRemoveRows(QModelIndex(), first, first + count - 1)
            del self.rows[first : first + count]
            del self._cursors[first : first + count]
            self.endRemoveRows()
        finally:
            self.trimming = False

    def _run(self, work: Callable[[], Page], done: Callable[[Page | BaseException], None]) -> None:
        if self._runner is not None:
            self._runner(work, done)
            return
        started = time.perf_counter()
        try:
            result: Page | BaseException = work()
        except Exception as exc:  # noqa: BLE001 - handed to load_failed, which shows it
            result = exc
        log.debug("Comment page in %.1f ms", (time.perf_counter() - started) * 1000)
        done(result)

    # -- changes made by the tab ---------------------------------------------------------

    def tick(self) -> None:
        """Move the countdowns to now: repaint those two columns only, no refetch."""
        self.as_of = self.clock()
        if self.rows:
            self.dataChanged.emit(
                self.index(0, COL_ACK_IN),
                self.index(len(self.rows) - 1, COL_ANSWER_IN),
                [
                    Qt.ItemDataRole.DisplayRole,
                    Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.ToolTipRole,
                    UrgencyRole,
                ],
            )

    def replace_row(self, row: CommentRow) -> bool:
        """Show a comment's new state in place (after an action on it); False if not shown."""
        position = self.position_of(row.id)
        if position is None:
            return False
        self.rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(HEADERS) - 1))
        return True

    def position_of(self, comment_id: uuid.UUID) -> int | None:
        for i, row in enumerate(self.rows):
            if row.id == comment_id:
                return i
        return None

    def row_at(self, position: int) -> CommentRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Clicking a header re-queries in SQL; columns without a sort key keep the order."""
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.query.sort and descending == self.query.descending:
            return
        self.set_query(dataclasses.replace(self.query, sort=key, descending=descending))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and self.first_row is not None:
                return f"{self.first_row + section + 1:,}"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section in SORT_KEYS:
                return f"Click to sort the whole log by {HEADERS[section].lower()}."
            return "This column does not sort; the list keeps its current order."
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == RowRole:
            return row
        if role == IdRole:
            return row.id
        if column in COUNTDOWN_COLUMNS:
            return self._countdown_data(row, column, role)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_EXCERPT, COL_ACCOUNT):
            return row.excerpt if column == COL_EXCERPT else row.account
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_RECEIVED:
            return self._when(row.received_at, "%a %d %b %Y, %H:%M %Z")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(row, column)}"
        return None

    def _countdown_data(self, row: CommentRow, column: int, role: int) -> Any:
        due = pending_due(row, column)
        level = urgency(due, self.as_of, self.due_soon_minutes) if due else None
        if role == UrgencyRole:
            return level
        if role == Qt.ItemDataRole.BackgroundRole:
            return {Urgency.OVERDUE: RED_BACKGROUND, Urgency.DUE_SOON: AMBER_BACKGROUND}.get(
                level  # type: ignore[arg-type]
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            return {Urgency.OVERDUE: RED_TEXT, Urgency.DUE_SOON: AMBER_TEXT}.get(level)  # type: ignore[arg-type]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            step = "Acknowledge" if column == COL_ACK_IN else "Answer"
            planned = row.acknowledge_due_at if column == COL_ACK_IN else row.answer_due_at
            done = row.acknowledged_at if column == COL_ACK_IN else row.answered_at
            text = f"{step} by {self._when(planned, '%a %d %b, %H:%M %Z')}"
            if done is not None:
                text += f"; done {self._when(done, '%a %d %b, %H:%M')}"
            return text
        return None

    def _display(self, row: CommentRow, column: int) -> str:
        if column == COL_RECEIVED:
            # Like a mail client: the time for this year's comments, the year for older ones.
            local = row.received_at.astimezone(self._tz)
            if local.year == self.as_of.astimezone(self._tz).year:
                return local.strftime("%d %b %H:%M")
            return local.strftime("%d %b %Y")
        if column == COL_ACCOUNT:
            return row.account
        if column == COL_MINISTRY:
            return row.ministry
        if column == COL_AUTHOR:
            return row.author
        if column == COL_EXCERPT:
            return row.excerpt
        if column == COL_KIND:
            return row.kind.value.replace("_", " ").capitalize()
        if column == COL_STATUS:
            return row.status.value.capitalize()
        if column == COL_ASSIGNEE:
            return row.assignee or "—"
        if column == COL_FLAGS:
            return " · ".join(
                flag
                for flag, on in (("High profile", row.high_profile), ("Emergency", row.emergency))
                if on
            )
        return self._countdown_text(row, column)

    def _countdown_text(self, row: CommentRow, column: int) -> str:
        due = pending_due(row, column)
        if due is not None:
            return countdown_text(due, self.as_of)
        done = row.acknowledged_at if column == COL_ACK_IN else row.answered_at
        return "Done" if done is not None else "—"

    def _when(self, value: datetime, pattern: str) -> str:
        return value.astimezone(self._tz).strftime(pattern)
