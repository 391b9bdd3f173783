"""The one background-work helper: callbacks on the GUI thread, errors shown (never lost),
a progress dialog only for slow work, and cancel."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.errors import Cancelled, DomainError, StorageUnavailable
from desktop.reports.spec import ReportCancelled
from desktop.views.errors import describe_error
from desktop.views.worker import (
    PROGRESS_DELAY_MS,
    Progress,
    run_in_background,
    running_tasks,
    when_idle,
)
from tests.views.conftest import wait_for_tasks


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _progress_dialog(parent: QWidget) -> QProgressDialog | None:
    found = parent.findChildren(QProgressDialog)
    return next((d for d in found if d.isVisible()), None)


def test_work_runs_off_the_gui_thread_and_the_result_comes_back_on_it(
    qtbot: QtBot, parent: QWidget
) -> None:
    threads: dict[str, threading.Thread] = {}
    results: list[int] = []

    def work(_progress: Progress) -> int:
        threads["work"] = threading.current_thread()
        return 42

    def done(value: int) -> None:
        threads["callback"] = threading.current_thread()
        results.append(value)

    run_in_background(parent, work, on_success=done)
    qtbot.waitUntil(lambda: results == [42])
    assert threads["work"] is not threading.main_thread()
    assert threads["callback"] is threading.main_thread()
    wait_for_tasks(qtbot)
    assert running_tasks() == 0


def test_a_rule_broken_is_shown_with_the_field_to_fix(
    qtbot: QtBot, parent: QWidget, boxes: list[QMessageBox]
) -> None:
    def work(_progress: Progress) -> None:
        raise DomainError("Handle must be one word without spaces, e.g. SKGov.", "handle")

    task = run_in_background(parent, work, on_success=lambda _r: pytest.fail("no success"))
    with qtbot.waitSignal(task.finished):
        pass
    assert len(boxes) == 1
    assert boxes[0].windowTitle() == "Please check your entry"
    assert boxes[0].text() == "Handle must be one word without spaces, e.g. SKGov."
    assert boxes[0].informativeText() == "Check the field: Handle."


def test_an_unexpected_error_is_logged_with_its_traceback_and_shown_with_the_log_file(
    qtbot: QtBot, parent: QWidget, boxes: list[QMessageBox], caplog: pytest.LogCaptureFixture
) -> None:
    def work(_progress: Progress) -> None:
        raise KeyError("account_id")

    with caplog.at_level(logging.ERROR):
        task = run_in_background(parent, work, on_success=lambda _r: None)
        with qtbot.waitSignal(task.finished):
            pass
    assert boxes[0].windowTitle() == "Unexpected error"
    assert "KeyError" in boxes[0].text()
    assert "smgov.log" in boxes[0].informativeText()
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError


def test_on_failure_replaces_the_message_box_but_unexpected_errors_are_still_logged(
    qtbot: QtBot, parent: QWidget, boxes: list[QMessageBox], caplog: pytest.LogCaptureFixture
) -> None:
    failures: list[BaseException] = []

    def work(_progress: Progress) -> None:
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR):
        task = run_in_background(
            parent, work, on_success=lambda _r: None, on_failure=failures.append
        )
        with qtbot.waitSignal(task.finished):
            pass
    assert boxes == []
    assert isinstance(failures[0], ZeroDivisionError)
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_quick_work_shows_no_progress_dialog(qtbot: QtBot, parent: QWidget) -> None:
    task = run_in_background(parent, lambda _p: 1, on_success=lambda _r: None, progress_label="X")
    with qtbot.waitSignal(task.finished):
        pass
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert _progress_dialog(parent) is None


def test_slow_work_shows_progress_and_cancel_stops_it_without_callbacks(
    qtbot: QtBot, parent: QWidget, boxes: list[QMessageBox]
) -> None:
    release = threading.Event()
    called: list[str] = []

    def work(progress: Progress) -> str:
        for step in range(1000):
            progress.report(step, 1000, f"Recomputing due times ({step} of 1000)")
            if release.wait(0.01):
                break
            progress.check()
        return "finished"

    task = run_in_background(
        parent,
        work,
        on_success=lambda _r: called.append("success"),
        on_failure=lambda _e: called.append("failure"),
        progress_label="Recomputing…",
        cancellable=True,
    )
    qtbot.waitUntil(lambda: _progress_dialog(parent) is not None, timeout=3000)
    dialog = _progress_dialog(parent)
    assert dialog is not None
    qtbot.waitUntil(lambda: "Recomputing due times" in dialog.labelText())
    assert dialog.maximum() == 1000
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(task.finished, timeout=5000):
        cancel.click()
    assert called == []
    assert boxes == []
    assert _progress_dialog(parent) is None
    release.set()


@pytest.mark.parametrize(
    "cancelled",
    [
        ReportCancelled("The report was cancelled."),
        Cancelled("The recomputation of due times was cancelled."),
    ],
    ids=["a report", "a recomputation"],
)
def test_work_a_service_cancelled_calls_back_nothing_and_shows_nothing(
    qtbot: QtBot, parent: QWidget, boxes: list[QMessageBox], cancelled: Exception
) -> None:
    called: list[str] = []

    def work(_progress: Progress) -> None:
        raise cancelled

    task = run_in_background(
        parent,
        work,
        on_success=lambda _r: called.append("success"),
        on_failure=lambda _e: called.append("failure"),
    )
    qtbot.waitSignal(task.finished).wait()
    assert called == []
    assert boxes == []


def test_quiet_work_shows_no_progress_dialog_however_long_it_takes(
    qtbot: QtBot, parent: QWidget
) -> None:
    release = threading.Event()
    task = run_in_background(
        parent, lambda _p: release.wait(5), on_success=lambda _r: None, quiet=True
    )
    qtbot.wait(PROGRESS_DELAY_MS + 200)
    assert _progress_dialog(parent) is None
    release.set()
    qtbot.waitSignal(task.finished).wait()


def test_idle_callbacks_wait_for_every_running_task(qtbot: QtBot, parent: QWidget) -> None:
    order: list[str] = []
    release = threading.Event()
    run_in_background(parent, lambda _p: release.wait(5), on_success=lambda _r: order.append("a"))
    run_in_background(parent, lambda _p: None, on_success=lambda _r: order.append("b"))
    when_idle(lambda: order.append("idle 1"))
    when_idle(lambda: order.append("idle 2"))
    qtbot.waitUntil(lambda: order == ["b"])
    qtbot.wait(50)
    assert order == ["b"]  # one task still runs
    release.set()
    qtbot.waitUntil(lambda: len(order) == 4)
    assert order == ["b", "a", "idle 1", "idle 2"]
    when_idle(lambda: order.append("at once"))  # nothing runs: soon, from the event loop
    assert order[-1] == "idle 2"
    qtbot.waitUntil(lambda: order[-1] == "at once")


def test_work_that_may_not_be_cancelled_has_no_cancel_button(qtbot: QtBot, parent: QWidget) -> None:
    release = threading.Event()
    task = run_in_background(
        parent, lambda _p: release.wait(5), on_success=lambda _r: None, progress_label="Saving…"
    )
    qtbot.waitUntil(lambda: _progress_dialog(parent) is not None, timeout=3000)
    dialog = _progress_dialog(parent)
    assert dialog is not None
    assert dialog.labelText() == "Saving…"
    assert dialog.findChild(QPushButton) is None
    with qtbot.waitSignal(task.finished):
        release.set()
    assert _progress_dialog(parent) is None


def test_callbacks_are_skipped_when_the_window_closed_meanwhile(qtbot: QtBot) -> None:
    widget = QWidget()
    release = threading.Event()
    called: list[str] = []
    task = run_in_background(
        widget, lambda _p: release.wait(5), on_success=lambda _r: called.append("success")
    )
    widget.deleteLater()
    qtbot.wait(10)
    with qtbot.waitSignal(task.finished):
        release.set()
    assert called == []


def test_a_window_closed_while_its_progress_dialog_shows_still_finishes_the_task(
    qtbot: QtBot,
) -> None:
    """The dialog is the window's child and dies with it; the task must still call back."""
    widget = QWidget()
    widget.show()
    release = threading.Event()
    called: list[str] = []
    task = run_in_background(
        widget,
        lambda _p: release.wait(5),
        on_success=lambda _r: called.append("success"),
        progress_label="Exporting…",
    )
    qtbot.waitUntil(lambda: _progress_dialog(widget) is not None, timeout=3000)
    widget.deleteLater()
    qtbot.wait(20)
    with qtbot.waitSignal(task.finished, timeout=5000):
        release.set()
    assert called == []
    assert running_tasks() == 0


@pytest.mark.parametrize(
    ("exc", "title"),
    [
        (DomainError("Choose the ministry."), "Please check your entry"),
        (StorageUnavailable("The database cannot be reached: timeout"), "Database unavailable"),
    ],
)
def test_error_titles_name_the_kind_of_problem(exc: Exception, title: str) -> None:
    described = describe_error(exc)
    assert described.title == title
    assert described.text == str(exc)
