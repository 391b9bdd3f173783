"""The register of staff members' personal social media names that include the Government's
name: each needs the approval of Executive Council and Digital Strategy and Operations
(policy, "Participating Personally"). The request goes through the approval tracker."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from desktop.enums import ApprovalKind, ApprovalState, PersonKind, Platform
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import Approval, Person, PersonalName
from desktop.models.base import new_id
from desktop.services import validation as v
from desktop.services.approval_tracker import OPEN
from desktop.services.approvals import new_request
from desktop.services.authz import Permission, can
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader
from desktop.services.serialize import snapshot

POLICY = (
    "Social media identities, login IDs and user names for social media accounts used in a "
    "personal capacity should not include the GoS name without prior approval from Executive "
    "Council & the GoS Digital Strategy & Operations Team."
)


@dataclass(frozen=True)
class PersonalNameRow:
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    platform: Platform
    handle: str
    approval_id: uuid.UUID
    state: ApprovalState
    decided_at: datetime | None

    @property
    def label(self) -> str:
        return f"{self.platform.label} @{self.handle}"


class PersonalNameService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def request(
        self, person_id: uuid.UUID, platform: Platform | str, handle: str, reason: str
    ) -> Approval:
        """A draft request to use ``handle``; staff ask for themselves, DSO or an administrator
        may enter it for anyone (e.g. an approval given before the register existed)."""
        where = v.choice(platform, Platform, "Platform", field="platform")
        name = v.text(handle, "Personal account name", field="handle", max_len=120).lstrip("@")
        if not name or any(ch.isspace() for ch in name):
            raise DomainError("Give the account name as one word, e.g. JaneAtSKGov.", "handle")
        text = v.text(reason, "Reason", field="reason", max_len=4000)
        with self.ctx.write() as work:
            work.require(Permission.REQUEST_PERSONAL_NAME)
            person = work.get(Person, person_id, "Person")
            own = work.actor.id == person.id
            if not own and not can(work.actor.roles, Permission.MANAGE_PEOPLE):
                raise PermissionDenied(
                    "Staff members ask for their own personal names; Digital Strategy and "
                    "Operations or an administrator may enter one for someone else."
                )
            if person.kind == PersonKind.AGENCY or not person.active:
                raise DomainError(
                    f"{person.name} is not active staff of the Government; the register is for "
                    "employees and contractors.",
                    "person_id",
                )
            taken = work.session.scalar(
                select(Approval.state)
                .join(PersonalName, PersonalName.approval_id == Approval.id)
                .where(
                    PersonalName.person_id == person.id,
                    PersonalName.platform == where,
                    PersonalName.handle == name,
                    Approval.state.in_((*OPEN, ApprovalState.APPROVED)),
                )
            )
            if taken is not None:
                raise ConflictError(
                    f"{where.label} @{name} of {person.name} is already in the register "
                    f"({taken.value.replace('_', ' ')})."
                )
            approval = new_request(
                work,
                ApprovalKind.PERSONAL_NAME,
                f"Personal name: {where.label} @{name} ({person.name})",
                text,
                audit=False,
            )
            entry = PersonalName(
                id=new_id(),
                person_id=person.id,
                platform=where,
                handle=name,
                approval_id=approval.id,
            )
            work.session.add(entry)
            work.audit(
                "approval.request",
                "approval",
                approval.id,
                after=snapshot(approval)
                | {"steps": [s.label for s in approval.steps], "personal_name": snapshot(entry)},
            )
            return approval

    def register(self, *, include_closed: bool = True) -> list[PersonalNameRow]:
        """Every personal name asked for, with the state of its approval, by person."""
        who = aliased(Person)
        query = (
            select(PersonalName, who.name, Approval.state, Approval.decided_at)
            .join(who, who.id == PersonalName.person_id)
            .join(Approval, Approval.id == PersonalName.approval_id)
            .order_by(who.name, PersonalName.platform, PersonalName.handle)
        )
        if not include_closed:
            query = query.where(Approval.state.in_((*OPEN, ApprovalState.APPROVED)))
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return [
                PersonalNameRow(
                    e.id, e.person_id, name, e.platform, e.handle, e.approval_id, state, decided
                )
                for e, name, state, decided in session.execute(query)
            ]
