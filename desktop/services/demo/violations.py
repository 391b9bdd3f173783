"""The policy violations the demo plants on purpose, so the compliance checks have work to do.

Everything else in the demo is compliant; each code below names one record that breaks it,
labelled as the compliance findings label their subject: accounts and commenters as
``Platform @handle``, people by name, grants as ``Name on Platform @handle``, campaigns and
approvals by name, late comments by their account (findings on comments are per account; the
named comment is among them). The generators read the names from here, so they cannot drift.
"""

from __future__ import annotations

from desktop.enums import Platform

# The records, by the fixed names the generators give them.
PERSONAL_EMAIL_PERSON = "Tyler Kowalchuk"
UNREVOKED_GRANT_PERSON = "Priya Sandhu"  # Flu Shot Awareness ended 40 days ago
NO_BUSINESS_ID_PERSON = "Kayla Desjarlais"  # Winter Driving Safety, running
PAST_CAMPAIGN = "Flu Shot Awareness"
RUNNING_CAMPAIGN = "Winter Driving Safety"
UNSIGNED_CAMPAIGN = "Student Mental Health Week"  # running with two of three sign-offs
STALLED_APPROVAL = "New account: TikTok @SaskHealth"

# (author handle, account platform, account handle, text) of the three named late comments.
ACK_OVERDUE_COMMENT = (
    "prairie_mom_22",
    Platform.FACEBOOK,
    "SaskHighways",
    "When will the Highway 11 construction near Saskatoon be finished? We've been detouring "
    "through Warman for weeks.",
)
ANSWER_OVERDUE_COMMENT = (
    "yqr_commuter",
    Platform.X,
    "SaskPower",
    "Third outage in the Lakeview area this month. Is anyone looking at the transformer on "
    "Albert Street?",
)
UNASSIGNED_COMMENT = (
    "lakeland_angler",
    Platform.FACEBOOK,
    "SaskTel",
    "Is fibre coming to Christopher Lake this year? The cell signal drops every evening.",
)
# (platform, handle) of the two commenters whose moderation record is left incomplete.
STRIKES_NO_BAN = (Platform.FACEBOOK, "truth_hammer_306")
BAN_NOT_LIFTED = (Platform.X, "NoMoreTaxesSK")


def _account(platform: Platform, handle: str) -> str:
    return f"{platform.label} @{handle}"


def _comment(spec: tuple[str, Platform, str, str]) -> str:
    return _account(spec[1], spec[2])


DELIBERATE_VIOLATIONS: dict[str, str] = {
    "ACCOUNT_EMAIL_DOMAIN": _account(Platform.INSTAGRAM, "saskhighways"),
    "PERSONAL_EMAIL_ON_ACCOUNT": PERSONAL_EMAIL_PERSON,
    "ACCOUNT_NO_OWNER": _account(Platform.YOUTUBE, "SaskEnergyResources"),
    "ACCOUNT_NOT_APPROVED": _account(Platform.LINKEDIN, "sask-justice"),
    "PASSWORD_ROTATION_OVERDUE": _account(Platform.X, "SaskSocServ"),
    "X_POSTING_TOOL": _account(Platform.X, "SaskAg"),
    # Also Facebook @SaskJustice, whose admins lack the Director, Digital Channels and Insights.
    "FACEBOOK_ADMINS": _account(Platform.FACEBOOK, "SaskEducation"),
    "THIRD_PARTY_NO_BUSINESS_ID": f"{NO_BUSINESS_ID_PERSON} on {_account(Platform.X, 'SKGov')}",
    "THIRD_PARTY_ACCESS_NOT_REVOKED": (
        f"{UNREVOKED_GRANT_PERSON} on {_account(Platform.FACEBOOK, 'SKGov')}"
    ),
    "CONTENT_NOT_APPROVED": UNSIGNED_CAMPAIGN,
    "GOALS_MISSING": _account(Platform.INSTAGRAM, "saskenvironment"),
    "GOALS_EXPIRED": _account(Platform.YOUTUBE, "SaskHealth"),
    "GOALS_NOT_FINAL": _account(Platform.LINKEDIN, "sasktel"),
    "EVALUATION_OVERDUE": _account(Platform.INSTAGRAM, "saskcpps"),
    # Also LinkedIn @sask-energy-resources.
    "NO_ENGAGEMENT_12_MONTHS": _account(Platform.YOUTUBE, "SaskJustice"),
    "COMMENT_ACK_OVERDUE": _comment(ACK_OVERDUE_COMMENT),
    "COMMENT_ANSWER_OVERDUE": _comment(ANSWER_OVERDUE_COMMENT),
    "COMMENT_UNASSIGNED": _comment(UNASSIGNED_COMMENT),
    "STRIKE_THRESHOLD_REACHED": _account(*STRIKES_NO_BAN),
    "BAN_EXPIRED_NOT_LIFTED": _account(*BAN_NOT_LIFTED),
    "APPROVAL_STALLED": STALLED_APPROVAL,
}
