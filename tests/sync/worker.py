"""One replica in a process of its own for the convergence test: random operations, going
offline and online at random (its own loopback proxy refuses and drops connections), syncing
when it can. Writes what it did to a JSON file.

    python -m tests.sync.worker REPLICA HUB_URL CLUSTER_PORT SEED OPS OUT.json
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from desktop.enums import PageRole, ResponseMethod
from desktop.errors import SmgovError
from desktop.models import Account, Comment, Person
from desktop.services.accounts import AccountInput, AccountService
from desktop.services.comments import CommentService
from desktop.services.context import ServiceContext
from desktop.services.roles import RoleService
from desktop.storage.database import open_database
from desktop.sync import resolve
from desktop.sync.engine import Syncer, hub_engine
from tests.sync.proxy import Proxy


def now() -> datetime:
    return datetime.now(UTC)


def main(argv: list[str]) -> int:
    path, hub_url, port, seed, ops, out = argv
    rng = random.Random(int(seed))
    proxy = Proxy(int(port))
    hub = hub_engine(make_url(hub_url).set(port=proxy.port), timeout=2)
    db = open_database(Path(path))
    ctx = ServiceContext(db, clock=now)
    syncer = Syncer(db.engine, hub)
    did: dict[str, list[object]] = {
        "comments": [],
        "grants": [],
        "edits": [],
        "refused_locally": [],
        "sync_failures": [],
        "ops": [],
    }
    offline = False
    for n in range(int(ops)):
        if rng.random() < 0.15:
            offline = not offline
            proxy.refuse = offline
            if offline:
                proxy.drop_all()
        kind = rng.choice(
            ["log", "log", "edit", "edit", "ack", "respond", "grant", "sync", "sync", "sync"]
        )
        try:
            if kind == "log":
                with db.read() as s:
                    accounts = list(s.scalars(select(Account.id).order_by(Account.handle)))
                c = CommentService(ctx).log(
                    rng.choice(accounts), now() - timedelta(minutes=1), f"question {seed}-{n}"
                )
                did["comments"].append(str(c.id))
            elif kind == "edit":
                with db.read() as s:
                    accounts = list(s.scalars(select(Account).order_by(Account.handle)))
                acc = rng.choice(accounts[:2])  # every replica edits the same two accounts
                purpose = f"purpose {seed}-{n}"
                AccountService(ctx).edit(
                    acc.id,
                    AccountInput(
                        platform=acc.platform,
                        handle=acc.handle,
                        ministry_id=acc.ministry_id,
                        government_email=acc.government_email,
                        owner_id=acc.owner_id,
                        posting_tool=acc.posting_tool,
                        purpose=purpose,
                    ),
                )
                did["edits"].append([str(acc.id), purpose])
            elif kind == "grant":
                with db.read() as s:
                    people = list(s.scalars(select(Person.id).where(Person.kind == "employee")))
                    accounts = list(s.scalars(select(Account.id).order_by(Account.handle)))
                RoleService(ctx).grant(
                    rng.choice(people), rng.choice(accounts), rng.choice(list(PageRole))
                )
                did["grants"].append(kind)
            elif kind in ("ack", "respond"):
                with db.read() as s:
                    found = list(
                        s.scalars(
                            select(Comment).where(Comment.status.in_(["new", "acknowledged"]))
                        )
                    )
                if found:
                    c = rng.choice(found)
                    service = CommentService(ctx)
                    if kind == "ack" and c.status.value == "new":
                        service.acknowledge(c.id)
                    else:
                        service.respond(
                            c.id,
                            ResponseMethod.PUBLIC_ANSWER,
                            text=f"answer {seed}-{n}",
                            restricted_topics_cleared=True,
                            high_profile_referral=c.high_profile,
                        )
            else:
                syncer.sync_once()
            did["ops"].append(kind)
        except SmgovError as exc:
            target = "sync_failures" if kind == "sync" else "refused_locally"
            did[target].append(f"{kind}: {exc}")
        time.sleep(rng.random() * 0.05)
    # Back online: settle everything this replica knows of, keeping mine or theirs in turn.
    proxy.refuse = False
    for round_ in range(6):
        try:
            syncer.sync_once()
        except SmgovError as exc:
            did["sync_failures"].append(f"final: {exc}")
            time.sleep(0.5)
            continue
        for i, c in enumerate(resolve.open_conflicts(db.engine)):
            choice = resolve.KEEP_MINE if (i + round_) % 2 else resolve.KEEP_THEIRS
            resolve.resolve(db.engine, c["id"], choice, now())
    Path(out).write_text(json.dumps(did))
    hub.dispose()
    db.dispose()
    proxy.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
