"""The demo generator: what someone exploring the demo finds, the same every time, on both
databases, with exactly the policy violations it promises."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.enums import (
    AccountStatus,
    AppRole,
    ApprovalKind,
    ApprovalState,
    BanStatus,
    CloseReason,
    CommentStatus,
    EvaluationStatus,
    GoalStatus,
    PageRole,
    PersonKind,
    Platform,
    PostingTool,
    ResponseMethod,
    StepState,
)
from desktop.errors import DomainError
from desktop.models import (
    Account,
    AccountRole,
    Approval,
    AuditEvent,
    Ban,
    Base,
    Campaign,
    Closure,
    Comment,
    Commenter,
    Emergency,
    Evaluation,
    Goal,
    GroupUpdate,
    KeyContact,
    MetricSnapshot,
    Ministry,
    Person,
    PersonRole,
    Response,
    Strike,
)
from desktop.policy.periods import add_months
from desktop.policy.settings import DEFAULT_DOMAINS, email_domain_allowed
from desktop.policy.sla import BusinessCalendar, SlaPolicy
from desktop.policy.workflows import initial_steps
from desktop.services import audit
from desktop.services.demo import DELIBERATE_VIOLATIONS, generate_demo
from desktop.storage.database import Database, open_database
from tests.factories import Cast

AS_OF = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # Wednesday 09:00 in Regina
OPEN = (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED)
NOT_EMPTY = "This database already has data; demo data goes into an empty database"


def _demo(db: Database, as_of: datetime = AS_OF) -> str:
    return generate_demo(db, size="small", as_of=as_of)


def _count(s: Session, model: type[Base], *where: Any) -> int:
    return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _dump(db: Database) -> dict[str, list[Any]]:
    """Every row of every table, in primary-key order, read back through the typed columns."""
    with db.read() as s:
        return {
            t.name: [tuple(r) for r in s.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def sqlite_demo(
    _sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """One small demo on a SQLite file for the read-only tests of this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(_sqlite_template, path)
    db = open_database(path)
    _demo(db)
    yield db
    db.dispose()


# -- what the demo holds -------------------------------------------------------------------


def test_small_demo_fills_every_part_of_the_register(db: Database) -> None:
    messages: list[str] = []
    summary = generate_demo(db, size="small", as_of=AS_OF, progress=messages.append)
    assert summary.startswith("Demo data (small) as of 2026-11-18 15:00 UTC: 13 ministries, ")
    assert "2,000 comments" in summary
    assert any("comments" in m for m in messages)
    with db.read() as s:
        ministries = {m.code: m for m in s.scalars(select(Ministry))}
        assert 10 <= len(ministries) <= 15
        assert {"EXC", "HEA", "ENV", "HWY", "CPS", "SPC", "STC", "SGI"} <= set(ministries)
        assert ministries["EXC"].kind == "central"
        contacts = s.scalars(select(KeyContact)).all()
        assert {c.ministry_id for c in contacts} == {m.id for m in ministries.values()}
        assert any(c.phone.startswith("306-787-") and c.email for c in contacts)
        assert any("saskatchewan.ca" in c.web_links for c in contacts)

        people = s.scalars(select(Person)).all()
        assert 70 <= len(people) <= 95
        assert set(s.scalars(select(PersonRole.role))) == set(AppRole)
        admin = next(p for p in people if p.login == "admin")
        assert AppRole.ADMIN in admin.roles
        assert len(_people_with(people, AppRole.DCI_DIRECTOR)) == 1
        agencies = {p.agency_name for p in people if p.kind == PersonKind.AGENCY}
        assert len(agencies) == 3
        directed = {p.ministry_id for p in _people_with(people, AppRole.COMMS_DIRECTOR)}
        assert directed == {m.id for m in ministries.values()}

        accounts = s.scalars(select(Account)).all()
        assert 55 <= len(accounts) <= 70
        wanted = {Platform.FACEBOOK, Platform.X, Platform.INSTAGRAM, Platform.YOUTUBE}
        assert wanted | {Platform.LINKEDIN, Platform.WECHAT} <= {a.platform for a in accounts}
        central = {(a.platform, a.handle, a.ministry_id) for a in accounts if a.is_central}
        exc = ministries["EXC"].id
        assert central == {(Platform.FACEBOOK, "SKGov", exc), (Platform.X, "SKGov", exc)}
        (wechat,) = [a for a in accounts if a.platform == Platform.WECHAT]
        assert wechat.is_international
        assert "Mandarin" in wechat.language
        assert wechat.cultural_notes
        assert {AccountStatus.ACTIVE, AccountStatus.PROPOSED, AccountStatus.SUSPENDED} <= {
            a.status for a in accounts
        }

        assert _count(s, Comment) == 2000
        first, last = s.execute(
            select(func.min(Comment.received_at), func.max(Comment.received_at))
        ).one()
        assert AS_OF - timedelta(days=90) <= first
        assert last <= AS_OF

        report = audit.verify(s)
        assert report.ok, report.message
        assert report.events == _count(s, AuditEvent) > 500
        signers = set(
            s.scalars(select(AuditEvent.actor_login).where(AuditEvent.action == "approval.approve"))
        )
        assert signers
        assert "system" not in signers


