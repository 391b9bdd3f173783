"""The read-only query layer of the compliance checks: SQL aggregates into plain facts.

A fixed handful of queries whatever the size of the data (GROUP BY, COUNT, MIN, EXISTS, never
one query per account). The facts about comments and commenters are gathered by
``desktop.services.compliance_comment_facts``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import (
    AppRole,
    ApprovalKind,
    ApprovalState,
    EvaluationStatus,
    GoalStatus,
    StepState,
)
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    ApprovalStep,
    Campaign,
    Emergency,
    Evaluation,
    Goal,
    MetricSnapshot,
    Ministry,
    Person,
    PersonRole,
)
from desktop.policy.checks.dates import local_today
from desktop.policy.engagement import MetricTotals
from desktop.policy.facts import (
    AccountFacts,
    CampaignFacts,
    ComplianceFacts,
    DirectorFacts,
    EmergencyFacts,
    GoalGroup,
    GrantFacts,
    PendingApprovalFacts,
)
from desktop.policy.periods import add_months
from desktop.policy.settings import PolicySettings
from desktop.services.compliance_comment_facts import (
    active_bans,
    comment_backlogs,
    repeat_commenters,
)


def gather(session: Session, as_of: datetime, settings: PolicySettings) -> ComplianceFacts:
    """Everything the checks read, as of ``as_of`` (aware), in one read transaction."""
    today = local_today(as_of, settings)
    accounts = _accounts(session, as_of, today, settings)
    return ComplianceFacts(
        accounts=accounts,
        grants=_grants(session),
        directors=_directors(session),
        campaigns=_campaigns(session, today),
        pending_approvals=_pending_approvals(session),
        comment_backlogs=comment_backlogs(session, as_of, settings, accounts),
        repeat_commenters=repeat_commenters(session, as_of, settings),
        active_bans=active_bans(session),
        emergencies=_emergencies(session, as_of),
    )


def _s(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


# -- accounts ------------------------------------------------------------------------------


def _accounts(
    session: Session, as_of: datetime, today: date, settings: PolicySettings
) -> tuple[AccountFacts, ...]:
    owner = aliased(Person)
    approved, terminated = (
        exists()
        .where(
            Approval.account_id == Account.id,
            Approval.kind == kind,
            Approval.state == ApprovalState.APPROVED,
        )
        .correlate(Account)
        for kind in (ApprovalKind.NEW_ACCOUNT, ApprovalKind.ACCOUNT_TERMINATION)
    )
    rows = session.execute(
        select(
            Account.id,
            Account.platform,
            Account.handle,
            Account.ministry_id,
            Account.status,
            Ministry.name,
            Account.government_email,
            Account.owner_id,
            owner.name,
            owner.active,
            Account.posting_tool,
            Account.password_changed_at,
            Account.activated_at,
            Account.is_international,
            Account.language,
            Account.is_central,
            approved.label("approved"),
            terminated.label("terminated"),
            Account.status_changed_at,
            (Account.cultural_notes != "").label("has_notes"),
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .outerjoin(owner, owner.id == Account.owner_id)
        .order_by(Account.platform, Account.handle)
    ).all()
    goals = _goal_groups(session)
    unreviewed = _unreviewed_final_goals(session)
    evaluated = _last_evaluations(session, as_of)
    engagement = _engagement(session, today, settings)
    return tuple(
        AccountFacts(
            id=str(r[0]),
            platform=r[1],
            handle=r[2],
            ministry_id=str(r[3]),
            status=r[4],
            ministry_name=r[5],
            government_email=r[6],
            owner_id=_s(r[7]),
            owner_name=r[8] or "",
            owner_active=bool(r[9]) if r[7] is not None else False,
            posting_tool=r[10],
            password_changed_at=r[11],
            activated_at=r[12],
            is_international=r[13],
            language=r[14],
            is_central=r[15],
            new_account_approved=bool(r[16]),
            termination_approved=bool(r[17]),
            status_changed_at=r[18],
            has_cultural_notes=bool(r[19]),
            unreviewed_final_goals=unreviewed.get(r[0], 0),
            goals=tuple(goals.get(r[0], ())),
            last_evaluated_at=evaluated.get(r[0]),
            engagement=engagement.get(r[0]),
        )
        for r in rows
    )


def _goal_groups(session: Session) -> dict[uuid.UUID, list[GoalGroup]]:
    groups: dict[uuid.UUID, list[GoalGroup]] = defaultdict(list)
    rows = session.execute(
        select(Goal.account_id, Goal.status, Goal.period_start, Goal.period_end, func.count())
        .group_by(Goal.account_id, Goal.status, Goal.period_start, Goal.period_end)
        .order_by(Goal.account_id, Goal.period_start)
    )
    for account_id, status, start, end, count in rows:
        groups[account_id].append(GoalGroup(status, start, end, count))
    return groups


def _unreviewed_final_goals(session: Session) -> dict[uuid.UUID, int]:
    """Per account: final goals with no approved annual-goals review behind them."""
    reviewed = exists().where(
        Approval.id == Goal.approval_id,
        Approval.kind == ApprovalKind.ANNUAL_GOALS,
        Approval.state == ApprovalState.APPROVED,
    )
    rows = session.execute(
        select(Goal.account_id, func.count())
        .where(Goal.status == GoalStatus.FINAL, ~reviewed)
        .group_by(Goal.account_id)
    )
    return {account_id: int(n) for account_id, n in rows}


def _last_evaluations(session: Session, as_of: datetime) -> dict[uuid.UUID, datetime]:
    rows = session.execute(
        select(Evaluation.account_id, func.max(Evaluation.completed_at))
        .where(
            Evaluation.status == EvaluationStatus.COMPLETED,
            Evaluation.completed_at <= as_of,
        )
        .group_by(Evaluation.account_id)
    )
    return {account_id: at for account_id, at in rows if at is not None}


def _engagement(
    session: Session, today: date, settings: PolicySettings
) -> dict[uuid.UUID, MetricTotals]:
    start = add_months(today, -settings.engagement_window_months)
    m = MetricSnapshot
    rows = session.execute(
        select(
            m.account_id,
            func.sum(m.responses_positive),
            func.sum(m.responses_negative),
            func.sum(m.shares),
            func.sum(m.comments),
            func.sum(m.time_on_page_seconds),
            func.sum(m.reach),
        )
        .where(m.period_start >= start, m.period_start <= today)
        .group_by(m.account_id)
    )
    return {
        r[0]: MetricTotals(
            responses_positive=int(r[1] or 0),
            responses_negative=int(r[2] or 0),
            shares=int(r[3] or 0),
            comments=int(r[4] or 0),
            time_on_page_seconds=int(r[5] or 0),
            reach=int(r[6] or 0),
        )
        for r in rows
    }


# -- permission matrix ---------------------------------------------------------------------


def _grants(session: Session) -> tuple[GrantFacts, ...]:
    r_ = AccountRole
    rows = session.execute(
        select(
            r_.id,
            r_.account_id,
            Account.platform,
            Account.handle,
            r_.person_id,
            Person.name,
            Person.kind,
            Person.email,
            r_.role,
            r_.granted_at,
            Person.agency_name,
            r_.business_id,
            r_.campaign_id,
            Campaign.name,
            Campaign.ends_on,
            r_.expires_on,
        )
        .join(Account, Account.id == r_.account_id)
        .join(Person, Person.id == r_.person_id)
        .outerjoin(Campaign, Campaign.id == r_.campaign_id)
        .where(r_.revoked_at.is_(None))
        .order_by(r_.account_id, Person.name)
    )
    return tuple(
        GrantFacts(
            id=str(r[0]),
            account_id=str(r[1]),
            platform=r[2],
            handle=r[3],
            person_id=str(r[4]),
            person_name=r[5],
            person_kind=r[6],
            person_email=r[7],
            role=r[8],
            granted_at=r[9],
            agency_name=r[10],
            business_id=r[11],
            campaign_id=_s(r[12]),
            campaign_name=r[13] or "",
            campaign_ends_on=r[14],
            expires_on=r[15],
        )
        for r in rows
    )


def _directors(session: Session) -> tuple[DirectorFacts, ...]:
    rows = session.execute(
        select(Person.id, Person.name, PersonRole.role, Person.ministry_id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            PersonRole.role.in_((AppRole.COMMS_DIRECTOR, AppRole.DCI_DIRECTOR)),
            Person.active.is_(True),
        )
        .order_by(Person.name)
    )
    return tuple(DirectorFacts(str(pid), name, role, _s(mid)) for pid, name, role, mid in rows)


# -- campaigns and approvals ---------------------------------------------------------------


def _campaigns(session: Session, today: date) -> tuple[CampaignFacts, ...]:
    current = select(Campaign.id).where(Campaign.ends_on >= today)
    states: dict[uuid.UUID, list[ApprovalState]] = defaultdict(list)
    for campaign_id, state in session.execute(
        select(Approval.campaign_id, Approval.state).where(
            Approval.kind == ApprovalKind.CAMPAIGN_CONTENT, Approval.campaign_id.in_(current)
        )
    ):
        if campaign_id is not None:
            states[campaign_id].append(state)
    rows = session.execute(
        select(
            Campaign.id,
            Campaign.name,
            Campaign.ministry_id,
            Campaign.starts_on,
            Campaign.ends_on,
            Campaign.agency_name,
        )
        .where(Campaign.ends_on >= today)
        .order_by(Campaign.starts_on, Campaign.name)
    )
    return tuple(
        CampaignFacts(str(cid), name, str(mid), start, end, agency, tuple(states.get(cid, ())))
        for cid, name, mid, start, end, agency in rows
    )


def _pending_approvals(session: Session) -> tuple[PendingApprovalFacts, ...]:
    # Stalls count from the latest submission: a resubmission restarts the clock.
    submitted = func.coalesce(Approval.resubmitted_at, Approval.submitted_at, Approval.created_at)
    rows = session.execute(
        select(
            Approval.id,
            Approval.title,
            Approval.kind,
            submitted,
            func.max(ApprovalStep.decided_at),
            Approval.resubmitted_at,
        )
        .outerjoin(ApprovalStep, ApprovalStep.approval_id == Approval.id)
        .where(Approval.state == ApprovalState.SUBMITTED)
        .group_by(Approval.id, Approval.title, Approval.kind, submitted, Approval.resubmitted_at)
        .order_by(submitted)
    ).all()
    pending = session.execute(
        select(ApprovalStep.approval_id, ApprovalStep.stage, ApprovalStep.role)
        .join(Approval, Approval.id == ApprovalStep.approval_id)
        .where(Approval.state == ApprovalState.SUBMITTED, ApprovalStep.state == StepState.PENDING)
        .order_by(ApprovalStep.approval_id, ApprovalStep.stage, ApprovalStep.position)
    )
    waiting: dict[uuid.UUID, list[tuple[int, AppRole]]] = defaultdict(list)
    for approval_id, stage, role in pending:
        waiting[approval_id].append((stage, role))

    def current(approval_id: uuid.UUID) -> tuple[AppRole, ...]:
        steps = waiting.get(approval_id, [])
        first = min((stage for stage, _ in steps), default=None)
        return tuple(role for stage, role in steps if stage == first)

    return tuple(
        PendingApprovalFacts(
            str(aid), title, kind, at, last, current(aid), resubmitted=again is not None
        )
        for aid, title, kind, at, last, again in rows
    )


# -- emergencies ---------------------------------------------------------------------------


def _emergencies(session: Session, as_of: datetime) -> tuple[EmergencyFacts, ...]:
    ministry_person = aliased(Person)
    council_person = aliased(Person)
    rows = session.execute(
        select(
            Emergency.id,
            Emergency.title,
            Emergency.kind,
            Emergency.declared_at,
            Emergency.ended_at,
            ministry_person.name,
            council_person.name,
        )
        .outerjoin(ministry_person, ministry_person.id == Emergency.on_call_ministry_id)
        .outerjoin(council_person, council_person.id == Emergency.on_call_council_id)
        .where(
            Emergency.declared_at <= as_of,
            or_(Emergency.ended_at.is_(None), Emergency.ended_at > as_of),
        )
        .order_by(Emergency.declared_at)
    )
    return tuple(
        EmergencyFacts(str(eid), title, kind, declared, ended, m or "", c or "")
        for eid, title, kind, declared, ended, m, c in rows
    )
