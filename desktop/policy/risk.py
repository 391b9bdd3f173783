"""The order of risk among the compliance checks, for summaries that must lead with the worst.

Severity says whether something must be fixed now; within a severity, the risk order says
which failure would hurt the government most if it were exploited or went on: who can take
over or speak for an account first, then what is published without approval, then citizens
left without an answer, then the housekeeping of goals and evaluations. A code not listed
(a check added later) comes after the listed ones of its severity.
"""

from __future__ import annotations

from desktop.enums import Severity
from desktop.policy.findings import SEVERITY_ORDER

RISK_ORDER: tuple[str, ...] = (
    # Someone who should not can act as the government.
    "THIRD_PARTY_ACCESS_NOT_REVOKED",
    "FACEBOOK_ADMINS",
    "PERSONAL_EMAIL_ON_ACCOUNT",
    "ACCOUNT_EMAIL_DOMAIN",
    "THIRD_PARTY_NO_BUSINESS_ID",
    "X_POSTING_TOOL",
    "ACCOUNT_NO_OWNER",
    # The government speaks without the approvals the policy asks for.
    "CONTENT_NOT_APPROVED",
    "ACCOUNT_NOT_APPROVED",
    # Citizens in an emergency, then citizens waiting.
    "EMERGENCY_NO_ON_CALL",
    "COMMENT_ANSWER_OVERDUE",
    "COMMENT_ACK_OVERDUE",
    # Warnings: access and moderation first.
    "THIRD_PARTY_NO_CAMPAIGN",
    "PASSWORD_ROTATION_OVERDUE",
    "STRIKE_THRESHOLD_REACHED",
    "BAN_EXPIRED_NOT_LIFTED",
    "COMMENT_UNASSIGNED",
    "APPROVAL_STALLED",
    # Governance of goals and evaluations.
    "NO_ENGAGEMENT_12_MONTHS",
    "GOALS_EXPIRED",
    "GOALS_MISSING",
    "EVALUATION_OVERDUE",
    "GOALS_NOT_FINAL",
    "INTERNATIONAL_NO_LANGUAGE",
)
_RANK = {code: i for i, code in enumerate(RISK_ORDER)}


def risk_key(code: str, severity: Severity) -> tuple[int, int, str]:
    """Sort key: severity first, then the risk order, then the code (unlisted codes)."""
    return (SEVERITY_ORDER[severity], _RANK.get(code, len(RISK_ORDER)), code)
