"""What citizens write and what officers answer: templates per ministry topic, filled at random.

A small share of comments carries personal information (phone numbers, e-mail addresses,
@handles, a health card number) so the reports' masking has something to mask.
"""

from __future__ import annotations

import random

from desktop.enums import CommentKind, RemovalCategory
from desktop.services.demo.catalogue import FIRST_NAMES, HIGHWAYS, LAST_NAMES, PLACES

Q, C, M, P = (
    CommentKind.QUESTION,
    CommentKind.COMPLAINT,
    CommentKind.COMMENT,
    CommentKind.COMPLIMENT,
)

TEMPLATES: dict[str, tuple[tuple[CommentKind, str], ...]] = {
    "EXC": (
        (Q, "When is the Premier's next town hall in {place}?"),
        (Q, "How do I get a Saskatchewan flag for our community event in {place}?"),
        (C, "Why is the government spending so much on advertising?"),
        (M, "Proud to be from Saskatchewan. Happy Saskatchewan Day from {place}!"),
        (Q, "Where do I find the throne speech?"),
    ),
    "HEA": (
        (Q, "When is the next flu shot clinic in {place}? The pharmacy here is booked up."),
        (Q, "How long is the wait for a hip replacement in {place} right now?"),
        (C, "My mother waited 9 hours in the {place} emergency room last night. Not acceptable."),
        (Q, "Is HealthLine 811 open on weekends? I tried calling twice this morning."),
        (Q, "Does the province cover the shingles vaccine for people over 65?"),
        (C, "Why did the {place} hospital close its emergency room again this weekend?"),
        (Q, "Where can I find a family doctor taking new patients in {place}?"),
        (P, "Huge thanks to the nurses at the {place} hospital. Amazing care."),
        (Q, "How do I register as an organ donor? Can I do it online?"),
        (M, "Please add more mental health counsellors in rural areas like {place}."),
        (Q, "When will the new hospital in {place} actually open?"),
    ),
    "EDU": (
        (Q, "When does registration for pre-kindergarten open in {place}?"),
        (C, "Our school bus in the {place} area has been late every day this week."),
        (Q, "Is the $10 a day child care rate available at home daycares too?"),
        (C, "Class sizes at our school in {place} are over 30 again. What is the plan?"),
        (Q, "Will schools around {place} close if the roads are bad tomorrow?"),
        (Q, "Where can I find the new grade 9 math curriculum?"),
        (P, "Thank you to the teachers in {place}; the robotics program is fantastic."),
        (Q, "How do I apply for the child care subsidy?"),
        (C, "Why was the library program in {place} cut?"),
    ),
    "ENV": (
        (Q, "Is there a fire ban in the {place} area right now?"),
        (Q, "When does walleye season open on Lake Diefenbaker?"),
        (Q, "How do I buy my angling licence online? The site keeps timing out."),
        (C, "Someone keeps dumping garbage on the grid road west of {place}. Who do I tell?"),
        (Q, "Is the water safe for swimming at {place} beach? I heard about blue-green algae."),
        (Q, "Where can I drop off old paint and electronics in {place}?"),
        (P, "Love the new boardwalk at the provincial park near {place}!"),
        (Q, "What are the rules for burning brush on my acreage near {place}?"),
        (Q, "How many deer tags can I apply for this season?"),
    ),
    "AGR": (
        (Q, "When will this week's crop report be posted?"),
        (Q, "Is there drought assistance for cattle producers near {place} this year?"),
        (Q, "How do I apply for the Farm and Ranch Water Infrastructure Program?"),
        (C, "Grasshoppers are wiping out our canola south of {place}. Any support coming?"),
        (Q, "Where can I get my well water tested near {place}?"),
        (Q, "Are there grants for new irrigation near Lake Diefenbaker?"),
        (P, "Thanks for the farm safety session in {place}, very useful."),
        (Q, "What is the deadline for AgriStability this year?"),
    ),
    "HWY": (
        (Q, "When will the Highway {hwy} construction near {place} be finished?"),
        (C, "The potholes on Highway {hwy} between {place} and {place2} are terrible."),
        (Q, "Is Highway {hwy} open to {place}? The Highway Hotline hasn't updated."),
        (Q, "When is the ferry near {place2} going to open this season?"),
        (C, "Why isn't Highway {hwy} getting twinned? Another crash near {place} yesterday."),
        (Q, "Are there lane closures on Highway {hwy} this weekend?"),
        (P, "Thank you to the snowplow crews on Highway {hwy}; roads were great this morning."),
        (Q, "Who do I call about a damaged sign on Highway {hwy} near {place}?"),
        (C, "The passing lanes on Highway {hwy} end way too soon."),
    ),
    "JUS": (
        (Q, "How do I file a small claims case in {place}?"),
        (Q, "Where can I get help with a landlord who won't return my deposit?"),
        (Q, "How do I apply for legal aid?"),
        (Q, "Is the {place} courthouse open on Fridays?"),
        (C, "Maintenance enforcement hasn't collected anything from my ex in six months."),
        (Q, "How do I become a commissioner for oaths?"),
        (Q, "Where do victims of crime go for support in {place}?"),
    ),
    "SOC": (
        (Q, "When will the income support payment come this month?"),
        (C, "I've been on hold with the income support line for two hours."),
        (Q, "How do I become a foster parent in {place}?"),
        (Q, "Is there help with rent for seniors in {place}?"),
        (Q, "How do I apply for the Saskatchewan Assured Income for Disability?"),
        (C, "Why was my housing benefit cut without any notice?"),
        (P, "The caseworker in {place} went above and beyond for our family. Thank you."),
        (Q, "Are there emergency shelters open in {place} tonight? It's minus 35."),
    ),
    "ENR": (
        (Q, "When is the next Crown land sale for oil and gas rights?"),
        (Q, "How do I get a prospector's licence?"),
        (Q, "Is the province supporting the helium plant near {place}?"),
        (C, "The abandoned well near {place} is leaking. Who is responsible?"),
        (Q, "Where can I find the geological maps for the {place} area?"),
        (Q, "Are there incentives for critical minerals exploration?"),
    ),
    "CPS": (
        (Q, "How do I apply to be a corrections officer?"),
        (Q, "Is the SaskAlert app available for Android?"),
        (Q, "When will the new RCMP detachment in {place} be staffed?"),
        (C, "Three break-ins on our street in {place} this month. Where are the police?"),
        (Q, "How do I report a wildfire I can see from Highway {hwy}?"),
        (Q, "Are there jobs with the Saskatchewan Marshals Service?"),
        (P, "Thank you to the firefighters near {place}. You're heroes."),
        (Q, "How do I transfer a firearms licence from Alberta?"),
    ),
    "SPC": (
        (C, "Power is out on our block in {place} again. Any ETA?"),
        (Q, "Why is my SaskPower bill so high this month? Nothing changed."),
        (Q, "When will the outage in {place} be fixed? It's been six hours."),
        (Q, "Are there rebates for installing solar panels?"),
        (C, "Why are rates going up again?"),
        (Q, "Is the small modular reactor going to be built near {place}?"),
        (P, "Thanks to the line crews working through the storm near {place}!"),
        (Q, "How do I set up an equal payment plan?"),
    ),
    "STC": (
        (Q, "When is fibre coming to {place}?"),
        (C, "My internet has dropped three times today in {place}."),
        (Q, "Is a SaskTel store open on Sunday in {place}?"),
        (C, "Cell coverage on Highway {hwy} near {place} is non-existent. It's a safety issue."),
        (Q, "How do I report a scam call pretending to be SaskTel?"),
        (Q, "Can I keep my number if I switch to SaskTel?"),
        (P, "The technician who came out to {place} was excellent. Thank you."),
    ),
    "SGI": (
        (Q, "How do I book a road test in {place}? Nothing is available for months."),
        (Q, "Do I have to renew my vehicle registration in person?"),
        (C, "My claim has been open for six weeks and nobody calls me back."),
        (Q, "Do I need winter tires to get the discount?"),
        (Q, "How many demerit points is speeding in a construction zone?"),
        (Q, "Can I register a vehicle bought in Alberta online?"),
        (P, "Great ad about slowing down around snowplows."),
        (C, "Why did my insurance go up after a hail claim that wasn't my fault?"),
    ),
}

