"""Findings in a report: the compliance checks' own, kept to the report's scope."""

from __future__ import annotations

from datetime import datetime

from desktop.enums import Severity
from desktop.policy.findings import Finding
from desktop.reports.data.common import resolve_scope
from desktop.reports.data.findings_data import in_scope, run_checks, scope_subjects
from tests.reports.conftest import World, reading


def _finding(code: str, severity: Severity, subject_type: str, subject_id: str) -> Finding:
    return Finding(code, severity, subject_type, subject_id, "label", "message", "remedy", None)


def test_scope_keeps_the_findings_about_its_records(world: World) -> None:
    env, page = str(world.environment.id), str(world.facebook.id)
    findings = [
        _finding("GOALS_EXPIRED", Severity.WARNING, "account", page),
        _finding("FACEBOOK_ADMINS", Severity.CRITICAL, "account", env),
        _finding("STRIKE_THRESHOLD_REACHED", Severity.WARNING, "commenter", "not-ours"),
    ]
    with reading(world.cast.db) as (s, _, _settings):
        health = scope_subjects(s, resolve_scope(s, None, "HEA"))
        environment = scope_subjects(s, resolve_scope(s, None, "ENV"))
        everything = scope_subjects(s, resolve_scope(s, None, None))
    assert [f.code for f in in_scope(findings, health)] == ["GOALS_EXPIRED"]
    assert [f.code for f in in_scope(findings, environment)] == ["FACEBOOK_ADMINS"]
    # Everything: all of them, most severe first, then by risk (moderation before goals).
    assert [f.code for f in in_scope(findings, everything)] == [
        "FACEBOOK_ADMINS",
        "STRIKE_THRESHOLD_REACHED",
        "GOALS_EXPIRED",
    ]


def test_a_pages_scope_reaches_its_grants_commenters_and_approvals(world: World) -> None:
    with reading(world.cast.db) as (s, _, _settings):
        subjects = scope_subjects(s, resolve_scope(s, "SKHealth", None))
    assert subjects is not None
    kinds = {kind for kind, _ in subjects}
    assert {"account", "account_role", "commenter", "ban", "approval", "emergency"} <= kinds
    assert ("account", str(world.environment.id)) not in subjects


def test_the_checks_run_for_the_report(world: World, as_of: datetime) -> None:
    findings = run_checks(world.ctx("auditor"), as_of)
    assert findings is not None
    assert "THIRD_PARTY_ACCESS_NOT_REVOKED" in {f.code for f in findings}
