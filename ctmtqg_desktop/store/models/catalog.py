"""Reference catalog tables: administrative units, programmes, capital kinds and sources.

These rows are not synced records: they are loaded from ``resources/catalog`` (and from
catalog updates that flow down from the parent unit) by :mod:`ctmtqg_desktop.services.catalog`,
and keyed by stable natural keys so that records in every workspace refer to the same rows.
Units and programmes are looked up by code and validity, never by name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.store.base import Base, CatalogKey, StoredString, StoredText, UnitKey


class CatalogMeta(Base):
    """Key/value facts about the loaded catalog (its version, when it was loaded)."""

    __tablename__ = "catalog_meta"
    key: Mapped[str] = mapped_column(StoredString(40), primary_key=True)
    value: Mapped[str] = mapped_column(StoredText)


class AdminUnit(Base):
    """Đơn vị hành chính (province, district, commune, ward, town) with its validity period.

    Codes follow the national list of administrative unit codes (Quyết định 124/2004/QĐ-TTg
    and its updates). After 01/07/2025 (Nghị quyết 1677/NQ-UBTVQH15 and others) new units
    re-use old codes, so the key is the code for the original unit and ``code@valid_from``
    for a later one.
    """

    __tablename__ = "admin_unit"
    id: Mapped[str] = mapped_column(UnitKey, primary_key=True)
    code: Mapped[str] = mapped_column(StoredString(10), index=True)
    name: Mapped[str] = mapped_column(StoredString(120))
    name_folded: Mapped[str] = mapped_column(StoredString(120), index=True)
    #: province, municipality (thành phố trực thuộc trung ương), city, district, town,
    #: commune, ward, special_zone (đặc khu)
    kind: Mapped[str] = mapped_column(StoredString(20))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column()
    valid_to: Mapped[dt.date | None] = mapped_column()
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    source: Mapped[str] = mapped_column(StoredText, default="")
    #: the published "before the merger" text of a 2025 unit (free text, for people)
    former_units: Mapped[str] = mapped_column(StoredText, default="")
    retired: Mapped[bool] = mapped_column(default=False)


class UnitKeyCorrection(Base):
    """Đính chính mã đơn vị: a key an earlier catalog shipped wrongly (an inferred 2025 code)
    and the official one. Workspaces are re-keyed once (migration 0701_today); a package from
    a peer that has not upgraded yet still names the wrong key, which this table maps."""

    __tablename__ = "unit_key_correction"
    wrong_key: Mapped[str] = mapped_column(UnitKey, primary_key=True)
    right_key: Mapped[str] = mapped_column(UnitKey)
    name: Mapped[str] = mapped_column(StoredString(120))
    reason: Mapped[str] = mapped_column(StoredText, default="")
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")


class UnitAttributeHistory(Base):
    """A unit's attribute on dates, when it changed without a new unit (same code and
    territory): Đồng Nai (75@2025-07-01) was a tỉnh until 29/04/2026 and is a thành phố trực
    thuộc trung ương from 30/04/2026 (NQ 30/2026/QH16, partial), ten of its xã became phường
    (NQ 237/NQ-UBTVQH16). ``admin_unit`` holds today's value; this table the dated ones."""

    __tablename__ = "unit_attribute_history"
    unit_id: Mapped[str] = mapped_column(UnitKey, primary_key=True)
    #: ``kind`` (the only attribute so far)
    attribute: Mapped[str] = mapped_column(StoredString(20), primary_key=True)
    valid_from: Mapped[dt.date] = mapped_column(primary_key=True)
    valid_to: Mapped[dt.date | None] = mapped_column()
    value: Mapped[str] = mapped_column(StoredString(120))
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")


class UnitSuccession(Base):
    """Sắp xếp đơn vị hành chính: an old unit continues as a new one from a date."""

    __tablename__ = "unit_succession"
    old_unit_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), primary_key=True)
    new_unit_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), primary_key=True,
                                             index=True)
    effective_on: Mapped[dt.date] = mapped_column()
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")


class ProgramPeriod(Base):
    """Giai đoạn: 2021-2025 (three programmes), 2026-2035 (one merged programme,
    NQ 257/2025/QH15)."""

    __tablename__ = "program_period"
    id: Mapped[str] = mapped_column(StoredString(20), primary_key=True)
    name: Mapped[str] = mapped_column(StoredString(120))
    valid_from: Mapped[dt.date] = mapped_column()
    valid_to: Mapped[dt.date | None] = mapped_column()


