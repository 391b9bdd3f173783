"""The service-level compliance report: on time by ministry and account, time taken, overdue
items, and emergency periods (24/7 clock) on their own."""

from __future__ import annotations

import phonenumbers
from reportlab.platypus import Flowable, Spacer

from desktop.reports.data.comment_stats import SlaCounts, Spread
from desktop.reports.data.sla_data import SlaData
from desktop.reports.render import formatting as fmt
from desktop.reports.render.base import BaseReportRenderer, ReportHeader
from desktop.reports.render.blocks import keep, key_figures, note, overdue_table, table
from desktop.reports.render.charts import bar_chart, percent_floor

MEASURED = (
    "A share on time counts the comments that were handled, or whose due time had passed, by "
    "the as-of time. Hidden and deleted comments need no reply and are not counted."
)


class SlaRenderer(BaseReportRenderer):
    def __init__(self, header: ReportHeader, data: SlaData, personal_info: bool = False) -> None:
        super().__init__(header)
        self.data = data
        self.personal_info = personal_info

    def story(self) -> list[Flowable]:
        return [
            *self._summary(),
            *self._ministries(),
            *self._time_taken(),
            *self._accounts(),
            *self._overdue(),
            *self._emergencies(),
        ]

    def _summary(self) -> list[Flowable]:
        d, s = self.data, self.styles
        n, e = d.normal, d.emergency
        return [
            key_figures(
                [
                    ("Comments received", fmt.num(n.received + e.received)),
                    ("Acknowledged on time", fmt.pct(n.ack_pct)),
                    ("Answered on time", fmt.pct(n.answer_pct)),
                    ("Waiting past due", fmt.num(d.overdue_total)),
                    ("During emergencies", fmt.num(e.received)),
                ],
                self.width,
                s,
            ),
            note(
                f"{d.rules} {MEASURED} The shares above are for normal service; emergencies "
                "follow below.",
                s,
            ),
        ]

    def _ministries(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("By ministry")]
        if not d.by_ministry:
            return [*out, note("No comment calling for a reply was received in the period.", s)]
        rows = [_row(g.label, g.normal, g.emergency) for g in d.by_ministry]
        if len(rows) > 1:
            rows.append(_row("All ministries", d.normal, d.emergency))
        ack = [g.normal.ack_pct for g in d.by_ministry]
        answer = [g.normal.answer_pct for g in d.by_ministry]
        floor = percent_floor([*ack, *answer])
        title = "Share on time by ministry (normal service, %"
        title += f"; the axis starts at {floor:.0f} %)" if floor else ")"
        chart = bar_chart(
            title,
            [g.ministry_code for g in d.by_ministry],
            [("Acknowledged on time", ack), ("Answered on time", answer)],
            w,
            percent=True,
            floor=floor,
        )
        return [
            *out,
            note(_COLUMNS_NOTE, s),
            table(
                ["Ministry", *_HEAD],
                rows,
                [x * w for x in _WIDTHS],
                s,
                right={1, 2, 3, 4, 5},
                total=len(rows) > 1,
            ),
            Spacer(1, 8),
            keep(chart),
        ]

    def _time_taken(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        t = d.time_taken
        rows = [
            _spread_row("To acknowledge (business time)", t.acknowledge),
            _spread_row("To answer (business time)", t.answer),
            _spread_row("To acknowledge during emergencies (wall clock)", t.emergency_acknowledge),
            _spread_row("To answer during emergencies (wall clock)", t.emergency_answer),
        ]
        chart = bar_chart(
            "Business time taken, normal service (number of comments)",
            [label for label, _ in t.acknowledge.buckets],
            [
                ("To acknowledge", [n for _, n in t.acknowledge.buckets]),
                ("To answer", [n for _, n in t.answer.buckets]),
            ],
            w,
        )
        bucket_rows = [
            [label, fmt.num(a), fmt.num(b)]
            for (label, a), (_, b) in zip(t.acknowledge.buckets, t.answer.buckets, strict=True)
        ]
        return [
            *self.heading("Time taken"),
            table(
                ["", "Comments", "Median", "90 % within"],
                rows,
                [0.55 * w, 0.15 * w, 0.15 * w, 0.15 * w],
                s,
                right={1, 2, 3},
            ),
            Spacer(1, 8),
            keep(chart),
            *self.heading("Distribution of business time taken", 2),
            table(
                ["Business time", "To acknowledge", "To answer"],
                bucket_rows,
                [0.4 * w, 0.3 * w, 0.3 * w],
                s,
                right={1, 2},
            ),
            note(
                "A business day has 8 business hours, so \u201c1-2 days\u201d is 8 to 16 "
                "business hours.",
                s,
            ),
        ]

    def _accounts(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("By account")]
        if not d.by_account:
            return [*out, note("No account received a comment calling for a reply.", s)]
        rows = [_row(f"{g.label} ({g.ministry_code})", g.normal, g.emergency) for g in d.by_account]
        head = ["Account", *_HEAD]
        return [
            *out,
            note(_COLUMNS_NOTE, s),
            table(head, rows, [x * w for x in _WIDTHS], s, right={1, 2, 3, 4, 5}),
        ]

    def _overdue(self) -> list[Flowable]:
        d, s = self.data, self.styles
        out: list[Flowable] = [*self.heading("Overdue items")]
        if not d.overdue:
            return [*out, note("No comment of the period is waiting past its due time.", s)]
        shown = len(d.overdue)
        lead = (
            f"The oldest {shown} of {fmt.plural(d.overdue_total, 'comment')}"
            if d.overdue_total > shown
            else fmt.plural(shown, "comment").capitalize()
        )
        return [
            *out,
            note(
                f"{lead} of the period not acknowledged or answered by their due time at the "
                "as-of time.",
                s,
            ),
            overdue_table(
                d.overdue,
                self.width,
                s,
                self.header.timezone,
                personal_info=self.personal_info,
                official_handles=d.official_handles,
            ),
        ]

    def _emergencies(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [
            *self.heading("Emergency periods"),
            note(
                "Comments received while an emergency covered their account or ministry are "
                "reported here, against the 24/7 clock, and left out of the normal service "
                "figures.",
                s,
            ),
        ]
        if not d.emergencies:
            return [*out, note("No emergency was declared in the period.", s)]
        tz = self.header.timezone
        rows = [
            [
                e.title,
                fmt.words(e.kind),
                fmt.when(e.declared_at, tz),
                fmt.when(e.ended_at, tz) if e.ended_at else "still declared",
                fmt.num(e.counts.received),
                fmt.num(len(e.updates)),
                fmt.pct(e.counts.ack_pct),
                fmt.pct(e.counts.answer_pct),
            ]
            for e in d.emergencies
        ]
        head = [
            "Emergency",
            "Kind",
            "Declared",
            "Ended",
            "Comments",
            "Group updates",
            "Ack. on time",
            "Answered on time",
        ]
        widths = [0.2, 0.1, 0.13, 0.13, 0.1, 0.11, 0.11, 0.12]
        out.append(table(head, rows, [x * w for x in widths], s, right={4, 5, 6, 7}))
        return [*out, *self._group_updates()]

    def _group_updates(self) -> list[Flowable]:
        """The group updates posted during the emergencies: a few updates answering many
        questions, with the phone numbers and links people were sent to."""
        d, s, w = self.data, self.styles, self.width
        listed = [(e, u) for e in d.emergencies for u in e.updates]
        out: list[Flowable] = [Spacer(1, 6), *self.heading("Group updates", level=2)]
        if not listed:
            return [*out, note("No group update was recorded during these emergencies.", s)]
        tz = self.header.timezone
        rows = [
            [
                e.title,
                fmt.when(u.posted_at, tz),
                GROUP_UPDATE_LABELS.get(u.kind.value, fmt.words(u.kind)),
                " · ".join(x for x in (u.text, u.link_url, _phone(u.phone)) if x),
            ]
            for e, u in listed
        ]
        head = ["Emergency", "Posted", "Kind", "Update"]
        widths = [0.2, 0.14, 0.14, 0.52]
        return [*out, table(head, rows, [x * w for x in widths], s)]


def _phone(stored: str) -> str:
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, "CA")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


GROUP_UPDATE_LABELS = {
    "statement": "Statement",
    "qa": "Q&A",
    "infographic": "Infographic",
    "phone_or_link": "Phone or link",
}


_HEAD = [
    "Received",
    "Of which in emergencies",
    "Ack. on time (normal)",
    "Answered on time (normal)",
    "Waiting past due",
]
_WIDTHS = [0.36, 0.11, 0.14, 0.13, 0.14, 0.12]
_COLUMNS_NOTE = (
    "Received counts every comment calling for a reply, those received during an emergency "
    "included, so the totals match the figure above. The shares on time are for normal "
    "service; comments received during an emergency are measured against the 24/7 clock "
    "under Emergency periods."
)


def _row(label: str, normal: SlaCounts, emergency: SlaCounts) -> list[str]:
    return [
        label,
        fmt.num(normal.received + emergency.received),
        fmt.num(emergency.received),
        fmt.pct(normal.ack_pct),
        fmt.pct(normal.answer_pct),
        fmt.num(normal.overdue + emergency.overdue),
    ]


def _spread_row(label: str, spread: Spread) -> list[str]:
    return [label, fmt.num(spread.count), fmt.duration(spread.median), fmt.duration(spread.p90)]
