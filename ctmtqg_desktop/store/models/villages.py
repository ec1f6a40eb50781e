"""Thôn, làng, bản: the villages of a commune (not in the national code list, so records)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, StoredString, SyncedRecord


class Village(SyncedRecord, Base):
    """A village of the owning commune.

    ``extremely_disadvantaged`` marks a thôn đặc biệt khó khăn (Quyết định 612/QĐ-UBDT
    ngày 16/9/2021 lists them for 2021-2025; Kon Tum had 371).
    """

    __tablename__ = "village"
    __label__ = N_("Villages")
    name: Mapped[str] = mapped_column(StoredString(120))
    ethnic_groups: Mapped[str] = mapped_column(StoredString(200), default="")
    households: Mapped[int] = mapped_column(default=0)
    population: Mapped[int] = mapped_column(default=0)
    extremely_disadvantaged: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
