"""The audit log in words: what each recorded action means as a sentence, what each kind of
record is called, and a change of fields as people read it ("status: proposed → active").

An action the app does not know yet (added by a later version) still reads: its code turned
into words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What the person did, as the start of a sentence ("Approved the request").
ACTIONS: dict[str, str] = {
    "account.propose": "Proposed the account",
    "account.create": "Created the account",
    "account.edit": "Changed the account",
    "account.status": "Changed the account's status",
    "account.password_changed": "Recorded a password change",
    "account_role.grant": "Granted a role",
    "account_role.revoke": "Revoked a role",
    "account_role.revoke_expired": "Revoked access past its end date",
    "account_role.change": "Changed a role",
    "role.grant": "Granted a role",
    "role.revoke": "Revoked a role",
    "approval.create": "Drafted the request",
    "approval.request": "Drafted the request",
    "approval.submit": "Submitted the request for approval",
    "approval.resubmit": "Submitted the request again",
    "approval.approve": "Approved the request",
    "approval.reject": "Rejected the request",
    "approval.request_changes": "Asked for changes to the request",
    "approval.withdraw": "Withdrew the request",
    "ban.propose": "Proposed a ban",
    "ban.approve": "Approved the ban",
    "ban.decline": "Declined the ban",
    "ban.expire": "Recorded the ban as expired",
    "ban.lift": "Lifted the ban",
    "campaign.add": "Added the campaign",
    "campaign.create": "Added the campaign",
    "campaign.edit": "Changed the campaign",
    "closure.add": "Added a closure day",
    "closure.remove": "Removed a closure day",
    "comment.log": "Logged the comment",
    "comment.acknowledge": "Acknowledged the comment",
    "comment.assign": "Assigned the comment",
    "comment.respond": "Answered the comment",
    "comment.close": "Closed the comment",
    "comment.hide": "Hid the comment",
    "comment.route": "Routed the comment to another ministry",
    "contact.add": "Added a key contact",
    "contact.edit": "Changed a key contact",
    "contact.remove": "Removed a key contact",
    "data.import_merge": "Merged an import into the database",
    "demo.seed": "Loaded demo data",
    "emergency.declare": "Declared the emergency",
    "emergency.end": "Ended the emergency",
    "emergency.group_update": "Recorded a group update",
    "emergency.on_call": "Named the on-call people",
    "evaluation.draft": "Drafted the evaluation",
    "evaluation.edit": "Changed the evaluation",
    "evaluation.complete": "Completed the evaluation",
    "goal.draft": "Drafted the goal",
    "goal.edit": "Changed the goal",
    "goal.delete": "Deleted the goal",
    "metrics.record": "Recorded the month's metrics",
    "metrics.update": "Corrected the month's metrics",
    "ministry.add": "Added the ministry",
    "person.add": "Added the person",
    "person.bootstrap_admin": "Became the first administrator",
    "audit.checkpoint": "Signed a checkpoint of the audit log",
    "person.deactivate": "Deactivated the person",
    "person.roles": "Changed the person's roles",
    "settings.update": "Changed the policy settings",
    "strike.record": "Recorded a strike",
}

# The kinds of record, as the record filter lists them.
KINDS: dict[str, str] = {
    "account": "Accounts",
    "account_role": "Roles on accounts",
    "approval": "Approval requests",
    "ban": "Bans",
    "campaign": "Campaigns",
    "closure": "Closure days",
    "comment": "Comments",
    "emergency": "Emergencies",
    "evaluation": "Evaluations",
    "goal": "Goals",
    "group_update": "Emergency group updates",
    "key_contact": "Key contacts",
    "metric_snapshot": "Monthly metrics",
    "ministry": "Ministries",
    "person": "People",
    "settings": "Policy settings",
    "strike": "Strikes",
}

# Fields not worth a word: internal keys, and times every change moves.
_QUIET = frozenset({"id", "version", "updated_at", "created_at", "hash", "prev_hash"})
_VALUE_LIMIT = 60


def action_text(action: str) -> str:
    return ACTIONS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


def kind_text(entity_type: str) -> str:
    return KINDS.get(entity_type) or entity_type.replace("_", " ").capitalize()


def field_text(key: str) -> str:
    """'government_email' -> 'government e-mail'; '..._id' keys name the record they point to."""
    words = key.removesuffix("_id").replace("_", " ")
    return words.replace("email", "e-mail")


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return f"{len(value)} values"
    text = str(value)
    if isinstance(value, str) and value.islower() and " " not in value:
        text = value.replace("_", " ")  # a stored choice: "changes_requested"
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def changes(
    before: dict[str, Any], after: dict[str, Any], names: Mapping[str, str] | None = None
) -> list[str]:
    """One line per field the event touched: 'status: proposed → active'. A field holding a
    record's id reads as that record's name (from ``names``), or is left out."""
    names = names or {}

    def shown(key: str, value: Any) -> str | None:
        if _looks_like_id(value):
            return names.get(value)
        return value_text(value)

    lines = []
    for key in sorted(set(before) | set(after)):
        if key in _QUIET:
            continue
        old, new = shown(key, before.get(key)), shown(key, after.get(key))
        if (key in before and old is None) or (key in after and new is None):
            continue  # an id with no name to show
        name = field_text(key)
        if key in before and key in after:
            if before[key] == after[key]:
                continue
            lines.append(f"{name}: {old} → {new}")
        elif key in after:
            if after[key] in (None, "", [], {}):
                continue  # nothing set: nothing to say
            lines.append(f"{name}: {new}")
        else:
            lines.append(f"{name}: {old} (removed)")
    return lines


def _looks_like_id(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 36 and value.count("-") == 4


def sentence(action: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """What happened, in one sentence: the action, and the one detail that matters most."""
    text = action_text(action)
    if action == "account.status" and "status" in after:
        was = f" from {value_text(before['status'])}" if "status" in before else ""
        return f"Changed the account's status{was} to {value_text(after['status'])}"
    if action in ("account_role.grant", "role.grant") and "role" in after:
        return f"Granted the {value_text(after['role']).capitalize()} role"
    if action.startswith("approval.") and after.get("step"):
        text += f" (step: {after['step']})"
    if action.startswith("approval.") and after.get("comment"):
        text += f": “{value_text(after['comment'])}”"
    if action == "demo.seed" and "rows" in after:
        return f"Loaded demo data ({after['rows']:,} rows)"
    if action.endswith((".edit", ".update", ".roles")):
        fields = [line.split(":")[0] for line in changes(before, after)]
        if fields:
            shown = ", ".join(fields[:3]) + (
                f" and {len(fields) - 3} more" if len(fields) > 3 else ""
            )
            text += f": {shown}"
    return text
