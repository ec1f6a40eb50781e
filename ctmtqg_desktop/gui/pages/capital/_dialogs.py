"""Dialogs of the capital and projects pages. Each has ``ask(...)`` returning plain values
(or None when cancelled), so tests replace it; the page then calls the service, which checks
everything again. While typing, the dialog applies the same domain checks and shows their
Vietnamese sentence, with OK disabled, so a refused entry is seen before it is sent."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_COLOR
from ctmtqg_desktop.gui.widgets import (
    FormDialog,
    MoneyEdit,
    apply_rules,
    date_edit,
    qdate,
    select_data,
)
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog


def _amount_problem(edit: MoneyEdit, *, required: bool = True) -> str:
    if edit.error():
        return edit.error()
    if required and not edit.value():
        return _("Enter an amount above 0 đồng.")
    return ""


def _check_amount(edit: MoneyEdit, field: str = "amount") -> None:
    """Refuse a missing or unreadable amount; the form shows the sentence under ``field``."""
    problem = _amount_problem(edit)
    if problem:
        raise BadArgument(detail=problem, form_field=field)


# ---------------------------------------------------------------------------- line
class LineDialog(FormDialog):
    def __init__(self, parent, *, programs, components, kinds, sources, year: int, today,
                 line=None, period_years: dict[str, tuple[int, int]] | None = None) -> None:
        super().__init__(parent, _("Capital plan line") if line is None
                         else _("Change the capital plan line"),
                         _("Capital assigned by one decision for a year, programme, capital "
                           "kind and source."))
        self.line = line
        self.sources = {s.code: s for s in sources}
        self.components = components
        self.year = QSpinBox(minimum=2000, maximum=2100)
        self.row(_("Plan year"), self.year)
        self.year.setValue(line.year if line else year)
        self.program = QComboBox()
        self.row(_("Programme"), self.program)
        #: a plan year takes the programmes of its period: 2021-2025's three, from 2026
        #: the merged one (Nghị quyết 257/2025/QH15)
        self.programs, self.period_years = list(programs), period_years or {}
        self._fill_programs()
        self.component = self.row(_("Project, sub-project or content"), QComboBox())
        self.kind = self.row(_("Capital kind"), QComboBox())
        for code, name in kinds:
            self.kind.addItem(name, code)
        self.source = self.row(_("Capital source"), QComboBox())
        for source in sources:
            self.source.addItem(source.name, source.code)
        self.quantity = self.row(_("Quantity (labour days, in kind)"),
                                 QSpinBox(minimum=0, maximum=10**9, groupSeparatorShown=True))
        self.quantity_unit = self.row(_("Unit of measure"),
                                      QLineEdit(placeholderText="ngày công"))
        self.unit_value = self.row(_("Value per unit (đồng)"), MoneyEdit())
        self.amount = self.row(_("Amount assigned (đồng)"), MoneyEdit())
        self.decision_number = self.row(_("Decision number"),
                                        QLineEdit(placeholderText="56/QĐ-UBND"))
        self.decision_date = self.row(_("Decision date"), date_edit(today))
        self.decision_body = self.row(_("Assigning body"), QLineEdit())
        self.note = self.row(_("Note"), QLineEdit())
        apply_rules("capital_line", year=self.year, quantity=self.quantity,
                    amount=self.amount, unit_value=self.unit_value,
                    quantity_unit=self.quantity_unit, decision_number=self.decision_number,
                    decision_body=self.decision_body, note=self.note)
        self.program.currentIndexChanged.connect(self._fill_components)
        self.year.valueChanged.connect(self._year_changed)
        self.source.currentIndexChanged.connect(self._community)
        self._fill_components()
        if line is not None:
            select_data(self.program, line.program_id)
            self._fill_components()
            select_data(self.component, line.component_id)
            select_data(self.kind, line.capital_kind)
            select_data(self.source, line.source)
            self.amount.setValue(line.amount)
            self.quantity.setValue(line.quantity or 0)
            self.quantity_unit.setText(line.quantity_unit)
            self.unit_value.setValue(line.unit_value)
            self.decision_number.setText(line.decision_number)
            if line.decision_date:
                self.decision_date.setDate(qdate(line.decision_date))
            self.decision_body.setText(line.decision_body)
            self.note.setText(line.note)
        self._community()
        self.draft_context = str(line.id) if line is not None else "new"
        self.done_building()

    def _fill_programs(self) -> None:
        chosen = self.program.currentData()
        self.program.blockSignals(True)
        self.program.clear()
        for program in catalog.programs_of_year(self.programs, self.period_years,
                                                self.year.value()):
            self.program.addItem(f"{program.abbreviation}: {program.short_name}", program.id)
        select_data(self.program, chosen)
        self.program.blockSignals(False)

    def _year_changed(self, *_args: object) -> None:
        self._fill_programs()
        self._fill_components()

    def _fill_components(self, *_args) -> None:
        program_id = self.program.currentData()
        current = self.component.currentData()
        self.component.blockSignals(True)
        self.component.clear()
        self.component.addItem(_("(the whole programme)"), None)
        for key, label in self.components:
            if key.startswith(f"{program_id}/"):
                self.component.addItem(label, key)
        select_data(self.component, current)
        self.component.blockSignals(False)

    def _is_contribution(self) -> bool:
        source = self.sources.get(self.source.currentData())
        return bool(source and source.group == "community"
                    and not source.code.endswith("TIEN"))

    def _community(self, *_args) -> None:
        contribution = self._is_contribution()
        for widget in (self.quantity, self.quantity_unit, self.unit_value):
            widget.setEnabled(contribution)
            self.form.labelForField(widget).setEnabled(contribution)
        self.amount.setReadOnly(contribution)
        self.refresh()

    def problem(self) -> str:
        if self._is_contribution():
            if self.unit_value.error():
                return self.unit_value.error()
            if not self.quantity.value() or not self.unit_value.value():
                return _("A contribution in labour days or in kind needs both the quantity "
                         "and the value per unit, above 0.")
            value = rules.contribution_value(self.quantity.value(), self.unit_value.value())
            if self.amount.value() != value:
                self.amount.blockSignals(True)
                self.amount.setValue(value)
                self.amount.blockSignals(False)
        else:
            _check_amount(self.amount)
        if self.line is not None:
            figures = self.line.figures
            rules.check_plan(self.line.label, assigned=self.amount.value() or 0,
                             returned=figures.returned, allocated=figures.allocated)
        return ""

    def values(self) -> dict:
        contribution = self._is_contribution()
        return dict(year=self.year.value(), program_id=self.program.currentData(),
                    component_id=self.component.currentData(),
                    capital_kind=self.kind.currentData(), source=self.source.currentData(),
                    amount=None if contribution else self.amount.value(),
                    quantity=self.quantity.value() if contribution else None,
                    quantity_unit=self.quantity_unit.text() if contribution else "",
                    unit_value=self.unit_value.value() if contribution else None,
                    decision_number=self.decision_number.text(),
                    decision_date=self.decision_date.date().toPython(),
                    decision_body=self.decision_body.text(), note=self.note.text())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


# ---------------------------------------------------------------------------- allocation
class AllocationDialog(FormDialog):
    def __init__(self, parent, *, line, projects, today, allocation=None,
                 overlaps: dict | None = None) -> None:
        super().__init__(parent, _("Allocate capital in detail") if allocation is None
                         else _("Change the allocation"), line.label)
        self.line = line
        self.allocation = allocation
        self.info = QLabel(wordWrap=True, objectName="muted")
        self.form.addRow(self.info)
        self.overlaps = overlaps or {}
        self.project = self.row(_("Project, work or activity"), QComboBox())
        for choice in projects:
            self.project.addItem(choice.name, choice.id)
        self.overlap_warning = QLabel(wordWrap=True)
        self.overlap_warning.setStyleSheet(f"color: {DUE_SOON_COLOR.name()};")
        self.form.addRow("", self.overlap_warning)
        self.project.currentIndexChanged.connect(self._warn_overlap)
        self.amount = self.row(_("Amount (đồng)"), MoneyEdit())
        self.decision_number = self.row(_("Decision number"), QLineEdit())
        self.decision_date = self.row(_("Decision date"), date_edit(today))
        self.note = self.row(_("Note"), QLineEdit())
        apply_rules("capital_allocation", amount=self.amount,
                    decision_number=self.decision_number, note=self.note)
        room = line.figures.unallocated + (allocation.amount if allocation else 0)
        self.info.setText(_("Can still be allocated from this line: {amount} đồng.").format(
            amount=format_number(room)))
        if allocation is not None:
            select_data(self.project, allocation.project_id)
            self.amount.setValue(allocation.amount)
            self.decision_number.setText(allocation.decision_number)
            if allocation.decision_date:
                self.decision_date.setDate(qdate(allocation.decision_date))
            self.note.setText(allocation.note)
        else:
            self.amount.setValue(line.figures.unallocated or None)
        self._warn_overlap()
        self.draft_context = f"{line.id}:{allocation.id if allocation else 'new'}"
        self.done_building()

    def _warn_overlap(self, *_args) -> None:
        count = self.overlaps.get(self.project.currentData(), 0)
        self.overlap_warning.setText(_(
            "This project may overlap {count} project(s) of another programme: review the "
            "overlap (page “Projects and works”) before allocating.").format(count=count)
            if count else "")
        self.overlap_warning.setVisible(bool(count))

    def problem(self) -> str:
        if self.project.currentData() is None:
            return _("Add the project first on the page “Projects and works”.")
        _check_amount(self.amount)
        amount = self.amount.value()
        old = self.allocation.amount if self.allocation else 0
        rules.check_allocations(self.line.label, plan=self.line.figures.plan,
                                allocated=self.line.figures.allocated - old + amount)
        if self.allocation is not None:
            rules.check_allocation_amount(self.line.label, self.allocation.project_name,
                                          allocated=amount,
                                          disbursed=self.allocation.disbursed)
        return ""

    def values(self) -> dict:
        return dict(project_id=self.project.currentData(), amount=self.amount.value(),
                    decision_number=self.decision_number.text(),
                    decision_date=self.decision_date.date().toPython(), note=self.note.text())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


# ---------------------------------------------------------------------------- payment
class PaymentDialog(FormDialog):
    def __init__(self, parent, *, line, allocations, today, allocation_id=None,
                 payment=None) -> None:
        super().__init__(parent, _("Record a disbursement") if payment is None
                         else _("Correct the disbursement"), line.label)
        self.line = line
        self.today = today
        self.payment = payment
        self.allocations = {a.id: a for a in allocations}
        self.allocation = self.row(_("Project, work or activity"), QComboBox())
        for item in allocations:
            self.allocation.addItem(_("{project} (left to disburse {amount} đồng)").format(
                project=item.project_name, amount=format_number(item.undisbursed)), item.id)
        chosen = payment.allocation_id if payment else allocation_id
        if chosen is not None:
            select_data(self.allocation, chosen)
        self.paid_on = self.row(_("Payment date"), date_edit(payment.paid_on if payment
                                                             else today))
        self.amount = self.row(_("Amount (đồng)"), MoneyEdit())
        self.voucher = self.row(_("Voucher (State Treasury)"), QLineEdit())
        self.note = self.row(_("Note"), QLineEdit())
        apply_rules("capital_payment", amount=self.amount, voucher=self.voucher, note=self.note)
        self.draft_context = f"{line.id}:{payment.id if payment else 'new'}"
        self.deadline = QLabel(_("Disbursement deadline of the line: {date}").format(
            date=format_date(line.deadline)), objectName="muted")
        self.form.addRow(self.deadline)
        if payment is not None:
            self.amount.setValue(payment.amount)
            self.voucher.setText(payment.voucher)
            self.note.setText(payment.note)
        self.done_building()

    def problem(self) -> str:
        item = self.allocations.get(self.allocation.currentData())
        if item is None:
            return _("Allocate capital of this line to a project first.")
        _check_amount(self.amount)
        paid_on = self.paid_on.date().toPython()
        if paid_on > self.today:
            raise rules.DateInFuture(date=paid_on, today=self.today, form_field="paid_on")
        if paid_on < dt.date(self.line.year, 1, 1):
            raise rules.PaymentOutsideYear(paid_on=paid_on, year=str(self.line.year),
                                           line=self.line.label)
        if paid_on > self.line.deadline:
            raise rules.PaymentAfterDeadline(line=self.line.label, deadline=self.line.deadline,
                                             paid_on=paid_on)
        old = self.payment.amount if self.payment else 0
        rules.check_payments(self.line.label, item.project_name, allocated=item.amount,
                             disbursed=item.disbursed - old + self.amount.value())
        return ""

    def values(self) -> dict:
        return dict(allocation_id=self.allocation.currentData(),
                    paid_on=self.paid_on.date().toPython(), amount=self.amount.value(),
                    voucher=self.voucher.text(), note=self.note.text())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


# ---------------------------------------------------------------------------- carry-over, return
class CarryOverDialog(FormDialog):
    def __init__(self, parent, *, line, today) -> None:
        super().__init__(parent, _("Carry over the undisbursed capital"), line.label)
        self.line = line
        self.amount = self.row(_("Amount carried over (đồng)"), MoneyEdit())
        self.amount.setValue(line.figures.undisbursed or None)
        self.deadline = self.row(_("New disbursement deadline"),
                                 date_edit(dt.date(line.year + 1, 12, 31)))
        self.decision_number = self.row(_("Decision number"), QLineEdit())
        self.decision_date = self.row(_("Decision date"), date_edit(today))
        self.note = self.row(_("Note"), QLineEdit())
        apply_rules("capital_carry_over", amount=self.amount,
                    decision_number=self.decision_number, note=self.note)
        self.draft_context = str(line.id)
        self.done_building()

    def problem(self) -> str:
        _check_amount(self.amount)
        rules.check_carry_over(self.line.label, amount=self.amount.value(),
                               undisbursed=self.line.figures.undisbursed)
        deadline = self.deadline.date().toPython()
        if deadline <= self.line.deadline:
            raise rules.CarryOverTooEarly(line=self.line.label, deadline=deadline,
                                          current=self.line.deadline)
        return ""

    def values(self) -> dict:
        return dict(amount=self.amount.value(), deadline=self.deadline.date().toPython(),
                    decision_number=self.decision_number.text(),
                    decision_date=self.decision_date.date().toPython(), note=self.note.text())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


class ReturnDialog(FormDialog):
    def __init__(self, parent, *, line, today) -> None:
        super().__init__(parent, _("Return capital to the budget"), line.label)
        self.line = line
        self.today = today
        self.amount = self.row(_("Amount returned (đồng)"), MoneyEdit())
        self.amount.setValue(line.figures.unallocated or None)
        self.returned_on = self.row(_("Date returned"), date_edit(today))
        self.decision_number = self.row(_("Decision number"), QLineEdit())
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.row(_("Reason"), self.reason)
        apply_rules("capital_return", amount=self.amount, decision_number=self.decision_number,
                    reason=self.reason)
        self.draft_context = str(line.id)
        self.done_building()

    def problem(self) -> str:
        _check_amount(self.amount)
        rules.check_return(self.line.label, amount=self.amount.value(),
                           unallocated=self.line.figures.unallocated)
        returned_on = self.returned_on.date().toPython()
        if returned_on > self.today:
            raise rules.DateInFuture(date=returned_on, today=self.today,
                                     form_field="returned_on")
        if not self.reason.toPlainText().strip():
            return _("Write the reason for returning the capital.")
        return ""

    def values(self) -> dict:
        return dict(amount=self.amount.value(), returned_on=self.returned_on.date().toPython(),
                    reason=self.reason.toPlainText(), decision_number=self.decision_number.text())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


# ---------------------------------------------------------------------------- counterpart rule
class RuleDialog(FormDialog):
    def __init__(self, parent, *, programs, kinds, today, rule=None) -> None:
        super().__init__(parent, _("Counterpart-ratio rule"),
                         _("The share of the central budget capital that the local budget must "
                           "add, as the Provincial People's Council set it."))
        self.program = self.row(_("Programme"), QComboBox())
        for program in programs:
            self.program.addItem(f"{program.abbreviation}: {program.short_name}", program.id)
        self.kind = self.row(_("Capital kind"), QComboBox())
        for code, name in kinds:
            self.kind.addItem(name, code)
        self.ratio = self.row(_("Ratio (%)"), QDoubleSpinBox(minimum=0, maximum=100,
                                                           decimals=2, suffix=" %"))
        self.legal_basis = self.row(_("Legal basis"), QLineEdit())
        self.valid_from = self.row(_("Valid from"), date_edit(dt.date(today.year, 1, 1)))
        self.valid_to = self.row(_("Valid until"), date_edit(dt.date(2025, 12, 31)))
        self.confidence = self.row(_("Data"), QComboBox())
        for code, label in (("confirmed", _("confirmed")), ("partial", _("partly confirmed")),
                            ("unverified", _("not yet verified"))):
            self.confidence.addItem(label, code)
        self.note = self.row(_("Note"), QLineEdit())
        apply_rules("counterpart_rule", legal_basis=self.legal_basis, note=self.note)
        if rule is not None:
            select_data(self.program, rule.program_id)
            select_data(self.kind, rule.capital_kind)
            self.ratio.setValue(rule.ratio_bp / 100)
            self.legal_basis.setText(rule.legal_basis)
            self.valid_from.setDate(qdate(rule.valid_from))
            if rule.valid_to:
                self.valid_to.setDate(qdate(rule.valid_to))
            select_data(self.confidence, rule.confidence)
            self.note.setText(rule.note)
        else:
            self.ratio.setValue(10)
            self.confidence.setCurrentIndex(2)
        self.draft_context = str(rule.id) if rule is not None else "new"
        self.done_building()

    def problem(self) -> str:
        if not self.legal_basis.text().strip():
            return _("Write the legal basis of the counterpart ratio.")
        if self.valid_to.date() < self.valid_from.date():
            return _("The end of validity is before its start.")
        return ""

    def values(self) -> dict:
        return dict(program_id=self.program.currentData(), capital_kind=self.kind.currentData(),
                    ratio_bp=int(round(self.ratio.value() * 100)),
                    legal_basis=self.legal_basis.text(),
                    valid_from=self.valid_from.date().toPython(),
                    valid_to=self.valid_to.date().toPython(),
                    confidence=self.confidence.currentData(), note=self.note.text())

    @classmethod
    def ask(cls, parent, **kwargs) -> dict | None:
        return cls.run(cls(parent, **kwargs))


