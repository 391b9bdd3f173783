"""The Permissions tab as a person uses it: the matrix, its colours and filters, granting,
changing and revoking roles from a cell's menu, and what those who may not see instead."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QInputDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.enums import PageRole, PersonKind, Platform
from desktop.models import Account, AccountRole, Campaign
from desktop.models.base import new_id
from desktop.services.campaigns import CampaignService
from desktop.services.people import PeopleService, PersonInput
from desktop.services.permission_matrix import Violation
from desktop.services.roles import RoleService
from desktop.views.permissions.grant_dialog import ThirdPartyGrantDialog
from desktop.views.permissions.matrix_model import VIOLATION_COLOURS
from desktop.views.permissions.permissions_tab import PermissionsTab
from tests.factories import ROLE_CAST, Cast
from tests.views.conftest import wait_for_tasks

TODAY = date(2026, 11, 18)
BUSINESS_ID = "1029384756"
MANAGE_DENIED = (
    "Creating accounts and granting or revoking roles needs the role Digital Strategy and "
    "Operations or Administrator"
)
TabMaker = Callable[[str], PermissionsTab]


@pytest.fixture
def make_tab(cast: Cast, qtbot: QtBot) -> Iterator[TabMaker]:
    def make(who: str) -> PermissionsTab:
        tab = PermissionsTab(cast.ctx(who))
        qtbot.addWidget(tab)
        tab.resize(1200, 700)
        tab.show()
        tab.refresh()
        wait_for_tasks(qtbot)
        return tab

    yield make
    wait_for_tasks(qtbot)  # work still running would outlive the test's database


def _everyone(tab: PermissionsTab, qtbot: QtBot) -> None:
    """Untick "Only people with roles", as someone granting a first role does."""
    tab.filter_bar.holders_only.setChecked(False)
    wait_for_tasks(qtbot)


def _index(tab: PermissionsTab, person_id: uuid.UUID, account_id: uuid.UUID) -> QModelIndex:
    row = tab.model.index_of_person(person_id)
    column = next(i for i, a in enumerate(tab.model.accounts) if a.id == account_id)
    assert row is not None
    return tab.model.index(row, column)


def _action(menu: QMenu, text: str) -> QAction:
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
        sub = action.menu()
        if isinstance(sub, QMenu):
            for inner in sub.actions():
                if inner.text().replace("&", "") == text:
                    return inner
    raise AssertionError(f"no menu item {text!r} in {[a.text() for a in menu.actions()]}")


def _choose(combo: QComboBox, value: object) -> None:
    index = next(i for i in range(combo.count()) if combo.itemData(i) == value)
    combo.setCurrentIndex(index)


def _campaign(cast: Cast, ends_on: date = TODAY + timedelta(days=30)) -> Campaign:
    return CampaignService(cast.ctx("officer")).create(
        "Flu shots 2026", cast.health.id, "Prairie Ads Inc.", ends_on - timedelta(days=60), ends_on
    )


def _plant(cast: Cast, who: str, account: Account, role: PageRole, **kw: object) -> uuid.UUID:
    grant = AccountRole(
        id=new_id(),
        person_id=cast.people[who].id,
        account_id=account.id,
        role=role,
        granted_at=cast.clock() - timedelta(days=60),
        **kw,
    )
    with cast.db.write() as s:
        s.add(grant)
    return grant.id


# -- the matrix ----------------------------------------------------------------------------


def test_matrix_shows_roles_and_colours_violations(cast: Cast, make_tab: TabMaker) -> None:
    page = cast.account("SKHealth", Platform.FACEBOOK)
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    _plant(cast, "council", page, PageRole.ADMIN)
    _plant(cast, "agency", page, PageRole.ADVERTISER, expires_on=TODAY - timedelta(days=2))
    tab = make_tab("auditor")
    officer = _index(tab, cast.people["officer"].id, page.id)
    council = _index(tab, cast.people["council"].id, page.id)
    agency = _index(tab, cast.people["agency"].id, page.id)
    # A mark beside the role says what is wrong, not the colour alone.
    assert [officer.data(), council.data(), agency.data()] == ["Editor", "▲ Admin", "● Advertiser"]
    background = Qt.ItemDataRole.BackgroundRole
    assert officer.data(background) is None
    assert council.data(background) == VIOLATION_COLOURS[Violation.EXTRA_FACEBOOK_ADMIN][0]
    assert agency.data(background) == VIOLATION_COLOURS[Violation.PAST_REVOCATION][0]
    # The legend counts each kind of violation.
    assert (
        tab.legend.items[Violation.EXTRA_FACEBOOK_ADMIN].text.text() == "Extra Facebook admin (1)"
    )
    assert tab.legend.items[Violation.PAST_REVOCATION].text.text() == (
        "Access past its revocation date (1)"
    )
    assert (
        tab.legend.items[Violation.PERSONAL_EMAIL].text.text()
        == "Personal e-mail holding a role (0)"
    )
    marks = [tab.legend.items[v].swatch.text() for v in Violation]
    assert marks == ["▲ Role", "● Role", "◆ Role"]
    tab.table.setCurrentIndex(council)
    assert tab.info.text() == (
        "Council Person (employee) on Facebook @SKHealth: Admin. ⚠ Extra Facebook admin."
    )


def test_filter_by_person_kind(cast: Cast, make_tab: TabMaker, qtbot: QtBot) -> None:
    page = cast.account()
    contractor = PeopleService(cast.ctx("admin")).add(
        PersonInput("cora", "Cora Contractor", "cora@gov.sk.ca", kind=PersonKind.CONTRACTOR)
    )
    RoleService(cast.ctx("dso")).grant(contractor.id, page.id, PageRole.EDITOR)
    tab = make_tab("officer")
    # By default only people who hold a role; unticked, everyone.
    assert [p.name for p in tab.model.people] == ["Cora Contractor"]
    _everyone(tab, qtbot)
    assert tab.model.rowCount() == len(cast.people) + 1
    tab.filter_bar.kind.setCurrentIndex(tab.filter_bar.kind.findText("Contractors"))
    wait_for_tasks(qtbot)
    assert [p.name for p in tab.model.people] == ["Cora Contractor"]
    assert _index(tab, contractor.id, page.id).data() == "Editor"
    tab.filter_bar.kind.setCurrentIndex(tab.filter_bar.kind.findText("Agency staff"))
    wait_for_tasks(qtbot)
    assert [p.name for p in tab.model.people] == ["Agency Person"]
    assert tab.summary.text() == "1 person × 1 account · 0 roles"


def test_filter_by_ministry_and_platform_and_holders(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    health = cast.account("SKHealth")
    cast.account("SKHealthX", Platform.X)
    env = cast.account("SKEnv", ministry_id=cast.environment.id)
    RoleService(cast.ctx("dso")).grant(cast.people["officer2"].id, env.id, PageRole.EDITOR)
    tab = make_tab("officer")
    _choose(tab.filter_bar.ministry, cast.environment.id)
    wait_for_tasks(qtbot)
    assert [a.label for a in tab.model.accounts] == ["Facebook @SKEnv"]
    tab.filter_bar.ministry.setCurrentIndex(0)
    _choose(tab.filter_bar.platform, Platform.FACEBOOK)
    wait_for_tasks(qtbot)
    assert {a.id for a in tab.model.accounts} == {health.id, env.id}
    assert [p.name for p in tab.model.people] == ["Officer2 Person"]
    _everyone(tab, qtbot)
    assert len(tab.model.people) == len(cast.people)


def test_search_finds_a_person(cast: Cast, make_tab: TabMaker, qtbot: QtBot) -> None:
    cast.account()
    tab = make_tab("officer")
    _everyone(tab, qtbot)
    assert tab.search_field() is tab.search
    tab.search.setText("dso")
    assert [p.name for p in tab.model.people] == ["Dso Person"]


def test_search_shows_the_accounts_of_the_people_found_and_counts_them(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    pages = [cast.account(f"SKPage{i}") for i in range(6)]
    roles = RoleService(cast.ctx("dso"))
    for page in pages:
        roles.grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    roles.grant(cast.people["officer2"].id, pages[4].id, PageRole.EDITOR)
    roles.grant(cast.people["officer2"].id, pages[5].id, PageRole.MODERATOR)
    tab = make_tab("officer")
    assert tab.summary.text() == "2 people × 6 accounts · 8 roles"
    tab.search.setText("officer2")
    assert [p.name for p in tab.model.people] == ["Officer2 Person"]
    # Its roles are in sight: only the accounts where the person found holds one.
    assert [a.handle for a in tab.model.accounts] == ["SKPage4", "SKPage5"]
    assert [tab.model.index(0, c).data() for c in range(2)] == ["Editor", "Moderator"]
    assert tab.summary.text() == "1 person × 2 accounts · 2 roles (of 2 × 6 · 8)"
    # Someone holding no role: every account, to grant one.
    _everyone(tab, qtbot)
    tab.search.setText("auditor")
    assert len(tab.model.accounts) == 6
    assert tab.summary.text().endswith("no role held: every account is shown to grant one")
    tab.search.clear()
    assert tab.summary.text() == f"{len(cast.people)} people × 6 accounts · 8 roles"


# -- granting, changing, revoking -----------------------------------------------------------


def test_granting_through_the_context_menu_adds_the_cell(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    page = cast.account()
    tab = make_tab("dso")
    _everyone(tab, qtbot)
    index = _index(tab, cast.people["officer"].id, page.id)
    assert index.data() == ""
    menu = tab.cell_menu(index)
    assert menu is not None
    editor = _action(menu, "Editor")
    assert editor.isEnabled()
    editor.trigger()
    wait_for_tasks(qtbot)
    cell = _index(tab, cast.people["officer"].id, page.id)
    assert cell.data() == "Editor"
    assert tab.table.currentIndex() == cell
    assert tab.message.text() == "Officer Person is now Editor on Facebook @SKHealth."
    rows = RoleService(cast.ctx("auditor")).active_roles(account_id=page.id)
    assert [(r.person_name, r.role) for r in rows] == [("Officer Person", PageRole.EDITOR)]


def _grant_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, business_id: str
) -> list[dict[str, object]]:
    """Patch the dialog: wait for its campaigns, type the Business ID, press Grant; record
    what the person saw (the tab deletes the dialog once it closes)."""
    seen: list[dict[str, object]] = []

    def run(dialog: ThirdPartyGrantDialog) -> int:
        qtbot.waitUntil(dialog.grant_button.isEnabled)
        dialog.business_id.setText(business_id)
        dialog.grant_button.click()
        wait_for_tasks(qtbot)
        seen.append(
            {
                "campaign": dialog.campaign.currentData(),
                "expires": dialog.expires.date().toPython(),
                "result": dialog.result(),
                "error": dialog.error.text(),
                "invalid": dialog.business_id.property("invalid"),
                "can_retry": dialog.grant_button.isEnabled(),
            }
        )
        return int(dialog.result())

    monkeypatch.setattr(ThirdPartyGrantDialog, "exec", run)
    return seen


def test_agency_grant_asks_for_campaign_and_expiry(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = cast.account()
    campaign = _campaign(cast)
    seen = _grant_dialog(monkeypatch, qtbot, BUSINESS_ID)
    tab = make_tab("dso")
    _everyone(tab, qtbot)
    menu = tab.cell_menu(_index(tab, cast.people["agency"].id, page.id))
    assert menu is not None
    _action(menu, "Advertiser…").trigger()
    wait_for_tasks(qtbot)
    # The campaign of the account's ministry is chosen; access ends 14 days after it.
    assert seen[0]["campaign"] == campaign.id
    assert seen[0]["expires"] == date(2027, 1, 1)
    assert seen[0]["result"] == QDialog.DialogCode.Accepted
    cell = _index(tab, cast.people["agency"].id, page.id)
    assert cell.data() == "Advertiser"
    assert "Business ID: 1029384756" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "Access ends: 1 Jan 2027" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_agency_grant_requires_a_business_id(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = cast.account()
    _campaign(cast)
    seen = _grant_dialog(monkeypatch, qtbot, "")
    tab = make_tab("dso")
    _everyone(tab, qtbot)
    menu = tab.cell_menu(_index(tab, cast.people["agency"].id, page.id))
    assert menu is not None
    _action(menu, "Advertiser…").trigger()
    wait_for_tasks(qtbot)
    assert seen[0]["result"] != QDialog.DialogCode.Accepted
    assert str(seen[0]["error"]).startswith(
        "Third parties need a Facebook Business ID or X advertiser access"
    )
    assert seen[0]["invalid"] is True
    assert seen[0]["can_retry"] is True
    assert _index(tab, cast.people["agency"].id, page.id).data() == ""


def test_change_and_revoke_from_the_menu(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = cast.account()
    grant = RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    tab = make_tab("admin")
    index = _index(tab, cast.people["officer"].id, page.id)
    menu = tab.cell_menu(index)
    assert menu is not None
    change = _action(menu, "Change role to")
    assert change.menu() is not None
    assert "Editor" not in [a.text() for a in change.menu().actions()]  # type: ignore[union-attr]
    _action(menu, "Moderator").trigger()
    wait_for_tasks(qtbot)
    assert _index(tab, cast.people["officer"].id, page.id).data() == "Moderator"

    asked: list[str] = []

    def answer(_parent: object, _title: str, label: str, *a: object, **kw: object) -> tuple:
        asked.append(label)
        return ("Left the branch", True)

    monkeypatch.setattr(QInputDialog, "getText", answer)
    menu = tab.cell_menu(_index(tab, cast.people["officer"].id, page.id))
    assert menu is not None
    _action(menu, "Revoke access…").trigger()
    wait_for_tasks(qtbot)
    assert asked[0].startswith("Revoke Officer Person's Moderator role on Facebook @SKHealth?")
    assert tab.model.index_of_person(cast.people["officer"].id) is None  # no role left
    assert RoleService(cast.ctx("admin")).active_roles(account_id=page.id) == []
    assert grant.id not in {c.account_role_id for c in tab.model.matrix.cells.values()}  # type: ignore[union-attr]


def test_cancelling_the_revoke_keeps_the_role(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = cast.account()
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **kw: ("", False))
    tab = make_tab("dso")
    tab.table.setCurrentIndex(_index(tab, cast.people["officer"].id, page.id))
    tab._on_delete_key()
    wait_for_tasks(qtbot)
    assert len(RoleService(cast.ctx("dso")).active_roles(account_id=page.id)) == 1


def test_facebook_admin_is_offered_only_to_the_two_directors(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    """Disabled up front, with the rule as the reason, rather than refused after a click."""
    page = cast.account()
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    tab = make_tab("dso")
    _everyone(tab, qtbot)
    menu = tab.cell_menu(_index(tab, cast.people["officer"].id, page.id))
    assert menu is not None
    admin = _action(menu, "Admin")
    assert not admin.isEnabled()
    assert admin.toolTip().startswith("Officer Person cannot be Admin of a Facebook page")
    assert _action(menu, "Moderator").isEnabled()
    # An empty cell of the Director, Digital Channels and Insights offers it.
    dci = tab.cell_menu(_index(tab, cast.people["dci"].id, page.id))
    assert dci is not None
    assert _action(dci, "Admin").isEnabled()
    # The ministry's own Director of Communications too; another ministry's officer not.
    comms = tab.cell_menu(_index(tab, cast.people["comms"].id, page.id))
    assert comms is not None
    assert _action(comms, "Admin").isEnabled()
    # On another platform, Admin is not restricted.
    x = cast.account("SKHealthX", Platform.X)
    tab.refresh()
    wait_for_tasks(qtbot)
    other = tab.cell_menu(_index(tab, cast.people["officer"].id, x.id))
    assert other is not None
    assert _action(other, "Admin").isEnabled()


def test_no_grant_on_an_account_that_is_not_live(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    page = cast.account()
    _plant(cast, "officer2", page, PageRole.EDITOR)
    with cast.db.write() as s:
        s.get_one(Account, page.id).status = "suspended"  # type: ignore[assignment]
    tab = make_tab("dso")
    _everyone(tab, qtbot)
    menu = tab.cell_menu(_index(tab, cast.people["officer"].id, page.id))
    assert menu is not None
    editor = _action(menu, "Editor")
    assert not editor.isEnabled()
    assert editor.toolTip() == (
        "Facebook @SKHealth is suspended; roles are granted only on approved or active accounts."
    )


@pytest.mark.parametrize("who", [w for w in ROLE_CAST if w not in ("dso", "admin", "agency")])
def test_who_may_not_grant_sees_why(cast: Cast, make_tab: TabMaker, qtbot: QtBot, who: str) -> None:
    page = cast.account()
    RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    _plant(cast, "agency", page, PageRole.ADVERTISER, expires_on=TODAY - timedelta(days=1))
    tab = make_tab(who)
    _everyone(tab, qtbot)
    empty = tab.cell_menu(_index(tab, cast.people["dci"].id, page.id))
    held = tab.cell_menu(_index(tab, cast.people["officer"].id, page.id))
    assert empty is not None
    assert held is not None
    for action in (_action(empty, "Editor"), _action(held, "Revoke access…")):
        assert not action.isEnabled()
        assert action.toolTip().startswith(MANAGE_DENIED)
    assert not tab.revoke_due.isEnabled()
    assert tab.revoke_due.toolTip().startswith(MANAGE_DENIED)


def test_agency_staff_are_told_they_cannot_read_the_matrix(
    cast: Cast, make_tab: TabMaker, boxes: list[QMessageBox]
) -> None:
    tab = make_tab("agency")
    assert tab.model.rowCount() == 0
    assert tab.info.text().startswith("Reading the whole register needs the role")
    assert boxes == []  # said in the tab, not in a box at every refresh


def test_revoke_due_third_party_access(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, boxes: list[QMessageBox]
) -> None:
    page = cast.account()
    _plant(cast, "agency", page, PageRole.ADVERTISER, expires_on=TODAY - timedelta(days=1))
    tab = make_tab("dso")
    assert tab.revoke_due.isEnabled()
    assert tab.revoke_due.text().replace("&", "") == "Revoke due third-party access (1)"
    tab.revoke_due.click()
    wait_for_tasks(qtbot)
    assert boxes[0].text() == "Revoke the 1 access grant(s) whose expiry date has passed?"
    # Holding no role any more, the agency's row leaves the matrix (only people with roles).
    assert tab.model.index_of_person(cast.people["agency"].id) is None
    assert tab.message.text() == "Revoked 1 third-party access grant(s) past their expiry date."
    assert not tab.revoke_due.isEnabled()
    assert tab.revoke_due.toolTip() == "No access is past its expiry date."


# -- opening a record ----------------------------------------------------------------------


def test_show_record_selects_a_grant_hidden_by_the_filters(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    page = cast.account()
    grant = RoleService(cast.ctx("dso")).grant(cast.people["officer"].id, page.id, PageRole.EDITOR)
    tab = make_tab("auditor")
    tab.filter_bar.kind.setCurrentIndex(tab.filter_bar.kind.findText("Agency staff"))
    wait_for_tasks(qtbot)
    tab.show_record("account_role", grant.id)
    wait_for_tasks(qtbot)
    assert tab.filter_bar.kind.currentData() is None
    assert tab.table.currentIndex() == _index(tab, cast.people["officer"].id, page.id)
    tab.filter_bar.holders_only.setChecked(True)
    wait_for_tasks(qtbot)
    tab.show_record("person", str(cast.people["dso"].id))  # holds no role: shown all
    wait_for_tasks(qtbot)
    assert not tab.filter_bar.holders_only.isChecked()
    assert tab.table.currentIndex().row() == tab.model.index_of_person(cast.people["dso"].id)
