"""What became of a comment by the as-of: acknowledged and answered (mostly on time), closed.

Answered late is only ever in the past; a comment still open at the as-of is never overdue
unless it is one of the few left late on purpose (the compliance checks must find those).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.enums import CloseReason, CommentStatus
from desktop.policy.sla import DueTimes

P_NO_RESPONSE = 0.07  # rhetorical or negative: closed, "no response needed"
P_REFERRED = 0.02  # "referred to Communications"
P_LATE = 0.06  # answered, but after the answer-by time
P_CLOSE = 0.6  # answered more than two days ago and since closed
# Left late on purpose, among comments of the last ten days whose time has come.
P_ACK_OVERDUE = 0.05
P_ANSWER_OVERDUE = 0.04
P_UNASSIGNED = 0.15  # of those not acknowledged: nobody was even assigned
LATE_WINDOW = timedelta(days=10)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: CommentStatus
    assignee: Any  # the officer's id as bound, or None
    acknowledged: datetime | None = None
    answered: datetime | None = None
    closed: datetime | None = None
    close_reason: CloseReason | None = None


def decide(
    rng: random.Random,
    now: datetime,
    received: datetime,
    due: DueTimes,
    emergency: bool,
    assignee: Any,
) -> Outcome:
    if emergency:
        ack = received + timedelta(minutes=rng.uniform(3, 50))
    else:
        ack = min(due.clock_start + timedelta(minutes=rng.uniform(4, 55)), due.acknowledge_by)
    if ack > now:
        # Too recent to be acknowledged, and not due yet either. The newest may be unassigned.
        fresh = now - received < timedelta(hours=1)
        return Outcome(CommentStatus.NEW, None if fresh and rng.random() < 0.5 else assignee)
    if now - received < LATE_WINDOW and due.acknowledge_by < now:
        u = rng.random()
        if u < P_ACK_OVERDUE:
            return Outcome(CommentStatus.NEW, None if rng.random() < P_UNASSIGNED else assignee)
        if u < P_ACK_OVERDUE + P_ANSWER_OVERDUE and due.answer_by < now:
            return Outcome(CommentStatus.ACKNOWLEDGED, assignee, ack)
    u = rng.random()
    if u < P_NO_RESPONSE + P_REFERRED:
        reason = (
            CloseReason.NO_RESPONSE_NEEDED
            if u < P_NO_RESPONSE
            else CloseReason.REFERRED_TO_COMMUNICATIONS
        )
        return Outcome(CommentStatus.CLOSED, assignee, None, None, ack, reason)
    answer = on_time_answer(rng, ack, due, emergency)
    if rng.random() < P_LATE:
        late = due.answer_by + timedelta(hours=rng.uniform(1, 26))
        if late <= now:
            answer = late
    if answer > now:
        return Outcome(CommentStatus.ACKNOWLEDGED, assignee, ack)
    if now - answer > timedelta(days=2) and rng.random() < P_CLOSE:
        closed = min(answer + timedelta(hours=rng.uniform(1, 48)), now)
        return Outcome(CommentStatus.CLOSED, assignee, ack, answer, closed, CloseReason.ANSWERED)
    return Outcome(CommentStatus.ANSWERED, assignee, ack, answer)


def on_time_answer(rng: random.Random, ack: datetime, due: DueTimes, emergency: bool) -> datetime:
    """Some time after acknowledging and before the answer-by time: same day or next."""
    latest = due.answer_by - _MINUTE
    if emergency:
        return min(ack + timedelta(minutes=rng.uniform(15, 1800)), latest)
    if rng.random() < 0.6:
        return min(ack + timedelta(minutes=rng.uniform(10, 240)), latest)
    return max(ack + 5 * _MINUTE, latest - timedelta(minutes=rng.uniform(30, 420)))
