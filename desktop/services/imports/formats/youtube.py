"""YouTube Studio's Advanced mode exports: ``Table data.csv`` (per video, or per day when
the chosen dimension is Date) and ``Chart data.csv`` (per day and video), loose or in the
ZIP as downloaded. The first data row is the "Total" of the others."""

from __future__ import annotations

from desktop.enums import Platform
from desktop.services.imports import values as v
from desktop.services.imports.formats.base import Spec

_MEASURES = {
    "views": ("Views",),
    "watch_seconds": ("Watch time (hours)",),
    "average_view_seconds": ("Average view duration",),
    "reactions": ("Likes",),
    "comments": ("Comments added",),
    "shares": ("Shares",),
    "follows": ("Subscribers",),  # net: can be negative
}
_CONVERT = {"watch_seconds": v.hours_as_seconds, "average_view_seconds": v.seconds}
_UNUSED = (
    "Duration", "Impressions", "Impressions click-through rate (%)", "Stayed to watch (%)",
    "Unique viewers", "Average views per viewer", "New viewers", "Returning viewers",
    "Casual viewers", "Engaged views", "Average percentage viewed (%)",
    "Estimated revenue (USD)", "Subscribers gained", "Subscribers lost", "Dislikes",
)  # fmt: skip

TABLE_BY_CONTENT = Spec(
    key="youtube_table_content",
    label="YouTube Studio: table data by video",
    platform=Platform.YOUTUBE,
    shape="posts",
    columns={
        "post_id": ("Content",),
        "title": ("Video title",),
        "published": ("Video publish time",),
        **_MEASURES,
    },
    required=("post_id", "title"),
    date_patterns=("%b %d, %Y",),
    timed=False,
    unused=_UNUSED,
    converters=_CONVERT,
)

TABLE_BY_DATE = Spec(
    key="youtube_table_date",
    label="YouTube Studio: table data by day",
    platform=Platform.YOUTUBE,
    shape="daily",
    columns={"day": ("Date",), **_MEASURES},
    required=("day", "watch_seconds"),
    date_patterns=("%Y-%m-%d", "%b %d, %Y"),
    timed=False,
    unused=_UNUSED,
    converters=_CONVERT,
)

CHART = Spec(
    key="youtube_chart",
    label="YouTube Studio: chart data (per day and video)",
    platform=Platform.YOUTUBE,
    shape="daily",
    columns={
        "day": ("Date",),
        "content": ("Content",),
        "video_title": ("Video title",),
        "video_published": ("Video publish time",),
        **_MEASURES,
    },
    required=("day", "content", "video_title"),
    date_patterns=("%Y-%m-%d",),
    timed=False,
    unused=_UNUSED,
    converters=_CONVERT,
    sum_per_day=True,
)

SPECS = (TABLE_BY_CONTENT, TABLE_BY_DATE, CHART)
