"""Use cases of the key-contacts directory: list, add, change and remove a ministry's contacts
(name, topic, phone, e-mail, web links). The high-profile referral quotes the Minister's office
from it (``desktop.services.comment_replies``).

Everyone who reads the register sees the directory. Changing it is reference data kept with the
ministries and the people: the DSO and administrators (MANAGE_PEOPLE), as the shared database's
grants on ``key_contacts`` say too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from desktop.errors import ConflictError, DomainError
from desktop.models import KeyContact, Ministry
from desktop.models.base import new_id
from desktop.services import validation as v
from desktop.services.authz import Permission
from desktop.services.context import ServiceContext, Work
from desktop.services.metrics import require_reader
from desktop.services.serialize import diff, snapshot


@dataclass(frozen=True)
class ContactInput:
    ministry_id: uuid.UUID
    name: str
    topic: str = ""
    phone: str = ""
    email: str = ""
    web_links: str = ""


@dataclass(frozen=True)
class ContactRow:
    id: uuid.UUID
    version: int
    ministry_id: uuid.UUID
    ministry: str
    name: str
    topic: str
    phone: str
    email: str
    web_links: str


def fill_contact(work: Work, contact: KeyContact, data: ContactInput) -> None:
    """Validate ``data`` onto ``contact`` (a phone number, an e-mail or a web link needed)."""
    work.get(Ministry, data.ministry_id, "Ministry")
    contact.ministry_id = data.ministry_id
    contact.name = v.text(data.name, "Contact name", field="name")
    contact.topic = v.text(data.topic, "Topic", field="topic", required=False)
    contact.phone = v.phone(data.phone, "Phone", field="phone")
    contact.email = v.email(data.email, "E-mail", field="email", required=False)
    contact.web_links = v.text(
        data.web_links, "Web links", field="web_links", required=False, max_len=2000
    )
    if not (contact.phone or contact.email or contact.web_links):
        raise DomainError("Give at least a phone number, an e-mail or a web link.", "phone")


class KeyContactService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, ministry_id: uuid.UUID | None = None) -> list[ContactRow]:
        """The directory, by ministry then name (one ministry's when given)."""
        stmt = (
            select(KeyContact, Ministry.name)
            .join(Ministry, Ministry.id == KeyContact.ministry_id)
            .order_by(Ministry.name, KeyContact.name, KeyContact.id)
        )
        if ministry_id is not None:
            stmt = stmt.where(KeyContact.ministry_id == ministry_id)
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return [
                ContactRow(
                    c.id,
                    c.version,
                    c.ministry_id,
                    ministry,
                    c.name,
                    c.topic,
                    c.phone,
                    c.email,
                    c.web_links,
                )
                for c, ministry in session.execute(stmt).all()
            ]

    def add(self, data: ContactInput) -> KeyContact:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            contact = KeyContact(id=new_id())
            fill_contact(work, contact, data)
            work.session.add(contact)
            work.audit("contact.add", "key_contact", contact.id, after=snapshot(contact))
            return contact

    def update(
        self, contact_id: uuid.UUID, data: ContactInput, *, version: int | None = None
    ) -> KeyContact:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            contact = self._get(work, contact_id, version)
            before = snapshot(contact)
            fill_contact(work, contact, data)
            work.session.flush()
            old, new = diff(before, snapshot(contact))
            if not new:
                raise DomainError("Nothing changed: edit a field before saving.")
            work.audit("contact.edit", "key_contact", contact.id, old, new)
            return contact

    def remove(self, contact_id: uuid.UUID, *, version: int | None = None) -> None:
        with self.ctx.write() as work:
            work.require(Permission.MANAGE_PEOPLE)
            contact = self._get(work, contact_id, version)
            before = snapshot(contact)
            work.session.delete(contact)
            work.audit("contact.remove", "key_contact", contact_id, before, None)

    @staticmethod
    def _get(work: Work, contact_id: uuid.UUID, version: int | None) -> KeyContact:
        contact = work.get(KeyContact, contact_id, "Key contact")
        if version is not None and contact.version != version:
            raise ConflictError(
                "Someone else changed this contact after you opened it. "
                "Reload the directory and make your change again."
            )
        return contact
