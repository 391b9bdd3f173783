"""What the Compliance tab last showed, kept on this workstation so the next start shows it at
once: the checks take a second or more on a branch's biggest database (and longer across a
WAN), and the tab is the first thing people see.

The tab shows the kept run under its own "Checked …" time while the checks run again, then
replaces it. One JSON file per database and login in the app's data folder (a person with
other roles sees other findings); never in the database: it is this workstation's view, not a
record. A file that cannot be read, or was written by another version of the app, is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.enums import Platform, Severity
from desktop.policy.findings import Finding, summarize
from desktop.services.choices import Choice
from desktop.services.compliance import ComplianceKpis, ComplianceOverview
from desktop.services.context import ServiceContext
from desktop.services.finding_scope import FindingScope, SubjectKey
from desktop.storage.paths import app_paths
from desktop.version import app_version

FOLDER = "last-checks"
FORMAT = 1


@dataclass(frozen=True)
class ChecksShown:
    """Everything the tab shows of one run of the checks."""

    overview: ComplianceOverview
    scopes: dict[SubjectKey, FindingScope]
    ministries: list[Choice]
    timezone: str


def kept_file(ctx: ServiceContext) -> Path:
    """The file of this database (its URL without a password) and this login."""
    where = ctx.db.url.render_as_string(hide_password=True)
    if ctx.db.is_sqlite and ctx.db.url.database:
        where = str(Path(ctx.db.url.database).resolve())
    digest = hashlib.sha256(f"{where}\n{ctx.login}".encode()).hexdigest()[:32]
    return app_paths().data_dir / FOLDER / f"{digest}.json"


def keep(ctx: ServiceContext, shown: ChecksShown) -> None:
    """Write the run for the next start; written whole (a new file moved over the old one)."""
    path = kept_file(ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(_to_json(shown), separators=(",", ":")), encoding="utf-8")
    os.replace(partial, path)


def kept(ctx: ServiceContext) -> ChecksShown | None:
    """The run kept for this database and login, or None (none kept, unreadable, another
    version's)."""
    try:
        data = json.loads(kept_file(ctx).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != app_version():
            return None
        return _from_json(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def forget(ctx: ServiceContext) -> None:
    """Drop the kept run (the person may no longer read the findings)."""
    with contextlib.suppress(OSError):
        kept_file(ctx).unlink()


def _to_json(shown: ChecksShown) -> dict[str, Any]:
    overview = shown.overview
    return {
        "format": FORMAT,
        "version": app_version(),
        "as_of": overview.as_of.isoformat(),
        "findings": [f.to_json() for f in overview.findings],
        "kpis": vars(overview.kpis),
        "scopes": [
            [kind, key, sorted(scope.ministries), sorted(p.value for p in scope.platforms)]
            for (kind, key), scope in shown.scopes.items()
        ],
        "ministries": [
            [str(c.id), c.label, c.detail, c.key, str(c.ministry_id or "")]
            for c in shown.ministries
        ],
        "timezone": shown.timezone,
    }


def _from_json(data: dict[str, Any]) -> ChecksShown:
    findings = [
        Finding(
            code=f["code"],
            severity=Severity(f["severity"]),
            subject_type=f["subject_type"],
            subject_id=f["subject_id"],
            subject_label=f["subject_label"],
            message=f["message"],
            remedy=f["remedy"],
            since=datetime.fromisoformat(f["since"]) if f["since"] else None,
        )
        for f in data["findings"]
    ]
    as_of = datetime.fromisoformat(data["as_of"])
    overview = ComplianceOverview(
        as_of, findings, summarize(findings), ComplianceKpis(**data["kpis"])
    )
    scopes = {
        (kind, key): FindingScope(frozenset(ministries), frozenset(map(Platform, platforms)))
        for kind, key, ministries, platforms in data["scopes"]
    }
    ministries = [
        Choice(uuid.UUID(id_), label, detail, key, uuid.UUID(of) if of else None)
        for id_, label, detail, key, of in data["ministries"]
    ]
    return ChecksShown(overview, scopes, ministries, str(data["timezone"]))
