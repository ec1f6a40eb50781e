"""Report: completeness of the dossiers by project (Tình hình hoàn thiện hồ sơ dự án).

One line per project of the unit, grouped by programme: its kind, the template version its
dossier follows, the stage reached, required documents done out of all, the completeness,
the required documents still missing in stages already started, the order warnings, and
whether the dossier is settled and locked. Projects without a dossier are listed too.
"""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import (
    Column,
    Document,
    Group,
    Note,
    Sheet,
    Table,
    Total,
    write,
)
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.dossiers import _records as dossiers
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


def report_lines(workspace: Workspace) -> list[tuple[str, list[list]]]:
    """(programme name, rows) with rows of plain values, for both formats."""
    summaries = dossiers.list_dossiers(workspace)
    missing = dossiers.projects_without_dossier(workspace)
    programs = {p.id: p.short_name for p in catalog.programs(workspace)}
    groups: dict[str, list[list]] = {}
    for s in summaries:
        state = _("Locked (settled)") if s.locked else (
            _("Complete") if s.complete else _("Incomplete"))
        groups.setdefault(s.program_id, []).append([
            s.project_name, s.kind_name, s.template_version,
            dossiers.stage_label(s.current_stage),
            s.required_done, s.required, s.required_done / s.required if s.required else 1.0,
            s.missing_in_started, s.warnings, state])
    for project in missing:
        program_id = _program_of(workspace, project.id)
        groups.setdefault(program_id, []).append([
            project.name, project.kind_name, "", _("No dossier yet"), 0, 0, None, 0, 0, ""])
    ordered = []
    for program_id in sorted(groups, key=lambda p: list(programs).index(p)
                             if p in programs else 99):
        ordered.append((programs.get(program_id, program_id), groups[program_id]))
    return ordered


def _program_of(workspace: Workspace, project_id) -> str:
    from ctmtqg_desktop.services import projects

    return projects.get_project(workspace, project_id).program_id


HEADERS = (N_("No."), N_("Project or work"), N_("Kind"), N_("Template version"), N_("Stage"),
           N_("Required documents done"), N_("Required documents"), N_("Completeness"),
           N_("Missing in started stages"), N_("Warnings"), N_("State"))


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Completeness of the project dossiers of {unit}").format(
            unit=report_catalog.subject_unit(workspace, options)), options=options)
    groups = report_lines(workspace)
    lines = [row for _name, rows in groups for row in rows]
    total_done = sum(r[4] for r in lines)
    total_required = sum(r[5] for r in lines)
    kinds = ["int", "text", "text", "int", "text", "int", "int", "percent", "int", "int",
             "text"]
    weights = [0.5, 3.9, 2.4, 0.9, 1.3, 1.1, 1.0, 1.1, 1.2, 0.9, 1.3]
    aligns = ["center", "left", "left", "center", "left", "right", "right", "right", "right",
              "right", "left"]
    columns = [Column(_(h), k, width=6 if i == 0 else None, max_width=48, weight=w, align=a,
                      grouped=i not in (0, 3), decimals=0)
               for i, (h, k, w, a) in enumerate(zip(HEADERS, kinds, weights, aligns))]
    body: list = []
    number = 0
    for name, rows in groups:
        body.append(Group(name))
        for row in rows:
            number += 1
            body.append([number, *row])
    body.append(Total(["", _("Total"), "", "", "", total_done, total_required,
                       total_done / total_required if total_required else 1.0,
                       sum(r[7] for r in lines), sum(r[8] for r in lines), ""]))
    note = Note(_("Completeness counts the required documents of each dossier that are signed "
                  "or scanned. A warning means a later stage has started while a required "
                  "document of an earlier stage is not done."), italic=True, only="pdf")
    write(Document(info, [Sheet(_("Dossiers"), [note, Table(columns, body, font_size=10)])]),
          fmt, out)


DOSSIERS_REPORT = ReportSpec(
    key="dossiers", title=N_("Completeness of project dossiers"),
    description=N_("Each project's dossier: required documents done, completeness, documents "
                   "missing in stages already started, warnings and locked dossiers."),
    build=_build, roles=("commune",))
