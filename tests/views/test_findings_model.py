"""The findings tree model without a widget: severity groups with counts, filters, sorting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from desktop.enums import Platform, Severity
from desktop.policy.findings import Finding
from desktop.services.finding_scope import FindingScope
from desktop.views.compliance.findings_model import (
    COL_CHECK,
    COL_MINISTRY,
    COL_PLATFORM,
    COL_SINCE,
    COL_SUBJECT,
    SEVERITY_BACKGROUND,
    FindingFilter,
    FindingRole,
    FindingsModel,
    finding_key,
)

SINCE = datetime(2026, 11, 2, 15, tzinfo=UTC)


def finding(code: str, severity: Severity, label: str, ident: str, **kw: object) -> Finding:
    values: dict[str, object] = {
        "code": code,
        "severity": severity,
        "subject_type": "account",
        "subject_id": ident,
        "subject_label": label,
        "message": f"{label} breaks {code}.",
        "remedy": "Fix it.",
        "since": None,
    }
    values.update(kw)
    return Finding(**values)  # type: ignore[arg-type]


FINDINGS = [
    finding("ACCOUNT_EMAIL_DOMAIN", Severity.CRITICAL, "Facebook @SKHealth", "a1", since=SINCE),
    finding("X_POSTING_TOOL", Severity.CRITICAL, "X (Twitter) @SKEnv", "a2"),
    finding("GOALS_MISSING", Severity.WARNING, "Facebook @SKHealth", "a1"),
    finding("GOALS_MISSING", Severity.WARNING, "X (Twitter) @SKEnv", "a2"),
    finding("GOALS_MISSING", Severity.WARNING, "Instagram @SKArts", "a3"),
]
SCOPES = {
    ("account", "a1"): FindingScope(frozenset({"HEA"}), frozenset({Platform.FACEBOOK})),
    ("account", "a2"): FindingScope(frozenset({"ENV"}), frozenset({Platform.X})),
    # a3 unknown: no scope at all
}


@pytest.fixture
def model(qtbot: QtBot) -> FindingsModel:  # qtbot: fonts and colours need the application
    m = FindingsModel()
    m.set_findings(FINDINGS, SCOPES)
    return m


def labels(m: FindingsModel, severity: Severity) -> list[str]:
    group = m.group_index(severity)
    return [m.index(r, COL_SUBJECT, group).data() for r in range(m.rowCount(group))]


def test_three_severity_groups_with_counts_hold_the_findings(model: FindingsModel) -> None:
    assert model.rowCount() == 3
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Critical — 2 findings",
        "Warning — 3 findings",
        "Information — 0 findings",
    ]
    assert (
        model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
        == SEVERITY_BACKGROUND[Severity.CRITICAL]
    )
    assert labels(model, Severity.WARNING) == [
        "Facebook @SKHealth",
        "Instagram @SKArts",
        "X (Twitter) @SKEnv",
    ]
    assert model.rowCount(model.group_index(Severity.INFO)) == 0


def test_a_finding_row_shows_check_title_scope_and_since(model: FindingsModel) -> None:
    group = model.group_index(Severity.CRITICAL)
    row = [model.index(0, c, group).data() for c in range(model.columnCount())]
    assert row == [
        "Account not tied to a government e-mail address",
        "Facebook @SKHealth",
        "HEA",
        "Facebook",
        "2 Nov 2026",
        "Facebook @SKHealth breaks ACCOUNT_EMAIL_DOMAIN.",
    ]
    assert model.index(1, COL_SINCE, group).data() == "—"
    unknown = model.index(1, COL_MINISTRY, model.group_index(Severity.WARNING))
    assert unknown.data() == "—"
    f = model.finding(model.index(0, 0, group))
    assert f is not None
    assert f.code == "ACCOUNT_EMAIL_DOMAIN"
    assert model.index(0, COL_PLATFORM, group).data(FindingRole) is f
    assert model.parent(model.index(0, 0, group)) == group
    assert model.finding(group) is None
    assert not model.parent(group).isValid()


def test_filter_by_check_narrows_and_counts_what_is_shown(model: FindingsModel) -> None:
    model.set_filter(FindingFilter(code="GOALS_MISSING"))
    assert model.shown == 3
    assert model.total == 5
    assert model.index(0, 0).data() == "Critical — 0 of 2 findings"
    assert model.index(1, 0).data() == "Warning — 3 findings"
    assert {f.code for f in model.shown_findings()} == {"GOALS_MISSING"}


def test_filter_by_ministry_and_platform_uses_the_scopes(model: FindingsModel) -> None:
    model.set_filter(FindingFilter(ministry="ENV"))
    assert [f.subject_id for f in model.shown_findings()] == ["a2", "a2"]
    model.set_filter(FindingFilter(platform=Platform.FACEBOOK))
    assert [f.subject_id for f in model.shown_findings()] == ["a1", "a1"]
    model.set_filter(FindingFilter(ministry="ENV", platform=Platform.FACEBOOK))
    assert model.shown == 0
    model.set_filter(FindingFilter())
    assert model.shown == 5


def test_text_filter_matches_record_message_and_check_title(model: FindingsModel) -> None:
    model.set_filter(FindingFilter(text="skarts"))
    assert [f.subject_label for f in model.shown_findings()] == ["Instagram @SKArts"]
    model.set_filter(FindingFilter(text="tweetdeck"))  # in the check's title only
    assert [f.code for f in model.shown_findings()] == ["X_POSTING_TOOL"]
    model.set_filter(FindingFilter(text="health goals"))  # every word, anywhere
    assert [f.code for f in model.shown_findings()] == ["GOALS_MISSING"]


def test_sorting_orders_findings_within_each_group(model: FindingsModel) -> None:
    model.sort(COL_SUBJECT, Qt.SortOrder.DescendingOrder)
    assert labels(model, Severity.WARNING) == [
        "X (Twitter) @SKEnv",
        "Instagram @SKArts",
        "Facebook @SKHealth",
    ]
    assert labels(model, Severity.CRITICAL) == ["X (Twitter) @SKEnv", "Facebook @SKHealth"]
    model.sort(COL_CHECK, Qt.SortOrder.AscendingOrder)
    assert labels(model, Severity.CRITICAL) == ["Facebook @SKHealth", "X (Twitter) @SKEnv"]


def test_index_of_finds_a_finding_again_after_a_reload(model: FindingsModel) -> None:
    key = finding_key(FINDINGS[3])
    model.set_findings(list(reversed(FINDINGS)), SCOPES)
    index = model.index_of(key)
    assert index.isValid()
    assert model.finding(index) == FINDINGS[3]
    model.set_filter(FindingFilter(code="X_POSTING_TOOL"))
    assert model.index_of(key) == QModelIndex()


def test_code_counts_cover_the_whole_run(model: FindingsModel) -> None:
    model.set_filter(FindingFilter(ministry="HEA"))
    assert model.code_counts() == {
        "ACCOUNT_EMAIL_DOMAIN": 1,
        "X_POSTING_TOOL": 1,
        "GOALS_MISSING": 3,
    }
