"""Full export and import of everything, the audit log included (docs/data-format.md).

Both stream: the export writes row by row from a server-side cursor, the import reads row by
row and writes in batches inside one transaction. An import is a pipeline per row — parse the
values (``columns``), run the checks (``checks``: keys, references, the audit chain), write
(``load``) — and commits only after every row passed and every check had its last word, so a
bad file is refused with the JSON path of its first bad value and leaves nothing behind.
"""

from __future__ import annotations

import gc
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.errors import Cancelled, DomainError
from desktop.services import audit
from desktop.services.authz import Permission, require
from desktop.services.context import ServiceContext, resolve_actor
from desktop.services.import_check import restore_allowed
from desktop.services.transfer import checks as checks_module
from desktop.services.transfer.checks import RowCheck
from desktop.services.transfer.columns import ImportRefused, parse_row
from desktop.services.transfer.export import FORMAT, FORMAT_VERSION, tables, write_document
from desktop.services.transfer.load import ImportSummary, Loader, Touch
from desktop.services.transfer.reader import Header, Row, TableStart, read_export
from desktop.storage.auditlog.baseline import vouch_tables
from desktop.storage.auditlog.digests import record_tables
from desktop.storage.bulk_load import bulk_load, page_cache

PROGRESS_EVERY = 5000

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
# Builds the checks of one import; the default is ``checks.standard_checks``.
ChecksFactory = Callable[[], Sequence[RowCheck]]


