"""The error hierarchy every layer raises and the GUI and CLI show.

Errors here carry a sentence a person can act on. Anything else that escapes is a bug and
is logged with its traceback.
"""

from __future__ import annotations


class SmgovError(Exception):
    """Base of the errors that are meant to be shown to a person as they are."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DomainError(SmgovError):
    """The request breaks a rule: the message says what to fix."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(SmgovError):
    """The acting person lacks the role the action needs; the message names that role."""


class ConflictError(SmgovError):
    """Someone else changed the record in the meantime, or it already exists."""


class NotFound(DomainError):
    """A record the request names does not exist."""


class StorageUnavailable(SmgovError):
    """The database cannot be reached or opened: the environment failed, not the user."""


class Cancelled(Exception):
    """The person cancelled long work (a recomputation, a report, an import); whatever it was
    writing rolls back and no file is left behind. Not shown as an error."""
