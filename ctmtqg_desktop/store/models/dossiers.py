"""Hồ sơ (dossiers), their templates, and the beneficiary households (hộ hưởng lợi).

* :class:`DossierTemplate` is reference data, like the catalog: a bộ hồ sơ mẫu set by the
  Provincial People's Council (Nghị định 27/2022/NĐ-CP as amended by Nghị định
  38/2023/NĐ-CP), shipped in ``resources/dossiers/templates`` or sent down by the parent
  unit. It is keyed ``code@version``, so a newer version is installed beside the older one
  and a dossier keeps the version it was started with.
* :class:`Dossier` is a project's dossier, started from one template version;
  :class:`DossierDocument` is one line of its checklist (status, dates, signer, the values
  of its form). Files attach to documents (``attachment.parent_table = "dossier_document"``).
* :class:`Household` and :class:`HouseholdSupport`: who benefits and what each received
  from which project, to find a household supported twice for the same content.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, StoredString, StoredText, SyncedRecord

#: the stages of a dossier, in order (chuẩn bị, phê duyệt, thực hiện, nghiệm thu, quyết toán)
DOSSIER_STAGES = ("preparation", "approval", "implementation", "acceptance", "settlement")
#: a checklist line's status: chưa có, đang soạn, đã ký, đã quét (bản scan lưu kèm)
DOCUMENT_STATUSES = ("missing", "drafting", "signed", "scanned")
#: hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo, không thuộc diện
POVERTY_STATUSES = ("poor", "near_poor", "recently_out", "none")


class DossierTemplate(Base):
    """Bộ hồ sơ mẫu: one version of a dossier template (reference data, not a record)."""

    __tablename__ = "dossier_template"
    #: ``code@version``, e.g. ``production_support.62@1``
    id: Mapped[str] = mapped_column(StoredString(80), primary_key=True)
    code: Mapped[str] = mapped_column(StoredString(60), index=True)
    version: Mapped[int] = mapped_column()
    #: the province code whose People's Council set it (``62`` Kon Tum)
    province: Mapped[str] = mapped_column(StoredString(10))
    #: a ``project_kind`` code
    kind: Mapped[str] = mapped_column(StoredString(40), index=True)
    title: Mapped[str] = mapped_column(StoredString(300))
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    #: the file it came from (for messages)
    source_name: Mapped[str] = mapped_column(StoredString(200), default="")
    #: shipped, package (from the parent unit) or file (installed by hand)
    origin: Mapped[str] = mapped_column(StoredString(20), default="shipped")
    #: the template itself, as the YAML text it was validated from
    content: Mapped[str] = mapped_column(StoredText)
    digest: Mapped[str] = mapped_column(StoredString(64))
    installed_at: Mapped[dt.datetime] = mapped_column()


class Dossier(SyncedRecord, Base):
    __tablename__ = "dossier"
    __label__ = N_("Dossiers")

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    template_id: Mapped[str] = mapped_column(ForeignKey("dossier_template.id"))
    started_on: Mapped[dt.date] = mapped_column()
    #: the stage the commune says it has reached (one of DOSSIER_STAGES)
    current_stage: Mapped[str] = mapped_column(StoredString(20), default="preparation")
    #: a settled dossier is locked: nothing in it may change any more
    locked: Mapped[bool] = mapped_column(default=False)
    locked_on: Mapped[dt.date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(StoredText, default="")


class DossierDocument(SyncedRecord, Base):
    __tablename__ = "dossier_document"
    __label__ = N_("Dossier documents")
    __table_args__ = (Index("ix_dossier_document_dossier_code", "dossier_id", "document_code"),)

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id"), index=True)
    #: the document's code in the template (``village_minutes``)
    document_code: Mapped[str] = mapped_column(StoredString(60))
    status: Mapped[str] = mapped_column(StoredString(20), default="missing")
    #: số, ký hiệu of the signed document (``15/BB-UBND``)
    number: Mapped[str] = mapped_column(StoredString(60), default="")
    document_date: Mapped[dt.date | None] = mapped_column(default=None)
    signed_on: Mapped[dt.date | None] = mapped_column(default=None)
    signer: Mapped[str] = mapped_column(StoredString(200), default="")
    note: Mapped[str] = mapped_column(StoredText, default="")
    #: the filled form, canonical JSON of {field key: value} ("" when it has none)
    form_values: Mapped[str] = mapped_column(StoredText, default="")


class Household(SyncedRecord, Base):
    """Hộ hưởng lợi: a household of the commune that receives (or may receive) support."""

    __tablename__ = "household"
    __label__ = N_("Beneficiary households")

    head_name: Mapped[str] = mapped_column(StoredString(120))
    #: folded head name (no diacritics, lower case) for diacritic-insensitive SQL search
    head_name_folded: Mapped[str] = mapped_column(StoredString(120), index=True)
    #: số định danh cá nhân / CCCD (12 digits) or old CMND (9): personal data, shown masked
    id_number: Mapped[str] = mapped_column(StoredString(12), default="")
    birth_year: Mapped[int | None] = mapped_column(default=None)
    village_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("village.id"), index=True)
    ethnicity: Mapped[str] = mapped_column(StoredString(60), default="")
    #: one of POVERTY_STATUSES
    poverty_status: Mapped[str] = mapped_column(StoredString(20), default="none")
    ethnic_minority: Mapped[bool] = mapped_column(default=False)
    members: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(StoredText, default="")


class HouseholdSupport(SyncedRecord, Base):
    """What one household received from one project: content, amount, date."""

    __tablename__ = "household_support"
    __label__ = N_("Support received by households")

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    #: a support-content code from resources/dossiers/support-contents.yaml
    content: Mapped[str] = mapped_column(StoredString(40), index=True)
    amount: Mapped[int] = mapped_column(default=0)
    received_on: Mapped[dt.date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(StoredText, default="")
