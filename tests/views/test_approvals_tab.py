"""The Approvals tab as people use it: the tracker and its filters, signing steps through the
detail panel, comments asked for, new requests, and the reasons shown to those who may not act."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.enums import AccountStatus, ApprovalState, Platform
from desktop.models import Account
from desktop.policy.workflows import Action
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.approvals import ApprovalService
from desktop.services.authz import ALLOWED
from desktop.views.approvals.approvals_tab import REQUEST_PERMISSIONS, ApprovalsTab
from desktop.views.approvals.decision_dialog import DecisionDialog
from desktop.views.approvals.new_request_dialog import NewRequestDialog
from desktop.views.approvals.tracker_model import COL_STAGE, COL_SUBJECT, COL_WAITING
from desktop.views.ui_state import UiState
from tests.factories import ROLE_CAST, Cast
from tests.views.conftest import wait_for_tasks

TabMaker = Callable[[str], ApprovalsTab]
SIGNING = (Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES)


@pytest.fixture
def make_tab(cast: Cast, qtbot: QtBot) -> Iterator[TabMaker]:
    def make(who: str) -> ApprovalsTab:
        tab = ApprovalsTab(cast.ctx(who))
        qtbot.addWidget(tab)
        tab.resize(1300, 800)
        tab.show()
        tab.refresh()
        wait_for_tasks(qtbot)
        return tab

    yield make
    wait_for_tasks(qtbot)


def _proposed(cast: Cast, handle: str = "SKHealthNew") -> Account:
    data = AccountInput(Platform.FACEBOOK, handle, cast.health.id, f"{handle.lower()}@gov.sk.ca")
    return AccountService(cast.ctx("officer")).propose(data)


def _submitted(cast: Cast, handle: str = "SKHealthNew") -> tuple[Account, uuid.UUID]:
    account = _proposed(cast, handle)
    service = ApprovalService(cast.ctx("officer"))
    draft = service.request_new_account(account.id, "Reach parents before flu season")
    service.submit(draft.id)
    return account, draft.id


def _select(tab: ApprovalsTab, qtbot: QtBot, approval_id: uuid.UUID) -> None:
    tab.show_record("approval", approval_id)
    wait_for_tasks(qtbot)
    assert tab.detail is not None
    assert tab.detail.id == approval_id


def _decide(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, *comments: str
) -> list[dict[str, object]]:
    """Patch the decision dialog: type each comment in turn and press its button until the
    service accepts (or the comments run out); record what the person saw."""
    seen: list[dict[str, object]] = []

    def run(dialog: DecisionDialog) -> int:
        for comment in comments:
            dialog.comment.setPlainText(comment)
            dialog.ok_button.click()
            wait_for_tasks(qtbot)
            seen.append(
                {
                    "title": dialog.windowTitle(),
                    "comment_label": dialog.comment_label.text().replace("&", ""),
                    "error": dialog.error.text() if dialog.error.isVisibleTo(dialog) else "",
                    "invalid": dialog.comment.property("invalid"),
                    "accepted": dialog.result() == QDialog.DialogCode.Accepted,
                }
            )
            if dialog.result() == QDialog.DialogCode.Accepted:
                break
        return int(dialog.result())

    monkeypatch.setattr(DecisionDialog, "exec", run)
    return seen


def _states(tab: ApprovalsTab) -> list[tuple[str, str, str]]:
    return [
        (item.title.text(), item.state.text(), item.by.text()) for item in tab.panel.timeline.items
    ]


# -- the tracker ---------------------------------------------------------------------------


def test_tracker_lists_open_requests_with_stage_and_whom_they_wait_on(
    cast: Cast, make_tab: TabMaker
) -> None:
    _submitted(cast)
    tab = make_tab("auditor")
    assert tab.proxy.rowCount() == 1
    assert tab.proxy.index(0, COL_SUBJECT).data() == "Facebook @SKHealthNew"
    assert tab.proxy.index(0, COL_STAGE).data() == "Stage 1 of 2: Digital Program alignment (DSO)"
    assert tab.proxy.index(0, COL_WAITING).data() == "Digital Strategy and Operations"
    # The first request is shown at once, its steps as a timeline.
    assert tab.detail is not None
    assert _states(tab) == [
        (
            "Stage 1: Digital Program alignment (DSO)",
            "Waiting for a signature",
            "Digital Strategy and Operations",
        ),
        ("Stage 2: Senior Executive Council approval", "Not yet", "Executive Council"),
    ]
    assert tab.count.text() == "1 request"


def test_waiting_for_me_and_show_closed(cast: Cast, make_tab: TabMaker, qtbot: QtBot) -> None:
    _, first = _submitted(cast, "SKHealthOne")
    _, second = _submitted(cast, "SKHealthTwo")
    ApprovalService(cast.ctx("dso")).approve(second)  # now waits on the Executive Council
    ApprovalService(cast.ctx("officer")).withdraw(first)
    _, third = _submitted(cast, "SKHealthThree")
    tab = make_tab("dso")
    assert tab.proxy.rowCount() == 2
    tab.waiting_for_me.setChecked(True)
    wait_for_tasks(qtbot)
    assert [tab.proxy.index(r, COL_SUBJECT).data() for r in range(tab.proxy.rowCount())] == [
        "Facebook @SKHealthThree"
    ]
    tab.waiting_for_me.setChecked(False)
    tab.show_closed.setChecked(True)
    wait_for_tasks(qtbot)
    assert tab.proxy.rowCount() == 3
    assert third in {tab.model.rows[r].id for r in range(3)}


def test_show_record_finds_a_closed_request(cast: Cast, make_tab: TabMaker, qtbot: QtBot) -> None:
    _, approval_id = _submitted(cast)
    ApprovalService(cast.ctx("officer")).withdraw(approval_id, "No longer needed")
    tab = make_tab("auditor")
    assert tab.proxy.rowCount() == 0
    _select(tab, qtbot, approval_id)
    assert tab.show_closed.isChecked()
    assert tab.panel.detail_state.text() == "Withdrawn"
    assert [s for _, s, _ in _states(tab)] == ["Skipped", "Skipped"]


# -- signing -------------------------------------------------------------------------------


def test_dso_then_council_sign_and_the_account_is_approved(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    account, approval_id = _submitted(cast)
    seen = _decide(monkeypatch, qtbot, "Fits the digital program")
    dso = make_tab("dso")
    _select(dso, qtbot, approval_id)
    approve = dso.panel.action_buttons[Action.APPROVE]
    assert approve.isEnabled()
    approve.click()
    wait_for_tasks(qtbot)
    assert seen[-1]["accepted"] is True
    assert seen[-1]["comment_label"] == "Comment (optional)"
    assert _states(dso)[0][:2] == ("Stage 1: Digital Program alignment (DSO)", "Approved")
    assert "signed by Dso Person" in _states(dso)[0][2]
    assert dso.panel.timeline.items[0].comment.text() == "\u201cFits the digital program\u201d"
    assert _states(dso)[1][1] == "Waiting for a signature"
    assert dso.message.text() == "Approved: New account: Facebook @SKHealthNew."
    # The DSO step is signed: the DSO may not sign again.
    assert not dso.panel.action_buttons[Action.APPROVE].isEnabled()

    council = make_tab("council")
    _select(council, qtbot, approval_id)
    council.panel.action_buttons[Action.APPROVE].click()
    wait_for_tasks(qtbot)
    assert seen[-1]["accepted"] is True
    assert council.detail is not None
    assert council.detail.state == ApprovalState.APPROVED
    assert council.panel.detail_state.text() == "Approved"
    assert council.message.text() == (
        "Approved: New account: Facebook @SKHealthNew. "
        "It has left this list; tick Show closed to find it."
    )
    assert [s for _, s, _ in _states(council)] == ["Approved", "Approved"]
    with cast.db.read() as s:
        assert s.get_one(Account, account.id).status == AccountStatus.APPROVED


def test_reject_asks_for_a_reason(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, approval_id = _submitted(cast)
    seen = _decide(monkeypatch, qtbot, "", "Duplicates @SKHealth")
    tab = make_tab("dso")
    _select(tab, qtbot, approval_id)
    tab.panel.action_buttons[Action.REJECT].click()
    wait_for_tasks(qtbot)
    assert seen[0]["comment_label"] == "Comment (required)"
    assert seen[0]["error"] == "Give the reason in the comment to reject this request."
    assert seen[0]["invalid"] is True
    assert seen[0]["accepted"] is False
    assert seen[1]["accepted"] is True
    assert tab.detail is not None
    assert tab.detail.state == ApprovalState.REJECTED
    assert _states(tab)[0][1] == "Rejected"


def test_request_changes_then_the_submitter_resubmits(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, approval_id = _submitted(cast)
    _decide(monkeypatch, qtbot, "Say who answers comments on weekends")
    dso = make_tab("dso")
    _select(dso, qtbot, approval_id)
    dso.panel.action_buttons[Action.REQUEST_CHANGES].click()
    wait_for_tasks(qtbot)
    assert dso.detail is not None
    assert dso.detail.state == ApprovalState.CHANGES_REQUESTED

    officer = make_tab("officer")
    _select(officer, qtbot, approval_id)
    resubmit = officer.panel.action_buttons[Action.RESUBMIT]
    assert resubmit.isEnabled()
    resubmit.click()
    wait_for_tasks(qtbot)
    assert officer.detail is not None
    assert officer.detail.state == ApprovalState.SUBMITTED
    assert _states(officer)[0][1] == "Waiting for a signature"


def test_new_request_saved_as_draft_then_submitted(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _proposed(cast)
    seen: list[str] = []

    def run(dialog: NewRequestDialog) -> int:
        qtbot.waitUntil(dialog.save_button.isEnabled)
        seen.append(dialog.subject.currentText())
        assert dialog.text is not None
        dialog.save_button.click()  # no business case yet
        wait_for_tasks(qtbot)
        seen.append(dialog.error.text())
        dialog.text.setPlainText("Parents of young children, before flu season.")
        dialog.save_button.click()
        wait_for_tasks(qtbot)
        return int(dialog.result())

    monkeypatch.setattr(NewRequestDialog, "exec", run)
    tab = make_tab("officer")
    action = tab.new_actions[next(k for k in tab.new_actions if k.value == "new_account")]
    assert action.isEnabled()
    action.trigger()
    wait_for_tasks(qtbot)
    assert seen[0] == "Facebook @SKHealthNew (HEA)"
    assert seen[1].startswith("Business case")
    assert tab.detail is not None
    assert tab.detail.state == ApprovalState.DRAFT
    assert tab.detail.subject_label == f"Facebook @{account.handle}"
    submit = tab.panel.action_buttons[Action.SUBMIT]
    assert submit.isEnabled()
    submit.click()
    wait_for_tasks(qtbot)
    assert tab.detail.state == ApprovalState.SUBMITTED
    assert tab.message.text() == "Submitted: New account: Facebook @SKHealthNew."


# -- who may not act -----------------------------------------------------------------------


def test_the_submitter_cannot_sign_their_own_request(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    _, approval_id = _submitted(cast)
    tab = make_tab("officer")
    _select(tab, qtbot, approval_id)
    for action in SIGNING:
        button = tab.panel.action_buttons[action]
        assert not button.isEnabled()
        assert button.toolTip() == "You cannot sign your own request."
    assert tab.panel.action_buttons[Action.WITHDRAW].isEnabled()
    assert "Approve, Reject, Request changes: You cannot sign your own request." in (
        tab.panel.why_not.text()
    )
    assert tab.panel.why_not.isVisible()


def test_the_auditor_may_do_nothing_and_is_told_why(
    cast: Cast, make_tab: TabMaker, qtbot: QtBot
) -> None:
    _, approval_id = _submitted(cast)
    tab = make_tab("auditor")
    _select(tab, qtbot, approval_id)
    assert not any(b.isEnabled() for b in tab.panel.action_buttons.values())
    reason = "Only Digital Strategy and Operations can sign the step waiting now."
    for action in SIGNING:
        assert tab.panel.action_buttons[action].toolTip() == reason
    assert tab.panel.action_buttons[Action.WITHDRAW].toolTip() == (
        "Only the person who submitted this request can withdraw it."
    )
    assert f"Approve, Reject, Request changes: {reason}" in tab.panel.why_not.text()
    assert not tab.new_request.isEnabled()
    assert "needs the role" in tab.new_request.toolTip()


@pytest.mark.parametrize("who", ["comms", "dci", "council", "minister", "admin"])
def test_only_the_steps_role_signs(cast: Cast, make_tab: TabMaker, qtbot: QtBot, who: str) -> None:
    _, approval_id = _submitted(cast)
    tab = make_tab(who)
    _select(tab, qtbot, approval_id)
    assert not tab.panel.action_buttons[Action.APPROVE].isEnabled()
    assert tab.panel.action_buttons[Action.APPROVE].toolTip() == (
        "Only Digital Strategy and Operations can sign the step waiting now."
    )


def test_a_request_changed_meanwhile_is_reported(
    cast: Cast,
    make_tab: TabMaker,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[QMessageBox],
) -> None:
    _, approval_id = _submitted(cast)
    seen = _decide(monkeypatch, qtbot, "Fine")
    tab = make_tab("dso")
    _select(tab, qtbot, approval_id)
    ApprovalService(cast.ctx("officer")).withdraw(approval_id)  # while the DSO looks at it
    tab.panel.action_buttons[Action.APPROVE].click()
    wait_for_tasks(qtbot)
    assert seen[0]["accepted"] is False
    assert str(seen[0]["error"]).startswith("Someone else acted on this request")


@pytest.mark.parametrize("who", list(ROLE_CAST))
def test_new_request_menu_follows_the_role_table(cast: Cast, make_tab: TabMaker, who: str) -> None:
    tab = make_tab(who)
    for kind, action in tab.new_actions.items():
        allowed = bool(set(ROLE_CAST[who]) & ALLOWED[REQUEST_PERMISSIONS[kind]])
        assert action.isEnabled() == allowed, kind
        if not allowed:
            assert "needs the role" in action.toolTip()
    assert tab.new_request.isEnabled() == any(a.isEnabled() for a in tab.new_actions.values())
    if who == "agency":  # reads no one's requests, and is told so without an error box
        assert tab.count.text() == "Your role does not read the approvals register."


def test_layout_is_saved_by_name(cast: Cast, make_tab: TabMaker) -> None:
    tab = make_tab("auditor")
    state = UiState.in_memory()
    tab.save_state(state)
    assert state.keys() == [
        "tab.ApprovalsTab.approvalsSplitter/splitter",
        "tab.ApprovalsTab.approvalsTable/header",
    ]
