"""Mask personal information in comment excerpts: e-mail addresses, phone numbers, and the
@handles of citizens (the government's own account handles stay readable)."""

from __future__ import annotations

import re
from collections.abc import Collection

import phonenumbers

EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[phone]"
HANDLE_MASK = "@[citizen]"
AUTHOR_MASK = "(withheld)"

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
