"""Official report forms as data (issue 14): each folder of ``resources/report_forms`` is a
form (its legal basis, verification mark, periods, outline and tables, and the data source
of every cell); this area checks them, fills them from the unit's records as of a period's
end and writes them as xlsx in the form's layout and as a Nghị định 30/2020/NĐ-CP PDF.

Every shipped form is a report of the report list (``form-<id>``), with its legal basis and
mark; for 2026-2035 the list says that no form is published (``catalog.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.area import Area, lazy_exports
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.report_forms._build import (
        PeriodNotOffered,
        build_document,
        build_form,
        covered_units,
        evaluate,
        mark_label,
        period_entry,
    )
    from ctmtqg_desktop.services.report_forms._figures import (
        FORMAT as FIGURES_FORMAT,
    )
    from ctmtqg_desktop.services.report_forms._figures import (
        consolidated_document,
        consolidated_figures,
        form_figures,
        read_figures,
        sum_tables,
    )
    from ctmtqg_desktop.services.report_forms._forms import (
        Form,
        FormInvalid,
        FormNotFound,
        check_form,
        get_form,
        load_form_file,
        not_found_notes,
        refused_forms,
        shipped_forms,
    )

__getattr__, __dir__ = lazy_exports(__name__, {
    "_build": (
        "PeriodNotOffered", "build_document", "build_form", "covered_units", "evaluate",
        "mark_label", "period_entry",
    ),
    "_figures": (
        "FORMAT as FIGURES_FORMAT", "consolidated_document", "consolidated_figures",
        "form_figures", "read_figures", "sum_tables",
    ),
    "_forms": (
        "Form", "FormInvalid", "FormNotFound", "check_form", "get_form", "load_form_file",
        "not_found_notes", "refused_forms", "shipped_forms",
    ),
})


KEY_PREFIX = "form-"


def _builder(form_id: str) -> Callable[[Workspace, str, Path, ReportOptions], None]:
    def build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
        from ctmtqg_desktop.services.report_forms._build import build_form
        from ctmtqg_desktop.services.report_forms._forms import get_form

        build_form(workspace, get_form(form_id), fmt, out, options)
    return build


def _figures_of(form_id: str) -> Callable[[Workspace, ReportOptions], str]:
    # not named after the submodule ``_figures``: importing it sets that package attribute
    def figures(workspace: Workspace, options: ReportOptions) -> str:
        from ctmtqg_desktop.services.report_forms._figures import form_figures
        from ctmtqg_desktop.services.report_forms._forms import get_form

        return form_figures(workspace, get_form(form_id), options)
    return figures


def form_reports() -> tuple[ReportSpec, ...]:
    """A report per shipped form: its title, and its legal basis and mark as description."""
    from ctmtqg_desktop.services.report_forms._build import mark_label
    from ctmtqg_desktop.services.report_forms._forms import shipped_forms

    return tuple(ReportSpec(
        key=KEY_PREFIX + form.id, title=form.title,
        description=" · ".join(x for x in (form.legal_basis, mark_label(form.mark)) if x),
        build=_builder(form.id), roles=_roles(form), figures=_figures_of(form.id))
        for form in shipped_forms())


def _roles(form: Form) -> tuple[str, ...]:
    """Who makes the form (``filled_by``): a commune's form is filled from a commune's
    records; the parent's consolidated form is another report."""
    filled_by = tuple(str(x) for x in form.data.get("filled_by") or ["commune"])
    return tuple(role for role in ("commune", "parent") if role in filled_by) or ("commune",)


__all__ = [
    "FIGURES_FORMAT",
    "KEY_PREFIX",
    "Form",
    "FormInvalid",
    "FormNotFound",
    "PeriodNotOffered",
    "build_document",
    "build_form",
    "check_form",
    "consolidated_document",
    "consolidated_figures",
    "covered_units",
    "evaluate",
    "form_figures",
    "form_reports",
    "get_form",
    "load_form_file",
    "mark_label",
    "not_found_notes",
    "period_entry",
    "read_figures",
    "refused_forms",
    "shipped_forms",
    "sum_tables",
]

# the forms are read (YAML) when the report list is first asked for, not at import: the
# overview's start-up process imports every area (issue 17)
AREA = Area(key="report_forms", label=N_("Report forms"), reports=form_reports)
