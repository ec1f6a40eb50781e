"""The official report forms (issue 14): every shipped form filled for the demo commune for
the first 6 months and the year, as xlsx and PDF, read back."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.resource_paths import resource_path
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


def test_capital_figures_as_of_the_period_end_differ_from_today(demo_workspace, tmp_path):
    """`report capital --date 30/06/2023`: the payments made after 30/06 are not counted."""
    from ctmtqg_desktop.services import capital

    june = capital.year_summary(demo_workspace, 2023, as_of=dt.date(2023, 6, 30)).total
    today = capital.year_summary(demo_workspace, 2023).total
    assert june.disbursed < today.disbursed
    out = tmp_path / "capital.xlsx"
    report_catalog.build_report(demo_workspace, "capital", "xlsx", out,
                                ReportOptions(date=dt.date(2023, 6, 30)))
    sheet = load_workbook(out)["Kế hoạch vốn"] if "Kế hoạch vốn" in load_workbook(out) \
        else load_workbook(out).worksheets[0]
    totals = [row for row in sheet.iter_rows(values_only=True) if "Tổng cộng" in row]
    assert totals and totals[-1][5] == june.disbursed != today.disbursed


def test_a_form_table_for_six_months_and_the_year_reads_back(demo_workspace, tmp_path):
    """Biểu DTTS: the total row is the sum of the groups and equals the programme's
    disbursement as the capital area computes it on the period's end."""
    from ctmtqg_desktop.services import capital

    read = {}
    for period in (HALF, YEAR):
        out = tmp_path / f"dtts-{period.slug}.xlsx"
        report_catalog.build_report(demo_workspace, "form-dtts-tt01-2022-xa", "xlsx", out,
                                    ReportOptions(period=period))
        sheet = load_workbook(out).worksheets[1]
        rows = [r for r in sheet.iter_rows(values_only=True)]
        total = next(r for r in rows if r[1] == "TỔNG CỘNG")
        groups = [r for r in rows if isinstance(r[0], str) and r[0] in ("I", "II", "III", "IV",
                                                                        "V", "VI", "VII")]
        paid = 9  # column 5 "Giải ngân đến thời điểm báo cáo" (after A-E and 1-4)
        assert total[paid] == pytest.approx(sum(g[paid] or 0 for g in groups))
        read[period.kind] = total[paid]
        day = min(period.end, demo_workspace.today())
        summary = capital.year_summary(demo_workspace, 2023, as_of=day)
        dtts = next(g for g in summary.by_program if g.key == "2021-2025/DTTS")
        assert total[paid] == pytest.approx(dtts.figures.disbursed / 1_000_000)


def test_a_bad_form_is_refused_with_a_sentence(tmp_path):
    folder = tmp_path / "hong"
    folder.mkdir()
    source = (report_forms.get_form("gnbv-tt10-2022-bieu02").path).read_text(encoding="utf-8")
    (folder / "form.yaml").write_text(source.replace("id: gnbv-tt10-2022-bieu02", "id: hong")
                                      .replace("capital.assigned{", "capital.asigned{", 1),
                                      encoding="utf-8")
    with pytest.raises(report_forms.FormInvalid) as raised:
        report_forms.load_form_file(folder / "form.yaml")
    text = str(raised.value)
    assert "capital.asigned" in text and "hong/form.yaml" in text and "dòng" in text


def test_a_period_the_form_does_not_offer_is_refused(demo_workspace, tmp_path):
    with pytest.raises(report_forms.PeriodNotOffered):
        report_catalog.build_report(demo_workspace, "form-gnbv-tt10-2022-bieu02", "pdf",
                                    tmp_path / "q.pdf",
                                    ReportOptions(period=Period.of("quarter", 2023, 2)))
    assert not (tmp_path / "q.pdf").exists()


