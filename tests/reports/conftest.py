"""A small but complete world for the reports: three accounts, metrics, goals, comments with
known due and action times, strikes and a ban, an emergency, roles (one Facebook page breaking
the Admin rule, one agency past its revocation deadline), an evaluation and approvals.

Everything happens in 2026H2, before the fixed clock (2026-11-18 09:00 in Regina).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import update
from sqlalchemy.orm import Session

from desktop.enums import (
    AppRole,
    BanKind,
    BanStatus,
    CloseReason,
    CommentStatus,
    EmergencyKind,
    PageRole,
    PersonKind,
    Platform,
    RemovalCategory,
)
from desktop.models import (
    Account,
    AccountRole,
    Ban,
    Campaign,
    Comment,
    Commenter,
    Emergency,
    EmergencyAccount,
    Strike,
)
from desktop.models.base import new_id
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar
from desktop.reports.data.common import ReportPeriod, resolve_period
from desktop.services.approvals import ApprovalService
from desktop.services.campaigns import CampaignService
from desktop.services.clock import policy_from, sla_policy
from desktop.services.context import ServiceContext, load_settings
from desktop.services.evaluations import EvaluationService
from desktop.services.goals import GoalService
from desktop.services.metrics import MetricsService
from desktop.services.people import PeopleService, PersonInput
from desktop.services.roles import RoleService
from desktop.storage.database import Database
from tests.conftest import FIXED_NOW
from tests.factories import Cast

REGINA = ZoneInfo("America/Regina")
PERIOD = "2026H2"
UNICODE_NAMES = ("Zoë Nguyễn", "Дмитрий Лебедев")
PERSONAL_TEXT = (
    "Please call me at (306) 555-0143 or write to jane.doe@example.com, "
    "my neighbour @janedoe99 saw it too. @SKHealth please help!"
)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given as a wall time in Regina."""
    return datetime(year, month, day, hour, minute, tzinfo=REGINA).astimezone(UTC)


@dataclass
class CommentSpec:
    """One inserted comment, with the stored times the reports read."""

    received: datetime
    acknowledged: datetime | None = None
    answered: datetime | None = None
    closed: datetime | None = None
    status: CommentStatus = CommentStatus.ANSWERED
    emergency: bool = False
    text: str = "When does the clinic open?"
    close_reason: CloseReason | None = None
    ack_due: datetime = field(init=False)
    answer_due: datetime = field(init=False)


@dataclass
class World:
    cast: Cast
    facebook: Account
    x: Account
    environment: Account
    comments: list[CommentSpec]
    monthly: dict[date, tuple[int, int, int, int, int]]  # pos, neg, shares, comments, seconds
    unicode_people: list[uuid.UUID]

    def ctx(self, who: str = "admin") -> ServiceContext:
        return self.cast.ctx(who)


def _at(t: datetime) -> Callable[[], datetime]:
    return lambda: t


def _comments(emergency_id: uuid.UUID) -> list[CommentSpec]:
    return [
        # On time for both.
        CommentSpec(local(2026, 9, 16, 10), local(2026, 9, 16, 10, 30), local(2026, 9, 16, 15)),
        # Acknowledged late (2 h), answered late (two days later).
        CommentSpec(local(2026, 9, 16, 10), local(2026, 9, 16, 12), local(2026, 9, 18, 11)),
        # Friday 16:30: acknowledge by Monday 09:30 (on time at 09:15), answered Tuesday (late).
        CommentSpec(local(2026, 9, 18, 16, 30), local(2026, 9, 21, 9, 15), local(2026, 9, 22, 10)),
        # Never acknowledged: overdue for both at the as-of time; carries personal information.
        CommentSpec(local(2026, 10, 5, 11), status=CommentStatus.NEW, text=PERSONAL_TEXT),
        # Received minutes before the as-of time: not due yet, so not measured.
        CommentSpec(local(2026, 11, 18, 8, 55), status=CommentStatus.NEW),
        # Hidden by moderation: needs no reply, not counted at all.
        CommentSpec(local(2026, 10, 6, 9, 30), status=CommentStatus.HIDDEN),
        # Sunday evening during the flood: the 24/7 clock, on time for both.
        CommentSpec(
            local(2026, 8, 2, 20),
            local(2026, 8, 2, 20, 30),
            local(2026, 8, 3, 6),
            emergency=True,
        ),
        # Rhetorical: closed with no response needed twenty minutes later (on time).
        CommentSpec(
            local(2026, 10, 7, 13),
            closed=local(2026, 10, 7, 13, 20),
            status=CommentStatus.CLOSED,
            close_reason=CloseReason.NO_RESPONSE_NEEDED,
        ),
    ]


