"""DESIGN §6 as a table: every service operation tried by every role and by a login that is
not registered; each may do exactly what the table says.

One test per operation (on both databases); inside it, each member of the cast tries it on
records of their own, so one person's success does not change another's outcome. Rows that
on the comments of central accounts and of emergencies check the three monitoring bodies of the
policy: Executive Council and the Minister's Office on the central accounts, and whoever is named
on call on the accounts a running emergency covers.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from desktop.enums import (
    AccountStatus,
    AppRole,
    CloseReason,
    EmergencyKind,
    PageRole,
    Platform,
    Recommendation,
    RemovalCategory,
)
from desktop.errors import PermissionDenied
from desktop.services.account_list import AccountListService
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.approvals import ApprovalService
from desktop.services.approvals_flow.content import ContentApprovalService
from desktop.services.approvals_flow.personal_names import PersonalNameService
from desktop.services.audit_service import AuditService
from desktop.services.campaigns import CampaignService
from desktop.services.choices import ChoiceService
from desktop.services.comment_log import CommentLogQuery, CommentLogService
from desktop.services.comments import CommentService
from desktop.services.compliance import ComplianceService
from desktop.services.context import ServiceContext
from desktop.services.emergencies import EmergencyService
from desktop.services.evaluations import EvaluationService
from desktop.services.goals import GoalService
from desktop.services.metrics import MetricsService
from desktop.services.moderation import ModerationService
from desktop.services.people import PeopleService, PersonInput
from desktop.services.permission_matrix import PermissionMatrixService
from desktop.services.roles import RoleService
from desktop.services.settings_service import SettingsService
from desktop.services.transfer import TransferService
from tests.factories import ROLE_CAST, Cast, approve_new_account

WHO = (*ROLE_CAST, "stranger")  # "stranger": a login with no person behind it
READERS = frozenset(ROLE_CAST) - {"agency"}
PROPOSERS = frozenset({"officer", "officer2", "comms", "dso", "admin"})
ACCOUNT_ADMINS = frozenset({"dso", "admin"})
EDITORS = frozenset({"officer", "comms", "dso", "admin"})  # of a Health account
COMMENT_WORKERS = frozenset({"officer", "officer2", "comms", "dci", "dso", "admin"})
EMERGENCY = frozenset({"comms", "dci", "dso", "council", "council2", "admin"})
DRAFTERS = frozenset({"officer", "comms", "dci", "dso", "admin"})  # of a Health account
DECIDERS = frozenset({"dci", "admin"})
SETTINGS = frozenset({"dso", "admin"})
CENTRAL_MONITORS = frozenset({"council", "council2", "minister"})


@dataclass
class World:
    cast: Cast
    n: int = 0
    made: dict[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> Any:
        return self.cast.clock()

    def fresh(self) -> str:
        self.n += 1
        return f"T{self.n}"

    def account(self, *, status: AccountStatus = AccountStatus.ACTIVE, **kw: Any) -> Any:
        handle = self.fresh()
        service = AccountService(self.cast.ctx("dso"))
        data = AccountInput(
            platform=Platform.FACEBOOK,
            handle=f"Acct{handle}",
            ministry_id=kw.pop("ministry_id", self.cast.health.id),
            government_email=f"acct{handle.lower()}@gov.sk.ca",
            owner_id=self.cast.people["officer"].id,
            **kw,
        )
        if status == AccountStatus.PROPOSED:
            return service.propose(data)
        if status == AccountStatus.APPROVED:
            # Approved only through the new-account workflow (issue 14).
            proposed = service.propose(data)
            approve_new_account(self.cast, proposed.id)
            return proposed
        return service.create(data, status=status)

    def comment(self, **kw: Any) -> Any:
        account = kw.pop("account", None) or self.made.setdefault("live", self.account())
        return CommentService(self.cast.ctx("officer")).log(
            account.id, self.now - timedelta(hours=1), f"Question {self.fresh()}?", **kw
        )


Run = Callable[[World, ServiceContext], object]


@dataclass(frozen=True)
class Op:
    row: str  # the row of DESIGN §6
    name: str
    run: Run
    allowed: frozenset[str]
    xfail: str | None = None


def _input(w: World, **kw: Any) -> AccountInput:
    handle = w.fresh()
    return AccountInput(
        platform=Platform.INSTAGRAM,
        handle=f"New{handle}",
        ministry_id=w.cast.health.id,
        government_email=f"new{handle.lower()}@gov.sk.ca",
        owner_id=w.cast.people["officer"].id,
        **kw,
    )


def _request(w: World) -> Any:
    """An officer's business case for a proposed account, waiting for the DSO."""
    proposed = w.account(status=AccountStatus.PROPOSED)
    service = ApprovalService(w.cast.ctx("officer"))
    approval = service.request_new_account(proposed.id, "Reach parents where they are.")
    return service.submit(approval.id)


