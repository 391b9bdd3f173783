"""Checks of the account inventory: e-mail, owner, password rotation, posting tool, language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from desktop.enums import Platform, PostingTool, Severity
from desktop.policy.checks.dates import local_text
from desktop.policy.checks.wording import plural
from desktop.policy.facts import LIVE_STATUSES, OPEN_STATUSES, ComplianceFacts
from desktop.policy.findings import Violation, check
from desktop.policy.periods import password_due
from desktop.policy.settings import PolicySettings, email_domain_allowed

EMAIL_QUOTE = (
    "All GoS social media accounts must be tied to a GoS email addresses, personal "
    "accounts/emails may not be used."
)


@check(
    "ACCOUNT_EMAIL_DOMAIN",
    Severity.CRITICAL,
    title="Account not tied to a government e-mail address",
    policy_quote=EMAIL_QUOTE,
    remedy="Tie the account to a mailbox on an allowed government domain and record it.",
)
def account_email_domain(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    domains = ", ".join(settings.allowed_email_domains)
    for a in facts.accounts:
        if a.status not in OPEN_STATUSES:
            continue
        email = a.government_email.strip()
        if not email:
            yield Violation(a.subject, f"{a.label} is not tied to any e-mail address.")
        elif not email_domain_allowed(email, settings.allowed_email_domains):
            yield Violation(
                a.subject,
                f"{a.label} is tied to {email}, which is not on an allowed government "
                f"domain ({domains}).",
            )


@check(
    "ACCOUNT_NO_OWNER",
    Severity.CRITICAL,
    title="Account without an accountable owner",
    policy_quote="must not utilize pseudonyms or false screen names.",
    remedy="Name an active person as the accountable owner of the account.",
)
def account_no_owner(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for a in facts.accounts:
        if a.status not in OPEN_STATUSES:
            continue
        if a.owner_id is None:
            yield Violation(a.subject, f"{a.label} has no accountable owner.")
        elif not a.owner_active:
            yield Violation(
                a.subject,
                f"The accountable owner of {a.label}, {a.owner_name}, is no longer active.",
            )


@check(
    "PASSWORD_ROTATION_OVERDUE",
    Severity.WARNING,
    title="Password not changed within the quarter (rolling 90 days)",
    policy_quote=(
        "Government of Saskatchewan social media passwords should be changed quarterly, in "
        "accordance with similar password intervals across government."
    ),
    remedy="Change the account's password and record the change.",
)
def password_rotation_overdue(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    every = plural(settings.password_rotation_days, "day")
    for a in facts.accounts:
        if a.status not in LIVE_STATUSES:
            continue
        if a.password_changed_at is None:
            yield Violation(
                a.subject,
                f"No password change has ever been recorded for {a.label}; "
                f"the password must be changed every {every}.",
            )
            continue
        due = password_due(a.password_changed_at, settings.password_rotation_days)
        if due < as_of:
            ago = plural((as_of - a.password_changed_at).days, "day")
            yield Violation(
                a.subject,
                f"The password of {a.label} was last changed "
                f"{local_text(a.password_changed_at, settings)} ({ago} ago); the next change "
                f"was due by {local_text(due, settings)} (every {every}).",
                since=due,
            )


@check(
    "X_POSTING_TOOL",
    Severity.CRITICAL,
    title="X account not managed through TweetDeck / X Pro",
    policy_quote="All Twitter accounts must be managed and posts made through Twitter's Tweetdeck.",
    remedy="Manage the account and post to it only through TweetDeck / X Pro, and record that.",
)
def x_posting_tool(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for a in facts.accounts:
        if a.status not in OPEN_STATUSES or a.platform is not Platform.X:
            continue
        if a.posting_tool is not PostingTool.TWEETDECK:
            yield Violation(
                a.subject,
                f"{a.label} is posted to through {_tool_text(a.posting_tool)}, "
                "not TweetDeck / X Pro.",
            )


def _tool_text(tool: PostingTool) -> str:
    return "the platform's own site or app" if tool is PostingTool.NATIVE else "another tool"


@check(
    "INTERNATIONAL_NO_LANGUAGE",
    Severity.INFO,
    title="International account without its language or cultural notes",
    policy_quote=(
        "Special considerations may be made for local language and cultural norms regarding "
        "international accounts."
    ),
    remedy="Record the language the account posts in, and any cultural notes.",
)
def international_no_language(
    facts: ComplianceFacts, settings: PolicySettings, as_of: datetime
) -> Iterator[Violation]:
    for a in facts.accounts:
        if a.status not in OPEN_STATUSES or not a.is_international:
            continue
        missing = [
            what
            for what, given in (
                ("language", bool(a.language.strip())),
                ("cultural notes", a.has_cultural_notes),
            )
            if not given
        ]
        if missing:
            yield Violation(
                a.subject,
                f"{a.label} is an international account with no {' or '.join(missing)} recorded.",
            )
