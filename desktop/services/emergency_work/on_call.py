"""The two on-call people of an emergency: one from the ministry affected, one from the
Executive Council digital team. Named when it is declared, and named or changed while it runs
(the remedy of ``EMERGENCY_NO_ON_CALL``).
"""

from __future__ import annotations

import uuid

from desktop.enums import AppRole
from desktop.errors import ConflictError, DomainError
from desktop.models import Account, Emergency, Person
from desktop.services.authz import Permission
from desktop.services.context import ServiceContext, Work


def affected_ministries(work: Work, emergency: Emergency) -> set[uuid.UUID]:
    """The ministries an emergency names, and those of the accounts it names."""
    found = {row.ministry_id for row in emergency.ministry_rows}
    for row in emergency.account_rows:
        account = work.session.get(Account, row.account_id)
        if account is not None:
            found.add(account.ministry_id)
    return found


def check_on_call(
    work: Work,
    affected: set[uuid.UUID],
    on_call_ministry_id: uuid.UUID | None,
    on_call_council_id: uuid.UUID | None,
) -> None:
    """Refuse on-call people the policy does not describe."""
    if on_call_ministry_id is not None:
        person = _active_person(work, on_call_ministry_id, "on_call_ministry_id")
        if person.ministry_id not in affected:
            raise DomainError(
                f"{person.name} does not work in an affected ministry; the on-call "
                "resource must come from the ministry affected by the emergency.",
                "on_call_ministry_id",
            )
    if on_call_council_id is not None:
        person = _active_person(work, on_call_council_id, "on_call_council_id")
        if AppRole.EXEC_COUNCIL not in person.roles:
            raise DomainError(
                f"{person.name} is not in the Executive Council; the second on-call "
                "person must come from the Executive Council digital team.",
                "on_call_council_id",
            )


class OnCallService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def set_on_call(
        self,
        emergency_id: uuid.UUID,
        on_call_ministry_id: uuid.UUID | None,
        on_call_council_id: uuid.UUID | None,
        *,
        version: int | None = None,
    ) -> Emergency:
        """Name or change the on-call people of a running emergency (None leaves a slot
        empty; the check reports an emergency without both)."""
        with self.ctx.write() as work:
            work.require(Permission.EMERGENCY)
            emergency = work.get(Emergency, emergency_id, "Emergency")
            if version is not None and emergency.version != version:
                raise ConflictError(
                    "Someone else changed this emergency after you opened it. "
                    "Reload it and make your change again."
                )
            if emergency.ended_at is not None:
                raise DomainError(
                    f"This emergency ended at {emergency.ended_at:%Y-%m-%d %H:%M} UTC; on-call "
                    "people are named while it runs."
                )
            check_on_call(
                work, affected_ministries(work, emergency), on_call_ministry_id, on_call_council_id
            )
            before = {
                "on_call_ministry_id": _s(emergency.on_call_ministry_id),
                "on_call_council_id": _s(emergency.on_call_council_id),
            }
            after = {
                "on_call_ministry_id": _s(on_call_ministry_id),
                "on_call_council_id": _s(on_call_council_id),
            }
            if before == after:
                raise DomainError("These are already the on-call people of this emergency.")
            emergency.on_call_ministry_id = on_call_ministry_id
            emergency.on_call_council_id = on_call_council_id
            work.audit("emergency.on_call", "emergency", emergency.id, before, after)
            return emergency


def _active_person(work: Work, person_id: uuid.UUID, field: str) -> Person:
    person = work.session.get(Person, person_id)
    if person is None or not person.active:
        raise DomainError("The on-call person must be an active person.", field)
    return person


def _s(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)
