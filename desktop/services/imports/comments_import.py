"""Use cases of the comments import: preview a comments file, then commit it.

Imported comments are logged as officers log them: due times from the service-level clock at
their received time (24/7 during a declared emergency covering the account), unassigned,
status New, known by the platform's comment id so the same comment is never logged twice.
Replies by the account itself become the responses of the comments they answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.enums import CommentKind, CommentStatus, ImportKind, ResponseMethod
from desktop.errors import ConflictError, DomainError
from desktop.models import Account, Comment, ImportBatch, Response
from desktop.models.base import new_id
from desktop.services.authz import Permission
from desktop.services.clock import emergency_covering, sla_policy
from desktop.services.comments import commenter_for
from desktop.services.context import ServiceContext, Work, load_settings
from desktop.services.imports.batches import EarlierImport, earlier_import
from desktop.services.imports.comment_formats import (
    CommentFile,
    CommentRecord,
    ReplyRecord,
    parse_comment_source,
)
from desktop.services.imports.matching import (
    AccountChoice,
    all_choices,
    find_account,
    parse_account_arg,
)
from desktop.services.imports.model import RowError
from desktop.services.imports.sources import source_from_bytes
from desktop.services.metrics import require_reader

_CHUNK = 500
_KINDS = {k.value: k for k in CommentKind}


@dataclass
class CommentPreview:
    parsed: CommentFile
    sha256: str
    zone: str
    account: AccountChoice | None
    new: int = 0
    unchanged: int = 0  # already in the log (same platform id)
    overdue: int = 0  # of the new ones: already past their answer-by time
    in_emergency: int = 0
    replies_new: int = 0
    replies_unmatched: int = 0
    earlier: EarlierImport | None = None
    problems: list[str] = field(default_factory=list)
    candidates: list[AccountChoice] = field(default_factory=list)  # every account, to choose

    @property
    def rejected(self) -> int:
        return len(self.parsed.errors)

    def counts_line(self) -> str:
        line = (
            f"{self.new:,} new, 0 updated, {self.unchanged:,} unchanged (already in the log), "
            f"{self.rejected:,} rejected"
        )
        if self.parsed.replies:
            line += f"; {self.replies_new:,} replies become responses"
        return line


@dataclass(frozen=True)
class CommentImportResult:
    batch_id: uuid.UUID | None
    new: int
    responses: int
    message: str


class CommentImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def preview(
        self, path: Path, account_id: uuid.UUID | None = None, zone: str | None = None
    ) -> CommentPreview:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DomainError(f"The file {path} does not exist.") from None
        is_json = raw.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[")
        source = source_from_bytes(path.name + (".json" if is_json else ""), raw)
        source.name = path.name
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            settings = load_settings(session)
            chosen_zone = zone or settings.timezone
            parsed = parse_comment_source(source, raw, chosen_zone)
            account = _account_choice(session, account_id)
            preview = CommentPreview(
                parsed, source.sha256, chosen_zone, account,
                earlier=earlier_import(session, source.sha256),
            )  # fmt: skip
            preview.candidates = all_choices(session)
            _classify(session, preview, self.ctx)
            return preview

    def commit(
        self, preview: CommentPreview, *, skip_rejected: bool = False
    ) -> CommentImportResult:
        parsed = preview.parsed
        with self.ctx.read() as session:
            earlier = earlier_import(session, preview.sha256)
            if earlier is not None:
                zone = load_settings(session).timezone
                return CommentImportResult(None, 0, 0, earlier.sentence(zone))
        if parsed.errors and not skip_rejected:
            raise DomainError(
                f"{len(parsed.errors):,} entries of {parsed.file_name} cannot be read (the "
                f"first: {parsed.errors[0]}); nothing was imported."
            )
        try:
            with self.ctx.write() as work:
                return self._write(work, preview)
        except IntegrityError:
            raise ConflictError(
                f"{parsed.file_name} was imported by someone else at the same moment; "
                "nothing was written twice."
            ) from None

    def _write(self, work: Work, preview: CommentPreview) -> CommentImportResult:
        work.require(Permission.HANDLE_COMMENTS)
        parsed = preview.parsed
        accounts = _accounts_of(work.session, preview)
        batch = ImportBatch(
            id=new_id(),
            kind=ImportKind.RESPONSES if not parsed.comments else ImportKind.COMMENTS,
            file_name=parsed.file_name[:255],
            sha256=preview.sha256,
            format=parsed.format_key,
            format_version="",
            account_id=preview.account.id if preview.account else None,
            timezone=preview.zone,
            imported_by_id=work.actor.id,
            imported_by_login=work.actor.login,
            imported_at=work.at,
            rows_rejected=len(parsed.errors),
        )
        work.session.add(batch)
        policy = sla_policy(work.session)
        known = _known_ids(work.session, parsed.comments, accounts)
        new = 0
        for record in parsed.comments:
            account = accounts[record.account or ""]
            if (account.id, record.external_id) in known or record.received_at > work.at:
                continue
            emergency = emergency_covering(
                work.session, account.id, account.ministry_id, record.received_at
            )
            due = policy.due(record.received_at, emergency is not None)
            handle = record.author_handle[:120]
            commenter = (
                commenter_for(work, account.platform, handle, record.author_name)
                if handle
                else None
            )
            kind = _KINDS.get(record.kind, CommentKind.QUESTION)
            work.session.add(
                Comment(
                    id=new_id(),
                    account_id=account.id,
                    commenter_id=commenter.id if commenter else None,
                    received_at=record.received_at,
                    author_name=record.author_name[:200],
                    author_handle=handle,
                    text=record.text[:10_000],
                    url=record.url[:500],
                    kind=kind,
                    status=CommentStatus.NEW,
                    high_profile=kind == CommentKind.MEDIA,
                    emergency_id=emergency.id if emergency else None,
                    clock_start_at=due.clock_start,
                    acknowledge_due_at=due.acknowledge_by,
                    answer_due_at=due.answer_by,
                    logged_by_id=work.actor.id,
                    external_id=record.external_id or None,
                )
            )
            if record.external_id:
                known.add((account.id, record.external_id))
            new += 1
        work.session.flush()
        responses = _write_replies(work, parsed.replies, preview)
        batch.rows_new, batch.rows_unchanged = new + responses, preview.unchanged
        work.audit(
            "comments.import",
            "import_batch",
            batch.id,
            after={
                "file": parsed.file_name,
                "sha256": preview.sha256,
                "format": parsed.format_key,
                "new": new,
                "responses": responses,
                "unchanged": preview.unchanged,
                "rejected": len(parsed.errors),
            },
        )
        message = (
            f"Imported {parsed.file_name}: {_n(new, 'comment')} logged (unassigned), "
            f"{_n(responses, 'response')} recorded, {preview.unchanged:,} already in the log, "
            f"{len(parsed.errors):,} rejected."
        )
        return CommentImportResult(batch.id, new, responses, message)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _account_choice(session: Session, account_id: uuid.UUID | None) -> AccountChoice | None:
    if account_id is None:
        return None
    account = session.get(Account, account_id)
    if account is None:
        raise DomainError("The chosen account does not exist.", "account")
    return AccountChoice(account.id, account.platform, account.handle, account.display_name)


def _accounts_of(session: Session, preview: CommentPreview) -> dict[str, Account]:
    """Each row's account: the chosen one, or the template's PLATFORM:HANDLE column."""
    found: dict[str, Account] = {}
    for record in preview.parsed.comments:
        key = record.account or ""
        if key in found:
            continue
        if key:
            platform, handle = parse_account_arg(key)
            choice = find_account(session, platform, handle)
        elif preview.account is not None:
            choice = preview.account
        else:
            raise DomainError(
                f"Choose the account the comments of {preview.parsed.file_name} were made on "
                "(the file does not say).",
                "account",
            )
        account = session.get(Account, choice.id)
        assert account is not None
        found[key] = account
    return found


def _known_ids(
    session: Session, records: list[CommentRecord], accounts: dict[str, Account]
) -> set[tuple[uuid.UUID, str]]:
    known: set[tuple[uuid.UUID, str]] = set()
    by_account: dict[uuid.UUID, list[str]] = {}
    for r in records:
        if r.external_id:
            by_account.setdefault(accounts[r.account or ""].id, []).append(r.external_id)
    for account_id, ids in by_account.items():
        for start in range(0, len(ids), _CHUNK):
            rows = session.scalars(
                select(Comment.external_id).where(
                    Comment.account_id == account_id,
                    Comment.external_id.in_(ids[start : start + _CHUNK]),
                )
            )
            known.update((account_id, r) for r in rows if r)
    return known


def _classify(session: Session, preview: CommentPreview, ctx: ServiceContext) -> None:
    parsed = preview.parsed
    if parsed.comments:
        try:
            accounts = _accounts_of(session, preview)
        except DomainError as exc:
            preview.problems.append(str(exc))
            return
        known = _known_ids(session, parsed.comments, accounts)
        policy = sla_policy(session)
        now = ctx.now()
        for record in list(parsed.comments):
            account = accounts[record.account or ""]
            if (account.id, record.external_id) in known:
                preview.unchanged += 1
                continue
            if record.received_at > now:
                parsed.comments.remove(record)
                when = record.received_at.isoformat(timespec="minutes")
                parsed.errors.append(RowError(record.where, f"received in the future ({when})"))
                continue
            emergency = emergency_covering(
                session, account.id, account.ministry_id, record.received_at
            )
            preview.new += 1
            preview.in_emergency += emergency is not None
            due = policy.due(record.received_at, emergency is not None)
            preview.overdue += due.answer_by < now
    if parsed.replies:
        found = _parents(session, parsed.replies, preview)
        done = _recorded(session, parsed.replies)
        for reply in parsed.replies:
            if reply.external_id in done:
                preview.unchanged += 1
            elif reply.parent_id in found:
                preview.replies_new += 1
            else:
                preview.replies_unmatched += 1


def _parents(
    session: Session, replies: list[ReplyRecord], preview: CommentPreview
) -> dict[str, Comment]:
    ids = list({r.parent_id for r in replies})
    found: dict[str, Comment] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = select(Comment).where(Comment.external_id.in_(ids[start : start + _CHUNK]))
        if preview.account is not None:
            stmt = stmt.where(Comment.account_id == preview.account.id)
        found.update({c.external_id: c for c in session.scalars(stmt) if c.external_id})
    return found


def _recorded(session: Session, replies: list[ReplyRecord]) -> set[str]:
    """The replies already recorded as responses (by the platform's id)."""
    ids = [r.external_id for r in replies]
    done: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        rows = session.scalars(
            select(Response.external_id).where(
                Response.external_id.in_(ids[start : start + _CHUNK])
            )
        )
        done.update(r for r in rows if r)
    return done


def _write_replies(work: Work, replies: list[ReplyRecord], preview: CommentPreview) -> int:
    if not replies:
        return 0
    parents = _parents(work.session, replies, preview)
    done = _recorded(work.session, replies)
    count = 0
    for reply in replies:
        comment = parents.get(reply.parent_id)
        if comment is None or reply.external_id in done:
            continue
        work.session.add(
            Response(
                id=new_id(),
                comment_id=comment.id,
                responder_id=None,
                method=ResponseMethod.PUBLIC_ANSWER,
                text=reply.text[:8000],
                responded_at=reply.responded_at,
                external_id=reply.external_id,
            )
        )
        done.add(reply.external_id)
        if comment.status in (CommentStatus.NEW, CommentStatus.ACKNOWLEDGED):
            comment.status = CommentStatus.ANSWERED
            comment.acknowledged_at = comment.acknowledged_at or reply.responded_at
            comment.answered_at = comment.answered_at or reply.responded_at
        count += 1
    return count
