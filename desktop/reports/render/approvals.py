"""The approvals status report: open requests and whom they wait on, then the period's decisions."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from desktop.enums import ApprovalKind
from desktop.policy.workflows import WORKFLOWS
from desktop.reports.data.approvals_data import ApprovalsData
from desktop.reports.render import formatting as fmt
from desktop.reports.render.base import BaseReportRenderer, ReportHeader
from desktop.reports.render.blocks import keep, key_figures, note, rich, table
from desktop.reports.render.charts import bar_chart
from desktop.reports.render.theme import FONT, esc


class ApprovalsRenderer(BaseReportRenderer):
    def __init__(self, header: ReportHeader, data: ApprovalsData) -> None:
        super().__init__(header)
        self.data = data

    def story(self) -> list[Flowable]:
        return [*self._summary(), *self._open(), *self._outcomes(), *self._signatures()]

    def _request(self, title: str, kind: ApprovalKind) -> Flowable:
        """The request's title, and under it in grey what kind of approval it is."""
        return rich(
            f'{esc(title)}<br/><font color="#6B7280">{esc(WORKFLOWS[kind].title)}</font>',
            self.styles["Cell"],
        )

    def _summary(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        approved = sum(1 for o in d.outcomes if o.state.value == "approved")
        old = sum(n for label, n in d.open_by_age() if label == "over 4 weeks")
        figures = key_figures(
            [
                ("Open requests", fmt.num(len(d.open))),
                ("Open over 4 weeks", fmt.num(old)),
                ("Decided in the period", fmt.num(len(d.outcomes))),
                ("Approved in the period", fmt.num(approved)),
                ("Signatures in the period", fmt.num(len(d.signatures))),
            ],
            w,
            s,
        )
        half = (w - 12) / 2
        kinds = bar_chart(
            "Open requests by kind",
            [_short(k.value) for k, _ in d.open_by_kind()],
            [("Open", [n for _, n in d.open_by_kind()])],
            half,
        )
        ages = bar_chart(
            "Open requests by time since submission",
            [label for label, _ in d.open_by_age()],
            [("Open", [n for _, n in d.open_by_age()])],
            half,
        )
        charts = Table([[kinds, "", ages]], colWidths=[half, 12, half], hAlign="LEFT")
        charts.setStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return [figures, Spacer(1, 10), keep(charts)]

    def _open(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Open requests")]
        if not d.open:
            return [*out, note("No approval request is open.", s)]
        rows = [
            [
                self._request(a.title, a.kind),
                a.subject_label or fmt.DASH,
                a.submitter_name,
                a.stage_label,
                ", ".join(a.waiting_on) or fmt.DASH,
                fmt.DASH if a.age_days is None else fmt.num(a.age_days),
            ]
            for a in d.open
        ]
        head = ["Request", "About", "Submitted by", "Stage", "Waiting on", "Days"]
        widths = [0.22, 0.19, 0.12, 0.22, 0.18, 0.07]
        return [
            *out,
            note("Oldest first. Days: since the request was submitted (a draft has not been).", s),
            table(head, rows, [x * w for x in widths], s, right={5}),
        ]

    def _outcomes(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Decisions taken in the period")]
        if not d.outcomes:
            return [*out, note("No request was approved, rejected or withdrawn in the period.", s)]
        tz = self.header.timezone
        rows = [
            [
                fmt.when(o.decided_at, tz),
                self._request(o.title, o.kind),
                o.subject_label or fmt.DASH,
                fmt.words(o.state),
                fmt.DASH if o.days is None else fmt.num(o.days),
            ]
            for o in d.outcomes
        ]
        head = ["Decided", "Request", "About", "Outcome", "Days"]
        widths = [0.16, 0.36, 0.24, 0.14, 0.1]
        counts = ", ".join(f"{n} {fmt.words(st).lower()}" for st, n in d.outcome_counts())
        return [
            *out,
            note(
                f"{fmt.plural(len(d.outcomes), 'request')} closed: {counts}. Days: from "
                "submission to the "
                "decision.",
                s,
            ),
            table(head, rows, [x * w for x in widths], s, right={4}),
        ]

    def _signatures(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Signatures in the period")]
        if not d.signatures:
            return [*out, note("Nobody signed a step in the period.", s)]
        tz = self.header.timezone
        rows = [
            [
                fmt.when(g.at, tz),
                g.title,
                g.step_label,
                g.by_name or fmt.DASH,
                fmt.words(g.state),
                g.comment or "",
            ]
            for g in d.signatures
        ]
        head = ["When", "Request", "Step", "Signed by", "Decision", "Comment"]
        widths = [0.14, 0.22, 0.2, 0.14, 0.12, 0.18]
        return [*out, table(head, rows, [x * w for x in widths], s)]


def _short(kind: str) -> str:
    return {
        "new_account": "New account",
        "campaign_content": "Campaign",
        "annual_goals": "Goals",
        "account_termination": "Termination",
    }.get(kind, fmt.words(kind))
