"""The key-contacts directory: seen by every reader, edited by the DSO and administrators, and
quoted by the high-profile referral (issue 14)."""

from __future__ import annotations

import uuid

import pytest

from desktop.errors import ConflictError, DomainError, NotFound, PermissionDenied
from desktop.services.comments import CommentService
from desktop.services.directory.key_contacts import ContactInput, KeyContactService
from tests.factories import Cast


def _office(cast: Cast, **kw: str) -> ContactInput:
    values = {
        "name": "Office of the Minister of Health",
        "topic": "Minister's office",
        "phone": "306-787-7345",
        "email": "minister.health@gov.sk.ca",
    }
    values.update(kw)
    return ContactInput(cast.health.id, **values)


def test_the_directory_is_kept_and_the_referral_quotes_it(cast: Cast) -> None:
    dso = KeyContactService(cast.ctx("dso"))
    office = dso.add(_office(cast))
    dso.add(ContactInput(cast.environment.id, "Wildfire line", phone="1-855-559-5502"))
    rows = KeyContactService(cast.ctx("auditor")).list()
    assert [(r.ministry, r.name) for r in rows] == [
        ("Ministry of Environment", "Wildfire line"),
        ("Ministry of Health", "Office of the Minister of Health"),
    ]
    referral = CommentService(cast.ctx("officer")).high_profile_referral_text(cast.health.id)
    assert "(306) 787-7345 or minister.health@gov.sk.ca" in referral
    changed = dso.update(office.id, _office(cast, phone="306-787-0000"), version=rows[1].version)
    assert changed.phone == "+13067870000"
    referral = CommentService(cast.ctx("officer")).high_profile_referral_text(cast.health.id)
    assert "(306) 787-0000" in referral
    with pytest.raises(ConflictError):
        dso.update(office.id, _office(cast, phone="306-787-1111"), version=rows[1].version)
    with pytest.raises(DomainError, match="Nothing changed"):
        dso.update(office.id, _office(cast, phone="306-787-0000"))
    dso.remove(office.id)
    assert [r.name for r in dso.list(cast.health.id)] == []
    with pytest.raises(DomainError, match="has no key contact"):
        CommentService(cast.ctx("officer")).high_profile_referral_text(cast.health.id)
    with pytest.raises(NotFound):
        dso.remove(office.id)


def test_a_contact_needs_a_way_to_reach_it(cast: Cast) -> None:
    dso = KeyContactService(cast.ctx("admin"))
    with pytest.raises(DomainError, match="at least a phone number") as err:
        dso.add(ContactInput(cast.health.id, "Nobody"))
    assert err.value.field == "phone"
    with pytest.raises(DomainError, match="Contact name is required"):
        dso.add(ContactInput(cast.health.id, " ", phone="306-787-0000"))
    with pytest.raises(NotFound, match="Ministry"):
        dso.add(ContactInput(uuid.uuid4(), "Lost", phone="306-787-0000"))


@pytest.mark.parametrize(
    "who", ["officer", "comms", "dci", "council", "minister", "auditor", "agency"]
)
def test_only_the_dso_and_administrators_edit_the_directory(cast: Cast, who: str) -> None:
    contact = KeyContactService(cast.ctx("dso")).add(_office(cast))
    service = KeyContactService(cast.ctx(who))
    with pytest.raises(PermissionDenied, match="Adding and changing people needs"):
        service.add(_office(cast, name="Another"))
    with pytest.raises(PermissionDenied):
        service.update(contact.id, _office(cast, phone="306-787-0000"))
    with pytest.raises(PermissionDenied):
        service.remove(contact.id)
    if who != "agency":
        assert [r.id for r in service.list()] == [contact.id]
