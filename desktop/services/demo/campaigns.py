"""Third-party campaigns (past, running, future), their content approvals and agency grants."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from desktop.enums import AppRole, ApprovalKind, PageRole, Platform
from desktop.models import AccountRole, Campaign
from desktop.policy.workflows import Action
from desktop.services.demo.accounts import audit_roles, role_row
from desktop.services.demo.approvals import Act, ApprovalBook
from desktop.services.demo.builder import PersonRef, Row, Seeder, World, new_id
from desktop.services.demo.catalogue import AGENCIES
from desktop.services.demo.violations import (
    NO_BUSINESS_ID_PERSON,
    PAST_CAMPAIGN,
    RUNNING_CAMPAIGN,
    UNREVOKED_GRANT_PERSON,
    UNSIGNED_CAMPAIGN,
)

FB, X = Platform.FACEBOOK, Platform.X
REVOKE_DAYS = 14


@dataclass(frozen=True)
class _Spec:
    name: str
    ministry: str
    agency: int  # index into AGENCIES
    starts: int  # days from the as-of date
    ends: int
    description: str
    # Content approval: "approved", "two_of_three", "one_of_three", "draft".
    approval: str
    # (staff index, platform, handle) of the agency's grants.
    grants: tuple[tuple[int, Platform, str], ...]


CAMPAIGNS = (
    _Spec(
        "Spring Seeding Safety", "AGR", 0, -130, -95,
        "Farm machinery on the roads and grain bin safety during seeding.", "approved",
        ((0, FB, "SKGov"), (1, X, "SKGov")),
    ),
    _Spec(
        PAST_CAMPAIGN, "HEA", 1, -75, -40,
        "Where and when to get this season's flu shot.", "approved",
        ((0, X, "SKGov"), (1, FB, "SKGov")),
    ),
    _Spec(
        RUNNING_CAMPAIGN, "SGI", 2, -12, 35,
        "Slow down and move over for snowplows; winter tires and emergency kits.", "approved",
        ((0, FB, "SKGov"), (0, FB, "SGIcanada"), (1, X, "SKGov")),
    ),
    _Spec(
        UNSIGNED_CAMPAIGN, "EDU", 0, -3, 4,
        "Where students and parents can find mental health supports.", "two_of_three",
        ((1, FB, "SKGov"),),
    ),
    _Spec(
        "Rural Broadband Expansion", "STC", 1, 20, 60,
        "New fibre and 5G coverage in rural communities.", "one_of_three", (),
    ),
    _Spec(
        "Summer Road Construction Season", "HWY", 2, 150, 240,
        "Orange zone safety and the construction map.", "draft", (),
    ),
)  # fmt: skip


def seed_campaigns(s: Seeder, world: World, book: ApprovalBook) -> None:
    rng = s.rng("campaigns")
    today = s.as_of.astimezone(world.tz).date()
    rows: list[Row] = []
    grants: list[Row] = []
    for spec in CAMPAIGNS:
        agency = AGENCIES[spec.agency]
        starts, ends = today + timedelta(days=spec.starts), today + timedelta(days=spec.ends)
        officer = world.with_role(AppRole.OFFICER, spec.ministry)[0]
        created, acts = _approval_script(s, world, spec, officer, starts)
        row = s.row(
            Campaign,
            created,
            id=new_id(rng),
            name=spec.name,
            ministry_id=world.ministries[spec.ministry],
            agency_name=agency.name,
            description=spec.description,
            starts_on=starts,
            ends_on=ends,
        )
        rows.append(row)
        book.record(
            ApprovalKind.CAMPAIGN_CONTENT,
            f"Campaign content: {spec.name}",
            officer,
            created,
            acts,
            campaign_id=row["id"],
            business_case=f"{spec.description} Timeline: {starts:%B %d} to {ends:%B %d}.",
        )
        for staff, platform, handle in spec.grants:
            person = world.person(agency.staff[staff])
            grants.append(_grant(s, rng, world, row, person, platform, handle, today))
    s.insert(Campaign, rows)
    s.audit_rows(rows, "campaign.add", "campaign")
    s.insert(AccountRole, grants)
    audit_roles(s, grants)


def _at(world: World, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), world.tz)


def _grant(
    s: Seeder,
    rng: random.Random,
    world: World,
    campaign: Row,
    person: PersonRef,
    platform: Platform,
    handle: str,
    today: date,
) -> Row:
    acc = world.account(platform, handle)
    granted = _at(world, campaign["starts_on"] - timedelta(days=rng.randint(1, 3)), 10)
    ends: date = campaign["ends_on"]
    revoked = None
    overdue = ends + timedelta(days=REVOKE_DAYS) < today
    if overdue and person.name != UNREVOKED_GRANT_PERSON:
        revoked = _at(world, ends + timedelta(days=rng.randint(1, 10)), 11)
    business_id = ""
    if person.name != NO_BUSINESS_ID_PERSON:
        business_id = (
            str(rng.randrange(10**14, 10**15))
            if platform is FB
            else f"18ce{rng.getrandbits(28):07x}"
        )
    dso = world.with_role(AppRole.DSO)[0]
    return role_row(
        s,
        rng,
        person,
        acc,
        PageRole.ADVERTISER,
        dso,
        granted,
        revoked,
        business_id=business_id,
        campaign_id=campaign["id"],
        expires_on=ends + timedelta(days=REVOKE_DAYS),
    )


def _approval_script(
    s: Seeder, world: World, spec: _Spec, officer: PersonRef, starts: date
) -> tuple[datetime, list[Act]]:
    director = world.one(AppRole.COMMS_DIRECTOR, spec.ministry)
    office = world.one(AppRole.MINISTERS_OFFICE, spec.ministry)
    council = world.with_role(AppRole.EXEC_COUNCIL)[1]
    A = Action

    def ago(days: int, hour: int = 10) -> datetime:
        return _at(world, s.as_of.astimezone(world.tz).date() - timedelta(days=days), hour)

    if spec.approval == "approved":
        created = _at(world, starts - timedelta(days=30), 9)
        acts = [
            Act(A.SUBMIT, officer, created + timedelta(hours=2)),
            Act(A.APPROVE, director, created + timedelta(days=2, hours=1)),
            Act(A.APPROVE, office, created + timedelta(days=6, hours=3)),
            Act(A.APPROVE, council, created + timedelta(days=9, hours=5)),
        ]
        return created, acts
    if spec.approval == "two_of_three":
        return ago(7), [
            Act(A.SUBMIT, officer, ago(6)),
            Act(A.APPROVE, director, ago(5, 14)),
            Act(A.APPROVE, office, ago(4, 11)),
        ]
    if spec.approval == "one_of_three":
        return ago(4), [Act(A.SUBMIT, officer, ago(3)), Act(A.APPROVE, director, ago(1, 15))]
    return ago(1, 14), []
