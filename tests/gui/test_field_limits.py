"""Every form shows the limits that the services enforce (issues 12 and 15: "every text field
has one declared limit, enforced by the service, shown in the form"). Each form of the GUI is
built as its page builds it; every widget that carries a rule (``gui.widgets.apply_rules``)
must have the declared most characters or range, each form must carry the rules listed here,
and a plain text field without a rule must be one of the few listed exceptions: a field added
later without its rule, or a rule changed without the form, makes this test fail."""

import datetime as dt
from types import SimpleNamespace

from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.gui.lazy_table import LATE_COLOR
from ctmtqg_desktop.gui.pages.activities._dialog import ActivityDialog
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
from ctmtqg_desktop.gui.widgets import RULE_PROPERTY, MoneyEdit

TODAY = dt.date(2023, 10, 16)


def page_of(window, area):
    window.show_area(area)
    wait_until_idle(window)
    return window.current_page()


def check_form(form: QWidget, expected: set[str], unruled: tuple[QWidget, ...] = ()) -> None:
    """``form``'s ruled widgets equal their rules, ``expected`` are all there, and every
    plain text field, multi-line box and amount field of the form but ``unruled`` carries
    a rule."""
    seen = set()
    for widget in form.findChildren(QWidget):
        name = widget.property(RULE_PROPERTY)
        if not name:
            continue
        seen.add(name)
        rule = field_rules.rule(*name.split("."))
        if isinstance(widget, MoneyEdit):
            check_amount(widget, rule, name)
        elif isinstance(widget, QLineEdit):
            assert rule.max_length is not None, name
            assert widget.maxLength() == rule.max_length, name
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            check_text_box(widget, rule, name)
        else:
            assert isinstance(widget, QSpinBox), name
            assert widget.minimum() == max(rule.minimum, -(2**31)), name
            assert widget.maximum() == min(rule.maximum, 2**31 - 1), name
    assert expected <= seen, expected - seen
    plain = [w for w in form.findChildren(QLineEdit)
             if type(w) in (QLineEdit, MoneyEdit) and not w.isReadOnly()
             and not w.isClearButtonEnabled()
             and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
             and not w.property(RULE_PROPERTY) and w not in unruled]
    assert plain == [], [w.placeholderText() or w.text() for w in plain]
    boxes = [w for w in form.findChildren(QWidget)
             if isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly()
             and not w.property(RULE_PROPERTY) and w not in unruled]
    assert boxes == [], [w.placeholderText() for w in boxes]


def check_amount(widget: MoneyEdit, rule, name: str) -> None:
    """An amount field takes its rule's most đồng, typed, and not one đồng more; its
    tooltip says the most."""
    assert rule.maximum is not None, name
    assert widget.maximum == rule.maximum, name
    assert format_number(rule.maximum) in widget.toolTip(), name
    enabled = widget.isEnabled()
    widget.setEnabled(True)  # some wait for another field (a quantity) before they take typing
    widget.clear()
    QTest.keyClicks(widget, str(rule.maximum))
    assert widget.value() == rule.maximum, name
    QTest.keyClicks(widget, "0")  # one more digit: refused as it is typed
    assert widget.value() == rule.maximum, name
    widget.clear()
    QTest.keyClicks(widget, str(rule.maximum + 1))
    assert widget.value() is not None and widget.value() <= rule.maximum, name
    widget.clear()
    widget.setEnabled(enabled)


def check_text_box(box, rule, name: str) -> None:
    """A multi-line box shows "n/limit ký tự" under its text and cannot hold more than its
    rule: a paste past the limit is cut back to it and the counter, in red, says so."""
    assert rule.max_length is not None, name
    counter = box.findChild(QLabel, "textCounter")
    assert counter is not None, f"{name}: no counter"
    box.clear()
    box.insertPlainText("Rà soát")
    limit = format_number(rule.max_length)
    assert counter.text() == f"7/{limit} ký tự", (name, counter.text())
    box.insertPlainText("x" * (rule.max_length + 50 - 7))  # a paste 50 characters too long
    assert len(box.toPlainText()) == rule.max_length, name
    assert box.toPlainText().startswith("Rà soát"), name
    assert counter.text().startswith(f"{limit}/{limit} ký tự"), (name, counter.text())
    assert "đã bỏ 50 ký tự" in counter.text(), (name, counter.text())
    assert LATE_COLOR.name() in counter.styleSheet(), name
    box.clear()
    assert counter.text() == f"0/{limit} ký tự" and "đã bỏ" not in counter.text(), name


