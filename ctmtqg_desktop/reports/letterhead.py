"""The parts of an official document that come from the unit, not from the report.

Nghị định 30/2020/NĐ-CP, Phụ lục I: the header (tên cơ quan chủ quản, tên cơ quan ban hành,
số và ký hiệu, Quốc hiệu và Tiêu ngữ, địa danh và ngày), the signature block (quyền hạn,
chức vụ, họ tên người ký) and "Nơi nhận".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Letterhead:
    #: tên cơ quan chủ quản, e.g. "UBND HUYỆN ĐẮK HÀ" (may be empty)
    parent_body: str
    #: tên cơ quan ban hành, e.g. "UBND XÃ ĐẮK LA"
    issuing_body: str
    #: địa danh, e.g. "Đắk La"
    place: str
    #: số, ký hiệu: the number is left blank for the clerk to fill at registration
    number_symbol: str = "Số:       /BC-UBND"


@dataclass(frozen=True)
class Signature:
    #: quyền hạn, e.g. "TM. ỦY BAN NHÂN DÂN" (may be empty)
    authority: str
    #: chức vụ, e.g. "CHỦ TỊCH"
    title: str
    #: họ tên người ký (empty: a line is left for it)
    signer_name: str
    recipients: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DocumentInfo:
    """What one document says about itself: its type, subject and date."""

    doc_type: str  # "BÁO CÁO", "TỜ TRÌNH"
    subject: str  # "Tiến độ thực hiện nhiệm vụ ..."
    #: None for a blank form: the date line is left to fill by hand
    date: dt.date | None
    letterhead: Letterhead
    signature: Signature
