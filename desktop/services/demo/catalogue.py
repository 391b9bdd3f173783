"""Fixed facts of the demo: ministries and Crowns, their contacts, accounts, agencies, names.

Names of ministries and Crowns are Saskatchewan's own; phone numbers and handles are
plausible but made up. An account's ``story`` says what the generators do with it beyond the
ordinary (a deliberate violation, or an approval at some stage).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.enums import MinistryKind, Platform

SK_CA = "https://www.saskatchewan.ca"


@dataclass(frozen=True)
class MinistrySpec:
    code: str
    name: str
    kind: MinistryKind
    domain: str  # e-mail domain of its staff and accounts
    mail: str  # local-part stem: "health" -> minister.health@gov.sk.ca
    minister_phone: str
    info_phone: str
    links: tuple[str, ...]
    # Share of the citizen comments routed to it; handles for generated accounts (large).
    weight: float
    programs: tuple[str, ...]


_MIN = f"{SK_CA}/government/government-structure/ministries"
_CROWNS = f"{SK_CA}/government/government-structure/crown-corporations"

MINISTRIES: tuple[MinistrySpec, ...] = (
    MinistrySpec(
        "EXC", "Executive Council", MinistryKind.CENTRAL, "gov.sk.ca", "executive.council",
        "306-787-6338", "306-787-6300", (f"{SK_CA}/government/news-and-media",), 0.0,
        ("Premier", "Intergovernmental", "Francophone", "Digital", "Events", "Protocol"),
    ),
    MinistrySpec(
        "HEA", "Ministry of Health", MinistryKind.MINISTRY, "gov.sk.ca", "health",
        "306-787-7345", "306-787-3256",
        (f"{SK_CA}/residents/health", f"{_MIN}/health"), 1.6,
        ("Immunize", "MentalHealth", "OrganDonation", "HealthLine811", "RuralDocs", "Seniors",
         "Addictions", "PrimaryCare"),
    ),
    MinistrySpec(
        "EDU", "Ministry of Education", MinistryKind.MINISTRY, "gov.sk.ca", "education",
        "306-787-7360", "306-787-6030",
        (f"{SK_CA}/residents/education-and-learning", f"{_MIN}/education"), 1.0,
        ("EarlyYears", "ChildCare", "Curriculum", "SchoolBuses", "Libraries", "Teachers",
         "Literacy", "StudentWellness"),
    ),
    MinistrySpec(
        "ENV", "Ministry of Environment", MinistryKind.MINISTRY, "gov.sk.ca", "environment",
        "306-787-0393", "306-787-2584",
        (f"{SK_CA}/residents/environment-public-health-and-safety", f"{_MIN}/environment"), 1.0,
        ("Angling", "Hunting", "Recycling", "Forests", "ClimateResilience", "WaterQuality",
         "Wildlife", "Parks"),
    ),
    MinistrySpec(
        "AGR", "Ministry of Agriculture", MinistryKind.MINISTRY, "gov.sk.ca", "agriculture",
        "306-787-0338", "306-787-5140",
        (f"{SK_CA}/business/agriculture-natural-resources-and-industry", f"{_MIN}/agriculture"),
        0.8,
        ("CropReport", "Livestock", "FarmSafety", "AgExports", "Irrigation", "AgJobs",
         "FoodSafety", "Drought"),
    ),
    MinistrySpec(
        "HWY", "Ministry of Highways", MinistryKind.MINISTRY, "gov.sk.ca", "highways",
        "306-787-4800", "306-787-4807",
        (f"{SK_CA}/residents/transportation/highways", "https://hotline.gov.sk.ca"), 1.5,
        ("Construction", "Ferries", "WinterRoads", "Bridges", "Airports", "TruckRoutes",
         "RoadSafety", "Twinning"),
    ),
    MinistrySpec(
        "JUS", "Ministry of Justice and Attorney General", MinistryKind.MINISTRY, "gov.sk.ca",
        "justice", "306-787-5353", "306-787-5360",
        (f"{SK_CA}/residents/justice-crime-and-the-law", f"{_MIN}/justice"), 0.6,
        ("CourtServices", "VictimServices", "LegalAid", "Maintenance", "Tenancies",
         "PublicGuardian", "Coroners", "FamilyJustice"),
    ),
    MinistrySpec(
        "SOC", "Ministry of Social Services", MinistryKind.MINISTRY, "gov.sk.ca",
        "social.services", "306-787-3661", "306-787-3700",
        (f"{SK_CA}/residents/family-and-social-support", f"{_MIN}/social-services"), 0.9,
        ("IncomeSupport", "FosterCare", "Disability", "Housing", "ChildProtection", "Adoption",
         "Seniors", "EmploymentSupport"),
    ),
    MinistrySpec(
        "ENR", "Ministry of Energy and Resources", MinistryKind.MINISTRY, "gov.sk.ca",
        "energy.resources", "306-787-9081", "306-787-2528",
        (f"{SK_CA}/business/agriculture-natural-resources-and-industry",
         f"{_MIN}/energy-and-resources"),
        0.5,
        ("Mining", "OilAndGas", "Helium", "Lithium", "Uranium", "CriticalMinerals", "Geology",
         "Investment"),
    ),
    MinistrySpec(
        "CPS", "Ministry of Corrections, Policing and Public Safety", MinistryKind.MINISTRY,
        "gov.sk.ca", "cpps", "306-787-2117", "306-787-3500",
        (f"{SK_CA}/residents/justice-crime-and-the-law/corrections-and-policing",
         f"{SK_CA}/residents/environment-public-health-and-safety/wildfire-in-saskatchewan"),
        0.9,
        ("Wildfire", "Corrections", "Policing", "CrimeStoppers", "EmergencyAlerts", "Marshals",
         "Firearms", "Probation"),
    ),
    MinistrySpec(
        "SPC", "SaskPower", MinistryKind.CROWN, "saskpower.com", "saskpower",
        "306-566-2121", "306-566-2000", ("https://www.saskpower.com/outages", _CROWNS), 1.4,
        ("Outages", "Careers", "EnergySaving", "SmallModularReactors", "Solar", "Wind",
         "Safety", "Billing"),
    ),
    MinistrySpec(
        "STC", "SaskTel", MinistryKind.CROWN, "sasktel.com", "sasktel",
        "306-777-3737", "306-777-4000", ("https://www.sasktel.com/support", _CROWNS), 1.1,
        ("Fibre", "Wireless", "Business", "maxTV", "Careers", "Community", "RuralInternet",
         "Scams"),
    ),
    MinistrySpec(
        "SGI", "Saskatchewan Government Insurance (SGI)", MinistryKind.CROWN, "sgi.sk.ca", "sgi",
        "306-775-6000", "306-751-1200", ("https://www.sgi.sk.ca/driver-licensing", _CROWNS), 1.3,
        ("Claims", "DriverExams", "Registrations", "ImpairedDriving", "Motorcycles",
         "TrafficSafety", "Canada", "Careers"),
    ),
)  # fmt: skip

MINISTRY_BY_CODE = {m.code: m for m in MINISTRIES}


def minister_email(m: MinistrySpec) -> str:
    """The Minister's office address that high-profile referrals quote."""
    return "premier@gov.sk.ca" if m.code == "EXC" else f"minister.{m.mail}@gov.sk.ca"


