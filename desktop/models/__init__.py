"""SQLAlchemy entities, one module per aggregate; importing this registers them all."""

from desktop.models.account import Account
from desktop.models.account_role import AccountRole
from desktop.models.approval import Approval, ApprovalStep
from desktop.models.audit import AuditEvent, Checkpoint, DatabaseMeta, RecordDigest, SigningKey
from desktop.models.base import Base, UTCDateTime, new_id, utcnow
from desktop.models.calendar import Closure
from desktop.models.campaign import Campaign
from desktop.models.comment import Comment, Response
from desktop.models.content import PersonalName, ResponseMedia
from desktop.models.emergency import Emergency, EmergencyAccount, EmergencyMinistry, GroupUpdate
from desktop.models.evaluation import Evaluation
from desktop.models.goal import Goal
from desktop.models.imports import DailyMetric, ImportBatch, PostMetric
from desktop.models.metrics import MetricSnapshot
from desktop.models.ministry import KeyContact, Ministry
from desktop.models.moderation import Ban, Commenter, Strike
from desktop.models.person import Person, PersonRole
from desktop.models.setting import Setting

__all__ = [
    "Account",
    "AccountRole",
    "Approval",
    "ApprovalStep",
    "AuditEvent",
    "Ban",
    "Base",
    "Campaign",
    "Checkpoint",
    "Closure",
    "Comment",
    "Commenter",
    "DailyMetric",
    "DatabaseMeta",
    "Emergency",
    "EmergencyAccount",
    "EmergencyMinistry",
    "Evaluation",
    "Goal",
    "GroupUpdate",
    "ImportBatch",
    "KeyContact",
    "MetricSnapshot",
    "Ministry",
    "Person",
    "PersonRole",
    "PersonalName",
    "PostMetric",
    "RecordDigest",
    "Response",
    "ResponseMedia",
    "Setting",
    "SigningKey",
    "Strike",
    "UTCDateTime",
    "new_id",
    "utcnow",
]
