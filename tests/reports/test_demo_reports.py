"""Every report on the demo data, read back page by page as a director reads it: nothing of a
citizen shows when personal information is masked, the findings lead with the worst risks,
no word is split, and the figures agree with each other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desktop.models import Account, AccountRole, Comment, Commenter, Person, Strike
from desktop.policy.findings import CHECKS
from desktop.policy.risk import risk_key
from desktop.reports.service import generate_report
from desktop.reports.spec import ReportKind, ReportSpec
from desktop.services.compliance import ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.demo import generate_demo
from desktop.storage.database import Database, open_database

pytestmark = pytest.mark.slow  # the demo data and some forty reports: about 30 s

AS_OF = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}")


@dataclass(frozen=True)
class Citizens:
    """What identifies the members of the public in the demo data."""

    handles: frozenset[str]
    names: frozenset[str]
    emails: frozenset[str]
    phones: frozenset[str]  # digits only


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    generate_demo(db, size="small", as_of=AS_OF)
    yield db
    db.dispose()


def _ctx(db: Database) -> ServiceContext:
    return ServiceContext(db, "admin", clock=lambda: AS_OF)


@pytest.fixture(scope="module")
def citizens(demo: Database) -> Citizens:
    with demo.read() as s:
        staff = set(s.scalars(select(Person.name)))
        handles = set(s.scalars(select(Commenter.handle)))
        handles |= set(s.scalars(select(Comment.author_handle).where(Comment.author_handle != "")))
        names = set(s.scalars(select(Commenter.display_name)))
        names |= set(s.scalars(select(Comment.author_name)))
        texts = list(s.scalars(select(Comment.text)))
        official = {h.lower() for h in s.scalars(select(Account.handle))}
    emails = {m.group(0) for t in texts for m in EMAIL.finditer(t)}
    phones = {re.sub(r"\D", "", m.group(0))[-10:] for t in texts for m in PHONE.finditer(t)}
    # A citizen who shares a staff member's name: the staff member is named, rightly.
    names = {n for n in names if n and n not in staff}
    # Handles in comment text ("cc @someone") are citizens' too.
    handles |= {
        m.group(1) for t in texts for m in re.finditer(r"(?<![\w@.])@(\w[\w.]*\w)", t)
    } - official
    return Citizens(
        handles=frozenset(h for h in handles if h.lower() not in official),
        names=frozenset(names),
        emails=frozenset(emails),
        phones=frozenset(phones),
    )


def _evaluated_accounts(db: Database) -> list[str]:
    """Accounts whose evaluation shows citizens if anything does: comments still waiting
    (an evaluation quotes those), strikes against their commenters, and the WeChat account."""
    with db.read() as s:
        struck = set(
            s.scalars(
                select(Account.platform + ":" + Account.handle)
                .join(Comment, Comment.account_id == Account.id)
                .join(Strike, Strike.comment_id == Comment.id)
            )
        )
        talked = set(
            s.scalars(
                select(Account.platform + ":" + Account.handle)
                .join(Comment, Comment.account_id == Account.id)
                .where(
                    Comment.received_at >= datetime(2026, 7, 1, tzinfo=UTC),
                    Comment.closed_at.is_(None),
                    (Comment.acknowledged_at.is_(None) & (Comment.acknowledge_due_at <= AS_OF))
                    | (Comment.answered_at.is_(None) & (Comment.answer_due_at <= AS_OF)),
                )
            )
        )
    return sorted(struck | talked | {"wechat:SaskAgriFood"})


@pytest.fixture(scope="module")
def reports(demo: Database, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    ctx = _ctx(demo)
    made: dict[str, Path] = {}
    for kind in (ReportKind.PORTFOLIO, ReportKind.SLA, ReportKind.APPROVALS):
        made[kind.value] = generate_report(ctx, ReportSpec(kind), out / f"{kind.value}.pdf").path
    made["permissions"] = generate_report(
        ctx, ReportSpec(ReportKind.PERMISSIONS, period="2026H2"), out / "permissions.pdf"
    ).path
    for account in _evaluated_accounts(demo):
        spec = ReportSpec(ReportKind.EVALUATION, account=account, period="2026H2")
        name = f"evaluation-{account.replace(':', '-')}"
        made[name] = generate_report(ctx, spec, out / f"{name}.pdf").path
    return made


def page_texts(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


def leaks(path: Path, who: Citizens) -> list[str]:
    """Every citizen's handle, name, e-mail address or phone number found on any page."""
    found: list[str] = []
    for number, text in enumerate(page_texts(path), start=1):
        squeezed = re.sub(r"\s", "", text).lower()  # a handle may wrap inside a cell
        digits = re.sub(r"\D", "", text)
        found += [f"p{number} handle {h}" for h in who.handles if h.lower() in squeezed]
        found += [f"p{number} name {n}" for n in who.names if n in text]
        found += [f"p{number} e-mail {e}" for e in who.emails if e.lower() in squeezed]
        found += [f"p{number} phone {p}" for p in who.phones if p in digits]
    return found


