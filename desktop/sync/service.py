"""What the app's views use of sync: is this a replica, its status, one round of sync, the
open conflicts field by field, and their resolution. Nothing here knows Qt."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from desktop.storage.database import Database
from desktop.sync import engine as E
from desktop.sync import resolve
from desktop.sync.replica import is_replica

# Columns a person does not decide on: shown greyed, not compared.
BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})


@dataclass(frozen=True)
class FieldDiff:
    name: str
    mine: str
    theirs: str

    @property
    def differs(self) -> bool:
        return self.mine != self.theirs


@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    title: str
    detected_at: datetime
    fields: list[FieldDiff]
    mine_exists: bool = True  # False: deleted here
    theirs_exists: bool = True  # False: deleted on the hub (then nothing to combine)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and _INSTANT.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:  # stored in UTC: shown so, without the seconds
            return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return str(value)


_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


_RECORD_NAMES = {
    "accounts": "Account",
    "account_roles": "Role on an account",
    "approvals": "Approval request",
    "campaigns": "Campaign",
    "comments": "Comment",
    "commenters": "Commenter",
    "emergencies": "Emergency",
    "goals": "Goal",
    "key_contacts": "Key contact",
    "ministries": "Ministry",
    "people": "Person",
    "responses": "Response",
    "settings": "Setting",
}


def _title(table: str, row: dict[str, Any] | None) -> str:
    """What a person calls the record: "Account @SKHealth", "Person “Pat Lee”"."""
    row = row or {}
    kind = _RECORD_NAMES.get(table, table.replace("_", " ").capitalize())
    if row.get("handle"):
        return f"{kind} @{str(row['handle'])[:40]}"
    for name in ("name", "title", "text", "key"):
        if row.get(name):
            return f"{kind} “{str(row[name])[:40]}”"
    return kind


def default_replica_path(hub_url: str) -> Path:
    """Where a workstation keeps its replica of a hub: one file per hub, in the data folder."""
    from desktop.storage.paths import app_paths

    u = make_url(hub_url)
    name = f"replica-{u.host or 'localhost'}-{u.port or 5432}-{u.database}.sqlite3"
    return app_paths().data_dir / name


def create_replica(
    hub_url: str,
    password: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    path: Path | None = None,
) -> Path:
    """Set up (or finish setting up) this workstation's replica of ``hub_url``: the password
    from the keyring when not given; returns the replica's file."""
    from desktop.sync import replica

    u = make_url(hub_url)
    if password is None and u.password is None and u.username:
        from desktop.storage.secrets import PasswordStore, keyring_account

        account = keyring_account(u.username, u.host or "localhost", u.port, u.database or "")
        password = PasswordStore().get(account)
    target = path or default_replica_path(hub_url)
    hub = E.hub_engine(u, password)
    try:
        replica.create(hub, target, progress).dispose()
    finally:
        hub.dispose()
    return target


class SyncService:
    def __init__(self, db: Database, password: str | None = None) -> None:
        self.db = db
        self._password = password
        self._hub: Engine | None = None
        self._syncer: E.Syncer | None = None

    def is_replica(self) -> bool:
        return self.db.is_sqlite and is_replica(self.db.engine)

    def status(self) -> E.Status:
        return E.status(self.db.engine)

    def _get_syncer(self) -> E.Syncer:
        if self._syncer is None:
            with self.db.engine.connect() as conn:
                url = E.get_state(conn, E.HUB_URL) or ""
                login = E.get_state(conn, E.HUB_LOGIN) or ""
            hub_url = make_url(url).set(username=login)
            password = self._password
            if password is None and hub_url.password is None:
                from desktop.storage.secrets import PasswordStore, keyring_account

                account = keyring_account(
                    login, hub_url.host or "localhost", hub_url.port, hub_url.database or ""
                )
                password = PasswordStore().get(account)
            self._hub = E.hub_engine(hub_url, password)
            self._syncer = E.Syncer(self.db.engine, self._hub)
        return self._syncer

    def sync_once(self) -> E.Status:
        """One push and pull; StorageUnavailable while the hub cannot be reached."""
        self._get_syncer().sync_once()
        return self.status()

    def mark_offline(self) -> None:
        self._get_syncer()._mark_offline()

    def conflicts(self) -> list[ConflictView]:
        out = []
        for c in resolve.open_conflicts(self.db.engine):
            mine = json.loads(c["mine"]) or {}
            theirs = json.loads(c["theirs"]) or {}
            names = sorted(set(mine) | set(theirs), key=lambda n: (n in BOOKKEEPING, n))
            names_of = self._labels(c["table_name"], mine, theirs)
            fields = [
                FieldDiff(
                    n,
                    names_of.get(str(mine.get(n)), _text(mine.get(n))),
                    names_of.get(str(theirs.get(n)), _text(theirs.get(n))),
                )
                for n in names
                if n not in BOOKKEEPING
            ]
            if not theirs:
                fields.append(FieldDiff("(record)", "kept here", "deleted on the hub"))
            out.append(
                ConflictView(
                    c["id"], c["table_name"], _title(c["table_name"], mine or theirs),
                    c["detected_at"], fields, bool(mine), bool(theirs),
                )
            )  # fmt: skip
        return out

    def _labels(self, table_name: str, *rows: dict[str, Any]) -> dict[str, str]:
        """id → what a person calls the record (a ministry's name, an account's handle) for
        the columns of ``table_name`` that refer to other records."""
        import uuid

        from sqlalchemy import select

        from desktop.sync.rows import tables_by_name

        table = tables_by_name().get(table_name)
        out: dict[str, str] = {}
        if table is None:
            return out
        with self.db.engine.connect() as conn:
            for column in table.columns:
                for fk in column.foreign_keys:
                    target = fk.column.table
                    for row in rows:
                        value = row.get(column.name)
                        if not value or str(value) in out:
                            continue
                        found = (
                            conn.execute(select(target).where(fk.column == uuid.UUID(str(value))))
                            .mappings()
                            .first()
                        )
                        if found is not None:
                            label = next(
                                (str(found[k]) for k in ("name", "handle", "title", "login")
                                 if found.get(k)),
                                str(value),
                            )  # fmt: skip
                            out[str(value)] = label
        return out

    def resolve(self, conflict_id: int, keep_mine: bool) -> None:
        choice = resolve.KEEP_MINE if keep_mine else resolve.KEEP_THEIRS
        resolve.resolve(self.db.engine, conflict_id, choice, datetime.now(UTC))

    def combine(self, conflict_id: int, theirs_fields: Collection[str]) -> None:
        """Keep this copy's version with ``theirs_fields`` taken from the hub's."""
        resolve.resolve(
            self.db.engine, conflict_id, resolve.COMBINE, datetime.now(UTC), theirs_fields
        )

    def close(self) -> None:
        if self._hub is not None:
            self._hub.dispose()
