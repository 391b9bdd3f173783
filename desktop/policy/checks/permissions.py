"""Checks of the permission matrix: who holds roles, Facebook Admins, third-party access."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from desktop.enums import AppRole, PageRole, PersonKind, Platform, Severity
from desktop.policy.checks.accounts import EMAIL_QUOTE
from desktop.policy.checks.dates import local_today, passed_since
from desktop.policy.checks.wording import join_names, plural, sentence
from desktop.policy.facts import (
    LIVE_STATUSES,
    AccountFacts,
    ComplianceFacts,
    DirectorFacts,
    GrantFacts,
    Subject,
)
from desktop.policy.findings import Violation, check
from desktop.policy.settings import PolicySettings, email_domain_allowed

# Agency staff sign in with their agency's address; the policy binds employees and contractors.
_STAFF = frozenset({PersonKind.EMPLOYEE, PersonKind.CONTRACTOR})


@check(
    "PERSONAL_EMAIL_ON_ACCOUNT",
    Severity.CRITICAL,
    title="Staff member holds account roles under a personal e-mail address",
    policy_quote=EMAIL_QUOTE,
    remedy="Record the person's government e-mail address, or revoke their roles.",
)
def personal_email_on_account(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    by_person: dict[str, list[GrantFacts]] = defaultdict(list)
    for g in facts.grants:
        if g.person_kind in _STAFF and not email_domain_allowed(
            g.person_email, settings.allowed_email_domains
        ):
            by_person[g.person_id].append(g)
    for person_id, grants in by_person.items():
        first = grants[0]
        accounts = sorted({g.account_label for g in grants})
        kind = first.person_kind.value
        yield Violation(
            Subject("person", person_id, first.person_name),
            f"{first.person_name} ({kind}) holds roles on {join_names(accounts)} under "
            f"{first.person_email or 'no e-mail address'}, which is not a government address.",
            since=min(g.granted_at for g in grants),
        )


@check(
    "FACEBOOK_ADMINS",
    Severity.CRITICAL,
    title="Facebook Admins are not exactly the two directors",
    policy_quote=(
        "All Facebook pages should be owned (Admin account) by the Ministry Director of "
        "Communications and the Director of Digital Channels from the Digital Strategy and "
        'Operations team. All other staff posting to Facebook should have a Page Role of "Editor".'
    ),
    remedy=(
        "Make the Ministry Director of Communications and the Director, Digital Channels and "
        "Insights the page's Admins, and everyone else who posts an Editor."
    ),
)
def facebook_admins(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    admins: dict[str, list[GrantFacts]] = defaultdict(list)
    for g in facts.grants:
        if g.role is PageRole.ADMIN:
            admins[g.account_id].append(g)
    dci = [d for d in facts.directors if d.role is AppRole.DCI_DIRECTOR]
    for a in facts.accounts:
        if a.platform is not Platform.FACEBOOK or a.status not in LIVE_STATUSES:
            continue
        comms = [
            d
            for d in facts.directors
            if d.role is AppRole.COMMS_DIRECTOR and d.ministry_id == a.ministry_id
        ]
        violation = _admin_violation(a, admins.get(a.id, []), comms, dci)
        if violation is not None:
            yield violation


def _admin_violation(
    a: AccountFacts,
    admins: list[GrantFacts],
    comms: list[DirectorFacts],
    dci: list[DirectorFacts],
) -> Violation | None:
    admin_ids = {g.person_id for g in admins}
    expected = {d.person_id for d in comms} | {d.person_id for d in dci}
    problems: list[str] = []
    fixes: list[str] = []
    for directors, title in (
        (comms, "Ministry Director of Communications"),
        (dci, "Director, Digital Channels and Insights"),
    ):
        if any(d.person_id in admin_ids for d in directors):
            continue
        if directors:
            names = join_names(sorted(d.name for d in directors))
            problems.append(f"the {title} ({names}) is not an Admin")
            fixes.append(f"give {names} the Admin role")
        else:
            where = f" for {a.ministry_name}" if title.startswith("Ministry") else ""
            problems.append(f"no {title} is registered{where}")
            fixes.append(f"register the {title}{where} and make them Admin")
    extra = sorted({g.person_name for g in admins if g.person_id not in expected})
    if extra:
        names = join_names(extra)
        verb = "is an Admin" if len(extra) == 1 else "are Admins"
        problems.append(f"{names} {verb} but should be Editor")
        fixes.append(f"change {names} to Editor")
    if not problems:
        return None
    text = "; ".join(problems)
    return Violation(
        a.subject,
        f"Admins of {a.label} are not exactly the two directors: {text}.",
        remedy=sentence(f"{'; '.join(fixes)}."),
    )


def _third_party(facts: ComplianceFacts) -> Iterator[GrantFacts]:
    return (g for g in facts.grants if g.person_kind is PersonKind.AGENCY)


def _who(g: GrantFacts) -> str:
    return f"{g.agency_name} ({g.person_name})" if g.agency_name else g.person_name


@check(
    "THIRD_PARTY_NO_BUSINESS_ID",
    Severity.CRITICAL,
    title="Third party without a Facebook Business ID / X advertiser access",
    policy_quote=(
        "Third party agencies and advertisers will be required to register for a Facebook "
        "Business ID and obtain access as a Twitter advertiser to proceed with advertising "
        "campaigns on Government of Saskatchewan Facebook and Twitter accounts."
    ),
    remedy=(
        "Record the agency's Facebook Business ID or X advertiser account on the grant, "
        "or revoke the access."
    ),
)
def third_party_no_business_id(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for g in _third_party(facts):
        if not g.business_id.strip():
            needed = {
                Platform.FACEBOOK: "a Facebook Business ID",
                Platform.X: "X advertiser access",
            }.get(g.platform, "a business or advertiser ID")
            yield Violation(
                g.subject,
                f"{_who(g)} holds {g.role.value.capitalize()} access to {g.account_label} "
                f"without {needed}.",
                since=g.granted_at,
            )


@check(
    "THIRD_PARTY_ACCESS_NOT_REVOKED",
    Severity.CRITICAL,
    title="Third-party access not revoked after the campaign",
    policy_quote=(
        "No longer than two weeks after the campaign concludes, access to the page will be "
        "revoked to ensure that only third party advertisers whose current campaigns have been "
        "approved will have access to publish to the central Government of Saskatchewan social "
        "media accounts."
    ),
    remedy="Revoke the agency's access to the account now.",
)
def third_party_access_not_revoked(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    today = local_today(as_of, settings)
    grace = timedelta(days=settings.third_party_revoke_days)
    for g in _third_party(facts):
        # (last day the access may remain, why) for each limit the grant has.
        limits: list[tuple[date, str]] = []
        if g.campaign_ends_on is not None:
            deadline = g.campaign_ends_on + grace
            limits.append(
                (
                    deadline,
                    f"the campaign \u201c{g.campaign_name}\u201d ended {g.campaign_ends_on} and "
                    f"access had to be revoked by {deadline}",
                )
            )
        if g.expires_on is not None:
            limits.append((g.expires_on, f"the access expired on {g.expires_on}"))
        passed = sorted(limit for limit in limits if limit[0] < today)
        if passed:
            last_day, why = passed[0]
            yield Violation(
                g.subject,
                f"{_who(g)} still holds {g.role.value.capitalize()} access to "
                f"{g.account_label}: {why} "
                f"({plural((today - last_day).days, 'day')} ago).",
                since=passed_since(last_day, settings),
            )


@check(
    "THIRD_PARTY_NO_CAMPAIGN",
    Severity.WARNING,
    title="Third-party access not tied to a campaign",
    policy_quote=(
        "Once a Facebook Business ID or Twitter advertiser access is established, the third "
        "party may gain authorized access to the central Government of Saskatchewan social "
        "media accounts for the duration of the advertising campaign."
    ),
    remedy="Tie the grant to the campaign it is for, or revoke it.",
)
def third_party_no_campaign(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for g in _third_party(facts):
        if g.campaign_id is None:
            yield Violation(
                g.subject,
                f"{_who(g)} holds {g.role.value.capitalize()} access to {g.account_label} "
                "that is not tied to any campaign.",
                since=g.granted_at,
            )
