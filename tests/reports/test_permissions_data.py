"""The permission-matrix audit's numbers: the matrix, third-party deadlines, the Admin rule."""

from __future__ import annotations

from datetime import date, datetime

from desktop.enums import PageRole, PersonKind
from desktop.reports.data.common import resolve_scope
from desktop.reports.data.permissions_data import PermissionsData, permissions_data
from tests.reports.conftest import World, half_year, reading


def _data(world: World, as_of: datetime, *, period: bool = False) -> PermissionsData:
    with reading(world.cast.db) as (s, settings, _):
        scope = resolve_scope(s, None, None)
        return permissions_data(
            s, scope, half_year() if period else None, as_of=as_of, settings=settings
        )


def test_who_holds_which_role(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    matrix = {a.label: [(h.person_name, h.role) for h in a.holders] for a in d.accounts}
    assert matrix["Facebook @SKHealth"] == [
        ("Comms Person", PageRole.ADMIN),
        ("Dci Person", PageRole.ADMIN),
        ("Officer Person", PageRole.EDITOR),
        ("Zoë Nguyễn", PageRole.EDITOR),
        ("Дмитрий Лебедев", PageRole.EDITOR),
        ("Agency Person", PageRole.ADVERTISER),
    ]
    assert matrix["X (Twitter) @SaskHealthX"] == []  # the moderator was revoked
    assert d.grant_count == 7


def test_third_party_past_its_deadline(world: World, as_of: datetime) -> None:
    (row,) = _data(world, as_of).third_party
    assert row.campaign_name == "Flu shots 2026"
    assert row.deadline == date(2026, 10, 15)  # campaign end + 14 days
    assert (row.state, row.days_late) == ("not revoked", 34)


def test_facebook_admin_rule_is_the_compliance_check(world: World, as_of: datetime) -> None:
    (finding,) = _data(world, as_of).admin_violations
    assert finding.code == "FACEBOOK_ADMINS"
    assert finding.subject_label == "Facebook @SKEnvironment"
    assert "Officer2 Person is an Admin but should be Editor" in finding.message


def test_changes_of_the_period(world: World, as_of: datetime) -> None:
    assert _data(world, as_of).changes == ()  # no period, no changes section
    changes = _data(world, as_of, period=True).changes
    revoked = [(c.person_name, c.account_label) for c in changes if c.change == "revoked"]
    assert revoked == [("Officer2 Person", "X (Twitter) @SaskHealthX")]
    assert len([c for c in changes if c.change == "granted"]) == 8


def test_holders_keep_their_kind(world: World, as_of: datetime) -> None:
    d = _data(world, as_of)
    kinds = {h.person_name: h.kind for a in d.accounts for h in a.holders}
    assert kinds["Agency Person"] is PersonKind.AGENCY
