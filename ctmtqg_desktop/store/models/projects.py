"""Dự án, công trình, hoạt động: what the capital is spent on and what a dossier is for.

One record per investment project, small construction work or recurrent-funded activity of
the commune (or, for a parent unit, its own). The capital area adds funding, payments and
scores in its own tables; the dossier area attaches dossiers to these records.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, CatalogKey, StoredString, StoredText, SyncedRecord

#: chuẩn bị đầu tư / thực hiện / nghiệm thu, bàn giao / quyết toán
PROJECT_STAGES = ("preparation", "implementation", "acceptance", "settlement")


class Project(SyncedRecord, Base):
    __tablename__ = "project"
    __label__ = N_("Projects and works")

    name: Mapped[str] = mapped_column(StoredString(300))
    #: ``2021-2025/NTM``
    program_id: Mapped[str] = mapped_column(CatalogKey, index=True)
    #: the project, sub-project or content it belongs to (``2021-2025/DTTS/DA3/TDA2``)
    component_id: Mapped[str | None] = mapped_column(CatalogKey)
    #: a ``project_kind`` code
    kind: Mapped[str] = mapped_column(StoredString(40))
    village_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("village.id"), index=True)
    location: Mapped[str] = mapped_column(StoredString(300), default="")
    #: chủ đầu tư / đơn vị thực hiện
    investor: Mapped[str] = mapped_column(StoredString(200), default="")
    approval_number: Mapped[str] = mapped_column(StoredString(60), default="")
    approval_date: Mapped[dt.date | None] = mapped_column()
    approval_body: Mapped[str] = mapped_column(StoredString(200), default="")
    start_date: Mapped[dt.date | None] = mapped_column()
    end_date: Mapped[dt.date | None] = mapped_column()
    #: preparation, implementation, acceptance, settlement
    stage: Mapped[str] = mapped_column(StoredString(20), default="preparation")
    #: khối lượng thực hiện, percent 0-100
    physical_progress: Mapped[int] = mapped_column(default=0)
    #: planned number of beneficiary households
    beneficiary_households: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(StoredText, default="")
