"""The audit log as people read it: names and roles instead of logins, a sentence instead of
an action code, the record's name instead of its id, and filters that narrow it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.enums import AppRole, PageRole, Platform
from desktop.errors import PermissionDenied
from desktop.services.accounts import AccountService
from desktop.services.audit_log import SYSTEM_NAME, AuditFilter, AuditLogService
from desktop.services.goals import GoalService
from desktop.services.roles import RoleService
from tests.factories import Cast


@pytest.fixture
def log(cast: Cast) -> AuditLogService:
    """The cast, an account, a role granted on it, its status changed, a goal drafted and
    deleted; read as the auditor."""
    account = cast.account("SKHealth")
    RoleService(cast.ctx("dso")).grant(cast.people["officer2"].id, account.id, PageRole.EDITOR)
    AccountService(cast.ctx("officer")).record_password_change(
        account.id, cast.clock() - timedelta(days=1)
    )
    goals = GoalService(cast.ctx("officer"))
    goal = goals.draft(
        account.id, "Grow shares", "shares", 100, 50, date(2026, 7, 1), date(2027, 6, 30)
    )
    goals.delete_draft(goal.id, version=goal.version)
    goals.draft(
        account.id, "More comments", "comments", 80, 40, date(2026, 7, 1), date(2027, 6, 30)
    )
    return AuditLogService(cast.ctx("auditor"))


def test_each_entry_reads_as_a_sentence_about_a_named_record(log: AuditLogService) -> None:
    entries = log.page(AuditFilter()).entries
    kept, deleted, drafted, password, granted, created = entries[:6]
    assert kept.record == "Goal “More comments” of Facebook @SKHealth"
    assert kept.open_type == "account"  # a goal is shown with its account
    assert (granted.who, granted.roles) == ("Dso Person", (AppRole.DSO,))
    assert granted.what == "Granted the Editor role"
    assert granted.record == "Officer2 Person on Facebook @SKHealth"
    assert (granted.open_type, granted.kind) == ("account_role", "Roles on accounts")
    assert password.what == "Recorded a password change"
    assert password.record == "Facebook @SKHealth"
    assert password.open_type == "account"
    # Deleted since: named from what the log kept of it.
    assert drafted.what == "Drafted the goal"
    assert deleted.what == "Deleted the goal"
    for entry in (drafted, deleted):
        assert (
            entry.record == "Goal “Grow shares” of Facebook @SKHealth (no longer in the database)"
        )
        assert entry.open_type is None
    # The first administrator set the database up and added the account: no built-in actor.
    assert created.who == "Admin Person" != SYSTEM_NAME
    assert created.roles == (AppRole.ADMIN,)
    assert "government e-mail: skhealth@gov.sk.ca" in created.details
    # No login, action code or raw id where a person reads.
    for entry in entries:
        assert "." not in entry.what.split(":")[0]
        assert entry.entity_id not in entry.record


def test_changes_name_the_people_they_point_to(log: AuditLogService) -> None:
    granted = next(e for e in log.page(AuditFilter()).entries if e.what.startswith("Granted"))
    assert "person: Officer2 Person" in granted.details
    assert "account: Facebook @SKHealth" in granted.details
    assert all("-" not in line.split(": ")[-1][8:9] for line in granted.details)


def test_filters_by_person_kind_action_record_and_date(cast: Cast, log: AuditLogService) -> None:
    dso = log.page(AuditFilter(actor_login="dso")).entries
    assert [e.what for e in dso] == ["Granted the Editor role"]
    goals = log.page(AuditFilter(entity_type="goal")).entries
    assert [e.what for e in goals] == ["Drafted the goal", "Deleted the goal", "Drafted the goal"]
    people = log.page(AuditFilter(action="person.add")).entries
    assert len(people) == 10  # everyone the first administrator added
    assert {e.kind for e in people} == {"People"}
    # A record's name: the account and what belongs to it (its roles), or a person.
    named = log.page(AuditFilter(record="@skhealth")).entries
    assert {e.record for e in named} >= {
        "Facebook @SKHealth",
        "Officer2 Person on Facebook @SKHealth",
    }
    assert all("SKHealth" in e.record or "Grow shares" in e.record for e in named)
    person = log.page(AuditFilter(record="Officer2")).entries
    assert {e.record for e in person} == {
        "Officer2 Person",
        "Officer2 Person on Facebook @SKHealth",
    }
    today = cast.clock().date()
    assert log.page(AuditFilter(since=today + timedelta(days=1))).entries == ()
    assert len(log.page(AuditFilter(since=today, until=today)).entries) == 19
    assert log.page(AuditFilter(until=today - timedelta(days=1))).entries == ()


def test_pages_go_back_by_sequence(log: AuditLogService) -> None:
    first = log.page(AuditFilter(), limit=10)
    assert first.more
    second = log.page(AuditFilter(), before_seq=first.entries[-1].seq, limit=10)
    assert not second.more
    seqs = [e.seq for e in (*first.entries, *second.entries)]
    assert seqs == sorted(seqs, reverse=True)
    assert len(seqs) == len(set(seqs)) == 19


def test_the_choices_list_people_by_name_and_role(log: AuditLogService) -> None:
    choices = log.choices()
    assert choices.people[0] == ("admin", "Admin Person (Administrator)")
    assert "system" not in dict(choices.people)
    assert ("dso", "Dso Person (Digital Strategy and Operations)") in choices.people
    assert ("goal", "Goals") in choices.kinds
    assert ("goal.delete", "Deleted the goal") in choices.actions


def test_reading_the_log_needs_the_right_to_read_everything(cast: Cast) -> None:
    cast.account("SKHealth", Platform.X)
    with pytest.raises(PermissionDenied):
        AuditLogService(cast.ctx("agency")).page(AuditFilter())
