"""Hoạt động from a commune's spreadsheet: the documented template and the all-or-nothing
import, the way the tasks import does it (``services/workbook_import.py``).

Every row is read (``read_rows_with_problems``), then checked with the form's own checks
(``activities.activity_problems``: parts not above the total, last day not before the first,
lengths, amounts) and the references resolved (programme by NTM/GNBV/DTTS, place by the name
of one of the commune's villages, diacritics optional, else kept as written). Any problem:
``WorkbookRejected`` names each row and column and nothing is written. Otherwise every row is
written in one unit of work (``activities.fill_row``, as ``save_activity`` writes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import backups
from ctmtqg_desktop.services.activities import _records as activities
from ctmtqg_desktop.store.models.activities import Activity
from ctmtqg_desktop.store.models.catalog import Program
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

#: the kind as a commune writes it (folded, punctuation ignored): the template's labels, the
#: page's labels and the short forms people use
_KIND_WORDS = {
    "truyền thông": "communication", "tuyên truyền": "communication",
    "tập huấn, bồi dưỡng": "training", "tập huấn bồi dưỡng": "training",
    "tập huấn": "training", "bồi dưỡng": "training", "đào tạo": "training",
    "kiểm tra giám sát": "inspection", "kiểm tra, giám sát": "inspection",
    "kiểm tra": "inspection", "giám sát": "inspection",
    "họp Ban Chỉ đạo": "steering_meeting", "họp BCĐ": "steering_meeting",
    "phong trào thi đua": "emulation", "thi đua": "emulation",
    "khác": "other",
}
#: what the template and the refusal list (one form per kind)
_KIND_SHOWN = ("truyền thông", "tập huấn, bồi dưỡng", "kiểm tra, giám sát", "họp Ban Chỉ đạo",
               "phong trào thi đua", "khác")


def _kind_key(text: str) -> str:
    return " ".join(fold(text).replace(",", " ").replace("/", " ").replace("-", " ")
                    .replace(";", " ").split())


def parse_kind(value: Any) -> str:
    """The kind key from a Vietnamese label, diacritics, case and commas optional (the
    English key is accepted too)."""
    from ctmtqg_desktop.services import workbook_import as wb

    words = {_kind_key(label): kind for label, kind in _KIND_WORDS.items()}
    words.update({_kind_key(activities.kind_label(kind)): kind for kind in activities.KINDS})
    words.update({kind: kind for kind in activities.KINDS})
    found = words.get(_kind_key(str(value)))
    if found is None:
        raise wb.CellProblem(_("“{value}” is not one of: {options}").format(
            value=value, options=", ".join(_KIND_SHOWN)))
    return found


def _import_columns():
    from ctmtqg_desktop.services import workbook_import as wb

    return [
        wb.ImportColumn("kind", N_("Activity kind"), parse_kind, width=20,
                        example="tập huấn, bồi dưỡng",
                        help=N_("truyền thông, tập huấn/bồi dưỡng, kiểm tra giám sát, họp Ban "
                                "Chỉ đạo, phong trào thi đua or khác (diacritics optional)")),
        wb.ImportColumn("title", N_("Activity name"), wb.text, width=44,
                        example="Tập huấn kỹ thuật chăn nuôi bò cho hộ nghèo",
                        help=N_("what was held, at most 300 characters")),
        wb.ImportColumn("campaign", N_("Campaign / movement"), wb.text, required=False,
                        width=30, example="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị "
                                          "văn minh",
                        help=N_("the campaign or emulation movement it belongs to, if any")),
        wb.ImportColumn("program", N_("Programme"), wb.text, required=False, example="GNBV",
                        width=12, help=N_("NTM, GNBV or DTTS (or the catalog key); empty: "
                                          "common to every programme")),
        wb.ImportColumn("start_on", N_("From date"), wb.date, example="12/04/2023", width=13,
                        help=N_("the first day, dd/mm/yyyy")),
        wb.ImportColumn("end_on", N_("To date"), wb.date, required=False,
                        example="13/04/2023", width=13,
                        help=N_("the last day, dd/mm/yyyy, for an activity of several days; "
                                "not before the first")),
        wb.ImportColumn("place", N_("Place / village"), wb.text, required=False,
                        example="Nhà văn hóa thôn Kon Stiu", width=24,
                        help=N_("the name of one of the commune's villages (diacritics "
                                "optional) links the activity to it; anything else is kept "
                                "as the place written")),
        wb.ImportColumn("organiser", N_("Organiser"), wb.text, required=False,
                        example="UBND xã", width=20,
                        help=N_("the body that organised or chaired it")),
        wb.ImportColumn("participants", N_("Number of participants"), wb.whole_number,
                        required=False, example=45, width=12,
                        help=N_("a whole number; empty: 0")),
        wb.ImportColumn("women", N_("Women among them"), wb.whole_number, required=False,
                        example=20, width=12,
                        help=N_("of the participants; not more than them")),
        wb.ImportColumn("ethnic_minority", N_("Ethnic-minority people"), wb.whole_number,
                        required=False, example=30, width=12,
                        help=N_("of the participants; not more than them")),
        wb.ImportColumn("poor", N_("People of poor households"), wb.whole_number,
                        required=False, example=12, width=12,
                        help=N_("of the participants; not more than them")),
        wb.ImportColumn("content", N_("Content"), wb.text, required=False, width=36,
                        example="Hướng dẫn kỹ thuật làm chuồng trại, phòng bệnh cho bò"),
        wb.ImportColumn("results", N_("Results"), wb.text, required=False, width=30,
                        example="45 hộ nắm được kỹ thuật",
                        help=N_("what came of it; for an inspection or supervision, its "
                                "findings")),
        wb.ImportColumn("recommendations", N_("Recommendations"), wb.text, required=False,
                        width=24, example=""),
        wb.ImportColumn("cost", N_("Cost (đồng)"), wb.money, required=False,
                        example=12500000, width=14,
                        help=N_("whole đồng, e.g. 12.500.000; empty: not recorded")),
    ]


def write_activities_template(path) -> Path:
    """The empty workbook a commune fills, with its "Hướng dẫn" sheet."""
    from ctmtqg_desktop.services import workbook_import as wb

    return wb.write_template(path, _import_columns(), title=_("Activities (communication, "
                                                                "training, inspection)"), guide=[
        _("One row per activity. Every row is checked; if one is wrong, nothing is imported "
          "and each wrong row and column is listed."),
        _("The women, ethnic-minority people and people of poor households are counted "
          "among the participants: none of them may be more than the participants."),
        _("Dates are written dd/mm/yyyy (or as Excel dates); an activity of one day leaves "
          "“To date” empty."),
    ])


@dataclass(frozen=True)
class ActivitiesImportResult:
    added: int
    #: of them, linked to one of the commune's villages by the place's name
    in_villages: int
    participants: int


def result_text(result: ActivitiesImportResult) -> str:
    """The sentence the command line and the page show after an import."""
    return _("Imported: {added} activities added ({villages} in a village of the commune), "
             "{people} participants.").format(added=format_number(result.added),
                                              villages=format_number(result.in_villages),
                                              people=format_number(result.participants))


def _lookups(session: Session, unit_id: str
             ) -> tuple[dict[str, str], dict[str, Any], set[tuple[Any, ...]]]:
    """Programmes by folded key (as the form: any programme of the catalog, an old activity
    keeps its period's), the unit's villages by folded name, and the activities already
    recorded (kind, folded name, first day): importing the same workbook again must not
    double the report."""
    programs: dict[str, str] = {}
    for program in session.scalars(select(Program).order_by(Program.period_id,
                                                            Program.sort_order)):
        for key in (program.id, program.code, program.abbreviation):
            if key:
                programs.setdefault(fold(key), program.id)
    villages: dict[str, Any] = {}
    for village in session.scalars(select(Village).where(
            Village.owner_unit_id == unit_id, Village.deleted.is_(False))):
        villages.setdefault(fold(village.name), village.id)
    recorded = {(kind, fold(title), start) for kind, title, start in session.execute(
        select(Activity.kind, Activity.title, Activity.start_on).where(
            Activity.owner_unit_id == unit_id, Activity.deleted.is_(False))).all()}
    return programs, villages, recorded


def _check(row, headers: dict[str, str], programs: dict[str, str], unread: set[str],
           problems: list[Any]) -> tuple[str | None, dict[str, int]]:
    """The row's programme and people, its problems (as the form finds them) appended to
    ``problems``; the cells that could not be read are not checked again."""
    from ctmtqg_desktop.services import workbook_import as wb

    values = row.values
    program_id = None
    if values.get("program"):
        program_id = programs.get(fold(values["program"]))
        if program_id is None:
            problems.append(wb.RowProblem(row.row, _(headers["program"]), _(
                "“{value}” is not NTM, GNBV or DTTS").format(value=values["program"])))
    people = {key: values.get(key) or 0
              for key in ("participants", "women", "ethnic_minority", "poor")}
    checked_people = dict(people)
    if _(headers["participants"]) in unread:  # no total to compare the parts with
        checked_people["participants"] = activities.MAX_PEOPLE
    start_on = values.get("start_on")
    for key, error in activities.activity_problems(
            kind=values.get("kind") or "other", title=values.get("title") or "-",
            start_on=start_on or dt.date.min,
            end_on=values.get("end_on") if start_on else None,
            cost=values.get("cost"), campaign=values.get("campaign") or "",
            place=values.get("place") or "", organiser=values.get("organiser") or "",
            **checked_people):
        if _(headers[key]) not in unread:
            problems.append(wb.RowProblem(row.row, _(headers[key]),
                                          str(error.data["reason"])))
    return program_id, people


def _prepared(values: dict[str, Any], program_id: str | None, people: dict[str, int],
              villages: dict[str, Any]) -> dict[str, Any]:
    place = values.get("place") or ""
    village_id = villages.get(fold(place)) if place else None
    return dict(
        kind=values["kind"], title=values["title"],
        campaign=values.get("campaign") or "", program_id=program_id,
        start_on=values["start_on"], end_on=values.get("end_on"),
        village_id=village_id, place="" if village_id else place,
        organiser=values.get("organiser") or "",
        content=activities.normalize_block(values.get("content")),
        results=activities.normalize_block(values.get("results")),
        recommendations=activities.normalize_block(values.get("recommendations")),
        cost=values.get("cost"), **people)


def _add_activity(session: Session, item: dict[str, Any]) -> None:
    values = dict(item)
    village_id = values.pop("village_id")
    village = session.get(Village, village_id) if village_id else None
    row = Activity(kind=values["kind"], title=values["title"], start_on=values["start_on"])
    session.add(row)
    activities.fill_row(row, component_id=None, project=None, village=village, **values)


def import_activities(workspace: Workspace, path, *, legacy_encoding: str | None = None,
                      skip_unknown_columns: bool = False,
                      progress: Callable[[int, int], None] | None = None,
                      stop_requested: Callable[[], bool] | None = None
                      ) -> ActivitiesImportResult:
    """Add the activities listed in a workbook: every row is checked as the form checks it,
    then all are written in one transaction, or none (``WorkbookRejected`` names each bad
    row and column).

    ``progress(done, total)`` follows the rows (checked, then written); ``stop_requested()``
    returning True stops the import before the commit (``workbook_import.ImportStopped``)."""
    from ctmtqg_desktop.services import workbook_import as wb

    step = wb.stepper(progress, stop_requested)
    columns = _import_columns()
    headers = {c.key: c.header for c in columns}
    rows, problems = wb.read_rows_with_problems(path, columns,
                                                legacy_encoding=legacy_encoding,
                                                skip_unknown_columns=skip_unknown_columns)
    total_steps = max(2 * len(rows), 1)
    unit_id = workspace.installation().unit_id
    prepared = []
    with UnitOfWork.read(workspace) as session:
        programs, villages, recorded = _lookups(session, unit_id)
        first_row_of: dict[tuple[Any, ...], int] = {}
        for checked, row in enumerate(rows):
            step(checked, total_steps)
            values = row.values
            # cells that could not be read are already listed; every other cell of the row
            # is still checked, so that one round names every problem
            unread = {p.column for p in problems if p.row == row.row}
            count_before = len(problems)
            program_id, people = _check(row, headers, programs, unread, problems)
            if unread or len(problems) > count_before:
                continue
            identity = (values["kind"], fold(values["title"]), values["start_on"])
            if identity in recorded:
                problems.append(wb.RowProblem(row.row, _(headers["title"]), _(
                    "this activity (same kind, name and first day) is already recorded; the "
                    "workbook may have been imported before: remove the row")))
                continue
            if identity in first_row_of:
                problems.append(wb.RowProblem(row.row, _(headers["title"]), _(
                    "the same activity (kind, name and first day) as row {row}").format(
                        row=first_row_of[identity])))
                continue
            first_row_of[identity] = row.row
            prepared.append(_prepared(values, program_id, people, villages))
    wb.reject(path, problems)
    backups.before_import(workspace)  # issue 18: a backup before every import
    in_villages = sum(1 for item in prepared if item["village_id"])
    with UnitOfWork(workspace) as uow:
        for written, item in enumerate(prepared):
            step(len(rows) + written, total_steps)
            _add_activity(uow.session, item)
        uow.session.flush()
        step(total_steps, total_steps)
        uow.commit()
    return ActivitiesImportResult(len(prepared), in_villages,
                                  sum(item["participants"] for item in prepared))
