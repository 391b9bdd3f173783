"""The account inventory and its permission matrix (who holds which page role on which account)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from desktop.enums import AccountStatus, AppRole, PageRole, Platform, PostingTool
from desktop.models import Account, AccountRole
from desktop.services.demo.builder import AccountRef, PersonRef, Row, Seeder, World, new_id
from desktop.services.demo.catalogue import (
    ACCOUNTS,
    CENTRAL,
    DISPLAY_NAMES,
    HANDLE_STEMS,
    MINISTRIES,
    MINISTRY_BY_CODE,
    WECHAT_NOTES,
    AccountSpec,
)
from desktop.services.demo.violations import PERSONAL_EMAIL_PERSON

# Stories that keep an account from going live, and the status they leave it in.
STORY_STATUS = {
    "stalled_proposal": AccountStatus.PROPOSED,
    "draft_proposal": AccountStatus.PROPOSED,
    "changes_requested": AccountStatus.PROPOSED,
    "stage2_proposal": AccountStatus.PROPOSED,
    "approved_proposal": AccountStatus.APPROVED,
    "rejected_proposal": AccountStatus.SHUT_DOWN,
    "withdrawn_proposal": AccountStatus.SHUT_DOWN,
    "suspended": AccountStatus.SUSPENDED,
    "terminated": AccountStatus.TERMINATED,
}
STATUS_REASONS = {
    "rejected_proposal": "Executive Council declined the business case.",
    "withdrawn_proposal": "The ministry withdrew the proposal.",
    "suspended": "Suspended while the program's content strategy is reviewed.",
    "terminated": "No engagement for more than 12 months; termination approved.",
}
# Proposals that never went live: (created, status last changed) in days before the as-of.
# The approvals module signs their requests on the same timeline.
PROPOSAL_DAYS = {
    "draft_proposal": (2, 2),
    "stalled_proposal": (18, 18),
    "changes_requested": (12, 12),
    "stage2_proposal": (14, 14),
    "approved_proposal": (30, 5),
    "rejected_proposal": (45, 30),
    "withdrawn_proposal": (65, 50),
}
# Accounts that must be old enough for 12 months without engagement, or an old evaluation.
OLD_STORIES = frozenset({"no_engagement", "overdue_evaluation", "terminated", "expired_goals"})

_URLS = {
    Platform.FACEBOOK: "https://www.facebook.com/{}",
    Platform.X: "https://x.com/{}",
    Platform.INSTAGRAM: "https://www.instagram.com/{}/",
    Platform.YOUTUBE: "https://www.youtube.com/@{}",
    Platform.LINKEDIN: "https://www.linkedin.com/company/{}",
    Platform.TIKTOK: "https://www.tiktok.com/@{}",
    Platform.WECHAT: "",
}


def account_url(platform: Platform, handle: str) -> str:
    return _URLS[platform].format(handle) if _URLS.get(platform) else ""


def seed_accounts(s: Seeder, world: World) -> None:
    rng = s.rng("accounts")
    specs = list(ACCOUNTS)
    if s.plan.accounts > len(specs):
        specs += _generated(rng, s.plan.accounts - len(specs))
    rows = [_account(s, world, rng, spec) for spec in specs]
    s.insert(Account, rows)
    for row in rows:
        _audit_history(s, row)
    s.progress(f"{len(rows):,} accounts")


def _audit_history(s: Seeder, row: Row) -> None:
    """Created (proposed, or approved and set up by DSO), went live, and changed status since."""
    live = row["activated_at"]
    first = AccountStatus.APPROVED if live else AccountStatus.PROPOSED
    created = {**row, "status": first, "status_changed_at": row["created_at"], "status_reason": ""}
    created |= {"activated_at": None, "password_changed_at": None, "version": 1}
    s.audit(row["created_at"], "account.create", "account", row["id"], created)
    if live:
        s.audit(live, "account.status", "account", row["id"], {"status": AccountStatus.ACTIVE})
    if row["status"] not in (first, AccountStatus.ACTIVE):
        after = {"status": row["status"], "status_reason": row["status_reason"]}
        s.audit(row["status_changed_at"], "account.status", "account", row["id"], after)


def _generated(rng: random.Random, n: int) -> list[AccountSpec]:
    """Program accounts ("SaskHealthImmunize") until the large inventory is full."""
    platforms = (Platform.FACEBOOK, Platform.X, Platform.INSTAGRAM, Platform.YOUTUBE)
    taken = {(a.platform, a.handle.lower()) for a in ACCOUNTS}
    out: list[AccountSpec] = []
    rounds = 0
    while len(out) < n:
        rounds += 1
        for m in MINISTRIES:
            for program in m.programs:
                platform = platforms[(rounds + len(out)) % len(platforms)]
                handle = f"{HANDLE_STEMS[m.code]}{program}" + ("" if rounds == 1 else str(rounds))
                if platform is Platform.INSTAGRAM:
                    handle = handle.lower()
                if (platform, handle.lower()) in taken or len(out) == n:
                    continue
                taken.add((platform, handle.lower()))
                name = f"{DISPLAY_NAMES[m.code]} {program}"
                out.append(AccountSpec(m.code, platform, handle, name, f"{program} program."))
    rng.shuffle(out)
    return out


def _account(s: Seeder, world: World, rng: random.Random, spec: AccountSpec) -> Row:
    status = STORY_STATUS.get(spec.story, AccountStatus.ACTIVE)
    ministry = MINISTRY_BY_CODE[spec.ministry]
    officers = world.with_role(AppRole.OFFICER, spec.ministry)
    owner = None if spec.story == "no_owner" else officers[rng.randrange(len(officers))]
    span = (s.as_of - world.start).days
    if spec.story in OLD_STORIES or spec.central:
        activated: datetime | None = world.start + timedelta(days=rng.randint(120, 400))
    elif rng.random() < 0.85:
        activated = world.start + timedelta(days=rng.randint(120, span - 560))
    else:
        activated = s.as_of - timedelta(days=rng.randint(40, 520))
    if spec.story in PROPOSAL_DAYS:
        activated = None
        created_ago, changed_ago = PROPOSAL_DAYS[spec.story]
        created = s.as_of - timedelta(days=created_ago, hours=rng.randint(1, 6))
        changed = s.as_of - timedelta(days=changed_ago, hours=rng.randint(0, 1))
        changed = max(created, changed)
    else:
        assert activated is not None
        created = activated - timedelta(days=rng.randint(1, 5), minutes=rng.randint(0, 480))
        changed = activated
    if status in (AccountStatus.SUSPENDED, AccountStatus.TERMINATED):
        changed = s.as_of - timedelta(days=rng.randint(50, 80), hours=rng.randint(0, 8))
    password = None
    if activated is not None:
        age = 143 if spec.story == "old_password" else rng.randint(3, 80)
        password = max(activated, s.as_of - timedelta(days=age, hours=rng.randint(0, 9)))
    local = spec.handle.lower().replace("-", "")
    email = f"{local}.{spec.platform.value}@{ministry.domain}"
    if spec.story == "gmail":
        email = f"{local}.photos@gmail.com"
    is_x = spec.platform is Platform.X
    row = s.row(
        Account,
        created,
        id=new_id(rng),
        platform=spec.platform,
        handle=spec.handle,
        display_name=spec.display_name,
        url=account_url(spec.platform, spec.handle),
        ministry_id=world.ministries[spec.ministry],
        purpose=spec.purpose,
        status=status,
        status_changed_at=changed,
        activated_at=activated,
        government_email=email,
        owner_id=owner.id if owner else None,
        posting_tool=PostingTool.TWEETDECK
        if is_x and spec.story != "native_x"
        else PostingTool.NATIVE,
        password_changed_at=password,
        is_international=spec.story == "international",
        language="Mandarin (Simplified Chinese)" if spec.story == "international" else "",
        cultural_notes=WECHAT_NOTES if spec.story == "international" else "",
        is_central=spec.central,
        status_reason=STATUS_REASONS.get(spec.story, ""),
        updated_at=max(created, changed, password or created),
    )
    world.accounts.append(
        AccountRef(
            row["id"],
            spec.platform,
            spec.handle,
            spec.ministry,
            status,
            spec.story,
            spec.central,
            activated,
            changed,
            created,
            owner,
        )
    )
    return row


def seed_page_roles(s: Seeder, world: World) -> None:
    """Admins, editors and analysts on every account that was ever created."""
    rng = s.rng("page_roles")
    dso = world.with_role(AppRole.DSO)
    dci = world.one(AppRole.DCI_DIRECTOR)
    contractor = world.person(PERSONAL_EMAIL_PERSON)
    rows: list[Row] = []
    for acc in world.accounts:
        if acc.activated_at is None:
            continue
        grantor = dso[rng.randrange(len(dso))]
        officers = world.with_role(AppRole.OFFICER, acc.ministry)
        editors = officers if len(officers) <= 3 else rng.sample(officers, 3)
        if acc.owner is not None and acc.owner not in editors:
            editors = [*editors[:2], acc.owner]
        held: list[tuple[PersonRef, PageRole]] = [
            (world.one(AppRole.COMMS_DIRECTOR, acc.ministry), PageRole.ADMIN)
        ]
        if acc.platform is Platform.FACEBOOK and acc.story != "no_dci_admin":
            held.append((dci, PageRole.ADMIN))
        held += [(p, PageRole.EDITOR) for p in editors]
        if acc.story == "extra_admin":
            held[-1] = (held[-1][0], PageRole.ADMIN)
        if acc.platform is not Platform.FACEBOOK and rng.random() < 0.35:
            held.append((dso[rng.randrange(len(dso))], PageRole.ANALYST))
        if (
            acc.ministry == contractor.ministry
            and acc.platform in (Platform.FACEBOOK, Platform.INSTAGRAM)
            and all(p != contractor for p, _role in held)
        ):
            held.append((contractor, PageRole.EDITOR))
        revoked_at = None
        if acc.status is AccountStatus.TERMINATED:
            revoked_at = acc.status_changed_at + timedelta(days=rng.randint(1, 3))
        for person, role in held:
            granted = acc.activated_at + timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
            rows.append(role_row(s, rng, person, acc, role, grantor, granted, revoked_at))
        if rng.random() < 0.12 and acc.status is AccountStatus.ACTIVE:
            # A former editor who moved to another branch, revoked in time.
            mover = world.with_role(AppRole.OFFICER, CENTRAL if acc.ministry != CENTRAL else "HEA")
            granted = acc.activated_at + timedelta(days=rng.randint(1, 30))
            gone = granted + timedelta(days=rng.randint(60, 300))
            if gone < s.as_of:
                who = mover[rng.randrange(len(mover))]
                rows.append(role_row(s, rng, who, acc, PageRole.EDITOR, grantor, granted, gone))
    s.insert(AccountRole, rows)
    audit_roles(s, rows)


def role_row(
    s: Seeder,
    rng: random.Random,
    person: PersonRef,
    acc: AccountRef,
    role: PageRole,
    grantor: PersonRef,
    granted: datetime,
    revoked: datetime | None,
    **extra: object,
) -> Row:
    return s.row(
        AccountRole,
        granted,
        id=new_id(rng),
        person_id=person.id,
        account_id=acc.id,
        role=role,
        granted_by_id=grantor.id,
        granted_at=granted,
        revoked_by_id=grantor.id if revoked else None,
        revoked_at=revoked,
        updated_at=revoked or granted,
        **extra,
    )


def audit_roles(s: Seeder, rows: list[Row]) -> None:
    for r in rows:
        granted = {**r, "revoked_at": None, "revoked_by_id": None, "version": 1}
        s.audit(r["granted_at"], "role.grant", "account_role", r["id"], granted)
        if r["revoked_at"] is not None:
            after = {"revoked_at": r["revoked_at"], "revoked_by_id": r["revoked_by_id"]}
            s.audit(r["revoked_at"], "role.revoke", "account_role", r["id"], after)
