"""Meta Business Suite exports: Facebook and Instagram posts (lifetime totals, UTF-8 with a
BOM, naive publish times) and the page-level daily series (UTF-16, a ``sep=`` line and a
title line naming the one metric of the file)."""

from __future__ import annotations

from desktop.enums import Platform
from desktop.services.imports import values as v
from desktop.services.imports.formats.base import Spec

_PUBLISHED = "%m/%d/%Y %H:%M"

FACEBOOK_POSTS = Spec(
    key="meta_facebook_posts",
    label="Meta Business Suite: Facebook posts",
    platform=Platform.FACEBOOK,
    shape="posts",
    columns={
        "post_id": ("Post ID", "Publicerings-id"),
        "page_id": ("Page ID", "Sid-id"),
        "account_name": ("Page name", "Sidnamn"),
        "title": ("Title", "Titel"),
        "description": ("Description", "Beskrivning"),
        "published": ("Publish time", "Publiceringstid"),
        "permalink": ("Permalink", "Permalänk"),
        "post_type": ("Post type", "Publiceringstyp", "Inläggstyp"),
        "lifetime": ("Date", "Datum"),
        "views": ("Views", "Impressions", "Visningar"),
        "reach": ("Reach", "Räckvidd"),
        "platform_engagements": (
            "Reactions, Comments and Shares",
            "Reaktioner, kommentarer och delningar",
        ),
        "reactions": ("Reactions", "Reaktioner"),
        "comments": ("Comments", "Kommentarer"),
        "shares": ("Shares", "Delningar"),
        "watch_seconds": ("Seconds viewed", "Sekunder visad"),
        "average_view_seconds": ("Average Seconds viewed", "Genomsnittligt antal sekunder visad"),
    },
    required=("post_id", "page_id", "published", "reactions"),
    date_patterns=(_PUBLISHED,),
    unused=(
        "Duration (sec)", "Caption type", "Is crosspost", "Is share", "Languages",
        "Custom labels", "Funded content status", "Data comment", "Views from Organic posts",
        "Views from Boosted posts", "Reach from Organic posts", "Reach from Boosted posts",
        "3-second video views", "1-minute video views", "3-Second viewers", "1-minute viewers",
        "3-second video views from Boosted posts", "3-second video views from Organic posts",
        "Total clicks", "Other Clicks", "Link Clicks", "Negative feedback from users: Hide all",
    ),
    unused_prefixes=("3-second video views from",),
    converters={"watch_seconds": v.seconds, "average_view_seconds": v.seconds},
    versions=(("Publiceringstid", "Swedish headers"), ("Impressions", "before 2025 (Impressions)")),
)  # fmt: skip

INSTAGRAM_POSTS = Spec(
    key="meta_instagram_posts",
    label="Meta Business Suite: Instagram posts",
    platform=Platform.INSTAGRAM,
    shape="posts",
    columns={
        "post_id": ("Post ID", "Publicerings-id"),
        "account_id": ("Account ID", "Konto-id"),
        "account_name": ("Account username", "Kontots användarnamn"),
        "description": ("Description", "Beskrivning"),
        "published": ("Publish time", "Publiceringstid"),
        "permalink": ("Permalink", "Permalänk"),
        "post_type": ("Post type", "Publiceringstyp", "Inläggstyp"),
        "lifetime": ("Date", "Datum"),
        "views": ("Views", "Impressions", "Visningar"),
        "reach": ("Reach", "Räckvidd"),
        "reactions": ("Likes", "Gilla-markeringar"),
        "shares": ("Shares", "Delningar"),
        "follows": ("Follows", "Följer", "Följare"),
        "comments": ("Comments", "Kommentarer"),
    },
    required=("post_id", "account_id", "published", "reactions"),
    date_patterns=(_PUBLISHED,),
    unused=("Account name", "Kontonamn", "Duration (sec)", "Data comment", "Saves", "Sparade"),
    versions=(("Publiceringstid", "Swedish headers"),),
)  # fmt: skip

# The page-level daily files hold one metric each, named by the title line above the header.
PAGE_DAILY_TITLES: dict[str, str] = {
    "facebook follows": "follows",
    "instagram follows": "follows",
    "follows": "follows",
    "views": "views",
    "facebook views": "views",
    "instagram views": "views",
    "viewers": "reach",
    "reach": "reach",
    "instagram reach": "reach",
    "content interactions": "platform_engagements",
}
PAGE_DAILY_NOT_IMPORTED = ("Facebook visits", "Facebook link clicks", "Link clicks", "Visits")

PAGE_DAILY = Spec(
    key="meta_page_daily",
    label="Meta Business Suite: page daily series",
    platform=Platform.FACEBOOK,
    shape="daily",
    columns={"day": ("Date", "Datum"), "value": ("Primary", "Primär")},
    required=("day", "value"),
    date_patterns=("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"),
    timed=False,
)

SPECS = (FACEBOOK_POSTS, INSTAGRAM_POSTS, PAGE_DAILY)