class TransferService:
    def __init__(self, ctx: ServiceContext, checks: ChecksFactory | None = None) -> None:
        self.ctx = ctx
        self._checks = checks or checks_module.standard_checks

    # -- export ----------------------------------------------------------------------------

    def export_file(
        self,
        path: Path,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
        *,
        name_server: bool = False,
    ) -> int:
        """Write the export next to ``path`` and move it there once complete. Its "source"
        names the database without the server unless ``name_server`` (never a password)."""
        tmp = path.with_name(path.name + ".part")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                count = self.export_to(fh, progress, cancelled, name_server=name_server)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return count

    def export_to(
        self,
        fh: IO[str],
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
        *,
        name_server: bool = False,
    ) -> int:
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
            require(actor.roles, Permission.EXPORT)
            head = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "exported_at": self.ctx.now().astimezone(UTC).isoformat(),
                "exported_by": actor.login,
                "source": self.ctx.db.label if name_server else self.ctx.db.name,
            }
            return write_document(session, fh, head, progress, cancelled)

    # -- import ----------------------------------------------------------------------------

    def import_file(
        self,
        path: Path,
        *,
        allow_non_empty: bool = False,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ImportSummary:
        try:
            raw = path.open("rb")
        except FileNotFoundError as exc:
            raise DomainError(f"The file {path} does not exist.") from exc
        size = path.stat().st_size
        with raw, io.TextIOWrapper(raw, encoding="utf-8-sig") as fh:

            def read_so_far() -> tuple[int, int]:
                return raw.tell() // 1024, size // 1024

            return self._import(fh, path.name, allow_non_empty, progress, cancelled, read_so_far)

    def verify_file(self, path: Path, cancelled: IsCancelled | None = None) -> int:
        """Run every check of an import over the file and write nothing; the rows it holds.

        For a check that must pass before anything is written at all (not only before the
        commit): verify first, then import.
        """
        with self.ctx.read() as session:
            require(resolve_actor(session, self.ctx.login).roles, Permission.EXPORT)
        summary = ImportSummary()
        pipeline = _Pipeline(None, summary, self._checks())
        try:
            with path.open(encoding="utf-8-sig") as fh, _cycle_collection_paused():
                for n, event in enumerate(read_export(fh), 1):
                    pipeline.take(event)
                    if n % PROGRESS_EVERY == 0 and cancelled and cancelled():
                        raise Cancelled
                pipeline.finish()
        except FileNotFoundError as exc:
            raise DomainError(f"The file {path} does not exist.") from exc
        except UnicodeDecodeError as exc:
            raise ImportRefused("$", "the file is not UTF-8 text.") from exc
        return summary.rows

    def import_stream(
        self,
        fh: TextIO,
        *,
        name: str = "the file",
        allow_non_empty: bool = False,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ImportSummary:
        return self._import(fh, name, allow_non_empty, progress, cancelled, None)

    def import_document(
        self, document: Any, *, allow_non_empty: bool = False, progress: Progress | None = None
    ) -> ImportSummary:
        """A document already in memory (tests, small tools): imported as if read from a file."""
        return self.import_stream(
            io.StringIO(json.dumps(document)), allow_non_empty=allow_non_empty, progress=progress
        )

    def _import(
        self,
        fh: TextIO,
        name: str,
        allow_non_empty: bool,
        progress: Progress | None,
        cancelled: IsCancelled | None,
        position: Callable[[], tuple[int, int]] | None,
    ) -> ImportSummary:
        with self.ctx.read() as session:
            merge = _has_data(session, allow_non_empty)
        try:
            with _cycle_collection_paused():
                if merge:
                    return self._merge(fh, name, progress, cancelled, position)
                return self._restore(fh, progress, cancelled, position)
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                "$", f"the file is not UTF-8 text (byte {exc.start} of a chunk cannot be read)."
            ) from exc
        except IntegrityError as exc:
            # A safety net: the checks should have named the row. Never print the values.
            constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
            raise DomainError(
                "The file's records clash with records in this database"
                + (f" ({constraint})" if constraint else "")
                + "; nothing was imported."
            ) from None

    def _merge(
        self,
        fh: TextIO,
        name: str,
        progress: Progress | None,
        cancelled: IsCancelled | None,
        position: Callable[[], tuple[int, int]] | None,
    ) -> ImportSummary:
        """Into a database with data, as the importing person with their own rights."""
        with self.ctx.write() as work, page_cache(work.session):
            # A merge adds people, roles and settings: an administrator's decision.
            require(work.actor.roles, Permission.IMPORT)
            summary = ImportSummary(merge=True)
            pipeline = _Pipeline(work.session, summary, self._checks(), touch=work.touch)
            _run(pipeline, fh, summary, progress, cancelled, position)
            work.audit("data.import_merge", "database", "-", after=summary.audit_record(name))
            return summary

    def _restore(
        self,
        fh: TextIO,
        progress: Progress | None,
        cancelled: IsCancelled | None,
        position: Callable[[], tuple[int, int]] | None,
    ) -> ImportSummary:
        """Into an empty database: the file's log verbatim, then one event by the importing
        person, who must be an active administrator in the file (or it is demo data)."""
        login = self.ctx.login
        rights = _RestoreRights(login)
        with self.ctx.db.write() as session, bulk_load(session):
            summary = ImportSummary()
            pipeline = _Pipeline(session, summary, [*self._checks(), rights])
            _run(pipeline, fh, summary, progress, cancelled, position)
            vouch_tables(session, record_tables())
            person = rights.person()
            audit.append(
                session,
                at=self.ctx.now(),
                actor_id=person.get("id") if person else None,
                actor_login=login,
                action="data.restore",
                entity_type="database",
                entity_id="-",
                after={"rows": summary.rows},
            )
            return summary


def _run(
    pipeline: _Pipeline,
    fh: TextIO,
    summary: ImportSummary,
    progress: Progress | None,
    cancelled: IsCancelled | None,
    position: Callable[[], tuple[int, int]] | None,
) -> None:
    for n, event in enumerate(read_export(fh), 1):
        pipeline.take(event)
        if n % PROGRESS_EVERY == 0:
            if cancelled and cancelled():
                raise Cancelled
            if progress:
                progress(*(position() if position else (summary.rows, 0)))
    pipeline.finish()
    if progress and position:
        progress(*position())


class _RestoreRights:
    """Who may restore a file into an empty database (``import_check.restore_allowed``),
    decided as soon as the file's people, roles and settings have been read."""

    TABLES = ("people", "person_roles", "settings")

    def __init__(self, login: str) -> None:
        self.login = login
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in self.TABLES}
        self._last = max(i for i, t in enumerate(tables()) if t.name in self.TABLES)
        self._order = {t.name: i for i, t in enumerate(tables())}
        self._decided = False
        self._person: Any = None

    def row(self, table: Table, path: str, index: int, row: dict[str, Any]) -> None:
        if table.name in self.rows:
            self.rows[table.name].append(row)
        elif not self._decided and self._order.get(table.name, 0) > self._last:
            self._decide()

    def finish(self) -> None:
        if not self._decided:
            self._decide()

    def person(self) -> Any:
        self.finish()
        return self._person

    def _decide(self) -> None:
        self._person = restore_allowed(self.rows, self.login)
        self._decided = True


