"""The import reads the export as a stream: any JSON layout, any chunk boundary, and a file
that breaks off, is cancelled or comes in the wrong order leaves nothing behind."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.enums import Platform
from desktop.errors import Cancelled
from desktop.models import Account, AuditEvent
from desktop.services.context import ServiceContext
from desktop.services.transfer import ImportRefused, TransferService
from desktop.services.transfer.export import tables as transfer_tables
from desktop.services.transfer.reader import Header, Row, TableStart, read_export
from desktop.storage.database import Database, open_database
from tests.factories import Cast


def _document(cast: Cast, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    for n in range(4):
        cast.account(f"Stream{n}", Platform.FACEBOOK, purpose=f"Line one\nline “two” {n} 健康")
    path = tmp_path / "export.json"
    TransferService(ServiceContext(cast.db, "admin")).export_file(path)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _events(text: str, chunk: int) -> list[Any]:
    return list(read_export(io.StringIO(text), chunk=chunk))


def _as_document(events: list[Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {"tables": {}}
    for event in events:
        if isinstance(event, Header):
            doc[event.key] = event.value
        elif isinstance(event, TableStart):
            doc["tables"][event.name] = []
        else:
            assert isinstance(event, Row)
            assert event.index == len(doc["tables"][event.table])
            doc["tables"][event.table].append(event.raw)
    return doc


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 0, 4])
def test_any_layout_and_chunk_size_reads_the_same_document(
    cast: Cast, tmp_path: Path, chunk: int, indent: int | None
) -> None:
    _path, doc = _document(cast, tmp_path)
    text = json.dumps(doc, indent=indent, ensure_ascii=indent is None)
    assert _as_document(_events(text, chunk)) == doc


def _count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def empty(tmp_path: Path) -> Any:
    target = open_database(tmp_path / "empty.sqlite3")
    yield target
    target.dispose()


def test_a_file_cut_short_names_the_line_and_writes_nothing(
    cast: Cast, tmp_path: Path, empty: Database
) -> None:
    path, _doc = _document(cast, tmp_path)
    text = path.read_text(encoding="utf-8")
    cut = text[: text.index('"accounts"') + 400]
    (tmp_path / "cut.json").write_text(cut, encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"not valid JSON at line \d+, column \d+"):
        TransferService(ServiceContext(empty, "admin")).import_file(tmp_path / "cut.json")
    assert _count(empty, Account) == 0
    assert _count(empty, AuditEvent) == 0


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path, empty: Database) -> None:
    text = '{"format": "smgov-desk-export", "é": 1}'
    (tmp_path / "latin1.json").write_bytes(text.encode("cp1252"))
    with pytest.raises(ImportRefused, match="not UTF-8"):
        TransferService(ServiceContext(empty, "admin")).import_file(tmp_path / "latin1.json")


def test_cancelling_an_import_writes_nothing(
    cast: Cast, tmp_path: Path, empty: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _path, doc = _document(cast, tmp_path)
    import desktop.services.transfer.service as service_module

    monkeypatch.setattr(service_module, "PROGRESS_EVERY", 3)  # look at the flag often
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Cancelled):
        TransferService(ServiceContext(empty, "admin")).import_stream(
            io.StringIO(json.dumps(doc)), cancelled=cancelled
        )
    assert len(asked) == 3
    assert all(_count(empty, t) == 0 for t in transfer_tables())


def test_tables_out_of_dependency_order_are_refused(
    cast: Cast, tmp_path: Path, empty: Database
) -> None:
    _path, doc = _document(cast, tmp_path)
    tables = doc["tables"]
    doc["tables"] = {"accounts": tables.pop("accounts"), **tables}
    with pytest.raises(ImportRefused, match="ministries must come before accounts") as err:
        TransferService(ServiceContext(empty, "admin")).import_document(doc)
    assert err.value.path == "$.tables.accounts[0].ministry_id"
    in_order = {t.name: doc["tables"][t.name] for t in transfer_tables()}
    events = in_order.pop("audit_events")
    doc["tables"] = {**in_order, "audit_events": events}
    with pytest.raises(ImportRefused, match="is out of order") as err:
        TransferService(ServiceContext(empty, "admin")).import_document(doc)
    assert err.value.path == "$.tables.audit_events"
    assert _count(empty, Account) == 0


def test_progress_is_reported_in_kib_of_the_file(
    cast: Cast, tmp_path: Path, empty: Database
) -> None:
    path, _doc = _document(cast, tmp_path)
    seen: list[tuple[int, int]] = []
    TransferService(ServiceContext(empty, "admin")).import_file(
        path, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (path.stat().st_size // 1024, path.stat().st_size // 1024)


def test_verify_runs_every_check_and_writes_nothing(cast: Cast, tmp_path: Path) -> None:
    path, doc = _document(cast, tmp_path)
    service = TransferService(ServiceContext(cast.db, "auditor"))
    assert service.verify_file(path) == sum(len(rows) for rows in doc["tables"].values())
    doc["tables"]["audit_events"][0]["actor_login"] = "mallory"
    (tmp_path / "edited.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ImportRefused, match="do not match its hash") as err:
        service.verify_file(tmp_path / "edited.json")
    assert err.value.path == "$.tables.audit_events[0]"


def test_an_extra_check_has_the_last_word_before_the_commit(
    cast: Cast, tmp_path: Path, empty: Database
) -> None:
    """The place where a whole-file check (record digests, a signed chain head) plugs in."""
    from desktop.services.transfer import standard_checks

    path, _doc = _document(cast, tmp_path)

    class Refuses:
        def row(self, *_args: object) -> None:
            pass

        def finish(self) -> None:
            raise ImportRefused("$", "the file's digests do not match.")

    service = TransferService(
        ServiceContext(empty, "admin"), checks=lambda: [*standard_checks(), Refuses()]
    )
    with pytest.raises(ImportRefused, match="digests"):
        service.import_file(path)
    assert all(_count(empty, t) == 0 for t in transfer_tables())
