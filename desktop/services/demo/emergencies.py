"""What changes the service clock: closure days, and declared emergencies with their updates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from desktop.enums import AppRole, EmergencyKind, GroupUpdateKind, Platform
from desktop.models import Closure, Emergency, EmergencyAccount, EmergencyMinistry, GroupUpdate
from desktop.policy.settings import PolicySettings
from desktop.policy.sla import BusinessCalendar, SlaPolicy
from desktop.services.demo.builder import Row, Seeder, World, new_id
from desktop.services.demo.catalogue import SK_CA


@dataclass(frozen=True)
class Declared:
    """An emergency as the comment generator needs it: what it covers, and when."""

    id: uuid.UUID
    declared_at: datetime
    ended_at: datetime | None
    ministries: frozenset[str]
    accounts: frozenset[uuid.UUID]
    topic: str  # key of the emergency comment texts

    def covers(self, ministry: str, account: uuid.UUID, at: datetime) -> bool:
        if at < self.declared_at or (self.ended_at is not None and at >= self.ended_at):
            return False
        return ministry in self.ministries or account in self.accounts


def sla_policy(closures: set[date]) -> SlaPolicy:
    """The clock with the policy's default settings and the demo's closure days."""
    st = PolicySettings()
    calendar = BusinessCalendar(
        st.timezone, closures, opening=st.business_open, closing=st.business_close
    )
    return SlaPolicy(
        calendar,
        acknowledge_within=timedelta(hours=st.acknowledge_business_hours),
        emergency_acknowledge_within=timedelta(hours=st.emergency_acknowledge_hours),
        emergency_answer_within=timedelta(hours=st.emergency_answer_hours),
    )


def seed_closures(s: Seeder, world: World) -> set[date]:
    """Boxing Day (observed) around the as-of year, and Easter Monday: not SK public holidays."""
    rng = s.rng("closures")
    year = s.as_of.astimezone(world.tz).year
    calendar = BusinessCalendar(PolicySettings().timezone)
    days: dict[date, str] = {}
    for y in (year - 1, year, year + 1):
        boxing = date(y, 12, 26)
        if boxing.weekday() >= 5:  # Saturday -> Monday 28; Sunday -> Tuesday 28
            days[date(y, 12, 28)] = "Boxing Day (observed)"
        else:
            days[boxing] = "Boxing Day"
        good_friday = next(d for d, n in calendar.holidays_in_year(y) if n == "Good Friday")
        if y <= year:
            days[good_friday + timedelta(days=3)] = "Easter Monday"
    admin = world.one(AppRole.ADMIN)
    rows = [
        s.row(
            Closure,
            world.start + timedelta(days=30),
            id=new_id(rng),
            day=d,
            reason=reason,
            created_by_id=admin.id,
        )
        for d, reason in sorted(days.items())
    ]
    s.insert(Closure, rows)
    return set(days)


def seed_emergencies(s: Seeder, world: World) -> list[Declared]:
    rng = s.rng("emergencies")
    council = world.with_role(AppRole.EXEC_COUNCIL)
    dci = world.one(AppRole.DCI_DIRECTOR)
    fb_gov = world.account(Platform.FACEBOOK, "SKGov").id
    plans = [
        (
            EmergencyKind.FLOOD,
            "Spring runoff flooding in the Qu'Appelle Valley",
            "Overland flooding around Lumsden and Craven; sandbag depots and road closures.",
            s.as_of - timedelta(days=230, hours=5),
            timedelta(days=9),
            ("ENV", "HWY"),
            (fb_gov,),
            "flood",
        ),
        (
            EmergencyKind.POWER_OUTAGE,
            "Ice storm power outages in southeast Saskatchewan",
            "Freezing rain brought down lines; about 30,000 customers without power at the peak.",
            s.as_of - timedelta(days=41, hours=9),
            timedelta(days=3, hours=6),
            ("SPC",),
            (fb_gov, world.account(Platform.X, "SKGov").id),
            "outage",
        ),
        (
            EmergencyKind.FOREST_FIRE,
            "Wildfire near La Ronge",
            "A fast-moving wildfire north of La Ronge; evacuation of Air Ronge under way.",
            s.as_of - timedelta(days=2, hours=3),
            None,
            ("ENV", "CPS"),
            (fb_gov, world.account(Platform.FACEBOOK, "SaskAlert").id),
            "fire",
        ),
    ]
    rows: list[Row] = []
    links: list[tuple[type[EmergencyMinistry] | type[EmergencyAccount], Row]] = []
    updates: list[Row] = []
    declared: list[Declared] = []
    for kind, title, text, at, length, ministries, accounts, topic in plans:
        ended = at + length if length is not None else None
        on_call = world.with_role(AppRole.OFFICER, ministries[0])[0]
        council_person = council[rng.randrange(len(council))]
        row = s.row(
            Emergency,
            at,
            id=new_id(rng),
            kind=kind,
            title=title,
            description=text,
            declared_at=at,
            declared_by_id=dci.id,
            ended_at=ended,
            ended_by_id=dci.id if ended else None,
            on_call_ministry_id=on_call.id,
            on_call_council_id=council_person.id,
            updated_at=ended or at,
        )
        rows.append(row)
        for code in ministries:
            links.append(
                (
                    EmergencyMinistry,
                    {"emergency_id": row["id"], "ministry_id": world.ministries[code]},
                )
            )
        for account_id in accounts:
            links.append((EmergencyAccount, {"emergency_id": row["id"], "account_id": account_id}))
        for k, (update_kind, words, link, phone) in enumerate(_UPDATES[topic]):
            posted = at + timedelta(hours=2 + 7 * k, minutes=rng.randint(0, 50))
            if posted >= (ended or s.as_of):
                break
            updates.append(
                s.row(
                    GroupUpdate,
                    posted,
                    id=new_id(rng),
                    emergency_id=row["id"],
                    kind=update_kind,
                    text=words,
                    link_url=link,
                    phone=phone,
                    posted_at=posted,
                    posted_by_id=(on_call if k % 2 == 0 else council_person).id,
                )
            )
        declared.append(
            Declared(row["id"], at, ended, frozenset(ministries), frozenset(accounts), topic)
        )
    s.insert(Emergency, rows)
    for model in (EmergencyMinistry, EmergencyAccount):
        s.insert(model, [r for m, r in links if m is model])
    s.insert(GroupUpdate, updates)
    for r in rows:
        opened = {**r, "ended_at": None, "ended_by_id": None, "version": 1}
        s.audit(r["declared_at"], "emergency.declare", "emergency", r["id"], opened)
        if r["ended_at"] is not None:
            s.audit(
                r["ended_at"], "emergency.end", "emergency", r["id"], {"ended_at": r["ended_at"]}
            )
    return declared


_FIRE = f"{SK_CA}/residents/environment-public-health-and-safety/wildfire-in-saskatchewan"
_UPDATES: dict[str, tuple[tuple[GroupUpdateKind, str, str, str], ...]] = {
    "fire": (
        (GroupUpdateKind.STATEMENT, "Residents of Air Ronge must leave now; go south on "
         "Highway 2 to the reception centre in Prince Albert.", "", ""),
        (GroupUpdateKind.QA, "Questions and answers on the evacuation: pets, medication, "
         "where to register.", _FIRE, ""),
        (GroupUpdateKind.INFOGRAPHIC, "Map of the fire perimeter and closed roads.", _FIRE, ""),
        (GroupUpdateKind.PHONE_OR_LINK, "Evacuees can call the information line for help with "
         "lodging and meals.", "", "306-787-5500"),
    ),
    "outage": (
        (GroupUpdateKind.STATEMENT, "Crews from across the province are restoring power; "
         "some rural customers may be without power for 48 hours.", "", ""),
        (GroupUpdateKind.PHONE_OR_LINK, "Report downed lines and check the outage map.",
         "https://www.saskpower.com/outages", "1-888-757-6937"),
        (GroupUpdateKind.QA, "Warming centres, food safety and generators: answers.",
         "https://www.saskpower.com/outages", ""),
    ),
    "flood": (
        (GroupUpdateKind.STATEMENT, "Sandbag depots are open in Lumsden and Craven.", "", ""),
        (GroupUpdateKind.INFOGRAPHIC, "Road closures in the Qu'Appelle Valley.",
         "https://hotline.gov.sk.ca", ""),
        (GroupUpdateKind.PHONE_OR_LINK, "Flood damage claims: Provincial Disaster Assistance "
         "Program.", f"{SK_CA}/residents/emergency-response", "306-787-4000"),
    ),
}  # fmt: skip
