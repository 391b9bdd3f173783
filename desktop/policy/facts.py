"""What the compliance checks read: plain, frozen facts gathered from the database in SQL.

Defined here, not in the services, so the checks stay pure; ``desktop.services.compliance_facts``
fills them. Ids are strings; every instant is aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop.enums import (
    AccountStatus,
    AppRole,
    ApprovalKind,
    ApprovalState,
    EmergencyKind,
    GoalStatus,
    PageRole,
    PersonKind,
    Platform,
    PostingTool,
)
from desktop.policy.engagement import MetricTotals
from desktop.policy.moderation import BanRecord, StrikeRecord

# Accounts that exist or are about to: configuration rules apply to them.
OPEN_STATUSES = frozenset(
    {AccountStatus.PROPOSED, AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.SUSPENDED}
)
# Accounts that exist on the platform: security and approval rules apply to them.
LIVE_STATUSES = frozenset({AccountStatus.ACTIVE, AccountStatus.SUSPENDED})


@dataclass(frozen=True)
class Subject:
    """The record a finding concerns, as the GUI links to it."""

    type: str
    id: str
    label: str


def account_label(platform: Platform, handle: str) -> str:
    """'Facebook @SKGov': how accounts and commenters are named everywhere."""
    return f"{platform.label} @{handle}"


@dataclass(frozen=True)
class GoalGroup:
    """Goals of one account that share a status and a period."""

    status: GoalStatus
    period_start: date
    period_end: date  # inclusive
    count: int = 1


@dataclass(frozen=True)
class AccountFacts:
    id: str
    platform: Platform
    handle: str
    ministry_id: str
    status: AccountStatus = AccountStatus.ACTIVE
    ministry_name: str = ""
    government_email: str = ""
    owner_id: str | None = None
    owner_name: str = ""
    owner_active: bool = True
    posting_tool: PostingTool = PostingTool.NATIVE
    password_changed_at: datetime | None = None
    activated_at: datetime | None = None
    is_international: bool = False
    language: str = ""
    has_cultural_notes: bool = True
    is_central: bool = False
    new_account_approved: bool = False
    termination_approved: bool = False
    status_changed_at: datetime | None = None
    unreviewed_final_goals: int = 0  # final goals without an approved annual-goals review
    goals: tuple[GoalGroup, ...] = ()
    last_evaluated_at: datetime | None = None  # the latest completed evaluation
    # Summed over the engagement window that ends at the checks' as_of; None: no snapshot in it.
    engagement: MetricTotals | None = None

    @property
    def label(self) -> str:
        return account_label(self.platform, self.handle)

    @property
    def subject(self) -> Subject:
        return Subject("account", self.id, self.label)


@dataclass(frozen=True)
class GrantFacts:
    """A role a person holds on an account and that has not been revoked."""

    id: str
    account_id: str
    platform: Platform
    handle: str
    person_id: str
    person_name: str
    person_kind: PersonKind
    person_email: str
    role: PageRole
    granted_at: datetime
    agency_name: str = ""
    business_id: str = ""
    campaign_id: str | None = None
    campaign_name: str = ""
    campaign_ends_on: date | None = None
    expires_on: date | None = None

    @property
    def account_label(self) -> str:
        return account_label(self.platform, self.handle)

    @property
    def subject(self) -> Subject:
        return Subject("account_role", self.id, f"{self.person_name} on {self.account_label}")


@dataclass(frozen=True)
class DirectorFacts:
    """An active person holding one of the roles Facebook pages must have as Admins."""

    person_id: str
    name: str
    role: AppRole  # COMMS_DIRECTOR (of their ministry) or DCI_DIRECTOR (government-wide)
    ministry_id: str | None = None


@dataclass(frozen=True)
class CampaignFacts:
    """A campaign that has not ended before the checks' day, with its content approvals."""

    id: str
    name: str
    ministry_id: str
    starts_on: date
    ends_on: date  # inclusive
    agency_name: str = ""
    content_states: tuple[ApprovalState, ...] = ()

    @property
    def subject(self) -> Subject:
        return Subject("campaign", self.id, self.name)


@dataclass(frozen=True)
class PendingApprovalFacts:
    """A submitted request and the roles whose signature it waits for."""

    id: str
    title: str
    kind: ApprovalKind
    submitted_at: datetime  # the latest submission (a resubmission restarts the clock)
    last_decision_at: datetime | None = None
    waiting_on: tuple[AppRole, ...] = ()
    resubmitted: bool = False  # sent back after changes: submitted_at is the resubmission

    @property
    def subject(self) -> Subject:
        return Subject("approval", self.id, self.title)


@dataclass(frozen=True)
class CommentBacklog:
    """Per account: comments past their due times and open comments nobody was assigned.

    Counted in SQL at the checks' as_of (the comment log holds millions of rows).
    """

    account_id: str
    platform: Platform
    handle: str
    ack_overdue: int = 0  # new, not acknowledged by acknowledge_due_at
    ack_oldest_due: datetime | None = None
    answer_overdue: int = 0  # new or acknowledged, not answered by answer_due_at
    answer_oldest_due: datetime | None = None
    unassigned: int = 0  # open, no assignee, clock started more than the setting's hours ago
    unassigned_oldest: datetime | None = None
    overdue: int = 0  # distinct comments past either due time

    @property
    def subject(self) -> Subject:
        return Subject("account", self.account_id, account_label(self.platform, self.handle))


@dataclass(frozen=True)
class CommenterFacts:
    """A commenter who has at least the threshold of strikes in the window on one platform."""

    id: str
    platform: Platform
    handle: str
    display_name: str = ""
    strikes: tuple[StrikeRecord, ...] = ()  # those in the window
    bans: tuple[BanRecord, ...] = ()  # all of them, on this platform

    @property
    def subject(self) -> Subject:
        return Subject("commenter", self.id, account_label(self.platform, self.handle))


@dataclass(frozen=True)
class BanFacts:
    """A ban in status active."""

    id: str
    commenter_id: str
    commenter_handle: str
    platform: Platform
    ban: BanRecord

    @property
    def subject(self) -> Subject:
        # Named by whom it bans, as the moderation tab lists commenters.
        return Subject("ban", self.id, account_label(self.platform, self.commenter_handle))


@dataclass(frozen=True)
class EmergencyFacts:
    """An emergency declared at or before the checks' as_of and not ended by then."""

    id: str
    title: str
    kind: EmergencyKind
    declared_at: datetime
    ended_at: datetime | None = None
    on_call_ministry: str = ""  # the person's name; empty when nobody is named
    on_call_council: str = ""

    @property
    def subject(self) -> Subject:
        return Subject("emergency", self.id, self.title)


@dataclass(frozen=True)
class ComplianceFacts:
    """Everything the checks read, as of one instant."""

    accounts: tuple[AccountFacts, ...] = ()  # every account, whatever its status
    grants: tuple[GrantFacts, ...] = ()
    directors: tuple[DirectorFacts, ...] = ()
    campaigns: tuple[CampaignFacts, ...] = ()
    pending_approvals: tuple[PendingApprovalFacts, ...] = ()
    comment_backlogs: tuple[CommentBacklog, ...] = ()
    repeat_commenters: tuple[CommenterFacts, ...] = ()
    active_bans: tuple[BanFacts, ...] = ()
    emergencies: tuple[EmergencyFacts, ...] = ()
