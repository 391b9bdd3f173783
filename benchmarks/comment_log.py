"""Figure 2: the Comments tab on a million comments, each step timed from the person's action to
the rows painted, against a raw ``sqlite3`` query fetching the same page in the same run.

Steps: the tab's first paint (build the tab and its model, the first page fetched, ``grab()``),
a change of filter (status "New"), a change of sort (acknowledge-by, earliest first) and a jump
to row 500,000. Between steps the tab's follow-up work (count, detail, pickers) is let finish.
The raw query is the plain join of the page's columns with the same ORDER BY and LIMIT (and
OFFSET for the jump) on a fresh connection. Also the process's peak resident memory.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, log, ms, peak_rss_mb
from benchmarks.gui import offscreen_app, settle

JUMP_ROW = 500_000  # 1-based, as "Go to row" takes it
TAB_SIZE = (1280, 760)

_COLUMNS = (
    "c.id, c.received_at, a.platform, a.handle, coalesce(rm.code, hm.code), c.author_name, "
    "c.author_handle, substr(c.text, 1, 141), c.kind, c.status, p.name, c.high_profile, "
    "c.emergency_id IS NOT NULL, c.acknowledge_due_at, c.answer_due_at, c.acknowledged_at, "
    "c.answered_at, c.version"
)
_FROM = (
    "FROM comments c JOIN accounts a ON a.id = c.account_id "
    "JOIN ministries hm ON hm.id = a.ministry_id "
    "LEFT JOIN ministries rm ON rm.id = c.routed_ministry_id "
    "LEFT JOIN people p ON p.id = c.assignee_id"
)
_NEWEST = "ORDER BY c.received_at DESC, c.id DESC"
RAW_QUERIES = {
    "first": f"SELECT {_COLUMNS} {_FROM} {_NEWEST} LIMIT 200",
    "filter": f"SELECT {_COLUMNS} {_FROM} WHERE c.status = 'new' {_NEWEST} LIMIT 200",
    "sort": f"SELECT {_COLUMNS} {_FROM} ORDER BY c.acknowledge_due_at, c.id LIMIT 200",
    "jump": f"SELECT {_COLUMNS} {_FROM} {_NEWEST} LIMIT 200 OFFSET {JUMP_ROW - 1}",
}


def raw_query(path: Path, sql: str) -> float:
    """Seconds to connect, fetch the page and close."""
    return _raw_rows(path, sql)[0]


def _raw_rows(path: Path, sql: str) -> tuple[float, list[tuple[Any, ...]]]:
    started = time.perf_counter()
    con = sqlite3.connect(path)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    elapsed = time.perf_counter() - started
    assert len(rows) == 200, f"the raw query found {len(rows)} rows"
    return elapsed, rows


def qt_floor(path: Path, size: tuple[int, int]) -> float:
    """Seconds for the raw first page shown in a bare QTableView of ``size``, painted."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
    from PySide6.QtWidgets import QTableView

    display = Qt.ItemDataRole.DisplayRole

    class RawModel(QAbstractTableModel):
        def __init__(self, rows: list[tuple[Any, ...]]) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, _parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return len(self.rows)

        def columnCount(self, _parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 11

        def data(self, index: QModelIndex | QPersistentModelIndex, role: int = display) -> Any:
            return str(self.rows[index.row()][index.column() + 1]) if role == display else None

    started = time.perf_counter()
    _elapsed, rows = _raw_rows(path, RAW_QUERIES["first"])
    view = QTableView()
    view.setModel(RawModel(rows))
    view.resize(*size)
    view.show()
    view.grab()
    elapsed = time.perf_counter() - started
    view.close()
    view.deleteLater()
    return elapsed


class _Steps:
    """Drives a CommentsTab the way a person does and times each step to the painted rows."""

    def __init__(self, env: BenchEnv) -> None:
        from desktop.services.context import ServiceContext
        from desktop.storage.database import open_database

        self.qapp = offscreen_app()
        self.db = open_database(env.db_path, migrate=False)
        as_of = env.as_of_time
        self.ctx = ServiceContext(self.db, env.login, clock=lambda: as_of)
        self.tab: Any = None
        self.phases = (0.0, 0.0, 0.0)

    def _until_loaded(self, action: Callable[[], None]) -> float:
        """Seconds from ``action`` to the first page painted (``grab`` paints the whole tab);
        ``phases`` keeps the action's, the wait's and the paint's share."""
        from PySide6.QtCore import QEventLoop

        loop = QEventLoop()
        failures: list[BaseException] = []
        started = time.perf_counter()
        action()
        acted = time.perf_counter()
        # Connected after the action (the first paint makes the tab): the page arrives from
        # the worker through this loop, never inside the action itself.
        model = self.tab.model

        def failed(exc: BaseException) -> None:
            failures.append(exc)
            loop.quit()

        model.reloaded.connect(loop.quit)
        model.load_failed.connect(failed)
        if model.loading:
            loop.exec()
        loaded = time.perf_counter()
        self.tab.grab()
        elapsed = time.perf_counter() - started
        self.phases = (acted - started, loaded - acted, started + elapsed - loaded)
        model.reloaded.disconnect(loop.quit)
        model.load_failed.disconnect(failed)
        if failures:
            raise RuntimeError(f"the comment page failed to load: {failures[0]}")
        assert model.rowCount() > 0, "the comment log showed no rows"
        settle(self.qapp)
        return elapsed

    def first_paint(self) -> float:
        from desktop.views.comments.comments_tab import CommentsTab

        def build() -> None:
            self.tab = CommentsTab(self.ctx)
            self.tab.resize(*TAB_SIZE)
            self.tab.show()
            self.tab.refresh()  # what the window does when the tab is shown

        return self._until_loaded(build)

    def filter_new(self) -> float:
        from desktop.enums import CommentStatus

        combo = self.tab.filters.status
        wanted = frozenset({CommentStatus.NEW})
        index = next(i for i in range(combo.count()) if combo.itemData(i) == wanted)
        return self._until_loaded(lambda: combo.setCurrentIndex(index))

    def clear_filter(self) -> None:
        self._until_loaded(lambda: self.tab.filters.status.setCurrentIndex(0))

    def sort_by_acknowledge(self) -> float:
        from PySide6.QtCore import Qt

        from desktop.views.comments.comment_log_model import COL_ACK_IN

        table = self.tab.table
        return self._until_loaded(
            lambda: table.sortByColumn(COL_ACK_IN, Qt.SortOrder.AscendingOrder)
        )

    def sort_newest_first(self) -> None:
        from PySide6.QtCore import Qt

        from desktop.views.comments.comment_log_model import COL_RECEIVED

        table = self.tab.table
        self._until_loaded(lambda: table.sortByColumn(COL_RECEIVED, Qt.SortOrder.DescendingOrder))

    def jump(self) -> float:
        elapsed = self._until_loaded(lambda: self.tab.model.jump_to(JUMP_ROW - 1))
        assert self.tab.model.first_row == JUMP_ROW - 1
        return elapsed

    def table_size(self) -> tuple[int, int]:
        size = self.tab.table.size()
        return size.width(), size.height()

    def close_tab(self) -> None:
        self.tab.close()
        self.tab.deleteLater()
        self.tab = None
        settle(self.qapp)


def _service_page_ms(env: BenchEnv, steps: _Steps) -> dict[str, float]:
    """The service call alone (no Qt), for the note: where the time goes."""
    from desktop.enums import CommentStatus
    from desktop.services.comment_log import CommentLogQuery, CommentLogService, SortKey

    service, as_of = CommentLogService(steps.ctx), env.as_of_time
    queries = {
        "first": CommentLogQuery(),
        "filter": CommentLogQuery(statuses=frozenset({CommentStatus.NEW})),
        "sort": CommentLogQuery(sort=SortKey.ACKNOWLEDGE_DUE, descending=False),
    }
    out = {}
    for name, query in queries.items():
        out[name] = statistics.median(
            ms(_timed(partial(service.page, query, as_of))) for _ in range(5)
        )

    def jump() -> None:
        cursor = service.row_at_offset(CommentLogQuery(), JUMP_ROW - 1, as_of)
        service.page(CommentLogQuery(), as_of, cursor)

    out["jump"] = statistics.median(ms(_timed(jump)) for _ in range(5))
    return out


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(env: BenchEnv) -> list[Result]:
    steps = _Steps(env)
    gui: dict[str, list[float]] = {"first": [], "filter": [], "sort": [], "jump": []}
    first_phases: list[tuple[float, float, float]] = []
    raw: dict[str, list[float]] = {name: [] for name in gui}
    floor: list[float] = []
    # Once a session: importing the tab's modules (the app does it on the pool after start-up).
    started = time.perf_counter()
    import desktop.views.comments.comments_tab  # noqa: F401

    import_ms = ms(time.perf_counter() - started)
    # One unmeasured round first: Qt's style and font caches, SQLite's schema parse.
    for n in range(env.repeats + 1):
        sample = {"first": steps.first_paint()}
        if n:
            first_phases.append(steps.phases)
        table_size = steps.table_size()
        sample["filter"] = steps.filter_new()
        steps.clear_filter()
        sample["sort"] = steps.sort_by_acknowledge()
        steps.sort_newest_first()
        sample["jump"] = steps.jump()
        steps.close_tab()
        raw_sample = {name: raw_query(env.db_path, sql) for name, sql in RAW_QUERIES.items()}
        floor_sample = qt_floor(env.db_path, table_size)
        settle(steps.qapp)
        if n == 0:
            continue
        floor.append(ms(floor_sample))
        for name in gui:
            gui[name].append(ms(sample[name]))
            raw[name].append(ms(raw_sample[name]))
        shown = (f"{k} {ms(v):.0f} ms (raw {ms(raw_sample[k]):.1f})" for k, v in sample.items())
        log(f"comment log {n}/{env.repeats}: " + ", ".join(shown))
    service = _service_page_ms(env, steps)
    build, wait, paint = (statistics.median(ms(p[i]) for p in first_phases) for i in range(3))
    service_note = (
        f"first paint = build the tab {build:.0f} + page arrives {wait:.0f} + paint {paint:.0f}"
        " ms; service call alone (median ms): "
        + ", ".join(f"{k} {v:.1f}" for k, v in service.items())
        + f"; importing the tab's modules (once a session, on the pool after start-up): "
        f"{import_ms:.0f} ms"
    )
    rss = peak_rss_mb()
    steps.db.dispose()
    baseline = "raw sqlite3 query, same page"
    rows = [
        ("2a", "Comments tab first paint", "first", Budget(max_value=150, max_ratio=3)),
        ("2b", "Comments: change of filter", "filter", Budget(max_value=100)),
        ("2c", "Comments: change of sort", "sort", Budget(max_value=100)),
        ("2d", f"Comments: jump to row {JUMP_ROW:,}", "jump", None),
    ]
    results = [
        Result(
            figure=fig,
            name=name,
            unit="ms",
            samples=gui[key],
            baseline_name=baseline,
            baseline_samples=raw[key],
            budget=budget,
            note=service_note if key == "first" else "",
        )
        for fig, name, key, budget in rows
    ]
    results.append(
        Result(
            figure="2f",
            name="Qt floor: raw page in a bare QTableView, painted",
            unit="ms",
            samples=floor,
            baseline_name=baseline,
            baseline_samples=raw["first"],
            note="no budget: the least any Qt table takes to show this page on this machine",
        )
    )
    results.append(
        Result(
            figure="2e",
            name="Comments: peak RSS of the process",
            unit="MB",
            samples=[rss],
            budget=Budget(max_value=200),
            note=f"{env.repeats + 1} rounds of the four steps; Qt, SQLAlchemy and the app loaded",
        )
    )
    return results


if __name__ == "__main__":
    child_main(measure)
