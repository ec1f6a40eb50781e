"""Typed errors that carry data; the GUI and the CLI turn them into Vietnamese sentences.

Every error a user may meet derives from :class:`UserError`. A subclass declares its
sentence once, in English with ``{placeholders}`` (translated through the gettext catalogs),
and is raised with the data: ``raise InvalidDate(text="31/02/2023")``. Integers are shown as
1.234.567 and dates as dd/mm/yyyy when the sentence is rendered. No user ever sees a
traceback or an English exception text: the entry points catch ``UserError`` and print
``str(error)``; anything else is logged and reported as an internal error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from ctmtqg_desktop.i18n import N_, _


class UserError(Exception):
    """An error the user can understand and act on (bad input, a refused operation)."""

    template: ClassVar[str] = N_("The operation could not be completed.")
    #: exit status of the CLI for this error: 2 for bad arguments, 1 for refused work
    exit_code: ClassVar[int] = 1
    #: the form field the error is about (a form shows the sentence beside that field); a
    #: raise site may name it instead: ``raise DateInFuture(..., form_field="paid_on")``
    form_field: ClassVar[str | None] = None

    def __init__(self, **data: Any) -> None:
        self.data = data
        super().__init__(self.template)

    def field_name(self) -> str | None:
        """The form field this error is about (``form_field``), or None."""
        return self.data.get("form_field") or self.form_field

    def _shown(self, value: Any) -> Any:
        from ctmtqg_desktop.domain.formats import format_date, format_number

        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return format_number(value)
        if isinstance(value, dt.date):
            return format_date(value)
        return value

    def message(self) -> str:
        shown = {key: self._shown(value) for key, value in self.data.items()}
        return _(self.template).format(**shown)

    def __str__(self) -> str:
        return self.message()


class BadArgument(UserError):
    """A command-line or form argument that cannot be read at all."""

    exit_code = 2
    template = N_("{detail}")


class InvalidAmount(UserError):
    exit_code = 2
    template = N_(
        "“{text}” is not an amount in đồng. Write whole đồng, with dots between thousands, "
        "for example 1.250.000."
    )


class InvalidDate(UserError):
    exit_code = 2
    template = N_("“{text}” is not a date. Write the date as dd/mm/yyyy, for example 05/03/2023.")


class InvalidUnitReference(UserError):
    exit_code = 2
    template = N_(
        "“{text}” is not a unit code. Write the code, and if needed the date: "
        "23293 or 23293@01/06/2023."
    )


class UnitNotFound(UserError):
    template = N_("No administrative unit has the code {code}{when}.")


class AmbiguousUnit(UserError):
    template = N_(
        "The code {code} names several units ({candidates}). Add a date to choose one, "
        "for example {code}@01/06/2023."
    )


class WorkspaceNotInitialized(UserError):
    template = N_(
        "The workspace {path} has not been set up yet. Run “ctmtqg workspace init --unit CODE” "
        "or open the application to choose your unit."
    )


class WorkspaceAlreadyInitialized(UserError):
    template = N_("The workspace {path} is already set up for {unit}. Nothing was changed.")


class SchemaNewerThanApp(UserError):
    template = N_(
        "This workspace was written by a newer version of the application (data version "
        "{workspace_revision}). Please update CTMTQG Desktop before opening it."
    )


class SchemaUnknown(UserError):
    template = N_(
        "The database at {location} is not a CTMTQG workspace, or it is damaged "
        "(unknown data version {workspace_revision})."
    )


class BackupFailed(UserError):
    template = N_(
        "The workspace could not be backed up before upgrading, so it was not upgraded: {reason}"
    )


class DatabaseUnavailable(UserError):
    template = N_("The database could not be opened ({location}): {reason}")


class CatalogInvalid(UserError):
    template = N_("The reference catalog file {file} is invalid at line {line}: {reason}")


class AttachmentTooLarge(UserError):
    template = N_(
        "The file “{name}” is {size} bytes; attachments may be at most {limit} bytes. "
        "Scan at a lower resolution or split the file."
    )


class AttachmentMissing(UserError):
    template = N_("The attached file {digest} is missing from the workspace.")


class RecordNotFound(UserError):
    template = N_("{kind} {ident} was not found.")


class IntegrityProblem(UserError):
    template = N_("The workspace check found a problem: {detail}")
