"""The accounts table model without a widget: texts, warning colours, sorting, row updates."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from desktop.enums import AccountStatus, Platform, PostingTool
from desktop.services.account_list import AccountRow, PasswordLevel, password_level
from desktop.views.accounts.account_table_model import (
    AMBER_BACKGROUND,
    AMBER_TEXT,
    COL_EMAIL,
    COL_GOALS,
    COL_HANDLE,
    COL_NEXT_EVALUATION,
    COL_OWNER,
    COL_PASSWORD_AGE,
    COL_PLATFORM,
    COL_STATUS,
    HEADERS,
    RED_BACKGROUND,
    RED_TEXT,
    AccountTableModel,
    IdRole,
    LevelRole,
    RowRole,
)

NOW = datetime(2026, 11, 18, 15, tzinfo=UTC)
MINISTRY = uuid.uuid4()


def make_row(handle: str, *, days: int | None = 10, **changes: Any) -> AccountRow:
    """A row as the service makes it; ``days`` since the password change (None: never)."""
    status = changes.pop("status", AccountStatus.ACTIVE)
    changed = NOW - timedelta(days=days) if days is not None else None
    live = status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
    row = AccountRow(
        id=uuid.uuid4(),
        version=1,
        platform=Platform.FACEBOOK,
        handle=handle,
        display_name="",
        url="",
        purpose="",
        ministry_id=MINISTRY,
        ministry_code="HEA",
        ministry_name="Ministry of Health",
        status=status,
        status_reason="",
        government_email=f"{handle.lower()}@gov.sk.ca",
        email_allowed=True,
        owner_id=uuid.uuid4(),
        owner_name="Officer Person",
        owner_active=True,
        posting_tool=PostingTool.NATIVE,
        is_international=False,
        language="",
        cultural_notes="",
        is_central=False,
        password_changed_at=changed,
        password_age_days=days,
        password_level=password_level(changed, NOW, 90, live=live),
        rotation_days=90,
        next_evaluation=date(2027, 5, 18) if status == AccountStatus.ACTIVE else None,
        evaluation_status="ok" if status == AccountStatus.ACTIVE else None,
        goals_status="none",
    )
    return dataclasses.replace(row, **changes)


def model_with(*rows: AccountRow) -> AccountTableModel:
    model = AccountTableModel()
    model.set_rows(rows)
    return model


def cell(model: AccountTableModel, row: int, column: int, role: int = 0) -> Any:
    return model.data(model.index(row, column), role or Qt.ItemDataRole.DisplayRole)


def handles(model: AccountTableModel) -> list[str]:
    return [cell(model, r, COL_HANDLE) for r in range(model.rowCount())]


def test_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = model_with(make_row("SKHealth"), make_row("SKGov", days=None))
    qtmodeltester.check(model)


def test_columns_and_display_text() -> None:
    model = model_with(make_row("SKHealth", owner_name="Ann Lee", owner_active=False))
    assert model.columnCount() == len(HEADERS) == 9
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == list(HEADERS)
    assert cell(model, 0, COL_PLATFORM) == "Facebook"
    assert cell(model, 0, COL_HANDLE) == "@SKHealth"
    assert cell(model, 0, COL_STATUS) == "Active"
    assert cell(model, 0, COL_OWNER) == "Ann Lee (inactive)"
    assert cell(model, 0, COL_PASSWORD_AGE) == "10 days"
    assert cell(model, 0, COL_NEXT_EVALUATION) == "18 May 2027"
    assert cell(model, 0, COL_GOALS) == "None"
    assert isinstance(cell(model, 0, 0, RowRole), AccountRow)
    assert cell(model, 0, 0, IdRole) == model.rows[0].id


AMBER = (AMBER_BACKGROUND, AMBER_TEXT)
RED = (RED_BACKGROUND, RED_TEXT)


@pytest.mark.parametrize(
    ("days", "status", "text", "colours", "level"),
    [
        (10, AccountStatus.ACTIVE, "10 days", None, "ok"),
        (75, AccountStatus.ACTIVE, "75 days", None, "ok"),
        (80, AccountStatus.ACTIVE, "80 days · change soon", AMBER, "due_soon"),
        (95, AccountStatus.SUSPENDED, "95 days · overdue", RED, "overdue"),
        (None, AccountStatus.ACTIVE, "Never recorded", RED, "overdue"),
        (None, AccountStatus.PROPOSED, "—", None, None),
        (200, AccountStatus.SHUT_DOWN, "200 days", None, None),
    ],
)
def test_password_age_colours(
    days: int | None,
    status: AccountStatus,
    text: str,
    colours: tuple[Any, Any] | None,
    level: str | None,
) -> None:
    model = model_with(make_row("SKHealth", days=days, status=status))
    assert cell(model, 0, COL_PASSWORD_AGE) == text
    background = cell(model, 0, COL_PASSWORD_AGE, Qt.ItemDataRole.BackgroundRole)
    foreground = cell(model, 0, COL_PASSWORD_AGE, Qt.ItemDataRole.ForegroundRole)
    if colours is None:
        assert background is None
        assert foreground not in (AMBER_TEXT, RED_TEXT)
    else:
        assert (background, foreground) == colours
    assert cell(model, 0, COL_PASSWORD_AGE, LevelRole) == level
    assert "every 90 days" in cell(model, 0, COL_PASSWORD_AGE, Qt.ItemDataRole.ToolTipRole)


def test_password_colour_follows_a_shorter_rotation_setting() -> None:
    changed = NOW - timedelta(days=50)
    row = make_row(
        "SKHealth",
        days=50,
        rotation_days=45,
        password_level=password_level(changed, NOW, 45, live=True),
    )
    model = model_with(row)
    assert row.password_level == PasswordLevel.OVERDUE
    assert cell(model, 0, COL_PASSWORD_AGE, Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND


def test_personal_email_is_red_with_the_reason() -> None:
    row = make_row("SKHealth", government_email="me@gmail.com", email_allowed=False)
    model = model_with(row, make_row("SKGov"))
    personal, other = (model.position_of(row.id), 1 - (model.position_of(row.id) or 0))
    assert personal is not None
    assert cell(model, personal, COL_EMAIL, Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert "not on an allowed government domain" in cell(
        model, personal, COL_EMAIL, Qt.ItemDataRole.ToolTipRole
    )
    assert cell(model, other, COL_EMAIL, Qt.ItemDataRole.BackgroundRole) is None


def test_overdue_evaluation_is_red() -> None:
    row = make_row("SKHealth", next_evaluation=date(2026, 10, 1), evaluation_status="overdue")
    model = model_with(row)
    assert cell(model, 0, COL_NEXT_EVALUATION) == "01 Oct 2026 · overdue"
    assert cell(model, 0, COL_NEXT_EVALUATION, Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND


def test_sorting_by_handle_both_ways() -> None:
    model = model_with(make_row("b"), make_row("C"), make_row("a"))
    model.sort(COL_HANDLE, Qt.SortOrder.AscendingOrder)
    assert handles(model) == ["@a", "@b", "@C"]
    model.sort(COL_HANDLE, Qt.SortOrder.DescendingOrder)
    assert handles(model) == ["@C", "@b", "@a"]


def test_sorting_by_password_age_puts_never_recorded_as_oldest() -> None:
    model = model_with(
        make_row("fresh", days=3),
        make_row("never", days=None),
        make_row("old", days=120),
        make_row("proposed", days=None, status=AccountStatus.PROPOSED),
    )
    model.sort(COL_PASSWORD_AGE, Qt.SortOrder.DescendingOrder)
    assert handles(model) == ["@never", "@old", "@fresh", "@proposed"]
    model.sort(COL_PASSWORD_AGE, Qt.SortOrder.AscendingOrder)
    assert handles(model) == ["@fresh", "@old", "@never", "@proposed"]


def test_sorting_by_next_evaluation_and_owner_put_blanks_last() -> None:
    model = model_with(
        make_row("later", next_evaluation=date(2027, 3, 1)),
        make_row("closed", status=AccountStatus.SHUT_DOWN, owner_name=None),
        make_row("sooner", next_evaluation=date(2027, 1, 1)),
    )
    model.sort(COL_NEXT_EVALUATION, Qt.SortOrder.AscendingOrder)
    assert handles(model) == ["@sooner", "@later", "@closed"]
    model.sort(COL_NEXT_EVALUATION, Qt.SortOrder.DescendingOrder)
    assert handles(model) == ["@later", "@sooner", "@closed"]
    model.sort(COL_OWNER, Qt.SortOrder.DescendingOrder)
    assert handles(model)[-1] == "@closed"


def test_sorting_keeps_persistent_indexes_on_their_rows() -> None:
    model = model_with(make_row("b"), make_row("a"), make_row("c"))
    model.sort(COL_HANDLE, Qt.SortOrder.AscendingOrder)
    kept = QPersistentModelIndex(model.index(2, COL_HANDLE))  # "@c"
    model.sort(COL_HANDLE, Qt.SortOrder.DescendingOrder)
    assert kept.row() == 0
    assert model.data(model.index(kept.row(), COL_HANDLE)) == "@c"


def test_new_rows_keep_the_chosen_sort() -> None:
    model = AccountTableModel()
    model.sort(COL_HANDLE, Qt.SortOrder.DescendingOrder)
    model.set_rows([make_row("a"), make_row("c"), make_row("b")])
    assert handles(model) == ["@c", "@b", "@a"]


def test_replace_row_and_position_of() -> None:
    first, second = make_row("a"), make_row("b")
    model = model_with(first, second)
    assert model.position_of(second.id) == 1
    assert model.position_of(uuid.uuid4()) is None
    changed = dataclasses.replace(second, status=AccountStatus.SUSPENDED, version=2)
    assert model.replace_row(changed)
    assert cell(model, 1, COL_STATUS) == "Suspended"
    assert not model.replace_row(make_row("elsewhere"))
    assert model.row_at(5) is None
