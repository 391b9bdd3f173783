"""The one way to run work off the GUI thread: success/failure callbacks, progress, cancel.

Modelled on Anki's ``CollectionOp``: the work function runs on the thread pool and must not
touch widgets; the callbacks run back on the GUI thread. A progress dialog appears only when
the work takes longer than ``PROGRESS_DELAY_MS``, so quick work does not flash a window.

Reads (loading, searching, filtering, sorting, a selection's detail) never show that window-
modal dialog: the window's busy indicator (``busy()``, in the status bar) says what is being
read after ``BUSY_DELAY_MS``, and the person can go on — the next action replaces the read.
The modal dialog, with Cancel where the work can stop, is for writes and reports.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QProgressDialog, QWidget

from desktop.errors import Cancelled, SmgovError
from desktop.storage.cancelling import CancelScope
from desktop.views.errors import show_error

log = logging.getLogger(__name__)

T = TypeVar("T")
PROGRESS_DELAY_MS = 300
BUSY_DELAY_MS = 80  # a read shows in the busy indicator after this; quicker ones never flash
SAVING = "Saving…"
TOO_LATE = "Too late to cancel: the change is already being saved…"


__all__ = [
    "Busy",
    "Cancelled",
    "Progress",
    "Task",
    "busy",
    "run_in_background",
    "running_tasks",
    "when_idle",
]


class Progress:
    """Handed to the work function: report how far it got; look at ``cancelled``."""

    def __init__(
        self, emit: Callable[[int, int, str], None], scope: CancelScope | None = None
    ) -> None:
        self._emit = emit
        self._cancel = threading.Event()
        # The work's database statements: Cancel stops the one running and refuses the commit.
        self.scope = scope or CancelScope()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> bool:
        """Cancel the work; False when it is too late (its change is being committed)."""
        if not self.scope.cancel():
            return False
        self._cancel.set()
        return True

    def check(self) -> None:
        """Stop the work here (raise ``desktop.errors.Cancelled``, which the services raise
        too) if the person cancelled it."""
        if self._cancel.is_set():
            raise Cancelled

    def is_cancelled(self) -> bool:
        """For services that take an ``IsCancelled`` callback."""
        return self._cancel.is_set()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        """``total`` 0 means "unknown" (a busy bar); ``text`` replaces the dialog's label."""
        self._emit(done, total, text)


class _Signals(QObject):
    progressed = Signal(int, int, str)
    committing = Signal()
    writing = Signal()
    succeeded = Signal(object)
    failed = Signal(object)


