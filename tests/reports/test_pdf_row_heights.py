"""A PDF table's body row heights are computed before the table is laid out (issue 17:
reportlab measured every remaining row at each page break of a table without merged
header cells); they must be exactly the heights reportlab measures itself: one-line
cells, wrapped Paragraphs, group rows across the table, bold totals, merged headers."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab.platypus import Table

from ctmtqg_desktop.reports import pdf_document
from ctmtqg_desktop.reports.letterhead import DocumentInfo, Letterhead, Signature
from ctmtqg_desktop.reports.pdf_document import GroupRow, OfficialPdf, PdfColumn, TotalRow

INFO = DocumentInfo("BÁO CÁO", "Thử chiều cao dòng", dt.date(2026, 12, 5),
                    Letterhead("UBND TỈNH QUẢNG NGÃI", "UBND XÃ ĐẮK LA", "Đắk La"),
                    Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"))
LONG = ("Bê tông hóa đường giao thông nội thôn 7 và làng Kon Gung, hỗ trợ nhà ở cho hộ "
        "nghèo đồng bào dân tộc thiểu số")


def _tables(columns, rows, *, measured_by_reportlab: bool, monkeypatch) -> Table:
    if measured_by_reportlab:
        monkeypatch.setattr(pdf_document, "_body_row_heights",
                            lambda data, header_count, *_a: [None] * (len(data) - header_count))
    pdf = OfficialPdf(INFO, landscape=True)
    pdf.table(columns, rows)
    monkeypatch.undo()
    return next(item for item in pdf.story if isinstance(item, Table)
                and item is not pdf.header_table)


@pytest.mark.parametrize("grouped", [False, True])
def test_body_heights_are_reportlabs_own(monkeypatch, grouped):
    groups = ("Kế hoạch vốn", "Năm 2026") if grouped else ()
    columns = [PdfColumn("STT", 0.5, "center", number="A" if grouped else None),
               PdfColumn("Tên dự án", 4, groups=groups[:1]),
               PdfColumn("Ghi chú", 2, groups=groups[:1]),
               PdfColumn("Số tiền (đồng)", 1.5, "right", groups=groups, unbreakable=True)]
    rows: list = [GroupRow("Chương trình MTQG xây dựng nông thôn mới " + LONG)]
    for index in range(120):
        rows.append([str(index + 1), LONG[: 20 + (index * 7) % len(LONG)],
                     "" if index % 3 else LONG, f"{index * 1234567:,}".replace(",", ".")])
    rows.append(TotalRow(["", "Tổng cộng " + LONG, "", "148.148.040"]))
    ours = _tables(columns, rows, measured_by_reportlab=False, monkeypatch=monkeypatch)
    theirs = _tables(columns, rows, measured_by_reportlab=True, monkeypatch=monkeypatch)
    header = theirs.repeatRows
    assert all(h is None for h in ours._argH[:header])
    assert None not in ours._argH[header:]
    theirs.wrap(ours._argW and sum(ours._argW), 10 ** 9)  # every row measured, none skipped
    assert theirs._rowHeights[header:] == ours._argH[header:]
    assert len({round(h, 3) for h in ours._argH[header:]}) >= 3  # one, two, several lines
