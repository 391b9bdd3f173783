"""Figure 5: the director's portfolio summary PDF for the current half-year, against reportlab
laying out a document of the same page count from static content (a heading, two paragraphs
and an 18-row table a page, in the report's page size) in the same run.
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
from datetime import datetime
from functools import partial
from pathlib import Path

from benchmarks.common import BenchEnv, Budget, Result, child_main, clocked, log

ROWS_PER_PAGE = 18
TEXT = (
    "Engagement held steady across the portfolio this period; the accounts with the most "
    "citizen questions answered within the service level are listed below, with their "
    "response counts, shares and reach. "
) * 3


def half_year(as_of: datetime) -> str:
    return f"{as_of.year}H{1 if as_of.month <= 6 else 2}"


def static_document(path: Path, pages: int) -> int:
    """``pages`` pages of fixed content through reportlab's platypus; returns the page count."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[object] = []
    data = [["Account", "Ministry", "Comments", "Answered in time", "Reach"]]
    data += [
        [f"@account{i}", "HEA", f"{i * 37:,}", f"{90 + i % 10}%", f"{i * 1234:,}"]
        for i in range(ROWS_PER_PAGE)
    ]
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
        ]
    )
    for n in range(pages):
        story += [
            Paragraph(f"Section {n + 1}", styles["Heading2"]),
            Paragraph(TEXT, styles["BodyText"]),
            Paragraph(TEXT, styles["BodyText"]),
            Table(data, style=style, repeatRows=1),
        ]
        if n < pages - 1:
            story.append(PageBreak())
    counted: list[int] = []

    def number(canvas: object, doc: object) -> None:
        counted.append(1)

    document = SimpleDocTemplate(str(path), pagesize=letter)
    document.build(story, onFirstPage=number, onLaterPages=number)
    return len(counted)


def _phases(steps: list[tuple[str, float]]) -> dict[str, float]:
    """Seconds from each progress step of the report to the next."""
    return {text.lower(): after - at for (text, at), (_next, after) in itertools.pairwise(steps)}


def measure(env: BenchEnv) -> list[Result]:
    from desktop.reports.service import generate_report
    from desktop.reports.spec import ReportKind, ReportSpec
    from desktop.services.context import ServiceContext
    from desktop.storage.database import open_database

    as_of = env.as_of_time
    db = open_database(env.db_path, migrate=False)
    ctx = ServiceContext(db, env.login, clock=lambda: as_of)
    spec = ReportSpec(kind=ReportKind.PORTFOLIO, period=half_year(as_of), as_of=as_of)
    samples: list[float] = []
    baseline: list[float] = []
    pages = 0
    steps: list[tuple[str, float]] = []
    phases: list[dict[str, float]] = []

    def on_step(_done: int, _total: int, text: str) -> None:
        steps.append((text, time.perf_counter()))

    with tempfile.TemporaryDirectory(prefix="smgov-bench-pdf-") as folder:
        report, static = Path(folder) / "portfolio.pdf", Path(folder) / "static.pdf"
        try:
            for n in range(env.repeats):
                steps.clear()
                seconds, result = clocked(
                    lambda: generate_report(ctx, spec, report, progress=on_step)
                )
                samples.append(seconds)
                phases.append(_phases(steps))
                pages = result.pages
                seconds, made = clocked(partial(static_document, static, pages))
                baseline.append(seconds)
                if made != pages:
                    raise RuntimeError(f"the static document has {made} pages, not {pages}")
                log(
                    f"portfolio {n + 1}/{env.repeats}: {samples[-1]:.2f} s for {pages} pages; "
                    f"static {baseline[-1]:.2f} s"
                )
        finally:
            db.dispose()
    return [
        Result(
            figure="5",
            name="Portfolio PDF",
            unit="s",
            samples=samples,
            baseline_name=f"reportlab, {pages} static pages",
            baseline_samples=baseline,
            budget=Budget(max_value=10.0),
            note=f"{spec.period}, every ministry, {pages} pages; median s per step: "
            + ", ".join(
                f"{name} {statistics.median(p.get(name, 0.0) for p in phases):.2f}"
                for name in phases[-1]
            ),
        )
    ]


if __name__ == "__main__":
    child_main(measure)
