"""Full JSON export and import: every table, the audit log included (docs/data-format.md).

An import is checked whole before anything is written: a malformed or inconsistent file is
refused with the JSON path of the first bad value and leaves the database untouched.
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    Float,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from desktop.errors import DomainError
from desktop.models import AuditEvent, Base
from desktop.models.base import UTCDateTime
from desktop.services import audit
from desktop.services.authz import Permission, require
from desktop.services.context import ServiceContext, resolve_actor
from desktop.services.import_check import TamperedFile, check_file, restore_allowed
from desktop.services.serialize import to_jsonable
from desktop.storage.auditlog.baseline import vouch_tables
from desktop.storage.auditlog.digests import record_tables

FORMAT = "smgov-desk-export"
FORMAT_VERSION = 2  # 2: two audit chains and record digests
BATCH = 5000
IMPORT_CACHE_KIB = 256 * 1024
METADATA_KEYS = ("exported_at", "exported_by", "source")

Progress = Callable[[int, int], None]


class ImportRefused(DomainError):
    """The file is not a valid export; ``path`` is the JSON path of the first bad value."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem} Nothing was imported.", field=path)
        self.path = path


def _tables() -> list[Table]:
    # The log travels; its bookkeeping (kept digests, this database's own facts) does not.
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.info.get("record_digest", True) or t.name == AuditEvent.__tablename__
    ]


def _order_by(table: Table) -> list[Any]:
    if table.name == AuditEvent.__tablename__:
        return [table.c.seq]
    return list(table.primary_key.columns)


