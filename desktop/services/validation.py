"""Input checks shared by the services; each failure names the field and what to do."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlparse

from desktop.errors import DomainError
from desktop.policy.settings import email_domain_allowed

E = TypeVar("E", bound=StrEnum)


def text(
    value: str | None, label: str, *, field: str, required: bool = True, max_len: int = 200
) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(f"{label} is required.", field)
    if len(cleaned) > max_len:
        raise DomainError(
            f"{label} is too long ({len(cleaned)} characters); the limit is {max_len}.", field
        )
    return cleaned


def email(value: str | None, label: str, *, field: str, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise DomainError(f"{label} is required.", field)
        return ""
    # Imported when first needed: ~60 ms with phonenumbers, off every start of the app.
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(cleaned, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError(
            f"{label} {cleaned!r} is not a valid e-mail address: {exc}", field
        ) from exc
    return str(result.normalized)


def government_email(value: str | None, label: str, domains: tuple[str, ...], *, field: str) -> str:
    """A valid address on an allowed government domain; personal e-mail is refused."""
    address = email(value, label, field=field)
    if not email_domain_allowed(address, domains):
        raise DomainError(
            f"{label} {address} is not a government address: accounts must be tied to an "
            f"address on {', '.join(domains)} (personal e-mail may not be used).",
            field,
        )
    return address


def url(value: str | None, label: str, *, field: str, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise DomainError(f"{label} is required.", field)
        return ""
    parsed = urlparse(cleaned)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or "." not in parsed.netloc:
        raise DomainError(
            f"{label} {cleaned!r} is not a web address; it must start with https:// "
            "and name a site, e.g. https://www.saskatchewan.ca/",
            field,
        )
    if len(cleaned) > 500:
        raise DomainError(f"{label} is too long; the limit is 500 characters.", field)
    return cleaned


def phone(value: str | None, label: str, *, field: str, required: bool = False) -> str:
    """A valid North American (or international, with +) number, stored in E.164."""
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise DomainError(f"{label} is required.", field)
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(cleaned, "CA")
    except phonenumbers.NumberParseException as exc:
        raise DomainError(f"{label} {cleaned!r} is not a phone number.", field) from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            f"{label} {cleaned!r} is not a valid phone number; give the area code, "
            "e.g. 306-787-1234, or +country code for numbers abroad.",
            field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def date_order(start: date, end: date, start_label: str, end_label: str, *, field: str) -> None:
    if end < start:
        raise DomainError(
            f"{end_label} ({end.isoformat()}) is before {start_label} ({start.isoformat()}); "
            "swap them or correct one.",
            field,
        )


def choice(value: str | E, enum_type: type[E], label: str, *, field: str) -> E:
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(str(value).strip().lower())
    except ValueError as exc:
        options = ", ".join(m.value for m in enum_type)
        raise DomainError(f"{label} {value!r} is not one of: {options}.", field) from exc
