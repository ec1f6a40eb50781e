"""A parent's reports (the board, completeness, the consolidated capital and tasks reports,
the consolidated forms): every table cell read back whole from its PDF, as for the commune's
reports (tests/reports/test_pdf_table_cells.py)."""

from __future__ import annotations

import pytest

from ctmtqg_desktop.reports import document as document_module
from ctmtqg_desktop.reports.document import pdf_cells
from ctmtqg_desktop.services import report_catalog, report_forms
from tests.reports.test_pdf_table_cells import _options, broken_words, words_read_back

PARENT_KEYS = sorted({spec.key for spec in report_catalog.all_reports()
                      if "pdf" in spec.formats and "parent" in spec.roles})


@pytest.mark.parametrize("key", PARENT_KEYS)
def test_a_parent_report_pdf_breaks_no_cell(parent_demo_workspace, tmp_path, monkeypatch,
                                            key):
    written = []
    original = document_module._write_pdf

    def keep(doc, out):
        written.append(doc)
        original(doc, out)

    monkeypatch.setattr(document_module, "_write_pdf", keep)
    out = tmp_path / f"{key}.pdf"
    report_catalog.build_report(parent_demo_workspace, key, "pdf", out, _options(key))
    cells = pdf_cells(written[0])
    # a narrative form (Mẫu 01) consolidates to who reported: no table
    narrative = key.startswith("form-") and not report_forms.get_form(
        key.removeprefix("form-")).data.get("tables")
    assert len(cells) > (50 if key == "board" else -1 if narrative else 0)
    assert broken_words(cells, words_read_back(out)) == []
