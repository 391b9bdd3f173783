"""A thin Qt table model over one ``PermissionMatrix``: people are the rows (their names the
vertical header, which stays put while the columns scroll), accounts the columns, each cell the
role held, coloured by its most serious violation.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.enums import AccountStatus, PersonKind, Platform
from desktop.services.permission_matrix import (
    MatrixAccount,
    MatrixCell,
    MatrixPerson,
    PermissionMatrix,
    Violation,
    role_label,
)
from desktop.views.icons import icon

CellRole = Qt.ItemDataRole.UserRole + 1  # the MatrixCell, or None for an empty cell
ViolationsRole = Qt.ItemDataRole.UserRole + 2  # tuple of Violation, most serious first
PersonItemRole = Qt.ItemDataRole.UserRole + 3  # the row's MatrixPerson
AccountItemRole = Qt.ItemDataRole.UserRole + 4  # the column's MatrixAccount

# (background, text) of a cell by its most serious violation; the legend shows the same.
VIOLATION_COLOURS: dict[Violation, tuple[QColor, QColor]] = {
    Violation.EXTRA_FACEBOOK_ADMIN: (QColor("#fdecea"), QColor("#b42318")),
    Violation.PAST_REVOCATION: (QColor("#fff4e0"), QColor("#b25e00")),
    Violation.PERSONAL_EMAIL: (QColor("#f1e8fb"), QColor("#6639a6")),
}
# A mark beside the role as well as the colour, so a violation reads without colour (a
# colour-blind reader, a grey printout); the legend shows the same marks.
VIOLATION_MARKS: dict[Violation, str] = {
    Violation.EXTRA_FACEBOOK_ADMIN: "▲",
    Violation.PAST_REVOCATION: "●",
    Violation.PERSONAL_EMAIL: "◆",
}
VIOLATION_HELP: dict[Violation, str] = {
    Violation.EXTRA_FACEBOOK_ADMIN: (
        "Only the account ministry's Director of Communications and the Director, Digital "
        "Channels and Insights are Admins of a Facebook page; everyone else posts as Editor."
    ),
    Violation.PAST_REVOCATION: (
        "Third-party access must end by its expiry date, and no later than {days} days after "
        "its campaign ends."
    ),
    Violation.PERSONAL_EMAIL: (
        "Staff hold roles only under a government e-mail address on an allowed domain."
    ),
}
PLATFORM_SHORT = {
    Platform.FACEBOOK: "FB",
    Platform.X: "X",
    Platform.INSTAGRAM: "IG",
    Platform.YOUTUBE: "YT",
    Platform.LINKEDIN: "IN",
    Platform.TIKTOK: "TT",
    Platform.WECHAT: "WC",
    Platform.OTHER: "··",
}
INACTIVE_TEXT = QColor("#8c959f")
_Index = QModelIndex | QPersistentModelIndex


def account_short(account: MatrixAccount) -> str:
    """What the rotated column header shows: "HEA · FB @SKHealth"."""
    return f"{account.ministry_code} · {PLATFORM_SHORT[account.platform]} @{account.handle}"


def person_label(person: MatrixPerson) -> str:
    """What the row header shows: "HEA · Ann Editor", grouped like the account columns."""
    return f"{person.ministry_code} · {person.name}" if person.ministry_code else person.name


def _day(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "—"


def cell_tooltip(
    person: MatrixPerson, account: MatrixAccount, cell: MatrixCell | None, revoke_days: int
) -> str:
    lines = [f"{person.name} on {account.label}"]
    if cell is None:
        return "\n".join([*lines, "No role. Right-click to grant one."])
    lines.append(f"Role: {role_label(cell.role)}, granted {_day(cell.granted_at.date())}")
    if cell.campaign_name:
        lines.append(f"Campaign: {cell.campaign_name} (ends {_day(cell.campaign_ends_on)})")
    if cell.business_id:
        lines.append(f"Business ID: {cell.business_id}")
    if cell.deadline:
        lines.append(f"Access ends: {_day(cell.deadline)}")
    for violation in cell.violations:
        text = VIOLATION_HELP[violation].format(days=revoke_days)
        lines.append(f"{VIOLATION_MARKS[violation]} {violation.label}: {text}")
    return "\n".join(lines)


def person_tooltip(person: MatrixPerson) -> str:
    kind = person.kind.value
    if person.kind == PersonKind.AGENCY and person.agency_name:
        kind = f"agency staff, {person.agency_name}"
    lines = [
        f"{person.name} ({person.login})",
        f"{kind.capitalize()}{', ' + person.ministry_code if person.ministry_code else ''}",
        person.email or "no e-mail address",
    ]
    if person.app_roles:
        lines.append("Roles: " + ", ".join(r.label for r in person.app_roles))
    if person.personal_email:
        lines.append(f"⚠ {VIOLATION_HELP[Violation.PERSONAL_EMAIL]}")
    if not person.active:
        lines.append("No longer active: revoke the roles still held.")
    return "\n".join(lines)


def account_tooltip(account: MatrixAccount) -> str:
    status = account.status.value.replace("_", " ")
    return f"{account.label}\n{account.ministry_code} · {status}"


def cell_text(cell: MatrixCell | None) -> str:
    """The role, with the mark of each violation: "▲ Admin"."""
    if cell is None:
        return ""
    marks = "".join(VIOLATION_MARKS[v] for v in cell.violations)
    return f"{marks} {role_label(cell.role)}" if marks else role_label(cell.role)


class PermissionMatrixModel(QAbstractTableModel):
    """``set_matrix`` shows a new read; ``set_search`` narrows the people by name, and the
    accounts to those where the people found hold a role (all of them when they hold none,
    so that one can be granted)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix: PermissionMatrix | None = None
        self.people: list[MatrixPerson] = []  # the rows, after the search
        self.accounts: list[MatrixAccount] = []
        self.search = ""

    # -- content -------------------------------------------------------------------------

    def set_matrix(self, matrix: PermissionMatrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.people = self._searched()
        self.accounts = self._held()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        self.beginResetModel()
        self.search = text.strip().casefold()
        self.people = self._searched()
        self.accounts = self._held()
        self.endResetModel()

    def _held(self) -> list[MatrixAccount]:
        if self.matrix is None:
            return []
        if not self.search:
            return list(self.matrix.accounts)
        found = {p.id for p in self.people}
        held = {account_id for person_id, account_id in self.matrix.cells if person_id in found}
        if not held:
            return list(self.matrix.accounts)
        return [a for a in self.matrix.accounts if a.id in held]

    def shown_cells(self) -> list[MatrixCell]:
        """The cells of the people and accounts shown now."""
        if self.matrix is None:
            return []
        people = {p.id for p in self.people}
        accounts = {a.id for a in self.accounts}
        return [c for (p, a), c in self.matrix.cells.items() if p in people and a in accounts]

    def _searched(self) -> list[MatrixPerson]:
        if self.matrix is None:
            return []
        if not self.search:
            return list(self.matrix.people)
        return [
            p
            for p in self.matrix.people
            if self.search in f"{p.name}\n{p.login}\n{p.email}\n{p.agency_name}".casefold()
        ]

    def person(self, row: int) -> MatrixPerson | None:
        return self.people[row] if 0 <= row < len(self.people) else None

    def account(self, column: int) -> MatrixAccount | None:
        return self.accounts[column] if 0 <= column < len(self.accounts) else None

    def cell_at(self, index: _Index) -> MatrixCell | None:
        person, account = self.person(index.row()), self.account(index.column())
        if self.matrix is None or person is None or account is None:
            return None
        return self.matrix.cell(person.id, account.id)

    def index_of_person(self, person_id: uuid.UUID) -> int | None:
        return next((i for i, p in enumerate(self.people) if p.id == person_id), None)

    def index_of_grant(self, account_role_id: uuid.UUID) -> QModelIndex:
        if self.matrix is None:
            return QModelIndex()
        for cell in self.matrix.cells.values():
            if cell.account_role_id == account_role_id:
                row = self.index_of_person(cell.person_id)
                column = next(
                    (i for i, a in enumerate(self.accounts) if a.id == cell.account_id), None
                )
                if row is not None and column is not None:
                    return self.index(row, column)
        return QModelIndex()

    # -- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.accounts)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            account = self.account(section)
            if account is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return account_short(account)
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return account_tooltip(account)
            if role == Qt.ItemDataRole.ForegroundRole and account.status not in (
                AccountStatus.APPROVED,
                AccountStatus.ACTIVE,
            ):
                return INACTIVE_TEXT
            if role == AccountItemRole:
                return account
            return None
        person = self.person(section)
        if person is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return person_label(person)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return person_tooltip(person)
        if role == Qt.ItemDataRole.DecorationRole and person.personal_email:
            return icon("warning")
        if role == Qt.ItemDataRole.ForegroundRole and not person.active:
            return INACTIVE_TEXT
        if role == PersonItemRole:
            return person
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.matrix is None:
            return None
        person, account = self.person(index.row()), self.account(index.column())
        if person is None or account is None:
            return None
        cell = self.matrix.cell(person.id, account.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return cell_tooltip(person, account, cell, self.matrix.revoke_days)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            held = role_label(cell.role) if cell else "no role"
            return f"{person.name}, {account.label}: {held}"
        if role == CellRole:
            return cell
        if role == PersonItemRole:
            return person
        if role == AccountItemRole:
            return account
        violations = cell.violations if cell else ()
        if role == ViolationsRole:
            return violations
        if not violations:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return VIOLATION_COLOURS[violations[0]][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return VIOLATION_COLOURS[violations[0]][1]
        return None
