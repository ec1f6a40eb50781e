"""Hồ sơ: each project's sample dossier (templates by stage), the forms filled and printed,
and how complete it is."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.dossiers import _demo, _overview, _reports
from ctmtqg_desktop.services.dossiers._print import print_blank_form, print_dossier, print_form
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
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, DossierTemplate

AREA = Area(
    key="dossiers", label=N_("Dossiers"),
    records=(DossierTemplate, Dossier, DossierDocument),
    reports=(_reports.DOSSIERS_REPORT,),
    overview=(OverviewSection(40, _overview.dossier_section),),
    demo=(DemoStep(40, _demo.add_dossiers),),
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