def test_tasks_and_directives_show_their_limits(window, qtbot):
    page = page_of(window, "tasks")
    task = TaskDialog(page, options=page.options, today=TODAY)
    qtbot.addWidget(task)
    check_form(task, {"task.lead_agency", "task.coordinators", "task.expected_output",
                      "task.target_unit", "task.text", "task.target_quantity"})
    assert task.lead.maxLength() == 300 and task.target_unit.maxLength() == 40
    directive = DirectiveDialog(page, programs=page.options.programs, today=TODAY)
    qtbot.addWidget(directive)
    check_form(directive, {"directive.number_symbol", "directive.issuing_body",
                           "directive.title", "directive.summary"},
               unruled=(directive.related,))  # one document a line: no declared rule
    assert directive.title.maxLength() == 500


def test_difficulties_and_the_parents_forms_show_their_limits(window, qtbot):
    difficulty = DifficultyDialog(page_of(window, "difficulties"), today=TODAY, tasks=[])
    qtbot.addWidget(difficulty)
    check_form(difficulty, {"difficulty.title", "difficulty.content", "difficulty.proposal"})
    answer = AnswerDialog(None, unit_name="Xã Ngọc Wang", title="Thiếu vốn", content="…",
                          proposal="", today=TODAY)
    qtbot.addWidget(answer)
    check_form(answer, {"difficulty_answer.document_ref", "difficulty_answer.content"})
    children = [("61501", "Xã Ngọc Wang")]
    assign = AssignTasksDialog(None, children=children, today=TODAY)
    qtbot.addWidget(assign)
    check_form(assign, {"directive.number_symbol", "directive.title", "directive.summary"})
    capital = AssignCapitalDialog(None, children=children, programs=[], kinds=[], sources=[],
                                  year=2023, today=TODAY)
    qtbot.addWidget(capital)
    check_form(capital, {"capital_line.year", "capital_line.decision_number",
                        "capital_line.amount"})


def test_activities_and_progress_show_their_limits(window, qtbot):
    """The activity form's texts, notes and cost, and the tasks page's progress note."""
    activity = ActivityDialog(page_of(window, "activities"), options=window.current_page().options,
                              today=TODAY)
    qtbot.addWidget(activity)
    check_form(activity, {"activity.title", "activity.place", "activity.organiser",
                          "activity.cost", "activity.content", "activity.results",
                          "activity.recommendations"})
    tasks_page = page_of(window, "tasks")
    check_form(tasks_page.progress, {"task_progress.narrative"})


def test_capital_forms_show_their_limits(window, qtbot):
    page = page_of(window, "capital")
    meta = page.meta
    line = page.current_line
    assert line is not None
    forms = [
        (LineDialog(page, programs=meta["programs"], components=meta["components"],
                    kinds=meta["kinds"], sources=meta["sources"], year=2023, today=TODAY),
         {"capital_line.year", "capital_line.quantity", "capital_line.quantity_unit",
          "capital_line.decision_number", "capital_line.decision_body", "capital_line.note",
          "capital_line.amount", "capital_line.unit_value"}),
        (AllocationDialog(page, line=line, projects=page.project_choices, today=TODAY),
         {"capital_allocation.decision_number", "capital_allocation.note",
          "capital_allocation.amount"}),
        (PaymentDialog(page, line=line, allocations=page.allocations, today=TODAY),
         {"capital_payment.voucher", "capital_payment.note", "capital_payment.amount"}),
        (CarryOverDialog(page, line=line, today=TODAY),
         {"capital_carry_over.decision_number", "capital_carry_over.note",
          "capital_carry_over.amount"}),
        (ReturnDialog(page, line=line, today=TODAY),
         {"capital_return.decision_number", "capital_return.amount", "capital_return.reason"}),
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
                                     "household_support.amount",
                                     "household.ethnicity", "household.members",
                                     "household.note"},
               unruled=(dossiers.households.support_date,))
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
