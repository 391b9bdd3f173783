"""Approvals at every stage, made by running the real workflow state machine on a script.

Each request starts from ``workflows.new_draft`` and every submission and signature goes
through ``workflows.apply``, so the stored steps are exactly what the services would have
stored (escalations, skipped steps and resets included).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.enums import AccountStatus, AppRole, ApprovalKind, ApprovalState, Platform
from desktop.models import Approval, ApprovalStep, PersonalName
from desktop.policy import workflows as wf
from desktop.policy.workflows import Action
from desktop.services.demo.accounts import PROPOSAL_DAYS
from desktop.services.demo.builder import AccountRef, PersonRef, Row, Seeder, World, new_id
from desktop.services.demo.violations import STALLED_APPROVAL

_CLOSED = (ApprovalState.APPROVED, ApprovalState.REJECTED, ApprovalState.WITHDRAWN)


@dataclass(frozen=True)
class Act:
    action: Action
    who: PersonRef
    at: datetime
    comment: str = ""


class ApprovalBook:
    """Collects approvals from every module; ``flush`` inserts them once campaigns exist."""

    def __init__(self, s: Seeder) -> None:
        self.s = s
        self.rng = s.rng("approvals")
        self.approvals: list[Row] = []
        self.steps: list[Row] = []

    def record(
        self,
        kind: ApprovalKind,
        title: str,
        submitter: PersonRef,
        created: datetime,
        acts: Sequence[Act],
        *,
        account_id: uuid.UUID | None = None,
        campaign_id: uuid.UUID | None = None,
        business_case: str = "",
    ) -> Row:
        """Run the script through the state machine and keep the resulting rows."""
        s = self.s
        snap = wf.new_draft(kind, str(submitter.id))
        approval_id = new_id(self.rng)
        events: list[tuple[Act, wf.ApprovalSnapshot]] = []
        # Steps of the definition exist from the draft; an escalation from when it was added.
        step_created = dict.fromkeys(range(len(snap.steps)), created)
        submitted_at = resubmitted_at = None
        for act in acts:
            snap = wf.apply(snap, act.action, str(act.who.id), act.who.roles, act.at, act.comment)
            for i in range(len(snap.steps)):
                step_created.setdefault(i, act.at)
            # As the service keeps them: the first submission, and the latest resubmission.
            if act.action is Action.SUBMIT and submitted_at is None:
                submitted_at = act.at
            elif act.action is Action.RESUBMIT:
                resubmitted_at = act.at
            events.append((act, snap))
        last = acts[-1].at if acts else created
        row = s.row(
            Approval,
            created,
            id=approval_id,
            kind=kind,
            state=snap.state,
            title=title,
            business_case=business_case,
            account_id=account_id,
            campaign_id=campaign_id,
            submitter_id=submitter.id,
            submitted_at=submitted_at,
            resubmitted_at=resubmitted_at,
            decided_at=last if snap.state in _CLOSED else None,
            updated_at=last,
            version=1 + len(acts),
        )
        self.approvals.append(row)
        for i, step in enumerate(snap.steps):
            made = step_created[i]
            self.steps.append(
                s.row(
                    ApprovalStep,
                    made,
                    id=new_id(self.rng),
                    approval_id=approval_id,
                    position=i,
                    stage=step.stage,
                    role=step.role,
                    label=step.label,
                    state=step.state,
                    decided_by_id=uuid.UUID(step.decided_by) if step.decided_by else None,
                    decided_at=step.decided_at,
                    comment=step.comment,
                    updated_at=step.decided_at or made,
                )
            )
        draft = {
            **row,
            "state": ApprovalState.DRAFT,
            "submitted_at": None,
            "resubmitted_at": None,
            "decided_at": None,
        }
        s.audit(
            created, "approval.create", "approval", approval_id, draft | {"version": 1}, submitter
        )
        for act, after in events:
            payload = {"state": after.state, "comment": act.comment}
            s.audit(
                act.at, f"approval.{act.action.value}", "approval", approval_id, payload, act.who
            )
        return row

    def flush(self) -> None:
        self.s.insert(Approval, self.approvals)
        self.s.insert(ApprovalStep, self.steps)
        self.s.progress(f"{len(self.approvals):,} approvals with {len(self.steps):,} steps")


def _pick(rng: random.Random, people: Sequence[PersonRef]) -> PersonRef:
    return people[rng.randrange(len(people))]


def _hours(rng: random.Random) -> timedelta:
    return timedelta(hours=rng.randint(1, 7), minutes=rng.randint(0, 59))


def seed_account_approvals(s: Seeder, world: World, book: ApprovalBook) -> None:
    """A new-account request for every account (but one), and the termination requests."""
    rng = s.rng("account_approvals")
    dso = world.with_role(AppRole.DSO)
    council = world.with_role(AppRole.EXEC_COUNCIL)
    for acc in world.accounts:
        if acc.story == "not_approved":
            continue  # a deliberate violation: active, never approved
        submitter = _pick(rng, [*world.with_role(AppRole.OFFICER, acc.ministry)])
        if rng.random() < 0.4:
            submitter = world.one(AppRole.COMMS_DIRECTOR, acc.ministry)
        d, c = _pick(rng, dso), _pick(rng, council)
        created, acts = _new_account_script(s, rng, acc, submitter, d, c)
        title = STALLED_APPROVAL if acc.story == "stalled_proposal" else f"New account: {acc.label}"
        book.record(
            ApprovalKind.NEW_ACCOUNT,
            title,
            submitter,
            created,
            acts,
            account_id=acc.id,
            business_case=_business_case(acc),
        )
        if acc.status is AccountStatus.TERMINATED or acc.story == "no_engagement":
            _termination(s, rng, world, book, acc)


def _new_account_script(
    s: Seeder,
    rng: random.Random,
    acc: AccountRef,
    who: PersonRef,
    dso: PersonRef,
    council: PersonRef,
) -> tuple[datetime, list[Act]]:
    A = Action
    if acc.story in PROPOSAL_DAYS:
        created = acc.created_at
        changed = acc.status_changed_at

        def ago(days: int) -> datetime:
            return s.as_of - timedelta(days=days) + _hours(rng)

        scripts: dict[str, list[Act]] = {
            "draft_proposal": [],
            "stalled_proposal": [Act(A.SUBMIT, who, ago(16))],
            "changes_requested": [
                Act(A.SUBMIT, who, ago(10)),
                Act(A.REQUEST_CHANGES, dso, ago(3), "Add the evening moderation plan."),
            ],
            "stage2_proposal": [Act(A.SUBMIT, who, ago(12)), Act(A.APPROVE, dso, ago(4))],
            "approved_proposal": [
                Act(A.SUBMIT, who, ago(28)),
                Act(A.APPROVE, dso, ago(15)),
                Act(A.APPROVE, council, changed),
            ],
            "rejected_proposal": [
                Act(A.SUBMIT, who, ago(43)),
                Act(A.APPROVE, dso, ago(38)),
                Act(
                    A.REJECT,
                    council,
                    changed,
                    "Overlaps with @SKGovHwys; share this content there instead.",
                ),
            ],
            "withdrawn_proposal": [
                Act(A.SUBMIT, who, ago(63)),
                Act(A.REQUEST_CHANGES, dso, ago(58), "Who will monitor comments after hours?"),
                Act(A.WITHDRAW, who, changed),
            ],
        }
        return created, scripts[acc.story]
    assert acc.activated_at is not None
    created = acc.created_at - timedelta(days=rng.randint(45, 90))
    at = created + timedelta(days=rng.randint(1, 3))
    acts = [Act(A.SUBMIT, who, at)]
    if rng.random() < 0.1:
        at += timedelta(days=rng.randint(2, 6))
        acts.append(Act(A.REQUEST_CHANGES, dso, at, "Please add measurable goals."))
        at += timedelta(days=rng.randint(2, 6))
        acts.append(Act(A.RESUBMIT, who, at))
    at += timedelta(days=rng.randint(2, 8))
    acts.append(Act(A.APPROVE, dso, at))
    at += timedelta(days=rng.randint(2, 8))
    acts.append(Act(A.APPROVE, council, min(at, acc.created_at - timedelta(hours=3))))
    return created, acts


def _termination(
    s: Seeder, rng: random.Random, world: World, book: ApprovalBook, acc: AccountRef
) -> None:
    director = world.one(AppRole.COMMS_DIRECTOR, acc.ministry)
    dci = world.one(AppRole.DCI_DIRECTOR)
    title = f"Terminate {acc.label}"
    case = "No engagement for more than 12 months despite a new strategy at the last review."
    if acc.status is AccountStatus.TERMINATED:
        decided = acc.status_changed_at - timedelta(hours=2)
        created = decided - timedelta(days=rng.randint(12, 20))
        acts = [
            Act(Action.SUBMIT, director, created + timedelta(hours=1)),
            Act(Action.APPROVE, dci, decided, "Agreed: no engagement since launch."),
        ]
    elif acc.platform is Platform.YOUTUBE:
        # A disagreement: the Director DCI declines and Executive Council must decide.
        created = s.as_of - timedelta(days=7)
        acts = [
            Act(Action.SUBMIT, director, created + timedelta(days=1)),
            Act(
                Action.REJECT,
                dci,
                s.as_of - timedelta(days=2, hours=3),
                "The explainers are linked from the court forms; keep the channel a year.",
            ),
        ]
    else:
        return
    book.record(
        ApprovalKind.ACCOUNT_TERMINATION,
        title,
        director,
        created,
        acts,
        account_id=acc.id,
        business_case=case,
    )


def _business_case(acc: AccountRef) -> str:
    return (
        f"Audience: residents interested in {acc.handle}. Staffing: the ministry's communications "
        "officers monitor comments during business hours; Executive Council covers emergencies. "
        "Goals: engagement (shares, comments, responses), reviewed twice a year."
    )


def seed_content_and_names(s: Seeder, world: World, book: ApprovalBook) -> list[Row]:
    """Official content requests (one approved, one waiting) and personal names with the
    Government's name (one approved, one waiting); returns the register's rows, inserted once
    the approvals they point to are."""
    rng = s.rng("content_and_names")
    council = world.with_role(AppRole.EXEC_COUNCIL)
    minister = world.with_role(AppRole.MINISTERS_OFFICE)
    live = [a for a in world.accounts if a.status is AccountStatus.ACTIVE and not a.story]
    for acc, days, signed in ((live[0], 9, 3), (live[1], 2, 1)):
        officer = world.with_role(AppRole.OFFICER, acc.ministry)[0]
        comms = world.one(AppRole.COMMS_DIRECTOR, acc.ministry)
        start = s.as_of - timedelta(days=days) + _hours(rng)
        signers = [comms, _pick(rng, minister), _pick(rng, council)][:signed]
        acts = [Act(Action.SUBMIT, officer, start)] + [
            Act(Action.APPROVE, who, start + timedelta(hours=5 * (n + 1)))
            for n, who in enumerate(signers)
        ]
        book.record(
            ApprovalKind.OFFICIAL_CONTENT,
            f"Official content on {acc.label}: winter safety reminders",
            officer,
            start - timedelta(hours=2),
            acts,
            account_id=acc.id,
            business_case="Three posts on winter driving and furnace safety, with one infographic.",
        )
    names: list[Row] = []
    dso = world.with_role(AppRole.DSO)
    officers = world.with_role(AppRole.OFFICER)
    for person, handle, days, signed in (
        (officers[0], "SKGovFan", 40, 2),
        (officers[1], "GovSKNews", 3, 1),
    ):
        start = s.as_of - timedelta(days=days) + _hours(rng)
        signers = [_pick(rng, council), _pick(rng, dso)][:signed]
        acts = [Act(Action.SUBMIT, person, start)] + [
            Act(Action.APPROVE, who, start + timedelta(days=n + 1)) for n, who in enumerate(signers)
        ]
        approval = book.record(
            ApprovalKind.PERSONAL_NAME,
            f"Personal name: X (Twitter) @{handle} ({person.name})",
            person,
            start - timedelta(hours=1),
            acts,
            business_case="My personal account, where I share public government news.",
        )
        names.append(
            s.row(
                PersonalName,
                approval["created_at"],
                id=new_id(rng),
                person_id=person.id,
                platform=Platform.X,
                handle=handle,
                approval_id=approval["id"],
            )
        )
    return names
