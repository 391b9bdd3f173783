"""The account inventory as the Accounts tab reads it: one row per account (owner, password age,
next evaluation, goals), filtered in SQL, and everything the detail panel shows for one account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from desktop.enums import AccountStatus, Platform, PostingTool
from desktop.errors import NotFound
from desktop.models import Account, Goal, Ministry, Person
from desktop.policy.engagement import engagement_actions
from desktop.policy.facts import LIVE_STATUSES
from desktop.policy.periods import add_months, password_due
from desktop.policy.settings import email_domain_allowed
from desktop.services.accounts import AccountInput
from desktop.services.approval_tracker import ApprovalTracker, StepRow, TrackerRow
from desktop.services.audit_service import AuditRow, AuditService
from desktop.services.choices import Choice, ChoiceService
from desktop.services.context import ServiceContext, load_settings
from desktop.services.evaluations import EvaluationService, ScheduleStatus
from desktop.services.goals import GoalService
from desktop.services.metrics import MetricsService, MonthMetrics, month_start, require_reader
from desktop.services.roles import RoleRow, RoleService

# A password shows "change soon" this many days before the rotation setting says it is overdue
# (75 days with the policy's quarterly, 90-day default).
PASSWORD_WARNING_DAYS = 15
SPARKLINE_MONTHS = 12
HISTORY_LIMIT = 100


class PasswordLevel(StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"  # past the rotation setting, or never recorded on a live account
    NOT_APPLICABLE = "not_applicable"  # proposed, approved or closed: no password to rotate


def password_level(
    changed_at: datetime | None, as_of: datetime, rotation_days: int, *, live: bool
) -> PasswordLevel:
    """The rotation check's verdict (PASSWORD_ROTATION_OVERDUE) plus a warning band before it."""
    if not live:
        return PasswordLevel.NOT_APPLICABLE
    if changed_at is None:
        return PasswordLevel.OVERDUE
    due = password_due(changed_at, rotation_days)  # the instant the check uses
    if as_of > due:
        return PasswordLevel.OVERDUE
    if as_of > due - timedelta(days=min(PASSWORD_WARNING_DAYS, rotation_days)):
        return PasswordLevel.DUE_SOON
    return PasswordLevel.OK


@dataclass(frozen=True)
class AccountFilters:
    """What the tab's filter bar narrows the list to; ``search`` matches handle, names, e-mail."""

    ministry_id: uuid.UUID | None = None
    platform: Platform | None = None
    status: AccountStatus | None = None
    search: str = ""


@dataclass(frozen=True)
class AccountRow:
    """One account as the table shows it, with every field the edit dialog needs."""

    id: uuid.UUID
    version: int
    platform: Platform
    handle: str
    display_name: str
    url: str
    purpose: str
    ministry_id: uuid.UUID
    ministry_code: str
    ministry_name: str
    status: AccountStatus
    status_reason: str
    government_email: str
    email_allowed: bool  # on an allowed government domain (ACCOUNT_EMAIL_DOMAIN)
    owner_id: uuid.UUID | None
    owner_name: str | None
    owner_active: bool
    posting_tool: PostingTool
    is_international: bool
    language: str
    cultural_notes: str
    is_central: bool
    password_changed_at: datetime | None
    password_age_days: int | None
    password_level: PasswordLevel
    rotation_days: int
    next_evaluation: date | None  # active accounts only
    evaluation_status: ScheduleStatus | None
    goals_status: str

    @property
    def label(self) -> str:
        return f"{self.platform.label} @{self.handle}"

    @property
    def password_due_at(self) -> datetime | None:
        """When the next password change is due: the instant PASSWORD_ROTATION_OVERDUE uses."""
        if self.password_changed_at is None:
            return None
        return password_due(self.password_changed_at, self.rotation_days)

    def to_input(self) -> AccountInput:
        """The account as the edit dialog starts from."""
        return AccountInput(
            platform=self.platform,
            handle=self.handle,
            ministry_id=self.ministry_id,
            government_email=self.government_email,
            owner_id=self.owner_id,
            display_name=self.display_name,
            url=self.url,
            purpose=self.purpose,
            posting_tool=self.posting_tool,
            is_international=self.is_international,
            language=self.language,
            cultural_notes=self.cultural_notes,
            is_central=self.is_central,
        )


@dataclass(frozen=True)
class AccountChoices:
    """What the account dialog's combo boxes offer."""

    ministries: list[Choice]
    owners: list[Choice]  # active people


@dataclass(frozen=True)
class AccountApproval:
    """One approval request about the account, with its steps."""

    tracker: TrackerRow
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class AccountDetail:
    """Everything the detail panel shows for one account."""

    row: AccountRow
    goals: list[Goal]
    roles: list[RoleRow]
    approvals: list[AccountApproval]
    months: list[MonthMetrics]  # the last SPARKLINE_MONTHS months, oldest first
    history: list[AuditRow]

    @property
    def engagement(self) -> list[int]:
        """Engagement actions per month, for the sparkline."""
        return [engagement_actions(m.totals) for m in self.months]


