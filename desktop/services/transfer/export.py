"""Write the full export document, table by table and row by row (docs/data-format.md).

Rows are fetched in batches from a server-side cursor and written one per line as they come:
memory holds one batch, whatever the size of the comment log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from desktop.errors import Cancelled
from desktop.models import AuditEvent, Base
from desktop.services.serialize import to_jsonable

FORMAT = "smgov-desk-export"
FORMAT_VERSION = 2  # 2: two audit chains and record digests
BATCH = 5000
METADATA_KEYS = ("exported_at", "exported_by", "source")

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


def tables() -> list[Table]:
    """Every table that travels, in dependency order (a table after those it refers to).

    The audit log travels; its bookkeeping (kept digests, this database's own facts) does not.
    """
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.info.get("record_digest", True) or t.name == AuditEvent.__tablename__
    ]


def _order_by(table: Table) -> list[Any]:
    if table.name == AuditEvent.__tablename__:
        return [table.c.seq]
    return list(table.primary_key.columns)


def write_document(
    session: Session,
    fh: IO[str],
    head: dict[str, Any],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """The document with ``head`` first, then ``tables``; returns the number of rows."""
    totals = {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in tables()}
    grand_total = sum(totals.values())
    fh.write(json.dumps(head, indent=1)[:-2] + ',\n "tables": {')
    done = 0
    dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
    for t_index, table in enumerate(tables()):
        fh.write(("," if t_index else "") + f"\n  {json.dumps(table.name)}: [")
        stmt = select(table).order_by(*_order_by(table)).execution_options(yield_per=BATCH)
        first = True
        for partition in session.execute(stmt).partitions():
            lines = [
                ("\n   " if first and i == 0 else ",\n   ")
                + dumps({key: to_jsonable(value) for key, value in row._mapping.items()})
                for i, row in enumerate(partition)
            ]
            first = False
            fh.write("".join(lines))
            done += len(lines)
            if progress:
                progress(done, grand_total)
            if cancelled and cancelled():
                raise Cancelled
        fh.write("\n  ]")
    fh.write("\n }\n}\n")
    if progress:
        progress(done, grand_total)
    return done
