"""Figure 2: the Comments tab on a million comments, each step timed from the person's action to
the rows painted, against a raw ``sqlite3`` query fetching the same page in the same run.

Steps: the tab's first paint (build the tab and its model, the first page fetched, ``grab()``),
a change of filter (status "New"), a change of sort (acknowledge-by, earliest first) and a jump
to row 500,000. Between steps the tab's follow-up work (count, detail, pickers) is let finish.
The raw query is the plain join of the page's columns with the same ORDER BY and LIMIT on a
fresh connection; for the jump, what the app does in raw SQL: the row's keys by OFFSET on the
sort's index alone, then the page from there by keyset.

Searches (2g–2j) are timed in the whole tab, from the search starting to its rows painted and
its count shown: a word with a few matches, with none, with many, and the first search after
the database file was dropped from the OS cache (``posix_fadvise``, that file only). Ctrl+End
(2k) is timed to the last rows painted; 2l fetches every page of the log in order, as holding
the down arrow would, and reports the process's resident memory after it. 2m times the service
call alone for every sort key, both directions, the first page, the last (read backwards) and
the page after the first, and reports the slowest.
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
}
# The jump as the app does it, in raw SQL: the keys of the row by OFFSET on the index alone,
# then the page by keyset from there.
JUMP_KEYS = (
    "SELECT c.received_at, c.id FROM comments c ORDER BY c.received_at DESC, c.id DESC "
    f"LIMIT 1 OFFSET {JUMP_ROW - 1}"
)
JUMP_PAGE = (
    f"SELECT {_COLUMNS} {_FROM} WHERE c.received_at <= ? AND (c.received_at, c.id) <= (?, ?) "
    f"{_NEWEST} LIMIT 200"
)
SEARCHES = {"few": "Gord Ulrich highway", "none": "zzqxj", "many": "school"}


def raw_query(path: Path, sql: str) -> float:
    """Seconds to connect, fetch the page and close."""
    return _raw_rows(path, sql)[0]


def raw_jump(path: Path) -> float:
    """Seconds for the jump's two raw statements on a fresh connection."""
    started = time.perf_counter()
    con = sqlite3.connect(path)
    try:
        received, ident = con.execute(JUMP_KEYS).fetchone()
        rows = con.execute(JUMP_PAGE, (received, received, ident)).fetchall()
    finally:
        con.close()
    assert len(rows) == 200, f"the raw jump found {len(rows)} rows"
    return time.perf_counter() - started


def drop_from_os_cache(path: Path) -> None:
    """Evict this database's files (only them) from the OS page cache: the next read is cold."""
    import os

    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


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

    def to_end(self) -> float:
        """Ctrl+End in the table, to the last rows painted."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        table = self.tab.table
        table.setFocus()
        elapsed = self._until_loaded(
            lambda: QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        )
        assert self.tab.model.at_end
        return elapsed

    def search(self, words: str) -> tuple[float, int]:
        """From the search starting to its rows painted and its count shown: (seconds, rows)."""
        started = time.perf_counter()
        self._type_search(words)
        self.tab.grab()
        elapsed = time.perf_counter() - started
        rows = self.tab.model.rowCount()
        self._type_search("")
        settle(self.qapp)
        return elapsed, rows

    def _type_search(self, words: str) -> None:
        """The search box's text searched now, waited for to its rows and its count."""
        from PySide6.QtCore import QCoreApplication, QEventLoop

        model = self.tab.model
        loop = QEventLoop()
        model.reloaded.connect(loop.quit)
        model.load_failed.connect(loop.quit)
        self.tab.filters.search.setText(words)
        self.tab.filters.search_now()
        if model.loading:
            loop.exec()
        model.reloaded.disconnect(loop.quit)
        model.load_failed.disconnect(loop.quit)
        label = self.tab.count_label
        deadline = time.monotonic() + 120
        while label.text() in ("Searching…", "Loading…") and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.0005)

    def scroll_whole_log(self) -> tuple[float, int, int]:
        """Every page in order through the model (what holding the down arrow fetches):
        seconds, pages, and the most rows the model held at once."""
        from desktop.views.comments.comment_log_model import CommentLogModel

        model = CommentLogModel(self.tab.log_service, clock=self.ctx.now)
        model.set_query(self.tab.model.query)
        pages, most = 1, model.rowCount()
        started = time.perf_counter()
        while model.canFetchMore():
            model.fetchMore()
            pages += 1
            most = max(most, model.rowCount())
        return time.perf_counter() - started, pages, most

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


def _sort_pages_ms(env: BenchEnv, steps: _Steps) -> dict[str, float]:
    """Each sort key's worst service call (ms, median of 3) over both directions and three
    pages: the first, the last (read backwards) and the one after the first."""
    from desktop.services.comment_log import CommentLogQuery, CommentLogService, SortKey

    service, as_of = CommentLogService(steps.ctx), env.as_of_time
    worst: dict[str, float] = {}
    for key in SortKey:
        for descending in (False, True):
            query = CommentLogQuery(sort=key, descending=descending)
            first = service.page(query, as_of)  # unmeasured: the statement's plan cached
            calls = (
                partial(service.page, query, as_of),
                partial(service.page, query, as_of, last=True),
                partial(service.page, query, as_of, first.next_cursor),
            )
            for call in calls:
                median = statistics.median(ms(_timed(call)) for _ in range(3))
                worst[key.value] = max(worst.get(key.value, 0.0), median)
    return worst


