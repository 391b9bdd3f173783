"""Signed checkpoints of the audit chain (docs/trust-and-sync.md §5)."""

from desktop.services.checkpoints.service import (
    CheckpointService,
    CheckpointView,
    checkpoint_anchors,
    latest_checkpoint,
    parse_checkpoint,
)

__all__ = [
    "CheckpointService",
    "CheckpointView",
    "checkpoint_anchors",
    "latest_checkpoint",
    "parse_checkpoint",
]
