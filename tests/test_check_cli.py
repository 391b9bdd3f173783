"""``smgov check`` as a person or a scheduled task runs it: output, JSON fields, exit status."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from desktop import check_cli, cli
from desktop.enums import ApprovalKind, ApprovalState
from desktop.models import Account, Approval
from desktop.models.base import new_id
from desktop.services.accounts import AccountService
from desktop.storage.database import Database
from tests.factories import Cast, make_cast

if check_cli.register not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(check_cli.register)

AS_OF = "2026-11-18T09:00-06:00"
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
FIELDS = [
    "code",
    "severity",
    "subject_type",
    "subject_id",
    "subject_label",
    "message",
    "remedy",
    "since",
]


@pytest.fixture
def cast(sqlite_db: Database, clock: Callable[[], datetime]) -> Cast:
    return make_cast(sqlite_db, clock)


@pytest.fixture(autouse=True)
def _auditor_signed_in(signed_in: Callable[[str], None]) -> None:
    signed_in("auditor")  # as a scheduled task's account registered as auditor would be


def smgov(cast: Cast, *args: str) -> int:
    return cli.main(["check", "--db", str(cast.db.url.database), *args])


def approved_account(cast: Cast, handle: str) -> Account:
    """An active page with an approved business case and a recent password change."""
    account = cast.account(handle)
    with cast.db.write() as s:
        s.add(
            Approval(
                id=new_id(),
                kind=ApprovalKind.NEW_ACCOUNT,
                state=ApprovalState.APPROVED,
                title=f"Business case {handle}",
                account_id=account.id,
                submitter_id=cast.people["officer"].id,
                submitted_at=NOW - timedelta(days=30),
            )
        )
    AccountService(cast.ctx("officer")).record_password_change(account.id, NOW - timedelta(1))
    return account


@pytest.fixture
def violations(cast: Cast) -> Cast:
    """One critical finding (no owner) and warnings (no goals) on Facebook pages."""
    orphan = approved_account(cast, "SKHealthOrphan")
    with cast.db.write() as s:
        s.execute(update(Account).where(Account.id == orphan.id).values(owner_id=None))
    return cast


def test_no_accounts_no_findings_exit_zero(cast: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    assert smgov(cast, "--as-of", AS_OF) == 0
    out = capsys.readouterr().out
    assert out == "No findings: every check passed (as of 2026-11-18 09:00 America/Regina).\n"


def test_table_groups_by_severity_and_exits_one_on_critical(
    violations: Cast, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert smgov(violations, "--as-of", AS_OF) == 1
    lines = capsys.readouterr().out.splitlines()
    critical = lines.index("CRITICAL (2)")
    warning = lines.index("WARNING (1)")
    assert critical < warning
    group = lines[critical + 1 : warning - 1]
    owner = group.index("  ACCOUNT_NO_OWNER  Facebook @SKHealthOrphan")
    assert group[owner + 1] == "    Facebook @SKHealthOrphan has no accountable owner."
    assert group[owner + 2] == (
        "    What to do: Name an active person as the accountable owner of the account."
    )
    assert any(line.startswith("  FACEBOOK_ADMINS  ") for line in group)
    assert lines[warning + 1].startswith("  GOALS_MISSING  ")
    assert lines[-1] == (
        "3 findings: 2 critical, 1 warning, 0 info (as of 2026-11-18 09:00 America/Regina)."
    )


@pytest.mark.parametrize("columns", [60, 80, 132])
def test_text_output_wraps_at_the_terminal_width_and_keeps_every_word(
    violations: Cast,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert smgov(violations, "--as-of", AS_OF, "--json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert smgov(violations, "--as-of", AS_OF) == 1
    out = capsys.readouterr().out
    *findings_text, summary = out.splitlines()
    assert max(len(line) for line in findings_text) < columns
    assert summary.startswith("3 findings: 2 critical")  # the summary stays one line
    words = " ".join(out.split())
    for f in findings:
        assert " ".join(f["message"].split()) in words
        assert "What to do: " + " ".join(f["remedy"].split()) in words


def test_json_lists_findings_with_exactly_the_field_names(
    violations: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    assert smgov(violations, "--as-of", AS_OF, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert [item["code"] for item in data] == [
        "ACCOUNT_NO_OWNER",
        "FACEBOOK_ADMINS",
        "GOALS_MISSING",
    ]
    assert all(list(item) == FIELDS for item in data)
    goals = data[2]
    assert goals["severity"] == "warning"
    assert goals["subject_type"] == "account"
    assert goals["since"] == "2026-11-18T15:00:00+00:00"
    assert data[0]["since"] is None


def test_only_warnings_exit_zero(violations: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    assert smgov(violations, "--as-of", AS_OF, "--json", "--code", "GOALS_MISSING") == 0
    assert [item["code"] for item in json.loads(capsys.readouterr().out)] == ["GOALS_MISSING"]


def test_as_of_without_zone_is_read_in_regina(
    violations: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    assert smgov(violations, "--as-of", "2026-11-18T08:00", "--code", "GOALS_MISSING") == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert (
        last == "1 finding: 0 critical, 1 warning, 0 info (as of 2026-11-18 08:00 America/Regina)."
    )


def test_acting_person_needs_read_rights(
    violations: Cast, capsys: pytest.CaptureFixture[str], signed_in: Callable[[str], None]
) -> None:
    assert smgov(violations, "--as-of", AS_OF, "--json") == 1
    assert len(json.loads(capsys.readouterr().out)) == 3
    signed_in("agency")
    assert smgov(violations, "--as-of", AS_OF) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("smgov: Reading the whole register needs the role ")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--as-of", "next tuesday"], "smgov: --as-of 'next tuesday' is not an ISO 8601 time"),
        (["--code", "NO_SUCH_CHECK"], "smgov: --code: There is no check called NO_SUCH_CHECK"),
    ],
)
def test_bad_arguments_say_what_is_wrong(
    cast: Cast, capsys: pytest.CaptureFixture[str], args: list[str], error: str
) -> None:
    assert smgov(cast, *args) == 1
    assert capsys.readouterr().err.startswith(error)


def test_nobody_acts_as_someone_else_outside_demo_data(
    cast: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    assert smgov(cast, "--as", "admin", "--as-of", AS_OF) == 1
    err = capsys.readouterr().err
    assert err == (
        "smgov: --as works only on demo data; this database acts as you, auditor (your "
        "operating-system account).\n"
    )