class _Pipeline:
    """One import's state: the header checked before the first table, each row parsed,
    checked and handed to the loader."""

    def __init__(
        self,
        session: Session | None,
        summary: ImportSummary,
        checks: Sequence[RowCheck],
        touch: Touch | None = None,
    ) -> None:
        self.summary = summary
        self.checks = checks
        # No session: a verification that reads the whole file and writes nothing.
        self.loader = Loader(session, summary, touch=touch) if session is not None else None
        self.known = {t.name: (i, t) for i, t in enumerate(tables())}
        self.head: dict[str, Any] = {}
        self.head_checked = False
        self.seen: set[str] = set()
        self.order = -1
        self.table: Table | None = None
        self.path = ""

    def take(self, event: Header | TableStart | Row) -> None:
        if isinstance(event, Row):
            assert self.table is not None
            row = parse_row(self.table, event.raw, self.path, event.index)
            for check in self.checks:
                check.row(self.table, self.path, event.index, row)
            if self.loader is not None:
                self.loader.add(self.table, row)
            self.summary.rows += 1
        elif isinstance(event, TableStart):
            self._start_table(event.name)
        else:
            if self.head_checked and event.key in ("format", "format_version"):
                raise ImportRefused(f"$.{event.key}", "must come before the tables.")
            self.head[event.key] = event.value

    def _start_table(self, name: str) -> None:
        self._check_head()
        path = f"$.tables.{name}"
        if name not in self.known:
            raise ImportRefused(path, "is not a table this app knows.")
        if name in self.seen:
            raise ImportRefused(path, "appears twice.")
        order, table = self.known[name]
        if order < self.order:
            raise ImportRefused(
                path,
                "is out of order: tables must come in the order the app writes them (each "
                "after the tables it refers to).",
            )
        self.seen.add(name)
        self.order, self.table, self.path = order, table, path

    def _check_head(self) -> None:
        if self.head_checked:
            return
        if self.head.get("format") != FORMAT:
            raise ImportRefused(
                "$.format", f"expected {FORMAT!r}; this is not a smgov-desk export."
            )
        version = self.head.get("format_version")
        if version != FORMAT_VERSION:
            raise ImportRefused(
                "$.format_version",
                f"version {version!r} is not supported (this app reads {FORMAT_VERSION}).",
            )
        self.head_checked = True

    def finish(self) -> None:
        if not self.seen:
            self._check_head()
            if "tables" not in self.head:
                raise ImportRefused("$.tables", "must be an object of table name → list of rows.")
        if self.loader is not None:
            self.loader.flush()
        for check in self.checks:
            check.finish()


def _has_data(session: Session, allow_non_empty: bool) -> bool:
    """True for a merge; refuses a database with data unless merging was asked for."""
    existing = sum(session.scalar(select(func.count()).select_from(t)) or 0 for t in tables())
    if existing and not allow_non_empty:
        raise DomainError(
            "This database already has data; import into an empty database, or "
            "allow merging explicitly (smgov import --merge)."
        )
    return bool(existing)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is read and written.

    The import creates millions of short-lived objects, none in a reference cycle; each full
    collection would walk the key sets held for the reference checks, and hold the GIL
    meanwhile, stalling the GUI thread too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