def test_the_demo_has_citizens_to_mask(citizens: Citizens, reports: dict[str, Path]) -> None:
    assert len(citizens.handles) > 500
    assert len(citizens.names) > 300
    assert citizens.emails
    assert citizens.phones
    assert len([r for r in reports if r.startswith("evaluation-")]) >= 5


def test_no_report_shows_a_citizen_when_personal_information_is_masked(
    citizens: Citizens, reports: dict[str, Path]
) -> None:
    found = {name: leaks(path, citizens) for name, path in reports.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_scan_finds_citizens_when_they_are_asked_for(
    demo: Database, citizens: Citizens, tmp_path: Path
) -> None:
    """The same scan on reports made with personal information: it does find them (so the
    test above can fail), in the comments and in the findings about commenters."""
    ctx = _ctx(demo)
    sla = generate_report(
        ctx, ReportSpec(ReportKind.SLA, include_personal_info=True), tmp_path / "sla.pdf"
    ).path
    kinds = {hit.split()[1] for hit in leaks(sla, citizens)}
    assert {"handle", "name"} <= kinds
    portfolio = generate_report(
        ctx, ReportSpec(ReportKind.PORTFOLIO, include_personal_info=True), tmp_path / "p.pdf"
    ).path
    assert any(" handle " in hit for hit in leaks(portfolio, citizens))


def test_portfolio_lists_every_check_once_by_risk_with_its_title(
    demo: Database, reports: dict[str, Path]
) -> None:
    findings = ComplianceService(_ctx(demo)).run(AS_OF)
    codes = {f.code for f in findings}
    severity = {f.code: f.severity for f in findings}
    text = " ".join(page_texts(reports["portfolio"]))
    section = text[text.index("Findings by check") :]
    order = sorted(codes, key=lambda c: (section.index(f" {c} "), c))
    assert order == sorted(codes, key=lambda c: risk_key(c, severity[c]))
    for code in codes:
        assert section.count(f" {code} ") == 1
        assert CHECKS[code].title in section
    security = ["THIRD_PARTY_ACCESS_NOT_REVOKED", "FACEBOOK_ADMINS", "PERSONAL_EMAIL_ON_ACCOUNT"]
    first_comment = min(section.index(c) for c in ("COMMENT_ACK_OVERDUE", "COMMENT_ANSWER_OVERDUE"))
    assert all(section.index(c) < first_comment for c in [*security, "CONTENT_NOT_APPROVED"])
    assert "filter the log" not in text
    assert f"{len(findings)} findings from {len(codes)} checks" in section


def _words_that_must_stay_whole(db: Database) -> set[str]:
    with db.read() as s:
        handles = {f"@{h}" for h in s.scalars(select(Account.handle))}
        ids = {b for b in s.scalars(select(AccountRole.business_id)) if b}
    return handles | ids | {"Terminated", "Suspended", "Proposed", "Approved"}


def test_no_word_is_split_inside(demo: Database, reports: dict[str, Path]) -> None:
    words = _words_that_must_stay_whole(demo)
    split: list[str] = []
    for name, path in reports.items():
        text = " ".join(page_texts(path))
        for word in words:
            for cut in range(2, len(word) - 1):
                piece = f"{word[:cut]} {word[cut:]}"
                if piece in text and word not in text.replace(piece, ""):
                    split.append(f"{name}: {piece}")
    assert split == []


def test_the_layout_reads_right(reports: dict[str, Path]) -> None:
    portfolio = " ".join(page_texts(reports["portfolio"]))
    assert "Min." not in portfolio
    assert "Account Ministry Status Trend" in portfolio
    assert "Nov 2026 (to date)" in portfolio  # the running month, not an empty bar
    for name in ("permissions", "approvals"):
        text = " ".join(page_texts(reports[name]))
        assert "Personal information" not in text
        assert "masked" not in text
    sla = " ".join(page_texts(reports["sla"]))
    assert "(withheld)" not in sla
    assert "From" not in sla.split("Overdue items")[1].split("Emergency periods")[0]
    assert "the axis starts at" in sla


def test_the_sla_totals_agree_with_the_headline(reports: dict[str, Path]) -> None:
    text = " ".join(page_texts(reports["sla"]))
    headline = re.search(r"([\d,]+) Comments received", text)
    total = re.search(r"All ministries ([\d,]+) ([\d,]+)", text)
    assert headline is not None
    assert total is not None
    assert total.group(1) == headline.group(1)
    emergencies = re.search(r"([\d,]+) During emergencies", text)
    assert emergencies is not None
    assert total.group(2) == emergencies.group(1)


def test_chinese_is_printed_in_the_fallback_font(reports: dict[str, Path]) -> None:
    path = reports["evaluation-wechat-SaskAgriFood"]
    assert "萨斯喀彻温农业食品" in " ".join(page_texts(path))
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in PdfReader(path).pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+DroidSansFallback") for name in fonts)
    assert all("Helvetica" not in name for name in fonts)  # every font embedded
