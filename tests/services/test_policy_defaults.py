"""Issue 14, "Boundaries and defaults": goals of exactly 12 months, one password due date for the
inventory and the check, international accounts by default, grants refused under a personal
e-mail, and the copyright acknowledgement on replies with images or video. Each test failed
before its change, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desktop.enums import (
    CommentStatus,
    MediaKind,
    MediaPermission,
    PageRole,
    PersonKind,
    Platform,
    ResponseMethod,
)
from desktop.errors import DomainError
from desktop.models import Account, Comment, Response, ResponseMedia
from desktop.services.account_list import AccountListService, PasswordLevel
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.approvals import ApprovalService
from desktop.services.comment_log import CommentLogService
from desktop.services.comments import CommentService
from desktop.services.compliance import ComplianceService
from desktop.services.goals import GoalService
from desktop.services.people import PeopleService, PersonInput
from desktop.services.reply_media.media import MediaInput
from desktop.services.roles import RoleService
from tests.factories import Cast


def regina(y: int, mo: int, d: int, h: int = 12) -> datetime:
    return datetime(y, mo, d, h, tzinfo=UTC) + timedelta(hours=6)


def _messages(cast: Cast, at: datetime, code: str) -> list[str]:
    return [f.message for f in ComplianceService(cast.ctx("auditor")).run(at, [code])]


# -- goals: 12 months exactly ---------------------------------------------------------------


def test_default_goals_run_twelve_months_and_the_inventory_agrees_with_the_check(
    cast: Cast,
) -> None:
    account = cast.account()
    goal = GoalService(cast.ctx("officer")).draft(
        account.id, title="Answer more", metric="comments", target_value=500
    )
    assert (goal.period_start, goal.period_end) == (date(2026, 11, 18), date(2027, 11, 17))
    officer = ApprovalService(cast.ctx("officer"))
    review = officer.submit(officer.request_goals_review(account.id).id)
    ApprovalService(cast.ctx("dci")).approve(review.id)
    ApprovalService(cast.ctx("council")).approve(review.id)
    goals = GoalService(cast.ctx("auditor"))
    # The last day: the inventory says final, the check says nothing.
    assert goals.goal_status(date(2027, 11, 17))[account.id] == "final until 2027-11-17"
    assert _messages(cast, regina(2027, 11, 17), "GOALS_EXPIRED") == []
    # The next day both say the goals ran out (before: "final until 2027-11-18" that day).
    assert goals.goal_status(date(2027, 11, 18))[account.id] == "expired"
    assert _messages(cast, regina(2027, 11, 18), "GOALS_EXPIRED") == [
        "The goals of Facebook @SKHealth ran out on 2027-11-17; no final goals cover today."
    ]
    # Final through the review: nothing reached its state without approval.
    assert _messages(cast, regina(2027, 11, 18), "STATUS_WITHOUT_APPROVAL") == []


# -- passwords: one rolling due date -------------------------------------------------------


def test_the_inventory_and_the_check_agree_on_the_password_due_date(cast: Cast) -> None:
    account = cast.account()
    changed = regina(2026, 9, 1, 10)
    AccountService(cast.ctx("officer")).record_password_change(account.id, changed)
    due = regina(2026, 11, 30, 10)  # 90 days later, not the end of a calendar quarter
    inventory = AccountListService(cast.ctx("auditor"))
    row = inventory.row(account.id, due)
    assert row.password_due_at == due
    assert row.password_level == PasswordLevel.DUE_SOON
    assert _messages(cast, due, "PASSWORD_ROTATION_OVERDUE") == []
    later = due + timedelta(seconds=1)
    assert inventory.row(account.id, later).password_level == PasswordLevel.OVERDUE
    (message,) = _messages(cast, later, "PASSWORD_ROTATION_OVERDUE")
    assert "the next change was due by 2026-11-30 10:00 (every 90 days)" in message


# -- international accounts ----------------------------------------------------------------


def _propose(cast: Cast, handle: str, platform: Platform, **kw: object) -> object:
    data = AccountInput(platform, handle, cast.health.id, f"{handle.lower()}@gov.sk.ca", **kw)  # type: ignore[arg-type]
    return AccountService(cast.ctx("officer")).propose(data)


def test_wechat_and_other_languages_are_international_by_default(cast: Cast) -> None:
    with pytest.raises(DomainError, match="International accounts need the language") as e:
        _propose(cast, "SaskAgriCN", Platform.WECHAT)
    assert e.value.field == "language"
    with pytest.raises(DomainError, match="International accounts need cultural notes") as e:
        _propose(cast, "SaskAgriCN", Platform.WECHAT, language="Mandarin")
    assert e.value.field == "cultural_notes"
    notes = "Simplified Chinese; avoid numbers 4 in dates; greet by title."
    wechat = _propose(
        cast, "SaskAgriCN", Platform.WECHAT, language="Mandarin", cultural_notes=notes
    )
    assert wechat.is_international  # type: ignore[attr-defined]
    cree = _propose(cast, "SKHealthCree", Platform.FACEBOOK, language="Cree", cultural_notes="x")
    assert cree.is_international  # type: ignore[attr-defined]
    for handle, language in (("SKHealthEn", "English"), ("SKHealthFr", "Français (fr-CA)")):
        account = _propose(cast, handle, Platform.FACEBOOK, language=language)
        assert not account.is_international  # type: ignore[attr-defined]
    # A default, not a rule: someone who knows better says so.
    local = _propose(cast, "SKHealthCreeLocal", Platform.FACEBOOK, language="Cree",
                     is_international=False)  # fmt: skip
    assert not local.is_international  # type: ignore[attr-defined]


def test_older_international_accounts_without_cultural_notes_are_found(cast: Cast) -> None:
    notes = "Simplified Chinese; greet by title."
    kept = _propose(cast, "SaskAgriCN", Platform.WECHAT, language="Mandarin", cultural_notes=notes)
    older = _propose(cast, "SaskTradeCN", Platform.WECHAT, language="Mandarin", cultural_notes="n")
    with cast.db.write() as s:  # as an older version of the app left it
        s.get_one(Account, older.id).cultural_notes = ""  # type: ignore[attr-defined]
    assert _messages(cast, cast.clock(), "INTERNATIONAL_NO_LANGUAGE") == [
        "WeChat @SaskTradeCN is an international account with no cultural notes recorded."
    ]
    assert kept.cultural_notes == notes  # type: ignore[attr-defined]


# -- role grants under a personal e-mail ---------------------------------------------------


def test_a_role_grant_to_a_person_with_a_personal_address_is_refused(cast: Cast) -> None:
    account = cast.account()
    people = PeopleService(cast.ctx("admin"))
    gmail = people.add(
        PersonInput("casual", "Casey Contractor", "casey@gmail.com", kind=PersonKind.CONTRACTOR)
    )
    roles = RoleService(cast.ctx("dso"))
    with pytest.raises(
        DomainError, match=r"casey@gmail\.com, which is not a government address"
    ) as e:
        roles.grant(gmail.id, account.id, PageRole.EDITOR)
    assert e.value.field == "person_id"
    assert _messages(cast, cast.clock(), "PERSONAL_EMAIL_ON_ACCOUNT") == []  # nothing granted
    # The compliant neighbour: the same grant to someone with a government address.
    assert roles.grant(cast.people["officer"].id, account.id, PageRole.EDITOR).role == (
        PageRole.EDITOR
    )


# -- images and video in replies -----------------------------------------------------------


def _comment(cast: Cast) -> Comment:
    return CommentService(cast.ctx("officer")).log(
        cast.account().id, cast.clock() - timedelta(minutes=30), "Where is the clinic?", "Sam"
    )


def _reply(cast: Cast, comment: Comment, *media: MediaInput) -> Response:
    return CommentService(cast.ctx("officer")).respond(
        comment.id,
        ResponseMethod.PUBLIC_ANSWER,
        text="Here is the map (map: Saskatchewan Health Authority).",
        restricted_topics_cleared=True,
        media=media,
    )


def _counts(cast: Cast) -> tuple[int, int, CommentStatus]:
    with cast.db.read() as s:
        responses = s.scalar(select(func.count()).select_from(Response)) or 0
        media = s.scalar(select(func.count()).select_from(ResponseMedia)) or 0
        status = s.scalars(select(Comment.status)).one()
    return responses, media, status


def test_a_reply_with_an_image_needs_its_acknowledgement_or_nothing_is_written(
    cast: Cast,
) -> None:
    comment = _comment(cast)
    image = MediaInput(MediaKind.IMAGE, "Clinic map", "Saskatchewan Health Authority",
                       MediaPermission.SOURCE_CITED)  # fmt: skip
    with pytest.raises(DomainError, match="Confirm the Government may publish the image") as e:
        _reply(cast, comment, image)
    assert e.value.field == "media_acknowledged"
    uncited = MediaInput(MediaKind.VIDEO, "Nurse explains", "Global News",
                         MediaPermission.SOURCE_CITED, acknowledged=True)  # fmt: skip
    with pytest.raises(DomainError, match="name \u201cGlobal News\u201d in the reply") as e:
        _reply(cast, comment, uncited)
    assert _counts(cast) == (0, 0, CommentStatus.NEW)  # nothing half-written

    acknowledged = MediaInput(MediaKind.IMAGE, "Clinic map", "Saskatchewan Health Authority",
                              MediaPermission.SOURCE_CITED, acknowledged=True)  # fmt: skip
    response = _reply(cast, comment, acknowledged)
    assert _counts(cast) == (1, 1, CommentStatus.ANSWERED)
    with cast.db.read() as s:
        media = s.scalars(select(ResponseMedia)).one()
    assert (media.response_id, media.kind, media.acknowledged_by_id) == (
        response.id,
        MediaKind.IMAGE,
        cast.people["officer"].id,
    )
    (shown,) = CommentLogService(cast.ctx("auditor")).get(comment.id).responses
    assert shown.media == (
        "Image: Clinic map (Saskatchewan Health Authority; public material, source cited in "
        "the reply)",
    )


def test_a_reply_without_media_asks_nothing_more(cast: Cast) -> None:
    _reply(cast, _comment(cast))
    assert _counts(cast) == (1, 0, CommentStatus.ANSWERED)
