"""Who may work on a comment (log, acknowledge, assign, answer, close, hide, strike it).

The policy names three monitoring bodies. The communications staff who hold HANDLE_COMMENTS
work on every account. Executive Council monitors @SKGov and the central accounts ("Questions
are monitored out of Executive Council"), and the Minister's Office shares that monitoring on
the central accounts ("the shared responsibility of the Ministry communications staff, the
Minister's Office, and Executive Council"). During an emergency the people named on call
("a resource from the ministry affected ... as well as someone from the Executive Council
Digital Team") work on the comments of every account the emergency covers while it runs.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.enums import AppRole
from desktop.errors import PermissionDenied
from desktop.models import Account, Emergency, EmergencyAccount, EmergencyMinistry
from desktop.services.authz import Permission, can, denial

# Roles that monitor the central accounts without handling every account's comments.
CENTRAL_MONITORS = frozenset({AppRole.EXEC_COUNCIL, AppRole.MINISTERS_OFFICE})
# Roles that never work on comments, even when (by mistake) named on call.
_NEVER = frozenset({AppRole.AGENCY, AppRole.AUDITOR})


def on_call_emergency(
    session: Session, person_id: uuid.UUID, account: Account, at: datetime
) -> Emergency | None:
    """A running emergency that covers ``account`` (by account or by its ministry) and names
    ``person_id`` as one of its two on-call people."""
    covers = or_(
        Emergency.id.in_(
            select(EmergencyAccount.emergency_id).where(EmergencyAccount.account_id == account.id)
        ),
        Emergency.id.in_(
            select(EmergencyMinistry.emergency_id).where(
                EmergencyMinistry.ministry_id == account.ministry_id
            )
        ),
    )
    return session.scalars(
        select(Emergency)
        .where(
            covers,
            or_(
                Emergency.on_call_council_id == person_id,
                Emergency.on_call_ministry_id == person_id,
            ),
            Emergency.declared_at <= at,
            or_(Emergency.ended_at.is_(None), Emergency.ended_at > at),
        )
        .order_by(Emergency.declared_at, Emergency.id)
        .limit(1)
    ).first()


def work_refusal(
    session: Session,
    person_id: uuid.UUID | None,
    roles: frozenset[AppRole],
    account: Account,
    at: datetime,
    *,
    you: bool = True,
) -> str | None:
    """None when the person may work on the comments of ``account`` at ``at``, else the
    sentence to show (``you=False`` words it about someone else, for an assignee)."""
    if can(roles, Permission.HANDLE_COMMENTS):
        return None
    if roles & CENTRAL_MONITORS and account.is_central:
        return None
    if (
        person_id is not None
        and roles
        and not roles <= _NEVER
        and on_call_emergency(session, person_id, account, at) is not None
    ):
        return None
    general = (denial(roles, Permission.HANDLE_COMMENTS) or "").rstrip(".")
    if AppRole.EXEC_COUNCIL in roles:
        on_call = "you are" if you else "they are"
        return (
            f"{general}: Executive Council works on the comments of the central @SKGov "
            f"accounts, and of any account while on call in an emergency; {account.label} is "
            f"not a central account and no running emergency {on_call} on call for covers it."
        )
    if AppRole.MINISTERS_OFFICE in roles:
        return (
            f"{general}: the Minister's Office works on the comments of the central @SKGov "
            f"accounts only, and {account.label} is not one."
        )
    return (
        f"{general}. Executive Council and the Minister's Office work on the comments of the "
        "central @SKGov accounts, and the people named on call during an emergency on the "
        "accounts it covers."
    )


def require_comment_work(
    session: Session,
    person_id: uuid.UUID | None,
    roles: frozenset[AppRole],
    account: Account,
    at: datetime,
) -> None:
    reason = work_refusal(session, person_id, roles, account, at)
    if reason:
        raise PermissionDenied(reason)


def may_work_somewhere(roles: frozenset[AppRole]) -> bool:
    """Whether the roles could work on some comment (the GUI offers the actions then, and the
    service answers for the chosen account)."""
    return can(roles, Permission.HANDLE_COMMENTS) or bool(roles - _NEVER)
