"""The account evaluation's goals against actuals: each goal beside what was achieved over
the days it shares with the report's period (``desktop.policy.goal_pace``), in the units people
count in (time on page in hours, whole-number targets), saying on the page how it compares."""

from __future__ import annotations

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable

from desktop.reports.data.evaluation_data import EvaluationReportData
from desktop.reports.render import formatting as fmt
from desktop.reports.render.blocks import Cell, note, rich, table
from desktop.reports.render.theme import esc


def goals_section(d: EvaluationReportData, w: float, s: StyleSheet1) -> list[Flowable]:
    if not d.goals:
        return [
            note(
                "No goals overlap this period. The policy asks for measurable goals "
                "and objectives, renewed every 12 months.",
                s,
            ),
        ]
    rows: list[list[Cell]] = []
    for g in d.goals:
        p = g.pace
        goal = rich(
            f"{esc(g.title)}<br/>"
            f'<font color="#6B7280">{esc(fmt.metric_label(g.metric))} \u00b7 '
            f"{esc(fmt.words(g.status).lower())}</font>",
            s["Cell"],
        )
        whole = f"{fmt.day(g.goal_start)} to {fmt.day(g.goal_end)}"
        if not p.compared:
            why = (
                "not compared: it starts after this report's data"
                if g.goal_start > min(d.period.end, d.today)
                else "not compared: no metrics recorded for its days here"
            )
            rows.append(
                [
                    goal,
                    whole,
                    fmt.metric_amount(g.metric, g.baseline),
                    fmt.metric_amount(g.metric, g.target, target=True),
                    why,
                    fmt.DASH,
                    fmt.DASH,
                    fmt.DASH,
                ]
            )
            continue
        rows.append(
            [
                goal,
                whole,
                fmt.metric_amount(g.metric, g.baseline),
                fmt.metric_amount(g.metric, g.target, target=True),
                f"{fmt.day(p.first)} to {fmt.day(p.last)} ({fmt.plural(p.days, 'day')})",
                fmt.metric_amount(g.metric, p.target, target=True),
                fmt.metric_amount(g.metric, p.actual),
                fmt.pct(p.percent),
            ]
        )
    head = [
        "Goal",
        "Goal period",
        "Baseline (goal period)",
        "Target (goal period)",
        "Compared over",
        "Target for those days",
        "Actual on those days",
        "Of target",
    ]
    widths = [0.2, 0.12, 0.1, 0.1, 0.15, 0.11, 0.11, 0.11]
    return [
        table(head, rows, [x * w for x in widths], s, right={2, 3, 5, 6, 7}),
        note(
            "Compared like with like. A goal's baseline and target are for its whole "
            "period; each goal is compared over the days it shares with this report's "
            f"period ({d.period.label}) that have metrics recorded. Its target is pro-rated "
            "to those days, and each month's recorded figures count for the share of its "
            "days that fall in them. Time on page is in hours; targets are rounded up to "
            "whole numbers.",
            s,
        ),
    ]
