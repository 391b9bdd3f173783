"""Which accounts are international (policy: "International social media accounts, such as
WECHAT"): WeChat, and any account that posts in a language other than English or French."""

from __future__ import annotations

import re

from desktop.enums import Platform

# Words that name English or French, as people type them in the language field.
_OFFICIAL = frozenset(
    {"en", "eng", "english", "anglais", "fr", "fre", "fra", "french", "francais", "français"}
)
_JOINERS = frozenset({"and", "et", "or"})
INTERNATIONAL_PLATFORMS = frozenset({Platform.WECHAT})


def is_official_language(language: str) -> bool:
    """True for English, French, both, or nothing given ("English/French", "fr-CA" included)."""
    words = [w for w in re.split(r"[^\w]+", language.strip().lower()) if w]
    words = [w for w in words if w not in _JOINERS and w not in {"ca", "canada", "canadian"}]
    return all(w in _OFFICIAL for w in words)


def defaults_to_international(platform: Platform, language: str) -> bool:
    """Whether an account is international unless someone says otherwise."""
    return platform in INTERNATIONAL_PLATFORMS or not is_official_language(language)
