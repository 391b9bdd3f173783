"""End to end: every violation the demo plants on purpose is found by the compliance checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.compliance import ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.demo import generate_demo
from desktop.services.demo.violations import DELIBERATE_VIOLATIONS
from desktop.storage.database import Database

AS_OF = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def test_every_deliberate_violation_is_found(db: Database) -> None:
    generate_demo(db, size="small", as_of=AS_OF)
    findings = ComplianceService(ServiceContext(db, "admin")).run(AS_OF)
    labels_by_code: dict[str, set[str]] = {}
    for f in findings:
        labels_by_code.setdefault(f.code, set()).add(f.subject_label)
    missing = {
        code: label
        for code, label in DELIBERATE_VIOLATIONS.items()
        if label not in labels_by_code.get(code, set())
    }
    assert not missing, f"planted but not found: {missing}"


def test_check_cli_json_lists_them_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(path), "--as-of", AS_OF.isoformat()]) == 0
    capsys.readouterr()
    # Demo data: anybody may act as one of its people (here its administrator).
    check = ["check", "--db", str(path), "--as", "admin", "--as-of", AS_OF.isoformat()]
    assert main([*check, "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in findings} >= set(DELIBERATE_VIOLATIONS)
    assert set(findings[0]) == {
        "code", "severity", "subject_type", "subject_id", "subject_label", "message", "remedy",
        "since",
    }  # fmt: skip