def _people_with(people: list[Person], role: AppRole) -> list[Person]:
    return [p for p in people if role in p.roles]


def test_approvals_campaigns_and_records_at_every_stage(db: Database) -> None:
    _demo(db)
    today = AS_OF.date()
    with db.read() as s:
        approvals = s.scalars(select(Approval)).all()
        assert {a.state for a in approvals} == set(ApprovalState)
        assert {a.kind for a in approvals} == set(ApprovalKind)
        for a in approvals:
            # The steps are the workflow's, in its order (an escalation may follow).
            defined = [(x.stage, x.role) for x in initial_steps(a.kind)]
            assert [(x.stage, x.role) for x in a.steps][: len(defined)] == defined, a.title
            assert [x.position for x in a.steps] == list(range(len(a.steps)))
        escalated = [
            a
            for a in approvals
            if a.kind == ApprovalKind.ACCOUNT_TERMINATION and a.state == ApprovalState.SUBMITTED
        ]
        assert [(x.role, x.state) for x in escalated[0].steps] == [
            (AppRole.DCI_DIRECTOR, StepState.REJECTED),
            (AppRole.EXEC_COUNCIL, StepState.PENDING),
        ]

        campaigns = s.scalars(select(Campaign)).all()
        assert any(c.ends_on < today for c in campaigns)
        assert any(c.starts_on <= today <= c.ends_on for c in campaigns)
        assert any(c.starts_on > today for c in campaigns)
        grants = s.scalars(select(AccountRole).where(AccountRole.campaign_id.is_not(None))).all()
        assert grants
        assert all(g.role == PageRole.ADVERTISER for g in grants)

        assert {g.status for g in s.scalars(select(Goal))} >= {
            GoalStatus.FINAL,
            GoalStatus.IN_REVIEW,
            GoalStatus.DRAFT,
        }
        done = s.scalars(
            select(Evaluation).where(Evaluation.status == EvaluationStatus.COMPLETED)
        ).all()
        assert done
        assert all(e.recommendation is not None and e.summary for e in done)
        skgov = s.scalar(
            select(Account).where(Account.handle == "SKGov", Account.platform == "facebook")
        )
        assert skgov is not None
        months = _count(s, MetricSnapshot, MetricSnapshot.account_id == skgov.id)
        assert months == 18

        emergencies = s.scalars(select(Emergency)).all()
        ended = [e for e in emergencies if e.ended_at is not None and e.ended_at < AS_OF]
        (active,) = [e for e in emergencies if e.ended_at is None]
        assert ended
        assert active.declared_at > AS_OF - timedelta(days=3)
        assert active.on_call_ministry_id
        assert active.on_call_council_id
        assert {m.ministry_id for m in active.ministry_rows}
        assert active.account_rows
        assert _count(s, GroupUpdate, GroupUpdate.emergency_id == active.id) >= 2
        reasons = set(s.scalars(select(Closure.reason)))
        assert any("Boxing Day" in r for r in reasons)


