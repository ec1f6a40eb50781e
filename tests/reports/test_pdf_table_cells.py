"""No number, date, amount or word is broken across lines in any table of any shipped report
(issue 14): every cell's words, as the document declares them, are read back whole from the
PDF's text (pdftotext), for every report of the list on the demo commune."""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.reports import document as document_module
from ctmtqg_desktop.reports.document import pdf_cells
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.report_catalog import ReportOptions

# a parent's reports (board, completeness, consolidated capital and tasks):
# tests/parent/test_board_pdf_cells.py
KEYS = sorted({spec.key for spec in report_catalog.all_reports()
               if "pdf" in spec.formats and "commune" in spec.roles})


def _options(key: str) -> ReportOptions:
    if key == "form-ctmtqg-2021-2025-tong-ket":
        import datetime as dt
        return ReportOptions(period=Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31)))
    if key.startswith("form-"):
        return ReportOptions(period=Period.of("half_year", 2023))
    return ReportOptions()


def words_read_back(path) -> Counter:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return Counter(text.split())


def broken_words(declared: list[str], read: Counter) -> list[str]:
    wanted = Counter(word for cell in declared for word in cell.split())
    return sorted(word for word, count in wanted.items() if read[word] < count)


@pytest.mark.parametrize("key", KEYS)
def test_every_table_cell_is_read_back_whole(demo_workspace, tmp_path, monkeypatch, key):
    written = []
    original = document_module._write_pdf

    def keep(doc, out):
        written.append(doc)
        original(doc, out)

    monkeypatch.setattr(document_module, "_write_pdf", keep)
    out = tmp_path / f"{key}.pdf"
    report_catalog.build_report(demo_workspace, key, "pdf", out, _options(key))
    assert written, "every shipped report is laid out by reports.document"
    cells = pdf_cells(written[0])
    assert broken_words(cells, words_read_back(out)) == []


def test_columns_are_never_narrower_than_their_longest_word_or_amount():
    """The guard itself: each column at least as wide as its longest word (an amount: its
    whole value) at the size chosen; a table too wide for the page is set smaller."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ctmtqg_desktop.reports.fonts import SERIF, register_fonts
    from ctmtqg_desktop.reports.pdf_document import CELL_PADDING, PdfColumn, fit_columns

    register_fonts()
    columns = [PdfColumn("Nội dung", 40), PdfColumn("Hạng", 1, "right", unbreakable=True),
               PdfColumn("Số tiền", 1, "right", unbreakable=True)]
    rows = [["Một việc", "1", "4.350.000.000 đồng"]]
    size, widths = fit_columns(columns, rows, 450, 11)
    assert size == 11
    assert widths[2] >= stringWidth("4.350.000.000 đồng", SERIF, 11) + CELL_PADDING
    assert widths[1] >= stringWidth("Hạng", SERIF, 11) + CELL_PADDING
    assert abs(sum(widths) - 450) < 0.01
    wide = [PdfColumn(f"Cột {n}", 1, unbreakable=True) for n in range(20)]
    size, widths = fit_columns(wide, [["4.350.000.000"] * 20], 450, 11)
    assert size < 11
    assert all(w >= stringWidth("4.350.000.000", SERIF, size) + CELL_PADDING for w in widths)
