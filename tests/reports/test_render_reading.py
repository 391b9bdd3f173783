"""What a director reads off the page: goals against actuals compared like with like, amounts
in the units people count in, and a PDF a screen reader can name and navigate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.policy.goal_pace import MonthValue, goal_pace
from desktop.reports.service import generate_report
from desktop.reports.spec import ReportKind, ReportSpec
from desktop.services.goals import GoalService
from tests.reports.conftest import PERIOD, World, pdf_text


def evaluation(world: World, tmp_path: Path) -> str:
    spec = ReportSpec(ReportKind.EVALUATION, account="SKHealth", period=PERIOD)
    return pdf_text(generate_report(world.ctx("dci"), spec, tmp_path / "e.pdf").path)


def test_a_goal_is_compared_over_the_days_both_periods_share(world: World, tmp_path: Path) -> None:
    """The 12-month goal of 1,000 shares set against July to October (123 days with metrics,
    November not recorded yet): its target for those days is 337, not 1,000."""
    text = evaluation(world, tmp_path)
    shares = 50 + 70 + 90 + sum_july(world)
    expected = 100 * shares / (1000 * 123 / 365)
    assert (
        f"2026-07-01 to 2027-06-30 200 1,000 2026-07-01 to 2026-10-31 (123 days) 337 "
        f"{shares} {expected:.1f} %"
    ) in text
    assert "Compared like with like." in text
    assert "pro-rated" in text


def sum_july(world: World) -> int:
    return world.monthly[date(2026, 7, 1)][2]


def test_time_in_hours_targets_in_whole_numbers_and_later_goals_not_compared(
    world: World, tmp_path: Path
) -> None:
    goals = GoalService(world.cast.ctx("officer"))
    goals.draft(
        world.facebook.id,
        "More time on our pages",
        "time_on_page_seconds",
        1_800_000,  # 500 hours over the year
        1_440_000,
        date(2026, 7, 1),
        date(2027, 6, 30),
    )
    goals.draft(
        world.facebook.id,
        "Positive responses up a quarter",
        "responses_positive",
        2_067.5,
        1_654,
        date(2026, 7, 1),
        date(2027, 6, 30),
    )
    goals.draft(
        world.facebook.id,
        "Next year's comments",
        "comments",
        900,
        700,
        date(2026, 12, 1),
        date(2027, 11, 30),
    )
    text = evaluation(world, tmp_path)
    assert "Time on page (hours)" in text
    assert "400.0 h 500.0 h" in text  # baseline and target, not 1,440,000 seconds
    assert "1,440,000" not in text
    assert "1,654 2,068" in text  # 2,067.5 responses is a target of 2,068
    assert "2,067.5" not in text
    later = text[text.index("Next year's comments") :]
    assert later.split("Compared like with like")[0].count("not compared") == 1
    assert "not compared: it starts after this report's data" in later


@pytest.mark.parametrize(
    ("start", "end", "days", "target"),
    [
        (date(2026, 7, 1), date(2027, 6, 30), 123, 1000 * 123 / 365),
        (date(2026, 8, 16), date(2027, 8, 15), 77, 1000 * 77 / 365),  # half of August
        (date(2026, 12, 1), date(2027, 11, 30), 0, 0.0),  # after the data
    ],
)
def test_goal_pace_counts_only_shared_recorded_days(
    start: date, end: date, days: int, target: float
) -> None:
    months = [
        MonthValue(date(2026, 7, 1), 31.0),
        MonthValue(date(2026, 8, 1), 62.0),
        MonthValue(date(2026, 9, 1), 30.0),
        MonthValue(date(2026, 10, 1), 31.0),
        MonthValue(date(2026, 11, 1), None),  # not recorded
    ]
    pace = goal_pace(start, end, 1000, 0, months, date(2026, 7, 1), date(2026, 12, 31))
    assert pace.days == days
    assert pace.target == pytest.approx(target)
    if days:
        assert pace.percent is not None
    else:
        assert (pace.compared, pace.percent) == (False, None)
    if start == date(2026, 8, 16):
        assert pace.actual == pytest.approx(32.0 + 30 + 31)  # 16 of August's 31 days


def test_the_pdf_names_its_title_language_and_sections(world: World, tmp_path: Path) -> None:
    """What reportlab can do for a screen reader: the document's title shown instead of its
    file name, its language, and an outline of its sections (reportlab writes no structure
    tree, so the PDF is not tagged; its content is written in reading order)."""
    spec = ReportSpec(ReportKind.SLA, period=PERIOD)
    path = generate_report(world.ctx("dci"), spec, tmp_path / "sla.pdf").path
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-CA"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/PageMode"] == "/UseOutlines"
    assert reader.metadata is not None
    assert reader.metadata.title == "Service-level compliance"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:4] == ["Service-level compliance", "By ministry", "Time taken", "By account"]
    # A table row reads across, cell after cell, in the order of its header.
    text = pdf_text(path)
    assert "Ministry Received Of which in emergencies Ack. on time (normal)" in text
