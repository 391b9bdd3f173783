"""Comment files: the Facebook Graph API's comments JSON, YouTube's ``commentThreads`` JSON,
the app's own CSV template (for every other source) and Google Takeout's ``comments.csv``
(the channel's own comments: replies feed the account's responses)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from desktop.errors import DomainError
from desktop.services.imports import values as v
from desktop.services.imports.model import Location, RowError
from desktop.services.imports.sources import Sheet, Source, decode

TEMPLATE_HEADER = (
    "account", "comment_id", "received_at", "author_name", "author_handle", "text", "url", "kind",
)  # fmt: skip
TEMPLATE_EXAMPLE = (
    "account,comment_id,received_at,author_name,author_handle,text,url,kind\n"
    "facebook:SaskHealth,10161234567890_1234,2026-11-16T14:05:00-06:00,Jane Citizen,"
    'janecitizen,"When does the flu clinic in Moose Jaw open?",'
    "https://www.facebook.com/SaskHealth/posts/10161234567890,question\n"
    "x:SKGov,1867000000000000042,2026-11-16 16:40,Prairie Reporter,prairiereporter,"
    '"Is Highway 1 closed east of Regina?",,media\n'
)
KINDS = ("question", "comment", "complaint", "compliment", "media")
NO_TEXT = "(no text: a sticker, photo or link only)"
_TAKEOUT = {
    "comment id": "comment_id",
    "comment create timestamp": "created",
    "parent comment id": "parent",
    "video id": "video",
    "comment text": "text",
    "channel id": "channel",
}


@dataclass
class CommentRecord:
    where: Location
    external_id: str
    received_at: datetime
    text: str
    author_name: str = ""
    author_handle: str = ""
    url: str = ""
    kind: str = ""
    account: str = ""  # the template's PLATFORM:HANDLE column


@dataclass
class ReplyRecord:
    """A reply by the account itself: a response to the comment ``parent_id``."""

    where: Location
    external_id: str
    parent_id: str
    responded_at: datetime
    text: str


@dataclass
class CommentFile:
    file_name: str
    format_key: str
    format_label: str
    comments: list[CommentRecord] = field(default_factory=list)
    replies: list[ReplyRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_comment_source(source: Source, raw: bytes, zone: str) -> CommentFile:
    text = decode(source, source.name, raw).lstrip("\ufeff")
    if text.lstrip().startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DomainError(
                f"{source.name}: the JSON is broken at line {exc.lineno}, column {exc.colno} "
                "(the file may be cut short); nothing was imported."
            ) from None
        return _json_file(source.name, document)
    sheet = source.sheets[0]
    headers = [v.header_key(h) for h in (sheet.rows[0][1] if sheet.rows else [])]
    if {"comment id", "comment create timestamp", "comment text"} <= set(headers):
        return _takeout(sheet, headers)
    if {"received_at", "text"} <= set(headers):
        return _template(sheet, headers, zone)
    raise DomainError(
        f"{source.name}: the app does not recognise this comments file. It reads the Facebook "
        "Graph API's comments JSON, YouTube's commentThreads JSON, Google Takeout's "
        "comments.csv and the app's own CSV template (columns: " + ", ".join(TEMPLATE_HEADER) + ")."
    )


def _json_file(name: str, document: Any) -> CommentFile:
    pages = document if isinstance(document, list) else [document]
    if all(isinstance(p, dict) and "data" in p for p in pages):
        out = CommentFile(name, "facebook_graph_comments", "Facebook Graph API: comments (JSON)")
        for p_index, page in enumerate(pages):
            for index, item in enumerate(page.get("data") or []):
                _graph_comment(out, Location(name, index + 1, f"data[{p_index}]"), item)
        return out
    if all(isinstance(p, dict) and "items" in p for p in pages):
        out = CommentFile(
            name, "youtube_comment_threads", "YouTube Data API: commentThreads (JSON)"
        )
        for p_index, page in enumerate(pages):
            for index, thread in enumerate(page.get("items") or []):
                _youtube_thread(out, Location(name, index + 1, f"items[{p_index}]"), thread)
        return out
    raise DomainError(
        f"{name} is JSON, but neither the Graph API's comments (a \"data\" list) nor YouTube's "
        'commentThreads (an "items" list).'
    )


def _instant(text: Any) -> datetime:
    raw = str(text or "").strip()
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{raw!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise ValueError(f"{raw!r} has no time zone")
    return value.astimezone(UTC)


def _graph_comment(out: CommentFile, where: Location, item: Any) -> None:
    try:
        if not isinstance(item, dict) or not item.get("id"):
            raise ValueError("a comment without an id")
        who = item.get("from") or {}
        out.comments.append(
            CommentRecord(
                where,
                external_id=str(item["id"]).strip(),
                received_at=_instant(item.get("created_time")),
                text=str(item.get("message") or "").strip() or NO_TEXT,
                author_name=str(who.get("name") or ""),
                author_handle=str(who.get("id") or ""),
                url=str(item.get("permalink_url") or ""),
            )
        )
    except ValueError as exc:
        out.errors.append(RowError(where, str(exc)))


def _youtube_thread(out: CommentFile, where: Location, thread: Any) -> None:
    try:
        snippet = thread["snippet"]
        channel = str(snippet.get("channelId") or "")
        top = snippet["topLevelComment"]
        video = str(snippet.get("videoId") or "")
        _youtube_comment(out, where, top, channel, video)
        for reply in (thread.get("replies") or {}).get("comments") or []:
            _youtube_comment(out, where, reply, channel, video)
    except (KeyError, TypeError) as exc:
        out.errors.append(RowError(where, f"a comment thread without {exc}"))


def _youtube_comment(
    out: CommentFile, where: Location, comment: dict[str, Any], channel: str, video: str
) -> None:
    try:
        s = comment["snippet"]
        author_channel = str((s.get("authorChannelId") or {}).get("value") or "")
        text = str(s.get("textOriginal") or s.get("textDisplay") or "").strip() or NO_TEXT
        at = _instant(s.get("publishedAt"))
        cid = str(comment["id"]).strip()
        if channel and author_channel == channel and s.get("parentId"):
            out.replies.append(ReplyRecord(where, cid, str(s["parentId"]), at, text))
            return
        if channel and author_channel == channel:
            out.skipped.append(f"{where}: the channel's own comment {cid}, not a reply")
            return
        url = f"https://www.youtube.com/watch?v={video}&lc={cid}" if video else ""
        out.comments.append(
            CommentRecord(
                where, cid, at, text,
                author_name=str(s.get("authorDisplayName") or "").lstrip("@"),
                author_handle=str(s.get("authorDisplayName") or "").lstrip("@"),
                url=url,
            )
        )  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        out.errors.append(RowError(where, f"comment: {exc}"))


def _cells(sheet: Sheet, headers: list[str]) -> list[tuple[Location, dict[str, str]]]:
    rows = []
    for line, cells in sheet.rows[1:]:
        if not any(str(c).strip() for c in cells):
            continue
        where = Location(sheet.file, line, sheet.name)
        rows.append((where, {h: str(c) for h, c in zip(headers, cells, strict=False)}))
    return rows


def _template(sheet: Sheet, headers: list[str], zone: str) -> CommentFile:
    out = CommentFile(sheet.file, "smgov_comment_template", "The app's comment template (CSV)")
    for where, row in _cells(sheet, headers):
        try:
            raw = row.get("received_at", "").strip()
            try:
                received = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(
                    f"received_at {raw!r} is not a time like 2026-11-16T14:05:00-06:00"
                ) from None
            if received.tzinfo is None:
                received = received.replace(tzinfo=ZoneInfo(zone))
            text = row.get("text", "").strip()
            if not text:
                raise ValueError("text is empty")
            kind = row.get("kind", "").strip().lower()
            if kind and kind not in KINDS:
                raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
            out.comments.append(
                CommentRecord(
                    where,
                    external_id=row.get("comment_id", "").strip(),
                    received_at=received.astimezone(UTC),
                    text=text,
                    author_name=row.get("author_name", "").strip(),
                    author_handle=row.get("author_handle", "").strip().lstrip("@"),
                    url=row.get("url", "").strip(),
                    kind=kind,
                    account=row.get("account", "").strip(),
                )
            )
        except ValueError as exc:
            out.errors.append(RowError(where, str(exc)))
    return out


def _takeout(sheet: Sheet, headers: list[str]) -> CommentFile:
    out = CommentFile(sheet.file, "google_takeout_comments", "Google Takeout: YouTube comments")
    keyed = [_TAKEOUT.get(h, h) for h in headers]
    for where, row in _cells(sheet, keyed):
        try:
            parent = row.get("parent", "").strip()
            cid = row.get("comment_id", "").strip()
            if not parent:
                out.skipped.append(f"{where}: comment {cid} is not a reply (nothing to answer)")
                continue
            out.replies.append(
                ReplyRecord(where, cid, parent, _instant(row.get("created")),
                            _takeout_text(row.get("text", "")))
            )  # fmt: skip
        except ValueError as exc:
            out.errors.append(RowError(where, str(exc)))
    return out


def _takeout_text(raw: str) -> str:
    try:
        segments = json.loads(raw)["takeoutSegments"]
        return "".join(str(s.get("text", "")) for s in segments)
    except (ValueError, KeyError, TypeError):
        return raw
