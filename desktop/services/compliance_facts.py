"""The read-only query layer of the compliance checks: SQL aggregates into plain facts.

A fixed handful of queries whatever the size of the data (GROUP BY, COUNT, MIN, EXISTS, never
one query per account); the comment log is only ever counted through its status indexes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from desktop.enums import (
    AppRole,
    ApprovalKind,
    ApprovalState,
    BanStatus,
    CommentStatus,
    EvaluationStatus,
    Platform,
    StepState,
)
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    ApprovalStep,
    Ban,
    Campaign,
    Comment,
    Commenter,
    Emergency,
    Evaluation,
    Goal,
    MetricSnapshot,
    Ministry,
    Person,
    PersonRole,
    Strike,
)
from desktop.policy.checks.dates import local_today
from desktop.policy.engagement import MetricTotals
from desktop.policy.facts import (
    AccountFacts,
    BanFacts,
    CampaignFacts,
    CommentBacklog,
    CommenterFacts,
    ComplianceFacts,
    DirectorFacts,
    EmergencyFacts,
    GoalGroup,
    GrantFacts,
    PendingApprovalFacts,
)
from desktop.policy.moderation import BanRecord, StrikeRecord
from desktop.policy.periods import add_months
from desktop.policy.settings import PolicySettings

_OPEN_COMMENT = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)


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
        comment_backlogs=_comment_backlogs(session, as_of, settings, accounts),
        repeat_commenters=_repeat_commenters(session, as_of, settings),
        active_bans=_active_bans(session),
        emergencies=_emergencies(session, as_of),
    )


def _s(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


# -- accounts ------------------------------------------------------------------------------


def _accounts(
    session: Session, as_of: datetime, today: date, settings: PolicySettings
) -> tuple[AccountFacts, ...]:
    owner = aliased(Person)
    approved = (
        exists()
        .where(
            Approval.account_id == Account.id,
            Approval.kind == ApprovalKind.NEW_ACCOUNT,
            Approval.state == ApprovalState.APPROVED,
        )
        .correlate(Account)
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
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .outerjoin(owner, owner.id == Account.owner_id)
        .order_by(Account.platform, Account.handle)
    ).all()
    goals = _goal_groups(session)
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
    submitted = func.coalesce(Approval.submitted_at, Approval.created_at)
    rows = session.execute(
        select(
            Approval.id,
            Approval.title,
            Approval.kind,
            submitted,
            func.max(ApprovalStep.decided_at),
        )
        .outerjoin(ApprovalStep, ApprovalStep.approval_id == Approval.id)
        .where(Approval.state == ApprovalState.SUBMITTED)
        .group_by(Approval.id, Approval.title, Approval.kind, submitted)
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
        PendingApprovalFacts(str(aid), title, kind, at, last, current(aid))
        for aid, title, kind, at, last in rows
    )


# -- comment log ---------------------------------------------------------------------------


@dataclass
class _Tally:
    ack_overdue: int = 0
    ack_oldest_due: datetime | None = None
    answer_overdue: int = 0
    answer_oldest_due: datetime | None = None
    answered_late: int = 0  # acknowledged, past the answer time
    unassigned: int = 0
    unassigned_oldest: datetime | None = None


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _comment_backlogs(
    session: Session,
    as_of: datetime,
    settings: PolicySettings,
    accounts: tuple[AccountFacts, ...],
) -> tuple[CommentBacklog, ...]:
    """Three grouped counts, each led by an index on status (most of the log is closed)."""
    c = Comment
    tallies: dict[uuid.UUID, _Tally] = defaultdict(_Tally)
    # (status, acknowledge_due_at) index.
    for account_id, n, oldest in session.execute(
        select(c.account_id, func.count(), func.min(c.acknowledge_due_at))
        .where(c.status == CommentStatus.NEW, c.acknowledge_due_at < as_of)
        .group_by(c.account_id)
    ):
        tallies[account_id].ack_overdue = n
        tallies[account_id].ack_oldest_due = oldest
    # (status, answer_due_at) index. Split by status so "overdue" counts each comment once: an
    # answer is never due before the acknowledgement, so a new comment past its answer time is
    # already counted above.
    for account_id, status, n, oldest in session.execute(
        select(c.account_id, c.status, func.count(), func.min(c.answer_due_at))
        .where(c.status.in_(_OPEN_COMMENT), c.answer_due_at < as_of)
        .group_by(c.account_id, c.status)
    ):
        t = tallies[account_id]
        t.answer_overdue += n
        t.answer_oldest_due = _earliest(t.answer_oldest_due, oldest)
        if status is CommentStatus.ACKNOWLEDGED:
            t.answered_late += n
    # (assignee_id, status) index.
    waited = as_of - timedelta(hours=settings.comment_unassigned_hours)
    for account_id, n, oldest in session.execute(
        select(c.account_id, func.count(), func.min(c.clock_start_at))
        .where(c.assignee_id.is_(None), c.status.in_(_OPEN_COMMENT), c.clock_start_at < waited)
        .group_by(c.account_id)
    ):
        tallies[account_id].unassigned = n
        tallies[account_id].unassigned_oldest = oldest

    by_id = {a.id: a for a in accounts}
    backlogs = [
        CommentBacklog(
            account_id=a.id,
            platform=a.platform,
            handle=a.handle,
            ack_overdue=t.ack_overdue,
            ack_oldest_due=t.ack_oldest_due,
            answer_overdue=t.answer_overdue,
            answer_oldest_due=t.answer_oldest_due,
            unassigned=t.unassigned,
            unassigned_oldest=t.unassigned_oldest,
            overdue=t.ack_overdue + t.answered_late,
        )
        for account_id, t in tallies.items()
        # Every comment belongs to an account read in the same transaction.
        if (a := by_id.get(str(account_id))) is not None
    ]
    backlogs.sort(key=lambda b: (b.platform, b.handle.lower()))
    return tuple(backlogs)


# -- moderation ----------------------------------------------------------------------------


def _repeat_commenters(
    session: Session, as_of: datetime, settings: PolicySettings
) -> tuple[CommenterFacts, ...]:
    start = as_of - timedelta(days=settings.strike_window_days)
    in_window = and_(Strike.recorded_at >= start, Strike.recorded_at <= as_of)
    candidates = (
        select(Strike.commenter_id, Strike.platform)
        .where(in_window)
        .group_by(Strike.commenter_id, Strike.platform)
        .having(func.count() >= settings.strike_threshold)
        .subquery()
    )
    joined = and_(
        candidates.c.commenter_id == Strike.commenter_id,
        candidates.c.platform == Strike.platform,
    )
    strikes: dict[tuple[uuid.UUID, Platform], list[StrikeRecord]] = defaultdict(list)
    for cid, platform, at, category in session.execute(
        select(Strike.commenter_id, Strike.platform, Strike.recorded_at, Strike.category)
        .join(candidates, joined)
        .where(in_window)
        .order_by(Strike.recorded_at)
    ):
        strikes[(cid, platform)].append(StrikeRecord(at, category))
    if not strikes:
        return ()
    bans: dict[tuple[uuid.UUID, Platform], list[BanRecord]] = defaultdict(list)
    for cid, platform, kind, status, starts, ends in session.execute(
        select(Ban.commenter_id, Ban.platform, Ban.kind, Ban.status, Ban.starts_at, Ban.ends_at)
        .join(
            candidates,
            and_(
                candidates.c.commenter_id == Ban.commenter_id,
                candidates.c.platform == Ban.platform,
            ),
        )
        .order_by(Ban.proposed_at)
    ):
        bans[(cid, platform)].append(BanRecord(kind, status, starts, ends))
    names = {
        cid: (handle, display)
        for cid, handle, display in session.execute(
            select(Commenter.id, Commenter.handle, Commenter.display_name).where(
                Commenter.id.in_(select(candidates.c.commenter_id))
            )
        )
    }
    return tuple(
        CommenterFacts(
            id=str(cid),
            platform=platform,
            handle=names[cid][0],
            display_name=names[cid][1],
            strikes=tuple(records),
            bans=tuple(bans.get((cid, platform), ())),
        )
        for (cid, platform), records in strikes.items()
    )


def _active_bans(session: Session) -> tuple[BanFacts, ...]:
    rows = session.execute(
        select(
            Ban.id,
            Ban.commenter_id,
            Commenter.handle,
            Ban.platform,
            Ban.kind,
            Ban.status,
            Ban.starts_at,
            Ban.ends_at,
        )
        .join(Commenter, Commenter.id == Ban.commenter_id)
        .where(Ban.status == BanStatus.ACTIVE)
        .order_by(Ban.ends_at)
    )
    return tuple(
        BanFacts(str(bid), str(cid), handle, platform, BanRecord(kind, status, starts, ends))
        for bid, cid, handle, platform, kind, status, starts, ends in rows
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