def _evaluation(w: World) -> Any:
    account = w.made.setdefault("live", w.account())
    period = f"{2000 + w.n}H1"
    w.fresh()
    return EvaluationService(w.cast.ctx("dci")).draft(account.id, period)


def _emergency(w: World) -> Any:
    return EmergencyService(w.cast.ctx("dso")).declare(
        EmergencyKind.FLOOD, f"Flood {w.fresh()}", [w.cast.health.id]
    )


def _person(w: World, roles: tuple[AppRole, ...] = (AppRole.OFFICER,)) -> Any:
    login = f"p{w.fresh().lower()}"
    return PeopleService(w.cast.ctx("admin")).add(
        PersonInput(
            login,
            f"Person {login}",
            f"{login}@gov.sk.ca",
            roles=roles,
            ministry_id=w.cast.health.id,
        )
    )


def _own_person_id(w: World, ctx: ServiceContext) -> uuid.UUID:
    person = w.cast.people.get(ctx.login)
    return person.id if person else uuid.uuid4()


def _grant(w: World) -> Any:
    account = w.made.setdefault("live", w.account())
    return RoleService(w.cast.ctx("dso")).grant(_person(w).id, account.id, PageRole.EDITOR)


OPS = [
    # -- read everything, export, verify audit (agency: own campaigns) ----------------------
    Op("read", "the inventory", lambda w, c: AccountListService(c).rows(w.now), READERS),
    Op(
        "read",
        "the comment log",
        lambda w, c: CommentLogService(c).page(CommentLogQuery(), w.now),
        READERS,
    ),
    Op("read", "the approvals tracker", lambda w, c: ApprovalService(c).tracker(w.now), READERS),
    Op(
        "read",
        "an approval with its business case",
        lambda w, c: ApprovalService(c).detail(w.made.setdefault("req", _request(w)).id),
        READERS,
    ),
    Op("read", "the active emergencies", lambda w, c: EmergencyService(c).active(w.now), READERS),
    Op("read", "the people", lambda w, c: ChoiceService(c).people(), READERS),
    Op("read", "the settings", lambda w, c: SettingsService(c).get(), READERS),
    Op("read", "the closures", lambda w, c: SettingsService(c).closures(2026), READERS),
    Op("read", "the compliance findings", lambda w, c: ComplianceService(c).run(w.now), READERS),
    Op("read", "the permission matrix", lambda w, c: PermissionMatrixService(c).matrix(), READERS),
    Op(
        "read",
        "the goals of an account",
        lambda w, c: GoalService(c).for_account(w.made.setdefault("live", w.account()).id),
        READERS,
    ),
    Op("read", "the campaigns", lambda w, c: CampaignService(c).list(), READERS | {"agency"}),
    Op("export", "everything", lambda w, c: TransferService(c).export_to(io.StringIO()), READERS),
    Op("verify audit", "the audit log", lambda w, c: AuditService(c).verify(), READERS),
    Op("verify audit", "the audit events", lambda w, c: AuditService(c).recent(5), READERS),
    # -- propose an account, submit a business case -----------------------------------------
    Op("propose", "an account", lambda w, c: AccountService(c).propose(_input(w)), PROPOSERS),
    Op(
        "propose",
        "a business case",
        lambda w, c: ApprovalService(c).request_new_account(
            w.account(status=AccountStatus.PROPOSED).id, "Reach parents where they are."
        ),
        PROPOSERS,
    ),
    # -- create/activate an approved account, grant/revoke roles -----------------------------
    Op(
        "create",
        "register an account that already exists",
        lambda w, c: AccountService(c).create(_input(w), status=AccountStatus.ACTIVE),
        ACCOUNT_ADMINS,
    ),
    Op(
        "create",
        "shut a channel down, with a reason",
        lambda w, c: AccountService(c).retire(w.account().id, "Shut down without notice."),
        ACCOUNT_ADMINS,
    ),
    Op(
        "create",
        "activate an approved account",
        lambda w, c: AccountService(c).activate(w.account(status=AccountStatus.APPROVED).id),
        ACCOUNT_ADMINS,
    ),
    Op(
        "create",
        "grant a page role",
        lambda w, c: RoleService(c).grant(
            _person(w).id, w.made.setdefault("live", w.account()).id, PageRole.EDITOR
        ),
        ACCOUNT_ADMINS,
    ),
    Op(
        "create",
        "revoke a page role",
        lambda w, c: RoleService(c).revoke(_grant(w).id, "done"),
        ACCOUNT_ADMINS,
    ),
    Op(
        "create",
        "give somebody a role",
        lambda w, c: PeopleService(c).set_roles(_person(w).id, [AppRole.OFFICER, AppRole.AUDITOR]),
        ACCOUNT_ADMINS,
    ),
    Op(
        "create",
        "give somebody the administrator role",
        lambda w, c: PeopleService(c).set_roles(_person(w).id, [AppRole.ADMIN]),
        frozenset({"admin"}),
    ),
    Op(
        "create",
        "give oneself a role",
        lambda w, c: PeopleService(c).set_roles(
            _own_person_id(w, c), [*w.as_roles(c), AppRole.AUDITOR]
        ),
        frozenset(),
    ),
    Op("create", "add a person", lambda w, c: _person_as(w, c), ACCOUNT_ADMINS),
    # -- edit account details, record password change (officers: own ministry) -------------
    Op(
        "edit",
        "an account's details",
        lambda w, c: AccountService(c).edit(w.account().id, _input(w, purpose="Edited")),
        EDITORS,
    ),
    Op(
        "edit",
        "record a password change",
        lambda w, c: AccountService(c).record_password_change(w.account().id),
        EDITORS,
    ),
    Op(
        "propose",
        "official content for approval",
        lambda w, c: ContentApprovalService(c).request_official_content(
            w.made.setdefault("live", w.account()).id, "A post about flu clinics."
        ),
        PROPOSERS,
    ),
    Op(
        "propose",
        "one's own personal name with the Government's name",
        lambda w, c: PersonalNameService(c).request(
            _own_person_id(w, c), Platform.X, f"Me{w.fresh()}SKGov", "I post about my work."
        ),
        READERS - {"auditor"},
    ),
    # -- sign an approval step: only the step's role, never one's own request ---------------
    Op(
        "sign",
        "the DSO step of a new account",
        lambda w, c: ApprovalService(c).approve(_request(w).id, "Aligned."),
        frozenset({"dso"}),
    ),
    # -- comments ----------------------------------------------------------------------------
    Op(
        "comments",
        "log a comment",
        lambda w, c: CommentService(c).log(
            w.made.setdefault("live", w.account()).id, w.now - timedelta(hours=1), "Hello?"
        ),
        COMMENT_WORKERS,
    ),
    Op(
        "comments",
        "acknowledge",
        lambda w, c: CommentService(c).acknowledge(w.comment().id),
        COMMENT_WORKERS,
    ),
    Op(
        "comments",
        "answer",
        lambda w, c: CommentService(c).respond(
            w.comment().id, "public_answer", text="At nine.", restricted_topics_cleared=True
        ),
        COMMENT_WORKERS,
    ),
    Op(
        "comments",
        "close",
        lambda w, c: CommentService(c).close(w.comment().id, CloseReason.NO_RESPONSE_NEEDED),
        COMMENT_WORKERS,
    ),
    Op(
        "comments",
        "record a strike",
        lambda w, c: ModerationService(c).record_strike(
            w.comment(author_handle=f"troll{w.n}").id, category=RemovalCategory.SPAM
        ),
        COMMENT_WORKERS,
    ),
    Op(
        "comments",
        "log a comment on a central account",
        lambda w, c: CommentService(c).log(
            w.made.setdefault("central", w.account(is_central=True)).id,
            w.now - timedelta(hours=1),
            "Hello?",
        ),
        COMMENT_WORKERS | CENTRAL_MONITORS,
    ),
    Op(
        "comments",
        "acknowledge on a central account",
        lambda w, c: CommentService(c).acknowledge(
            w.comment(account=w.made.setdefault("central", w.account(is_central=True))).id
        ),
        COMMENT_WORKERS | CENTRAL_MONITORS,
    ),
    Op(
        "comments",
        "answer on a central account",
        lambda w, c: CommentService(c).respond(
            w.comment(account=w.made.setdefault("central", w.account(is_central=True))).id,
            "public_answer",
            text="At nine.",
            restricted_topics_cleared=True,
        ),
        COMMENT_WORKERS | CENTRAL_MONITORS,
    ),
    Op(
        "comments",
        "assign on a central account",
        lambda w, c: CommentService(c).assign(
            w.comment(account=w.made.setdefault("central", w.account(is_central=True))).id,
            w.cast.people["council"].id,
        ),
        COMMENT_WORKERS | CENTRAL_MONITORS,
    ),
    Op(
        "comments",
        "answer during an emergency (council2 on call)",
        lambda w, c: CommentService(c).respond(
            w.comment(account=_on_call_account(w)).id,
            "public_answer",
            text="Sandbags at the rink.",
            restricted_topics_cleared=True,
        ),
        COMMENT_WORKERS | {"council2"},
    ),
    # -- emergencies ---------------------------------------------------------------------------
    Op(
        "emergency",
        "declare",
        lambda w, c: EmergencyService(c).declare(
            EmergencyKind.FLOOD, f"Flood {w.fresh()}", [w.cast.health.id]
        ),
        EMERGENCY,
    ),
    Op("emergency", "end", lambda w, c: EmergencyService(c).end(_emergency(w).id), EMERGENCY),
    # -- metrics, goals, evaluation drafts (officers: own ministry) --------------------------
    Op(
        "draft",
        "enter metrics",
        lambda w, c: MetricsService(c).record(w.account().id, date(2026, 10, 1), 1, 1, 1, 1, 60),
        DRAFTERS,
    ),
    Op(
        "draft",
        "draft a goal",
        lambda w, c: GoalService(c).draft(
            w.account().id, title="Answer more", metric="comments", target_value=500
        ),
        DRAFTERS,
    ),
    Op(
        "draft",
        "draft an evaluation",
        lambda w, c: EvaluationService(c).draft(w.account().id, "2026H1", "Steady."),
        DRAFTERS,
    ),
    # -- complete an evaluation, recommend termination ----------------------------------------
    Op(
        "decide",
        "draft an evaluation recommending termination",
        lambda w, c: EvaluationService(c).draft(
            w.account().id, "2026H1", "Nobody reads it.", Recommendation.TERMINATE
        ),
        DECIDERS,
    ),
    Op(
        "decide",
        "complete an evaluation",
        lambda w, c: EvaluationService(c).complete(
            _evaluation(w).id, "Done.", Recommendation.CONTINUE
        ),
        DECIDERS,
    ),
    Op(
        "decide",
        # The Director DCI decides a termination (DESIGN §3) and signs no request of their
        # own: the account's communication branch, the DCI's team (DSO) or an administrator
        # raise it.
        "request termination",
        lambda w, c: ApprovalService(c).request_termination(w.account().id, "No engagement."),
        frozenset({"officer", "comms", "dso", "admin"}),
    ),
    # -- settings, calendar, closures, thresholds ----------------------------------------------
    Op(
        "settings",
        "change a threshold",
        lambda w, c: SettingsService(c).update({"ban_days": 30 + w.n}),
        SETTINGS,
    ),
    Op(
        "settings",
        "add a closure",
        lambda w, c: SettingsService(c).add_closure(
            date(2027, 1, 4) + timedelta(days=7 * int(w.fresh()[1:]))
        ),
        SETTINGS,
    ),
]