EMERGENCY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "fire": (
        "Is Highway 2 open north of Prince Albert? We need to get to La Ronge.",
        "Where do evacuees from Air Ronge register?",
        "Is the air safe to breathe in {place} with all this smoke?",
        "Can we bring our dogs to the reception centre?",
        "Is the fire moving toward Montreal Lake?",
        "My parents are in La Ronge and not answering their phone. Who do I call?",
    ),
    "outage": (
        "Power is still out in {place}. When will it be back?",
        "Is there a warming centre open in {place}?",
        "Can the food in our freezer be saved? We've been out for 20 hours.",
        "Lines are down on the grid road east of {place}. Is anyone coming?",
    ),
    "flood": (
        "Is the road to Lumsden closed?",
        "Where can I get sandbags near Craven?",
        "Will the province cover flood damage to our basement in {place}?",
    ),
}

MEDIA_OUTLETS = ("Prairie Dispatch", "Queen City Daily", "Bridge City Radio", "North Star News")

ABUSE: dict[RemovalCategory, str] = {
    RemovalCategory.SPAM: "Make $500 a day from home!!! Click the link in my bio.",
    RemovalCategory.PROMOTION: "Best deals on winter tires at Prairie Tire Barn, 20% off today!",
    RemovalCategory.HARASSMENT: "I'll tag every one of you on every post until someone answers.",
    RemovalCategory.BULLYING: "Look at this clown of a minister. Nobody likes you. Just quit.",
    RemovalCategory.THREATS: "Somebody should make them regret this. They won't see it coming.",
    RemovalCategory.INTIMIDATION: "We know where your office is. Watch yourselves.",
    RemovalCategory.DEFAMATORY: "The deputy minister is a crook stealing from the budget.",
    RemovalCategory.PERSONAL_INFORMATION: (
        "Here's the home address of the ER doctor who sent my dad home: 412 Elm Street."
    ),
    RemovalCategory.HATEFUL: "People like them don't belong in this province. Send them back.",
    RemovalCategory.DISCRIMINATION: "Women shouldn't drive snowplows. That's why roads are bad.",
    RemovalCategory.UNLAWFUL: "Selling the answers to the driver's licence knowledge test, DM me.",
    RemovalCategory.GRAPHIC_VIOLENCE: "[image of a graphic car crash, posted as a reply]",
    RemovalCategory.PORNOGRAPHY: "[explicit image link, posted as a reply]",
}

