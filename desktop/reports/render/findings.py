"""Compliance findings in a PDF: one row per finding (an account's evaluation), or one row per
check with its count and the records behind it (a portfolio's summary).

Each check is named by the title the app shows for it; its code follows in grey, so that an
auditor can look the rule up. Findings reach these tables already masked (see
``desktop.reports.masking.mask_findings``) when personal information is withheld.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Table

from desktop.enums import Severity
from desktop.policy.findings import CHECKS, Finding
from desktop.reports.data.findings_data import CheckSummary
from desktop.reports.render import formatting as fmt
from desktop.reports.render.blocks import para, rich, table
from desktop.reports.render.theme import GREY, ORANGE, RED, esc

SEVERITY_COLOURS = {Severity.CRITICAL: RED, Severity.WARNING: ORANGE, Severity.INFO: GREY}
RECORDS_LISTED = 8  # per check; the count says how many there are in all
_MUTED = "#6B7280"


def check_title(code: str) -> str:
    spec = CHECKS.get(code)
    return spec.title if spec is not None else code


def _severity(severity: Severity, styles: StyleSheet1) -> object:
    colour = SEVERITY_COLOURS.get(severity, GREY).hexval()[2:]
    return rich(
        f'<font color="#{colour}"><b>{esc(severity.value.capitalize())}</b></font>',
        styles["Cell"],
    )


def findings_table(
    findings: Sequence[Finding], width: float, styles: StyleSheet1, timezone: str
) -> Table:
    """Severity, the record concerned, then the check, what is wrong and what to do."""
    rows = []
    for f in findings:
        since = f" Since {fmt.when(f.since, timezone)}." if f.since else ""
        rows.append(
            [
                _severity(f.severity, styles),
                para(f.subject_label, styles["Cell"]),
                rich(
                    f"<b>{esc(check_title(f.code))}</b> "
                    f'<font color="{_MUTED}" size="6.5">{esc(f.code)}</font><br/>'
                    f"{esc(f.message)}{esc(since)}<br/>"
                    f'<font color="{_MUTED}">What to do: {esc(f.remedy)}</font>',
                    styles["Cell"],
                ),
            ]
        )
    return table(
        ["Severity", "Record", "Finding and what to do"],
        rows,
        [0.1 * width, 0.24 * width, 0.66 * width],
        styles,
    )


def records_text(summary: CheckSummary, *, withheld: bool, listed: int = RECORDS_LISTED) -> str:
    """The records behind a check: the first few by name, then how many more; members of the
    public only counted when personal information is withheld."""
    if summary.citizens and withheld:
        noun = "commenter" if summary.count == 1 else "commenters"
        return f"{fmt.num(summary.count)} {noun} (names withheld)"
    shown = summary.records[:listed]
    more = len(summary.records) - len(shown)
    text = "; ".join(shown)
    return f"{text}; and {fmt.num(more)} more" if more else text


def check_summary_table(
    summaries: Sequence[CheckSummary],
    width: float,
    styles: StyleSheet1,
    *,
    personal_info: bool,
) -> Table:
    """One row per check: severity, the check and what to do, how many, and which records."""
    rows = [
        [
            _severity(c.severity, styles),
            rich(
                f"<b>{esc(c.title)}</b> "
                f'<font color="{_MUTED}" size="6.5">{esc(c.code)}</font><br/>'
                f'<font color="{_MUTED}">What to do: {esc(c.remedy)}</font>',
                styles["Cell"],
            ),
            fmt.num(c.count),
            para(records_text(c, withheld=not personal_info), styles["Cell"]),
        ]
        for c in summaries
    ]
    return table(
        ["Severity", "Check and what to do", "Findings", "Records concerned"],
        rows,
        [0.1 * width, 0.44 * width, 0.1 * width, 0.36 * width],
        styles,
        right={2},
    )
