"""Figure 10: a workstation that keeps a replica, with its hub across the provincial WAN.

10a–10f: the GUI's actions (figure 8's: start → data, the Compliance tab, the Comments tab,
selecting a comment, a search, all checks) on the replica, against the same actions on a plain
local file holding the same data, in one run: a replica is a local SQLite file, so the link
plays no part (budget: within 10 % of the local figure). The proxy counts the round trips
each action makes to the hub: none.

10g–10h: sync through a loopback proxy that delays every byte 10 ms each way (a 20 ms round
trip, ``benchmarks.wan_proxy``), against the same sync direct to the server: a cycle with
nothing to do (push, then pull), and a push of 100 comments logged on the replica. Their
round trips are in the notes.

The hub is a throwaway PostgreSQL cluster of the figure's own (the tests' ``Cluster``, on a
free port of 127.0.0.1, removed afterwards; the shared server is never touched), holding the
small demo (2,000 comments), loaded as figure 9 loads the large one; round trips, not rows,
are what the link costs.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import BenchEnv, Budget, Result, child_main, clocked, log
from benchmarks.database import DATA_DIR, admin_login, remove_database
from benchmarks.first_sync import load_hub
from benchmarks.wan import DELAY_MS, _actions, _median
from benchmarks.wan_proxy import WanProxy

PUSHED = 100


def _small_demo(path: Path, env: BenchEnv) -> str:
    """The small demo in a new local file; its administrator's login."""
    from desktop.services.demo import generate_demo
    from desktop.storage.database import open_database

    remove_database(path)
    db = open_database(path)
    try:
        log(generate_demo(db, size="small", as_of=env.as_of_time))
    finally:
        db.dispose()
    return admin_login(path)


def _on_port(url: str, port: int) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(port=port).render_as_string(hide_password=False)


def _gui_actions(
    env: BenchEnv, local: Path, replica_path: Path, login: str, proxy: WanProxy
) -> list[Result]:
    """Each action on the local file, then on the replica, round after round (so a busy
    moment of the machine falls on both), after a garbage collection outside the timing:
    these take milliseconds, so at least 5 rounds."""
    where = {"local": local, "replica": replica_path}
    actions = {name: _actions(env, str(path), login, before=False) for name, path in where.items()}
    labels = list(actions["local"])
    figures: dict[tuple[str, str], list[float]] = {}
    trips = dict.fromkeys(labels, 0)
    for round_ in range(max(env.repeats, 5) + 1):  # the first round warms the caches
        for label in labels:
            for name in where:
                gc.collect()  # a full collection falls on either side by chance otherwise
                counted = proxy.round_trips
                seconds, _value = clocked(actions[name][label])
                if name == "replica":
                    trips[label] += proxy.round_trips - counted
                if round_:
                    figures.setdefault((name, label), []).append(seconds * 1000)
    return [
        Result(
            figure=f"10{'abcdef'[n]}",
            name=f"On a replica: {label}",
            unit="ms",
            samples=figures[("replica", label)],
            baseline_samples=figures[("local", label)],
            baseline_name="the same on a plain local file",
            budget=Budget(max_ratio=1.1),
            note=f"{trips[label]} round trips to the hub",
        )
        for n, label in enumerate(labels)
    ]


def _sync(
    env: BenchEnv, replica_path: Path, hub_url: str, wan_url: str, proxy: WanProxy
) -> list[Result]:
    from sqlalchemy import select

    from desktop.models import Account
    from desktop.services.comments import CommentService
    from desktop.services.context import ServiceContext
    from desktop.storage.database import open_database
    from desktop.sync.engine import Syncer, hub_engine

    db = open_database(replica_path)
    hubs = {"direct": hub_engine(hub_url), "wan": hub_engine(wan_url)}
    try:
        ctx = ServiceContext(db, clock=lambda: env.as_of_time)
        with db.read() as session:
            account = session.scalars(select(Account.id).order_by(Account.handle)).first()
        service = CommentService(ctx)
        syncers = {link: Syncer(db.engine, hub) for link, hub in hubs.items()}
        for syncer in syncers.values():
            syncer.sync_once()  # connects, and brings what is waiting
        idle: dict[str, list[float]] = {}
        push: dict[str, list[float]] = {}
        trips: dict[str, int] = {}
        n = 0

        def log_comments() -> None:
            nonlocal n
            for _ in range(PUSHED):
                n += 1
                service.log(
                    account,
                    env.as_of_time - timedelta(minutes=1),
                    f"When does the clinic open? (benchmark comment {n})",
                )

        def pushed(syncer: Syncer) -> Callable[[], Any]:
            def run() -> Any:
                report, _pulled = syncer.sync_once()
                if report.pushed < PUSHED:
                    raise RuntimeError(f"pushed {report.pushed} of {PUSHED} changes")
                return report

            return run

        for round_ in range(env.repeats + 1):
            for link, syncer in syncers.items():
                counted = proxy.round_trips
                seconds, _ = clocked(syncer.sync_once)
                if round_:
                    idle.setdefault(link, []).append(seconds * 1000)
                    if link == "wan":
                        trips["idle"] = proxy.round_trips - counted
                log_comments()
                counted = proxy.round_trips
                seconds, _ = clocked(pushed(syncer))
                if round_:
                    push.setdefault(link, []).append(seconds * 1000)
                    if link == "wan":
                        trips["push"] = proxy.round_trips - counted
        log(f"sync: idle {_median(idle['wan']):.0f} ms, push {_median(push['wan']):.0f} ms")
    finally:
        for hub in hubs.values():
            hub.dispose()
        db.dispose()
    return [
        Result(
            figure="10g",
            name="Replica, 20 ms WAN: a sync cycle with nothing to do",
            unit="ms",
            samples=idle["wan"],
            baseline_samples=idle["direct"],
            baseline_name="the same, direct to the server",
            note=f"{trips['idle']} round trips",
        ),
        Result(
            figure="10h",
            name=f"Replica, 20 ms WAN: a push of {PUSHED} new comments (and the pull after)",
            unit="ms",
            samples=push["wan"],
            baseline_samples=push["direct"],
            baseline_name="the same, direct to the server",
            note=f"{trips['push']} round trips",
        ),
    ]


def measure(env: BenchEnv) -> list[Result]:
    from desktop.sync import replica
    from desktop.sync.engine import hub_engine
    from tests.sync.pgcluster import Cluster

    cluster = Cluster()
    cluster.start()
    work = DATA_DIR / "replica-use"
    work.mkdir(parents=True, exist_ok=True)
    local = work / "local.sqlite3"
    replica_path = work / "replica.sqlite3"
    try:
        login = _small_demo(local, env)
        hub_url, _counts = load_hub(cluster, local, login)
        with WanProxy(("127.0.0.1", cluster.port), DELAY_MS) as proxy:
            wan_url = _on_port(hub_url, proxy.port)
            remove_database(replica_path)
            hub = hub_engine(wan_url)
            try:
                seconds, made = clocked(lambda: replica.create(hub, replica_path))
                made.dispose()
            finally:
                hub.dispose()
            log(f"replica made through the WAN in {seconds:.1f} s")
            results = _gui_actions(env, local, replica_path, login, proxy)
            results += _sync(env, replica_path, hub_url, wan_url, proxy)
        return results
    finally:
        for path in (local, replica_path):
            remove_database(path)
        cluster.destroy()


if __name__ == "__main__":
    child_main(measure)