# One short public answer per ministry (method a), quoted as the start of the reply.
PUBLIC_ANSWERS = {
    "EXC": "Thanks for your question. The details are on saskatchewan.ca under News and Media.",
    "HEA": "Thanks for asking. Clinics and wait times by community are posted every week.",
    "EDU": "Thanks for your question. Your school division can confirm this for your school.",
    "ENV": "Thanks for asking. Current fire bans and licence rules are posted by region.",
    "AGR": "Thanks for your question. The crop report is posted every Thursday.",
    "HWY": "Thanks for asking. The work is scheduled to finish before freeze-up, weather allowing.",
    "JUS": "Thanks for your question. Court locations and hours are listed by community.",
    "SOC": "Thanks for asking. Payments are issued on the schedule posted for this month.",
    "ENR": "Thanks for your question. Sale dates and results are published in advance.",
    "CPS": "Thanks for asking. Recruitment and programs are listed on our careers page.",
    "SPC": "Thanks for letting us know. Crews are on site; check the outage map for updates.",
    "STC": "Thanks for asking. Coverage and build plans are posted by community.",
    "SGI": "Thanks for your question. You can do this online at MySGI or with an issuer.",
}

STREETS = ("Elm Street", "Main Street", "Albert Street", "Broadway Avenue", "Railway Avenue")
_DOMAINS = ("gmail.com", "outlook.com", "sasktel.net", "hotmail.com", "yahoo.ca")


def _pii(rng: random.Random, place: str) -> str:
    first, last = rng.choice(FIRST_NAMES).lower(), rng.choice(LAST_NAMES).lower()
    options = (
        f" You can reach me at 306-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}.",
        f" Email me at {first}.{last}{rng.randint(1, 99)}@{rng.choice(_DOMAINS)}.",
        f" cc @{first}_{last}{rng.randint(1, 99)}",
        f" I live at {rng.randint(10, 3999)} {rng.choice(STREETS)} in {place}.",
        f" My health card number is {rng.randint(100_000_000, 999_999_999)}.",
    )
    return rng.choice(options)


def fill(rng: random.Random, template: str) -> tuple[str, str]:
    """The template with places and highways filled in, and the place it names."""
    place, place2 = rng.sample(PLACES, 2)
    return template.format(place=place, place2=place2, hwy=rng.choice(HIGHWAYS)), place


def comment_pool(rng: random.Random, ministry: str, n: int) -> list[tuple[str, CommentKind]]:
    """``n`` filled comments for a ministry, 6 % with personal information appended."""
    out = []
    templates = TEMPLATES[ministry]
    for _ in range(n):
        kind, template = rng.choice(templates)
        text, place = fill(rng, template)
        if rng.random() < 0.06:
            text += _pii(rng, place)
        out.append((text, kind))
    return out


def media_question(rng: random.Random, ministry_name: str) -> str:
    outlet = rng.choice(MEDIA_OUTLETS)
    return (
        f"Reporter with {outlet} here. Could someone from {ministry_name} comment on this for a "
        "story today? Please call me back before 3 pm."
    )
