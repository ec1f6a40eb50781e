"""The capital page's detail pane: one plan line with its figures, allocations, payments, carry-
overs and returns."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.gui.lazy_table import LazyTableModel
from ctmtqg_desktop.gui.pages.capital._figures import STATE_STYLE, _styled
from ctmtqg_desktop.gui.pages.capital._tables import PaymentSource
from ctmtqg_desktop.gui.pages.capital._widgets import RateBar
from ctmtqg_desktop.gui.tables import (
    CENTER,
    RIGHT,
    Cell,
    StateTable,
    money,
    rate,
    row_view,
)
from ctmtqg_desktop.gui.widgets import ElidedLabel
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.capital._page import CapitalPage


def _build_details(page: CapitalPage) -> QWidget:
    panel = QWidget(objectName="sidePanel")
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(10, 8, 10, 8)
    layout.setSpacing(4)
    page.line_title = QLabel(objectName="cardTitle", wordWrap=True)
    page.line_decision = ElidedLabel()
    layout.addWidget(page.line_title)
    layout.addWidget(page.line_decision)
    figures = QGridLayout()
    figures.setHorizontalSpacing(10)
    figures.setVerticalSpacing(0)
    page.figure_labels = []
    for index in range(6):
        caption = QLabel(objectName="figureLabel")
        value = QLabel()
        value.setStyleSheet("font-weight: 600;")
        figures.addWidget(caption, (index // 3) * 2, index % 3)
        figures.addWidget(value, (index // 3) * 2 + 1, index % 3)
        page.figure_labels.append((caption, value))
    layout.addLayout(figures)
    page.line_bar = RateBar()
    layout.addWidget(page.line_bar)
    page.line_state = QLabel(wordWrap=True)
    layout.addWidget(page.line_state)
    layout.addLayout(_build_line_actions(page))
    page.detail_tabs = QTabWidget()
    page.detail_tabs.addTab(_build_allocation_tab(page), "")
    page.detail_tabs.addTab(_build_payment_tab(page), "")
    page.history_table = StateTable(stretch=3, wrap_headers=False, row_height=24)
    page.detail_tabs.addTab(page.history_table, "")
    page.detail_tabs.setMinimumHeight(110)
    for table in (page.allocation_table, page.payment_view, page.history_table):
        table.setMinimumHeight(50)
    layout.addWidget(page.detail_tabs, 1)
    page.payment_allocation = None
    return panel


def _build_line_actions(page: CapitalPage) -> QHBoxLayout:
    actions = QHBoxLayout()
    page.pay_button = QPushButton(objectName="primary")
    page.allocate_button = QPushButton()
    page.more_button = QToolButton()
    page.more_button.setPopupMode(QToolButton.InstantPopup)
    page.more_menu = QMenu(page)
    page.carry_action = page.more_menu.addAction("", page.add_carry_over)
    page.return_action = page.more_menu.addAction("", page.add_return)
    page.more_menu.addSeparator()
    page.edit_line_action = page.more_menu.addAction("", page.edit_line)
    page.delete_line_action = page.more_menu.addAction("", page.delete_line)
    page.more_button.setMenu(page.more_menu)
    page.pay_button.clicked.connect(page.add_payment)
    page.allocate_button.clicked.connect(page.add_allocation)
    actions.addWidget(page.pay_button)
    actions.addWidget(page.allocate_button)
    actions.addWidget(page.more_button)
    return actions


def _build_allocation_tab(page: CapitalPage) -> QWidget:
    allocation_tab = QWidget()
    allocation_layout = QVBoxLayout(allocation_tab)
    allocation_layout.setContentsMargins(4, 4, 4, 4)
    page.allocation_table = StateTable(stretch=0, wrap_headers=False, row_height=24)
    page.allocation_table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    page.allocation_table.itemDoubleClicked.connect(lambda _item: page._drill_to_payments())
    allocation_layout.addWidget(page.allocation_table)
    row = QHBoxLayout()
    page.payments_of_button = QPushButton()
    page.edit_allocation_button = QPushButton()
    page.delete_allocation_button = QPushButton()
    page.payments_of_button.clicked.connect(page._drill_to_payments)
    page.edit_allocation_button.clicked.connect(page.edit_allocation)
    page.delete_allocation_button.clicked.connect(page.delete_allocation)
    for button in (page.payments_of_button, page.edit_allocation_button,
                   page.delete_allocation_button):
        row.addWidget(button)
    row.addStretch(1)
    allocation_layout.addLayout(row)
    return allocation_tab


def _build_payment_tab(page: CapitalPage) -> QWidget:
    payment_tab = QWidget()
    payment_layout = QVBoxLayout(payment_tab)
    payment_layout.setContentsMargins(4, 4, 4, 4)
    filter_row = QHBoxLayout()
    page.payment_filter = QLabel(objectName="muted", wordWrap=True)
    page.all_payments_button = QPushButton()
    page.all_payments_button.clicked.connect(lambda: page._show_payments(None))
    filter_row.addWidget(page.payment_filter, 1)
    filter_row.addWidget(page.all_payments_button)
    payment_layout.addLayout(filter_row)
    page.payment_source = PaymentSource(page)
    page.payment_model = LazyTableModel(page.payment_source, page)
    page.payment_view = row_view(QTableView(), page.payment_model,
                                 sort=(0, Qt.DescendingOrder), wrap=True, stretch_last=True)
    payment_layout.addWidget(page.payment_view)
    row = QHBoxLayout()
    page.edit_payment_button = QPushButton()
    page.delete_payment_button = QPushButton()
    page.edit_payment_button.clicked.connect(page.edit_payment)
    page.delete_payment_button.clicked.connect(page.delete_payment)
    row.addWidget(page.edit_payment_button)
    row.addWidget(page.delete_payment_button)
    row.addStretch(1)
    payment_layout.addLayout(row)
    return payment_tab


def _load_line(page: CapitalPage, line_id: uuid.UUID | None) -> None:
    if line_id is None:
        page._show_line(None)
        return
    workspace = page.workspace

    def load():
        line = capital.get_line(workspace, line_id)
        return (line, capital.allocations(workspace, line_id=line_id),
                capital.carry_overs(workspace, line_id), capital.returns(workspace, line_id),
                capital.project_choices(workspace, line.program_id))

    page.context.runner.run(load, on_done=page._line_loaded, on_error=page._failed)


def _line_loaded(page: CapitalPage, result) -> None:
    line, allocations, carries, returned, choices = result
    page.current_line = line
    page.project_choices = choices
    page.forget_overlaps()
    page.allocations = allocations
    page._show_line(line)
    page.allocation_table.fill(
        [_("Project, work"), _("Allocated"), _("Disbursed")],
        [[Cell(a.project_name, tooltip=a.project_name + "\n" + _(
            "Decision {number} of {date}; left to disburse {amount} đồng").format(
            number=a.decision_number or "…", date=format_date(a.decision_date) or "…",
            amount=money(a.undisbursed)) + "\n" + _("Rate") + ": " + rate(a.rate)),
          Cell(money(a.amount), RIGHT),
          Cell(money(a.disbursed), RIGHT)]
         for a in allocations],
        keys=[a.id for a in allocations],
        states=[rules.pace_state(a.rate, line.on_track) if line.deadline_state
                != rules.LATE else rules.LATE for a in allocations])
    page.history_table.fill(
        [_("Kind of entry"), _("Amount (đồng)"), _("Date"), _("Decision, reason")],
        [[Cell(_("Carried over")), Cell(money(c.amount), RIGHT),
          Cell(_("until {date}").format(date=format_date(c.deadline)), CENTER),
          Cell(" ".join(x for x in (c.decision_number, c.note) if x))] for c in carries]
        + [[Cell(_("Returned")), Cell(money(r.amount), RIGHT),
            Cell(format_date(r.returned_on), CENTER),
            Cell(" ".join(x for x in (r.decision_number, r.reason) if x))]
           for r in returned],
        keys=[("carry", c.id) for c in carries] + [("return", r.id) for r in returned])
    page._show_payments(page.payment_allocation
                        if any(a.id == page.payment_allocation for a in allocations)
                        else None)


def _show_line(page: CapitalPage, line: capital.LineInfo | None) -> None:
    has = line is not None
    for button in (page.pay_button, page.allocate_button, page.more_button,
                   page.payments_of_button, page.edit_allocation_button,
                   page.delete_allocation_button, page.edit_payment_button,
                   page.delete_payment_button):
        button.setEnabled(has)
    if not has:
        page.line_title.setText(_("No capital plan line in this year yet: add one, or "
                                  "import the decision's workbook from the Excel menu."))
        page.line_decision.setText("")
        page.line_state.clear()
        for caption, value in page.figure_labels:
            caption.clear()
            value.clear()
        page.line_bar.set_values("", None, None, "normal")
        page.allocation_table.fill([], [])
        page.history_table.fill([], [])
        page.payment_model.reload({})
        return
    f = line.figures
    page.line_title.setText(line.label)
    decision = _("Decision {number} of {date}, {body}").format(
        number=line.decision_number or "…", date=format_date(line.decision_date) or "…",
        body=line.decision_body or "…")
    if line.component_label:
        decision = line.component_label + ". " + decision
    if line.quantity:
        decision += ". " + _("{quantity} {unit} at {value} đồng each").format(
            quantity=format_number(line.quantity), unit=line.quantity_unit,
            value=format_number(line.unit_value or 0))
    page.line_decision.setText(decision)
    days = (line.deadline - page.workspace.today()).days
    deadline_text = format_date(line.deadline)
    if line.carried_over:
        deadline_text += " " + _("(carried over)")
    figures = [
        (_("Assigned"), money(f.assigned), "normal"),
        (_("Allocated in detail"), money(f.allocated), "normal"),
        (_("Not allocated"), money(f.unallocated), line.unallocated_state),
        (_("Disbursed"), money(f.disbursed), "normal"),
        (_("Left to disburse"), money(f.undisbursed), line.deadline_state),
        (_("Disbursement deadline"), deadline_text, line.deadline_state),
    ]
    for (caption, value), (text, shown, state) in zip(page.figure_labels, figures):
        caption.setText(text)
        value.setText(shown)
        value.setStyleSheet("font-weight: 600;" + STATE_STYLE.get(state, ""))
    page.line_bar.set_values(_("Disbursed of the capital assigned"), f.rate, line.on_track,
                             line.state)
    notes = []
    if line.deadline_state == rules.LATE:
        notes.append(_("The deadline has passed with capital undisbursed: carry it over "
                       "or return it."))
    elif line.deadline_state == rules.DUE_SOON:
        notes.append(_("{days} days left until the deadline.").format(
            days=format_number(days)))
    if line.unallocated_state != rules.NORMAL and f.unallocated > 0:
        notes.append(_("{amount} đồng not allocated since {date} ({days} days).").format(
            amount=money(f.unallocated), date=format_date(line.unallocated_since),
            days=format_number(line.unallocated_days)))
    if line.pace_state != rules.NORMAL:
        notes.append(_("Below the on-track line ({track}).").format(
            track=format_percent(line.on_track)))
    page.line_state.setText(" ".join(notes))
    _styled(page.line_state, line.state)
    page.return_action.setEnabled(f.unallocated > 0)
    page.carry_action.setEnabled(f.undisbursed > 0)


def _selected_allocation(page: CapitalPage) -> capital.AllocationInfo | None:
    key = page.allocation_table.current_key()
    return next((a for a in page.allocations if a.id == key), None)


def _drill_to_payments(page: CapitalPage) -> None:
    allocation = page._selected_allocation()
    page._show_payments(allocation.id if allocation else None)
    page.detail_tabs.setCurrentIndex(1)


def _show_payments(page: CapitalPage, allocation_id: uuid.UUID | None) -> None:
    page.payment_allocation = allocation_id
    if page.current_line is None:
        page.payment_model.reload({})
        return
    if allocation_id is None:
        page.payment_filter.setText(_("Payments of every allocation of the line."))
        page.payment_model.reload({"line_id": page.current_line.id})
    else:
        allocation = next((a for a in page.allocations if a.id == allocation_id), None)
        page.payment_filter.setText(_("Payments to {project}.").format(
            project=allocation.project_name if allocation else ""))
        page.payment_model.reload({"line_id": page.current_line.id,
                                   "allocation_id": allocation_id})
    page.all_payments_button.setVisible(allocation_id is not None)
    page.payment_view.resizeColumnsToContents()
