from __future__ import annotations

import pytest

from desktop.reports.masking import EMAIL_MASK, HANDLE_MASK, PHONE_MASK, mask_personal_info


@pytest.mark.parametrize(
    "address", ["jane.doe@example.com", "j+tag@mail.sasktel.net", "MARIE_99@Gmail.CA"]
)
def test_email_addresses_are_masked(address: str) -> None:
    assert mask_personal_info(f"Write to {address} today.") == f"Write to {EMAIL_MASK} today."


@pytest.mark.parametrize(
    "phone", ["(306) 555-0143", "306-555-0143", "306.787.1234", "+1 639 555 0199", "1-800-667-7766"]
)
def test_phone_numbers_are_masked(phone: str) -> None:
    assert mask_personal_info(f"Call {phone} now") == f"Call {PHONE_MASK} now"


def test_citizens_handles_are_masked_but_government_accounts_stay() -> None:
    text = "@janedoe99 told @SKHealth and @saskgov_news about it"
    masked = mask_personal_info(text, official_handles={"skhealth", "@SaskGov_News"})
    assert masked == f"{HANDLE_MASK} told @SKHealth and @saskgov_news about it"


def test_everything_in_one_comment() -> None:
    text = "Hi @SKHealth, I'm @jd (jd@example.org, 306 555 0143)."
    assert mask_personal_info(text, ["SKHealth"]) == (
        f"Hi @SKHealth, I'm {HANDLE_MASK} ({EMAIL_MASK}, {PHONE_MASK})."
    )


def test_text_without_personal_information_is_unchanged() -> None:
    text = "When does the clinic on 8th Street open? It was closed on 2026-03-04 at 10:30."
    assert mask_personal_info(text) == text
