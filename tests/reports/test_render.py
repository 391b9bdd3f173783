"""The PDFs as a reader gets them: read back with pypdf, and page 1 drawn with pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from desktop.enums import AccountStatus, GroupUpdateKind, PageRole, PersonKind
from desktop.models import Emergency, GroupUpdate
from desktop.models.base import new_id
from desktop.reports.data.common import ALL
from desktop.reports.data.permissions_data import AccountMatrix, Holder, PermissionsData
from desktop.reports.render.base import ReportHeader
from desktop.reports.render.permissions import PermissionsRenderer
from desktop.reports.service import generate_report
from desktop.reports.spec import ReportKind, ReportSpec
from tests.reports.conftest import (
    PERIOD,
    UNICODE_NAMES,
    World,
    on_time_share,
    pdf_metadata,
    pdf_pages,
    pdf_text,
)

HEADINGS = {
    ReportKind.EVALUATION: [
        "Account evaluation",
        "Goals against actuals",
        "Engagement by month",
        "Service levels",
        "Comments still waiting",
        "Moderation",
        "Permission changes in the period",
        "Open findings",
        "Evaluation and recommendation",
        "Sign-off: Director, Digital Channels and Insights",
    ],
    ReportKind.PORTFOLIO: [
        "Portfolio summary",
        "Accounts",
        "Termination candidates",
        "Evaluations due or overdue",
        "Goal renewals due or overdue",
        "Findings by check",
    ],
    ReportKind.SLA: [
        "Service-level compliance",
        "By ministry",
        "Time taken",
        "By account",
        "Overdue items",
        "Emergency periods",
    ],
    ReportKind.PERMISSIONS: [
        "Permission-matrix audit",
        "Facebook Admin rule",
        "Third-party access",
        "Who holds which role",
    ],
    ReportKind.APPROVALS: [
        "Approvals status",
        "Open requests",
        "Decisions taken in the period",
        "Signatures in the period",
    ],
}


def make(world: World, tmp_path: Path, kind: ReportKind, **kw: object) -> Path:
    spec = ReportSpec(
        kind,
        account="SKHealth" if kind is ReportKind.EVALUATION else None,
        period=None if kind is ReportKind.PERMISSIONS else PERIOD,
        **kw,  # type: ignore[arg-type]
    )
    path = tmp_path / f"{kind.value}.pdf"
    result = generate_report(world.ctx("dci"), spec, path)
    assert result.path == path
    assert result.pages == pdf_pages(path)
    return path


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_report_has_its_title_block_headings_and_metadata(
    world: World, tmp_path: Path, kind: ReportKind
) -> None:
    path = make(world, tmp_path, kind)
    text = pdf_text(path)
    for heading in HEADINGS[kind]:
        assert heading in text
    assert "Data as of 2026-11-18 09:00 CST" in text
    if world.cast.db.is_sqlite:
        assert f"Source local file {world.cast.db.url.database}" in text
    assert "Page 1 of" in text
    meta = pdf_metadata(path)
    assert meta["title"] == kind.label
    assert meta["author"] == "Dci Person"
    assert kind.label in meta["subject"]
    assert "Ministry of Health" in meta["subject"] or "All ministries" in meta["subject"]


def test_every_page_says_page_x_of_y(world: World, tmp_path: Path) -> None:
    path = make(world, tmp_path, ReportKind.EVALUATION)
    reader = PdfReader(path)
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
    assert reader.pages[0].mediabox.width == 612  # US Letter, 8.5 in
    assert reader.pages[0].mediabox.height == 792


def test_evaluation_figures_match_the_inserted_rows(
    world: World, tmp_path: Path, as_of: datetime
) -> None:
    text = pdf_text(make(world, tmp_path, ReportKind.EVALUATION))
    for answer in (False, True):
        on, measured = on_time_share(world.comments, as_of, answer=answer)
        assert f"{on} of {measured} ({100 * on / measured:.1f} %)" in text
    assert "Median business time to acknowledge 37 min" in text
    assert "Continue the account with its current strategy" in text
    assert "Harassment" in text


def test_sla_figures_match_the_inserted_rows(world: World, tmp_path: Path, as_of: datetime) -> None:
    text = pdf_text(make(world, tmp_path, ReportKind.SLA))
    on, measured = on_time_share(world.comments, as_of, answer=False, emergency=False)
    assert f"{100 * on / measured:.1f} % Acknowledged on time" in text
    assert "Flood in the Qu'Appelle Valley Flood" in text


def test_sla_report_lists_the_group_updates(world: World, tmp_path: Path, as_of: datetime) -> None:
    with world.cast.db.write() as s:
        flood = s.scalars(select(Emergency)).one()
        s.add(
            GroupUpdate(
                id=new_id(),
                emergency_id=flood.id,
                kind=GroupUpdateKind.PHONE_OR_LINK,
                text="Sandbag and evacuation information",
                # A long address may break after a "/", never squeeze the other columns.
                link_url="https://www.saskatchewan.ca/residents/environment-public-health-"
                "and-safety/flooding-in-saskatchewan/sandbags",
                phone="+13067870000",
                posted_at=flood.declared_at + timedelta(hours=2),
            )
        )
    text = " ".join(pdf_text(make(world, tmp_path, ReportKind.SLA)).split())
    assert "Group updates" in text
    assert "Phone or link" in text
    assert "Sandbag and evacuation information" in text
    assert f"{flood.title} " in text  # the emergency's title, no word split inside
    assert "(306) 787-0000" in text


def test_comment_excerpts_are_masked_by_default(world: World, tmp_path: Path) -> None:
    for kind in (ReportKind.EVALUATION, ReportKind.SLA):
        text = pdf_text(make(world, tmp_path, kind))
        assert "[phone]" in text
        assert "[e-mail]" in text
        assert "@[citizen]" in text
        assert "@SKHealth please help" in text  # the government's own page stays
        assert "555-0143" not in text
        assert "jane.doe@example.com" not in text
        assert "janedoe99" not in text
        assert "Jane Doe" not in text
        assert "Personal information masked" in text


def test_personal_information_when_asked_for(world: World, tmp_path: Path) -> None:
    text = pdf_text(make(world, tmp_path, ReportKind.SLA, include_personal_info=True))
    assert "(306) 555-0143" in text
    assert "jane.doe@example.com" in text
    assert "Jane Doe @janedoe99" in text
    assert "Contains personal information" in text


def test_names_outside_latin_1_survive(world: World, tmp_path: Path) -> None:
    text = pdf_text(make(world, tmp_path, ReportKind.PERMISSIONS))
    for name in UNICODE_NAMES:
        assert name in text
    assert "NOT REVOKED: 34 days past the deadline" in text
    assert "Officer2 Person is an Admin but should be Editor" in text


def test_first_page_draws_something(world: World, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    path = make(world, tmp_path, ReportKind.PORTFOLIO)
    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        assert image.size == (340, 440)  # 8.5 x 11 in at 40 dpi
        histogram = image.convert("L").histogram()
    dark = sum(histogram[:160])
    assert dark > 0.02 * sum(histogram)  # text, tables and charts, not an empty page


def test_long_tables_repeat_their_header_row(tmp_path: Path) -> None:
    now = datetime(2026, 11, 18, 15, tzinfo=UTC)
    holders = tuple(
        Holder(f"Person {i:03d}", PersonKind.EMPLOYEE, PageRole.EDITOR, now, None, "")
        for i in range(160)
    )
    account = AccountMatrix(uuid.uuid4(), "Facebook @Big", "HEA", AccountStatus.ACTIVE, holders)
    data = PermissionsData(ALL, now.date(), None, (account,), (), (), (), 14)
    header = ReportHeader(
        "Permission-matrix audit", ALL.label, None, now, now, "test", "T", "America/Regina", False
    )
    path = tmp_path / "long.pdf"
    pages = PermissionsRenderer(header, data).render(path)
    assert pages >= 3
    reader = PdfReader(path)
    for page in reader.pages[1:]:
        text = " ".join(page.extract_text().split())
        assert "Account Person Kind Role Since Expires" in text
