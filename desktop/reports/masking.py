"""Mask personal information in comment excerpts: e-mail addresses, phone numbers, and the
@handles of citizens (the government's own account handles stay readable)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable

import phonenumbers

from desktop.policy.findings import Finding

EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[phone]"
HANDLE_MASK = "@[citizen]"
AUTHOR_MASK = "(withheld)"
# Findings about a member of the public, named by their handle: masked like comment text.
CITIZEN_SUBJECTS = frozenset({"commenter", "ban"})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A handle starts after a non-word character (so the middle of an address never matches).
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,58}[A-Za-z0-9_])?)")


def mask_personal_info(text: str, official_handles: Collection[str] = ()) -> str:
    """``text`` with e-mail addresses, phone numbers and citizens' @handles replaced.

    ``official_handles`` (any case, without @) are the government's accounts: naming them is
    not personal information. Phone numbers are found as North American numbers; anything that
    could be one is masked, since hiding an order number does less harm than showing a phone.
    """
    out = _EMAIL.sub(EMAIL_MASK, text)
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(out, "CA", leniency=phonenumbers.Leniency.POSSIBLE)
    ]
    for start, end in reversed(spans):
        out = out[:start] + PHONE_MASK + out[end:]
    keep = {h.lower().lstrip("@") for h in official_handles}

    def handle(m: re.Match[str]) -> str:
        return m.group(0) if m.group(1).lower() in keep else HANDLE_MASK

    return _HANDLE.sub(handle, out)


def commenter_label(subject_label: str) -> str:
    """'Facebook @someone' as 'a Facebook commenter'."""
    platform, sep, _handle = subject_label.partition(" @")
    return f"a {platform} commenter" if sep and platform else "a commenter"


def mask_finding(finding: Finding, official_handles: Collection[str] = ()) -> Finding:
    """A finding about a citizen with their handle and contact details withheld; findings
    about the government's own records (accounts, staff, campaigns) are returned as they are.
    """
    if finding.subject_type not in CITIZEN_SUBJECTS:
        return finding
    label = commenter_label(finding.subject_label)
    message = finding.message.replace(finding.subject_label, label[0].upper() + label[1:])
    return dataclasses.replace(
        finding,
        subject_label=label[0].upper() + label[1:],
        message=mask_personal_info(message, official_handles),
        remedy=mask_personal_info(finding.remedy, official_handles),
    )


def mask_findings(
    findings: Iterable[Finding], official_handles: Collection[str] = ()
) -> tuple[Finding, ...]:
    return tuple(mask_finding(f, official_handles) for f in findings)
