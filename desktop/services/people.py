"""Use cases for ministries, their key contacts, and the people who hold roles."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.enums import AppRole, MinistryKind, PersonKind
from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.models import KeyContact, Ministry, Person, PersonRole
from desktop.models.audit import FIRST_ADMIN_ACTION
from desktop.models.base import new_id
from desktop.policy.settings import email_domain_allowed
from desktop.services import audit
from desktop.services import validation as v
from desktop.services.authz import Permission
from desktop.services.context import Actor, ServiceContext, Work, load_settings
from desktop.services.serialize import diff, snapshot


@dataclass
class PersonInput:
    login: str
    name: str
    email: str
    roles: Iterable[AppRole | str] = field(default_factory=tuple)
    title: str = ""
    ministry_id: uuid.UUID | None = None
    kind: PersonKind | str = PersonKind.EMPLOYEE
    agency_name: str = ""


def _person_snapshot(person: Person) -> dict[str, object]:
    data = snapshot(person)
    data["roles"] = sorted(r.value for r in person.roles)
    return data


class PeopleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def is_empty(self) -> bool:
        with self.ctx.read() as session:
            return not session.scalar(select(func.count()).select_from(Person))

    def bootstrap_admin(self, login: str, name: str, email: str) -> Person:
        """On an empty database the first user becomes administrator (DESIGN §6): the person
        signed in to it, in one guarded transaction (a unique index admits one set-up per
        database, so two people racing for it cannot both win)."""
        login = v.text(login, "Login", field="login", max_len=80).lower()
        if login != self.ctx.login.lower():
            raise PermissionDenied(
                f"Only the person signed in ({self.ctx.login}) can become the first "
                "administrator of this database."
            )
        with self.ctx.db.read() as session:
            domains = load_settings(session).allowed_email_domains
        # The administrator is staff: a government address, as the accounts' (DESIGN §3).
        address = v.email(email, "E-mail", field="email")
        if not email_domain_allowed(address, domains):
            raise DomainError(
                f"{address} is not a government address: the administrator signs in with an "
                f"address on {', '.join(domains)} (personal e-mail may not be used).",
                "email",
            )
        taken = PermissionDenied(
            "This database already has people; ask an administrator to add you."
        )
        try:
            with self.ctx.db.write() as session:
                audit.chain_head(session)  # serialises set-ups on PostgreSQL
                if session.scalar(select(func.count()).select_from(Person)):
                    raise taken
                work = Work(session, Actor(None, login, name, frozenset(), None), self.ctx.now())
                try:
                    person = self._new_person(
                        session,
                        PersonInput(
                            login, name, address, roles=(AppRole.ADMIN,), title="Administrator"
                        ),
                    )
                    work.actor = Actor(
                        person.id, person.login, person.name, frozenset({AppRole.ADMIN}), None
                    )
                    work.audit(
                        FIRST_ADMIN_ACTION, "person", person.id, after=_person_snapshot(person)
                    )
                    work.finish()
                finally:
                    work.close()
                return person
        except ConflictError as exc:
            raise taken from exc

    def add_ministry(
        self, code: str, name: str, kind: MinistryKind | str = MinistryKind.MINISTRY
    ) -> Ministry:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            code = v.text(code, "Ministry code", field="code", max_len=16).upper()
            if work.session.scalar(select(Ministry).where(Ministry.code == code)):
                raise ConflictError(f"A ministry with code {code} already exists.")
            ministry = Ministry(
                id=new_id(),
                code=code,
                name=v.text(name, "Ministry name", field="name"),
                kind=v.choice(kind, MinistryKind, "Kind", field="kind"),
            )
            work.session.add(ministry)
            work.audit("ministry.add", "ministry", ministry.id, after=snapshot(ministry))
            return ministry

    def add_contact(
        self,
        ministry_id: uuid.UUID,
        name: str,
        *,
        topic: str = "",
        phone: str = "",
        email: str = "",
        web_links: str = "",
    ) -> KeyContact:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            work.get(Ministry, ministry_id, "Ministry")
            contact = KeyContact(
                id=new_id(),
                ministry_id=ministry_id,
                name=v.text(name, "Contact name", field="name"),
                topic=v.text(topic, "Topic", field="topic", required=False),
                phone=v.phone(phone, "Phone", field="phone"),
                email=v.email(email, "E-mail", field="email", required=False),
                web_links=v.text(
                    web_links, "Web links", field="web_links", required=False, max_len=2000
                ),
            )
            if not (contact.phone or contact.email or contact.web_links):
                raise DomainError("Give at least a phone number, an e-mail or a web link.", "phone")
            work.session.add(contact)
            work.audit("contact.add", "key_contact", contact.id, after=snapshot(contact))
            return contact

    def add(self, data: PersonInput) -> Person:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            person = self._new_person(work.session, data)
            work.audit("person.add", "person", person.id, after=_person_snapshot(person))
            return person

    def set_roles(self, person_id: uuid.UUID, roles: Iterable[AppRole | str]) -> Person:
        wanted = {v.choice(r, AppRole, "Role", field="roles") for r in roles}
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            person = work.get(Person, person_id, "Person")
            if person.id == work.actor.id and wanted != set(person.roles):
                if AppRole.ADMIN in person.roles and wanted == person.roles - {AppRole.ADMIN}:
                    pass  # stepping down as administrator: allowed unless the last one (below)
                else:
                    raise PermissionDenied(
                        "Nobody grants or removes their own roles; ask another administrator "
                        "or the DSO."
                    )
            if (AppRole.ADMIN in wanted) != (AppRole.ADMIN in person.roles) and (
                AppRole.ADMIN not in work.actor.roles
            ):
                raise PermissionDenied(
                    "Granting or removing the Administrator role needs the role Administrator."
                )
            if (
                person.id == work.actor.id
                and AppRole.ADMIN in person.roles
                and AppRole.ADMIN not in wanted
            ):
                admins = work.session.scalar(
                    select(func.count())
                    .select_from(PersonRole)
                    .where(PersonRole.role == AppRole.ADMIN)
                )
                if admins == 1:
                    raise DomainError("You are the only administrator; name another one first.")
            before = _person_snapshot(person)
            person.role_rows = [PersonRole(role=r) for r in sorted(wanted)]
            work.session.flush()
            old, new = diff(before, _person_snapshot(person))
            work.audit("person.roles", "person", person.id, old, new)
            return person

    def deactivate(self, person_id: uuid.UUID) -> Person:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            person = work.get(Person, person_id, "Person")
            if person.id == work.actor.id:
                raise DomainError("You cannot deactivate yourself.")
            person.active = False
            work.audit(
                "person.deactivate", "person", person.id, {"active": True}, {"active": False}
            )
            return person

    def _new_person(self, session: Session, data: PersonInput) -> Person:
        login = v.text(data.login, "Login", field="login", max_len=80).lower()
        if any(ch.isspace() for ch in login):
            raise DomainError("A login is one word, as typed to sign in to Windows.", "login")
        if session.scalar(select(Person).where(Person.login == login)):
            raise ConflictError(f"Someone with the login {login!r} already exists.")
        kind = v.choice(data.kind, PersonKind, "Kind", field="kind")
        agency = v.text(data.agency_name, "Agency name", field="agency_name", required=False)
        if kind == PersonKind.AGENCY and not agency:
            raise DomainError("Agency staff need the agency's name.", "agency_name")
        if data.ministry_id is not None and session.get(Ministry, data.ministry_id) is None:
            raise DomainError("The chosen ministry does not exist.", "ministry_id")
        person = Person(
            id=new_id(),
            login=login,
            name=v.text(data.name, "Name", field="name"),
            email=v.email(data.email, "E-mail", field="email"),
            title=v.text(data.title, "Title", field="title", required=False),
            ministry_id=data.ministry_id,
            kind=kind,
            agency_name=agency,
        )
        person.role_rows = [
            PersonRole(role=r)
            for r in sorted({v.choice(x, AppRole, "Role", field="roles") for x in data.roles})
        ]
        session.add(person)
        session.flush()
        return person
