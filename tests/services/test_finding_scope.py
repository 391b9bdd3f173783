"""Which ministries and platforms a finding's record belongs to (the dashboard's filters)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from desktop.enums import (
    ApprovalKind,
    ApprovalState,
    BanKind,
    BanStatus,
    EmergencyKind,
    PageRole,
    Platform,
    RemovalCategory,
)
from desktop.errors import PermissionDenied
from desktop.models import (
    AccountRole,
    Approval,
    Ban,
    Campaign,
    Comment,
    Commenter,
    Emergency,
    EmergencyAccount,
    EmergencyMinistry,
    Strike,
)
from desktop.models.base import new_id
from desktop.services.authz import ALLOWED, Permission
from desktop.services.compliance import ComplianceService
from desktop.services.finding_scope import NO_SCOPE, FindingScope, FindingScopeService
from tests.factories import ROLE_CAST, Cast

FB, X = Platform.FACEBOOK, Platform.X


@pytest.fixture
def world(cast: Cast) -> dict[str, uuid.UUID]:
    """A Health Facebook page and an Environment X account with a record of every kind."""
    health = cast.account("SKHealth", FB)
    env = cast.account(
        "SKEnv", X, ministry_id=cast.environment.id, owner_id=cast.people["officer2"].id
    )
    now = cast.clock()
    ids = {name: new_id() for name in ("role", "campaign", "approval", "lone_approval")}
    ids |= {name: new_id() for name in ("commenter", "comment", "ban", "emergency")}
    ids |= {"health": health.id, "env": env.id}
    with cast.db.write() as s:
        s.add(
            Campaign(
                id=ids["campaign"],
                name="Flu shots",
                ministry_id=cast.health.id,
                starts_on=date(2026, 10, 1),
                ends_on=date(2026, 12, 1),
            )
        )
        s.flush()
        s.add_all(
            [
                AccountRole(
                    id=ids["role"],
                    person_id=cast.people["agency"].id,
                    account_id=env.id,
                    role=PageRole.ADVERTISER,
                    granted_at=now,
                    campaign_id=ids["campaign"],
                ),
                AccountRole(
                    id=new_id(),
                    person_id=cast.people["officer"].id,
                    account_id=health.id,
                    role=PageRole.EDITOR,
                    granted_at=now,
                ),
                Approval(
                    id=ids["approval"],
                    kind=ApprovalKind.NEW_ACCOUNT,
                    state=ApprovalState.SUBMITTED,
                    title="New account: SKEnv",
                    account_id=env.id,
                    submitter_id=cast.people["officer2"].id,
                ),
                Approval(
                    id=ids["lone_approval"],
                    kind=ApprovalKind.ANNUAL_GOALS,
                    state=ApprovalState.SUBMITTED,
                    title="Goals",
                    submitter_id=cast.people["officer"].id,
                ),
                Commenter(id=ids["commenter"], platform=FB, handle="troll"),
                Comment(
                    id=ids["comment"],
                    account_id=health.id,
                    received_at=now,
                    text="Spam",
                    clock_start_at=now,
                    acknowledge_due_at=now + timedelta(hours=1),
                    answer_due_at=now + timedelta(days=1),
                ),
                Emergency(
                    id=ids["emergency"],
                    kind=EmergencyKind.FLOOD,
                    title="Flood",
                    declared_at=now - timedelta(hours=2),
                ),
            ]
        )
        s.flush()
        s.add_all(
            [
                Strike(
                    id=new_id(),
                    commenter_id=ids["commenter"],
                    platform=FB,
                    comment_id=ids["comment"],
                    category=RemovalCategory.SPAM,
                    evidence_text="Spam",
                    recorded_at=now,
                ),
                Ban(
                    id=ids["ban"],
                    commenter_id=ids["commenter"],
                    platform=FB,
                    kind=BanKind.TEMPORARY,
                    status=BanStatus.ACTIVE,
                    proposed_at=now,
                ),
                EmergencyMinistry(emergency_id=ids["emergency"], ministry_id=cast.environment.id),
                EmergencyAccount(emergency_id=ids["emergency"], account_id=health.id),
            ]
        )
    return ids


def scope(ministries: set[str], platforms: set[Platform]) -> FindingScope:
    return FindingScope(frozenset(ministries), frozenset(platforms))


def test_each_kind_of_record_gets_its_ministries_and_platforms(
    cast: Cast, world: dict[str, uuid.UUID]
) -> None:
    people = cast.people
    asked = [
        ("account", str(world["health"])),
        ("account", str(world["env"])),
        ("account_role", str(world["role"])),
        ("person", str(people["officer"].id)),  # own ministry HEA, an editor on Health's page
        ("person", str(people["officer2"].id)),  # ENV, no roles: no platform
        ("campaign", str(world["campaign"])),  # Health's campaign, an agency role on X
        ("approval", str(world["approval"])),
        ("approval", str(world["lone_approval"])),  # no account or campaign: the submitter's
        ("commenter", str(world["commenter"])),  # struck on Health's page
        ("ban", str(world["ban"])),
        ("emergency", str(world["emergency"])),  # ENV declared, Health's page covered
        ("comment", str(world["comment"])),
    ]
    got = FindingScopeService(cast.ctx("auditor")).scopes(asked)
    assert [got[key] for key in asked] == [
        scope({"HEA"}, {FB}),
        scope({"ENV"}, {X}),
        scope({"ENV"}, {X}),
        scope({"HEA"}, {FB}),
        scope({"ENV"}, set()),
        scope({"HEA"}, {X}),
        scope({"ENV"}, {X}),
        scope({"HEA"}, set()),
        scope({"HEA"}, {FB}),
        scope({"HEA"}, {FB}),
        scope({"ENV", "HEA"}, {FB}),
        scope({"HEA"}, {FB}),
    ]


def test_unknown_types_missing_records_and_bad_ids_get_no_scope(
    cast: Cast, world: dict[str, uuid.UUID]
) -> None:
    asked = [("widget", str(world["health"])), ("account", str(uuid.uuid4())), ("account", "x")]
    got = FindingScopeService(cast.ctx("officer")).scopes(asked)
    assert got == dict.fromkeys(asked, NO_SCOPE)
    assert FindingScopeService(cast.ctx("officer")).scopes([]) == {}


def test_many_subjects_are_looked_up_in_chunks(cast: Cast, world: dict[str, uuid.UUID]) -> None:
    missing = [("account", str(uuid.uuid4())) for _ in range(1_200)]
    asked = [*missing, ("account", str(world["env"]))]
    got = FindingScopeService(cast.ctx("officer")).scopes(asked)
    assert len(got) == len(asked)
    assert got[("account", str(world["env"]))] == scope({"ENV"}, {X})


def test_scopes_of_real_findings_let_the_dashboard_filter_by_ministry(cast: Cast) -> None:
    cast.account("SKHealth", FB)
    cast.account("SKEnv", X, ministry_id=cast.environment.id, owner_id=cast.people["officer2"].id)
    ctx = cast.ctx("dci")
    findings = ComplianceService(ctx).run(cast.clock())
    scopes = FindingScopeService(ctx).scopes((f.subject_type, f.subject_id) for f in findings)
    env = [f for f in findings if scopes[(f.subject_type, f.subject_id)].matches("ENV", X)]
    assert {f.subject_label for f in env} == {"X (Twitter) @SKEnv"}
    assert not [f for f in findings if scopes[(f.subject_type, f.subject_id)].matches("ENV", FB)]


def test_matches_treats_none_as_any() -> None:
    s = scope({"HEA", "ENV"}, {FB})
    assert [s.matches(), s.matches("ENV"), s.matches(platform=FB), s.matches("HEA", FB)] == [
        True
    ] * 4
    assert [s.matches("JUS"), s.matches(platform=X), s.matches("ENV", X)] == [False] * 3
    assert [NO_SCOPE.matches(), NO_SCOPE.matches("HEA")] == [True, False]


READERS = [w for w, roles in ROLE_CAST.items() if set(roles) & ALLOWED[Permission.READ_ALL]]


@pytest.mark.parametrize("who", [w for w in ROLE_CAST if w not in READERS])
def test_those_who_may_not_read_everything_are_refused(
    cast: Cast, world: dict[str, uuid.UUID], who: str
) -> None:
    with pytest.raises(PermissionDenied, match="Reading the whole register"):
        FindingScopeService(cast.ctx(who)).scopes([("account", str(world["health"]))])


@pytest.mark.parametrize("who", READERS)
def test_every_reader_may_look_scopes_up(cast: Cast, world: dict[str, uuid.UUID], who: str) -> None:
    got = FindingScopeService(cast.ctx(who)).scopes([("account", str(world["health"]))])
    assert got == {("account", str(world["health"])): scope({"HEA"}, {FB})}
