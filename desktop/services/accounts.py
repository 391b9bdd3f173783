"""Use cases of the account inventory: propose, create, activate, edit, retire, rotate passwords."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from desktop.enums import AccountStatus, ApprovalKind, Platform, PostingTool
from desktop.errors import ConflictError, DomainError
from desktop.models import Account, Ministry, Person
from desktop.models.base import new_id
from desktop.policy.international import defaults_to_international
from desktop.services import validation as v
from desktop.services.approvals_flow.gates import has_approved
from desktop.services.authz import Permission
from desktop.services.context import ServiceContext, Work
from desktop.services.serialize import diff, snapshot

# Which status may follow which (DESIGN §3 lifecycle).
TRANSITIONS: dict[AccountStatus, frozenset[AccountStatus]] = {
    AccountStatus.PROPOSED: frozenset({AccountStatus.APPROVED, AccountStatus.SHUT_DOWN}),
    AccountStatus.APPROVED: frozenset({AccountStatus.ACTIVE, AccountStatus.SHUT_DOWN}),
    AccountStatus.ACTIVE: frozenset(
        {AccountStatus.SUSPENDED, AccountStatus.SHUT_DOWN, AccountStatus.TERMINATED}
    ),
    AccountStatus.SUSPENDED: frozenset(
        {AccountStatus.ACTIVE, AccountStatus.SHUT_DOWN, AccountStatus.TERMINATED}
    ),
    AccountStatus.SHUT_DOWN: frozenset(),
    AccountStatus.TERMINATED: frozenset(),
}

# Registered directly: accounts that already exist on the platform.
REGISTRABLE = frozenset({AccountStatus.ACTIVE, AccountStatus.SUSPENDED})
# Statuses that only a completed approval workflow sets, and what to do instead.
_NEEDS_APPROVAL = {
    AccountStatus.APPROVED: (
        "An account becomes approved only when its new-account request is approved "
        "(DSO alignment, then senior Executive Council): raise it in the Approvals tab."
    ),
    AccountStatus.TERMINATED: (
        "An account is terminated only by an approved termination request (the Director, "
        "Digital Channels and Insights decides; Executive Council has the final say on "
        "disagreement): raise it in the Approvals tab, or shut the channel down with a reason."
    ),
}


@dataclass
class AccountInput:
    """What a person types in the account dialog."""

    platform: Platform | str
    handle: str
    ministry_id: uuid.UUID
    government_email: str
    owner_id: uuid.UUID | None = None
    display_name: str = ""
    url: str = ""
    purpose: str = ""
    posting_tool: PostingTool | str = PostingTool.NATIVE
    # None: decided by the platform and language (WeChat, or not English/French: international).
    is_international: bool | None = None
    language: str = ""
    cultural_notes: str = ""
    is_central: bool = False
    extra: dict[str, str] = field(default_factory=dict)


class AccountService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def propose(self, data: AccountInput) -> Account:
        """A new account in status *proposed*; it needs an approved business case to go live."""
        with self.ctx.write() as work:
            work.require(Permission.PROPOSE_ACCOUNT)
            account = Account(id=new_id(), status=AccountStatus.PROPOSED, status_changed_at=work.at)
            self._apply(work, account, data)
            work.session.add(account)
            work.audit("account.propose", "account", account.id, after=snapshot(account))
            return account

    def create(
        self, data: AccountInput, *, status: AccountStatus = AccountStatus.ACTIVE
    ) -> Account:
        """DSO registers an account that already exists on the platform (active or suspended).

        An account the branch wants to open is proposed instead: it becomes approved only
        through its new-account request. A registered account without an approved request is
        flagged (ACCOUNT_NOT_APPROVED) until a new-account request for it is approved.
        """
        if status not in REGISTRABLE:
            raise DomainError(
                "Only an account that already exists on the platform is registered directly "
                "(active or suspended). A new account is proposed and becomes approved through "
                "its new-account request; it is terminated through a termination request.",
                "status",
            )
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_ACCOUNTS)
            account = Account(id=new_id(), status=status, status_changed_at=work.at)
            if status == AccountStatus.ACTIVE:
                account.activated_at = work.at
            self._apply(work, account, data)
            work.session.add(account)
            work.audit("account.create", "account", account.id, after=snapshot(account))
            return account

    def edit(
        self, account_id: uuid.UUID, data: AccountInput, *, version: int | None = None
    ) -> Account:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.EDIT_ACCOUNT, ministry_id=account.ministry_id)
            _check_version(account, version)
            if data.ministry_id != account.ministry_id:
                work.require(Permission.EDIT_ACCOUNT, ministry_id=data.ministry_id)
            before = snapshot(account)
            self._apply(work, account, data)
            old, new = diff(before, snapshot(account))
            work.audit("account.edit", "account", account.id, old, new)
            return account

    def set_status(
        self,
        account_id: uuid.UUID,
        status: AccountStatus | str,
        reason: str = "",
        *,
        version: int | None = None,
    ) -> Account:
        """Move an account along the part of its lifecycle that needs no approval: activate an
        approved account, suspend and resume it, or shut it down (the Government may shut any
        channel down without notice, for a reason). Approved and terminated follow only from
        the approval tracker (``ApprovalService``)."""
        target = v.choice(status, AccountStatus, "Status", field="status")
        refusal = _NEEDS_APPROVAL.get(target)
        if refusal:
            raise DomainError(refusal, "status")
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            _check_version(account, version)
            if target in (AccountStatus.SUSPENDED,):
                work.require(Permission.EDIT_ACCOUNT, ministry_id=account.ministry_id)
            else:
                work.require(Permission.MANAGE_ACCOUNTS)
            if target == AccountStatus.SHUT_DOWN and not reason.strip():
                raise DomainError("Give the reason the account is shut down.", "reason")
            if (
                target == AccountStatus.ACTIVE
                and account.status == AccountStatus.APPROVED
                and not has_approved(work.session, ApprovalKind.NEW_ACCOUNT, account.id)
            ):
                raise DomainError(
                    f"{account.label} has no approved new-account request (DSO alignment, then "
                    "senior Executive Council); it goes live only once that is approved.",
                    "status",
                )
            self._transition(work, account, target, reason)
            return account

    def activate(self, account_id: uuid.UUID, *, version: int | None = None) -> Account:
        return self.set_status(account_id, AccountStatus.ACTIVE, "", version=version)

    def retire(self, account_id: uuid.UUID, reason: str, *, version: int | None = None) -> Account:
        """Shut an account down (GoS may shut down any channel, for any reason)."""
        return self.set_status(account_id, AccountStatus.SHUT_DOWN, reason, version=version)

    def record_password_change(
        self, account_id: uuid.UUID, changed_at: datetime | None = None
    ) -> Account:
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.EDIT_ACCOUNT, ministry_id=account.ministry_id)
            when = changed_at or work.at
            if when.tzinfo is None:
                raise DomainError("Give the time of the password change with its time zone.")
            if when > work.at:
                raise DomainError("The password change cannot be in the future.", "changed_at")
            before = account.password_changed_at
            account.password_changed_at = when
            work.audit(
                "account.password_changed",
                "account",
                account.id,
                {"password_changed_at": before.isoformat() if before else None},
                {"password_changed_at": when.isoformat()},
            )
            return account

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _transition(work: Work, account: Account, target: AccountStatus, reason: str) -> None:
        if target == account.status:
            raise DomainError(f"The account is already {target.value.replace('_', ' ')}.")
        if target not in TRANSITIONS[account.status]:
            allowed = ", ".join(s.value.replace("_", " ") for s in TRANSITIONS[account.status])
            raise DomainError(
                f"An account that is {account.status.value.replace('_', ' ')} cannot become "
                f"{target.value.replace('_', ' ')}"
                + (f"; it can become: {allowed}." if allowed else "; it is closed for good.")
            )
        before = {"status": account.status.value, "status_reason": account.status_reason}
        account.status = target
        account.status_changed_at = work.at
        account.status_reason = reason.strip()
        if target == AccountStatus.ACTIVE and account.activated_at is None:
            account.activated_at = work.at
        work.audit(
            f"account.{target.value}",
            "account",
            account.id,
            before,
            {"status": target.value, "status_reason": account.status_reason},
        )

    @staticmethod
    def _apply(work: Work, account: Account, data: AccountInput) -> None:
        s = work.settings
        platform = v.choice(data.platform, Platform, "Platform", field="platform")
        handle = v.text(data.handle, "Handle", field="handle", max_len=120).lstrip("@")
        if not handle or any(ch.isspace() for ch in handle):
            raise DomainError("Handle must be one word without spaces, e.g. SKGov.", "handle")
        ministry = work.session.get(Ministry, data.ministry_id)
        if ministry is None:
            raise DomainError("Choose the ministry the account belongs to.", "ministry_id")
        email = v.government_email(
            data.government_email,
            "Government e-mail",
            s.allowed_email_domains,
            field="government_email",
        )
        owner: Person | None = None
        if data.owner_id is not None:
            owner = work.session.get(Person, data.owner_id)
            if owner is None or not owner.active:
                raise DomainError("The accountable owner must be an active person.", "owner_id")
        tool = v.choice(data.posting_tool, PostingTool, "Posting tool", field="posting_tool")
        if platform == Platform.X and tool != PostingTool.TWEETDECK:
            raise DomainError(
                "X accounts must be managed and posted to through TweetDeck / X Pro; "
                "set the posting tool to TweetDeck.",
                "posting_tool",
            )
        international = (
            defaults_to_international(platform, data.language)
            if data.is_international is None
            else data.is_international
        )
        if international and not data.language.strip():
            raise DomainError("International accounts need the language they post in.", "language")
        if international and not data.cultural_notes.strip():
            raise DomainError(
                "International accounts need cultural notes: the local language and cultural "
                "norms the account respects (policy: special considerations may be made for "
                "them).",
                "cultural_notes",
            )
        duplicate = work.session.scalar(
            select(func.count())
            .select_from(Account)
            .where(
                Account.platform == platform,
                func.lower(Account.handle) == handle.lower(),
                Account.id != account.id,
            )
        )
        if duplicate:
            raise ConflictError(f"{platform.label} @{handle} is already in the inventory.")
        account.platform = platform
        account.handle = handle
        account.display_name = v.text(
            data.display_name, "Display name", field="display_name", required=False
        )
        account.url = v.url(data.url, "Account URL", field="url")
        account.ministry_id = ministry.id
        account.purpose = v.text(
            data.purpose, "Purpose", field="purpose", required=False, max_len=4000
        )
        account.government_email = email
        account.owner_id = owner.id if owner else None
        account.posting_tool = tool
        account.is_international = international
        account.language = v.text(
            data.language, "Language", field="language", required=False, max_len=40
        )
        account.cultural_notes = v.text(
            data.cultural_notes,
            "Cultural notes",
            field="cultural_notes",
            required=False,
            max_len=4000,
        )
        account.is_central = data.is_central


def _check_version(obj: Account, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise ConflictError(
            "Someone else changed this account after you opened it. "
            "Reload it and make your change again."
        )
