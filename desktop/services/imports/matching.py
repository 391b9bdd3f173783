"""Which account a file's numbers land on: the one named, or the one whose handle or name the
file gives (a page name, a username, a handle in the file name)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.enums import Platform
from desktop.errors import DomainError
from desktop.models import Account

_NOT_NAME = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class AccountChoice:
    id: uuid.UUID
    platform: Platform
    handle: str
    display_name: str

    @property
    def label(self) -> str:
        name = f" ({self.display_name})" if self.display_name else ""
        return f"{self.platform.label} @{self.handle}{name}"


def _squash(text: str) -> str:
    return _NOT_NAME.sub("", text.casefold().lstrip("@"))


def choices(session: Session, platform: Platform) -> list[AccountChoice]:
    rows = session.execute(
        select(Account.id, Account.platform, Account.handle, Account.display_name)
        .where(Account.platform == platform)
        .order_by(Account.handle)
    ).all()
    return [AccountChoice(*row) for row in rows]


def all_choices(session: Session) -> list[AccountChoice]:
    rows = session.execute(
        select(Account.id, Account.platform, Account.handle, Account.display_name).order_by(
            Account.platform, Account.handle
        )
    ).all()
    return [AccountChoice(*row) for row in rows]


def match_hint(candidates: list[AccountChoice], hint: str) -> AccountChoice | None:
    """The one account whose handle or display name is the hint, letters and digits only."""
    key = _squash(hint)
    if not key:
        return None
    found = [c for c in candidates if key in (_squash(c.handle), _squash(c.display_name))]
    return found[0] if len(found) == 1 else None


def parse_account_arg(text: str) -> tuple[Platform | None, str]:
    """``PLATFORM:HANDLE`` (``youtube:SaskHealth``) or a bare handle."""
    platform_text, sep, handle = text.partition(":")
    if not sep:
        return None, text.strip().lstrip("@")
    try:
        return Platform(platform_text.strip().lower()), handle.strip().lstrip("@")
    except ValueError:
        names = ", ".join(p.value for p in Platform)
        raise DomainError(
            f"--account {text!r}: {platform_text!r} is not a platform ({names})."
        ) from None


def find_account(session: Session, platform: Platform | None, handle: str) -> AccountChoice:
    stmt = select(Account.id, Account.platform, Account.handle, Account.display_name).where(
        Account.handle.ilike(handle)
    )
    if platform is not None:
        stmt = stmt.where(Account.platform == platform)
    rows = [AccountChoice(*r) for r in session.execute(stmt).all()]
    if not rows:
        raise DomainError(f"No account @{handle} is in the inventory.")
    if len(rows) > 1:
        raise DomainError(
            f"@{handle} is an account on several platforms; say which, e.g. "
            f"{rows[0].platform.value}:{handle}."
        )
    return rows[0]
