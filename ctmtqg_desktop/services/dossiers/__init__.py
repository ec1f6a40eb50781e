"""Hồ sơ: each project's sample dossier (templates by stage), the forms filled and printed,
and how complete it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection, lazy_exports
from ctmtqg_desktop.services.dossiers import _overview
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, DossierTemplate

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.dossiers._print import (
        print_blank_form,
        print_dossier,
        print_form,
    )
    from ctmtqg_desktop.services.dossiers._records import (
        STAGES_ORDER,
        STATES,
        DocumentLine,
        DossierDetail,
        Saved,
        attach,
        document_attachments,
        find_dossier,
        form_values,
        get_dossier,
        list_dossiers,
        lock_dossier,
        projects_without_dossier,
        remove_attachment,
        save_form,
        set_stage,
        stage_label,
        start_dossier,
        state_label,
        status_label,
        update_document,
    )
    from ctmtqg_desktop.services.dossiers._templates import (
        NoTemplateForKind,
        ensure_shipped_templates,
        install_template,
        install_template_file,
        list_templates,
        load_spec,
        parsed_template,
        read_template_text,
        template_for_kind,
    )
    from ctmtqg_desktop.services.report_catalog import ReportSpec

__getattr__, __dir__ = lazy_exports(__name__, {
    "_records": (
        "STAGES_ORDER", "STATES", "DocumentLine", "DossierDetail", "Saved", "attach",
        "document_attachments", "find_dossier", "form_values", "get_dossier",
        "list_dossiers", "lock_dossier", "projects_without_dossier", "remove_attachment",
        "save_form", "set_stage", "stage_label", "start_dossier", "state_label",
        "status_label", "update_document",
    ),
    "_templates": (
        "NoTemplateForKind", "ensure_shipped_templates", "install_template",
        "install_template_file", "list_templates", "load_spec", "parsed_template",
        "read_template_text", "template_for_kind",
    ),
    # printing pulls reportlab, which the overview and the start-up do not need
    "_print": ("print_blank_form", "print_dossier", "print_form",),
})


def _area_reports() -> tuple[ReportSpec, ...]:
    """The area's reports, imported when the report list is first asked for (issue 17)."""
    from ctmtqg_desktop.services.dossiers import _reports

    return (_reports.DOSSIERS_REPORT,)


def _area_demo() -> tuple[DemoStep, ...]:
    """The area's demo steps, imported when a demo is built (issue 17)."""
    from ctmtqg_desktop.services.dossiers import _demo

    return (DemoStep(40, _demo.add_dossiers),)


AREA = Area(
    key="dossiers", label=N_("Dossiers"),
    records=(DossierTemplate, Dossier, DossierDocument),
    reports=_area_reports,
    overview=(OverviewSection(40, _overview.dossier_section),),
    demo=_area_demo,
)

__all__ = [
    "DocumentLine",
    "DossierDetail",
    "NoTemplateForKind",
    "STAGES_ORDER",
    "STATES",
    "Saved",
    "attach",
    "document_attachments",
    "ensure_shipped_templates",
    "find_dossier",
    "form_values",
    "get_dossier",
    "install_template",
    "install_template_file",
    "list_dossiers",
    "list_templates",
    "load_spec",
    "lock_dossier",
    "parsed_template",
    "print_blank_form",
    "print_dossier",
    "print_form",
    "projects_without_dossier",
    "read_template_text",
    "remove_attachment",
    "save_form",
    "set_stage",
    "stage_label",
    "start_dossier",
    "state_label",
    "status_label",
    "template_for_kind",
    "update_document",
    "AREA",
]
