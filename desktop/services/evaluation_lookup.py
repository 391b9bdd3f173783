"""Find which account and half-year an evaluation belongs to, so a link to it can be opened."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from desktop.errors import NotFound
from desktop.models import Evaluation
from desktop.services.context import ServiceContext
from desktop.services.metrics import require_reader


@dataclass(frozen=True)
class EvaluationRef:
    id: uuid.UUID
    account_id: uuid.UUID
    period: str  # "2026H1"


class EvaluationLookup:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def locate(self, evaluation_id: uuid.UUID) -> EvaluationRef:
        with self.ctx.read() as session:
            require_reader(self.ctx, session)
            row = session.execute(
                select(Evaluation.account_id, Evaluation.period).where(
                    Evaluation.id == evaluation_id
                )
            ).one_or_none()
        if row is None:
            raise NotFound(f"Evaluation {evaluation_id} does not exist (it may have been removed).")
        return EvaluationRef(evaluation_id, row.account_id, row.period)
