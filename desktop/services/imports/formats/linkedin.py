"""LinkedIn Page analytics, Content export: an XLSX (older ones .xls) with the sheets
``Metrics`` (daily) and ``All posts``; row 1 is a sentence, the header is on row 2, dates are
text MM/DD/YYYY in UTC and rates are fractions."""

from __future__ import annotations

import re
from typing import Any

from desktop.enums import Platform
from desktop.services.imports import values as v
from desktop.services.imports.formats.base import Spec

_ACTIVITY = re.compile(r"urn:li:(?:activity|share|ugcPost):\d+")


def _post_id(cells: dict[str, Any]) -> str:
    link = str(cells.get("permalink") or "")
    found = _ACTIVITY.search(link)
    return found.group(0) if found else v.post_id(link)


DAILY = Spec(
    key="linkedin_metrics",
    label="LinkedIn Page: content metrics (daily)",
    platform=Platform.LINKEDIN,
    shape="daily",
    columns={
        "day": ("Date",),
        "views": ("Impressions (total)",),
        "reach": ("Unique impressions (organic)",),
        "reactions": ("Reactions (total)",),
        "comments": ("Comments (total)",),
        "shares": ("Reposts (total)", "Shares (total)"),
    },
    required=("day", "views", "reactions"),
    date_patterns=("%m/%d/%Y",),
    timed=False,
    unused=(
        "Impressions (organic)", "Impressions (sponsored)", "Clicks (organic)",
        "Clicks (sponsored)", "Clicks (total)", "Reactions (organic)", "Reactions (sponsored)",
        "Comments (organic)", "Comments (sponsored)", "Reposts (organic)",
        "Reposts (sponsored)", "Shares (organic)", "Shares (sponsored)",
        "Engagement rate (organic)", "Engagement rate (sponsored)", "Engagement rate (total)",
    ),
    versions=(("Shares (total)", "before 2024 (Shares)"),),
)  # fmt: skip

POSTS = Spec(
    key="linkedin_posts",
    label="LinkedIn Page: all posts",
    platform=Platform.LINKEDIN,
    shape="posts",
    columns={
        "title": ("Post title",),
        "permalink": ("Post link",),
        "post_type": ("Post type",),
        "published": ("Created date",),
        "views": ("Impressions",),
        "reactions": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Reposts", "Shares"),
        "follows": ("Follows",),
        "engagement_rate": ("Engagement rate",),
    },
    required=("title", "permalink", "published", "views"),
    date_patterns=("%m/%d/%Y",),
    timed=False,
    unused=(
        "Campaign name", "Posted by", "Campaign start date", "Campaign end date", "Audience",
        "Views", "Offsite Views", "Clicks", "Click through rate (CTR)", "Content Type",
    ),
    post_id_from=_post_id,
)  # fmt: skip

SPECS = (DAILY, POSTS)
