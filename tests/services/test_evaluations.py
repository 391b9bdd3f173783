from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from desktop.enums import AccountStatus, EvaluationStatus, Platform, Recommendation
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Account, AuditEvent, Evaluation
from desktop.services.accounts import AccountService
from desktop.services.context import ServiceContext
from desktop.services.evaluations import EvaluationService
from tests.factories import Cast
from tests.services.test_metrics import statements

NON_WRITERS = ["council", "minister", "agency", "auditor"]
NOT_COMPLETERS = ["officer", "comms", "dso", *NON_WRITERS]
AS_OF = date(2026, 11, 18)


def _service(cast: Cast, who: str) -> EvaluationService:
    return EvaluationService(cast.ctx(who))


def _at(cast: Cast, who: str, when: datetime) -> EvaluationService:
    return EvaluationService(ServiceContext(cast.db, cast.people[who].login, clock=lambda: when))


def _activated(cast: Cast, account: Account, when: datetime) -> None:
    with cast.db.write() as s:
        row = s.get(Account, account.id)
        assert row is not None
        row.activated_at = when


def _completed(cast: Cast, account: Account, period: str, when: datetime) -> Evaluation:
    draft = _at(cast, "comms", when).draft(account.id, period)
    return _at(cast, "dci", when).complete(draft.id, "Steady", Recommendation.CONTINUE)


def test_officer_drafts_an_evaluation_for_a_half_year(cast: Cast) -> None:
    account = cast.account()
    evaluation = _service(cast, "officer").draft(account.id, " 2026h1 ", "Going well")
    assert evaluation.period == "2026H1"
    assert (evaluation.period_start, evaluation.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert evaluation.status == EvaluationStatus.DRAFT
    assert (evaluation.summary, evaluation.recommendation) == ("Going well", None)
    assert evaluation.drafted_by_id == cast.people["officer"].id
    with cast.db.read() as s:
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(evaluation.id))
        ).all()
    assert [e.action for e in events] == ["evaluation.draft"]
    assert json.loads(events[0].after)["period"] == "2026H1"


def test_bad_or_future_period_is_refused(cast: Cast) -> None:
    account = cast.account()
    service = _service(cast, "officer")
    for text in ["2026H3", "H1 2026", "", "2026-06"]:
        with pytest.raises(DomainError, match=r"^Period must look like 2026H1 or 2026H2\.$") as e:
            service.draft(account.id, text)
        assert e.value.field == "period"
    with pytest.raises(DomainError, match="2027H1 has not started yet; evaluate 2026H2"):
        service.draft(account.id, "2027H1")
    assert service.draft(account.id, "2026H2").period == "2026H2"


def test_second_evaluation_of_the_same_period_is_a_conflict(cast: Cast) -> None:
    account = cast.account()
    _service(cast, "officer").draft(account.id, "2026H1")
    with pytest.raises(ConflictError, match="already has an evaluation for 2026H1; open the exis"):
        _service(cast, "comms").draft(account.id, "2026h1")
    other = cast.account("SKHealthX", Platform.X)
    assert _service(cast, "officer").draft(other.id, "2026H1").account_id == other.id


def test_recommendation_must_be_one_of_the_three(cast: Cast) -> None:
    account = cast.account()
    service = _service(cast, "officer")
    with pytest.raises(DomainError, match="Recommendation 'abandon' is not one of") as err:
        service.draft(account.id, "2026H1", recommendation="abandon")
    assert err.value.field == "recommendation"
    evaluation = service.draft(account.id, "2026H1", recommendation="New strategy")
    assert evaluation.recommendation == Recommendation.NEW_STRATEGY


def test_edit_a_draft_with_version_check(cast: Cast) -> None:
    evaluation = _service(cast, "officer").draft(cast.account().id, "2026H1")
    edited = _service(cast, "dso").edit(
        evaluation.id, "Reach up, replies slow", "continue", version=1
    )
    assert (edited.summary, edited.recommendation) == ("Reach up, replies slow", "continue")
    with cast.db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "evaluation.edit")).one()
    assert json.loads(event.after) == {
        "summary": "Reach up, replies slow",
        "recommendation": "continue",
    }
    with pytest.raises(ConflictError, match="Someone else changed this evaluation"):
        _service(cast, "officer").edit(evaluation.id, "Stale", None, version=1)


@pytest.mark.parametrize("who", NON_WRITERS)
def test_roles_that_may_not_draft_or_edit_evaluations(cast: Cast, who: str) -> None:
    account = cast.account()
    evaluation = _service(cast, "officer").draft(account.id, "2026H1")
    with pytest.raises(PermissionDenied, match="needs the role"):
        _service(cast, who).draft(account.id, "2025H2")
    with pytest.raises(PermissionDenied, match="needs the role"):
        _service(cast, who).edit(evaluation.id, "Mine now", None)


def test_officer_of_another_ministry_cannot_touch_the_evaluation(cast: Cast) -> None:
    account = cast.account()
    evaluation = _service(cast, "officer").draft(account.id, "2026H1")
    own = "limited to your own ministry's accounts"
    with pytest.raises(PermissionDenied, match=own):
        _service(cast, "officer2").draft(account.id, "2025H2")
    with pytest.raises(PermissionDenied, match=own):
        _service(cast, "officer2").edit(evaluation.id, "Mine now", None)
    env = cast.account("SKEnvironment", ministry_id=cast.environment.id)
    assert _service(cast, "officer2").draft(env.id, "2026H1").account_id == env.id


