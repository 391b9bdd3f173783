"""An image or video in a reply is published only with permission or with its source cited
(policy: "Information (including images, video, etc.) posted on GoS channels must abide by
copyright laws, and must be used only with permission or appropriate citing of the source").

``attach_media`` runs inside the reply's own transaction (``CommentService.respond``), so a
reply with an unacknowledged image is refused whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.enums import MediaKind, MediaPermission
from desktop.errors import DomainError
from desktop.models import Response, ResponseMedia
from desktop.models.base import new_id
from desktop.services import validation as v
from desktop.services.context import Work
from desktop.services.serialize import snapshot

ACKNOWLEDGEMENT = (
    "I confirm the Government may publish this image or video: it is used with permission, "
    "or its source is cited in the reply (copyright)."
)


@dataclass(frozen=True)
class MediaInput:
    kind: MediaKind | str
    description: str
    source: str  # who made it, or where it comes from
    permission: MediaPermission | str
    acknowledged: bool = False


def attach_media(work: Work, response: Response, items: Sequence[MediaInput]) -> list[Any]:
    """Add the reply's images and videos, refusing any without its acknowledgement; returns
    their snapshots for the reply's audit event."""
    rows = []
    if items:
        work.session.flush()  # the reply's row first: the media rows refer to it
    for item in items:
        kind = v.choice(item.kind, MediaKind, "Image or video", field="media_kind")
        what = "image" if kind == MediaKind.IMAGE else "video"
        description = v.text(
            item.description, f"What the {what} shows", field="media_description", max_len=300
        )
        source = v.text(item.source, f"Source of the {what}", field="media_source", max_len=300)
        permission = v.choice(
            item.permission, MediaPermission, "Permission", field="media_permission"
        )
        if not item.acknowledged:
            raise DomainError(
                f"Confirm the Government may publish the {what} \u201c{description}\u201d: "
                "images and video are used only with permission or with their source cited.",
                "media_acknowledged",
            )
        cited = source.casefold() in f"{response.text}\n{response.link_url}".casefold()
        if permission == MediaPermission.SOURCE_CITED and not cited:
            raise DomainError(
                f"The {what} is used on the strength of citing its source: name "
                f"\u201c{source}\u201d in the reply, or record the permission you have.",
                "media_source",
            )
        row = ResponseMedia(
            id=new_id(),
            response_id=response.id,
            kind=kind,
            description=description,
            source=source,
            permission=permission,
            acknowledged_by_id=work.actor.id,
            acknowledged_at=work.at,
        )
        work.session.add(row)
        rows.append(snapshot(row))
    return rows


def media_lines(session: Session, response_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Per reply, its images and videos as the comment's detail shows them: "Image: Clinic map
    (Saskatchewan Health Authority; public material, source cited in the reply)"."""
    lines: dict[uuid.UUID, list[str]] = {}
    if not response_ids:
        return lines
    rows = session.scalars(
        select(ResponseMedia)
        .where(ResponseMedia.response_id.in_(response_ids))
        .order_by(ResponseMedia.acknowledged_at, ResponseMedia.id)
    )
    for m in rows:
        what = "Image" if m.kind == MediaKind.IMAGE else "Video"
        permission = m.permission.label[0].lower() + m.permission.label[1:]
        lines.setdefault(m.response_id, []).append(
            f"{what}: {m.description} ({m.source}; {permission})"
        )
    return lines
