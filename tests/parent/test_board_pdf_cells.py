"""The parent's board (a report only a parent has): every table cell read back whole from
its PDF, as for the commune's reports (tests/reports/test_pdf_table_cells.py)."""

from __future__ import annotations

from ctmtqg_desktop.reports import document as document_module
from ctmtqg_desktop.reports.document import pdf_cells
from ctmtqg_desktop.services import report_catalog
from tests.reports.test_pdf_table_cells import broken_words, words_read_back


def test_the_board_pdf_breaks_no_cell(parent_demo_workspace, tmp_path, monkeypatch):
    written = []
    original = document_module._write_pdf

    def keep(doc, out):
        written.append(doc)
        original(doc, out)

    monkeypatch.setattr(document_module, "_write_pdf", keep)
    out = tmp_path / "board.pdf"
    report_catalog.build_report(parent_demo_workspace, "board", "pdf", out)
    cells = pdf_cells(written[0])
    assert len(cells) > 50
    assert broken_words(cells, words_read_back(out)) == []
