"""The Comments tab: the citizen comment response log with its filters, countdowns, detail
panel and the actions of a communications officer (log, respond, acknowledge, assign, close,
moderate), enabled only for those who may handle comments.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import CloseReason
from desktop.policy.settings import PolicySettings
from desktop.services.authz import ALLOWED, Permission, can
from desktop.services.choices import Choice, ChoiceService
from desktop.services.comment_detail import CommentDetail
from desktop.services.comment_log import COUNT_CAP, CommentLogService, CommentRow, Interrupter
from desktop.services.comment_work.scope import CENTRAL_MONITORS, may_work_somewhere
from desktop.services.comments import CommentService
from desktop.services.context import Actor, ServiceContext
from desktop.views.base_tab import BaseTab
from desktop.views.comments.comment_actions import CommentActionBar
from desktop.views.comments.comment_detail import CommentDetailPanel
from desktop.views.comments.comment_filters import CommentFilterBar
from desktop.views.comments.comment_log_model import (
    SORT_COLUMNS,
    SORT_KEYS,
    CommentLogModel,
    RowRole,
)
from desktop.views.comments.comment_table import comment_table
from desktop.views.comments.log_comment_dialog import LogCommentDialog
from desktop.views.comments.moderate_dialog import ModerateDialog
from desktop.views.comments.respond_dialog import RespondDialog
from desktop.views.comments.route_dialog import RouteDialog
from desktop.views.errors import show_error
from desktop.views.list_detail import ListDetail
from desktop.views.ui_state import UiState
from desktop.views.worker import Progress, run_in_background

COUNTDOWN_INTERVAL_MS = 30_000
LOG_ROWS = 15  # comment rows the log keeps in sight when the window has room for them
CLOSE_REASONS = (
    CloseReason.ANSWERED,
    CloseReason.NO_RESPONSE_NEEDED,
    CloseReason.REFERRED_TO_COMMUNICATIONS,
)


def close_reason_label(reason: CloseReason) -> str:
    return reason.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class _Loaded:
    actor: Actor
    settings: PolicySettings
    accounts: list[Choice]
    ministries: list[Choice]
    handlers: list[Choice]


class CommentsTab(BaseTab):
    title = "Comments"
    icon = "comments"
    handles: ClassVar[frozenset[str]] = frozenset({"comment"})

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.log_service = CommentLogService(ctx)
        self.comments = CommentService(ctx)
        self.actor: Actor | None = None
        self.accounts: list[Choice] = []
        self.handlers: list[Choice] = []
        self.ministries: list[Choice] = []
        self.detail: CommentDetail | None = None
        self.dialog: QDialog | None = None  # the action dialog open right now
        self._detail_generation = 0
        self._count_generation = 0
        self._counting: Interrupter | None = None
        self._choices_stale = True
        self._follow_up_pending = False
        self.model = CommentLogModel(self.log_service, clock=ctx.now, runner=self._run_page)
        self._build()
        self.model.reloaded.connect(self._on_reloaded)
        self.model.load_failed.connect(self._on_load_failed)
        self.model.modelReset.connect(self._on_model_reset)
        self.filters.changed.connect(self._on_filters_changed)
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(COUNTDOWN_INTERVAL_MS)
        self.countdown_timer.timeout.connect(self.model.tick)
        self.countdown_timer.start()
        self._update_actions()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.filters = CommentFilterBar()
        self.count_label = QLabel("Loading…")
        self.count_label.setObjectName("commentCount")
        self.count_label.setProperty("role", "muted")
        self.goto_button = QPushButton("&Go to row…")
        self.goto_button.setObjectName("gotoRowButton")
        self.goto_button.setToolTip("Jump to a row number of the list as sorted and filtered")
        self.goto_button.clicked.connect(self._on_goto)
        self.filters.extra.addWidget(self.count_label)

        self.action_bar = CommentActionBar()
        self.log_button = self.action_bar.log_button
        self.respond_button = self.action_bar.respond_button
        self.ack_button = self.action_bar.ack_button
        self.assign_button = self.action_bar.assign_button
        self.close_button = self.action_bar.close_button
        self.moderate_button = self.action_bar.moderate_button
        self.route_button = self.action_bar.route_button
        self.permission_note = self.action_bar.note
        self.action_buttons = self.action_bar.buttons
        self.log_button.clicked.connect(self._on_log)
        self.respond_button.clicked.connect(self._on_respond)
        self.ack_button.clicked.connect(self._on_acknowledge)
        self.assign_button.clicked.connect(self._on_assign)
        self.close_button.clicked.connect(self._on_close)
        self.moderate_button.clicked.connect(self._on_moderate)
        self.route_button.clicked.connect(self._on_route)

        self.table = comment_table(self.model)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(self._on_double_clicked)

        self.detail_panel = CommentDetailPanel()
        self.list_detail = ListDetail(
            self, self.table, self.detail_panel, "commentLogSplitter", rows=LOG_ROWS
        )
        self.splitter = self.list_detail.splitter
        # Where the action row has room to spare, so the filters keep theirs on a laptop.
        actions_row = self.action_bar.layout()
        assert isinstance(actions_row, QHBoxLayout)
        actions_row.addWidget(self.goto_button)
        actions_row.addWidget(self.list_detail.button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.filters)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.splitter, 1)

    def search_field(self) -> QLineEdit | None:
        return self.filters.search

    def restore_state(self, state: UiState) -> None:
        super().restore_state(state)
        self.list_detail.restore(state, self.state_prefix())

    def save_state(self, state: UiState) -> None:
        super().save_state(state)
        self.list_detail.save(state, self.state_prefix())

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list first (it is what people wait for), then who is acting and the
        pickers' choices."""
        super().refresh()
        self._choices_stale = True
        self.model.set_query(self.filters.query(self.model.query))

    def _load_choices(self) -> None:
        if not self._choices_stale:
            return
        self._choices_stale = False
        ctx = self.ctx

        def load(_p: Progress) -> _Loaded:
            actor = ctx.actor()
            if not can(actor.roles, Permission.READ_ALL):
                # An agency reads none of the log (DESIGN §6): who is acting is still known,
                # so the actions can say why they are off; nothing else is asked for.
                return _Loaded(actor, ctx.settings(), [], [], [])
            choices = ChoiceService(ctx)
            return _Loaded(
                actor,
                ctx.settings(),
                choices.accounts(live_only=False),
                choices.ministries(),
                # The central accounts' monitors too: the service checks the comment's account.
                choices.people(roles=ALLOWED[Permission.HANDLE_COMMENTS] | CENTRAL_MONITORS),
            )

        run_in_background(self, load, on_success=self._on_loaded, read=True)

    def _on_loaded(self, loaded: _Loaded) -> None:
        self.actor = loaded.actor
        self.accounts = loaded.accounts
        self.handlers = loaded.handlers
        self.ministries = loaded.ministries
        settings = loaded.settings
        self.model.configure(settings.timezone, settings.due_soon_minutes)
        self.detail_panel.timezone = settings.timezone
        self.filters.due_soon.setToolTip(
            f"Open comments to acknowledge or answer within {settings.due_soon_minutes} minutes"
        )
        self.filters.blockSignals(True)
        self.filters.set_accounts(loaded.accounts)
        self.filters.set_ministries(loaded.ministries)
        self.filters.blockSignals(False)
        self._update_actions()
        if self.filters.query(self.model.query) != self.model.query:
            self.model.set_query(self.filters.query(self.model.query))

    def _run_page(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        # A read: the busy indicator and the count label say so, never a modal dialog.
        searching = bool(self.model.query.search.strip())
        run_in_background(
            self,
            lambda _p: work(),
            on_success=done,
            on_failure=done,
            progress_label="Searching the comment log…" if searching else "Loading comments…",
            read=True,
        )

    @Slot()
    def _on_filters_changed(self) -> None:
        self.model.set_query(self.filters.query(self.model.query))

    @Slot()
    def _on_model_reset(self) -> None:
        self.count_label.setText("Searching…" if self.model.query.search.strip() else "Loading…")
        self._show_detail(None)

    @Slot()
    def _on_reloaded(self) -> None:
        # The rows paint first; the count, the detail and the pickers load after, so their
        # threads do not hold the interpreter while the table paints.
        self._follow_up_pending = True
        QTimer.singleShot(0, self._after_reload)

    @property
    def loading(self) -> bool:
        """The list, or what follows it (count, detail, pickers), is still on its way."""
        return self.model.loading or self._follow_up_pending

    def _after_reload(self) -> None:
        self._follow_up_pending = False
        self._load_choices()
        if self.model.rowCount():
            # After Ctrl+End the last row, else the first.
            row = self.model.rowCount() - 1 if self.model.at_end else 0
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            if self.model.at_end:
                self.table.scrollToBottom()
        self._count_generation += 1
        generation, query, service = self._count_generation, self.model.query, self.log_service
        if self._counting is not None:
            self._counting.cancel()  # the count of a list no longer shown
        if self.model.complete and not self.model.loading:
            # Every row is in sight (a narrow search, a short filter): that is the count.
            self.count_label.setText(self._count_text(self.model.rowCount()))
            return
        as_of = self.model.as_of
        cancel = self._counting = Interrupter()

        def counted(total: int) -> None:
            if generation == self._count_generation:
                self.count_label.setText(self._count_text(total))

        run_in_background(
            self,
            lambda _p: service.count(query, as_of, cancel=cancel),
            on_success=counted,
            progress_label="Counting…",
            read=True,
        )

    def _count_text(self, total: int) -> str:
        shown = f"{COUNT_CAP:,}+" if total > COUNT_CAP else f"{total:,}"
        noun = "comment" if total == 1 else "comments"
        text = f"{shown} {noun}"
        first = self.model.first_row
        if first is None:
            if total <= COUNT_CAP and self.model.rows:
                first = self.model.first_row = max(total - len(self.model.rows), 0)
            else:
                return text + " · the end of the list"
        if first:
            text += f" · from row {first + 1:,}"
        return text

    @Slot(object)
    def _on_load_failed(self, exc: BaseException) -> None:
        self._load_choices()
        self.count_label.setText("Could not load the comments")
        show_error(self, exc)

    @Slot(int, Qt.SortOrder)
    def _on_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        if column in SORT_KEYS:
            return
        # Columns without an index do not sort: put the arrow back where the order is.
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        query = self.model.query
        descending = (
            Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        )
        header.setSortIndicator(SORT_COLUMNS[query.sort], descending)
        header.blockSignals(False)

    @Slot()
    def _on_goto(self) -> None:
        number, ok = QInputDialog.getInt(
            self,
            "Go to row",
            "Row number in this list:",
            (self.model.first_row or 0) + 1,
            1,
            100_000_000,
        )
        if ok:
            self.model.jump_to(number - 1)

    # -- the selected comment ------------------------------------------------------------

    def current_row(self) -> CommentRow | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(RowRole) if index.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.model.trimming:
            return  # the selected row left the window as it scrolled: the detail stays
        row = current.data(RowRole) if current.isValid() else None
        self._load_detail(row.id if row else None)

    def _load_detail(self, comment_id: uuid.UUID | None, *, then_refresh_row: bool = False) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        if comment_id is None:
            self._show_detail(None)
            return
        service = self.log_service

        def shown(detail: CommentDetail) -> None:
            if generation != self._detail_generation and not then_refresh_row:
                return
            if then_refresh_row:
                self.model.replace_row(detail.row)
            if generation == self._detail_generation:
                self._show_detail(detail)

        run_in_background(
            self,
            lambda _p: service.get(comment_id),
            on_success=shown,
            progress_label="Loading the comment…",
            read=True,
        )

    def _show_detail(self, detail: CommentDetail | None) -> None:
        self.detail = detail
        self.detail_panel.show_detail(detail)
        self._update_actions()

    def show_record(self, entity_type: str, entity_id: uuid.UUID | str) -> None:
        if entity_type != "comment":
            return
        comment_id = entity_id if isinstance(entity_id, uuid.UUID) else uuid.UUID(str(entity_id))
        position = self.model.position_of(comment_id)
        if position is not None:
            self.table.selectRow(position)
        else:
            self._load_detail(comment_id)

    # -- who may do what -----------------------------------------------------------------

    def _update_actions(self) -> None:
        detail = self.detail
        self.action_bar.show_for(
            self.actor,
            detail.row if detail is not None else None,
            detail.work_refusal if detail is not None else None,
        )

    def action_reasons(self) -> tuple[str | None, ...]:
        """Why each action button is disabled (None: enabled), in button order."""
        return self.action_bar.reasons

    def may_handle(self) -> bool:
        """Whether the actor may log comments somewhere (the service decides per account)."""
        return self.actor is not None and may_work_somewhere(self.actor.roles)

    # -- actions -------------------------------------------------------------------------

    def _open(self, dialog: QDialog, on_accepted: Callable[[], None]) -> None:
        """Window-modal, not exec(): the event loop keeps running (and tests can type)."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    @Slot()
    def _on_log(self) -> None:
        if not self.may_handle():
            return
        dialog = LogCommentDialog(self.ctx, self.accounts, self, timezone=self.model.timezone)
        self._open(dialog, self._after_logged)

    def _after_logged(self) -> None:
        self.data_changed.emit()
        self.model.reload()

    @Slot()
    def _on_respond(self) -> None:
        if self.detail is None or self.action_reasons()[1] is not None:
            return
        dialog = RespondDialog(self.ctx, self.detail, self)
        self._open(dialog, self._after_change)

    @Slot()
    def _on_double_clicked(self, _index: QModelIndex) -> None:
        if self.respond_button.isEnabled():
            self._on_respond()

    @Slot()
    def _on_moderate(self) -> None:
        if self.detail is None or self.action_reasons()[5] is not None:
            return
        dialog = ModerateDialog(self.ctx, self.detail, self)
        self._open(dialog, self._after_change)

    @Slot()
    def _on_route(self) -> None:
        if self.detail is None or self.action_reasons()[6] is not None:
            return
        dialog = RouteDialog(self.ctx, self.detail, self.ministries, self)
        self._open(dialog, self._after_change)

    @Slot()
    def _on_acknowledge(self) -> None:
        row = self.current_row()
        if row is not None and self.action_reasons()[2] is None:
            self._change(
                lambda: self.comments.acknowledge(row.id, version=row.version), "Acknowledging…"
            )

    @Slot()
    def _on_assign(self) -> None:
        row = self.current_row()
        if row is None or self.action_reasons()[3] is not None or not self.handlers:
            return
        names = [f"{p.label} — {p.detail}" if p.detail else p.label for p in self.handlers]
        me = next(
            (i for i, p in enumerate(self.handlers) if self.actor and p.id == self.actor.id), 0
        )
        chosen, ok = QInputDialog.getItem(
            self, "Assign comment", f"Assign the comment from {row.author} to:", names, me, False
        )
        if ok and chosen in names:
            person = self.handlers[names.index(chosen)]
            self._change(
                lambda: self.comments.assign(row.id, person.id, version=row.version),
                "Assigning…",
            )

    @Slot()
    def _on_close(self) -> None:
        row = self.current_row()
        if row is None or self.action_reasons()[4] is not None:
            return
        labels = [close_reason_label(r) for r in CLOSE_REASONS]
        chosen, ok = QInputDialog.getItem(
            self, "Close comment", "Why is this comment closed?", labels, 0, False
        )
        if ok and chosen in labels:
            reason = CLOSE_REASONS[labels.index(chosen)]
            self._change(
                lambda: self.comments.close(row.id, reason, version=row.version), "Closing…"
            )

    def _change(self, call: Callable[[], Any], label: str) -> None:
        run_in_background(
            self,
            lambda _p: call(),
            on_success=lambda _r: self._after_change(),
            progress_label=label,
        )

    def _after_change(self) -> None:
        """Show the selected comment's new state in its row and the panel; counts elsewhere."""
        self.data_changed.emit()
        if self.detail is not None:
            self._load_detail(self.detail.row.id, then_refresh_row=True)