def test_comment_log_follows_the_service_levels(db: Database) -> None:
    _demo(db)
    with db.read() as s:
        closures = set(s.scalars(select(Closure.day)))
        policy = SlaPolicy(BusinessCalendar(closures=closures))
        sample = s.scalars(select(Comment).order_by(Comment.id)).all()[::25]
        assert len(sample) == 80
        for c in sample:
            due = policy.due(c.received_at, emergency=c.emergency_id is not None)
            assert (c.clock_start_at, c.acknowledge_due_at, c.answer_due_at) == (
                due.clock_start,
                due.acknowledge_by,
                due.answer_by,
            ), c.text
        assert any(c.emergency_id is not None for c in sample)

        not_acknowledged = _count(
            s, Comment, Comment.status == CommentStatus.NEW, Comment.acknowledge_due_at < AS_OF
        )
        not_answered = _count(s, Comment, Comment.status.in_(OPEN), Comment.answer_due_at < AS_OF)
        assert 3 <= not_acknowledged <= 60
        assert 3 <= not_answered <= 60
        late = _count(s, Comment, Comment.answered_at > Comment.answer_due_at)
        on_time = _count(s, Comment, Comment.answered_at <= Comment.answer_due_at)
        assert late > 20
        assert on_time > 10 * late
        assert _count(s, Comment, Comment.answered_at > AS_OF) == 0
        methods = set(s.scalars(select(Response.method)))
        assert methods == set(ResponseMethod)
        closed = set(
            s.scalars(select(Comment.close_reason).where(Comment.status == CommentStatus.CLOSED))
        )
        assert {CloseReason.NO_RESPONSE_NEEDED, CloseReason.ANSWERED} <= closed
        texts = s.scalars(select(Comment.text)).all()
        assert any(re.search(r"\b306-\d{3}-\d{4}\b", t) for t in texts)
        assert any(re.search(r"[\w.]+@[\w.]+\.\w+", t) for t in texts)


def test_moderation_has_strikes_with_evidence_and_bans_in_every_state(db: Database) -> None:
    _demo(db)
    with db.read() as s:
        hidden = {
            c.id: c
            for c in s.scalars(select(Comment).where(Comment.status == CommentStatus.HIDDEN))
        }
        strikes = s.scalars(select(Strike)).all()
        assert hidden
        assert len(strikes) == len(hidden)
        for strike in strikes:
            comment = hidden[strike.comment_id]
            assert strike.evidence_text == comment.text
            assert strike.evidence_url == comment.url
            assert strike.category == comment.hidden_category
        per_commenter = Counter(x.commenter_id for x in strikes)
        assert set(per_commenter.values()) == {1, 2, 3, 4}
        bans = s.scalars(select(Ban)).all()
        assert {b.status for b in bans} >= {
            BanStatus.ACTIVE,
            BanStatus.PROPOSED,
            BanStatus.LIFTED,
            BanStatus.EXPIRED,
        }
        running = [
            b for b in bans if b.status == BanStatus.ACTIVE and b.ends_at and b.ends_at > AS_OF
        ]
        assert running
        assert all(per_commenter[b.commenter_id] >= 3 for b in bans)


# -- refusals ------------------------------------------------------------------------------


def test_refuses_a_database_that_already_has_data(db: Database) -> None:
    _demo(db)
    with db.read() as s:
        before = (_count(s, Comment), _count(s, AuditEvent))
    with pytest.raises(DomainError, match=NOT_EMPTY) as err:
        _demo(db, AS_OF + timedelta(days=1))
    assert "`smgov init` on an empty one" in err.value.message
    with db.read() as s:
        assert (_count(s, Comment), _count(s, AuditEvent)) == before