def test_a_form_table_keeps_the_forms_layout_in_xlsx(demo_workspace, tmp_path):
    """Biểu số 02 (GNBV): merged group headers over their columns, each title down to the
    last header row, the numbering row A, B, 1…12, the print titles; the total is the
    programme's figure as of the period's end, its rate recomputed, never summed."""
    from ctmtqg_desktop.services import capital

    out = tmp_path / "bieu02.xlsx"
    report_catalog.build_report(demo_workspace, "form-gnbv-tt10-2022-bieu02", "xlsx", out,
                                ReportOptions(period=HALF))
    sheet = load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "TT")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    top = head + 1
    assert rows[head][2] == "Kế hoạch vốn năm 2023" and f"C{top}:F{top}" in merged
    assert rows[head + 1][3] == "Ngân sách trung ương" and f"D{top + 1}:E{top + 1}" in merged
    assert rows[head + 2][3:5] == ("Đầu tư phát triển", "Sự nghiệp")
    assert f"A{top}:A{top + 2}" in merged and f"K{top}:K{top + 2}" in merged
    assert list(rows[head + 3]) == ["A", "B"] + [str(n) for n in range(1, 13)]
    assert sheet.print_title_rows == f"${top}:${top + 3}"
    total = rows[head + 4]
    assert total[1] == "TỔNG CỘNG"
    june = capital.year_summary(demo_workspace, 2023, as_of=HALF.end)
    gnbv = next(g for g in june.by_program if g.key == "2021-2025/GNBV").figures
    assert total[2] == pytest.approx(gnbv.assigned / 1_000_000)
    assert total[6] == pytest.approx(gnbv.disbursed / 1_000_000)
    assert total[10] == pytest.approx(gnbv.disbursed / gnbv.assigned)
    projects = [r for r in rows[head + 5:] if r[0] in ("I", "II", "III", "IV", "V", "VI", "VII")]
    assert sum(r[6] for r in projects) == pytest.approx(total[6])


def test_a_projects_stage_as_of_the_period_end_comes_from_the_journal(demo_workspace,
                                                                     tmp_path):
    """Stage and physical progress have no dates of their own: the change journal tells
    what they were when (here a works finished in September 2023)."""
    from sqlalchemy import select, update

    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
    from ctmtqg_desktop.store.models.projects import Project
    from ctmtqg_desktop.store.uow import UnitOfWork

    with UnitOfWork(demo_workspace) as uow:
        row = uow.session.scalars(select(Project).where(
            Project.name.contains("Kon Mong Tu"), Project.program_id == "2021-2025/DTTS")).first()
        ident, before = row.id, (row.stage, row.physical_progress)
        uow.session.execute(update(ChangeJournalEntry).where(
            ChangeJournalEntry.record_id == ident).values(
            recorded_at=dt.datetime(2023, 1, 10, 8, 0)))
        row.stage, row.physical_progress = "acceptance", 100
        uow.commit()
    with UnitOfWork(demo_workspace) as uow:
        last = uow.session.scalars(select(ChangeJournalEntry).where(
            ChangeJournalEntry.record_id == ident).order_by(ChangeJournalEntry.seq.desc())
        ).first()
        last.recorded_at = dt.datetime(2023, 9, 1, 9, 0)
        uow.commit()
    assert before[0] != "acceptance"
    found = {}
    for period in (HALF, YEAR):
        out = tmp_path / f"dtts-{period.kind}.xlsx"
        report_catalog.build_report(demo_workspace, "form-dtts-tt01-2022-xa", "xlsx", out,
                                    ReportOptions(period=period))
        rows = list(load_workbook(out).worksheets[1].iter_rows(values_only=True))
        line = next(r for r in rows if r[1] and "Kon Mong Tu" in str(r[1]))
        found[period.kind] = (line[11], line[15])
    assert found["half_year"][0] == pytest.approx(before[1] / 100)
    assert found["year"] == (1, "nghiệm thu, bàn giao")


def test_a_report_of_another_role_is_refused(demo_workspace, tmp_path):
    """A commune is not offered the parent's board, and asking for it is refused."""
    specs = {s.key for s in report_catalog.available_reports(demo_workspace)}
    assert "board" not in specs and "form-gnbv-tt10-2022-bieu02" in specs
    with pytest.raises(report_catalog.ReportNotForRole):
        report_catalog.build_report(demo_workspace, "board", "pdf", tmp_path / "b.pdf")
    assert not (tmp_path / "b.pdf").exists()