def _current_rss_mb() -> float:
    """The resident memory of this process now (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(env: BenchEnv) -> list[Result]:
    steps = _Steps(env)
    gui: dict[str, list[float]] = {
        "first": [], "filter": [], "sort": [], "jump": [], "end": [], "few": [], "none": [],
        "many": [],
    }  # fmt: skip
    found: dict[str, int] = {}
    first_phases: list[tuple[float, float, float]] = []
    raw: dict[str, list[float]] = {name: [] for name in ("first", "filter", "sort", "jump")}
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
        steps.sort_newest_first()
        sample["end"] = steps.to_end()
        steps.sort_newest_first()
        for kind, words in SEARCHES.items():
            sample[kind], found[kind] = steps.search(words)
        steps.close_tab()
        raw_sample = {name: raw_query(env.db_path, sql) for name, sql in RAW_QUERIES.items()}
        raw_sample["jump"] = raw_jump(env.db_path)
        floor_sample = qt_floor(env.db_path, table_size)
        settle(steps.qapp)
        if n == 0:
            continue
        floor.append(ms(floor_sample))
        for name in gui:
            gui[name].append(ms(sample[name]))
        for name in raw:
            raw[name].append(ms(raw_sample[name]))
        shown = (f"{k} {ms(v):.0f} ms" for k, v in sample.items())
        log(f"comment log {n}/{env.repeats}: " + ", ".join(shown))
    service = _service_page_ms(env, steps)
    sorts = _sort_pages_ms(env, steps)
    # The first search on a database file not in the OS cache, in a new tab.
    drop_from_os_cache(env.db_path)
    steps.first_paint()
    cold_ms, _cold_rows = steps.search(SEARCHES["few"])
    cold_ms = ms(cold_ms)
    rss_before_scroll = peak_rss_mb()
    scroll_s, scroll_pages, most_rows = steps.scroll_whole_log()
    rss_after_scroll = _current_rss_mb()
    steps.close_tab()
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
        ("2b", "Comments: change of filter", "filter", Budget(max_value=100)),
        ("2c", "Comments: change of sort", "sort", Budget(max_value=100)),
        ("2d", f"Comments: jump to row {JUMP_ROW:,}", "jump", None),
    ]
    results = [
        Result(
            figure="2a",
            name="Comments tab first paint",
            unit="ms",
            samples=gui["first"],
            baseline_name="the Qt floor (2f) in the same run",
            baseline_samples=floor,
            budget=Budget(max_value=150, max_ratio=3),
            note=service_note
            + f"; the raw sqlite3 query of the page: {statistics.median(raw['first']):.1f} ms",
        )
    ]
    results += [
        Result(
            figure=fig,
            name=name,
            unit="ms",
            samples=gui[key],
            baseline_name=baseline if key != "jump" else "raw sqlite3: keys by OFFSET, then keyset",
            baseline_samples=raw[key],
            budget=budget,
        )
        for fig, name, key, budget in rows
    ]
    for fig, kind, label in (
        ("2g", "few", "few matches"),
        ("2h", "none", "no match"),
        ("2i", "many", "many matches"),
    ):
        results.append(
            Result(
                figure=fig,
                name=f"Comments: search, {label} ({SEARCHES[kind]!r}), rows and count shown",
                unit="ms",
                samples=gui[kind],
                budget=Budget(max_value=100),
                note=f"{found.get(kind, 0):,} rows in the first window",
            )
        )
    results.append(
        Result(
            figure="2j",
            name="Comments: first search with the database file out of the OS cache",
            unit="ms",
            samples=[cold_ms],
            budget=Budget(max_value=1000),
            note="the file evicted with posix_fadvise(DONTNEED); a new tab, its first page first",
        )
    )
    results.append(
        Result(
            figure="2k",
            name="Comments: Ctrl+End to the last rows painted",
            unit="ms",
            samples=gui["end"],
            budget=Budget(max_value=100),
        )
    )
    results.append(
        Result(
            figure="2l",
            name="Comments: resident memory after fetching every page of the log in order",
            unit="MB",
            samples=[rss_after_scroll],
            budget=Budget(max_value=250),
            note=(
                f"{scroll_pages:,} pages in {scroll_s:.0f} s ({ms(scroll_s) / scroll_pages:.1f} "
                f"ms a page), at most {most_rows:,} rows held; peak before it "
                f"{rss_before_scroll:.0f} MB"
            ),
        )
    )
    slowest = max(sorts, key=lambda k: sorts[k])
    results.append(
        Result(
            figure="2m",
            name="Comments: sort by each column, first/last page and a page after, service call,"
            " worst case",
            unit="ms",
            samples=[sorts[slowest]],
            budget=Budget(max_value=100),
            note=f"worst: {slowest}; each key's worst (ms): "
            + ", ".join(f"{k} {v:.0f}" for k, v in sorts.items()),
        )
    )
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
