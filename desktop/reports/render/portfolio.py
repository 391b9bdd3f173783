"""The director's portfolio summary: every account at a glance, then what needs a decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from desktop.policy.engagement import NO_ENGAGEMENT_DEFINITION
from desktop.policy.findings import Finding
from desktop.reports.data.findings_data import by_check
from desktop.reports.data.portfolio_data import PortfolioAccount, PortfolioData
from desktop.reports.render import formatting as fmt
from desktop.reports.render.base import BaseReportRenderer, ReportHeader
from desktop.reports.render.blocks import keep, key_figures, note, table
from desktop.reports.render.charts import bar_chart
from desktop.reports.render.findings import check_summary_table
from desktop.reports.render.theme import FONT


class PortfolioRenderer(BaseReportRenderer):
    def __init__(
        self,
        header: ReportHeader,
        data: PortfolioData,
        findings: Sequence[Finding] | None,
    ) -> None:
        super().__init__(header)
        self.data = data
        self.findings = findings  # masked already when personal information is withheld

    def story(self) -> list[Flowable]:
        return [
            *self._summary(),
            *self._accounts(),
            *self._candidates(),
            *self._evaluations(),
            *self._goals(),
            *self._findings(),
        ]

    def _summary(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        active = sum(1 for a in d.accounts if a.status.value == "active")
        c = d.service
        figures = key_figures(
            [
                ("Accounts", fmt.num(len(d.accounts))),
                ("Active", fmt.num(active)),
                ("Acknowledged on time", fmt.pct(c.ack_pct)),
                ("Answered on time", fmt.pct(c.answer_pct)),
                ("Termination candidates", fmt.num(len(d.termination_candidates))),
            ],
            w,
            s,
        )
        half = (w - 12) / 2
        status = bar_chart(
            "Accounts by status",
            [fmt.words(st) for st, _ in d.status_counts] or ["none"],
            [("Accounts", [n for _, n in d.status_counts] or [0])],
            half,
        )
        engagement = bar_chart(
            "Engagement actions by month",
            [fmt.month(m) for m, _ in d.monthly_engagement],
            [("Engagement actions", [n for _, n in d.monthly_engagement])],
            half,
            partial_last=d.month_running,
        )
        charts = Table([[status, "", engagement]], colWidths=[half, 12, half], hAlign="LEFT")
        charts.setStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return [figures, Spacer(1, 10), keep(charts)]

    def _accounts(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Accounts")]
        if not d.accounts:
            return [*out, note("There are no accounts in this scope.", s)]
        rows = [
            [
                a.label,
                a.ministry_code,
                fmt.words(a.status),
                a.trend,
                fmt.num(a.engagement_total),
                fmt.num(a.service.received),
                fmt.pct(a.service.ack_pct),
                fmt.pct(a.service.answer_pct),
                _due(a.evaluation_due, a.evaluation_status(d.today)),
            ]
            for a in d.accounts
        ]
        head = [
            "Account",
            "Ministry",
            "Status",
            "Trend",
            "Engagement",
            "Comments",
            "Ack. on time",
            "Answered on time",
            "Evaluation due",
        ]
        widths = [0.235, 0.075, 0.1, 0.07, 0.105, 0.09, 0.09, 0.1, 0.135]
        unrecorded = [fmt.month(m) for m, n in d.monthly_engagement if n is None]
        gap = (
            f" No metrics are recorded yet for {', '.join(unrecorded)}; the chart above "
            "draws no bar for it, which is not a month of zero."
            if unrecorded
            else ""
        )
        return [
            *out,
            note(
                "Engagement: positive and negative responses, shares and comments summed over "
                "the period; the trend compares its last recorded months with its first." + gap,
                s,
            ),
            table(head, rows, [x * w for x in widths], s, right={4, 5, 6, 7}),
        ]

    def _candidates(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Termination candidates")]
        found = d.termination_candidates
        out.append(note(NO_ENGAGEMENT_DEFINITION, s))
        if not found:
            return [
                *out,
                note(
                    f"No active account went {d.engagement_window_months} months "
                    "without engagement.",
                    s,
                ),
            ]
        rows = [
            [a.label, a.ministry_code, fmt.day(a.active_since), fmt.day(a.last_evaluated_on)]
            for a in found
        ]
        head = ["Account", "Ministry", "Active since", "Last evaluated"]
        return [*out, table(head, rows, [0.46 * w, 0.14 * w, 0.2 * w, 0.2 * w], s)]

    def _evaluations(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Evaluations due or overdue")]
        due = d.evaluations_due
        if not due:
            return [*out, note("Every active account's evaluation is current.", s)]
        rows = [
            [
                a.label,
                a.ministry_code,
                fmt.day(a.last_evaluated_on),
                fmt.day(a.evaluation_due),
                _days(a, d.today),
            ]
            for a in due
        ]
        head = ["Account", "Ministry", "Last evaluated", "Due", "Status"]
        widths = [0.38, 0.1, 0.16, 0.14, 0.22]
        return [
            *out,
            note(
                "Accounts are evaluated twice a year; the six-month review decides whether a "
                "new strategy is needed.",
                s,
            ),
            table(head, rows, [x * w for x in widths], s),
        ]

    def _goals(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Goal renewals due or overdue")]
        due = d.goal_renewals_due
        if not due:
            return [*out, note("Every active account has final goals that are current.", s)]
        rows = []
        for a in due:
            state = a.goals_status(d.today)
            text = "no final goals" if state == "none" else state
            rows.append(
                [
                    a.label,
                    a.ministry_code,
                    fmt.day(a.goals_until),
                    text,
                    "yes" if a.goals_in_review else "no",
                ]
            )
        head = ["Account", "Ministry", "Goals valid until", "Status", "Renewal in review"]
        widths = [0.38, 0.1, 0.18, 0.16, 0.18]
        return [
            *out,
            note("Measurable goals and objectives are renewed every 12 months.", s),
            table(head, rows, [x * w for x in widths], s),
        ]

    def _findings(self) -> list[Flowable]:
        s = self.styles
        out: list[Flowable] = [*self.heading("Findings by check", room=2.6 * inch)]
        if self.findings is None:
            return [*out, note("The compliance checks are not available in this installation.", s)]
        if not self.findings:
            return [*out, note("The compliance checks find nothing to fix in this scope.", s)]
        checks = by_check(self.findings)
        lead = (
            f"{fmt.plural(len(self.findings), 'finding')} from "
            f"{fmt.plural(len(checks), 'check')}: one line per check, the most severe and "
            "riskiest first (access to the accounts, then unapproved content, then citizens "
            "waiting for an answer, then goals and evaluations), with the records concerned."
        )
        return [
            *out,
            note(lead, s),
            check_summary_table(
                checks, self.width, s, personal_info=bool(self.header.personal_info)
            ),
        ]


def _due(due: date | None, status: str) -> str:
    if due is None:
        return fmt.DASH
    return due.isoformat() + ("" if status == "ok" else f" ({status})")


def _days(a: PortfolioAccount, today: date) -> str:
    assert a.evaluation_due is not None
    days = (a.evaluation_due - today).days
    if days < 0:
        return f"overdue by {-days} days"
    return f"due in {days} days"
