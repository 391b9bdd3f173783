"""Use cases of the metrics import: preview a platform export file, then commit it.

The preview reads the file and compares it with what is stored, writing nothing; the commit
does it again inside one transaction (the data may have moved meanwhile), writes the batch,
the posts and daily values, rolls up the months and appends one audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError

from desktop.enums import ImportKind
from desktop.errors import ConflictError, DomainError
from desktop.models import Account, ImportBatch
from desktop.models.base import new_id
from desktop.services.context import ServiceContext, Work, load_settings
from desktop.services.imports import metric_store, rollup
from desktop.services.imports.batches import EarlierImport, earlier_import
from desktop.services.imports.detect import parse_source
from desktop.services.imports.matching import AccountChoice, choices, match_hint
from desktop.services.imports.model import ParsedFile, RowError
from desktop.services.imports.sources import Source, read_source
from desktop.services.metrics import require_account_access, require_reader


@dataclass
class MetricPreview:
    """What committing the file would do; nothing has been written."""

    parsed: ParsedFile
    sha256: str
    zone: str
    as_of: date
    account: AccountChoice | None
    candidates: list[AccountChoice]
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    drift: list[str] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    earlier: EarlierImport | None = None

    @property
    def rejected(self) -> int:
        return len(self.parsed.errors)

    @property
    def errors(self) -> list[RowError]:
        return self.parsed.errors

    def counts_line(self) -> str:
        return (
            f"{self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{self.rejected:,} rejected"
        )


@dataclass(frozen=True)
class MetricImportResult:
    batch_id: uuid.UUID | None  # None: the same file was imported before, nothing changed
    new: int
    updated: int
    unchanged: int
    rejected: int
    months: list[date]
    message: str


def _zone(zone: str | None, default: str) -> str:
    chosen = zone or default
    try:
        ZoneInfo(chosen)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"{chosen!r} is not a time zone, e.g. America/Regina.") from None
    return chosen


class MetricImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def preview(
        self, path: Path, account_id: uuid.UUID | None = None, zone: str | None = None
    ) -> MetricPreview:
        source = read_source(path)
        return self.preview_source(source, account_id, zone)

    def preview_source(
        self, source: Source, account_id: uuid.UUID | None = None, zone: str | None = None
    ) -> MetricPreview:
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            settings = load_settings(session)
            chosen_zone = _zone(zone, settings.timezone)
            parsed = parse_source(source, chosen_zone)
            candidates = choices(session, parsed.platform)
            account = _chosen(candidates, account_id, parsed)
            as_of = self.ctx.now().astimezone(ZoneInfo(settings.timezone)).date()
            preview = MetricPreview(
                parsed, source.sha256, chosen_zone, as_of, account, candidates,
                earlier=earlier_import(session, source.sha256),
            )  # fmt: skip
            if account is not None:
                found = metric_store.classify(session, parsed, account.id, as_of)
                preview.new, preview.updated, preview.unchanged = (
                    found.new, found.updated, found.unchanged,
                )  # fmt: skip
                preview.drift = found.drift
            preview.months = rollup.months_of(_days(parsed, settings.timezone))
            return preview

    def commit(
        self,
        preview: MetricPreview,
        account_id: uuid.UUID | None = None,
        *,
        skip_rejected: bool = False,
    ) -> MetricImportResult:
        """Write the previewed file in one transaction; the same bytes again are a no-op."""
        parsed = preview.parsed
        chosen = account_id or (preview.account.id if preview.account else None)
        if chosen is None:
            raise DomainError(
                f"Choose the {parsed.platform.label} account these numbers belong to; the file "
                + (
                    f"names “{parsed.account_hint}”, which matches none of them."
                    if parsed.account_hint
                    else "does not say which account it is."
                ),
                "account",
            )
        with self.ctx.read() as session:
            earlier = earlier_import(session, preview.sha256)
            if earlier is not None:
                zone = load_settings(session).timezone
                return MetricImportResult(None, 0, 0, 0, 0, [], earlier.sentence(zone))
        if parsed.errors and not skip_rejected:
            raise DomainError(
                f"{len(parsed.errors):,} rows of {parsed.file_name} cannot be read (the first: "
                f"{parsed.errors[0]}); nothing was imported. Correct the file, or import the "
                "other rows anyway."
            )
        if not parsed.posts and not parsed.days:
            raise DomainError(f"{parsed.file_name} has no rows to import; nothing was imported.")
        try:
            with self.ctx.write() as work:
                return self._write(work, preview, chosen)
        except IntegrityError:
            raise ConflictError(
                f"{parsed.file_name} was imported by someone else at the same moment; "
                "nothing was written twice. Refresh to see their import."
            ) from None

    def _write(
        self, work: Work, preview: MetricPreview, account_id: uuid.UUID
    ) -> MetricImportResult:
        parsed = preview.parsed
        account = work.get(Account, account_id, "Account")
        require_account_access(work, account)
        if account.platform != parsed.platform:
            raise DomainError(
                f"{parsed.file_name} is a {parsed.platform.label} export; {account.label} is a "
                f"{account.platform.label} account.",
                "account",
            )
        as_of = work.at.astimezone(ZoneInfo(work.settings.timezone)).date()
        found = metric_store.classify(work.session, parsed, account.id, as_of)
        batch = ImportBatch(
            id=new_id(),
            kind=ImportKind.METRICS,
            file_name=parsed.file_name[:255],
            sha256=preview.sha256,
            format=parsed.format_key[:60],
            format_version=parsed.format_version[:120],
            account_id=account.id,
            timezone=preview.zone,
            imported_by_id=work.actor.id,
            imported_by_login=work.actor.login,
            imported_at=work.at,
            rows_new=found.new,
            rows_updated=found.updated,
            rows_unchanged=found.unchanged,
            rows_rejected=len(parsed.errors),
        )
        work.session.add(batch)
        work.session.flush()
        metric_store.write(work.session, found, parsed.platform, account.id, as_of, batch.id)
        months = rollup.months_of(_days(parsed, work.settings.timezone))
        changed = rollup.roll_up(work, account.id, months)
        work.audit(
            "metrics.import",
            "import_batch",
            batch.id,
            after={
                "file": parsed.file_name,
                "sha256": preview.sha256,
                "format": parsed.format_key,
                "format_version": parsed.format_version,
                "account": account.label,
                "timezone": preview.zone,
                "new": found.new,
                "updated": found.updated,
                "unchanged": found.unchanged,
                "rejected": len(parsed.errors),
                "months": changed,
            },
        )
        message = (
            f"Imported {parsed.file_name} into {account.label}: {found.new:,} new, "
            f"{found.updated:,} updated, {found.unchanged:,} unchanged, "
            f"{len(parsed.errors):,} rejected; {len(changed)} monthly snapshots updated."
        )
        return MetricImportResult(
            batch.id, found.new, found.updated, found.unchanged, len(parsed.errors), months,
            message,
        )  # fmt: skip


def _chosen(
    candidates: list[AccountChoice], account_id: uuid.UUID | None, parsed: ParsedFile
) -> AccountChoice | None:
    if account_id is not None:
        for candidate in candidates:
            if candidate.id == account_id:
                return candidate
        raise DomainError(
            f"The chosen account is not a {parsed.platform.label} account; "
            f"{parsed.file_name} is a {parsed.platform.label} export.",
            "account",
        )
    return match_hint(candidates, parsed.account_hint)


def _days(parsed: ParsedFile, zone: str) -> list[date]:
    tz = ZoneInfo(zone)
    days = [d.day for d in parsed.days]
    days += [p.published_at.astimezone(tz).date() for p in parsed.posts if p.published_at]
    return days
