"""X (Twitter) analytics: the post and account-overview CSVs of today's X, and the legacy
analytics.twitter.com "tweet activity" file (UTC times, counts written as "3423.0",
promoted ones "-")."""

from __future__ import annotations

from desktop.enums import Platform
from desktop.services.imports.formats.base import Spec

_EARLY_2025 = "%a %b %d %Y"  # Mon Feb 17 2025
_LATE_2025 = "%a, %b %d, %Y"  # Sun, Dec 14, 2025

POSTS = Spec(
    key="x_posts",
    label="X analytics: posts",
    platform=Platform.X,
    shape="posts",
    columns={
        "post_id": ("Post id",),
        "published": ("Date",),
        "title": ("Post text",),
        "permalink": ("Post Link", "Link"),
        "views": ("Impressions",),
        "reactions": ("Likes",),
        "platform_engagements": ("Engagements",),
        "shares": ("Reposts",),
        "follows": ("New follows",),
        "comments": ("Replies",),
    },
    required=("post_id", "published", "views", "reactions"),
    date_patterns=(_LATE_2025, _EARLY_2025),
    timed=False,
    unused=(
        "Bookmarks", "Share", "Shares", "Profile visits", "Detail Expands", "URL Clicks",
        "Hashtag Clicks", "Permalink Clicks",
    ),
    versions=(("Post Link", "late 2025"), ("Link", "early 2025")),
)  # fmt: skip

OVERVIEW = Spec(
    key="x_account_overview",
    label="X analytics: account overview (daily)",
    platform=Platform.X,
    shape="daily",
    columns={
        "day": ("Date",),
        "views": ("Impressions",),
        "reactions": ("Likes",),
        "platform_engagements": ("Engagements",),
        "follows": ("New follows",),
        "unfollows": ("Unfollows",),
        "comments": ("Replies",),
        "shares": ("Reposts",),
        "posts": ("Create Post",),
    },
    required=("day", "views", "reactions", "unfollows"),
    date_patterns=(_LATE_2025, _EARLY_2025),
    timed=False,
    unused=("Bookmarks", "Shares", "Profile visits", "Video views", "Media views"),
)  # fmt: skip

TWEET_ACTIVITY = Spec(
    key="x_tweet_activity",
    label="Twitter analytics (legacy): tweet activity",
    platform=Platform.X,
    shape="posts",
    columns={
        "post_id": ("Tweet id",),
        "permalink": ("Tweet permalink",),
        "title": ("Tweet text",),
        "published": ("time",),
        "views": ("impressions",),
        "platform_engagements": ("engagements",),
        "engagement_rate": ("engagement rate",),
        "shares": ("retweets",),
        "comments": ("replies",),
        "reactions": ("likes", "favorites"),
        "follows": ("follows",),
    },
    required=("post_id", "published", "views"),
    date_patterns=("%Y-%m-%d %H:%M %z",),
    unused=(
        "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
        "permalink clicks", "app opens", "app installs", "email tweet", "dial phone",
        "media views", "media engagements",
    ),
    unused_prefixes=("promoted ",),
    versions=(("favorites", "2015 (favorites)"),),
    default_version="2016 and later",
)  # fmt: skip

SPECS = (POSTS, OVERVIEW, TWEET_ACTIVITY)