def build_world(cast: Cast) -> World:
    db, system = cast.db, cast.ctx("admin")
    facebook = cast.account("SKHealth", Platform.FACEBOOK, display_name="Saskatchewan Health")
    x = cast.account("SaskHealthX", Platform.X)
    environment = cast.account("SKEnvironment", Platform.FACEBOOK, ministry_id=cast.environment.id)
    with db.write() as s:
        for account, since in (
            (facebook, local(2024, 1, 15, 9)),
            (x, local(2025, 3, 1, 9)),
            (environment, local(2024, 6, 1, 9)),
        ):
            s.execute(update(Account).where(Account.id == account.id).values(activated_at=since))

    people = PeopleService(system)
    unicode_people = [
        people.add(
            PersonInput(login=f"uni{i}", name=name, email=f"uni{i}@gov.sk.ca",
                        roles=(AppRole.OFFICER,), ministry_id=cast.health.id)
        ).id
        for i, name in enumerate(UNICODE_NAMES)
    ]  # fmt: skip
    agency = cast.people["agency"]

    # Engagement rises month by month on the Facebook page; the X account has one month.
    metrics = MetricsService(cast.ctx("officer"))
    monthly = {
        date(2026, 7, 1): (100, 10, 40, 30, 7200),
        date(2026, 8, 1): (120, 12, 50, 35, 9000),
        date(2026, 9, 1): (160, 15, 70, 40, 10800),
        date(2026, 10, 1): (210, 20, 90, 55, 14400),
    }
    for month, (pos, neg, shares, comments, seconds) in monthly.items():
        metrics.record(facebook.id, month, pos, neg, shares, comments, seconds, reach=5000)
    metrics.record(x.id, date(2026, 8, 1), 5, 1, 3, 2, 600)

    GoalService(cast.ctx("officer")).draft(
        facebook.id, "Grow shares", "shares", 1000, 200, date(2026, 7, 1), date(2027, 6, 30)
    )

    # The flood: declared for the Facebook page.
    emergency_id = new_id()
    with db.write() as s:
        s.add(
            Emergency(
                id=emergency_id,
                kind=EmergencyKind.FLOOD,
                title="Flood in the Qu'Appelle Valley",
                declared_at=local(2026, 8, 1, 8),
                ended_at=local(2026, 8, 5, 8),
            )
        )
        s.flush()
        s.add(EmergencyAccount(emergency_id=emergency_id, account_id=facebook.id))

    sla = policy_from(PolicySettings(), [])
    specs = _comments(emergency_id)
    comment_ids = []
    with db.write() as s:
        for spec in specs:
            due = sla.due(spec.received, spec.emergency)
            spec.ack_due, spec.answer_due = due.acknowledge_by, due.answer_by
            comment = Comment(
                id=new_id(),
                account_id=facebook.id,
                received_at=spec.received,
                author_name="Jane Doe",
                author_handle="janedoe99",
                text=spec.text,
                status=spec.status,
                emergency_id=emergency_id if spec.emergency else None,
                clock_start_at=due.clock_start,
                acknowledge_due_at=due.acknowledge_by,
                answer_due_at=due.answer_by,
                acknowledged_at=spec.acknowledged,
                answered_at=spec.answered,
                closed_at=spec.closed,
                close_reason=spec.close_reason,
            )
            s.add(comment)
            comment_ids.append(comment.id)
        # Three strikes against one commenter, and the temporary ban that followed.
        troll = Commenter(id=new_id(), platform=Platform.FACEBOOK, handle="troll42")
        s.add(troll)
        s.flush()
        for i, category in enumerate(
            (RemovalCategory.HARASSMENT, RemovalCategory.HARASSMENT, RemovalCategory.SPAM)
        ):
            s.add(
                Strike(
                    commenter_id=troll.id,
                    platform=Platform.FACEBOOK,
                    comment_id=comment_ids[i],
                    category=category,
                    evidence_text="removed text",
                    recorded_at=local(2026, 9, 20 + i, 10),
                )
            )
        s.add(
            Ban(
                commenter_id=troll.id,
                platform=Platform.FACEBOOK,
                kind=BanKind.TEMPORARY,
                status=BanStatus.ACTIVE,
                proposed_at=local(2026, 9, 23, 10),
                starts_at=local(2026, 9, 23, 10),
                ends_at=local(2026, 10, 23, 10),
            )
        )

    # Roles: the two directors are Admins of the Health page; editors, two with names outside
    # Latin-1; on the Environment page an officer is Admin, which breaks the rule.
    roles = RoleService(cast.ctx("dso"))
    roles.grant(cast.people["comms"].id, facebook.id, PageRole.ADMIN)
    roles.grant(cast.people["dci"].id, facebook.id, PageRole.ADMIN)
    roles.grant(cast.people["officer"].id, facebook.id, PageRole.EDITOR)
    for person_id in unicode_people:
        roles.grant(person_id, facebook.id, PageRole.EDITOR)
    moderator = roles.grant(cast.people["officer2"].id, x.id, PageRole.MODERATOR)
    roles.revoke(moderator.id, "left the team")
    ended = Campaign(
        id=new_id(),
        name="Flu shots 2026",
        ministry_id=cast.health.id,
        agency_name="Prairie Ads Inc.",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 10, 1),
    )
    with db.write() as s:
        s.add(ended)
        s.flush()
        s.add(
            AccountRole(
                person_id=cast.people["officer2"].id,
                account_id=environment.id,
                role=PageRole.ADMIN,
                granted_at=local(2026, 8, 10, 9),
            )
        )
        # Granted before the campaign ended and never revoked: 34 days past the deadline.
        s.add(
            AccountRole(
                person_id=agency.id,
                account_id=facebook.id,
                role=PageRole.ADVERTISER,
                granted_at=local(2026, 9, 1, 9),
                business_id="FB-BIZ-778",
                campaign_id=ended.id,
            )
        )
    winter = CampaignService(cast.ctx("officer")).create(
        "Winter safety", cast.health.id, "Prairie Ads Inc.", date(2026, 11, 1), date(2026, 12, 31)
    )
    assert agency.kind is PersonKind.AGENCY

    # The evaluation for the half-year, completed by the Director DCI.
    evaluations = EvaluationService(cast.ctx("officer"))
    draft = evaluations.draft(facebook.id, PERIOD, "Engagement grew every month.", "continue")
    EvaluationService(cast.ctx("dci")).complete(
        draft.id, "Engagement grew every month; keep the strategy.", "continue"
    )

    # Approvals: a termination waiting on the Director DCI since October; a goals review
    # half-way; campaign content approved by all three in November.
    at = local(2026, 10, 1, 10)
    officer2 = ServiceContext(db, "officer2", clock=_at(at))
    termination = ApprovalService(officer2).request_termination(
        environment.id, "No engagement for more than a year."
    )
    ApprovalService(officer2).submit(termination.id)
    goals = ApprovalService(ServiceContext(db, "officer", clock=_at(local(2026, 11, 10, 10))))
    review = goals.request_goals_review(facebook.id)
    goals.submit(review.id)
    ApprovalService(ServiceContext(db, "dci", clock=_at(local(2026, 11, 12, 10)))).approve(
        review.id, "Targets are realistic."
    )
    content = ApprovalService(ServiceContext(db, "officer", clock=_at(local(2026, 11, 2, 10))))
    request = content.request_campaign_content(winter.id, "Four posts on winter driving.")
    content.submit(request.id)
    for who, day in (("comms", 3), ("minister", 4), ("council", 5)):
        ApprovalService(ServiceContext(db, who, clock=_at(local(2026, 11, day, 10)))).approve(
            request.id
        )

    return World(cast, facebook, x, environment, specs, monthly, unicode_people)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


