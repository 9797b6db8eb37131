"""The typed ORM. Importing this package registers every table on ``Base.metadata``."""

from app.kinds import CHANNEL_LABELS, UNIT_KIND_LABELS, Channel, UnitKind
from app.models.attachment import AttachmentBlob
from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.calendar_day import CalendarDay
from app.models.directive import Directive, Task, TaskKind, TaskUnit, TaskUnitKind
from app.models.import_batch import ImportBatch
from app.models.issued_document import IssuedDocument, IssuedDocumentUnit
from app.models.obligation import Obligation, ObligationDueChange
from app.models.setting import Setting
from app.models.submission import Submission
from app.models.unit import Unit

__all__ = [
    "CHANNEL_LABELS",
    "UNIT_KIND_LABELS",
    "AttachmentBlob",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "Channel",
    "Directive",
    "ImportBatch",
    "IssuedDocument",
    "IssuedDocumentUnit",
    "Obligation",
    "ObligationDueChange",
    "Setting",
    "Submission",
    "Task",
    "TaskKind",
    "TaskUnit",
    "TaskUnitKind",
    "Unit",
    "UnitKind",
]
