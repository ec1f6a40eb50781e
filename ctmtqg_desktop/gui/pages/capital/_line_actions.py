"""The capital page's actions on plan lines: adding, editing and deleting lines, allocations,
payments, carry-overs and returns, and the decision workbook's template, import and export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.gui.pages.capital._dialogs import (
    AllocationDialog,
    CarryOverDialog,
    LineDialog,
    PaymentDialog,
    ReturnDialog,
)
from ctmtqg_desktop.gui.tables import (
    money,
)
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital, report_catalog

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.capital._page import CapitalPage


def add_line(page: CapitalPage) -> None:
    if not page.meta:
        return
    values = LineDialog.ask(page, programs=page.meta["programs"],
                            period_years=page.meta["period_years"],
                            components=page.meta["components"], kinds=page.meta["kinds"],
                            sources=page.meta["sources"],
                            year=page.year.currentData() or page.meta["today"].year,
                            today=page.meta["today"])
    if values is None:
        return
    workspace = page.workspace
    page._run(lambda: capital.save_line(workspace, capital.LineInput(**values)),
              _("The capital plan line was saved."))


def edit_line(page: CapitalPage) -> None:
    line = page.current_line
    if line is None:
        return
    values = LineDialog.ask(page, programs=page.meta["programs"],
                            period_years=page.meta["period_years"],
                            components=page.meta["components"], kinds=page.meta["kinds"],
                            sources=page.meta["sources"], year=line.year,
                            today=page.meta["today"], line=line)
    if values is None:
        return
    workspace = page.workspace
    page._run(lambda: capital.save_line(workspace, capital.LineInput(**values),
                                        line_id=line.id),
              _("The capital plan line was saved."))


def delete_line(page: CapitalPage) -> None:
    line = page.current_line
    if line is None or not page._confirm(_("Delete the line “{line}”?").format(
            line=line.label)):
        return
    workspace = page.workspace
    page.current_line = None
    page._run(lambda: capital.delete_line(workspace, line.id),
              _("The capital plan line was deleted."))


def add_allocation(page: CapitalPage) -> None:
    line = page.current_line
    if line is None:
        return
    workspace = page.workspace
    page._save_in_form(
        AllocationDialog(page, line=line, projects=page.project_choices,
                         today=page.meta["today"], overlaps=page.flagged_projects),
        lambda values: capital.save_allocation(workspace, line_id=line.id, **values),
        _("The allocation was saved."))


def edit_allocation(page: CapitalPage) -> None:
    line, allocation = page.current_line, page._selected_allocation()
    if line is None or allocation is None:
        page.show_message(_("Choose an allocation in the list first."), "due_soon")
        return
    workspace = page.workspace
    page._save_in_form(
        AllocationDialog(page, line=line, projects=page.project_choices,
                         today=page.meta["today"], allocation=allocation,
                         overlaps=page.flagged_projects),
        lambda values: capital.save_allocation(workspace, line_id=line.id,
                                               allocation_id=allocation.id, **values),
        _("The allocation was saved."))


def delete_allocation(page: CapitalPage) -> None:
    allocation = page._selected_allocation()
    if allocation is None:
        page.show_message(_("Choose an allocation in the list first."), "due_soon")
        return
    if not page._confirm(_("Delete the allocation to “{project}”?").format(
            project=allocation.project_name)):
        return
    workspace = page.workspace
    page._run(lambda: capital.delete_allocation(workspace, allocation.id),
              _("The allocation was deleted."))


def add_payment(page: CapitalPage) -> None:
    line = page.current_line
    if line is None:
        return
    if not page.allocations:
        page.show_message(_("Allocate capital of this line to a project first."),
                          "due_soon")
        return
    selected = page._selected_allocation()
    workspace = page.workspace
    page._save_in_form(
        PaymentDialog(page, line=line, allocations=page.allocations,
                      today=page.meta["today"],
                      allocation_id=selected.id if selected else None),
        lambda values: capital.save_payment(workspace, **values),
        _("The disbursement was recorded."))


def _selected_payment(page: CapitalPage) -> capital.PaymentInfo | None:
    index = page.payment_view.currentIndex()
    return page.payment_model.row_object(index.row()) if index.isValid() else None


def edit_payment(page: CapitalPage) -> None:
    line, payment = page.current_line, page._selected_payment()
    if line is None or payment is None:
        page.show_message(_("Choose a payment in the list first."), "due_soon")
        return
    workspace = page.workspace
    page._save_in_form(
        PaymentDialog(page, line=line, allocations=page.allocations,
                      today=page.meta["today"], payment=payment),
        lambda values: capital.save_payment(workspace, payment_id=payment.id, **values),
        _("The disbursement was corrected."))


def delete_payment(page: CapitalPage) -> None:
    payment = page._selected_payment()
    if payment is None:
        page.show_message(_("Choose a payment in the list first."), "due_soon")
        return
    if not page._confirm(_("Delete the payment of {amount} đồng of {date}?").format(
            amount=money(payment.amount), date=format_date(payment.paid_on))):
        return
    workspace = page.workspace
    page._run(lambda: capital.delete_payment(workspace, payment.id),
              _("The payment was deleted."))


def add_carry_over(page: CapitalPage) -> None:
    line = page.current_line
    if line is None:
        return
    values = CarryOverDialog.ask(page, line=line, today=page.meta["today"])
    if values is None:
        return
    workspace = page.workspace
    page._run(lambda: capital.carry_over(workspace, line_id=line.id, **values),
              _("The carry-over was recorded."))


def add_return(page: CapitalPage) -> None:
    line = page.current_line
    if line is None:
        return
    values = ReturnDialog.ask(page, line=line, today=page.meta["today"])
    if values is None:
        return
    workspace = page.workspace
    page._run(lambda: capital.return_capital(workspace, line_id=line.id, **values),
              _("The return to the budget was recorded."))


def _confirm(page: CapitalPage, text: str) -> bool:
    answer = QMessageBox.question(page, _("Confirm"), text,
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes


# -- Excel --------------------------------------------------------------------------
def _import_clicked(page: CapitalPage) -> None:
    path, _filter = QFileDialog.getOpenFileName(page, _("Import the capital plan"),
                                                str(Path.home()), "Excel (*.xlsx)")
    if path:
        page.import_from(Path(path))


def import_from(page: CapitalPage, path: Path) -> None:
    """Import a decision workbook in the background, with progress and Cancel."""
    workspace = page.workspace

    def run(chosen, legacy_encoding, job, skip_unknown_columns=False):
        return capital.import_lines(workspace, chosen, legacy_encoding=legacy_encoding,
                                    skip_unknown_columns=skip_unknown_columns,
                                    progress=job.progress,
                                    stop_requested=lambda: job.cancelled)

    def done(result) -> None:
        page.show_message(result.text(_("capital plan lines")))
        page._reload_years_then_refresh()

    page.importer.start(path, run, on_done=done)


def _template_clicked(page: CapitalPage) -> None:
    path, _filter = QFileDialog.getSaveFileName(
        page, _("Save the template as"), str(Path.home() / "ke-hoach-von-mau.xlsx"),
        "Excel (*.xlsx)")
    if path:
        page.context.runner.run(
            lambda: capital.write_template(Path(path)),
            on_done=lambda written: page.show_message(
                _("Template written: {path}").format(path=written)),
            on_error=page._failed)


def _export_clicked(page: CapitalPage, year: int | None = None) -> None:
    year = year or page.year.currentData() or page.workspace.today().year
    path, _filter = QFileDialog.getSaveFileName(
        page, _("Save the report as"), str(Path.home() / f"ke-hoach-von-{year}.xlsx"),
        "Excel (*.xlsx)")
    if path:
        page.export_to(Path(path), year)


def export_to(page: CapitalPage, path: Path, year: int | None = None) -> None:
    """Every list of the year (lines, allocations, payments…) into one workbook."""
    workspace = page.workspace
    year = year or page.year.currentData() or workspace.today().year
    page.write_report(
        lambda: report_catalog.build_report(workspace, "capital", "xlsx", path,
                                            report_catalog.ReportOptions(year=year)))