class Task(QObject, Generic[T]):
    """One piece of background work; lives on the GUI thread, its work on the pool."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[Progress], T],
        on_success: Callable[[T], Any],
        on_failure: Callable[[BaseException], Any] | None,
        progress_label: str | None,
        cancellable: bool,
        quiet: bool = False,
    ) -> None:
        # No Qt parent: the task must outlive a widget closed while the work runs; the
        # callbacks are then skipped instead of touching a deleted widget.
        super().__init__(None)
        self._parent_widget = parent
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._label = progress_label or "Working…"
        self._cancellable = cancellable
        self._quiet = quiet
        # Owned by the task (GUI thread): the pool thread's closure may hold the last Python
        # reference, and a QObject must not be destroyed on a thread it does not live on.
        self._signals = _Signals(self)
        self.progress = Progress(
            self._signals.progressed.emit,
            CancelScope(
                on_commit=self._signals.committing.emit, on_write=self._signals.writing.emit
            ),
        )
        self.dialog: QProgressDialog | None = None
        self.done = False
        self._committing = False
        self._last = (0, 0, "")
        # Bound methods of a QObject on the GUI thread: Qt queues the calls to this thread.
        self._signals.progressed.connect(self._on_progress)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.committing.connect(self._on_committing)
        self._signals.writing.connect(self._on_writing)
        # Work started from a dialog: closing the dialog cancels it for real (or, too late to
        # cancel, says the change was saved); while it writes, the dialog cannot be closed.
        self._dialog = _dialog_of(parent)
        self._held: _DialogHold | None = None
        self._too_late = False
        if self._dialog is not None:
            self._dialog.rejected.connect(self._on_dialog_rejected)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)

    def start(self, pool: QThreadPool) -> None:
        if not self._quiet:
            self._timer.start(PROGRESS_DELAY_MS)
        fn, progress, signals = self._fn, self.progress, self._signals

        def run() -> None:  # on a pool thread: touches nothing but its own arguments
            try:
                with progress.scope.entered():
                    result = fn(progress)
            except Cancelled:
                signals.failed.emit(Cancelled())
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never lost
                signals.failed.emit(exc)
            else:
                signals.succeeded.emit(result)

        pool.start(run)

    def _parent_alive(self) -> bool:
        return self._parent_widget is None or shiboken6.isValid(self._parent_widget)

    @Slot()
    def _show_dialog(self) -> None:
        if self.done or not self._parent_alive():
            return
        dialog = QProgressDialog(self._label, "Cancel", 0, 0, self._parent_widget)
        dialog.setObjectName("workerProgress")
        dialog.setWindowTitle("Please wait")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(360)
        if not self._cancellable or self._committing:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._on_cancel)
        self.dialog = dialog
        self._apply_progress(*self._last)
        if self._committing:
            dialog.setLabelText(SAVING)
        dialog.show()

    @Slot()
    def _on_cancel(self) -> None:
        dialog = self.dialog
        text = "Cancelling…" if self.progress.cancel() else TOO_LATE
        if dialog is not None and shiboken6.isValid(dialog) and not self.done:
            # QProgressDialog hides itself on Cancel: it stays until the work has really
            # stopped (or, too late to cancel, has finished saving).
            dialog.setCancelButton(None)
            dialog.setLabelText(text)
            dialog.show()

    @Slot()
    def _on_writing(self) -> None:
        dialog = self._dialog
        if (
            self._held is None
            and dialog is not None
            and shiboken6.isValid(dialog)
            and not self.done
        ):
            self._held = _DialogHold(dialog)

    @Slot()
    def _on_dialog_rejected(self) -> None:
        if not self.done and not self.progress.cancel():
            self._too_late = True

    @Slot()
    def _on_committing(self) -> None:
        """The change is being committed: Cancel could no longer undo it, so it goes."""
        self._committing = True
        dialog = self.dialog
        if dialog is not None and shiboken6.isValid(dialog) and not self.progress.cancelled:
            dialog.setCancelButton(None)
            dialog.setLabelText(SAVING)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text or self._last[2])
        self._apply_progress(*self._last)

    def _apply_progress(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog
        if dialog is None or self.progress.cancelled or not shiboken6.isValid(dialog):
            return
        # setValue() of a modal dialog processes events, and the task may finish (and close
        # the dialog) inside it: label and maximum first, the value last, on a local reference.
        if text:
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)

    def _close(self) -> None:
        self.done = True
        self._timer.stop()
        dialog, self.dialog = self.dialog, None
        # The dialog dies with its parent window: closing a window while work runs must not
        # leave the task unfinished.
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()

    @Slot(object)
    def _on_succeeded(self, result: T) -> None:
        try:
            self._close()
            if self._too_late:
                _tell_too_late(self._dialog)
            if self._parent_alive():
                self._on_success(result)
        finally:
            self._finish()

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        try:
            self._close()
            if isinstance(exc, Cancelled):
                log.info("%s: cancelled", self._label)
            elif not self._parent_alive():
                log.error("Background work failed after its window closed", exc_info=_info(exc))
            elif self._on_failure is not None:
                if not isinstance(exc, SmgovError):
                    log.error("Background work failed", exc_info=_info(exc))
                self._on_failure(exc)
            else:
                show_error(self._parent_widget, exc)
        finally:
            self._finish()

    def _release_dialog(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.release()
        dialog = self._dialog
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.rejected.disconnect(self._on_dialog_rejected)

    def _finish(self) -> None:
        self._release_dialog()
        _running.discard(self)
        self.finished.emit()
        self.deleteLater()
        if not _running:
            _call_idle_callbacks()


def _dialog_of(parent: QWidget | None) -> QDialog | None:
    window = parent.window() if parent is not None else None
    return window if isinstance(window, QDialog) else None


class _DialogHold(QObject):
    """While work started from a dialog writes: its Cancel/Close buttons are disabled and
    Escape and the window's close button do nothing (closing would not stop the write)."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.buttons = [
            button
            for box in dialog.findChildren(QDialogButtonBox)
            for button in box.buttons()
            if box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole
            and button.isEnabled()
        ]
        for button in self.buttons:
            button.setEnabled(False)
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            event.ignore()
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return event.key() == Qt.Key.Key_Escape
        return False

    def release(self) -> None:
        if not shiboken6.isValid(self.dialog):
            return
        self.dialog.removeEventFilter(self)
        for button in self.buttons:
            if shiboken6.isValid(button):
                button.setEnabled(True)


