"""Typed errors. The message of an AppError is shown to the user as it is (Vietnamese)."""

from __future__ import annotations


class AppError(Exception):
    """An error the user can understand and act on. ``message`` is Vietnamese."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(AppError):
    """Bad input. ``errors`` maps a field name to its message (shown next to the field)."""

    exit_code = 2

    def __init__(
        self, message: str, *, field: str | None = None, errors: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.errors: dict[str, str] = dict(errors or ({field: message} if field else {}))


class NotFound(AppError):
    """A record named by the user does not exist (or the name is ambiguous)."""

    exit_code = 2

    def __init__(self, message: str, *, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = list(candidates or [])

    @classmethod
    def for_(cls, what: str, record_id: object, *, maybe_deleted: bool = False) -> NotFound:
        """The one wording for a record asked by its id that is not there: "Không tìm thấy
        <what> (mã <id>)."; ``maybe_deleted``: it was there when the user opened it."""
        tail = "; có thể đã bị xoá." if maybe_deleted else "."
        return cls(f"Không tìm thấy {what} (mã {record_id}){tail}")


class Conflict(AppError):
    """The action would break a rule (a duplicate, a record with history, a stale edit)."""

    exit_code = 3


class DatabaseError(AppError):
    """The database file cannot be used (damaged, foreign, too new, locked, read-only)."""

    exit_code = 4


class StaleEdit(Conflict):
    """Someone else saved the same record after this user opened it (optimistic locking).

    ``current`` holds the record as it is now in the database (field → value, dates as ISO
    text, with its ``version``); empty when the other person deleted it. ``changed_by`` and
    ``changed_at`` come from the audit trail. The form shows them and lets the user choose:
    keep the other person's values, or save again over them with
    ``expected_version=current["version"]``. Nothing is overwritten silently.
    """

    def __init__(
        self,
        message: str,
        *,
        entity: str = "",
        entity_id: int | None = None,
        current: dict[str, object] | None = None,
        changed_by: str = "",
        changed_at: str = "",
    ) -> None:
        super().__init__(message)
        self.entity = entity
        self.entity_id = entity_id
        self.current: dict[str, object] = dict(current or {})
        self.changed_by = changed_by
        self.changed_at = changed_at

    @property
    def deleted(self) -> bool:
        return not self.current

    @property
    def current_version(self) -> int | None:
        version = self.current.get("version")
        return int(version) if isinstance(version, int) else None
