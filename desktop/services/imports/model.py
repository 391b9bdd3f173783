"""What a platform export file holds once read: records with where they came from, and the
rows that could not be read with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from desktop.enums import Platform

# The measures an import brings in, as a person reads them. Followers are counted apart.
MEASURE_LABELS: dict[str, str] = {
    "reactions": "Reactions and likes",
    "comments": "Comments",
    "shares": "Shares, retweets and reposts",
    "reach": "Reach",
    "views": "Views and impressions",
    "watch_seconds": "Watch time (seconds)",
    "average_view_seconds": "Average view duration (kept with each post)",
    "posts": "Posts",
    "follows": "Followers gained (not engagement)",
    "unfollows": "Followers lost (not engagement)",
    "platform_engagements": "The platform's own engagement figure (cross-check only)",
}
# The monthly snapshot's field for each measure an import rolls up.
SNAPSHOT_FIELDS: dict[str, str] = {
    "reactions": "reactions",
    "comments": "comments",
    "shares": "shares",
    "reach": "reach",
    "views": "views",
    "watch_seconds": "watch_time_seconds",
}
POST_MEASURES = (
    "reactions",
    "comments",
    "shares",
    "reach",
    "views",
    "watch_seconds",
    "average_view_seconds",
    "follows",
    "platform_engagements",
)


@dataclass(frozen=True)
class Location:
    """Where a row is: ``file.csv:line N`` (physical line) or ``Sheet!row N``."""

    file: str
    line: int
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return f"{self.file} {self.sheet}!row {self.line}"
        return f"{self.file}:line {self.line}"


@dataclass(frozen=True)
class RowError:
    where: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class PostRecord:
    where: Location
    post_id: str
    published_at: datetime | None
    title: str = ""
    permalink: str = ""
    post_type: str = ""
    values: dict[str, int | None] = field(default_factory=dict)
    engagement_rate: float | None = None


@dataclass
class DailyRecord:
    where: Location
    day: date
    values: dict[str, int | None] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """One export file read: its format, records, refused rows and remarks."""

    file_name: str
    format_key: str
    format_label: str
    format_version: str
    platform: Platform
    posts: list[PostRecord] = field(default_factory=list)
    days: list[DailyRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # e.g. the "Total" row
    unknown_columns: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    account_hint: str = ""  # the page, username or handle the file names, if any
    measures: list[str] = field(default_factory=list)  # what the file brings, in order
