"""A PostgreSQL cluster of a test's own, to freeze (SIGSTOP) or stop — never the shared server.

``initdb`` and ``pg_ctl`` run as the ``postgres`` account (when the tests run as root) in a
fresh folder, listening on a free port of 127.0.0.1 only.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/smgov"

    def pids(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
        found = [postmaster]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == postmaster:
                found.append(int(entry.name))
        return found

    def signal_all(self, sig: signal.Signals) -> None:
        for pid in self.pids():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                continue

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Every process of the cluster stopped (the kernel still answers TCP), then resumed."""
        self.signal_all(signal.SIGSTOP)
        try:
            yield
        finally:
            self.signal_all(signal.SIGCONT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        pytest.skip("initdb/pg_ctl are not installed")
    folder = Path(tempfile.mkdtemp(prefix="smgov-cluster-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    port = _free_port()
    subprocess.run(
        _as_postgres("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            "pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"
        ),
        check=True,
        capture_output=True,
    )
    cluster = Cluster(folder, port)
    try:
        subprocess.run(
            _as_postgres("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "smgov"),
            check=True,
            capture_output=True,
        )
        yield cluster
    finally:
        cluster.signal_all(signal.SIGCONT)
        subprocess.run(
            _as_postgres("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
