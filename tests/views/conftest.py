"""Fixtures for the desktop views: a small database (the standard cast, SQLite only — the
services' tests cover PostgreSQL), the app session acting as a cast member, and a main window.

Qt warnings fail these tests (pytest-qt's ``qt_log_level_fail`` marker on every item here),
except the offscreen platform's notice that it cannot pass size hints to a window manager.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.enums import CommentStatus, EmergencyKind
from desktop.models import Account, Comment, Emergency, EmergencyMinistry
from desktop.models.base import new_id
from desktop.services.compliance import ComplianceOverview, ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.session import AppServices, describe_target
from desktop.storage.database import Database
from desktop.views.main_window import MainWindow
from desktop.views.tabs import TabFactory
from desktop.views.ui_state import UiState
from desktop.views.worker import running_tasks
from tests.factories import Cast

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform says this of every top-level window that has a size limit.
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))


@pytest.fixture(autouse=True)
def _process_settings_restored() -> Iterator[None]:
    """A test that starts the app (``AppController``) changes process-wide settings: the heap
    frozen once the window is up, a shorter interpreter switch interval. The next test starts
    from Python's own."""
    interval = sys.getswitchinterval()
    yield
    gc.unfreeze()
    sys.setswitchinterval(interval)


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    """GUI tests run on a SQLite file; the services run on both databases in their tests."""
    return sqlite_db


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The compliance checks wait until the event is set (at the latest when the test ends):
    the Compliance tab is seen while they run."""
    release = threading.Event()
    real = ComplianceService.overview

    def slow(self: ComplianceService, as_of: datetime) -> ComplianceOverview:
        release.wait(10)
        return real(self, as_of)

    monkeypatch.setattr(ComplianceService, "overview", slow)
    yield release
    release.set()


def wait_for_tasks(qtbot: QtBot, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=timeout)


@pytest.fixture
def make_app(cast: Cast, qtbot: QtBot) -> Iterator[Callable[[str], AppServices]]:
    """``make_app("officer")``: the app session acting as that member of the cast."""

    def make(who: str) -> AppServices:
        ctx = ServiceContext(cast.db, cast.people[who].login, clock=cast.clock)
        return AppServices(ctx, describe_target(str(cast.db.url.database)))

    yield make
    # Work still running would outlive the test's database.
    wait_for_tasks(qtbot)


@pytest.fixture
def make_window(make_app: Callable[[str], AppServices], qtbot: QtBot) -> Callable[..., MainWindow]:
    """``make_window("officer", factories=[...])``: shown, with its first status loaded."""

    def make(
        who: str = "admin",
        *,
        factories: list[TabFactory] | None = None,
        ui_state: UiState | None = None,
        status_interval_ms: int = 3_600_000,
    ) -> MainWindow:
        app = make_app(who)
        window = MainWindow(
            app,
            app.actor(),
            factories=factories,
            ui_state=ui_state if ui_state is not None else UiState.in_memory(),
            status_interval_ms=status_interval_ms,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.status is not None)
        return window

    return make


class _Boxes(list[QMessageBox]):
    claimed = False


@pytest.fixture(autouse=True)
def _no_modal_waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Boxes]:
    """A modal box would wait for a click forever offscreen: record boxes instead, and fail
    the test if one appeared that it did not ask for (``boxes``). The static helpers
    (question, information...) must be patched by the test that expects them."""
    shown = _Boxes()

    def record(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Ok)

    def unexpected(*args: object, **_kw: object) -> None:
        raise AssertionError(f"unexpected modal message box: {args[1:3]}")

    monkeypatch.setattr(QMessageBox, "exec", record)
    for name in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
    yield shown
    if shown and not shown.claimed:
        texts = [f"{b.windowTitle()}: {b.text()}" for b in shown]
        pytest.fail(f"unexpected message boxes: {texts}")


@pytest.fixture
def boxes(_no_modal_waits: _Boxes) -> list[QMessageBox]:
    """The message boxes shown during the test (each would have waited for a click)."""
    _no_modal_waits.claimed = True
    return _no_modal_waits


# -- data a test adds on top of the cast --------------------------------------------------


def add_comment(
    cast: Cast,
    *,
    acknowledge_in: timedelta,
    answer_in: timedelta = timedelta(days=1),
    status: CommentStatus = CommentStatus.NEW,
    account_handle: str = "SKHealth",
) -> None:
    now: datetime = cast.clock()
    with cast.db.read() as session:
        account_id = session.scalar(select(Account.id).where(Account.handle == account_handle))
    if account_id is None:
        account_id = cast.account(account_handle).id
    with cast.db.write() as session:
        session.add(
            Comment(
                id=new_id(),
                account_id=account_id,
                received_at=now - timedelta(minutes=30),
                text="When does the clinic open?",
                status=status,
                clock_start_at=now - timedelta(minutes=30),
                acknowledge_due_at=now + acknowledge_in,
                answer_due_at=now + answer_in,
            )
        )


def add_emergency(
    cast: Cast, title: str = "Spring flooding", *, hours_ago: int = 6, on_call: bool = False
) -> None:
    with cast.db.write() as session:
        emergency = Emergency(
            id=new_id(),
            kind=EmergencyKind.FLOOD,
            title=title,
            declared_at=cast.clock() - timedelta(hours=hours_ago),
            on_call_ministry_id=cast.people["officer"].id if on_call else None,
            on_call_council_id=cast.people["council"].id if on_call else None,
        )
        session.add(emergency)
        session.flush()
        session.add(EmergencyMinistry(emergency_id=emergency.id, ministry_id=cast.health.id))
