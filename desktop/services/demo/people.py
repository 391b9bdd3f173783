"""Ministries and Crowns with their key contacts, and the people who hold every role."""

from __future__ import annotations

import random
import unicodedata
from datetime import timedelta

from desktop.enums import AppRole, PersonKind
from desktop.models import KeyContact, Ministry, Person, PersonRole
from desktop.services.demo.builder import PersonRef, Row, Seeder, World, new_id
from desktop.services.demo.catalogue import (
    AGENCIES,
    CENTRAL,
    FIRST_NAMES,
    LAST_NAMES,
    MINISTRIES,
    PERSONAL_EMAIL,
    MinistrySpec,
    minister_email,
)
from desktop.services.demo.violations import PERSONAL_EMAIL_PERSON

R = AppRole


def seed_ministries(s: Seeder, world: World) -> None:
    rng = s.rng("ministries")
    at = world.start
    rows, contacts = [], []
    for spec in MINISTRIES:
        row = s.row(Ministry, at, id=new_id(rng), code=spec.code, name=spec.name, kind=spec.kind)
        rows.append(row)
        world.ministries[spec.code] = row["id"]
        contacts += [s.row(KeyContact, at, id=new_id(rng), **c) for c in _contacts(spec, row)]
    s.insert(Ministry, rows)
    s.insert(KeyContact, contacts)
    s.audit_rows(rows, "ministry.add", "ministry")


def _contacts(spec: MinistrySpec, ministry: Row) -> list[Row]:
    """The Minister's office (for high-profile referrals), media relations, general enquiries."""
    links = "\n".join(spec.links)
    gov = spec.domain == "gov.sk.ca"
    if spec.code == CENTRAL:
        office = "Office of the Premier"
    elif gov:
        office = f"Office of the Minister of {spec.name.removeprefix('Ministry of ')}"
    else:
        office = f"Office of the Minister responsible for {spec.name}"
    media = spec.mail.replace(".", "")
    return [
        {
            "ministry_id": ministry["id"],
            "name": office,
            "topic": "High-profile and media enquiries for the Minister",
            "phone": spec.minister_phone,
            "email": minister_email(spec),
            "web_links": spec.links[-1],
        },
        {
            "ministry_id": ministry["id"],
            "name": "Media Relations" if gov else "Corporate Communications",
            "topic": "Media requests and interviews",
            "phone": spec.minister_phone[:-2] + "90",
            "email": f"{media}.media@{spec.domain}",
            "web_links": "",
        },
        {
            "ministry_id": ministry["id"],
            "name": "General enquiries" if gov else "Customer Service",
            "topic": "Programs, forms and services",
            "phone": spec.info_phone,
            "email": f"info.{media}@{spec.domain}",
            "web_links": links,
        },
    ]


class _Names:
    """Unique names, logins and e-mail stems drawn from the catalogue lists."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.logins: set[str] = {"admin"}

    def name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.names:
                self.names.add(name)
                return name

    def login(self, name: str) -> str:
        first, last = _ascii(name).split(" ", 1)
        base = (first[0] + last).replace("-", "").replace(" ", "")
        login, n = base, 1
        while login in self.logins:
            n += 1
            login = f"{base}{n}"
        self.logins.add(login)
        return login


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace("'", "")


def _stem(name: str) -> str:
    first, last = _ascii(name).split(" ", 1)
    return f"{first}.{last.replace(' ', '').replace('-', '')}"


def seed_people(s: Seeder, world: World) -> None:
    rng = s.rng("people")
    names = _Names(rng)
    for n in (PERSONAL_EMAIL_PERSON, *(x for a in AGENCIES for x in a.staff)):
        names.names.add(n)
    people: list[Row] = []
    roles: list[Row] = []

    def add(
        name: str,
        title: str,
        held: tuple[AppRole, ...],
        ministry: str | None,
        *,
        email: str = "",
        login: str = "",
        kind: PersonKind = PersonKind.EMPLOYEE,
        agency: str = "",
    ) -> None:
        domain = next((m.domain for m in MINISTRIES if m.code == ministry), "gov.sk.ca")
        at = world.start + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8))
        row = s.row(
            Person,
            at,
            id=new_id(rng),
            login=login or names.login(name),
            name=name,
            email=email or f"{_stem(name)}@{domain}",
            title=title,
            ministry_id=world.ministries[ministry] if ministry else None,
            kind=kind,
            agency_name=agency,
        )
        people.append(row)
        roles.extend({"person_id": row["id"], "role": r} for r in held)
        world.people.append(PersonRef(row["id"], row["login"], name, ministry, frozenset(held)))

    per_ministry = s.plan.officers_per_ministry
    for spec in MINISTRIES:
        add(names.name(), "Director of Communications", (R.COMMS_DIRECTOR,), spec.code)
        for i in range(per_ministry):
            title = "Senior Communications Consultant" if i == 0 else "Communications Consultant"
            add(names.name(), title, (R.OFFICER,), spec.code)
    for spec in MINISTRIES:
        if spec.code != CENTRAL:
            add(names.name(), "Ministerial Assistant", (R.MINISTERS_OFFICE,), spec.code)
    add(names.name(), "Director, Digital Channels and Insights", (R.DCI_DIRECTOR,), CENTRAL)
    add(names.name(), "Manager, Digital Strategy and Operations", (R.DSO,), CENTRAL)
    for _ in range(2):
        add(names.name(), "Digital Strategy Analyst", (R.DSO,), CENTRAL)
    add(names.name(), "Senior Advisor, Executive Council", (R.EXEC_COUNCIL,), CENTRAL)
    for _ in range(3):
        add(names.name(), "Executive Council Digital Team", (R.EXEC_COUNCIL,), CENTRAL)
    add(names.name(), "Systems Administrator", (R.ADMIN,), CENTRAL, login="admin")
    for _ in range(2):
        add(names.name(), "Internal Auditor", (R.AUDITOR,), None)
    add(
        PERSONAL_EMAIL_PERSON,
        "Social Media Contractor",
        (R.OFFICER,),
        "HEA",
        email=PERSONAL_EMAIL,
        kind=PersonKind.CONTRACTOR,
    )
    add(names.name(), "Social Media Contractor", (R.OFFICER,), "SGI", kind=PersonKind.CONTRACTOR)
    for agency in AGENCIES:
        for i, name in enumerate(agency.staff):
            add(
                name,
                "Account Director" if i == 0 else "Digital Media Buyer",
                (R.AGENCY,),
                None,
                email=f"{_stem(name).split('.')[0]}@{agency.domain}",
                kind=PersonKind.AGENCY,
                agency=agency.name,
            )
    s.insert(Person, people)
    s.insert(PersonRole, roles)
    by_id: dict[object, list[str]] = {}
    for r in roles:
        by_id.setdefault(r["person_id"], []).append(r["role"].value)
    for row in people:
        s.audit(
            row["created_at"],
            "person.add",
            "person",
            row["id"],
            {**row, "roles": sorted(by_id[row["id"]])},
        )