CENTRAL = "EXC"
LINE_MINISTRIES = tuple(m.code for m in MINISTRIES if m.kind is MinistryKind.MINISTRY)


@dataclass(frozen=True)
class AccountSpec:
    ministry: str
    platform: Platform
    handle: str
    display_name: str
    purpose: str
    story: str = ""  # what the generators do beyond the ordinary; see accounts.STORIES
    central: bool = False


# ministry platform handle [story] | purpose   ("central" marks the @SKGov accounts)
_ACCOUNT_TABLE = """
EXC facebook SKGov central | Government-wide news, services and emergency updates.
EXC x SKGov central | Government-wide news and emergency updates.
EXC instagram skgov | Stories and photos from across the province.
EXC youtube GovSask | News conferences and explainers.
EXC linkedin government-of-saskatchewan | Careers in the public service.
HEA facebook SaskHealth | Health services, programs and campaigns.
HEA x SaskHealth | Health news and advisories.
HEA instagram saskhealth | Healthy living.
HEA youtube SaskHealth expired_goals | Health explainers.
HEA tiktok SaskHealth stalled_proposal | Vaccine and mental health content for young adults.
HEA linkedin sask-health-careers draft_proposal | Recruit health professionals.
EDU facebook SaskEducation extra_admin | Schools and child care.
EDU x SKEducation | Education news.
EDU instagram skeducation | Classroom stories.
EDU youtube SaskEducation | Curriculum videos.
ENV facebook SaskEnvironment | Environment programs.
ENV x SKEnvironment | Advisories and fire bans.
ENV instagram saskenvironment no_goals | Nature photography.
ENV facebook SaskFishWildlife | Angling and hunting licences.
ENV youtube SaskEnvironment | How-to videos.
AGR facebook SaskAgriculture | Programs for producers.
AGR x SaskAg native_x | Crop reports and market news.
AGR youtube SaskAgriculture | Producer webinars.
AGR wechat SaskAgriFood international | Saskatchewan agri-food exports for buyers in China.
AGR instagram saskagriculture approved_proposal | Farm life and producers' stories.
HWY facebook SaskHighways | Construction and road conditions.
HWY x SKGovHwys | Construction updates.
HWY x SKHighwayHotline | Road conditions and closures.
HWY instagram saskhighways gmail | Road work photos.
HWY tiktok SaskHighways rejected_proposal | Work-zone safety for young drivers.
JUS facebook SaskJustice no_dci_admin | Court services and programs.
JUS x SaskJustice | Justice news.
JUS linkedin sask-justice not_approved | Legal careers.
JUS youtube SaskJustice no_engagement | Court-services explainers.
SOC facebook SaskSocialServices | Support programs.
SOC x SaskSocServ old_password | Program news.
SOC facebook SaskFosterFamilies | Recruit foster families.
SOC instagram sasksocialservices suspended | Community stories.
SOC facebook SaskSeniors changes_requested | Programs for seniors.
ENR x SaskEnergyRes | Resource sector news.
ENR linkedin sask-energy-resources no_engagement | Investment attraction.
ENR youtube SaskEnergyResources no_owner | Geology webinars.
ENR x SaskMiningNews terminated | Mining sector news.
CPS facebook SaskCPPS | Public safety.
CPS x SaskCPPS | Public safety news.
CPS instagram saskcpps overdue_evaluation | Careers in corrections.
CPS facebook SaskAlert | Emergency alerts.
CPS x SaskAlert | Emergency alerts.
CPS x SaskCorrectionsJobs stage2_proposal | Recruit corrections officers.
CPS youtube SaskCPPS withdrawn_proposal | Training videos.
SPC facebook SaskPower | Outages, safety and programs.
SPC x SaskPower | Outage updates.
SPC instagram saskpower | Behind the scenes.
SPC youtube SaskPower | Safety videos.
SPC linkedin saskpower | Careers.
STC facebook SaskTel | Service news and support.
STC x SaskTel | Service updates.
STC instagram sasktel | Community.
STC linkedin sasktel goals_in_review | Careers.
SGI facebook SGIcanada | Traffic safety and licensing.
SGI x SGIcanada | Traffic safety.
SGI instagram sgicanada | Traffic safety stories.
SGI youtube SGIcanada | Driver education.
SGI linkedin sgi | Careers.
"""