class TransferService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- export ----------------------------------------------------------------------------

    def export_file(self, path: Path, progress: Progress | None = None) -> int:
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", encoding="utf-8") as fh:
            count = self.export_to(fh, progress)
        tmp.replace(path)
        return count

    def export_to(self, fh: IO[str], progress: Progress | None = None) -> int:
        """Stream the document table by table (the comment log can hold millions of rows)."""
        with self.ctx.read() as session:
            actor = resolve_actor(session, self.ctx.login)
            require(actor.roles, Permission.EXPORT)
            totals = {
                t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in _tables()
            }
            grand_total = sum(totals.values())
            head = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "exported_at": self.ctx.now().astimezone(UTC).isoformat(),
                "exported_by": actor.login,
                "source": self.ctx.db.label,
            }
            fh.write(json.dumps(head, indent=1)[:-2] + ',\n "tables": {')
            done = 0
            for t_index, table in enumerate(_tables()):
                fh.write(("," if t_index else "") + f"\n  {json.dumps(table.name)}: [")
                stmt = select(table).order_by(*_order_by(table)).execution_options(yield_per=BATCH)
                for r_index, row in enumerate(session.execute(stmt)):
                    data = {key: to_jsonable(value) for key, value in row._mapping.items()}
                    fh.write(
                        ("," if r_index else "")
                        + "\n   "
                        + json.dumps(data, sort_keys=True, ensure_ascii=False)
                    )
                    done += 1
                    if progress and done % BATCH == 0:
                        progress(done, grand_total)
                fh.write("\n  ]")
            fh.write("\n }\n}\n")
            if progress:
                progress(done, grand_total)
            return done

    # -- import ----------------------------------------------------------------------------

    def import_file(
        self, path: Path, *, allow_non_empty: bool = False, progress: Progress | None = None
    ) -> int:
        try:
            with path.open(encoding="utf-8") as fh, _cycle_collection_paused():
                document = json.load(fh)
        except FileNotFoundError as exc:
            raise DomainError(f"The file {path} does not exist.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            where = (
                f" at line {exc.lineno}, column {exc.colno}"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            raise ImportRefused("$", f"the file is not valid JSON{where}.") from exc
        return self.import_document(document, allow_non_empty=allow_non_empty, progress=progress)

    def import_document(
        self, document: Any, *, allow_non_empty: bool = False, progress: Progress | None = None
    ) -> int:
        with _cycle_collection_paused():
            return self._import(validate_document(document), allow_non_empty, progress)

    def _import(
        self,
        rows_by_table: dict[str, list[dict[str, Any]]],
        allow_non_empty: bool,
        progress: Progress | None,
    ) -> int:
        with self.ctx.read() as session:
            existing = sum(
                session.scalar(select(func.count()).select_from(t)) or 0 for t in _tables()
            )
        if not existing:
            return self._restore(rows_by_table, progress)
        if not allow_non_empty:
            raise DomainError(
                "This database already has data; import into an empty database, or "
                "allow merging explicitly (smgov import --merge)."
            )
        with self.ctx.write() as work, _page_cache(work.session):
            # A merge adds people, roles and settings: the importing person's own rights.
            require(work.actor.roles, Permission.IMPORT)
            done = _insert(work.session, rows_by_table, progress, with_log=False)
            for table in _tables():
                keys = [
                    tuple(r[c.name] for c in table.primary_key.columns)
                    for r in rows_by_table.get(table.name, [])
                ]
                work.touch(table, keys)
            work.audit("data.import_merge", "database", "-", after={"rows": done})
            return done

    def _restore(
        self, rows_by_table: dict[str, list[dict[str, Any]]], progress: Progress | None
    ) -> int:
        """Into an empty database: the file's log verbatim, then one event by the importing
        person, who must be an administrator of that data (or it is demo data)."""
        login = self.ctx.login
        person = restore_allowed(rows_by_table, login)
        with self.ctx.db.write() as session, _page_cache(session):
            done = _insert(session, rows_by_table, progress, with_log=True)
            vouch_tables(session, record_tables())
            audit.append(
                session,
                at=self.ctx.now(),
                actor_id=person.get("id") if person else None,
                actor_login=login,
                action="data.restore",
                entity_type="database",
                entity_id="-",
                after={"rows": done},
            )
            return done


def _insert(
    session: Session,
    rows_by_table: dict[str, list[dict[str, Any]]],
    progress: Progress | None,
    *,
    with_log: bool,
) -> int:
    total = sum(len(rows) for rows in rows_by_table.values())
    done = 0
    for table in _tables():
        rows = rows_by_table.get(table.name, [])
        if not with_log and table.name == AuditEvent.__tablename__:
            continue  # a merge appends its own event; the file's chain stays in the file
        for start in range(0, len(rows), BATCH):
            session.execute(insert(table), rows[start : start + BATCH])
            done += len(rows[start : start + BATCH])
            if progress:
                progress(done, total)
    return done


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a document is read and written.

    A full export is tens of millions of small objects, none in a reference cycle; each full
    collection walks them all (seconds each, some 30 of them in an import of a million
    comments), and holds the GIL meanwhile, stalling the GUI thread too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _page_cache(session: Session) -> Iterator[None]:
    """A larger SQLite page cache while importing: the comment indexes outgrow the default."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = session.execute(text("PRAGMA cache_size")).scalar()
    session.execute(text(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


def validate_document(document: Any) -> dict[str, list[dict[str, Any]]]:
    """Parse every value; raise ImportRefused at the first bad one. Returns insertable rows."""
    if not isinstance(document, dict):
        raise ImportRefused("$", "the top level must be an object.")
    if document.get("format") != FORMAT:
        raise ImportRefused("$.format", f"expected {FORMAT!r}; this is not a smgov-desk export.")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ImportRefused(
            "$.format_version",
            f"version {version!r} is not supported (this app reads {FORMAT_VERSION}).",
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ImportRefused("$.tables", "must be an object of table name → list of rows.")
    known = {t.name: t for t in _tables()}
    for name in tables:
        if name not in known:
            raise ImportRefused(f"$.tables.{name}", "is not a table this app knows.")
    parsed: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, set[Any]] = {}
    for table in _tables():
        raw_rows = tables.get(table.name, [])
        path = f"$.tables.{table.name}"
        if not isinstance(raw_rows, list):
            raise ImportRefused(path, "must be a list of rows.")
        rows = [_parse_row(table, raw, path, i) for i, raw in enumerate(raw_rows)]
        _check_keys(table, rows, path, keys)
        _check_references(table, rows, path, keys)
        parsed[table.name] = rows
    try:
        check_file(parsed)
    except TamperedFile as exc:
        raise ImportRefused(exc.path, exc.problem) from exc
    return parsed


def _parse_row(table: Table, raw: Any, path: str, index: int) -> dict[str, Any]:
    """``raw``, the row at ``path[index]``, checked and converted column by column."""
    if not isinstance(raw, dict):
        raise ImportRefused(f"{path}[{index}]", "must be an object.")
    columns = _columns_of(table)
    if not columns.keys.issuperset(raw):
        for key in raw:
            if key not in columns.keys:
                raise ImportRefused(f"{path}[{index}].{key}", f"is not a column of {table.name}.")
    row: dict[str, Any] = {}
    for key, parse, nullable, optional in columns.parsers:
        value = raw.get(key, _MISSING)
        try:
            if value is None:
                if not nullable:
                    raise ValueError("may not be null")
                row[key] = None
            elif value is _MISSING:
                if not optional:
                    raise ValueError("is missing")
            else:
                row[key] = parse(value)
        except (ValueError, TypeError) as exc:
            problem = str(exc) if isinstance(exc, _Said) else f"{exc}."
            raise ImportRefused(f"{path}[{index}].{key}", problem) from exc
    return row


# A row is checked a million times over: each column's parser is chosen once per table, and
# a value's JSON path is only spelled out when it is wrong.
_MISSING = object()
Parse = Callable[[Any], Any]


class _Said(ValueError):
    """A problem already phrased as the sentence the person reads."""


@dataclass(frozen=True)
class _Columns:
    keys: frozenset[str]
    parsers: tuple[tuple[str, Parse, bool, bool], ...]  # key, parse, nullable, may be missing


_COLUMNS: dict[str, _Columns] = {}


def _columns_of(table: Table) -> _Columns:
    found = _COLUMNS.get(table.name)
    if found is None or found.keys != frozenset(table.c.keys()):
        found = _Columns(
            frozenset(table.c.keys()),
            tuple(
                (
                    c.key,
                    _parser(c.type),
                    bool(c.nullable),
                    bool(c.nullable) or c.default is not None,
                )
                for c in table.columns
            ),
        )
        _COLUMNS[table.name] = found
    return found


def _parser(type_: Any) -> Parse:
    """The check and conversion of one non-null JSON value of a column of ``type_``."""
    if isinstance(type_, Uuid):
        return lambda value: uuid.UUID(str(value))
    if isinstance(type_, UTCDateTime):
        return _aware
    if isinstance(type_, Enum):
        assert type_.enum_class is not None
        return partial(_enum, type_.enum_class, frozenset(type_.enums), ", ".join(type_.enums))
    if isinstance(type_, Date):
        return lambda value: date.fromisoformat(str(value))
    if isinstance(type_, Boolean):
        return _boolean
    if isinstance(type_, Integer):
        return _integer
    if isinstance(type_, Float):
        return _number
    if isinstance(type_, String | Text):
        return partial(_text, getattr(type_, "length", None))
    return partial(_unknown, type_)


def _aware(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("a time without a time zone")
    return parsed


def _enum(enum_class: Any, values: frozenset[str], listed: str, value: Any) -> Any:
    if value not in values:
        raise ValueError(f"{value!r} is not one of {listed}")
    return enum_class(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return float(value)


def _text(length: int | None, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    if length and len(value) > length:
        raise ValueError(f"text longer than {length} characters")
    return value


def _unknown(type_: Any, _value: Any) -> Any:
    raise _Said(f"has a type this importer does not know ({type_}).")


def _pk(table: Table, row: dict[str, Any]) -> Any:
    cols = list(table.primary_key.columns)
    return tuple(row.get(c.key) for c in cols) if len(cols) > 1 else row.get(cols[0].key)


def _check_keys(
    table: Table, rows: list[dict[str, Any]], path: str, keys: dict[str, set[Any]]
) -> None:
    seen: set[Any] = set()
    for i, row in enumerate(rows):
        key = _pk(table, row)
        if key in seen:
            raise ImportRefused(f"{path}[{i}]", f"duplicates the key {key} of an earlier row.")
        seen.add(key)
    keys[table.name] = seen


def _check_references(
    table: Table, rows: list[dict[str, Any]], path: str, keys: dict[str, set[Any]]
) -> None:
    for fk in table.foreign_keys:
        target = fk.column.table
        if len(list(target.primary_key.columns)) != 1:
            continue
        known = keys.get(target.name, set())
        col = fk.parent.key
        for i, row in enumerate(rows):
            value = row.get(col)
            if value is not None and value not in known:
                raise ImportRefused(
                    f"{path}[{i}].{col}",
                    f"refers to {target.name} {value}, which is not in the file.",
                )
