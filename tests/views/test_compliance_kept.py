"""The Compliance tab at the next start: the findings the last start showed come up at once,
marked as the last run, while the checks run again; then this run's replace them."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.enums import Platform
from desktop.errors import PermissionDenied
from desktop.services.choices import ChoiceService
from desktop.services.compliance import ComplianceOverview, ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.finding_scope import FindingScopeService
from desktop.storage.database import open_database
from desktop.views.compliance import last_checks
from desktop.views.compliance.compliance_tab import ComplianceTab
from desktop.views.compliance.findings_model import finding_key
from desktop.views.compliance.last_checks import ChecksShown
from tests.factories import Cast
from tests.views.conftest import add_comment, wait_for_tasks


def opened(qtbot: QtBot, cast: Cast, who: str) -> ComplianceTab:
    """A new tab, as the next start builds it. Keep it in a variable: a widget whose Python
    wrapper is collected while a worker runs is destroyed on the worker's thread (a crash)."""
    tab = ComplianceTab(cast.ctx(who))
    qtbot.addWidget(tab)
    tab.resize(1400, 900)
    tab.show()
    tab.refresh()
    return tab


def loaded(qtbot: QtBot, tab: ComplianceTab) -> ComplianceTab:
    qtbot.waitUntil(lambda: not tab.loading)
    wait_for_tasks(qtbot)
    return tab


def shown_subjects(tab: ComplianceTab) -> list[tuple[str, str]]:
    assert tab.overview is not None
    return [(f.code, f.subject_label) for f in tab.overview.findings]


@pytest.fixture
def findings(cast: Cast) -> None:
    cast.account("SKHealth", Platform.FACEBOOK)
    add_comment(cast, acknowledge_in=timedelta(minutes=-20))


@pytest.mark.usefixtures("findings")
def test_the_next_start_shows_the_last_runs_findings_while_the_checks_run(
    qtbot: QtBot, cast: Cast, held: threading.Event
) -> None:
    held.set()
    first = loaded(qtbot, opened(qtbot, cast, "dci"))
    before = shown_subjects(first)
    assert before
    assert first.checked.text().startswith("Checked ")
    # A finding is mended in the meantime: the next run no longer has it.
    cast.account("SKHealthNew", Platform.X)
    held.clear()

    again = opened(qtbot, cast, "dci")
    qtbot.waitUntil(lambda: again.overview is not None)
    assert again.loading  # the checks are still running
    assert again.kept
    assert shown_subjects(again) == before
    assert again.checked.text().startswith("Last checked ")
    assert again.progress.isVisible()
    assert again.model.total == first.model.total
    assert again.kpis.value_text("active_accounts") == first.kpis.value_text("active_accounts")

    held.set()
    loaded(qtbot, again)
    assert not again.kept
    assert again.checked.text().startswith("Checked ")
    assert not again.progress.isVisible()
    assert again.kpis.value_text("active_accounts") == "2"
    assert shown_subjects(again) != before


@pytest.mark.usefixtures("findings")
def test_nothing_is_shown_before_the_checks_for_another_person(
    qtbot: QtBot, cast: Cast, held: threading.Event
) -> None:
    held.set()
    first = loaded(qtbot, opened(qtbot, cast, "dci"))
    assert first.model.total > 0
    held.clear()
    other = opened(qtbot, cast, "comms")
    qtbot.wait(300)
    assert other.overview is None  # the kept run was another login's
    assert other.checked.text() == "Not checked yet"
    held.set()
    loaded(qtbot, other)
    assert other.overview is not None
    assert not other.kept


@pytest.mark.usefixtures("findings")
def test_a_damaged_kept_file_is_ignored(qtbot: QtBot, cast: Cast, held: threading.Event) -> None:
    held.set()
    first = loaded(qtbot, opened(qtbot, cast, "dci"))
    assert first.model.total > 0
    last_checks.kept_file(cast.ctx("dci")).write_text('{"format": 1, "findings": [', "utf-8")
    held.clear()
    again = opened(qtbot, cast, "dci")
    qtbot.wait(300)
    assert again.overview is None
    held.set()
    loaded(qtbot, again)
    assert again.overview is not None
    assert not again.kept


@pytest.mark.usefixtures("findings")
def test_a_person_who_may_no_longer_read_the_findings_loses_the_kept_run(
    qtbot: QtBot, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loaded(qtbot, opened(qtbot, cast, "dci"))
    assert first.model.total > 0
    kept = last_checks.kept_file(cast.ctx("dci"))
    assert kept.exists()

    def refused(self: ComplianceService, as_of: datetime) -> ComplianceOverview:
        raise PermissionDenied("Your roles no longer let you read the findings.")

    monkeypatch.setattr(ComplianceService, "overview", refused)
    tab = loaded(qtbot, opened(qtbot, cast, "dci"))
    assert not kept.exists()
    assert tab.model.total == 0
    assert tab.notice.text() == "Your roles no longer let you read the findings."


@pytest.mark.usefixtures("findings")
def test_the_kept_run_reads_back_as_it_was_kept(cast: Cast) -> None:
    ctx = cast.ctx("dci")
    overview = ComplianceService(ctx).overview(cast.clock())
    subjects = {(f.subject_type, f.subject_id) for f in overview.findings}
    shown = ChecksShown(
        overview,
        FindingScopeService(ctx).scopes(subjects),
        ChoiceService(ctx).ministries(),
        "America/Regina",
    )
    assert overview.findings
    assert any(s.platforms for s in shown.scopes.values())
    last_checks.keep(ctx, shown)
    assert last_checks.kept(ctx) == shown
    assert last_checks.kept(cast.ctx("comms")) is None


def test_the_kept_file_is_one_per_database_and_login(cast: Cast, tmp_path: Path) -> None:
    files = {last_checks.kept_file(cast.ctx(who)) for who in ("dci", "comms", "officer")}
    assert len(files) == 3
    other = open_database(str(tmp_path / "other.sqlite3"))
    try:
        elsewhere = ServiceContext(other, cast.people["dci"].login)
        assert last_checks.kept_file(elsewhere) not in files
    finally:
        other.dispose()


@pytest.mark.usefixtures("findings")
def test_the_same_findings_again_leave_the_tree_as_the_person_left_it(
    qtbot: QtBot, cast: Cast, held: threading.Event
) -> None:
    """When this start's checks find what the last start found, the tree is not filled again
    (~90 ms on a thousand findings, and the person's place in it lost): only the header says
    the run is this start's."""
    held.set()
    first = loaded(qtbot, opened(qtbot, cast, "dci"))
    held.clear()
    again = opened(qtbot, cast, "dci")
    qtbot.waitUntil(lambda: again.overview is not None)
    assert again.kept
    assert again.model.total == first.model.total
    last = again.model.shown_findings()[-1]
    assert again._select(finding_key(last))
    resets: list[None] = []
    again.model.modelReset.connect(lambda: resets.append(None))
    held.set()
    loaded(qtbot, again)
    assert not again.kept
    assert again.checked.text().startswith("Checked ")
    assert resets == []
    assert again.selected_finding() == last
