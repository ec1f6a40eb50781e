"""Report: the list of villages (Danh sách thôn, làng) with households and population."""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.services.villages import _records as villages
from ctmtqg_desktop.store.workspace import Workspace


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    unit = catalog.get_unit(workspace, workspace.installation().unit_id)
    rows = villages.list_villages(workspace)
    info = report_catalog.document_info(
        workspace, doc_type=_("LIST"),
        subject=_("Villages of {unit}").format(
            unit=catalog.unit_kind_label(unit.kind) + " " + unit.name), options=options)
    headers = [_("No."), _("Village"), _("Ethnic groups"), _("Households"), _("Population"),
               _("Extremely disadvantaged")]
    yes = _("Yes")
    total_households = sum(v.households for v in rows)
    total_population = sum(v.population for v in rows)
    if fmt == "xlsx":
        from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn, XlsxTotal

        book = ReportWorkbook()
        sheet = book.add_sheet(_("Villages"), landscape=False)
        columns = [XlsxColumn(headers[0], "int", width=6), XlsxColumn(headers[1]),
                   XlsxColumn(headers[2]), XlsxColumn(headers[3], "int"),
                   XlsxColumn(headers[4], "int"), XlsxColumn(headers[5], width=14)]
        sheet.letterhead(info, len(columns))
        body = [[i, v.name, v.ethnic_groups, v.households, v.population,
                 yes if v.extremely_disadvantaged else ""] for i, v in enumerate(rows, 1)]
        body.append(XlsxTotal(["", _("Total"), "", total_households, total_population,
                               str(sum(v.extremely_disadvantaged for v in rows))]))
        sheet.table(columns, body)
        sheet.signature(info)
        book.write(out)
        return
    from ctmtqg_desktop.reports.pdf_document import OfficialPdf, PdfColumn, TotalRow

    pdf = OfficialPdf(info)
    pdf.table([PdfColumn(headers[0], 0.6, "center"), PdfColumn(headers[1], 2.2),
               PdfColumn(headers[2], 2.2), PdfColumn(headers[3], 1.2, "right"),
               PdfColumn(headers[4], 1.3, "right"), PdfColumn(headers[5], 1.5, "center")],
              [[str(i), v.name, v.ethnic_groups, format_number(v.households),
                format_number(v.population), yes if v.extremely_disadvantaged else ""]
               for i, v in enumerate(rows, 1)]
              + [TotalRow(["", _("Total"), "", format_number(total_households),
                           format_number(total_population),
                           format_number(sum(v.extremely_disadvantaged for v in rows))])])
    pdf.write(out)


VILLAGES_REPORT = ReportSpec(
    key="villages", title=N_("List of villages"),
    description=N_("The villages of the commune with households, population and the "
                   "extremely disadvantaged ones."),
    build=_build, roles=("commune",))