def test_cells_the_officer_types_are_blank_and_shaded(demo_workspace, tmp_path):
    """Biểu số 01: the official poverty rate is typed (the register only suggests it): its
    cell is empty and shaded; the households from the villages are filled."""
    out = tmp_path / "bieu01.xlsx"
    report_catalog.build_report(demo_workspace, "form-gnbv-tt10-2022-bieu01", "xlsx", out,
                                ReportOptions(period=YEAR))
    sheet = load_workbook(out).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value in ("A0", "A1")}
    result = 6  # column (4) "Thực hiện kỳ báo cáo" after TT, Chỉ số, Đơn vị tính, (1)-(3)
    assert rows["A1"][result].value is None
    assert rows["A1"][result].fill.fgColor.rgb.endswith("FFF2CC")
    demo = json.loads(resource_path("demo", "commune-23524.json").read_text(encoding="utf-8"))
    assert rows["A0"][result].value == sum(v["households"] for v in demo["villages"])
    assert rows["A0"][result].fill.fgColor.rgb != rows["A1"][result].fill.fgColor.rgb


def test_form_formulas_keep_money_exact():
    """A form's formula over amounts in đồng is worked out exactly, never in binary floats
    (10^17 + 3 đồng as a float would come back as 10^17 + 0 or + 16)."""
    from ctmtqg_desktop.services.report_forms._build import evaluate

    assert evaluate("a + b", {"a": 10**17 + 1, "b": 2}) == 10**17 + 3
    assert evaluate("paid / plan * 100", {"paid": 1, "plan": 3}) == 100 / 3
    assert evaluate("paid / plan", {"paid": 1, "plan": 0}) is None


def test_households_and_villages_as_of_a_past_date_come_from_the_journal(demo_workspace,
                                                                        tmp_path):
    """Households and villages have no dates of their own: a form for a past period counts
    them as the change journal last wrote them by its end; when the journal holds nothing
    that old (the demo's records were typed after 30/06/2023) today's figures count and the
    form says so."""
    from sqlalchemy import select, update

    from ctmtqg_desktop.services.report_forms._sources import SOURCES, Records, Scope
    from ctmtqg_desktop.store.models.dossiers import Household
    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
    from ctmtqg_desktop.store.models.villages import Village
    from ctmtqg_desktop.store.uow import UnitOfWork

    note = "Số liệu hộ/thôn là số liệu hiện tại."
    form = "form-gnbv-tt10-2022-bieu01"

    def text_of(period, name):
        out = tmp_path / name
        report_catalog.build_report(demo_workspace, form, "pdf", out,
                                    ReportOptions(period=period))
        return " ".join(pdf_text(out).split())

    assert note in text_of(HALF, "h1-before.pdf")
    assert note not in text_of(YEAR, "year.pdf")  # as of today: today's figures are right

    def figures(as_of):
        records = Records(demo_workspace, demo_workspace.installation().unit_id)
        scope = Scope(HALF, as_of)
        found = (SOURCES["villages.households"](records, {}, scope),
                 SOURCES["households.count"](records, {"poverty_status": "poor"}, scope),
                 SOURCES["villages.count"](records, {}, scope))
        return found, records.today_values_used

    before, _used = figures(demo_workspace.today())
    with UnitOfWork(demo_workspace) as uow:  # the records were typed in January 2023
        uow.session.execute(update(ChangeJournalEntry).where(
            ChangeJournalEntry.table_name.in_(["household", "village"])).values(
            recorded_at=dt.datetime(2023, 1, 10, 8, 0)))
        village = uow.session.scalars(select(Village).where(
            Village.deleted.is_(False))).first()
        village.households += 50  # then, in August, a village grew
        poor = uow.session.scalars(select(Household).where(
            Household.deleted.is_(False), Household.poverty_status == "poor")).first()
        poor.poverty_status = "near_poor"  # and a poor household rose out of poverty
        uow.commit()
    with UnitOfWork(demo_workspace) as uow:
        uow.session.execute(update(ChangeJournalEntry).where(
            ChangeJournalEntry.record_id.in_([village.id, poor.id]),
            ChangeJournalEntry.recorded_at > dt.datetime(2023, 1, 11)).values(
            recorded_at=dt.datetime(2023, 8, 20, 9, 0)))
        uow.commit()
    june, used = figures(HALF.end)
    assert june == before and not used
    now, _used = figures(demo_workspace.today())
    assert now == (before[0] + 50, before[1] - 1, before[2])
    assert note not in text_of(HALF, "h1-after.pdf")
