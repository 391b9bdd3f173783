"""Generating a report: who may, what the request must name, progress, cancel, no leftovers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.enums import Severity
from desktop.errors import DomainError, PermissionDenied
from desktop.policy.findings import Finding
from desktop.reports.data import findings_data
from desktop.reports.service import ReportService, generate_report
from desktop.reports.spec import ReportCancelled, ReportKind, ReportSpec
from tests.factories import ROLE_CAST, Cast
from tests.reports.conftest import PERIOD, World, pdf_text

READERS = [who for who in ROLE_CAST if who != "agency"]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the reports (the SQLite test database sits in tmp_path)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


PERMISSIONS = ReportSpec(ReportKind.PERMISSIONS)
EVALUATION = ReportSpec(ReportKind.EVALUATION, account="SKHealth", period=PERIOD)


@pytest.mark.parametrize("who", READERS)
def test_everyone_who_reads_everything_may_generate(world: World, out: Path, who: str) -> None:
    result = generate_report(world.ctx(who), PERMISSIONS, out / "audit.pdf")
    assert result.path.is_file()
    assert result.title == "Permission-matrix audit"


@pytest.mark.parametrize("kind", list(ReportKind))
def test_an_agency_may_not_and_nothing_is_written(cast: Cast, out: Path, kind: ReportKind) -> None:
    spec = ReportSpec(kind, account="SKHealth", period=PERIOD)
    with pytest.raises(PermissionDenied, match="Reading the whole register needs the role"):
        generate_report(cast.ctx("agency"), spec, out / "r.pdf")
    assert list(out.iterdir()) == []


def test_progress_is_reported_step_by_step(world: World, out: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    generate_report(world.ctx(), EVALUATION, out / "e.pdf", progress=lambda *a: seen.append(a))
    assert [done for done, _, _ in seen] == [0, 1, 2, 3, 4, 5]
    assert {total for _, total, _ in seen} == {5}
    assert seen[2][2] == "Running the compliance checks"
    assert seen[-1][2] == "Saved e.pdf"


@pytest.mark.parametrize("at", ["Reading the data", "Laying out the pages"])
def test_cancel_leaves_the_previous_file_as_it_was(world: World, out: Path, at: str) -> None:
    target = out / "e.pdf"
    target.write_bytes(b"the previous report")
    state = {"cancel": False}

    def progress(done: int, total: int, text: str) -> None:
        state["cancel"] = state["cancel"] or text == at

    def cancelled() -> bool:
        return state["cancel"]

    with pytest.raises(ReportCancelled):
        ReportService(world.ctx()).generate(EVALUATION, target, progress, cancelled)
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in out.iterdir()] == ["e.pdf"]


def test_cancel_while_pages_are_laid_out(world: World, out: Path) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 12  # past the request checks, well into the story's flowables

    with pytest.raises(ReportCancelled):
        generate_report(world.ctx(), EVALUATION, out / "e.pdf", cancelled=cancelled)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (ReportSpec(ReportKind.EVALUATION, period=PERIOD), "about one account: name the account"),
        (
            ReportSpec(ReportKind.EVALUATION, account="SKHealth", ministry="HEA", period=PERIOD),
            "leave the ministry out",
        ),
        (
            ReportSpec(
                ReportKind.EVALUATION,
                account="SKHealth",
                start=date(2026, 7, 1),
                end=date(2026, 9, 30),
            ),
            "covers one half-year; give the period, e.g. 2026H1",
        ),
        (ReportSpec(ReportKind.EVALUATION, account="SKHealth"), "This report covers a period"),
        (ReportSpec(ReportKind.PORTFOLIO, ministry="NOPE", period=PERIOD), "no ministry"),
        (ReportSpec(ReportKind.APPROVALS, account="nobody", period=PERIOD), "no account"),
    ],
)
def test_what_the_request_must_name(
    world: World, out: Path, spec: ReportSpec, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        generate_report(world.ctx(), spec, out / "r.pdf")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("r.txt", "give a file name ending in .pdf"), ("missing/r.pdf", "does not exist")],
)
def test_where_the_file_goes(world: World, out: Path, name: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        generate_report(world.ctx(), PERMISSIONS, out / name)


def test_findings_come_from_the_compliance_checks(
    world: World, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = str(world.facebook.id)
    mine = Finding(
        "GOALS_EXPIRED",
        Severity.WARNING,
        "account",
        page,
        "Facebook @SKHealth",
        "The goals expired on 2026-06-30.",
        "Renew the goals.",
        None,
    )
    other = Finding(
        "X_POSTING_TOOL",
        Severity.CRITICAL,
        "account",
        str(world.x.id),
        "X (Twitter) @SaskHealthX",
        "Not through TweetDeck.",
        "Use X Pro.",
        None,
    )
    monkeypatch.setattr(findings_data, "run_checks", lambda ctx, as_of: (other, mine))
    monkeypatch.setattr("desktop.reports.service.run_checks", findings_data.run_checks)
    text = pdf_text(generate_report(world.ctx(), EVALUATION, out / "e.pdf").path)
    assert (
        "Goals older than 12 months and not renewed GOALS_EXPIRED The goals expired on "
        "2026-06-30. What to do: Renew the goals."
    ) in text
    assert "X_POSTING_TOOL" not in text  # about another account


def test_without_the_compliance_service_the_report_says_so(
    world: World, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.reports.service.run_checks", lambda ctx, as_of: None)
    text = pdf_text(generate_report(world.ctx(), EVALUATION, out / "e.pdf").path)
    assert "The compliance checks are not available in this installation." in text


def test_a_file_that_cannot_be_replaced_says_so(
    world: World, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("desktop.reports.service.os.replace", locked)
    with pytest.raises(DomainError, match="close the file if another program has it open"):
        generate_report(world.ctx(), PERMISSIONS, out / "audit.pdf")
    assert list(out.iterdir()) == []


def test_an_as_of_time_without_a_zone_is_refused(world: World, out: Path) -> None:
    spec = ReportSpec(ReportKind.PERMISSIONS, as_of=datetime(2026, 11, 18, 9))
    with pytest.raises(DomainError, match="as-of time with its time zone"):
        generate_report(world.ctx(), spec, out / "audit.pdf")
