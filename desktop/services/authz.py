"""Who may do what (DESIGN §6), checked by every service before it writes."""

from __future__ import annotations

import uuid
from enum import StrEnum

from desktop.enums import AppRole
from desktop.errors import PermissionDenied

R = AppRole


class Permission(StrEnum):
    READ_ALL = "read_all"
    EXPORT = "export"
    PROPOSE_ACCOUNT = "propose_account"
    MANAGE_ACCOUNTS = "manage_accounts"  # create/activate approved accounts, grant/revoke roles
    EDIT_ACCOUNT = "edit_account"  # edit details, record a password change
    SUBMIT_CAMPAIGN = "submit_campaign"
    REQUEST_TERMINATION = "request_termination"
    HANDLE_COMMENTS = "handle_comments"  # log/acknowledge/answer/close, record strikes
    EMERGENCY = "emergency"
    DRAFT_RECORDS = "draft_records"  # metrics, goals and evaluation drafts
    COMPLETE_EVALUATION = "complete_evaluation"
    SETTINGS = "settings"  # settings, calendar, closures, thresholds
    MANAGE_PEOPLE = "manage_people"
    IMPORT = "import"  # merge an export into a database that has data
    # Ask approval for one's own personal social media name with the Government's name.
    REQUEST_PERSONAL_NAME = "request_personal_name"


_READERS = frozenset(
    {
        R.OFFICER, R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.EXEC_COUNCIL,
        R.MINISTERS_OFFICE, R.AUDITOR, R.ADMIN,
    }
)  # fmt: skip

ALLOWED: dict[Permission, frozenset[AppRole]] = {
    Permission.READ_ALL: _READERS,
    Permission.EXPORT: _READERS,
    Permission.PROPOSE_ACCOUNT: frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
    Permission.MANAGE_ACCOUNTS: frozenset({R.DSO, R.ADMIN}),
    Permission.EDIT_ACCOUNT: frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
    Permission.SUBMIT_CAMPAIGN: frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
    # The Director DCI decides (DESIGN §3; nobody signs their own request), so the request is
    # raised by the account's communication branch, by the DCI's team (DSO), or an admin.
    Permission.REQUEST_TERMINATION: frozenset({R.OFFICER, R.COMMS_DIRECTOR, R.DSO, R.ADMIN}),
    Permission.HANDLE_COMMENTS: frozenset(
        {R.OFFICER, R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.ADMIN}
    ),
    Permission.EMERGENCY: frozenset(
        {R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.EXEC_COUNCIL, R.ADMIN}
    ),
    Permission.DRAFT_RECORDS: frozenset(
        {R.OFFICER, R.COMMS_DIRECTOR, R.DCI_DIRECTOR, R.DSO, R.ADMIN}
    ),
    Permission.COMPLETE_EVALUATION: frozenset({R.DCI_DIRECTOR, R.ADMIN}),
    Permission.SETTINGS: frozenset({R.DSO, R.ADMIN}),
    Permission.MANAGE_PEOPLE: frozenset({R.DSO, R.ADMIN}),
    Permission.IMPORT: frozenset({R.ADMIN}),
    Permission.REQUEST_PERSONAL_NAME: _READERS - {R.AUDITOR},
}

_ACTION_TEXT: dict[Permission, str] = {
    Permission.READ_ALL: "Reading the whole register",
    Permission.EXPORT: "Exporting data or verifying the audit log",
    Permission.PROPOSE_ACCOUNT: "Proposing an account",
    Permission.MANAGE_ACCOUNTS: "Creating accounts and granting or revoking roles",
    Permission.EDIT_ACCOUNT: "Editing account details",
    Permission.SUBMIT_CAMPAIGN: "Submitting campaign or official content for approval",
    Permission.REQUEST_TERMINATION: "Requesting an account termination",
    Permission.HANDLE_COMMENTS: "Handling comments and recording strikes",
    Permission.EMERGENCY: "Declaring or ending an emergency",
    Permission.DRAFT_RECORDS: "Entering metrics and drafting goals and evaluations",
    Permission.COMPLETE_EVALUATION: "Completing an evaluation",
    Permission.SETTINGS: "Changing settings, the calendar and closures",
    Permission.MANAGE_PEOPLE: "Adding and changing people",
    Permission.IMPORT: "Merging an export into this database",
    Permission.REQUEST_PERSONAL_NAME: "Asking approval for a personal name",
}

# Officers may edit only the accounts of their own ministry.
OWN_MINISTRY_ONLY: dict[Permission, frozenset[AppRole]] = {
    Permission.EDIT_ACCOUNT: frozenset({R.OFFICER}),
    Permission.REQUEST_TERMINATION: frozenset({R.OFFICER}),
    Permission.DRAFT_RECORDS: frozenset({R.OFFICER}),
}


def _role_list(roles: frozenset[AppRole]) -> str:
    names = [r.label for r in AppRole if r in roles]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def can(
    roles: frozenset[AppRole],
    permission: Permission,
    *,
    actor_ministry: uuid.UUID | None = None,
    target_ministry: uuid.UUID | None = None,
) -> bool:
    allowed = ALLOWED[permission] & roles
    if not allowed:
        return False
    limited = OWN_MINISTRY_ONLY.get(permission, frozenset())
    if allowed <= limited and target_ministry is not None:
        return actor_ministry == target_ministry
    return True


def denial(
    roles: frozenset[AppRole],
    permission: Permission,
    *,
    actor_ministry: uuid.UUID | None = None,
    target_ministry: uuid.UUID | None = None,
) -> str | None:
    """None when allowed, else the sentence shown to the person."""
    if can(roles, permission, actor_ministry=actor_ministry, target_ministry=target_ministry):
        return None
    action = _ACTION_TEXT[permission]
    if ALLOWED[permission] & roles:
        return f"{action} is limited to your own ministry's accounts for your role."
    held = _role_list(roles) if roles else "no role"
    return f"{action} needs the role {_role_list(ALLOWED[permission])}; you hold {held}."


def require(
    roles: frozenset[AppRole],
    permission: Permission,
    *,
    actor_ministry: uuid.UUID | None = None,
    target_ministry: uuid.UUID | None = None,
) -> None:
    reason = denial(
        roles, permission, actor_ministry=actor_ministry, target_ministry=target_ministry
    )
    if reason:
        raise PermissionDenied(reason)
