"""Every form shows the limits that the services enforce (issues 12 and 15: "every text field
has one declared limit, enforced by the service, shown in the form"). Each form of the GUI is
built as its page builds it; every widget that carries a rule (``gui.widgets.apply_rules``)
must have the declared most characters or range, each form must carry the rules listed here,
and a plain text field without a rule must be one of the few listed exceptions: a field added
later without its rule, or a rule changed without the form, makes this test fail."""

import datetime as dt
from types import SimpleNamespace

from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QSpinBox, QWidget

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.gui.pages.archive._dialogs import IssueDialog, RequestDialog, SignOffDialog
from ctmtqg_desktop.gui.pages.capital._dialogs import (
    AllocationDialog,
    CarryOverDialog,
    LineDialog,
    PaymentDialog,
    ReturnDialog,
    RuleDialog,
)
from ctmtqg_desktop.gui.pages.difficulties._page import DifficultyDialog
from ctmtqg_desktop.gui.pages.parent._dialogs import (
    AnswerDialog,
    AssignCapitalDialog,
    AssignTasksDialog,
)
from ctmtqg_desktop.gui.pages.tasks._dialogs import DirectiveDialog, TaskDialog
from ctmtqg_desktop.gui.screenshots import wait_until_idle
from ctmtqg_desktop.gui.widgets import RULE_PROPERTY

TODAY = dt.date(2023, 10, 16)


def page_of(window, area):
    window.show_area(area)
    wait_until_idle(window)
    return window.current_page()


def check_form(form: QWidget, expected: set[str], unruled: tuple[QWidget, ...] = ()) -> None:
    """``form``'s ruled widgets equal their rules, ``expected`` are all there, and every
    plain text field of the form but ``unruled`` carries a rule."""
    seen = set()
    for widget in form.findChildren(QWidget):
        name = widget.property(RULE_PROPERTY)
        if not name:
            continue
        seen.add(name)
        rule = field_rules.rule(*name.split("."))
        if isinstance(widget, QLineEdit):
            assert rule.max_length is not None, name
            assert widget.maxLength() == rule.max_length, name
        else:
            assert isinstance(widget, QSpinBox), name
            assert widget.minimum() == max(rule.minimum, -(2**31)), name
            assert widget.maximum() == min(rule.maximum, 2**31 - 1), name
    assert expected <= seen, expected - seen
    plain = [w for w in form.findChildren(QLineEdit)
             if type(w) is QLineEdit and not w.isReadOnly() and not w.isClearButtonEnabled()
             and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
             and not w.property(RULE_PROPERTY) and w not in unruled]
    assert plain == [], [w.placeholderText() or w.text() for w in plain]


def test_tasks_and_directives_show_their_limits(window, qtbot):
    page = page_of(window, "tasks")
    task = TaskDialog(page, options=page.options, today=TODAY)
    qtbot.addWidget(task)
    check_form(task, {"task.lead_agency", "task.coordinators", "task.expected_output",
                      "task.target_unit"})
    assert task.lead.maxLength() == 300 and task.target_unit.maxLength() == 40
    directive = DirectiveDialog(page, programs=page.options.programs, today=TODAY)
    qtbot.addWidget(directive)
    check_form(directive, {"directive.number_symbol", "directive.issuing_body",
                           "directive.title"})
    assert directive.title.maxLength() == 500


def test_difficulties_and_the_parents_forms_show_their_limits(window, qtbot):
    difficulty = DifficultyDialog(page_of(window, "difficulties"), today=TODAY, tasks=[])
    qtbot.addWidget(difficulty)
    check_form(difficulty, {"difficulty.title"})
    answer = AnswerDialog(None, unit_name="Xã Ngọc Wang", title="Thiếu vốn", content="…",
                          proposal="", today=TODAY)
    qtbot.addWidget(answer)
    check_form(answer, {"difficulty_answer.document_ref"})
    children = [("61501", "Xã Ngọc Wang")]
    assign = AssignTasksDialog(None, children=children, today=TODAY)
    qtbot.addWidget(assign)
    check_form(assign, {"directive.number_symbol", "directive.title"})
    capital = AssignCapitalDialog(None, children=children, programs=[], kinds=[], sources=[],
                                  year=2023, today=TODAY)
    qtbot.addWidget(capital)
    check_form(capital, {"capital_line.year", "capital_line.decision_number"})


def test_capital_forms_show_their_limits(window, qtbot):
    page = page_of(window, "capital")
    meta = page.meta
    line = page.current_line
    assert line is not None
    forms = [
        (LineDialog(page, programs=meta["programs"], components=meta["components"],
                    kinds=meta["kinds"], sources=meta["sources"], year=2023, today=TODAY),
         {"capital_line.year", "capital_line.quantity", "capital_line.quantity_unit",
          "capital_line.decision_number", "capital_line.decision_body", "capital_line.note"}),
        (AllocationDialog(page, line=line, projects=page.project_choices, today=TODAY),
         {"capital_allocation.decision_number", "capital_allocation.note"}),
        (PaymentDialog(page, line=line, allocations=page.allocations, today=TODAY),
         {"capital_payment.voucher", "capital_payment.note"}),
        (CarryOverDialog(page, line=line, today=TODAY),
         {"capital_carry_over.decision_number", "capital_carry_over.note"}),
        (ReturnDialog(page, line=line, today=TODAY), {"capital_return.decision_number"}),
        (RuleDialog(page, programs=meta["programs"], kinds=meta["kinds"], today=TODAY),
         {"counterpart_rule.legal_basis", "counterpart_rule.note"}),
    ]
    for form, expected in forms:
        qtbot.addWidget(form)
        check_form(form, expected)
    assert forms[2][0].voucher.maxLength() == 80


def test_projects_households_and_dossiers_show_their_limits(window):
    projects = page_of(window, "projects")
    check_form(projects.form, {"project.name", "project.location", "project.investor",
                               "project.approval_number", "project.approval_body",
                               "project.physical_progress",
                               "project.beneficiary_households"})
    assert projects.form.name.maxLength() == 300
    assert projects.form.households.maximum() == field_rules.MAX_PEOPLE
    dossiers = page_of(window, "dossiers")
    check_form(dossiers.households, {"household.head_name", "household.id_number",
                                     "household.ethnicity", "household.members",
                                     "household.note"},
               unruled=(dossiers.households.support_amount, dossiers.households.support_date))
    panel = dossiers.view.panel
    check_form(panel, {"dossier_document.number", "dossier_document.signer"},
               unruled=(panel.document_date, panel.signed_on))


def test_the_archives_forms_show_their_limits(window, qtbot):
    page = page_of(window, "archive")
    issue = IssueDialog(page, page.workspace)
    qtbot.addWidget(issue)
    check_form(issue, {"issued_report.symbol", "issued_report.title"})
    request = RequestDialog(page, page.workspace)
    qtbot.addWidget(request)
    check_form(request, {"report_request.legal_basis"})
    report = SimpleNamespace(id="r1", number_symbol="12/BC-UBND", signer_name="Nguyễn Văn An",
                             issued_on=TODAY)  # the fields the dialog reads of an IssuedInfo
    sign_off = SignOffDialog(page, report, TODAY)
    qtbot.addWidget(sign_off)
    check_form(sign_off, {"issued_report.approved_by"})
