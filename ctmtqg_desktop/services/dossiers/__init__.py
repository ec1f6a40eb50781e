"""Hồ sơ: each project's sample dossier (templates by stage), the forms filled and printed,
and how complete it is."""

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, DemoStep, OverviewSection
from ctmtqg_desktop.services.dossiers import _demo, _overview, _reports
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

if TYPE_CHECKING:
    from ctmtqg_desktop.services.dossiers._print import (
        print_blank_form,
        print_dossier,
        print_form,
    )

#: names of ``__all__`` whose module is imported on first use (PEP 562): printing pulls
#: reportlab, which the overview and the start-up do not need (issue 17)
_LAZY = {"print_blank_form": "_print", "print_dossier": "_print", "print_form": "_print"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