class Program(Base):
    """Chương trình mục tiêu quốc gia, keyed ``period/CODE`` (``2021-2025/NTM``)."""

    __tablename__ = "program"
    id: Mapped[str] = mapped_column(CatalogKey, primary_key=True)
    period_id: Mapped[str] = mapped_column(ForeignKey("program_period.id"), index=True)
    code: Mapped[str] = mapped_column(StoredString(20))
    name: Mapped[str] = mapped_column(StoredText)
    short_name: Mapped[str] = mapped_column(StoredString(160))
    abbreviation: Mapped[str] = mapped_column(StoredString(40))
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    host_agency: Mapped[str] = mapped_column(StoredString(160), default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)


class ProgramComponent(Base):
    """Dự án / tiểu dự án / nội dung thành phần of a programme, as a tree.

    Keyed by the path of codes: ``2021-2025/DTTS/DA3/TDA2/ND1``.
    """

    __tablename__ = "program_component"
    id: Mapped[str] = mapped_column(CatalogKey, primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("program_component.id"), index=True)
    #: project (dự án), subproject (tiểu dự án), content (nội dung)
    level: Mapped[str] = mapped_column(StoredString(20))
    code: Mapped[str] = mapped_column(StoredString(20))
    name: Mapped[str] = mapped_column(StoredText)
    name_folded: Mapped[str] = mapped_column(StoredText)
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)


class CapitalKind(Base):
    """Loại vốn: đầu tư phát triển (Luật Đầu tư công số 58/2024/QH15 from 2026; 39/2019/QH14
    for 2021-2025) or sự nghiệp (Luật NSNN số 89/2025/QH15; 83/2015/QH13 before)."""

    __tablename__ = "capital_kind"
    code: Mapped[str] = mapped_column(StoredString(20), primary_key=True)
    name: Mapped[str] = mapped_column(StoredString(160))
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    carry_over_rule: Mapped[str] = mapped_column(StoredText, default="")
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    #: JSON ``{period: {legal_basis, carry_over_rule, confidence, source}}``
    periods: Mapped[str] = mapped_column(StoredText, default="{}")


class CapitalSource(Base):
    """Nguồn vốn: NSTW, NSĐP by level (vốn đối ứng), lồng ghép, tín dụng, huy động cộng đồng."""

    __tablename__ = "capital_source"
    code: Mapped[str] = mapped_column(StoredString(30), primary_key=True)
    name: Mapped[str] = mapped_column(StoredString(160))
    #: central, local, integrated, credit, enterprise, community, other
    group: Mapped[str] = mapped_column(StoredString(20))
    budget_level: Mapped[str] = mapped_column(StoredString(20), default="")
    counterpart: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
    #: the last day the source exists (NSĐP cấp huyện: 30/06/2025)
    valid_to: Mapped[dt.date | None] = mapped_column()
    #: JSON ``{period: {confidence, source, note}}``: offered only for the periods it lists
    periods: Mapped[str] = mapped_column(StoredText, default="{}")


class NtmCriterion(Base):
    """Tiêu chí xã nông thôn mới (Quyết định 318/QĐ-TTg ngày 08/3/2022: 19 tiêu chí)."""

    __tablename__ = "ntm_criterion"
    id: Mapped[str] = mapped_column(StoredString(40), primary_key=True)
    period_id: Mapped[str] = mapped_column(ForeignKey("program_period.id"), index=True)
    number: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(StoredString(160))
    group: Mapped[str] = mapped_column(StoredString(120))
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")


class ProjectKind(Base):
    """Loại dự án, công trình, hoạt động: decides the dossier template and the handbook page.

    ``group`` is ``investment`` (vốn đầu tư phát triển) or ``recurrent`` (vốn sự nghiệp).
    """

    __tablename__ = "project_kind"
    code: Mapped[str] = mapped_column(StoredString(40), primary_key=True)
    name: Mapped[str] = mapped_column(StoredString(200))
    group: Mapped[str] = mapped_column(StoredString(20))
    legal_basis: Mapped[str] = mapped_column(StoredText, default="")
    confidence: Mapped[str] = mapped_column(StoredString(20), default="unverified")
    sort_order: Mapped[int] = mapped_column(default=0)
