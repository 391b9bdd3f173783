"""Platform export files built from the exact headers of the research note, with the quirks
it lists: BOMs, UTF-16, the ``sep=`` and title lines, Swedish headers, blank versus zero,
"3423.0" counts, captions over several lines, ids with a leading space, the "Total" row."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FB_POSTS_HEADER = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
    "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages",
    "Custom labels", "Funded content status", "Data comment", "Date", "Views",
    "Views from Organic posts", "Views from Boosted posts", "Reach", "Reach from Organic posts",
    "Reach from Boosted posts", "3-second video views", "1-minute video views",
    "3-Second viewers", "1-minute viewers", "3-second video views from Boosted posts",
    "3-second video views from Organic posts", "Reactions, Comments and Shares", "Reactions",
    "Comments", "Shares", "Seconds viewed", "Average Seconds viewed",
]  # fmt: skip
FB_SWEDISH = {
    "Post ID": "Publicerings-id", "Page ID": "Sid-id", "Publish time": "Publiceringstid",
    "Views": "Visningar", "Reach": "Räckvidd",
    "Reactions, Comments and Shares": "Reaktioner, kommentarer och delningar",
    "Reactions": "Reaktioner", "Comments": "Kommentarer", "Shares": "Delningar",
    "Seconds viewed": "Sekunder visad",
}  # fmt: skip
IG_POSTS_HEADER = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views",
    "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip
X_LEGACY_HEADER = [
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements",
    "engagement rate", "retweets", "replies", "likes", "user profile clicks", "url clicks",
    "hashtag clicks", "detail expands", "permalink clicks", "app opens", "app installs",
    "follows", "email tweet", "dial phone", "media views", "media engagements",
]  # fmt: skip
X_LEGACY_HEADER += [f"promoted {h}" for h in X_LEGACY_HEADER[4:]]
X_POSTS_EARLY = [
    "Post id", "Date", "Post text", "Link", "Impressions", "Likes", "Engagements", "Bookmarks",
    "Share", "New follows", "Replies", "Reposts", "Profile visits", "Detail expands",
    "Url clicks", "Hashtag clicks", "Permalink clicks",
]  # fmt: skip
X_POSTS_LATE = [
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
]  # fmt: skip
X_OVERVIEW = [
    "Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows",
    "Unfollows", "Replies", "Reposts", "Profile visits", "Create Post", "Video views",
    "Media views",
]  # fmt: skip
YT_TABLE = [
    "Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)",
    "Subscribers", "Impressions", "Impressions click-through rate (%)", "Likes",
    "Comments added", "Shares", "Average view duration",
]  # fmt: skip
LI_METRICS = [
    "Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)",
    "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)", "Clicks (total)",
    "Reactions (organic)", "Reactions (sponsored)", "Reactions (total)", "Comments (organic)",
    "Comments (sponsored)", "Comments (total)", "Reposts (organic)", "Reposts (sponsored)",
    "Reposts (total)", "Engagement rate (organic)", "Engagement rate (sponsored)",
    "Engagement rate (total)",
]  # fmt: skip
LI_POSTS = [
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
    "Campaign start date", "Campaign end date", "Audience", "Impressions", "Views",
    "Offsite Views", "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts",
    "Follows", "Engagement rate", "Content Type",
]  # fmt: skip


def csv_text(header: Sequence[str], rows: Sequence[dict[str, Any]], *, quote_all: bool = False,
             newline: str = "\n") -> str:  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(
        out, lineterminator=newline, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue()


def facebook_posts(swedish: bool = False, page: str = "Sask Health") -> bytes:
    rows = [
        {"Post ID": "2855862537940540_1001", "Page ID": "2855862537940540", "Page name": page,
         "Title": "", "Description": "Clinic hours\nfor the long weekend\n\U0001d5d5\U0001d5ff",
         "Publish time": "09/01/2025 21:13", "Post type": "Photos", "Date": "Lifetime",
         "Views": "4200", "Reach": "3100", "Reactions, Comments and Shares": "160",
         "Reactions": "120", "Comments": "25", "Shares": "15", "Seconds viewed": "",
         "Average Seconds viewed": ""},
        {"Post ID": "2855862537940540_1002", "Page ID": "2855862537940540", "Page name": page,
         "Title": "Flu shots", "Publish time": "09/15/2025 08:05", "Post type": "Videos",
         "Date": "Lifetime", "Views": "10000", "Reach": "8000",
         "Reactions, Comments and Shares": "100", "Reactions": "80", "Comments": "0",
         "Shares": "20", "Seconds viewed": "4395.683", "Average Seconds viewed": "12.5"},
        {"Post ID": "2855862537940540_1003", "Page ID": "2855862537940540", "Page name": page,
         "Title": "Back to school", "Publish time": "10/02/2025 10:00", "Post type": "Photos",
         "Date": "Lifetime", "Views": "900", "Reach": "700", "Reactions": "30",
         "Comments": "3", "Shares": "2"},
    ]  # fmt: skip
    header = [FB_SWEDISH.get(h, h) for h in FB_POSTS_HEADER] if swedish else FB_POSTS_HEADER
    if swedish:
        rows = [{FB_SWEDISH.get(k, k): v for k, v in r.items()} for r in rows]
    return b"\xef\xbb\xbf" + csv_text(header, rows).encode("utf-8")


def instagram_posts() -> bytes:
    rows = [
        {"Post ID": "17900000000000001", "Account ID": "1727196598254722",
         "Account username": "skhealth", "Account name": "Sask Health",
         "Description": "Reel", "Publish time": "09/03/2025 12:00", "Post type": "IG reel",
         "Date": "Lifetime", "Views": "5000", "Reach": "4000", "Likes": "300", "Shares": "40",
         "Follows": "12", "Comments": "18", "Saves": "7"},
    ]  # fmt: skip
    return b"\xef\xbb\xbf" + csv_text(IG_POSTS_HEADER, rows).encode("utf-8")


def facebook_daily(
    title: str = "Facebook follows", values: Sequence[str] = ("20", "", "5")
) -> bytes:
    lines = ["sep=,", f'"{title}"', '"Date","Primary"']
    for n, value in enumerate(values):
        lines.append(f'"2025-09-{20 + n:02d}T00:00:00","{value}"')
    return "\ufeff".join(["", "\n".join(lines) + "\n"]).encode("utf-16-le")


def x_legacy() -> bytes:
    base = {h: "0" for h in X_LEGACY_HEADER}
    rows = []
    for n, (impressions, likes) in enumerate([("3423.0", "41.0"), ("1200.0", "0.0")]):
        row = dict(base)
        row.update({"Tweet id": f"147571{n}", "Tweet permalink": f"https://twitter.com/rOpenSci/status/147571{n}",
                    "Tweet text": "New package!\nTry it", "time": f"2021-12-{28 + n} 16:45 +0000",
                    "impressions": impressions, "engagements": "60.0",
                    "engagement rate": "0.0175", "retweets": "9.0", "replies": "2.0",
                    "likes": likes, "follows": "1.0"})  # fmt: skip
        row.update({h: "-" for h in X_LEGACY_HEADER if h.startswith("promoted ")})
        rows.append(row)
    return csv_text(X_LEGACY_HEADER, rows, quote_all=True).encode("utf-8")


def x_posts(late: bool = True) -> bytes:
    header = X_POSTS_LATE if late else X_POSTS_EARLY
    link = "Post Link" if late else "Link"
    day = "Sun, Dec 14, 2025" if late else "Mon Feb 17 2025"
    rows = [{"Post id": "1867000000000000001", "Date": day, "Post text": "Road closures",
             link: "https://x.com/SKGov/status/1867000000000000001", "Impressions": "2500",
             "Likes": "70", "Engagements": "130", "New follows": "3", "Replies": "11",
             "Reposts": "16"}]  # fmt: skip
    return csv_text(header, rows, newline="\r\n" if not late else "\n").encode("utf-8")


def x_overview() -> bytes:
    rows = [{"Date": f"Tue, Feb {18 + n}, 2025", "Impressions": str(1000 + n), "Likes": "10",
             "Engagements": "30", "New follows": "2", "Unfollows": "1", "Replies": "3",
             "Reposts": "4", "Create Post": "1"} for n in range(3)]  # fmt: skip
    return csv_text(X_OVERVIEW, rows).encode("utf-8")


def youtube_table() -> str:
    rows = [
        {"Content": "Total", "Views": "1500", "Watch time (hours)": "25.5", "Likes": "90"},
        {"Content": " -HHGH-TTqYM", "Video title": "Wildfire update", "Video publish time":
         "Sep 27, 2024", "Duration": "245", "Views": "1000", "Watch time (hours)": "20.5",
         "Subscribers": "-2", "Impressions": "9000", "Likes": "60", "Comments added": "7",
         "Shares": "5", "Average view duration": "0:04:23"},
        {"Content": "dQw4w9WgXcQ", "Video title": "Flu clinics", "Video publish time":
         "Sep 30, 2024", "Duration": "100", "Views": "500", "Watch time (hours)": "5",
         "Subscribers": "3", "Impressions": "4000", "Likes": "30", "Comments added": "",
         "Shares": "0", "Average view duration": "0:01:10"},
    ]  # fmt: skip
    return csv_text(YT_TABLE, rows)


def youtube_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Table data.csv", youtube_table())
        archive.writestr("Totals.csv", "Date,Views\n2024-09-27,700\n")
    return out.getvalue()


def linkedin_xlsx(path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    metrics = book.add_worksheet("Metrics")
    metrics.write_row(0, 0, ["Aggregated metrics for your page. Data is delayed by up to 2 "
                              "days. All dates and times are in UTC."])  # fmt: skip
    metrics.write_row(1, 0, LI_METRICS)
    for n in range(3):
        row = [f"09/{10 + n:02d}/2025", 100, 0, 100 + n, 80, 5, 0, 5, 10, 0, 10 + n, 2, 0, 2, 1,
               0, 1, 0.13, 0, 0.13]  # fmt: skip
        metrics.write_row(2 + n, 0, row)
    posts = book.add_worksheet("All posts")
    posts.write_row(0, 0, ["All posts of your page. All dates and times are in UTC."])
    posts.write_row(1, 0, LI_POSTS)
    posts.write_row(2, 0, ["Hiring nurses", "https://www.linkedin.com/feed/update/urn:li:activity:7101/",
                           "Image", "", "SK Health", "09/11/2025", "", "", "All followers", 400, "",
                           "", 20, 0.05, 25, 4, 3, 2, 0.08, "Organic"])  # fmt: skip
    book.close()
    return path
