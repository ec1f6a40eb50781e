"""The households workbook: its template, the all-or-nothing import and the export of the list."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import backups
from ctmtqg_desktop.services.households._columns import import_columns
from ctmtqg_desktop.services.households._records import (
    _check_household,
    _support_infos,
    _unit,
    list_households,
    poverty_label,
    village_choices,
)
from ctmtqg_desktop.services.workbook_import import ImportOutcome
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


def write_households_template(path) -> None:
    from ctmtqg_desktop.services import workbook_import as wb

    wb.write_template(path, import_columns(), title=_("List of beneficiary households"),
                      guide=[_("One row per household. A household whose ID number is already "
                               "recorded is updated; others are added."),
                             _("If any row is wrong, nothing is imported and every problem is "
                               "listed with its row and column.")])


def import_households(workspace: Workspace, path, *, legacy_encoding: str | None = None,
                      skip_unknown_columns: bool = False,
                      check: Callable[[], None] | None = None) -> ImportOutcome:
    """Add or update the households of a workbook; all rows or none. A household is the
    one with the same ID number or, without one, the same head in the same village;
    importing the same workbook twice changes nothing the second time.

    ``check`` is called before anything is written: it may raise to stop (a Cancel button).
    """
    from ctmtqg_desktop.services import workbook_import as wb

    rows = wb.read_rows(path, import_columns(), legacy_encoding=legacy_encoding,
                        skip_unknown_columns=skip_unknown_columns)
    villages = {fold(name): village_id for village_id, name in village_choices(workspace)}
    problems: list[wb.RowProblem] = []
    seen_ids: dict[str, int] = {}
    cleaned: list[dict] = []
    for row in rows:
        values = dict(row.values)
        village_id = villages.get(fold(values.get("village") or ""))
        if village_id is None:
            problems.append(wb.RowProblem(row.row, _("Village"), _(
                "“{village}” is not a village of the commune").format(village=values["village"])))
        values["village_id"] = village_id
        values["id_number"] = (values.get("id_number") or "").replace(" ", "")
        if values["id_number"]:
            if values["id_number"] in seen_ids:
                problems.append(wb.RowProblem(row.row, _("ID number"), _(
                    "the same ID number is already on row {row}").format(
                    row=seen_ids[values["id_number"]])))
            seen_ids[values["id_number"]] = row.row
        values["ethnic_minority"] = bool(values.get("ethnic_minority"))
        try:
            cleaned.append(_check_household(values))
        except BadArgument as error:
            problems.append(wb.RowProblem(row.row, _("Household"), str(error)))
    wb.reject(path, problems)
    backups.before_import(workspace)  # issue 18: a backup before every import
    if check is not None:
        check()
    tally = wb.Tally()
    with UnitOfWork(workspace) as uow:
        live = list(uow.session.scalars(select(Household).where(
            Household.owner_unit_id == uow.context.unit_id, Household.deleted.is_(False))))
        existing = {h.id_number: h for h in live if h.id_number}
        # without an ID number, the same head in the same village is the same household
        # (importing a workbook twice must not list a household twice)
        unnumbered = {(h.head_name_folded, h.village_id): h for h in live if not h.id_number}
        for values in cleaned:
            household = existing.get(values["id_number"]) if values["id_number"] else \
                unnumbered.get((values["head_name_folded"], values["village_id"]))
            new = household is None
            if household is None:
                household = Household(id=uuid.uuid4())
                uow.session.add(household)
            for key, value in values.items():
                setattr(household, key, value)
            tally.count(uow.session, household, new=new)
        uow.commit()
    return tally.outcome()


def export_households(workspace: Workspace, path: str | Path, *, reveal: bool = False,
                      query: dict | None = None, history: bool = False,
                      check: Callable[[], None] | None = None) -> Path:
    """The household list (and every support received) as a print-ready workbook; ID numbers
    masked unless ``reveal``. ``history`` (or ``query["history"]``): with the predecessors'
    households and supports, each named with its old unit ("… — Xã Đắk La (trước sắp
    xếp)")."""
    from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn
    from ctmtqg_desktop.services import report_catalog

    rows = list_households(workspace, query, reveal=reveal, history=history)
    info = report_catalog.document_info(
        workspace, doc_type=_("LIST"), subject=_("Beneficiary households of {unit}").format(
            unit=report_catalog.subject_unit(workspace, report_catalog.ReportOptions())))
    book = ReportWorkbook()
    sheet = book.add_sheet(_("Households"))
    columns = [XlsxColumn(_("No."), "int", width=6), XlsxColumn(_("Head of household")),
               XlsxColumn(_("ID number"), width=16), XlsxColumn(_("Year of birth"), "int"),
               XlsxColumn(_("Village")), XlsxColumn(_("Ethnicity")),
               XlsxColumn(_("Household status")), XlsxColumn(_("Ethnic minority household")),
               XlsxColumn(_("Members"), "int"), XlsxColumn(_("Supports received"), "int"),
               XlsxColumn(_("Total support (đồng)"), "money"),
               XlsxColumn(_("Supported twice"))]
    sheet.letterhead(info, len(columns))
    if not reveal:
        sheet.note(_("ID numbers are masked (personal data)."))
    yes = _("Yes")
    sheet.table(columns, [[i, r.label, r.id_number, r.birth_year, r.village_name,
                           r.ethnicity, poverty_label(r.poverty_status),
                           yes if r.ethnic_minority else "", r.members, r.supports,
                           r.support_total, yes if r.duplicated else ""]
                          for i, r in enumerate(rows, 1)])
    sheet.signature(info)
    supports_sheet = book.add_sheet(_("Support received"))
    names = {r.id: r for r in rows}
    support_rows = []
    with UnitOfWork.read(workspace) as session:
        all_supports = _support_infos(
            session, select(HouseholdSupport, Project.name, Project.program_id)
            .join(Project, Project.id == HouseholdSupport.project_id)
            .where(HouseholdSupport.owner_unit_id.in_({r.owner_unit_id for r in rows}
                                                      | {_unit(workspace)}),
                   HouseholdSupport.deleted.is_(False))
            .order_by(HouseholdSupport.received_on, HouseholdSupport.id))
    for support in all_supports:
        household = names.get(support.household_id)
        if household is None:
            continue
        support_rows.append([len(support_rows) + 1, household.label, household.village_name,
                             support.content_name, support.project_name, support.amount,
                             support.received_on])
    supports_sheet.table([XlsxColumn(_("No."), "int", width=6),
                          XlsxColumn(_("Head of household")), XlsxColumn(_("Village")),
                          XlsxColumn(_("Support content")), XlsxColumn(_("Project"), max_width=50),
                          XlsxColumn(_("Amount (đồng)"), "money"),
                          XlsxColumn(_("Received on"), "date")], support_rows)
    if check is not None:
        check()
    book.write(path)
    return Path(path)
