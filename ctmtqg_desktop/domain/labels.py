"""States and kinds, declared once with their Vietnamese labels.

A state or kind is stored as its value (the database and sync packages keep the same
strings); the enum names the values and gives each its label (an English msgid, ``N_()``,
translated when shown)::

    class TaskStatus(Labelled):
        NOT_STARTED = "not_started", N_("not started")
        DONE = "done", N_("done")

    TaskStatus.DONE == "done"; TaskStatus.DONE.label; TaskStatus.label_of("done")
"""

from __future__ import annotations

from enum import StrEnum

from ctmtqg_desktop.i18n import _


class Labelled(StrEnum):
    """A ``StrEnum`` whose members are ``value, msgid``."""

    msgid: str

    def __new__(cls, value: str, msgid: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.msgid = msgid
        return member

    @property
    def label(self) -> str:
        return _(self.msgid) if self.msgid else self.value

    @classmethod
    def label_of(cls, value: str, default: str | None = None) -> str:
        """The label of a stored value; the value itself (or ``default``) when unknown."""
        try:
            return cls(value).label
        except ValueError:
            return value if default is None else default

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)
