"""The approval tracker item model and its proxy without a widget."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from desktop.enums import ApprovalKind, ApprovalState
from desktop.policy.workflows import Action
from desktop.services.approval_tracker import TrackerRow
from desktop.views.approvals.detail_panel import reasons_text
from desktop.views.approvals.tracker_model import (
    COL_AGE,
    COL_KIND,
    COL_STAGE,
    COL_SUBJECT,
    COL_SUBMITTER,
    COL_WAITING,
    HEADERS,
    STALLED_BACKGROUND,
    STATE_COLOURS,
    ApprovalTrackerModel,
    IdRole,
    TrackerProxy,
)


def _row(
    kind: ApprovalKind = ApprovalKind.NEW_ACCOUNT,
    state: ApprovalState = ApprovalState.SUBMITTED,
    *,
    subject: str = "Facebook @SKHealthNew",
    submitter: str = "Officer Person",
    stage: str = "Stage 1 of 2: Digital Program alignment (DSO)",
    waiting: tuple[str, ...] = ("Digital Strategy and Operations",),
    age: int | None = 3,
) -> TrackerRow:
    return TrackerRow(
        id=uuid.uuid4(),
        kind=kind,
        title=f"New account: {subject}",
        subject_label=subject,
        submitter_name=submitter,
        state=state,
        stage_label=stage,
        waiting_on=waiting,
        age_days=age,
        version=1,
    )


def _texts(model: ApprovalTrackerModel | TrackerProxy, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(len(HEADERS))]


def test_columns_say_what_who_how_far_whom_and_how_long() -> None:
    model = ApprovalTrackerModel()
    row = _row()
    model.set_rows([row, _row(ApprovalKind.ANNUAL_GOALS, ApprovalState.DRAFT, age=None)])
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Kind", "Subject", "Submitted by", "Stage", "Waiting on", "Age",
    ]  # fmt: skip
    assert _texts(model, 0) == [
        "New account",
        "Facebook @SKHealthNew",
        "Officer Person",
        "Stage 1 of 2: Digital Program alignment (DSO)",
        "Digital Strategy and Operations",
        "3 d",
    ]
    draft = _texts(model, 1)
    assert (draft[COL_KIND], draft[COL_WAITING], draft[COL_AGE]) == (
        "Annual goals",
        "Submitter (to submit)",
        "—",
    )
    assert model.index(0, COL_SUBJECT).data(IdRole) == row.id
    assert model.position_of(row.id) == 0


def test_stage_is_coloured_by_state_and_stalled_requests_are_amber() -> None:
    model = ApprovalTrackerModel(stall_days=10)
    model.set_rows(
        [
            _row(age=11),
            _row(age=10),
            _row(state=ApprovalState.REJECTED, stage="Rejected", age=30),
            _row(state=ApprovalState.CHANGES_REQUESTED, age=2),
        ]
    )
    background = Qt.ItemDataRole.BackgroundRole
    assert model.index(0, COL_AGE).data(background) == STALLED_BACKGROUND
    assert "longer than the 10 days" in model.index(0, COL_AGE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, COL_AGE).data(background) is None
    # A closed request is not stalled, however old.
    assert model.index(2, COL_AGE).data(background) is None
    foreground = Qt.ItemDataRole.ForegroundRole
    assert model.index(2, COL_STAGE).data(foreground) == STATE_COLOURS[ApprovalState.REJECTED]
    assert (
        model.index(3, COL_STAGE).data(foreground) == STATE_COLOURS[ApprovalState.CHANGES_REQUESTED]
    )
    assert model.index(3, COL_WAITING).data() == "Submitter (to resubmit)"


def test_proxy_sorts_age_as_a_number_and_searches_every_column() -> None:
    model = ApprovalTrackerModel()
    model.set_rows(
        [
            _row(age=9, submitter="Ann"),
            _row(age=12, submitter="Bob", subject="X (Twitter) @SKGov"),
            _row(age=None, submitter="Cat"),
        ]
    )
    proxy = TrackerProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_AGE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, COL_SUBMITTER).data() for r in range(3)] == ["Bob", "Ann", "Cat"]
    proxy.setFilterFixedString("@skgov")
    assert [proxy.index(r, COL_SUBMITTER).data() for r in range(proxy.rowCount())] == ["Bob"]


def test_disabled_actions_are_explained_grouped_by_reason() -> None:
    reasons = {
        Action.SUBMIT: "This request is already submitted.",
        Action.APPROVE: "You cannot sign your own request.",
        Action.REJECT: "You cannot sign your own request.",
        Action.WITHDRAW: None,
    }
    assert reasons_text(reasons) == (
        "Submit: This request is already submitted.\n"
        "Approve, Reject: You cannot sign your own request."
    )
