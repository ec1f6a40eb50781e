"""How a user names an administrative unit: its code, and a date where the code was re-used.

Since the 2025 reorganisation (Nghị quyết 1677/NQ-UBTVQH15 for Kon Tum / Quảng Ngãi), new
communes re-use 5-digit codes of old ones, so ``23293`` alone may name two units; the form
``23293@2023-06-01`` (or ``23293@01/06/2023``) picks the unit valid on that date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ctmtqg_desktop.domain.errors import InvalidDate, InvalidUnitReference
from ctmtqg_desktop.domain.formats import parse_date

_REF = re.compile(r"^(?P<code>\d{1,5})(?:@(?P<date>.+))?$")


@dataclass(frozen=True)
class UnitRef:
    code: str
    on: dt.date | None = None

    def __str__(self) -> str:
        return f"{self.code}@{self.on.isoformat()}" if self.on else self.code


def parse_unit_ref(text: str) -> UnitRef:
    found = _REF.match((text or "").strip())
    if not found:
        raise InvalidUnitReference(text=text)
    on = None
    if found["date"]:
        try:
            on = parse_date(found["date"])
        except InvalidDate as error:
            raise InvalidUnitReference(text=text) from error
    return UnitRef(found["code"], on)


@dataclass(frozen=True)
class Validity:
    """A unit's or programme's validity period; ``None`` ends are open."""

    valid_from: dt.date | None
    valid_to: dt.date | None

    def contains(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        return True
