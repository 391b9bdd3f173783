"""The permission-matrix audit: Facebook Admin rule, third-party access, who holds what."""

from __future__ import annotations

from reportlab.platypus import Flowable

from desktop.reports.data.permissions_data import PermissionsData, ThirdPartyRow
from desktop.reports.render import formatting as fmt
from desktop.reports.render.base import BaseReportRenderer, ReportHeader
from desktop.reports.render.blocks import Cell, key_figures, note, para, rich, table
from desktop.reports.render.theme import GREEN, ORANGE, RED, esc
from desktop.services.roles import FACEBOOK_ADMIN_RULE

_STATE_COLOURS = {
    "not revoked": RED,
    "revoked late": ORANGE,
    "no end date": ORANGE,
    "active": GREEN,
    "revoked": GREEN,
}


class PermissionsRenderer(BaseReportRenderer):
    def __init__(self, header: ReportHeader, data: PermissionsData) -> None:
        super().__init__(header)
        self.data = data

    def story(self) -> list[Flowable]:
        return [
            *self._summary(),
            *self._facebook(),
            *self._third_party(),
            *self._matrix(),
            *self._changes(),
        ]

    def _summary(self) -> list[Flowable]:
        d = self.data
        held = [t for t in d.third_party if t.revoked_on is None]
        late = [t for t in d.third_party if t.state == "not revoked"]
        return [
            key_figures(
                [
                    ("Accounts", fmt.num(len(d.accounts))),
                    ("Roles held", fmt.num(d.grant_count)),
                    ("Third-party access held", fmt.num(len(held))),
                    ("Past revocation deadline", fmt.num(len(late))),
                    ("Facebook Admin violations", fmt.num(len(d.admin_violations))),
                ],
                self.width,
                self.styles,
            )
        ]

    def _facebook(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [*self.heading("Facebook Admin rule"), note(FACEBOOK_ADMIN_RULE, s)]
        if not d.admin_violations:
            return [*out, note("Every live Facebook page in scope follows the rule.", s)]
        rows = [[f.subject_label, f.message, f.remedy] for f in d.admin_violations]
        return [
            *out,
            table(["Page", "Problem", "What to do"], rows, [0.22 * w, 0.48 * w, 0.3 * w], s),
        ]

    def _third_party(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [
            *self.heading("Third-party access"),
            note(
                "Agencies get access for the duration of an approved campaign only, with a "
                "Facebook Business ID or X advertiser access; it must be revoked no later than "
                f"{d.revoke_days} days after the campaign ends (or by its own expiry date, "
                "if earlier). Listed: "
                "access held at the as-of time and access revoked "
                + ("in the period." if d.period else "in the last six months."),
                s,
            ),
        ]
        if not d.third_party:
            return [*out, note("No third party holds or recently held access.", s)]
        rows = [
            [
                f"{t.agency_name} ({t.person_name})" if t.agency_name else t.person_name,
                t.account_label,
                fmt.words(t.role),
                t.business_id or "none",
                f"{t.campaign_name} (ends {fmt.day(t.campaign_ends_on)})"
                if t.campaign_name
                else "none",
                fmt.day(t.deadline),
                self._state(t),
            ]
            for t in d.third_party
        ]
        head = [
            "Agency (person)",
            "Account",
            "Role",
            "Business ID",
            "Campaign",
            "Must end by",
            "Status",
        ]
        widths = [0.16, 0.14, 0.105, 0.13, 0.16, 0.11, 0.195]
        return [*out, table(head, rows, [x * w for x in widths], s)]

    def _state(self, t: ThirdPartyRow) -> Cell:
        text = {
            "active": "held, within its deadline",
            "no end date": "held with no end date",
            "not revoked": f"NOT REVOKED: {t.days_late} days past the deadline",
            "revoked": f"revoked {fmt.day(t.revoked_on)}",
            "revoked late": f"revoked {fmt.day(t.revoked_on)}, {t.days_late} days late",
        }[t.state]
        colour = _STATE_COLOURS[t.state].hexval()[2:]
        return rich(f'<font color="#{colour}">{esc(text)}</font>', self.styles["Cell"])

    def _matrix(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        out: list[Flowable] = [
            *self.heading("Who holds which role"),
            note(
                "Every account in scope and the people holding a role on it at the as-of time "
                "(closed accounts only while someone still holds a role).",
                s,
            ),
        ]
        if not d.accounts:
            return [*out, note("There are no accounts in this scope.", s)]
        tz = self.header.timezone
        rows: list[list[Cell]] = []
        for a in d.accounts:
            label = f"{a.label} ({a.ministry_code}, {fmt.words(a.status).lower()})"
            again = para(a.label, s["Muted"])  # continued rows: short, so each stays one line
            if not a.holders:
                rows.append([label, "nobody holds a role", "", "", "", ""])
                continue
            for i, h in enumerate(a.holders):
                who = f"{h.person_name}, {h.agency_name}" if h.agency_name else h.person_name
                rows.append(
                    [
                        label if i == 0 else again,
                        who,
                        fmt.words(h.kind),
                        fmt.words(h.role),
                        fmt.when(h.granted_at, tz)[:10],
                        fmt.day(h.expires_on),
                    ]
                )
        head = ["Account", "Person", "Kind", "Role", "Since", "Expires"]
        widths = [0.3, 0.24, 0.11, 0.11, 0.12, 0.12]
        return [*out, table(head, rows, [x * w for x in widths], s)]

    def _changes(self) -> list[Flowable]:
        d, s, w = self.data, self.styles, self.width
        if d.period is None:
            return []
        out: list[Flowable] = [*self.heading("Grants and revocations in the period")]
        if not d.changes:
            return [*out, note("No role was granted or revoked in the period.", s)]
        tz = self.header.timezone
        rows = [
            [
                fmt.when(c.at, tz),
                c.account_label,
                c.person_name,
                fmt.words(c.role),
                c.change.capitalize(),
                c.by_name,
            ]
            for c in d.changes
        ]
        head = ["When", "Account", "Person", "Role", "Change", "By"]
        widths = [0.15, 0.22, 0.2, 0.11, 0.1, 0.22]
        return [*out, table(head, rows, [x * w for x in widths], s)]
