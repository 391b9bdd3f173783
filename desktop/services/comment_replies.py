"""What a reply to a comment must contain: the checks per response method, and the policy's
referral sentence for high-profile commenters filled from a ministry's key contacts.
"""

from __future__ import annotations

import uuid

import phonenumbers
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.enums import ResponseMethod, RestrictedTopic
from desktop.errors import DomainError, NotFound
from desktop.models import KeyContact, Ministry, Response

REFERRAL_TEMPLATE = (
    "We recommend you reach out directly to the Minister's office at {contact} "
    "for the most recent information on this issue."
)
RESTRICTED_TOPICS_TEXT = "; ".join(t.label[0].lower() + t.label[1:] for t in RestrictedTopic)


def check_response(response: Response, *, generated: bool = False) -> None:
    """Refuse a reply its method does not allow: a public answer and a direct-message request
    need their text, and any reply with words in it (whatever the method: they are posted in
    public or sent in a message) needs the restricted topics cleared. ``generated``: the text
    is the policy's own referral sentence, filled in by the service."""
    if response.method == ResponseMethod.PUBLIC_ANSWER and not response.text:
        raise DomainError("Write the answer to post publicly.", "text")
    if response.method == ResponseMethod.DIRECT_MESSAGE and not response.text:
        raise DomainError("Write the message asking the person to send a direct message.", "text")
    if response.text and not generated and not response.restricted_topics_cleared:
        raise DomainError(
            "Before saving a reply with words in it (in public or in a message), confirm the "
            "reply discusses none of the topics that may not be discussed with the public: "
            f"{RESTRICTED_TOPICS_TEXT}.",
            "restricted_topics_cleared",
        )


def referral_sentence(phone: str, email: str) -> str:
    """The policy's referral sentence with the office's phone number and/or e-mail."""
    parts = [p for p in (_display_phone(phone), email.strip()) if p]
    if not parts:
        raise ValueError("A referral needs a phone number or an e-mail address.")
    return REFERRAL_TEMPLATE.format(contact=" or ".join(parts))


def referral_text(session: Session, ministry_id: uuid.UUID) -> str:
    """The referral sentence filled from the ministry's key contacts (the Minister's office
    preferred, then a contact with both a phone number and an e-mail)."""
    ministry = session.get(Ministry, ministry_id)
    if ministry is None:
        raise NotFound(f"Ministry {ministry_id} does not exist (it may have been removed).")
    contacts = session.scalars(
        select(KeyContact)
        .where(
            KeyContact.ministry_id == ministry_id,
            or_(KeyContact.phone != "", KeyContact.email != ""),
        )
        .order_by(KeyContact.name, KeyContact.id)
    ).all()

    def rank(contact: KeyContact) -> tuple[bool, bool]:
        minister = "minister" in f"{contact.topic} {contact.name}".lower()
        return (not minister, not (contact.phone and contact.email))

    if not contacts:
        raise DomainError(
            f"{ministry.name} has no key contact with a phone number or e-mail: add the "
            "Minister's office to its key contacts, or write the referral yourself.",
            "text",
        )
    best = min(contacts, key=rank)
    return referral_sentence(best.phone, best.email)


def _display_phone(stored: str) -> str:
    if not stored.strip():
        return ""
    try:
        number = phonenumbers.parse(stored, "CA")
    except phonenumbers.NumberParseException:
        return stored.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
