"""A small standard cast for service tests: two ministries and one person per role."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop.enums import AppRole, MinistryKind, PersonKind, Platform, PostingTool
from desktop.models import Account, Ministry, Person
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService, PersonInput
from desktop.storage.database import Database


@dataclass
class Cast:
    db: Database
    clock: Callable[[], datetime]
    health: Ministry
    environment: Ministry
    people: dict[str, Person]

    def ctx(self, who: str) -> ServiceContext:
        """A context acting as the named member of the cast (e.g. "officer")."""
        return ServiceContext(self.db, self.people[who].login, clock=self.clock)

    def account(
        self, handle: str = "SKHealth", platform: Platform = Platform.FACEBOOK, **kw: object
    ) -> Account:
        data = AccountInput(
            platform=platform,
            handle=handle,
            ministry_id=kw.pop("ministry_id", self.health.id),  # type: ignore[arg-type]
            government_email=kw.pop("government_email", f"{handle.lower()}@gov.sk.ca"),  # type: ignore[arg-type]
            owner_id=kw.pop("owner_id", self.people["officer"].id),  # type: ignore[arg-type]
            posting_tool=PostingTool.TWEETDECK if platform == Platform.X else PostingTool.NATIVE,
            **kw,  # type: ignore[arg-type]
        )
        return AccountService(self.ctx("admin")).create(data)


ROLE_CAST: dict[str, tuple[AppRole, ...]] = {
    "officer": (AppRole.OFFICER,),
    "officer2": (AppRole.OFFICER,),  # in the other ministry
    "comms": (AppRole.COMMS_DIRECTOR,),
    "dci": (AppRole.DCI_DIRECTOR,),
    "dso": (AppRole.DSO,),
    "council": (AppRole.EXEC_COUNCIL,),
    "council2": (AppRole.EXEC_COUNCIL,),
    "minister": (AppRole.MINISTERS_OFFICE,),
    "agency": (AppRole.AGENCY,),
    "auditor": (AppRole.AUDITOR,),
    "admin": (AppRole.ADMIN,),
}


def make_cast(db: Database, clock: Callable[[], datetime]) -> Cast:
    """The cast, made as a branch would: the first administrator sets the database up and adds
    everyone else."""
    admin = ServiceContext(db, "admin", clock=clock)
    people: dict[str, Person] = {
        "admin": PeopleService(admin).bootstrap_admin("admin", "Admin Person", "admin@gov.sk.ca")
    }
    people_service = PeopleService(admin)
    health = people_service.add_ministry("HEA", "Ministry of Health")
    environment = people_service.add_ministry(
        "ENV", "Ministry of Environment", MinistryKind.MINISTRY
    )
    for key, roles in ROLE_CAST.items():
        if key == "admin":
            continue
        ministry = environment.id if key == "officer2" else health.id
        people[key] = people_service.add(
            PersonInput(
                login=key,
                name=f"{key.title()} Person",
                email=f"{key}@gov.sk.ca" if key != "agency" else "agency@adagency.ca",
                roles=roles,
                ministry_id=ministry,
                kind=PersonKind.AGENCY if key == "agency" else PersonKind.EMPLOYEE,
                agency_name="Prairie Ads Inc." if key == "agency" else "",
            )
        )
    return Cast(db, clock, health, environment, people)


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


def load_cast(db: Database, clock: Callable[[], datetime]) -> Cast:
    """The cast as stored in ``db`` (after its rows were restored from a snapshot)."""
    with db.read() as session:
        ministries = {m.code: m for m in session.scalars(select(Ministry))}
        people = {p.login: p for p in session.scalars(select(Person))}
        return Cast(
            db, clock, ministries["HEA"], ministries["ENV"], {k: people[k] for k in ROLE_CAST}
        )


def approve_new_account(cast: Cast, account_id: uuid.UUID) -> None:
    """The new-account workflow for an account: an officer's business case, the DSO's
    alignment, senior Executive Council's approval (each a different person)."""
    from desktop.services.approvals import ApprovalService

    officer = ApprovalService(cast.ctx("officer"))
    request = officer.submit(officer.request_new_account(account_id, "Business case.").id)
    ApprovalService(cast.ctx("dso")).approve(request.id, "Aligned.")
    ApprovalService(cast.ctx("council")).approve(request.id)
