"""Hubs on a throwaway cluster, replicas in tmp, the cast with their own hub logins."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from desktop.hub import changes, invariants, roles
from desktop.models import Person
from desktop.services.context import ServiceContext
from desktop.storage.auditlog.verify import verify
from desktop.storage.database import Database, open_database
from desktop.sync import replica
from desktop.sync import rows as R
from desktop.sync.engine import Syncer, hub_engine
from tests.hub.conftest import Hub, _cast
from tests.sync.pgcluster import Cluster

PREFIX = "smgov"


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    try:
        c = Cluster()
    except (FileNotFoundError, OSError) as exc:
        reason = f"no initdb to make a throwaway PostgreSQL cluster: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    c.start()
    yield c
    c.destroy()


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SyncHub:
    cluster: Cluster
    url: str  # as the DBA
    hub: Hub
    replicas: list[Database] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    def login(self, key: str) -> str:
        return self.hub.logins[key]

    def url_as(self, key: str, port: int | None = None) -> str:
        u = make_url(self.url).set(username=self.login(key))
        if port is not None:
            u = u.set(port=port)
        return u.render_as_string(hide_password=False)

    def hub_as(self, key: str, port: int | None = None) -> Engine:
        engine = hub_engine(self.url_as(key, port), timeout=3)
        self.engines.append(engine)
        return engine

    def replica(self, key: str, path: Path) -> tuple[Database, Syncer]:
        hub = self.hub_as(key)
        db = replica.create(hub, path)
        self.replicas.append(db)
        return db, Syncer(db.engine, hub)

    def ctx(self, db: Database) -> ServiceContext:
        return ServiceContext(db, clock=now)

    def person(self, key: str) -> Person:
        return self.hub.people[key]


def make_hub(cluster: Cluster) -> SyncHub:
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    name = f"hub_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(cluster.url).set(database=name).render_as_string(hide_password=False)
    db = open_database(url)
    with db.engine.begin() as conn:
        roles.provision_roles(conn, PREFIX)
        changes.provision_change_feed(conn, PREFIX)
        invariants.provision_invariants(conn, PREFIX)
    from tests.factories import ROLE_CAST

    logins = {key: f"{PREFIX}u_{key}" for key in ROLE_CAST}
    h = Hub(url, PREFIX, db, logins)
    _cast(h)
    return SyncHub(cluster, url, h)


@pytest.fixture
def sync_hub(cluster: Cluster) -> Iterator[SyncHub]:
    h = make_hub(cluster)
    yield h
    for db in h.replicas:
        db.dispose()
    for e in h.engines:
        e.dispose()
    h.hub.db.dispose()
    for e in h.hub.engines.values():
        e.dispose()


def contents(engine: Engine) -> dict[str, list[str]]:
    """Every replicated table's rows, as sorted canonical JSON (the export that must match)."""
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in R.tables_by_name().values():
            out[table.name] = sorted(
                R.dumps(R.encode(table, r)) for r in conn.execute(select(table)).mappings()
            )
    return out


def verify_ok(engine: Engine) -> Any:
    from sqlalchemy.orm import Session

    with Session(bind=engine) as session:
        report = verify(session)
    if not report.ok:
        from desktop.storage.auditlog import digests
        from desktop.sync.rows import tables_by_name

        extra = [*_unbalanced(engine)]
        for change in report.records:
            extra.append(record_history(engine, change.table, change.record_id))
            table = tables_by_name()[change.table]
            with engine.connect() as conn:
                rows = {
                    digests.record_id(table, r): digests.row_digest(table, r)
                    for r in conn.execute(select(table)).mappings()
                }
            extra.append(f"live digest {rows.get(change.record_id, '')[:8]}")
            if engine.dialect.name == "sqlite":
                extra.extend(_conflicts_of(engine, table, change.record_id))
        raise AssertionError(f"{engine.url}: " + report.message + "\n" + "\n".join(extra))
    return report


def record_history(engine: Engine, table_name: str, rid: str) -> str:
    """The log's entries for one record in branch order (what a failing verify names)."""
    from desktop.models import AuditEvent

    lines = ["(in the order the events were written here)"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                AuditEvent.seq,
                AuditEvent.origin,
                AuditEvent.origin_seq,
                AuditEvent.actor_login,
                AuditEvent.action,
                AuditEvent.records,
            ).order_by(
                text("rowid") if engine.dialect.name == "sqlite" else AuditEvent.seq.nulls_last()
            )
        ).all()
        for seq, origin, oseq, actor, action, records in rows:
            for e in json.loads(records or "[]"):
                if e[0] == table_name and e[1] == rid:
                    lines.append(
                        f"#{seq} {origin[:6]}:{oseq} {actor} {action} {e[2][:8]}→{e[3][:8]}"
                    )
    return "\n".join(lines)


def _unbalanced(engine: Engine) -> list[str]:
    """Records whose log entries do not add up to their live digest."""
    from desktop.models import AuditEvent
    from desktop.storage.auditlog import digests
    from desktop.storage.auditlog.hashing import SET_MODULUS, term
    from desktop.sync.rows import tables_by_name

    sums: dict[tuple[str, str], int] = {}
    with engine.connect() as conn:
        for (records,) in conn.execute(select(AuditEvent.records)):
            for e in json.loads(records or "[]"):
                if e[1] == "*":
                    continue
                k = (e[0], e[1])
                d = (term(e[0], e[1], e[3]) if e[3] else 0) - (
                    term(e[0], e[1], e[2]) if e[2] else 0
                )
                sums[k] = (sums.get(k, 0) + d) % SET_MODULUS
        out = []
        for name in {k[0] for k in sums}:
            table = tables_by_name()[name]
            live = {
                digests.record_id(table, r): digests.row_digest(table, r)
                for r in conn.execute(select(table)).mappings()
            }
            for (t, rid), total in sums.items():
                if t == name and total != (term(t, rid, live[rid]) if rid in live else 0):
                    out.append(f"unbalanced {t} {rid}")
                    out.append(record_history(engine, t, rid))
                    out.append(f"live {live.get(rid, '')[:8]}")
    return out


def _conflicts_of(engine: Engine, table: Any, rid: str) -> list[str]:
    from desktop.storage.auditlog import digests
    from desktop.sync.tables import sync_conflicts

    out = []
    with engine.connect() as conn:
        for c in conn.execute(select(sync_conflicts)).mappings():
            key = R.key_values(table, c["row_key"]) if c["table_name"] == table.name else None
            if key is None or digests.record_id(table, key) != rid:
                continue
            theirs = json.loads(c["theirs"])
            mine = json.loads(c["mine"])
            d_t = digests.row_digest(table, R.decode(table, theirs))[:8] if theirs else ""
            d_m = digests.row_digest(table, R.decode(table, mine))[:8] if mine else ""
            out.append(
                f"conflict {c['id']} since {c['since_origin_seq']} mine {d_m} theirs {d_t} "
                f"{c['resolution']} at {c['resolved_at']}"
            )
    return out