@pytest.mark.parametrize("who", NOT_COMPLETERS)
def test_only_the_dci_director_and_admin_complete(cast: Cast, who: str) -> None:
    evaluation = _service(cast, "officer").draft(cast.account().id, "2026H1", "Fine")
    with pytest.raises(PermissionDenied, match="Completing an evaluation needs the role"):
        _service(cast, who).complete(evaluation.id, "Fine", Recommendation.CONTINUE)


def test_completion_needs_a_summary_and_a_recommendation(cast: Cast) -> None:
    evaluation = _service(cast, "officer").draft(cast.account().id, "2026H1")
    dci = _service(cast, "dci")
    with pytest.raises(DomainError, match="Write a summary") as err:
        dci.complete(evaluation.id, "  ", Recommendation.CONTINUE)
    assert err.value.field == "summary"
    with pytest.raises(DomainError, match="Choose a recommendation") as err:
        dci.complete(evaluation.id, "Engagement fell all half-year", None)
    assert err.value.field == "recommendation"
    done = dci.complete(evaluation.id, "Engagement fell all half-year", "terminate")
    assert done.status == EvaluationStatus.COMPLETED
    assert done.recommendation == Recommendation.TERMINATE
    assert (done.completed_by_id, done.completed_at) == (cast.people["dci"].id, cast.clock())
    with cast.db.read() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "evaluation.complete")
        ).one()
    assert json.loads(event.after)["status"] == "completed"


def test_completed_evaluations_cannot_change(cast: Cast) -> None:
    evaluation = _service(cast, "officer").draft(cast.account().id, "2026H1")
    _service(cast, "admin").complete(evaluation.id, "Good", Recommendation.CONTINUE)
    with pytest.raises(DomainError, match="completed on 2026-11-18 and cannot be changed"):
        _service(cast, "officer").edit(evaluation.id, "Rewritten", None)
    with pytest.raises(DomainError, match="cannot be changed"):
        _service(cast, "dci").complete(evaluation.id, "Again", Recommendation.NEW_STRATEGY)
    [stored] = _service(cast, "auditor").for_account(evaluation.account_id)
    assert (stored.summary, stored.completed_by_id) == ("Good", cast.people["admin"].id)


def test_schedule_of_due_and_overdue_evaluations(cast: Cast) -> None:
    never = cast.account("Never")
    _activated(cast, never, datetime(2026, 3, 1, 18, tzinfo=UTC))  # due 2026-09-01
    soon = cast.account("Soon", Platform.X, ministry_id=cast.environment.id)
    _activated(cast, soon, datetime(2024, 1, 1, 18, tzinfo=UTC))
    _completed(cast, soon, "2026H1", datetime(2026, 6, 1, 18, tzinfo=UTC))  # due 2026-12-01
    fine = cast.account("Fine")
    _activated(cast, fine, datetime(2024, 1, 1, 18, tzinfo=UTC))
    _completed(cast, fine, "2025H2", datetime(2026, 1, 15, 18, tzinfo=UTC))
    # 03:00 UTC on 11 July is still 10 July in Regina.
    _completed(cast, fine, "2026H1", datetime(2026, 7, 11, 3, tzinfo=UTC))  # due 2027-01-10
    _service(cast, "officer").draft(fine.id, "2026H2")  # a draft does not count
    gone = cast.account("Gone")
    AccountService(cast.ctx("dso")).set_status(gone.id, AccountStatus.SUSPENDED)
    rows = _service(cast, "auditor").schedule(AS_OF)
    assert [
        (r.account_label, r.ministry_code, r.last_period, r.last_completed_on, r.next_due, r.status)
        for r in rows
    ] == [
        ("Facebook @Never", "HEA", None, None, date(2026, 9, 1), "overdue"),
        ("X (Twitter) @Soon", "ENV", "2026H1", date(2026, 6, 1), date(2026, 12, 1), "due soon"),
        ("Facebook @Fine", "HEA", "2026H1", date(2026, 7, 10), date(2027, 1, 10), "ok"),
    ]
    assert [r.days_until_due for r in rows] == [-78, 13, 53]


def test_schedule_status_boundaries(cast: Cast) -> None:
    account = cast.account()
    _activated(cast, account, datetime(2026, 5, 18, 18, tzinfo=UTC))  # due 2026-11-18
    service = _service(cast, "minister")
    assert service.schedule(date(2026, 11, 18))[0].status == "due soon"
    assert service.schedule(date(2026, 11, 19))[0].status == "overdue"
    assert service.schedule(date(2026, 10, 19))[0].status == "due soon"
    assert service.schedule(date(2026, 10, 18))[0].status == "ok"


def test_schedule_runs_the_same_queries_for_many_accounts(cast: Cast) -> None:
    service = _service(cast, "auditor")
    first = cast.account("First")
    _completed(cast, first, "2026H1", datetime(2026, 7, 10, 18, tzinfo=UTC))
    with statements(cast.db) as few:
        service.schedule(AS_OF)
    for i in range(4):
        more = cast.account(f"More{i}")
        _completed(cast, more, "2026H1", datetime(2026, 7, 10, 18, tzinfo=UTC))
    with statements(cast.db) as many:
        assert len(service.schedule(AS_OF)) == 5
    assert len(many) == len(few)
    assert sum("evaluations" in sql for sql in many) == 1


def test_agency_may_not_read_evaluations(cast: Cast) -> None:
    account = cast.account()
    with pytest.raises(PermissionDenied, match="Reading the whole register"):
        _service(cast, "agency").schedule(AS_OF)
    with pytest.raises(PermissionDenied, match="Reading the whole register"):
        _service(cast, "agency").for_account(account.id)
