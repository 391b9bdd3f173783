"""Official content approval: speaking for the Government on social media outside a campaign
goes through the same sign-offs as campaign content (policy: official duties follow the
approvals of traditional media; "this is also currently the process used for content that does
not get managed through third party advertising campaigns")."""

from __future__ import annotations

import uuid

from desktop.enums import AccountStatus, ApprovalKind
from desktop.errors import DomainError
from desktop.models import Account, Approval
from desktop.services import validation as v
from desktop.services.approvals import new_request
from desktop.services.authz import Permission
from desktop.services.context import ServiceContext

# Content is approved for a channel that exists or is about to.
PUBLISHABLE = (AccountStatus.APPROVED, AccountStatus.ACTIVE, AccountStatus.SUSPENDED)


class ContentApprovalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def request_official_content(self, account_id: uuid.UUID, content_summary: str) -> Approval:
        """A draft request for a post (or series) on one account; its author submits it."""
        with self.ctx.write() as work:
            account = work.get(Account, account_id, "Account")
            work.require(Permission.SUBMIT_CAMPAIGN, ministry_id=account.ministry_id)
            if account.status not in PUBLISHABLE:
                status = account.status.value.replace("_", " ")
                raise DomainError(
                    f"{account.label} is {status}; content is approved only for an approved, "
                    "active or suspended account.",
                    "account_id",
                )
            text = v.text(content_summary, "Content summary", field="content_summary", max_len=8000)
            first_line = text.splitlines()[0][:120]
            return new_request(
                work,
                ApprovalKind.OFFICIAL_CONTENT,
                f"Official content on {account.label}: {first_line}",
                text,
                account_id=account.id,
            )