DISPLAY_NAMES = {
    "EXC": "Government of Saskatchewan",
    "HEA": "Saskatchewan Health",
    "EDU": "Saskatchewan Education",
    "ENV": "Saskatchewan Environment",
    "AGR": "Saskatchewan Agriculture",
    "HWY": "Saskatchewan Highways",
    "JUS": "Saskatchewan Justice",
    "SOC": "Saskatchewan Social Services",
    "ENR": "Saskatchewan Energy and Resources",
    "CPS": "Saskatchewan Public Safety",
    "SPC": "SaskPower",
    "STC": "SaskTel",
    "SGI": "SGI",
}
# Handles of the generated program accounts of the large demo start with these.
HANDLE_STEMS = {
    "EXC": "SKGov",
    "HEA": "SaskHealth",
    "EDU": "SaskEdu",
    "ENV": "SaskEnv",
    "AGR": "SaskAg",
    "HWY": "SaskHwy",
    "JUS": "SaskJustice",
    "SOC": "SaskSocial",
    "ENR": "SaskEnergy",
    "CPS": "SaskSafety",
    "SPC": "SaskPower",
    "STC": "SaskTel",
    "SGI": "SGI",
}
_DISPLAY_OVERRIDES = {
    ("wechat", "SaskAgriFood"): "萨斯喀彻温农业食品",
    ("facebook", "SaskAlert"): "SaskAlert",
    ("x", "SaskAlert"): "SaskAlert",
    ("x", "SKHighwayHotline"): "Saskatchewan Highway Hotline",
    ("facebook", "SaskFishWildlife"): "Saskatchewan Fish and Wildlife",
    ("facebook", "SaskFosterFamilies"): "Saskatchewan Foster Families",
    ("facebook", "SaskSeniors"): "Seniors in Saskatchewan",
    ("x", "SaskMiningNews"): "Saskatchewan Mining News",
}