@pytest.fixture
def as_of() -> datetime:
    return FIXED_NOW


# -- reading PDFs back ---------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """Every page's text, with whitespace runs collapsed (line breaks vary with layout)."""
    reader = PdfReader(path)
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def pdf_pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def pdf_metadata(path: Path) -> dict[str, Any]:
    meta = PdfReader(path).metadata
    assert meta is not None
    return {"title": meta.title, "author": meta.author, "subject": meta.subject}


def at_offset(t: datetime, **kw: float) -> datetime:
    return t + timedelta(**kw)


@contextmanager
def reading(db: Database) -> Iterator[tuple[Session, PolicySettings, BusinessCalendar]]:
    """A read session with the settings and the business calendar the reports use."""
    with db.read() as session:
        yield session, load_settings(session), sla_policy(session).calendar


def half_year(label: str = PERIOD) -> ReportPeriod:
    period = resolve_period(label, None, None, required=True, as_of_day=date(2026, 11, 18))
    assert period is not None
    return period


def first_action(c: CommentSpec) -> datetime | None:
    return min((t for t in (c.acknowledged, c.answered, c.closed) if t), default=None)


def resolution(c: CommentSpec) -> datetime | None:
    return min((t for t in (c.answered, c.closed) if t), default=None)


def on_time_share(
    comments: list[CommentSpec], as_of: datetime, *, answer: bool, emergency: bool | None = None
) -> tuple[int, int]:
    """(on time, measured) straight from the inserted rows, for the tests to compare with."""
    on_time = measured = 0
    for c in comments:
        if c.status in (CommentStatus.HIDDEN, CommentStatus.DELETED):
            continue
        if emergency is not None and c.emergency != emergency:
            continue
        done = resolution(c) if answer else first_action(c)
        due = c.answer_due if answer else c.ack_due
        if done is not None and done > as_of:
            done = None
        if done is None and due > as_of:
            continue  # still has time left: not measured
        measured += 1
        on_time += done is not None and done <= due
    return on_time, measured