def _tell_too_late(dialog: QDialog | None) -> None:
    owner = dialog.parentWidget() if dialog is not None and shiboken6.isValid(dialog) else None
    QMessageBox.information(
        owner,
        "Saved",
        "It was too late to cancel: the change had already been sent to the database, and it "
        "was saved.",
    )


def _info(exc: BaseException) -> tuple[type[BaseException], BaseException, Any]:
    return (type(exc), exc, exc.__traceback__)


# Tasks are kept referenced while they run: a parentless Task would otherwise be collected.
_running: set[Task[Any]] = set()


def run_in_background(
    parent: QWidget | None,
    fn: Callable[[Progress], T],
    *,
    on_success: Callable[[T], Any],
    on_failure: Callable[[BaseException], Any] | None = None,
    progress_label: str | None = None,
    cancellable: bool = False,
    quiet: bool = False,
    read: bool | None = None,
) -> Task[T]:
    """Run ``fn(progress)`` on the thread pool; call back on the GUI thread.

    ``on_failure`` replaces the default handling (an error message box); a cancelled task
    (``Progress.check()`` raised, or ``desktop.errors.Cancelled``) calls neither callback.
    ``quiet``: no progress dialog, for work whose progress the caller shows itself. ``read``
    (the default for work with no label that cannot be cancelled): never a modal dialog; the
    busy indicator shows ``progress_label`` (or "Loading…") while it runs. Returns the task,
    whose ``finished`` signal fires after the callback ran (tests wait on it).
    """
    if read is None:
        read = progress_label is None and not cancellable
    task: Task[T] = Task(
        parent, fn, on_success, on_failure, progress_label, cancellable, quiet or read
    )
    _running.add(task)
    if read:
        busy().add(task, progress_label or "Loading…")
    task.start(QThreadPool.globalInstance())
    return task


class Busy(QObject):
    """The reads running now, for the window's busy indicator: ``changed`` carries what is
    being read ("" when nothing is), once a read has run ``BUSY_DELAY_MS``."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__(None)
        self._reads: dict[int, str] = {}
        self.text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)

    def add(self, task: QObject, label: str) -> None:
        key = id(task)
        self._reads[key] = label
        task.destroyed.connect(lambda *_a: self._remove(key))
        task.finished.connect(lambda: self._remove(key))  # type: ignore[attr-defined]
        if self.text:
            self._show()
        elif not self._timer.isActive():
            self._timer.start(BUSY_DELAY_MS)

    def _remove(self, key: int) -> None:
        if self._reads.pop(key, None) is None:
            return
        if not self._reads:
            self._timer.stop()
            self._set("")
        elif self.text:
            self._show()

    @Slot()
    def _show(self) -> None:
        if self._reads:
            self._set(list(self._reads.values())[-1])

    def _set(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.changed.emit(text)


_busy: Busy | None = None


def busy() -> Busy:
    """The application's one ``Busy`` (made on first use, on the GUI thread)."""
    global _busy
    if _busy is None or not shiboken6.isValid(_busy):
        _busy = Busy()
    return _busy


def running_tasks() -> int:
    """How many tasks have not called back yet (the app waits for them before it exits)."""
    return len(_running)


# Called, in order, the next time no task is running.
_idle_callbacks: list[Callable[[], Any]] = []


def when_idle(callback: Callable[[], Any]) -> None:
    """Call ``callback`` on the GUI thread once no background task is running (soon, if none
    is now): for work that should not compete with what the person is waiting for."""
    _idle_callbacks.append(callback)
    if not _running:
        _call_idle_callbacks()


def _call_idle_callbacks() -> None:
    callbacks = list(_idle_callbacks)
    _idle_callbacks.clear()
    for callback in callbacks:
        QTimer.singleShot(0, callback)
