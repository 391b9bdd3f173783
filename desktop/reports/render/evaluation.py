"""The semi-annual account evaluation, as the Director, Digital Channels and Insights reviews it."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from desktop.enums import Recommendation
from desktop.policy.findings import Finding
from desktop.reports.data.comment_stats import TimeTaken
from desktop.reports.data.evaluation_data import EvaluationReportData, MonthRow
from desktop.reports.render import formatting as fmt
from desktop.reports.render.base import BaseReportRenderer, ReportHeader
from desktop.reports.render.blocks import (
    keep,
    key_figures,
    note,
    overdue_table,
    para,
    table,
)
from desktop.reports.render.charts import bar_chart, hbar_chart, line_chart
from desktop.reports.render.findings import findings_table
from desktop.reports.render.goals_table import goals_section
from desktop.reports.render.theme import FONT, NAVY, RULE

RECOMMENDATION_TEXT = {
    Recommendation.CONTINUE: "Continue the account with its current strategy",
    Recommendation.NEW_STRATEGY: "A new strategy is needed",
    Recommendation.TERMINATE: "Terminate the account",
}


class EvaluationRenderer(BaseReportRenderer):
    def __init__(
        self,
        header: ReportHeader,
        data: EvaluationReportData,
        findings: Sequence[Finding] | None,
        personal_info: bool = False,
    ) -> None:
        super().__init__(header)
        self.data = data
        self.findings = findings  # masked already when personal information is withheld
        self.personal_info = personal_info

    def story(self) -> list[Flowable]:
        return [
            *self._summary(),
            *self._goals(),
            *self._engagement(),
            *self._service(),
            *self._waiting(),
            *self._moderation(),
            *self._permissions(),
            *self._findings(),
            *self._evaluation(),
        ]

    def _summary(self) -> list[Flowable]:
        d, s = self.data, self.styles
        a = d.account
        facts = [
            f"{a.label}" + (f" \u2014 {a.display_name}" if a.display_name else ""),
            f"Ministry: {a.ministry_name} ({a.ministry_code}) \u00b7 status {fmt.words(a.status)}"
            + (f" \u00b7 active since {fmt.day(a.activated_at.date())}" if a.activated_at else ""),
            f"Accountable owner: {a.owner_name or 'none recorded'} \u00b7 "
            f"account e-mail: {a.government_email or 'none recorded'}",
        ]
        engagement = sum(m.engagement_actions for m in d.months)
        return [
            *(para(line, s["Normal"]) for line in facts),
            Spacer(1, 8),
            key_figures(
                [
                    ("Engagement actions", fmt.num(engagement)),
                    ("Engagement trend", d.engagement_trend),
                    ("Comments received", fmt.num(d.service.received)),
                    ("Acknowledged on time", fmt.pct(d.service.ack_pct)),
                    ("Answered on time", fmt.pct(d.service.answer_pct)),
                ],
                self.width,
                s,
            ),
        ]

    def _goals(self) -> list[Flowable]:
        return [
            *self.heading("Goals against actuals"),
            *goals_section(self.data, self.width, self.styles),
        ]

    def _engagement(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        running = d.month_running
        months = [fmt.month(m.month) for m in d.months]

        def value(m: MonthRow, amount: int) -> str:
            return fmt.num(amount) if m.recorded else fmt.DASH

        rows = []
        for i, m in enumerate(d.months):
            label = fmt.month(m.month)
            if running and i == len(d.months) - 1:
                label += " (to date)"
            if not m.recorded:
                label += ", not recorded"
            rows.append(
                [
                    label,
                    value(m, m.responses_positive),
                    value(m, m.responses_negative),
                    value(m, m.shares),
                    value(m, m.comments),
                    f"{m.time_on_page_seconds / 3600:,.1f}" if m.recorded else fmt.DASH,
                    value(m, m.reach),
                ]
            )
        head = [
            "Month",
            "Positive responses",
            "Negative responses",
            "Shares and retweets",
            "Comments",
            "Time on page (h)",
            "Reach",
        ]
        widths = [0.22, 0.13, 0.13, 0.14, 0.12, 0.13, 0.13]

        def series(field: str) -> list[float | None]:
            return [getattr(m, field) if m.recorded else None for m in d.months]

        bars = bar_chart(
            "Responses, shares and comments by month",
            months,
            [
                ("Positive responses", series("responses_positive")),
                ("Negative responses", series("responses_negative")),
                ("Shares and retweets", series("shares")),
                ("Comments", series("comments")),
            ],
            w,
            partial_last=running,
        )
        line = line_chart(
            "Time on page by month (hours)",
            months,
            [
                (
                    "Time on page (h)",
                    [m.time_on_page_seconds / 3600 if m.recorded else None for m in d.months],
                )
            ],
            w,
            height=130,
            partial_last=running,
        )
        unrecorded = [fmt.month(m.month) for m in d.months if not m.recorded]
        gap = (
            f" No metrics are recorded yet for {', '.join(unrecorded)}: no bar is drawn, "
            "which is not a month of zero."
            if unrecorded
            else ""
        )
        return [
            *self.heading("Engagement by month"),
            table(head, rows, [x * w for x in widths], s, right={1, 2, 3, 4, 5, 6}),
            note("Engagement, not follower counts, is what the policy measures." + gap, s),
            keep(bars),
            Spacer(1, 6),
            keep(line),
        ]

    def _service(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        c, t = d.service, d.time_taken
        rows = [
            ["Comments received that call for a reply", fmt.num(c.received)],
            ["Acknowledged on time", _share(c.ack_on_time, c.ack_measured, c.ack_pct)],
            ["Answered on time", _share(c.answer_on_time, c.answer_measured, c.answer_pct)],
            ["Median business time to acknowledge", fmt.duration(t.acknowledge.median)],
            ["Median business time to answer", fmt.duration(t.answer.median)],
            ["90 % acknowledged within (business time)", fmt.duration(t.acknowledge.p90)],
            ["Still waiting past acknowledge-by at the as-of time", fmt.num(c.ack_overdue)],
            ["Still waiting past answer-by at the as-of time", fmt.num(c.answer_overdue)],
            [
                "Comments received during a declared emergency",
                fmt.num(t.emergency_acknowledge.count),
            ],
        ]
        return [
            *self.heading("Service levels"),
            table(["Measure", "Value"], rows, [0.7 * w, 0.3 * w], s, right={1}),
            note(
                f"{d.rules} Comments received during an emergency are left out of the "
                "business-time medians.",
                s,
            ),
            keep(_distribution_chart(t, w)),
        ]

    def _waiting(self) -> list[Flowable]:
        d, s = self.data, self.styles
        out: list[Flowable] = [*self.heading("Comments still waiting")]
        if not d.overdue:
            return [*out, note("No comment of the period is waiting past its due time.", s)]
        shown = len(d.overdue)
        more = (
            f" The oldest {shown} of {d.overdue_total} are listed."
            if d.overdue_total > shown
            else ""
        )
        return [
            *out,
            note(
                f"Comments of the period not acknowledged or answered by their due time, as of "
                f"the as-of time.{more}",
                s,
            ),
            overdue_table(
                d.overdue,
                self.width,
                s,
                self.header.timezone,
                personal_info=self.personal_info,
                official_handles=d.official_handles,
                with_account=False,
            ),
        ]

    def _moderation(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        m = d.moderation
        out: list[Flowable] = [*self.heading("Moderation")]
        if not m.strikes and not m.bans:
            return [
                *out,
                note(
                    "No strikes were recorded against comments on this account "
                    "in the period, and no bans were proposed.",
                    s,
                ),
            ]
        if m.strikes:
            out.append(
                hbar_chart(
                    f"Strikes by removal category ({m.strike_total} in all)",
                    [(c.label, n) for c, n in m.strikes],
                    w,
                )
            )
        else:
            out.append(note("No strikes were recorded in the period.", s))
        out += self.heading("Bans of commenters struck on this account", 2)
        if m.bans:
            rows = [[fmt.words(k), fmt.words(st), fmt.num(n)] for k, st, n in m.bans]
            out.append(
                table(["Ban", "Status", "Count"], rows, [0.4 * w, 0.4 * w, 0.2 * w], s, right={2})
            )
        else:
            out.append(note("No bans were proposed in the period.", s))
        return out

    def _permissions(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Permission changes in the period")]
        if not d.role_changes:
            return [*out, note("Nobody was granted or lost a role on this account.", s)]
        rows = [
            [
                fmt.when(c.at, self.header.timezone),
                c.person_name,
                fmt.words(c.role),
                c.change.capitalize(),
                c.by_name,
            ]
            for c in d.role_changes
        ]
        widths = [0.18, 0.27, 0.13, 0.12, 0.3]
        return [
            *out,
            table(["When", "Person", "Role", "Change", "By"], rows, [x * w for x in widths], s),
        ]

    def _findings(self) -> list[Flowable]:
        s = self.styles
        out: list[Flowable] = [*self.heading("Open findings")]
        if self.findings is None:
            return [*out, note("The compliance checks are not available in this installation.", s)]
        if not self.findings:
            return [*out, note("The compliance checks find nothing to fix on this account.", s)]
        return [*out, findings_table(self.findings, self.width, s, self.header.timezone)]

    def _evaluation(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        e = d.evaluation
        out: list[Flowable] = [*self.heading("Evaluation and recommendation")]
        if e is None:
            out.append(note(f"No evaluation has been drafted for {d.period.label} yet.", s))
        else:
            recommendation = (
                RECOMMENDATION_TEXT[e.recommendation] if e.recommendation else ("Not chosen yet")
            )
            rows = [
                ["Status", fmt.words(e.status)],
                ["Recommendation", recommendation],
                ["Drafted by", e.drafted_by or fmt.DASH],
                ["Summary", e.summary or "Not written yet."],
            ]
            out.append(table(["", ""], rows, [0.2 * w, 0.8 * w], s))
        out.append(self._sign_off())
        return out

    def _sign_off(self) -> Flowable:
        s, w = self.styles, self.width
        e = self.data.evaluation
        done = e is not None and e.completed_at is not None
        name = e.completed_by if done and e else ""
        date = fmt.when(e.completed_at, self.header.timezone)[:10] if done and e else ""
        signed = "Completed in the Governance Desk" if done else ""
        grid = Table(
            [
                [para("Sign-off: Director, Digital Channels and Insights", s["Heading2"]), "", ""],
                [para("Name", s["Muted"]), para("Signature", s["Muted"]), para("Date", s["Muted"])],
                [para(name, s["Normal"]), para(signed, s["Small"]), para(date, s["Normal"])],
            ],
            colWidths=[0.4 * w, 0.4 * w, 0.2 * w],
            rowHeights=[None, None, 0.45 * inch],
            hAlign="LEFT",
        )
        grid.setStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("SPAN", (0, 0), (-1, 0)),
                ("LINEBELOW", (0, 2), (-1, 2), 0.8, NAVY),
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
                ("VALIGN", (0, 2), (-1, 2), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
        return keep(Spacer(1, 14), grid)


def _share(part: int, whole: int, value: float | None) -> str:
    return f"{fmt.num(part)} of {fmt.num(whole)} ({fmt.pct(value)})"


def _distribution_chart(t: TimeTaken, width: float) -> Flowable:
    labels = [label for label, _ in t.acknowledge.buckets]
    return bar_chart(
        "Business time taken (number of comments)",
        labels,
        [
            ("To acknowledge", [n for _, n in t.acknowledge.buckets]),
            ("To answer", [n for _, n in t.answer.buckets]),
        ],
        width,
    )
