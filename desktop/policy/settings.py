"""The policy's thresholds as typed settings with the policy's values as defaults.

Declared once here; stored per key (JSON) in the database so a whole branch shares them;
validated by ``parse_setting`` before they are saved.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import time
from typing import Any

DEFAULT_DOMAINS = (
    "gov.sk.ca",
    "saskpower.com",
    "saskenergy.com",
    "sasktel.com",
    "sgi.sk.ca",
    "slga.com",
)


@dataclass(frozen=True)
class PolicySettings:
    timezone: str = "America/Regina"
    business_open: time = time(9, 0)
    business_close: time = time(17, 0)
    acknowledge_business_hours: float = 1.0
    emergency_acknowledge_hours: float = 1.0
    emergency_answer_hours: float = 48.0
    due_soon_minutes: int = 15
    allowed_email_domains: tuple[str, ...] = DEFAULT_DOMAINS
    password_rotation_days: int = 90
    third_party_revoke_days: int = 14
    strike_threshold: int = 3
    strike_window_days: int = 365
    ban_days: int = 30
    evaluation_interval_months: int = 6
    goals_validity_months: int = 12
    engagement_window_months: int = 12
    approval_stall_days: int = 10
    comment_unassigned_hours: float = 4.0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


SETTING_LABELS: dict[str, str] = {
    "timezone": "Time zone",
    "business_open": "Business hours open",
    "business_close": "Business hours close",
    "acknowledge_business_hours": "Acknowledge within (business hours)",
    "emergency_acknowledge_hours": "Emergency: acknowledge within (hours)",
    "emergency_answer_hours": "Emergency: answer within (hours)",
    "due_soon_minutes": "Due soon warning (minutes)",
    "allowed_email_domains": "Allowed government e-mail domains",
    "password_rotation_days": "Password rotation (days)",
    "third_party_revoke_days": "Revoke third-party access after campaign end (days)",
    "strike_threshold": "Strikes before a ban",
    "strike_window_days": "Strike window (days)",
    "ban_days": "Temporary ban (days)",
    "evaluation_interval_months": "Evaluation interval (months)",
    "goals_validity_months": "Goals valid for (months)",
    "engagement_window_months": "No-engagement window (months)",
    "approval_stall_days": "Approval stalled after (days)",
    "comment_unassigned_hours": "Comment unassigned warning (hours)",
}

SETTING_KEYS = tuple(f.name for f in dataclasses.fields(PolicySettings) if f.name != "extra")

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def parse_setting(key: str, value: Any) -> Any:
    """Validate one setting's new value; the ValueError message says what is wrong."""
    label = SETTING_LABELS.get(key)
    if label is None:
        raise ValueError(f"There is no setting called {key!r}.")
    default = getattr(PolicySettings(), key)
    if key == "timezone":
        if not isinstance(value, str) or not value:
            raise ValueError(f"{label}: give an IANA zone name such as America/Regina.")
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{label}: {value!r} is not a known time zone.") from exc
        return value
    if isinstance(default, time):
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        try:
            hours, minutes = str(value).strip().split(":")[:2]
            return time(int(hours), int(minutes))
        except ValueError as exc:
            raise ValueError(f"{label}: give a time as HH:MM, e.g. 09:00.") from exc
    if key == "allowed_email_domains":
        items = value.split(",") if isinstance(value, str) else list(value)
        domains = tuple(dict.fromkeys(str(d).strip().lower().lstrip("@") for d in items if d))
        domains = tuple(d for d in domains if d)
        if not domains:
            raise ValueError(f"{label}: give at least one domain, e.g. gov.sk.ca.")
        for d in domains:
            if not _DOMAIN_RE.match(d):
                raise ValueError(f"{label}: {d!r} is not a domain name.")
        return domains
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{label}: give a whole number.") from exc
        if number < 1:
            raise ValueError(f"{label}: must be at least 1.")
        return number
    if isinstance(default, float):
        try:
            real = float(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{label}: give a number.") from exc
        if real <= 0:
            raise ValueError(f"{label}: must be more than 0.")
        return real
    return value


def to_json(key: str, value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return list(value)
    return value


def build(values: dict[str, Any]) -> PolicySettings:
    """Settings from stored JSON values; a stored value that no longer parses keeps the default."""
    kwargs: dict[str, Any] = {}
    for key, raw in values.items():
        if key in SETTING_KEYS:
            try:
                kwargs[key] = parse_setting(key, raw)
            except ValueError:
                continue
    result = PolicySettings(**kwargs)
    if result.business_open >= result.business_close:
        result = dataclasses.replace(
            result,
            business_open=PolicySettings.business_open,
            business_close=PolicySettings.business_close,
        )
    return result


def email_domain_allowed(email: str, domains: tuple[str, ...]) -> bool:
    """True when the address is on one of the domains or a subdomain of one."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return any(domain == d or domain.endswith("." + d) for d in domains)
