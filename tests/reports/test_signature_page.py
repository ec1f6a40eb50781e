"""A short report is one page: its last paragraph and the signature block ("Nơi nhận",
TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH) stay on the first page when they fit (a nested
KeepTogether used to push them to a second page every time)."""

from __future__ import annotations

from pypdf import PdfReader

from ctmtqg_desktop.reports.document import Document, Note, Sheet, write
from ctmtqg_desktop.services import report_catalog


def test_a_short_report_and_its_signature_are_one_page(new_workspace, tmp_path):
    commune = new_workspace(unit="23524")
    info = report_catalog.document_info(commune, doc_type="BÁO CÁO", subject="Thử")
    for landscape in (False, True):
        out = tmp_path / f"ngan-{landscape}.pdf"
        write(Document(info, [Sheet("R", [Note("Câu thứ nhất của báo cáo. " * 8),
                                          Note("Câu thứ hai của báo cáo. " * 8)],
                                    landscape=landscape, letterhead=True, signature=True)]),
              "pdf", out)
        reader = PdfReader(out)
        assert len(reader.pages) == 1, landscape
        text = reader.pages[0].extract_text()
        assert "Câu thứ hai" in text and "Nơi nhận" in text and "CHỦ TỊCH" in text