def test_refuses_a_database_with_people_but_no_accounts(cast: Cast) -> None:
    with pytest.raises(DomainError, match=NOT_EMPTY):
        _demo(cast.db)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": "huge", "as_of": AS_OF}, "no demo size 'huge'; choose small or large"),
        ({"as_of": datetime(2026, 11, 18, 9)}, "with its time zone"),
    ],
)
def test_refuses_an_unknown_size_or_a_time_without_zone(
    sqlite_db: Database, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        generate_demo(sqlite_db, **kwargs)
    with sqlite_db.read() as s:
        assert _count(s, Ministry) == 0


# -- reproducible, and the same on both databases ------------------------------------------


@pytest.fixture
def other_sqlite(_sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "other.sqlite3"
    shutil.copy(_sqlite_template, path)
    db = open_database(path)
    yield db
    db.dispose()


def test_same_as_of_gives_the_same_rows_and_another_as_of_does_not(
    sqlite_demo: Database, sqlite_db: Database, other_sqlite: Database
) -> None:
    _demo(sqlite_db)
    first = _dump(sqlite_demo)
    assert first == _dump(sqlite_db)
    assert len(first["comments"]) == 2000
    _demo(other_sqlite, AS_OF + timedelta(hours=1))
    assert _dump(other_sqlite)["comments"] != first["comments"]


def test_sqlite_and_postgresql_hold_the_same_rows(sqlite_demo: Database, pg_db: Database) -> None:
    # SQLite binds the big tables pre-encoded, PostgreSQL through the typed columns.
    _demo(pg_db)
    assert _dump(pg_db) == _dump(sqlite_demo)


# -- the deliberate violations -------------------------------------------------------------


def _account(s: Session, label: str) -> Account:
    platform_label, handle = label.split(" @")
    platform = next(p for p in Platform if p.label == platform_label)
    account = s.scalar(
        select(Account).where(Account.platform == platform, Account.handle == handle)
    )
    assert account is not None, label
    return account


def _active(s: Session) -> list[Account]:
    return list(s.scalars(select(Account).where(Account.status == AccountStatus.ACTIVE)))


def _only(label: str, offenders: list[str]) -> None:
    """The named record offends, and nothing else does (but the second case the list notes)."""
    assert label in offenders
    assert set(offenders) <= {label} | _ALSO.get(label, set()), offenders


# The two codes whose DELIBERATE_VIOLATIONS entry notes a second offending record.
_ALSO = {
    "Facebook @SaskEducation": {"Facebook @SaskJustice"},
    "YouTube @SaskJustice": {"LinkedIn @sask-energy-resources"},
}


def _v_email_domain(s: Session, label: str) -> None:
    bad = [
        a.label for a in _active(s) if not email_domain_allowed(a.government_email, DEFAULT_DOMAINS)
    ]
    _only(label, bad)


def _v_personal_email(s: Session, label: str) -> None:
    holders = s.scalars(
        select(Person)
        .join(AccountRole, AccountRole.person_id == Person.id)
        .where(AccountRole.revoked_at.is_(None))
    ).unique()
    bad = [
        p.name
        for p in holders
        if p.kind != PersonKind.AGENCY and not email_domain_allowed(p.email, DEFAULT_DOMAINS)
    ]
    _only(label, bad)


def _v_no_owner(s: Session, label: str) -> None:
    _only(label, [a.label for a in _active(s) if a.owner_id is None])


def _v_not_approved(s: Session, label: str) -> None:
    approved = set(
        s.scalars(
            select(Approval.account_id).where(
                Approval.kind == ApprovalKind.NEW_ACCOUNT, Approval.state == ApprovalState.APPROVED
            )
        )
    )
    _only(label, [a.label for a in _active(s) if a.id not in approved])


def _v_password(s: Session, label: str) -> None:
    stale = AS_OF - timedelta(days=90)
    _only(
        label,
        [
            a.label
            for a in _active(s)
            if a.password_changed_at is None or a.password_changed_at < stale
        ],
    )


def _v_posting_tool(s: Session, label: str) -> None:
    x = [a for a in _active(s) if a.platform == Platform.X]
    _only(label, [a.label for a in x if a.posting_tool != PostingTool.TWEETDECK])


def _v_facebook_admins(s: Session, label: str) -> None:
    people = {p.id: p for p in s.scalars(select(Person))}
    dci = {p.id for p in people.values() if AppRole.DCI_DIRECTOR in p.roles}
    bad, extra = [], set()
    for a in _active(s):
        if a.platform != Platform.FACEBOOK:
            continue
        comms = {
            p.id
            for p in people.values()
            if AppRole.COMMS_DIRECTOR in p.roles and p.ministry_id == a.ministry_id
        }
        admins = set(
            s.scalars(
                select(AccountRole.person_id).where(
                    AccountRole.account_id == a.id,
                    AccountRole.revoked_at.is_(None),
                    AccountRole.role == PageRole.ADMIN,
                )
            )
        )
        if admins != comms | dci:
            bad.append(a.label)
        if a.label == label:
            extra = admins - comms - dci
    _only(label, bad)
    assert extra
    assert all(AppRole.OFFICER in people[p].roles for p in extra)


def _grants(s: Session) -> list[tuple[str, AccountRole, Campaign]]:
    rows = s.execute(
        select(Person.name, AccountRole, Campaign)
        .join(AccountRole, AccountRole.person_id == Person.id)
        .join(Campaign, Campaign.id == AccountRole.campaign_id)
    ).all()
    return [
        (f"{name} on {s.get(Account, role.account_id).label}", role, c) for name, role, c in rows
    ]


def _v_no_business_id(s: Session, label: str) -> None:
    _only(
        label, [g for g, role, _c in _grants(s) if role.revoked_at is None and not role.business_id]
    )


def _v_not_revoked(s: Session, label: str) -> None:
    late = []
    for g, role, c in _grants(s):
        deadline = c.ends_on + timedelta(days=14)
        if deadline < AS_OF.date() and (
            role.revoked_at is None or role.revoked_at.date() > deadline
        ):
            late.append(g)
    _only(label, late)


def _v_content(s: Session, label: str) -> None:
    today = AS_OF.date()
    running = s.scalars(
        select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
    )
    approved = set(
        s.scalars(select(Approval.campaign_id).where(Approval.state == ApprovalState.APPROVED))
    )
    _only(label, [c.name for c in running if c.id not in approved])


def _goal_states(s: Session) -> dict[str, list[Goal]]:
    goals: dict[str, list[Goal]] = {a.label: [] for a in _active(s)}
    for g in s.scalars(select(Goal)):
        account = s.get(Account, g.account_id)
        if account is not None and account.label in goals:
            goals[account.label].append(g)
    return goals


def _v_goals_missing(s: Session, label: str) -> None:
    _only(label, [a for a, goals in _goal_states(s).items() if not goals])


def _v_goals_expired(s: Session, label: str) -> None:
    today = AS_OF.date()
    expired = [
        a
        for a, goals in _goal_states(s).items()
        if goals and all(g.status == GoalStatus.FINAL and g.period_end < today for g in goals)
    ]
    _only(label, expired)


def _v_goals_not_final(s: Session, label: str) -> None:
    _only(
        label,
        [
            a
            for a, goals in _goal_states(s).items()
            if goals and all(g.status != GoalStatus.FINAL for g in goals)
        ],
    )


def _v_evaluation(s: Session, label: str) -> None:
    overdue = []
    for a in _active(s):
        last = s.scalar(
            select(func.max(Evaluation.completed_at)).where(
                Evaluation.account_id == a.id, Evaluation.status == EvaluationStatus.COMPLETED
            )
        )
        base = last or a.activated_at
        if base is not None and add_months(base.date(), 6) < AS_OF.date():
            overdue.append(a.label)
    _only(label, overdue)


def _v_no_engagement(s: Session, label: str) -> None:
    since = add_months(AS_OF.date(), -12)
    dead = []
    for a in _active(s):
        if a.activated_at is None or a.activated_at.date() > since:
            continue
        total = s.scalar(
            select(
                func.sum(
                    MetricSnapshot.responses_positive
                    + MetricSnapshot.responses_negative
                    + MetricSnapshot.shares
                    + MetricSnapshot.comments
                    + MetricSnapshot.time_on_page_seconds
                )
            ).where(MetricSnapshot.account_id == a.id, MetricSnapshot.period_start >= since)
        )
        if not total:
            dead.append(a.label)
    _only(label, dead)


def _late_comment_accounts(s: Session, *where: Any) -> list[str]:
    ids = s.scalars(select(Comment.account_id).where(Comment.status.in_(OPEN), *where))
    return [s.get(Account, i).label for i in ids]


def _v_ack(s: Session, label: str) -> None:
    new = Comment.status == CommentStatus.NEW
    assert label in _late_comment_accounts(s, new, Comment.acknowledge_due_at < AS_OF)


def _v_answer(s: Session, label: str) -> None:
    assert label in _late_comment_accounts(s, Comment.answer_due_at < AS_OF)


def _v_unassigned(s: Session, label: str) -> None:
    stale = Comment.received_at < AS_OF - timedelta(hours=4)
    assert label in _late_comment_accounts(s, Comment.assignee_id.is_(None), stale)


def _v_strikes(s: Session, label: str) -> None:
    counts = Counter(s.scalars(select(Strike.commenter_id)))
    banned = set(s.scalars(select(Ban.commenter_id)))
    bad = [
        f"{c.platform.label} @{c.handle}"
        for c in s.scalars(select(Commenter))
        if counts[c.id] >= 3 and c.id not in banned
    ]
    _only(label, bad)


def _v_ban(s: Session, label: str) -> None:
    expired = s.scalars(select(Ban).where(Ban.status == BanStatus.ACTIVE, Ban.ends_at <= AS_OF))
    names = []
    for b in expired:
        c = s.get(Commenter, b.commenter_id)
        assert c is not None
        names.append(f"{c.platform.label} @{c.handle}")
    _only(label, names)


def _v_stalled(s: Session, label: str) -> None:
    stalled = []
    for a in s.scalars(select(Approval).where(Approval.state == ApprovalState.SUBMITTED)):
        touched = max([a.submitted_at, *(x.decided_at for x in a.steps if x.decided_at)])
        if touched < AS_OF - timedelta(days=10):
            stalled.append(a.title)
    _only(label, stalled)


_VIOLATIONS: dict[str, Callable[[Session, str], None]] = {
    "ACCOUNT_EMAIL_DOMAIN": _v_email_domain,
    "PERSONAL_EMAIL_ON_ACCOUNT": _v_personal_email,
    "ACCOUNT_NO_OWNER": _v_no_owner,
    "ACCOUNT_NOT_APPROVED": _v_not_approved,
    "PASSWORD_ROTATION_OVERDUE": _v_password,
    "X_POSTING_TOOL": _v_posting_tool,
    "FACEBOOK_ADMINS": _v_facebook_admins,
    "THIRD_PARTY_NO_BUSINESS_ID": _v_no_business_id,
    "THIRD_PARTY_ACCESS_NOT_REVOKED": _v_not_revoked,
    "CONTENT_NOT_APPROVED": _v_content,
    "GOALS_MISSING": _v_goals_missing,
    "GOALS_EXPIRED": _v_goals_expired,
    "GOALS_NOT_FINAL": _v_goals_not_final,
    "EVALUATION_OVERDUE": _v_evaluation,
    "NO_ENGAGEMENT_12_MONTHS": _v_no_engagement,
    "COMMENT_ACK_OVERDUE": _v_ack,
    "COMMENT_ANSWER_OVERDUE": _v_answer,
    "COMMENT_UNASSIGNED": _v_unassigned,
    "STRIKE_THRESHOLD_REACHED": _v_strikes,
    "BAN_EXPIRED_NOT_LIFTED": _v_ban,
    "APPROVAL_STALLED": _v_stalled,
}


def test_every_check_of_the_policy_engine_has_a_deliberate_violation() -> None:
    assert set(DELIBERATE_VIOLATIONS) == set(_VIOLATIONS)


@pytest.mark.parametrize("code", sorted(_VIOLATIONS))
def test_deliberate_violation_is_in_the_data_and_alone(sqlite_demo: Database, code: str) -> None:
    with sqlite_demo.read() as s:
        _VIOLATIONS[code](s, DELIBERATE_VIOLATIONS[code])
