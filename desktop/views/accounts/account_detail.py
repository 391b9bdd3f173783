"""The detail panel of the Accounts tab: the selected account's particulars, its engagement
sparkline, and its goals, roles, approvals and audit history in sub-tabs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import ApprovalState
from desktop.services.account_list import AccountDetail, AccountRow
from desktop.services.audit_service import AuditRow
from desktop.services.metrics import METRIC_LABELS
from desktop.views.accounts.account_table_model import (
    TOOL_LABELS,
    evaluation_text,
    goals_text,
    password_text,
    status_text,
)
from desktop.views.accounts.sparkline import Point, Sparkline
from desktop.views.errors import field_label
from desktop.views.evaluations.goals_model import amount_text

_OPEN = (ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.CHANGES_REQUESTED)
_NOT_SHOWN = ("version", "id", "created_at", "updated_at")
_CHANGE_LIMIT = 160  # characters of a history row's changes shown in the cell; all in tooltip


def _words(value: Any) -> str:
    text = str(getattr(value, "value", value)).replace("_", " ")
    return text[:1].upper() + text[1:]


def _day(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else "—"


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def change_text(event: AuditRow, *, full: bool = False) -> str:
    """ "Display name: Old → New; Status: active → suspended"; a new record says its status
    (``full``: every field it was recorded with, for the tooltip)."""
    keys = [k for k in dict.fromkeys([*event.before, *event.after]) if k not in _NOT_SHOWN]
    if not event.before:
        if full:
            return "\n".join(f"{field_label(k)}: {_short(event.after.get(k))}" for k in keys)
        status = event.after.get("status")
        return f"Recorded as {_words(status).lower()}" if status else "Recorded"
    return "; ".join(
        f"{field_label(k)}: {_short(event.before.get(k))} → {_short(event.after.get(k))}"
        for k in keys
    )


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], empty: str) -> None:
    table.setRowCount(0)
    if not rows:
        table.setRowCount(1)
        item = QTableWidgetItem(empty)
        item.setForeground(Qt.GlobalColor.darkGray)
        table.setItem(0, 0, item)
        table.setSpan(0, 0, 1, table.columnCount())
        return
    table.clearSpans()
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)


class AccountDetailPanel(QWidget):
    """Shows one account; ``show_row`` at once from the table, ``show_detail`` once loaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountDetail")
        self.setAccessibleName("Account detail")
        self.timezone = "America/Regina"
        self.row: AccountRow | None = None

        self.empty = QLabel(
            "Select an account to see its particulars, engagement, goals, roles, approvals "
            "and history."
        )
        self.empty.setObjectName("accountDetailEmpty")
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.heading = QLabel()
        self.heading.setObjectName("accountDetailHeading")
        self.heading.setProperty("role", "title")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheading = QLabel()
        self.subheading.setProperty("role", "muted")
        self.subheading.setWordWrap(True)

        self.facts: dict[str, QLabel] = {}
        # Two columns of label/value pairs, the purpose across both: the panel sits under the
        # table, so it is wide and short.
        facts = QGridLayout()
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(4)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        for n, (key, label) in enumerate(
            (
                ("email", "Government e-mail"),
                ("password", "Password age"),
                ("owner", "Accountable owner"),
                ("evaluation", "Next evaluation"),
                ("tool", "Posting tool"),
                ("goals", "Goals"),
                ("url", "Address"),
                ("international", "International"),
                ("purpose", "Purpose"),
            )
        ):
            value = QLabel()
            value.setObjectName(f"accountFact_{key}")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)  # people's text is never markup
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            value.setAccessibleName(label)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            name = QLabel(f"{label}:")
            name.setProperty("role", "muted")
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.facts[key] = value
            row, column = divmod(n, 2)
            span = 3 if key == "purpose" else 1
            facts.addWidget(name, row, column * 2)
            facts.addWidget(value, row, column * 2 + 1, 1, span)
        self.facts["url"].setOpenExternalLinks(True)

        self.sparkline = Sparkline()
        self.sparkline_title = QLabel("Engagement actions, last 12 months")
        self.sparkline_title.setProperty("role", "heading")
        self.sparkline_summary = QLabel()
        self.sparkline_summary.setObjectName("sparklineSummary")
        self.sparkline_summary.setProperty("role", "muted")
        self.sparkline_summary.setWordWrap(True)

        self.goals = _table("accountGoals", ("Goal", "Metric", "Target", "Period", "Status"))
        self.roles = _table("accountRoles", ("Person", "Role", "Granted", "Expires", "Campaign"))
        self.approvals = QTreeWidget()
        self.approvals.setObjectName("accountApprovals")
        self.approvals.setHeaderLabels(["Request", "State", "Stage / signed by", "Age"])
        self.approvals.setAlternatingRowColors(True)
        self.history = _table("accountHistory", ("When", "Who", "What", "Changes"))
        self.sections = QTabWidget()
        self.sections.setObjectName("accountDetailSections")
        self.sections.setDocumentMode(True)
        for section, title, description in (
            (self.goals, "Goals", "Goals of this account"),
            (self.roles, "Roles", "People holding roles on this account"),
            (self.approvals, "Approvals", "Approval requests about this account"),
            (self.history, "History", "Audit history of this account"),
        ):
            section.setAccessibleName(description)
            self.sections.addTab(section, title)
        for table, widths in ((self.goals, (180, 110, 90, 160)), (self.history, (140, 90, 130))):
            for column, width in enumerate(widths):
                table.horizontalHeader().resizeSection(column, width)
        for column, width in enumerate((160, 90, 110, 110)):
            self.roles.horizontalHeader().resizeSection(column, width)
        self.approvals.header().resizeSection(0, 230)
        self.approvals.header().resizeSection(1, 90)
        self.approvals.header().resizeSection(2, 250)

        card = QFrame()
        card.setProperty("role", "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(14, 12, 14, 12)
        inner.setSpacing(6)
        inner.addWidget(self.heading)
        inner.addWidget(self.subheading)
        inner.addLayout(facts)
        inner.addSpacing(8)
        inner.addWidget(self.sparkline_title)
        inner.addWidget(self.sparkline, 1)
        inner.addWidget(self.sparkline_summary)

        content = QWidget()
        layout = QHBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        # Scrolls rather than squeezing its wrapped labels on a short window or at 150 %.
        card_scroll = QScrollArea()
        card_scroll.setObjectName("accountDetailCard")
        card_scroll.setWidgetResizable(True)
        card_scroll.setFrameShape(QFrame.Shape.NoFrame)
        card_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        card_scroll.setWidget(card)
        layout.addWidget(card_scroll, 1)
        layout.addWidget(self.sections, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    # -- filling -------------------------------------------------------------------------

    def clear(self, message: str | None = None) -> None:
        self.row = None
        if message:
            self.empty.setText(message)
        self.stack.setCurrentIndex(0)

    def show_row(self, row: AccountRow) -> None:
        """The particulars the table already has; the lists show "Loading…" until the detail."""
        self.row = row
        self.stack.setCurrentIndex(1)
        self.heading.setText(row.label)
        self.heading.setToolTip(row.display_name)
        status = status_text(row.status)
        if row.status_reason:
            status += f" ({row.status_reason})"
        self.subheading.setText(f"{row.ministry_name} · {status}")
        owner = row.owner_name or "No accountable owner recorded"
        if row.owner_name and not row.owner_active:
            owner += " (no longer active)"
        international = (
            f"Yes, in {row.language or 'an unnamed language'}"
            + (f": {row.cultural_notes}" if row.cultural_notes else "")
            if row.is_international
            else "No"
        )
        values = {
            "email": row.government_email,
            "owner": owner,
            "tool": TOOL_LABELS.get(row.posting_tool, _words(row.posting_tool)),
            "password": password_text(row),
            "evaluation": evaluation_text(row),
            "goals": goals_text(row),
            "url": f'<a href="{escape(row.url)}">{escape(row.url)}</a>' if row.url else "—",
            "international": international,
            "purpose": row.purpose or "—",
        }
        for key, text in values.items():
            self.facts[key].setText(text)
        url_format = Qt.TextFormat.RichText if row.url else Qt.TextFormat.PlainText
        self.facts["url"].setTextFormat(url_format)
        self.sparkline.set_points([])
        self.sparkline_summary.setText("Loading…")
        for table in (self.goals, self.roles, self.history):
            _fill(table, [], "Loading…")
        self.approvals.clear()

    def show_detail(self, detail: AccountDetail) -> None:
        self.show_row(detail.row)
        self._show_engagement(detail)
        self._show_goals(detail)
        self._show_roles(detail)
        self._show_approvals(detail)
        self._show_history(detail.history)

    def _show_engagement(self, detail: AccountDetail) -> None:
        points = [
            Point(f"{m.month:%b %Y}", value, m.recorded)
            for m, value in zip(detail.months, detail.engagement, strict=True)
        ]
        self.sparkline.set_points(points)
        self.sparkline_summary.setText(self.sparkline.summary())

    def _show_goals(self, detail: AccountDetail) -> None:
        rows = [
            (
                g.title,
                "Time on page (hours)"
                if g.metric == "time_on_page_seconds"
                else METRIC_LABELS.get(g.metric, g.metric),
                amount_text(g.metric, g.target_value, target=True),
                f"{g.period_start:%b %Y} – {g.period_end:%b %Y}",
                _words(g.status),
            )
            for g in detail.goals
        ]
        _fill(self.goals, rows, "No goals recorded; goals are renewed every 12 months.")
        self.sections.setTabText(0, f"Goals ({len(rows)})")

    def _show_roles(self, detail: AccountDetail) -> None:
        rows = [
            (
                r.person_name,
                _words(r.role),
                _day(r.granted_at.astimezone(ZoneInfo(self.timezone)).date()),
                _day(r.expires_on),
                r.campaign_name or "—",
            )
            for r in detail.roles
        ]
        _fill(self.roles, rows, "Nobody holds a role on this account.")
        self.sections.setTabText(1, f"Roles ({len(rows)})")

    def _show_approvals(self, detail: AccountDetail) -> None:
        self.approvals.clear()
        for approval in detail.approvals:
            t = approval.tracker
            waiting = f"; waiting on {', '.join(t.waiting_on)}" if t.waiting_on else ""
            age = "—" if t.age_days is None else f"{t.age_days} d"
            # "New account: Facebook @X" in a panel about @X is just "New account".
            title = t.title.replace(f": {detail.row.label}", "").strip() or _words(t.kind)
            stage = t.stage_label + waiting if t.state in _OPEN else f"By {t.submitter_name}"
            item = QTreeWidgetItem([title, _words(t.state), stage, age])
            item.setToolTip(0, f"{t.title}, submitted by {t.submitter_name}")
            item.setToolTip(2, stage)
            for step in approval.steps:
                by = step.decided_by_name or ""
                when = f", {self._when(step.decided_at)}" if step.decided_at else ""
                child = QTreeWidgetItem([step.label, _words(step.state), by + when, ""])
                child.setToolTip(0, step.comment or step.label)
                child.setToolTip(2, by + when)
                item.addChild(child)
            self.approvals.addTopLevelItem(item)
        if not detail.approvals:
            self.approvals.addTopLevelItem(QTreeWidgetItem(["No approval requests.", "", "", ""]))
        else:
            first = self.approvals.topLevelItem(0)
            if first is not None:
                first.setExpanded(True)
        self.sections.setTabText(2, f"Approvals ({len(detail.approvals)})")

    def _show_history(self, history: Sequence[AuditRow]) -> None:
        rows = [
            (
                self._when(e.occurred_at),
                e.actor_login,
                _words(e.action.split(".", 1)[-1]),
                change_text(e)[:_CHANGE_LIMIT],
            )
            for e in history
        ]
        _fill(self.history, rows, "No recorded changes.")
        for r, event in enumerate(history):
            item = self.history.item(r, 3)
            if item is not None:
                item.setToolTip(change_text(event, full=True))
        self.sections.setTabText(3, f"History ({len(rows)})")

    def _when(self, value: datetime) -> str:
        """Short, for a table cell; the zone is the configured one."""
        return f"{value.astimezone(ZoneInfo(self.timezone)):%d %b %Y %H:%M}"
