"""The approvals status report's numbers: open requests, whom they wait on, the decisions."""

from __future__ import annotations

from datetime import datetime

from desktop.enums import ApprovalKind, ApprovalState, StepState
from desktop.reports.data.approvals_data import ApprovalsData, approvals_data
from desktop.reports.data.common import resolve_scope
from tests.reports.conftest import World, half_year, reading


def _data(world: World, as_of: datetime, ministry: str | None = None) -> ApprovalsData:
    with reading(world.cast.db) as (s, settings, _):
        scope = resolve_scope(s, None, ministry)
        return approvals_data(s, scope, half_year(), as_of=as_of, timezone=settings.timezone)


def test_open_requests_with_stage_waiting_on_and_age(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    rows = [(a.kind, a.stage_label, a.waiting_on, a.age_days) for a in d.open]
    assert rows == [
        (
            ApprovalKind.ACCOUNT_TERMINATION,
            "Stage 1 of 1: Director, Digital Channels and Insights decision",
            ("Director, Digital Channels and Insights",),
            48,
        ),
        (
            ApprovalKind.ANNUAL_GOALS,
            "Stage 2 of 2: Executive Council review",
            ("Executive Council",),
            8,
        ),
    ]
    assert d.open_by_age() == [
        ("under a week", 0),
        ("1-2 weeks", 1),
        ("2-4 weeks", 0),
        ("over 4 weeks", 1),
    ]


def test_decisions_and_signatures_of_the_period(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    (outcome,) = d.outcomes
    assert (outcome.state, outcome.subject_label, outcome.days) == (
        ApprovalState.APPROVED,
        "Campaign Winter safety",
        3,
    )
    assert [(g.by_name, g.state) for g in d.signatures] == [
        ("Comms Person", StepState.APPROVED),
        ("Minister Person", StepState.APPROVED),
        ("Council Person", StepState.APPROVED),
        ("Dci Person", StepState.APPROVED),
    ]


def test_a_ministry_sees_its_own_requests(world: World, as_of: datetime) -> None:
    d = _data(world, as_of, "ENV")
    assert [a.kind for a in d.open] == [ApprovalKind.ACCOUNT_TERMINATION]
    assert d.outcomes == ()
    assert d.signatures == ()