class AccountListService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def rows(self, as_of: datetime, filters: AccountFilters | None = None) -> list[AccountRow]:
        """The accounts matching ``filters``, by platform and handle."""
        return self._rows(as_of, filters or AccountFilters(), None)

    def row(self, account_id: uuid.UUID, as_of: datetime) -> AccountRow:
        found = self._rows(as_of, AccountFilters(), account_id)
        if not found:
            raise NotFound(f"Account {account_id} does not exist (it may have been removed).")
        return found[0]

    def choices(self) -> AccountChoices:
        choices = ChoiceService(self.ctx)
        return AccountChoices(choices.ministries(), choices.people())

    def detail(self, account_id: uuid.UUID, as_of: datetime) -> AccountDetail:
        """The account's goals, roles, approvals, last months of engagement and history."""
        row = self.row(account_id, as_of)
        today = self._today(as_of)
        approval_tracker = ApprovalTracker(self.ctx)
        approvals = [
            AccountApproval(t, approval_tracker.detail(t.id).steps)
            for t in reversed(approval_tracker.tracker(as_of, include_closed=True))
            if t.account_id == account_id
        ]
        last = month_start(today)
        return AccountDetail(
            row=row,
            goals=GoalService(self.ctx).for_account(account_id),
            roles=RoleService(self.ctx).active_roles(account_id=account_id),
            approvals=approvals,
            months=MetricsService(self.ctx).series(
                account_id, add_months(last, -(SPARKLINE_MONTHS - 1)), last
            ),
            history=AuditService(self.ctx).recent(HISTORY_LIMIT, entity_id=account_id),
        )

    # -- helpers -------------------------------------------------------------------------

    def _today(self, as_of: datetime) -> date:
        return as_of.astimezone(ZoneInfo(self.ctx.settings().timezone)).date()

    def _rows(
        self, as_of: datetime, filters: AccountFilters, account_id: uuid.UUID | None
    ) -> list[AccountRow]:
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            settings = load_settings(session)
            stmt = _filtered(_base_query(), filters)
            if account_id is not None:
                stmt = stmt.where(Account.id == account_id)
            found = session.execute(stmt).all()
        today = as_of.astimezone(ZoneInfo(settings.timezone)).date()
        if not found:
            return []
        schedule = {s.account_id: s for s in EvaluationService(self.ctx).schedule(today)}
        goals = GoalService(self.ctx).goal_status(today)
        rotation = settings.password_rotation_days
        rows = []
        for r in found:
            account: Account = r.Account
            due = schedule.get(account.id)
            changed = account.password_changed_at
            rows.append(
                AccountRow(
                    id=account.id,
                    version=account.version,
                    platform=account.platform,
                    handle=account.handle,
                    display_name=account.display_name,
                    url=account.url,
                    purpose=account.purpose,
                    ministry_id=account.ministry_id,
                    ministry_code=r.ministry_code,
                    ministry_name=r.ministry_name,
                    status=account.status,
                    status_reason=account.status_reason,
                    government_email=account.government_email,
                    email_allowed=email_domain_allowed(
                        account.government_email, settings.allowed_email_domains
                    ),
                    owner_id=account.owner_id,
                    owner_name=r.owner_name,
                    owner_active=bool(r.owner_active),
                    posting_tool=account.posting_tool,
                    is_international=account.is_international,
                    language=account.language,
                    cultural_notes=account.cultural_notes,
                    is_central=account.is_central,
                    password_changed_at=changed,
                    password_age_days=(as_of - changed).days if changed else None,
                    password_level=password_level(
                        changed, as_of, rotation, live=account.status in LIVE_STATUSES
                    ),
                    rotation_days=rotation,
                    next_evaluation=due.next_due if due else None,
                    evaluation_status=due.status if due else None,
                    goals_status=goals.get(account.id, "none"),
                )
            )
        return rows


# The accountable owner, joined to the account (people are joined for other reasons elsewhere).
_OWNER = aliased(Person, name="owner")
_Query = Select[Account, str, str, str, bool]  # owner columns are NULL without an owner


def _base_query() -> _Query:
    owner = _OWNER
    return (
        select(
            Account,
            Ministry.code.label("ministry_code"),
            Ministry.name.label("ministry_name"),
            owner.name.label("owner_name"),
            owner.active.label("owner_active"),
        )
        .join(Ministry, Ministry.id == Account.ministry_id)
        .outerjoin(owner, owner.id == Account.owner_id)
        .order_by(Account.platform, func.lower(Account.handle))
    )


def _filtered(stmt: _Query, filters: AccountFilters) -> _Query:
    if filters.ministry_id is not None:
        stmt = stmt.where(Account.ministry_id == filters.ministry_id)
    if filters.platform is not None:
        stmt = stmt.where(Account.platform == filters.platform)
    if filters.status is not None:
        stmt = stmt.where(Account.status == filters.status)
    needle = filters.search.strip().lstrip("@").lower()
    if needle:
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Account.handle,
                        Account.display_name,
                        Account.government_email,
                        Ministry.code,
                        Ministry.name,
                        _OWNER.name,
                    )
                )
            )
        )
    return stmt
