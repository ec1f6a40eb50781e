"""Output layout shared by every report and printed form.

* :mod:`letterhead` — the data of an official document's header and signature block;
* :mod:`pdf_document` — PDF in the Nghị định 30/2020/NĐ-CP layout (reportlab);
* :mod:`xlsx_workbook` — styled, print-ready Excel sheets (openpyxl);
* :mod:`fonts` — the bundled Times-compatible font.

This package turns plain data into files; it does not query the store. The builders of
each area's reports live in ``services/*_reports.py`` and are listed for the CLI and the GUI
in :mod:`ctmtqg_desktop.services.report_catalog`.
"""
