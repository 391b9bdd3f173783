"""The permission matrix item model without a widget: cells, headers, colours and search."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from PySide6.QtCore import Qt

from desktop.enums import AccountStatus, AppRole, PageRole, PersonKind, Platform
from desktop.services.permission_matrix import (
    MatrixAccount,
    MatrixCell,
    MatrixPerson,
    PermissionMatrix,
    Violation,
)
from desktop.views.permissions.matrix_model import (
    INACTIVE_TEXT,
    VIOLATION_COLOURS,
    CellRole,
    PermissionMatrixModel,
    ViolationsRole,
)

TODAY = date(2026, 11, 18)
Display = Qt.ItemDataRole.DisplayRole


def _person(name: str, kind: PersonKind = PersonKind.EMPLOYEE, **kw: object) -> MatrixPerson:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": name,
        "login": name.split()[0].lower(),
        "email": f"{name.split()[0].lower()}@gov.sk.ca",
        "kind": kind,
        "ministry_code": "HEA",
        "agency_name": "",
        "active": True,
        "personal_email": False,
        "app_roles": (AppRole.OFFICER,),
    }
    values.update(kw)
    return MatrixPerson(**values)  # type: ignore[arg-type]


def _account(handle: str, platform: Platform = Platform.FACEBOOK, **kw: object) -> MatrixAccount:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "platform": platform,
        "handle": handle,
        "ministry_id": uuid.uuid4(),
        "ministry_code": "HEA",
        "status": AccountStatus.ACTIVE,
    }
    values.update(kw)
    return MatrixAccount(**values)  # type: ignore[arg-type]


def _cell(
    person: MatrixPerson,
    account: MatrixAccount,
    role: PageRole,
    *violations: Violation,
    **kw: object,
) -> MatrixCell:
    values: dict[str, object] = {
        "account_role_id": uuid.uuid4(),
        "person_id": person.id,
        "account_id": account.id,
        "role": role,
        "version": 1,
        "granted_at": datetime(2026, 6, 1, 15, tzinfo=UTC),
        "expires_on": None,
        "business_id": "",
        "campaign_name": None,
        "campaign_ends_on": None,
        "deadline": None,
        "violations": violations,
    }
    values.update(kw)
    return MatrixCell(**values)  # type: ignore[arg-type]


def _matrix(
    people: list[MatrixPerson], accounts: list[MatrixAccount], cells: list[MatrixCell]
) -> PermissionMatrix:
    return PermissionMatrix(
        people=tuple(people),
        accounts=tuple(accounts),
        cells={(c.person_id, c.account_id): c for c in cells},
        today=TODAY,
        revoke_days=14,
        due_for_revocation=0,
    )


def test_rows_are_people_columns_accounts_cells_the_role() -> None:
    ann, bob = _person("Ann Editor"), _person("Bob Nobody")
    fb, x = _account("SKHealth"), _account("SKHealthX", Platform.X)
    editor = _cell(ann, fb, PageRole.EDITOR)
    model = PermissionMatrixModel()
    model.set_matrix(_matrix([ann, bob], [fb, x], [editor]))
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    # Row headers carry the ministry, as the columns do.
    assert model.headerData(0, Qt.Orientation.Vertical) == "HEA · Ann Editor"
    # Compact rotated headers: ministry, platform abbreviation and handle.
    assert model.headerData(0, Qt.Orientation.Horizontal) == "HEA · FB @SKHealth"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "HEA · X @SKHealthX"
    tooltip = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Facebook @SKHealth\nHEA · active"
    assert model.data(model.index(0, 0)) == "Editor"
    assert model.data(model.index(0, 0), CellRole) == editor
    assert model.data(model.index(0, 1)) == ""
    assert model.data(model.index(1, 0), CellRole) is None
    empty_tip = model.data(model.index(1, 1), Qt.ItemDataRole.ToolTipRole)
    assert empty_tip == "Bob Nobody on X (Twitter) @SKHealthX\nNo role. Right-click to grant one."


def test_violations_colour_the_cell_most_serious_first() -> None:
    ann = _person("Ann Admin")
    fb, other, third = _account("SKHealth"), _account("SKGov"), _account("SKEnv")
    cells = [
        _cell(ann, fb, PageRole.ADMIN, Violation.EXTRA_FACEBOOK_ADMIN, Violation.PERSONAL_EMAIL),
        _cell(ann, other, PageRole.ADVERTISER, Violation.PAST_REVOCATION),
        _cell(ann, third, PageRole.EDITOR),
    ]
    model = PermissionMatrixModel()
    model.set_matrix(_matrix([ann], [fb, other, third], cells))
    background, text = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
    red_bg, red_text = VIOLATION_COLOURS[Violation.EXTRA_FACEBOOK_ADMIN]
    assert model.data(model.index(0, 0), background) == red_bg
    assert model.data(model.index(0, 0), text) == red_text
    amber_bg, _ = VIOLATION_COLOURS[Violation.PAST_REVOCATION]
    assert model.data(model.index(0, 1), background) == amber_bg
    assert model.data(model.index(0, 2), background) is None
    assert model.data(model.index(0, 0), ViolationsRole) == (
        Violation.EXTRA_FACEBOOK_ADMIN,
        Violation.PERSONAL_EMAIL,
    )
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "▲ Extra Facebook admin: Only the account ministry's Director of Communications" in tip
    assert "◆ Personal e-mail holding a role" in tip
    # Each violation has its own colour, so the legend can tell them apart.
    assert len({bg.name() for bg, _ in VIOLATION_COLOURS.values()}) == len(Violation)


def test_third_party_cell_tooltip_says_when_access_ends() -> None:
    agency = _person("Priya Sandhu", PersonKind.AGENCY, agency_name="Prairie Ads Inc.")
    page = _account("SKGov", ministry_code="EXC")
    cell = _cell(
        agency, page, PageRole.ADVERTISER, Violation.PAST_REVOCATION,
        business_id="1029384756", campaign_name="Flu Shot Awareness",
        campaign_ends_on=date(2026, 10, 9), deadline=date(2026, 10, 23),
    )  # fmt: skip
    model = PermissionMatrixModel()
    model.set_matrix(_matrix([agency], [page], [cell]))
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:5] == [
        "Priya Sandhu on Facebook @SKGov",
        "Role: Advertiser, granted 1 Jun 2026",
        "Campaign: Flu Shot Awareness (ends 9 Oct 2026)",
        "Business ID: 1029384756",
        "Access ends: 23 Oct 2026",
    ]
    assert "no later than 14 days after its campaign ends" in tip.splitlines()[5]


def test_people_with_a_personal_email_or_gone_are_marked_in_the_row_header() -> None:
    tyler = _person("Tyler K", PersonKind.CONTRACTOR, email="t@gmail.com", personal_email=True)
    gone = _person("Gone Person", active=False)
    model = PermissionMatrixModel()
    model.set_matrix(_matrix([tyler, gone], [_account("SKHealth")], []))
    decoration = model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
    assert decoration is not None
    assert not decoration.isNull()
    assert model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole) is None
    tip = model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:3] == ["Tyler K (tyler)", "Contractor, HEA", "t@gmail.com"]
    assert "government e-mail address" in tip
    colour = model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.ForegroundRole)
    assert colour == INACTIVE_TEXT


def test_search_narrows_the_people_and_keeps_the_cells() -> None:
    ann, bob = _person("Ann Editor"), _person("Bob Admin", email="bob.admin@gov.sk.ca")
    fb = _account("SKHealth")
    model = PermissionMatrixModel()
    model.set_matrix(_matrix([ann, bob], [fb], [_cell(bob, fb, PageRole.ADMIN)]))
    model.set_search("BOB.ADMIN@")
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == [
        "HEA · Bob Admin"
    ]
    assert model.data(model.index(0, 0), Display) == "Admin"
    model.set_search("")
    assert model.rowCount() == 2


def test_a_grant_is_found_by_its_id() -> None:
    ann, bob = _person("Ann"), _person("Bob")
    fb, x = _account("SKHealth"), _account("SKHealthX", Platform.X)
    grant = _cell(bob, x, PageRole.ANALYST)
    model = PermissionMatrixModel()
    model.set_matrix(_matrix([ann, bob], [fb, x], [grant]))
    index = model.index_of_grant(grant.account_role_id)
    assert (index.row(), index.column()) == (1, 1)
    assert not model.index_of_grant(uuid.uuid4()).isValid()
    assert model.index_of_person(bob.id) == 1
