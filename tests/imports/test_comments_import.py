"""Comments from the Graph API, YouTube and the CSV template land unassigned in the log with
service-level due times; Takeout replies become responses; nothing is logged twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop import cli
from desktop.enums import CommentStatus, EmergencyKind, Platform, ResponseMethod
from desktop.models import Comment, Response
from desktop.services.emergencies import EmergencyService
from desktop.services.imports.comment_formats import TEMPLATE_EXAMPLE
from desktop.services.imports.comments_import import CommentImportService
from desktop.storage.database import Database
from tests.factories import Cast

GRAPH = {
    "data": [
        {"id": "10161_1", "message": "When does the flu clinic open?",
         "created_time": "2026-11-13T22:30:00+0000", "from": {"name": "Jane Citizen", "id": "901"},
         "permalink_url": "https://www.facebook.com/SaskHealth/posts/10161?comment_id=1"},
        {"id": "10161_2", "message": "Thanks!", "created_time": "2026-11-17T15:00:00+0000"},
    ],
    "paging": {"cursors": {"before": "a", "after": "b"}},
}  # fmt: skip


def _yt_comment(cid: str, author: str, channel: str, text: str, at: str,
                parent: str | None = None) -> dict[str, object]:  # fmt: skip
    snippet = {"authorDisplayName": author, "authorChannelId": {"value": channel},
               "textOriginal": text, "textDisplay": text, "publishedAt": at}  # fmt: skip
    if parent:
        snippet["parentId"] = parent
    return {"id": cid, "snippet": snippet}


YOUTUBE = {
    "kind": "youtube#commentThreadListResponse",
    "items": [
        {
            "id": "UgxA",
            "snippet": {
                "channelId": "UCskhealth",
                "videoId": "-HHGH-TTqYM",
                "topLevelComment": _yt_comment(
                    "UgxA", "@prairiemom", "UCmom", "Is the smoke advisory still on?",
                    "2026-11-17T20:00:00Z",
                ),
            },
            "replies": {
                "comments": [
                    _yt_comment("UgxA.r1", "@SaskHealthTV", "UCskhealth",
                                "Yes, until Friday.", "2026-11-17T21:00:00Z", "UgxA"),
                ]
            },
        }
    ],
}  # fmt: skip


@pytest.fixture
def page(cast: Cast) -> object:
    return cast.account("SaskHealth", Platform.FACEBOOK)


def _write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def test_graph_comments_get_due_times_and_land_unassigned(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    service = CommentImportService(cast.ctx("officer"))
    preview = service.preview(_write(tmp_path, "comments.json", GRAPH), page.id)  # type: ignore[attr-defined]
    assert (preview.new, preview.unchanged, preview.rejected) == (2, 0, 0)
    assert preview.overdue == 1  # received Friday afternoon, answer was due Monday 17:00
    service.commit(preview)
    with cast.db.read() as s:
        first = s.scalars(select(Comment).where(Comment.external_id == "10161_1")).one()
    assert first.status is CommentStatus.NEW
    assert first.assignee_id is None
    # Friday 16:30 in Regina: acknowledge by 09:30 Monday, answer by 17:00 Monday.
    assert first.acknowledge_due_at == datetime(2026, 11, 16, 15, 30, tzinfo=UTC)
    assert first.answer_due_at == datetime(2026, 11, 16, 23, 0, tzinfo=UTC)
    assert (first.author_name, first.author_handle) == ("Jane Citizen", "901")


def test_the_same_comments_in_another_file_are_not_logged_twice(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    service = CommentImportService(cast.ctx("officer"))
    service.commit(service.preview(_write(tmp_path, "a.json", GRAPH), page.id))  # type: ignore[attr-defined]
    again = service.preview(_write(tmp_path, "b.json", {"data": GRAPH["data"]}), page.id)  # type: ignore[attr-defined]
    assert (again.new, again.unchanged) == (0, 2)
    service.commit(again)
    with cast.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Comment)) == 2


def test_comments_during_an_emergency_get_the_24_7_clock(
    cast: Cast, page: object, tmp_path: Path
) -> None:
    EmergencyService(cast.ctx("comms")).declare(
        EmergencyKind.FOREST_FIRE,
        "Wildfire near Prince Albert",
        ministry_ids=[cast.health.id],
        on_call_ministry_id=cast.people["officer"].id,
        on_call_council_id=cast.people["council"].id,
        declared_at=datetime(2026, 11, 13, 12, 0, tzinfo=UTC),
    )
    service = CommentImportService(cast.ctx("officer"))
    preview = service.preview(_write(tmp_path, "c.json", GRAPH), page.id)  # type: ignore[attr-defined]
    assert preview.in_emergency == 2
    service.commit(preview)
    with cast.db.read() as s:
        first = s.scalars(select(Comment).where(Comment.external_id == "10161_1")).one()
    assert first.acknowledge_due_at == datetime(2026, 11, 13, 23, 30, tzinfo=UTC)
    assert first.emergency_id is not None


def test_youtube_threads_and_the_channels_reply_becomes_a_response(
    cast: Cast, tmp_path: Path
) -> None:
    channel = cast.account("SaskHealthTV", Platform.YOUTUBE)
    service = CommentImportService(cast.ctx("officer"))
    preview = service.preview(_write(tmp_path, "threads.json", YOUTUBE), channel.id)
    assert (preview.new, preview.replies_new) == (1, 0)  # the parent is new in this file
    service.commit(preview)
    with cast.db.read() as s:
        comment = s.scalars(select(Comment)).one()
        assert comment.author_handle == "prairiemom"
        assert comment.url.endswith("lc=UgxA")
        response = s.scalars(select(Response)).one()
    assert (response.external_id, response.text) == ("UgxA.r1", "Yes, until Friday.")
    assert comment.status is CommentStatus.ANSWERED


def test_takeout_replies_answer_logged_comments(cast: Cast, tmp_path: Path) -> None:
    channel = cast.account("SaskHealthTV", Platform.YOUTUBE)
    service = CommentImportService(cast.ctx("officer"))
    threads = json.loads(json.dumps(YOUTUBE))
    del threads["items"][0]["replies"]
    service.commit(service.preview(_write(tmp_path, "threads.json", threads), channel.id))
    takeout = (
        "Comment ID,Channel ID,Comment Create Timestamp,Price,Parent Comment ID,Video ID,"
        "Comment Text\n"
        "UgxA.r1,UCskhealth,2026-11-17T21:00:00+00:00,,UgxA,-HHGH-TTqYM,"
        '"{""takeoutSegments"":[{""text"":""Yes, until Friday.""}]}"\n'
        'Ugz9,UCskhealth,2026-11-10T10:00:00+00:00,,,-HHGH-TTqYM,"{""takeoutSegments"":'
        '[{""text"":""Our own note""}]}"\n'
    )
    preview = service.preview(_write(tmp_path, "comments.csv", takeout), channel.id)
    assert preview.replies_new == 1
    assert any("not a reply" in s for s in preview.parsed.skipped)
    service.commit(preview)
    with cast.db.read() as s:
        response = s.scalars(select(Response)).one()
        comment = s.get(Comment, response.comment_id)
    assert response.method is ResponseMethod.PUBLIC_ANSWER
    assert response.text == "Yes, until Friday."
    assert comment is not None
    assert comment.status is CommentStatus.ANSWERED
    assert comment.answered_at == datetime(2026, 11, 17, 21, 0, tzinfo=UTC)


def test_template_rows_name_their_accounts_and_bad_rows_are_rejected(
    cast: Cast, tmp_path: Path
) -> None:
    cast.account("SaskHealth", Platform.FACEBOOK)
    cast.account("SKGov", Platform.X)
    service = CommentImportService(cast.ctx("officer"))
    preview = service.preview(_write(tmp_path, "template.csv", TEMPLATE_EXAMPLE))
    assert (preview.new, preview.rejected) == (2, 0)
    bad = TEMPLATE_EXAMPLE + "x:SKGov,3,yesterday,A,a,Hello,,question\n"
    preview = service.preview(_write(tmp_path, "bad.csv", bad))
    assert [str(e) for e in preview.parsed.errors] == [
        "bad.csv:line 4: received_at 'yesterday' is not a time like 2026-11-16T14:05:00-06:00"
    ]
    with pytest.raises(Exception, match="nothing was imported"):
        service.commit(preview)
    with cast.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Comment)) == 0


def test_cli_template_and_import(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    signed_in: Callable[[str], None],
) -> None:
    signed_in("officer")
    from tests.factories import make_cast

    cast = make_cast(sqlite_db, lambda: datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    cast.account("SaskHealth", Platform.FACEBOOK)
    cast.account("SKGov", Platform.X)
    template = tmp_path / "template.csv"
    assert cli.main(["import-comments", "--template", str(template)]) == 0
    base = ["import-comments", "--db", str(sqlite_db.url.database)]
    assert cli.main([*base, str(template)]) == 0
    out = capsys.readouterr().out
    assert "2 comments logged (unassigned)" in out
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Comment)) == 2


def test_template_kind_and_future_times_are_rejected_rows(cast: Cast, tmp_path: Path) -> None:
    cast.account("SaskHealth", Platform.FACEBOOK)
    rows = (
        "account,comment_id,received_at,author_name,author_handle,text,url,kind\n"
        "facebook:SaskHealth,1,2026-11-16T10:00-06:00,A,a,Hello,,rant\n"
        "facebook:SaskHealth,2,2027-01-01T10:00-06:00,B,b,From the future,,question\n"
    )
    preview = CommentImportService(cast.ctx("officer")).preview(_write(tmp_path, "t.csv", rows))
    assert [str(e) for e in preview.parsed.errors] == [
        "t.csv:line 2: kind 'rant' is not one of question, comment, complaint, compliment, media",
        "t.csv:line 3: received in the future (2027-01-01T16:00+00:00)",
    ]
    assert preview.new == 0
