"""A thin Qt tree model of the compliance findings: one group row per severity with its count,
the findings beneath it, filtered in the model by ministry, platform, check and text (a run
gives at most a few thousand findings, so filtering in memory is instant).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

import desktop.policy.checks  # noqa: F401 - importing the package fills CHECKS
from desktop.enums import Platform, Severity
from desktop.policy.findings import CHECKS, SEVERITY_ORDER, Finding
from desktop.services.finding_scope import NO_SCOPE, FindingScope, SubjectKey

(COL_CHECK, COL_SUBJECT, COL_MINISTRY, COL_PLATFORM, COL_SINCE, COL_MESSAGE) = range(6)
HEADERS = ("Check", "Record", "Ministry", "Platform", "Since", "What is wrong")

FindingRole = Qt.ItemDataRole.UserRole + 1  # the Finding; None on a group row
SeverityRole = Qt.ItemDataRole.UserRole + 2  # the severity of a group or a finding
ScopeRole = Qt.ItemDataRole.UserRole + 3  # the FindingScope of a finding
SortRole = Qt.ItemDataRole.UserRole + 4  # what the column sorts by

SEVERITIES: tuple[Severity, ...] = tuple(SEVERITY_ORDER)  # critical, warning, info
SEVERITY_LABELS = {
    Severity.CRITICAL: "Critical",
    Severity.WARNING: "Warning",
    Severity.INFO: "Information",
}
SEVERITY_TEXT = {
    Severity.CRITICAL: QColor("#b42318"),
    Severity.WARNING: QColor("#b25e00"),
    Severity.INFO: QColor("#1f4e79"),
}
SEVERITY_BACKGROUND = {
    Severity.CRITICAL: QColor("#fdecea"),
    Severity.WARNING: QColor("#fff4e0"),
    Severity.INFO: QColor("#eaf2fb"),
}
SUBJECT_LABELS = {
    "account": "Account",
    "account_role": "Role on an account",
    "person": "Person",
    "approval": "Approval request",
    "campaign": "Campaign",
    "commenter": "Commenter",
    "ban": "Ban",
    "emergency": "Emergency",
    "comment": "Comment",
}
_GROUP = 0  # the internal id of a group row; a finding's is its group's position + 1
_Index = QModelIndex | QPersistentModelIndex


def check_title(code: str) -> str:
    spec = CHECKS.get(code)
    return spec.title if spec is not None else code


def subject_kind(subject_type: str) -> str:
    return SUBJECT_LABELS.get(subject_type, subject_type.replace("_", " ").capitalize())


def finding_key(f: Finding) -> tuple[str, str, str]:
    """What identifies a finding across two runs of the checks."""
    return (f.code, f.subject_type, f.subject_id)


def ministries_text(scope: FindingScope) -> str:
    codes = sorted(scope.ministries)
    if len(codes) > 3:
        return ", ".join(codes[:3]) + f" +{len(codes) - 3}"
    return ", ".join(codes) or "—"


def platforms_text(scope: FindingScope) -> str:
    labels = [p.label for p in Platform if p in scope.platforms]
    if len(labels) > 2:
        return ", ".join(labels[:2]) + f" +{len(labels) - 2}"
    return ", ".join(labels) or "—"


@dataclass(frozen=True)
class FindingFilter:
    """What the filter bar narrows the findings to; None means any."""

    ministry: str | None = None  # a ministry code
    platform: Platform | None = None
    code: str | None = None  # a check's code
    text: str = ""

    @property
    def active(self) -> bool:
        return self != FindingFilter()

    def accepts(self, finding: Finding, scope: FindingScope) -> bool:
        if self.code is not None and finding.code != self.code:
            return False
        if not scope.matches(self.ministry, self.platform):
            return False
        words = self.text.strip().lower()
        if not words:
            return True
        haystack = " ".join(
            (finding.subject_label, finding.message, check_title(finding.code), finding.code)
        ).lower()
        return all(word in haystack for word in words.split())


_SORT_KEYS: dict[int, Callable[[Finding, FindingScope], Any]] = {
    COL_CHECK: lambda f, _s: (check_title(f.code).lower(), f.subject_label.lower()),
    COL_SUBJECT: lambda f, _s: (f.subject_label.lower(), f.code),
    COL_MINISTRY: lambda f, s: (ministries_text(s), f.subject_label.lower()),
    COL_PLATFORM: lambda f, s: (platforms_text(s), f.subject_label.lower()),
    # No "since" (nothing known) sorts as the oldest.
    COL_SINCE: lambda f, _s: (f.since is not None, f.since.timestamp() if f.since else 0.0),
    COL_MESSAGE: lambda f, _s: f.message.lower(),
}


class FindingsModel(QAbstractItemModel):
    """Three group rows (critical, warning, info) always; the findings the filter lets through
    under them."""

    def __init__(self, timezone: str = "America/Regina", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self.findings: list[Finding] = []
        self.scopes: dict[SubjectKey, FindingScope] = {}
        self.filter = FindingFilter()
        self.sort_column = COL_CHECK
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._groups: list[list[Finding]] = [[] for _ in SEVERITIES]
        self._totals: Counter[Severity] = Counter()

    # -- content -------------------------------------------------------------------------

    def set_findings(
        self, findings: Sequence[Finding], scopes: Mapping[SubjectKey, FindingScope]
    ) -> None:
        self.beginResetModel()
        self.findings = list(findings)
        self.scopes = dict(scopes)
        self._totals = Counter(f.severity for f in self.findings)
        self._regroup()
        self.endResetModel()

    def set_filter(self, wanted: FindingFilter) -> None:
        if wanted == self.filter:
            return
        self.beginResetModel()
        self.filter = wanted
        self._regroup()
        self.endResetModel()

    def scope_of(self, finding: Finding) -> FindingScope:
        return self.scopes.get((finding.subject_type, finding.subject_id), NO_SCOPE)

    def _regroup(self) -> None:
        groups: list[list[Finding]] = [[] for _ in SEVERITIES]
        for f in self.findings:
            if self.filter.accepts(f, self.scope_of(f)):
                groups[SEVERITIES.index(f.severity)].append(f)
        key = _SORT_KEYS[self.sort_column]
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        self._groups = [
            sorted(g, key=lambda f: key(f, self.scope_of(f)), reverse=descending) for g in groups
        ]

    # -- counts --------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def shown(self) -> int:
        return sum(len(g) for g in self._groups)

    def shown_in(self, severity: Severity) -> int:
        return len(self._groups[SEVERITIES.index(severity)])

    def total_in(self, severity: Severity) -> int:
        return self._totals.get(severity, 0)

    def code_counts(self) -> dict[str, int]:
        """Findings per check over the whole run (not the filter), for the check picker."""
        return dict(Counter(f.code for f in self.findings))

    def shown_findings(self) -> list[Finding]:
        return [f for group in self._groups for f in group]

    # -- lookup --------------------------------------------------------------------------

    def finding(self, index: _Index) -> Finding | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        group = self._groups[index.internalId() - 1]
        return group[index.row()] if 0 <= index.row() < len(group) else None

    def group_index(self, severity: Severity) -> QModelIndex:
        return self.createIndex(SEVERITIES.index(severity), 0, _GROUP)

    def index_of(self, key: tuple[str, str, str]) -> QModelIndex:
        """The row of the finding with ``finding_key`` ``key``; invalid when it is not shown."""
        for position, group in enumerate(self._groups):
            for row, f in enumerate(group):
                if finding_key(f) == key:
                    return self.createIndex(row, 0, position + 1)
        return QModelIndex()

    # -- Qt ------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(HEADERS):
            return QModelIndex()
        if not parent.isValid():
            return (
                self.createIndex(row, column, _GROUP)
                if 0 <= row < len(SEVERITIES)
                else (QModelIndex())
            )
        if parent.internalId() != _GROUP:
            return QModelIndex()
        group = parent.row()
        if not 0 <= row < len(self._groups[group]):
            return QModelIndex()
        return self.createIndex(row, column, group + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(SEVERITIES)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._groups[parent.row()])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts the findings within each severity; the groups keep their order."""
        if column not in _SORT_KEYS:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        keys = [self._key_at(i) for i in before]
        self.sort_column, self.sort_order = column, order
        self._regroup()
        after = []
        for old, key in zip(before, keys, strict=True):
            if key is None:
                after.append(self.index(old.row(), old.column()) if old.isValid() else old)
            else:
                found = self.index_of(key)
                after.append(found.siblingAtColumn(old.column()) if found.isValid() else found)
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _key_at(self, index: QModelIndex) -> tuple[str, str, str] | None:
        f = self.finding(index)
        return finding_key(f) if f is not None else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(section, f"Click to sort by {HEADERS[section].lower()}.")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            return self._group_data(SEVERITIES[index.row()], index.column(), role)
        f = self.finding(index)
        if f is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(f, column)
        if role == FindingRole:
            return f
        if role == SeverityRole:
            return f.severity
        if role == ScopeRole:
            return self.scope_of(f)
        if role == SortRole:
            return _SORT_KEYS[column](f, self.scope_of(f))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(f, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(f, column)}"
        return None

    def _group_data(self, severity: Severity, column: int, role: int) -> Any:
        if column != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.group_text(severity)
        if role == SeverityRole:
            return severity
        if role == Qt.ItemDataRole.ForegroundRole:
            return SEVERITY_TEXT[severity]
        if role == Qt.ItemDataRole.BackgroundRole:
            return SEVERITY_BACKGROUND[severity]
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def group_text(self, severity: Severity) -> str:
        """'Critical — 12 findings', or '… 3 of 12 findings' while a filter hides some."""
        shown, total = self.shown_in(severity), self.total_in(severity)
        noun = "finding" if total == 1 else "findings"
        count = f"{shown} of {total}" if shown != total else str(total)
        return f"{SEVERITY_LABELS[severity]} — {count} {noun}"

    def _display(self, f: Finding, column: int) -> str:
        if column == COL_CHECK:
            return check_title(f.code)
        if column == COL_SUBJECT:
            return f.subject_label
        if column == COL_MINISTRY:
            return ministries_text(self.scope_of(f))
        if column == COL_PLATFORM:
            return platforms_text(self.scope_of(f))
        if column == COL_SINCE:
            if f.since is None:
                return "—"
            local = f.since.astimezone(ZoneInfo(self.timezone))
            return f"{local.day} {local:%b %Y}"
        return f.message

    def _tooltip(self, f: Finding, column: int) -> str | None:
        if column == COL_CHECK:
            return f"{check_title(f.code)} ({f.code}, {SEVERITY_LABELS[f.severity].lower()})"
        if column == COL_SUBJECT:
            return f"{subject_kind(f.subject_type)}: {f.subject_label}"
        if column == COL_MINISTRY:
            return ", ".join(sorted(self.scope_of(f).ministries)) or None
        if column == COL_PLATFORM:
            return ", ".join(p.label for p in Platform if p in self.scope_of(f).platforms) or None
        if column == COL_MESSAGE:
            return f.message
        return None


_HEADER_TIPS = {
    COL_CHECK: "The policy check that found the problem. Click to sort.",
    COL_SUBJECT: "The record the finding is about; double-click a row to open it.",
    COL_SINCE: "Since when the rule has been broken, where that is known. Click to sort.",
}
