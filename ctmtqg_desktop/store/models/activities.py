"""Hoạt động: communication campaigns, emulation movements, training, inspections and
supervision, steering-committee meetings: what the unit did to carry out the programmes,
with whom and how many people.

The 2023 directive of Kon Tum (Kế hoạch 729/KH-UBND) asks for two campaigns (cuộc vận động
"Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau", "Toàn dân đoàn kết xây
dựng nông thôn mới, đô thị văn minh") and two emulation movements (phong trào thi đua), the
training of commune officers, steering-committee work and supervision (including the
Fatherland Front's giám sát, phản biện xã hội, Quyết định 217-QĐ/TW). Each held activity is
one :class:`Activity`, owned by the unit; evidence (photos, minutes) are attachments
(``parent_table`` ``activity``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, CatalogKey, StoredString, StoredText, SyncedRecord

#: truyền thông / tập huấn, bồi dưỡng / kiểm tra, giám sát / họp Ban Chỉ đạo /
#: phong trào thi đua / khác
ACTIVITY_KINDS = ("communication", "training", "inspection", "steering_meeting", "emulation",
                  "other")


class Activity(SyncedRecord, Base):
    __tablename__ = "activity"
    __label__ = N_("Activities")
    __table_args__ = (
        Index("ix_activity_owner_live", "owner_unit_id", "deleted"),
    )

    kind: Mapped[str] = mapped_column(StoredString(20), index=True)
    title: Mapped[str] = mapped_column(StoredString(300))
    #: the campaign or movement it belongs to (cuộc vận động, phong trào), free text
    campaign: Mapped[str] = mapped_column(StoredString(300), default="")
    #: None: common to every programme (a steering-committee meeting)
    program_id: Mapped[str | None] = mapped_column(CatalogKey)
    component_id: Mapped[str | None] = mapped_column(CatalogKey)
    project_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("project.id"))
    start_on: Mapped[dt.date] = mapped_column(index=True)
    end_on: Mapped[dt.date | None] = mapped_column()
    #: a village of the commune, or else the place written out
    village_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("village.id"))
    place: Mapped[str] = mapped_column(StoredString(300), default="")
    #: đơn vị tổ chức, chủ trì (``UBND xã``, ``Ủy ban MTTQ Việt Nam xã``)
    organiser: Mapped[str] = mapped_column(StoredString(300), default="")
    participants: Mapped[int] = mapped_column(default=0)
    #: of the participants: women, ethnic-minority people, members of poor households
    participants_women: Mapped[int] = mapped_column(default=0)
    participants_ethnic: Mapped[int] = mapped_column(default=0)
    participants_poor: Mapped[int] = mapped_column(default=0)
    content: Mapped[str] = mapped_column(StoredText, default="")
    #: kết quả; for an inspection or supervision: findings (kết luận)
    results: Mapped[str] = mapped_column(StoredText, default="")
    #: kiến nghị after an inspection or supervision
    recommendations: Mapped[str] = mapped_column(StoredText, default="")
    #: kinh phí, whole đồng (None: not recorded)
    cost: Mapped[int | None] = mapped_column(BigInteger)
    #: derived: folded text of the record for diacritic-insensitive search
    search_text: Mapped[str] = mapped_column(StoredText, default="")