def _on_call_account(w: World) -> Any:
    """An Environment account under a running flood that names council2 on call."""
    if "flooded" not in w.made:
        account = w.account(ministry_id=w.cast.environment.id)
        EmergencyService(w.cast.ctx("dso")).declare(
            EmergencyKind.FLOOD,
            f"Flood {w.fresh()}",
            [w.cast.environment.id],
            on_call_ministry_id=w.cast.people["officer2"].id,
            on_call_council_id=w.cast.people["council2"].id,
        )
        w.made["flooded"] = account
    return w.made["flooded"]


def _person_as(w: World, ctx: ServiceContext) -> Any:
    login = f"q{w.fresh().lower()}"
    return PeopleService(ctx).add(
        PersonInput(login, f"Person {login}", f"{login}@gov.sk.ca", roles=(AppRole.OFFICER,))
    )


def _roles_of(w: World, ctx: ServiceContext) -> list[AppRole]:
    person = w.cast.people.get(ctx.login)
    return sorted(person.roles) if person else []


World.as_roles = _roles_of  # type: ignore[attr-defined]


def _params() -> list[Any]:
    out = []
    for op in OPS:
        marks = [pytest.mark.xfail(reason=op.xfail, strict=True)] if op.xfail else []
        out.append(pytest.param(op, id=f"{op.row}: {op.name}", marks=marks))
    return out