def _parse_accounts(table: str) -> tuple[AccountSpec, ...]:
    specs = []
    for line in table.strip().splitlines():
        head, purpose = line.split(" | ")
        code, platform, handle, *rest = head.split()
        story = next((w for w in rest if w != "central"), "")
        display = _DISPLAY_OVERRIDES.get((platform, handle), DISPLAY_NAMES[code])
        specs.append(
            AccountSpec(
                code, Platform(platform), handle, display, purpose, story, "central" in rest
            )
        )
    return tuple(specs)


ACCOUNTS = _parse_accounts(_ACCOUNT_TABLE)

WECHAT_NOTES = (
    "Posts in Simplified Chinese for buyers and partners in China. Avoid political topics; "
    "no posts on Chinese public holidays without a greeting approved by the trade office; red "
    "and gold suit celebratory posts, avoid white for greetings and the number four in prices."
)


@dataclass(frozen=True)
class AgencySpec:
    name: str
    domain: str
    staff: tuple[str, str]


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "Prairie Sky Creative Inc.", "prairieskycreative.ca", ("Jordan Whitehawk", "Emily Tran")
    ),
    AgencySpec(
        "Northern Lights Media Group", "nlmediagroup.ca", ("Marc-André Gagnon", "Priya Sandhu")
    ),
    AgencySpec(
        "Living Skies Advertising Ltd.",
        "livingskiesads.ca",
        ("Owen McAllister", "Kayla Desjarlais"),
    ),
)

# A contractor who signed up with a personal address and holds page roles (a violation).
PERSONAL_EMAIL = "tyler.kowalchuk@hotmail.com"

FIRST_NAMES = (
    "Aiden", "Amara", "Ava", "Benjamin", "Brianna", "Carter", "Chloe", "Daniel", "Danica",
    "Dylan", "Elena", "Ethan", "Fatima", "Gabriel", "Grace", "Hannah", "Harpreet", "Isaac",
    "Jasmine", "Jessica", "Joshua", "Julien", "Kaitlyn", "Kevin", "Lauren", "Liam", "Lucas",
    "Madison", "Marie", "Mason", "Megan", "Mia", "Nathan", "Nicole", "Noah", "Olivia", "Owen",
    "Paige", "Rachel", "Raj", "Riley", "Ryan", "Samantha", "Sarah", "Simran", "Sophie",
    "Taylor", "Thomas", "Wyatt", "Zoe", "Cheryl", "Dwayne", "Lorna", "Gord", "Darlene",
    "Brent", "Colleen", "Wade", "Rhonda", "Trent", "Angela", "Jamie", "Marisol", "Nadia",
)  # fmt: skip

LAST_NAMES = (
    "Anderson", "Bear", "Bouchard", "Campbell", "Chen", "Dubois", "Fiddler", "Friesen",
    "Gill", "Hamilton", "Hryniuk", "Isbister", "Johnson", "Klassen", "Kozak", "Lachance",
    "Laliberte", "Lam", "Larocque", "MacDonald", "Martin", "McKay", "Morin", "Nguyen",
    "Olson", "Patel", "Pelletier", "Peters", "Reyes", "Rempel", "Ross", "Sasakamoose",
    "Schmidt", "Sinclair", "Singh", "Sorensen", "Stewart", "Thompson", "Tkachuk", "Wiebe",
    "Wilson", "Yuzik", "Zacharias", "Bighead", "Delorme", "Fehr", "Gauthier", "Halvorsen",
    "Kaminski", "Lindgren", "Mercredi", "Novak", "Ouellette", "Pratt", "Quewezance",
    "Ratt", "Santos", "Thiessen", "Ulrich", "Villeneuve", "Wolfe", "Yaremko",
)  # fmt: skip

PLACES = (
    "Saskatoon", "Regina", "Prince Albert", "Moose Jaw", "Swift Current", "Yorkton",
    "North Battleford", "Estevan", "Weyburn", "Lloydminster", "La Ronge", "Meadow Lake",
    "Melfort", "Humboldt", "Kindersley", "Nipawin", "Creighton", "Buffalo Narrows",
    "Rosetown", "Maple Creek", "Tisdale", "Outlook", "Warman", "Martensville",
)  # fmt: skip

HIGHWAYS = ("1", "2", "3", "5", "6", "7", "9", "11", "14", "16", "39", "55", "102", "106")
