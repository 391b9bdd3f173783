"""What the approval tracker has decided about an account, for the services that move it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.enums import ApprovalKind, ApprovalState
from desktop.models import Approval


def has_approved(session: Session, kind: ApprovalKind, account_id: uuid.UUID) -> bool:
    """Whether the account has an approved request of ``kind``."""
    found = session.scalar(
        select(Approval.id)
        .where(
            Approval.kind == kind,
            Approval.account_id == account_id,
            Approval.state == ApprovalState.APPROVED,
        )
        .limit(1)
    )
    return found is not None
