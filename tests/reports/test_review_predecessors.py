"""The 2021-2025 review (báo cáo tổng kết) of a commune merged in 2025 covers its
predecessors' records (the catalog's successions), and says which predecessors it holds no
record of; other forms cover the unit alone."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.services import report_catalog, report_forms
from ctmtqg_desktop.services.parent import _demo as parent_demo
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.parent.conftest import set_today

NEW = "23500@2025-07-01"
REVIEW = report_forms.get_form("ctmtqg-2021-2025-tong-ket")
PROGRAMME = Period.between(dt.date(2021, 1, 1), dt.date(2025, 12, 31))


def _fill(workspace, unit: str) -> None:
    templates = parent_demo.template_choices(workspace)
    with UnitOfWork(workspace) as uow:
        parent_demo.fill_child(uow.session, unit_id=unit, today=dt.date(2024, 12, 20),
                               rng=random.Random(unit), data=parent_demo.demo_data(),
                               templates=templates, households=2, scale=0.25)
        uow.commit()


def _money(figures: str) -> int:
    data = json.loads(figures)
    return sum(v for rows in data["tables"].values() for row in rows
               if row["kind"] == "total" for v in row["values"].values()
               if isinstance(v, int))


def test_the_review_of_a_merged_commune_covers_its_predecessors(new_workspace, tmp_path):
    merged = new_workspace(unit=NEW)
    set_today(merged, dt.date(2026, 1, 20))
    options = report_catalog.ReportOptions(period=PROGRAMME)
    units = report_forms.covered_units(merged, REVIEW)
    assert units[0] == NEW and "23521" in units and "23524" in units
    assert report_forms.covered_units(merged, report_forms.get_form(
        "gnbv-tt10-2022-bieu02")) == [NEW]
    before = report_forms.form_figures(merged, REVIEW, options)
    # the records of xã Hà Mòn (merged in) as the merged commune holds them
    _fill(merged, "23521")
    after = report_forms.form_figures(merged, REVIEW, options)
    assert _money(after) > _money(before)
    out = tmp_path / "tong-ket.pdf"
    report_catalog.build_report(merged, "form-ctmtqg-2021-2025-tong-ket", "pdf", out, options)
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = " ".join(text.split())
    assert "Hà Mòn" in flat and "Đắk La" in flat  # named; Đắk La has no record here
