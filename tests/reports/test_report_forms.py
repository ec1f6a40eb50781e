"""The official report forms (issue 14): every shipped form filled for the demo commune for
the first 6 months and the year, as xlsx and PDF, read back."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.services import report_catalog, report_forms
from ctmtqg_desktop.services.report_catalog import ReportOptions

HALF = Period.of("half_year", 2023)
YEAR = Period.of("year", 2023)
PROGRAMME = Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31))


def _periods(form_id: str) -> list[Period]:
    if form_id == "ctmtqg-2021-2025-tong-ket":
        return [PROGRAMME]
    return [HALF, YEAR]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


FORMS = [form.id for form in report_forms.shipped_forms()]


def test_every_shipped_form_loads_and_is_listed_with_its_mark():
    assert len(FORMS) == 9 and not report_forms.refused_forms()
    specs = {s.key: s for s in report_catalog.all_reports()}
    spec = specs["form-gnbv-tt10-2022-bieu02"]
    assert "Thông tư 10/2022/TT-BLĐTBXH" in spec.description
    assert report_forms.mark_label("partial") in spec.description


@pytest.mark.parametrize("form_id", FORMS)
@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_each_form_for_six_months_and_the_year(demo_workspace, tmp_path, form_id, fmt):
    for period in _periods(form_id):
        out = tmp_path / f"{form_id}-{period.slug}.{fmt}"
        report_catalog.build_report(demo_workspace, "form-" + form_id, fmt, out,
                                    ReportOptions(period=period))
        if fmt == "xlsx":
            book = load_workbook(out)
            texts = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                     if c.value is not None]
        else:
            texts = [pdf_text(out)]
        joined = "\n".join(texts)
        assert "Đắk La" in joined
