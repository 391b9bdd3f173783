"""Use cases of the policy settings and the calendar: thresholds, business hours, closure days.

A change that moves the service-level clock recomputes the due times of open comments in the
same transaction (the GUI runs these calls in a worker thread, with progress and cancel).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from desktop.errors import ConflictError, DomainError, NotFound
from desktop.models import Closure, Comment, Setting
from desktop.models.base import new_id
from desktop.policy import settings as policy_settings
from desktop.policy.settings import SETTING_LABELS, PolicySettings
from desktop.policy.sla import BusinessCalendar
from desktop.services import validation as v
from desktop.services.authz import Permission, require
from desktop.services.clock import CALENDAR_KEYS, policy_from
from desktop.services.context import ServiceContext, load_settings, resolve_actor
from desktop.services.metrics import require_reader
from desktop.services.recompute import IsCancelled, Progress, recompute_due_times
from desktop.services.serialize import snapshot


class CalendarDay(NamedTuple):
    """A day the service-level clock skips: a public holiday or a closure the branch added."""

    day: date
    name: str
    is_closure: bool


class SettingsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self) -> PolicySettings:
        """The settings in force (reading them is reading the register)."""
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            return load_settings(session)

    def update(
        self,
        changes: dict[str, Any],
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> PolicySettings:
        """Validate and store changed settings; returns the settings now in force.

        When business hours, the time zone or the service levels change, the due times of
        every open comment are recomputed before the change commits (cancelling undoes it).
        """
        with self.ctx.read() as session:
            require(resolve_actor(session, self.ctx.login).roles, Permission.SETTINGS)
            current, _, changed = _validated(load_settings(session), changes)
        if not changed:
            return current
        with self.ctx.write() as work:
            work.require(Permission.SETTINGS)
            current, candidate, changed = _validated(work.settings, changes)
            for key, value in changed.items():
                stored = json.dumps(policy_settings.to_json(key, value))
                row = work.session.get(Setting, key)
                if row is None:
                    work.session.add(Setting(key=key, value=stored, updated_by_id=work.actor.id))
                else:
                    row.value = stored
                    row.updated_by_id = work.actor.id
            work.session.flush()
            if CALENDAR_KEYS & changed.keys():
                recompute_due_times(
                    work.session, open_only=True, progress=progress, cancelled=cancelled
                )
            work.audit(
                "settings.update",
                "settings",
                "policy",
                {k: policy_settings.to_json(k, getattr(current, k)) for k in changed},
                {k: policy_settings.to_json(k, v) for k, v in changed.items()},
            )
            return candidate

    def add_closure(
        self,
        day: date,
        reason: str = "",
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> Closure:
        """Add a day the branch is closed (e.g. Boxing Day); open comments whose clock runs
        over that day get new due times."""
        _check_day(day)
        why = v.text(reason, "Reason", field="reason", required=False)
        with self.ctx.write() as work:
            work.require(Permission.SETTINGS)
            if work.session.scalar(select(Closure).where(Closure.day == day)) is not None:
                raise ConflictError(f"{day:%A %Y-%m-%d} is already a closure day.")
            if day.weekday() >= 5:
                raise DomainError(
                    f"{day:%A %Y-%m-%d} is a weekend day; the office is closed anyway.", "day"
                )
            holiday = dict(BusinessCalendar(work.settings.timezone).holidays_in_year(day.year))
            if day in holiday:
                raise DomainError(
                    f"{day:%A %Y-%m-%d} is already a public holiday ({holiday[day]}).", "day"
                )
            closure = Closure(id=new_id(), day=day, reason=why, created_by_id=work.actor.id)
            work.session.add(closure)
            work.session.flush()
            moved = _recompute_around(work.session, work.settings, day, progress, cancelled)
            after = snapshot(closure)
            after["comments_recomputed"] = moved
            work.audit("closure.add", "closure", closure.id, after=after)
            return closure

    def remove_closure(
        self,
        day: date,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> None:
        """Open a closure day again; due times of open comments over that day are recomputed."""
        _check_day(day)
        with self.ctx.write() as work:
            work.require(Permission.SETTINGS)
            closure = work.session.scalar(select(Closure).where(Closure.day == day))
            if closure is None:
                raise NotFound(f"There is no closure on {day:%A %Y-%m-%d}.")
            before = snapshot(closure)
            work.session.delete(closure)
            work.session.flush()
            moved = _recompute_around(work.session, work.settings, day, progress, cancelled)
            work.audit(
                "closure.remove",
                "closure",
                closure.id,
                before=before,
                after={"comments_recomputed": moved},
            )

    def closures(self, year: int) -> list[CalendarDay]:
        """The branch's closure days of ``year``, by date."""
        return [day for day in self.holidays(year) if day.is_closure]

    def holidays(self, year: int) -> list[CalendarDay]:
        """The SK public holidays and the branch's closure days of ``year``, by date."""
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            settings = load_settings(session)
            closures = session.execute(
                select(Closure.day, Closure.reason)
                .where(Closure.day >= date(year, 1, 1), Closure.day <= date(year, 12, 31))
                .order_by(Closure.day)
            ).all()
        public = BusinessCalendar(settings.timezone).holidays_in_year(year)
        days = [CalendarDay(d, name, False) for d, name in public]
        days += [CalendarDay(d, reason or "Closure", True) for d, reason in closures]
        return sorted(days, key=lambda c: (c.day, c.is_closure))


def _validated(
    current: PolicySettings, changes: dict[str, Any]
) -> tuple[PolicySettings, PolicySettings, dict[str, Any]]:
    """(current, candidate, changed values) or a DomainError naming the field to fix."""
    parsed: dict[str, Any] = {}
    for key, raw in changes.items():
        try:
            parsed[key] = policy_settings.parse_setting(key, raw)
        except ValueError as exc:
            raise DomainError(str(exc), key) from exc
    candidate = dataclasses.replace(current, **parsed)
    if candidate.business_open >= candidate.business_close:
        raise DomainError(
            f"{SETTING_LABELS['business_open']} ({candidate.business_open:%H:%M}) must be "
            f"before {SETTING_LABELS['business_close'].lower()} "
            f"({candidate.business_close:%H:%M}).",
            "business_close" if "business_close" in parsed else "business_open",
        )
    if candidate.emergency_answer_hours < candidate.emergency_acknowledge_hours:
        raise DomainError(
            "In an emergency the answer cannot be due before the acknowledgement: "
            f"{SETTING_LABELS['emergency_answer_hours']} must be at least "
            f"{candidate.emergency_acknowledge_hours:g}.",
            "emergency_answer_hours",
        )
    try:
        policy_from(candidate, ())
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    changed = {k: val for k, val in parsed.items() if getattr(current, k) != val}
    return current, candidate, changed


def _recompute_around(
    session: Session,
    settings: PolicySettings,
    day: date,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> int:
    """Open comments whose clock window touches ``day``: received before its end, with a due
    time on or after its start (a window that ended earlier cannot move)."""
    zone = ZoneInfo(settings.timezone)
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    touches = and_(
        Comment.received_at < end,
        or_(Comment.answer_due_at >= start, Comment.acknowledge_due_at >= start),
    )
    return recompute_due_times(
        session, open_only=True, where=touches, progress=progress, cancelled=cancelled
    )


def _check_day(day: date) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise DomainError("Give the closure as a calendar day, without a time.", "day")
