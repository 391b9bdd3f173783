"""Granting a third party (agency staff) access: the role, their Facebook Business ID or X
advertiser access, the campaign the access is for, and when it ends (by default the latest day
the policy allows: the campaign's end plus the revocation window)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.enums import PageRole
from desktop.services.campaigns import CampaignRow, CampaignService
from desktop.services.context import ServiceContext
from desktop.services.permission_matrix import MatrixAccount, MatrixPerson, role_label
from desktop.services.roles import RoleService
from desktop.views.errors import clear_inline, show_inline
from desktop.views.worker import Progress, run_in_background


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class ThirdPartyGrantDialog(QDialog):
    """Grants on "Grant access"; stays open with the service's message on a mistake.

    ``granted`` holds the new grant once the service accepted it.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        person: MatrixPerson,
        account: MatrixAccount,
        role: PageRole,
        *,
        today: date,
        revoke_days: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person = person
        self.account = account
        self.today = today
        self.revoke_days = revoke_days
        self.granted: Any = None
        self.campaigns: list[CampaignRow] = []
        self.setObjectName("thirdPartyGrantDialog")
        self.setWindowTitle("Grant third-party access")
        self.setMinimumWidth(520)

        who = f"{person.name} ({person.agency_name})" if person.agency_name else person.name
        intro = QLabel(
            f"{who} is third-party agency staff. Third parties get access to {account.label} "
            "only with a Facebook Business ID or X advertiser access, for one campaign, and no "
            f"longer than {revoke_days} days after the campaign ends."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")

        self.role = QComboBox()
        self.role.setObjectName("grantRole")
        for page_role in PageRole:
            self.role.addItem(role_label(page_role), page_role)
        self.role.setCurrentIndex(self.role.findData(role))
        self.business_id = QLineEdit()
        self.business_id.setObjectName("grantBusinessId")
        self.business_id.setPlaceholderText("Facebook Business ID or X advertiser account")
        self.campaign = QComboBox()
        self.campaign.setObjectName("grantCampaign")
        self.campaign.addItem("Loading campaigns…", None)
        self.campaign.currentIndexChanged.connect(self._on_campaign_changed)
        self.expires = QDateEdit()
        self.expires.setObjectName("grantExpiresOn")
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("d MMM yyyy")
        self.expires.setMinimumDate(_qdate(today))
        self.expires.setDate(_qdate(today))
        self.deadline_note = QLabel()
        self.deadline_note.setObjectName("grantDeadlineNote")
        self.deadline_note.setProperty("role", "muted")
        self.deadline_note.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Role", self.role)
        form.addRow("&Business ID", self.business_id)
        form.addRow("&Campaign", self.campaign)
        form.addRow("Access &ends on", self.expires)
        form.addRow("", self.deadline_note)
        for widget, name in (
            (self.role, "Page role"),
            (self.business_id, "Facebook Business ID or X advertiser access"),
            (self.campaign, "Campaign the access is for"),
            (self.expires, "Last day of access"),
        ):
            widget.setAccessibleName(name)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.grant_button = QPushButton("Grant access")
        self.grant_button.setObjectName("grantButton")
        self.grant_button.setDefault(True)
        self.grant_button.setEnabled(False)  # until the campaigns are loaded
        self.buttons.addButton(self.grant_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_grant)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {
            "role": self.role,
            "business_id": self.business_id,
            "campaign_id": self.campaign,
            "expires_on": self.expires,
        }
        self._load()

    def _load(self) -> None:
        service = CampaignService(self.ctx)
        run_in_background(self, lambda _p: service.list(), on_success=self._fill)

    def _fill(self, campaigns: list[CampaignRow]) -> None:
        grace = timedelta(days=self.revoke_days)
        # Campaigns whose access window has closed cannot be chosen; the service refuses them.
        self.campaigns = [c for c in campaigns if c.ends_on + grace >= self.today]
        self.campaign.blockSignals(True)
        self.campaign.clear()
        self.campaign.addItem("Choose the campaign…", None)
        for c in self.campaigns:
            ends = f"{c.ends_on.day} {c.ends_on:%b %Y}"
            self.campaign.addItem(f"{c.name} — {c.ministry_code}, ends {ends}", c.id)
        mine = [c for c in self.campaigns if c.ministry_id == self.account.ministry_id]
        if len(mine) == 1:  # the obvious one; anything else is the person's choice
            self.campaign.setCurrentIndex(self.campaign.findData(mine[0].id))
        self.campaign.blockSignals(False)
        self._on_campaign_changed()
        self.grant_button.setEnabled(True)

    def _chosen(self) -> CampaignRow | None:
        chosen = self.campaign.currentData()
        return next((c for c in self.campaigns if c.id == chosen), None)

    @Slot()
    def _on_campaign_changed(self) -> None:
        campaign = self._chosen()
        if campaign is None:
            self.expires.clearMaximumDate()
            self.deadline_note.setText("Access ends with the campaign: choose it first.")
            return
        deadline = campaign.ends_on + timedelta(days=self.revoke_days)
        self.expires.setMaximumDate(_qdate(deadline))
        self.expires.setDate(_qdate(deadline))
        self.deadline_note.setText(
            f"The campaign ends on {campaign.ends_on:%d %b %Y}; access may last until "
            f"{deadline:%d %b %Y} at the latest."
        )

    @Slot()
    def _on_grant(self) -> None:
        clear_inline(self.fields, self.error)
        service = RoleService(self.ctx)
        role = self.role.currentData()
        business_id = self.business_id.text()
        campaign = self.campaign.currentData()
        expires = self.expires.date().toPython() if campaign is not None else None
        self.grant_button.setEnabled(False)

        def grant(_p: Progress) -> Any:
            return service.grant(
                self.person.id,
                self.account.id,
                role,
                business_id=business_id,
                campaign_id=campaign,
                expires_on=expires,  # type: ignore[arg-type]
            )

        run_in_background(
            self, grant, on_success=self._on_granted, on_failure=self._on_grant_failed
        )

    def _on_granted(self, grant: Any) -> None:
        self.granted = grant
        self.accept()

    def _on_grant_failed(self, exc: BaseException) -> None:
        self.grant_button.setEnabled(True)
        show_inline(self.fields, self.error, exc, self)