@pytest.mark.parametrize("op", _params())
def test_the_role_table(cast: Cast, op: Op) -> None:
    world = World(cast)
    allowed = set()
    for who in WHO:
        ctx = ServiceContext(cast.db, who, clock=cast.clock)
        try:
            op.run(world, ctx)
        except PermissionDenied:
            continue
        allowed.add(who)
    assert allowed == set(op.allowed)


def test_an_agency_sees_only_its_own_campaigns(cast: Cast) -> None:
    service = CampaignService(cast.ctx("dso"))
    ends = cast.clock().date() + timedelta(days=30)
    start = cast.clock().date()
    own = service.create("Ours", cast.health.id, "Prairie Ads Inc.", start, ends)
    service.create("Theirs", cast.health.id, "Other Agency Ltd.", start, ends)
    assert [c.id for c in CampaignService(cast.ctx("agency")).list()] == [own.id]
    assert len(CampaignService(cast.ctx("auditor")).list()) == 2


def test_nobody_signs_a_step_of_their_own_request(cast: Cast) -> None:
    both = PeopleService(cast.ctx("admin")).add(
        PersonInput(
            "both",
            "Both Roles",
            "both@gov.sk.ca",
            roles=(AppRole.OFFICER, AppRole.DSO),
            ministry_id=cast.health.id,
        )
    )
    world = World(cast)
    proposed = world.account(status=AccountStatus.PROPOSED)
    own = ApprovalService(ServiceContext(cast.db, "both", clock=cast.clock))
    approval = own.submit(own.request_new_account(proposed.id, "Mine.").id)
    with pytest.raises(PermissionDenied):
        own.approve(approval.id, "Looks good to me.")
    assert both.roles == {AppRole.OFFICER, AppRole.DSO}
