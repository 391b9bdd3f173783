"""Figure 8: the shared PostgreSQL database across the provincial WAN.

The same user actions measured against the PostgreSQL server directly and through a loopback
proxy that delays every byte 10 ms each way (a 20 ms round trip, ``benchmarks.wan_proxy``),
in one run; the proxy counts the round trips of each action. Each action is also measured
"as before" this round — a ping before each checkout, every read in BEGIN … ROLLBACK, the
acting person and the settings read again by every call — so the difference is in the run.

The database is the small demo (2,000 comments) written into a scratch database on the
server at ``SMGOV_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``):
round trips, not rows, are what a WAN costs, and the large demo takes long to load into it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, clocked, log
from benchmarks.wan_proxy import WanProxy

DELAY_MS = 10.0
ADMIN_URL = os.environ.get("SMGOV_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _url(port: int, name: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(ADMIN_URL).set(drivername="postgresql+psycopg", port=port, database=name)
    if url.host not in ("127.0.0.1", "localhost"):
        raise SystemExit("Figure 8 runs only against a PostgreSQL server on 127.0.0.1.")
    return url.render_as_string(hide_password=False)


@contextmanager
def scratch_database(as_of: datetime) -> Iterator[tuple[str, str]]:
    """A new database on the server with the small demo in it, and an administrator's
    login to act as; dropped afterwards."""
    from sqlalchemy import create_engine, text

    from desktop.services.demo import generate_demo
    from desktop.storage.database import open_database

    name = f"smgov_bench_wan_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        port = admin.url.port or 5432
        db = open_database(_url(port, name))
        try:
            log(generate_demo(db, size="small", as_of=as_of))
            with db.read() as session:
                login = session.execute(
                    text(
                        "SELECT p.login FROM people p JOIN person_roles r ON r.person_id = p.id "
                        "WHERE r.role = 'admin' ORDER BY p.login LIMIT 1"
                    )
                ).scalar_one()
        finally:
            db.dispose()
        yield name, login
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _as_before(db: Any) -> None:
    """The database handle as it was before this round: ping on checkout, reads in a
    transaction (BEGIN … ROLLBACK)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from desktop.storage.database import READ_ONLY

    db.engine.dispose()
    engine = create_engine(db.url, pool_pre_ping=True)
    db.engine = engine
    db._write = sessionmaker(engine, expire_on_commit=False)
    db._read = db._quick = sessionmaker(
        engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
    )


def _actions(env: BenchEnv, url: str, login: str, before: bool) -> dict[str, Callable[[], object]]:
    """Each user action as the app runs it on a context of its own session."""
    from desktop.services import context as context_module
    from desktop.services.choices import ChoiceService
    from desktop.services.comment_log import CommentLogQuery, CommentLogService
    from desktop.services.compliance import ComplianceService
    from desktop.services.finding_scope import FindingScopeService
    from desktop.storage.database import open_database

    context_module.CACHE_SECONDS = 0.0 if before else 60.0
    as_of = env.as_of_time
    state: dict[str, Any] = {}

    def compliance_tab(ctx: Any) -> object:
        overview = ComplianceService(ctx).overview(as_of)
        subjects = {(f.subject_type, f.subject_id) for f in overview.findings}
        FindingScopeService(ctx).scopes(subjects)
        ChoiceService(ctx).ministries()
        return ctx.settings().timezone

    def start() -> object:
        if "db" in state:
            state["db"].dispose()
        db = open_database(url, migrate=True)
        if before:
            _as_before(db)
        ctx = context_module.ServiceContext(db, login)
        ctx.actor()  # who acts, as the window shows it
        state.update(db=db, ctx=ctx, log=CommentLogService(ctx))
        return compliance_tab(ctx)

    def comments_tab() -> object:
        query = CommentLogQuery()
        page = state["log"].page(query, as_of)
        state["first"] = page.rows[0].id
        return state["log"].count(query, as_of)

    def select_row() -> object:
        return state["log"].get(state["first"])

    def search() -> object:
        query = CommentLogQuery(search="wildfire")
        state["log"].page(query, as_of)
        return state["log"].count(query, as_of)

    def checks() -> object:
        return ComplianceService(state["ctx"]).run(as_of)

    return {
        "start → data (open, who acts, Compliance tab)": start,
        "Compliance tab": lambda: compliance_tab(state["ctx"]),
        "Comments tab: first page and count": comments_tab,
        "Select a comment (its detail)": select_row,
        "Search (a word) with its count": search,
        "All checks (smgov check)": checks,
    }


def measure(env: BenchEnv) -> list[Result]:
    from sqlalchemy.engine import make_url

    server_port = make_url(ADMIN_URL).port or 5432
    results: list[Result] = []
    proxy_to = ("127.0.0.1", server_port)
    with scratch_database(env.as_of_time) as (name, login), WanProxy(proxy_to, DELAY_MS) as proxy:
        figures: dict[tuple[str, str, str], list[float]] = {}
        trips: dict[tuple[str, str], int] = {}
        for mode in ("now", "before"):
            for link, port in (("direct", server_port), ("wan", proxy.port)):
                actions = _actions(env, _url(port, name), login, before=mode == "before")
                for _round in range(env.repeats + 1):  # the first round warms the caches
                    for label, action in actions.items():
                        counted = proxy.round_trips
                        seconds, _value = clocked(action)
                        if _round == 0:
                            continue
                        figures.setdefault((mode, link, label), []).append(seconds * 1000)
                        if link == "wan":
                            trips[(mode, label)] = proxy.round_trips - counted
                log(f"{mode}, {link}: done")
        labels = list(_actions(env, "", login, before=False))
        for n, label in enumerate(labels):
            direct = figures[("now", "direct", label)]
            wan = figures[("now", "wan", label)]
            old_wan = figures[("before", "wan", label)]
            old_direct = figures[("before", "direct", label)]
            budget = Budget(max_value=1500.0) if n == 0 else Budget(max_ratio=2.0)
            results.append(
                Result(
                    figure=f"8{'abcdefgh'[n]}",
                    name=f"Through a 20 ms WAN: {label}",
                    unit="ms",
                    samples=wan,
                    baseline_samples=direct,
                    baseline_name="the same, direct to the server",
                    budget=budget,
                    note=(
                        f"{trips[('now', label)]} round trips (before this round: "
                        f"{trips[('before', label)]}, {_median(old_wan):.0f} ms through the WAN, "
                        f"{_median(old_direct):.0f} ms direct)"
                    ),
                )
            )
    return results


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


if __name__ == "__main__":
    child_main(measure)
