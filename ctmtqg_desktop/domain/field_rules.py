"""Field rules (quy tắc trường dữ liệu): one declaration per user-editable value.

Every text and number a user types into a record that travels in sync packages has one rule
here: the most characters, the lowest and highest whole number, and whether it may be empty.
The same rule is applied by everyone who writes or reads the value (issue 12, "one value,
one rule, everywhere"):

* the services (forms and the command line call them): :func:`check`;
* the workbook imports: ``ImportColumn(rule=...)`` takes ``max_length`` and the bounds from
  here (``services.workbook_import``);
* the GUI forms: ``gui.widgets.apply_rules`` sets ``setMaxLength`` / a spin box's range;
* the sync package reader on arrival (``sync.apply.parse_change``): a record whose value
  breaks a rule refuses the package (``bad_change``) with the field named;
* a unit's own export (``services.sync``): before a package is written, the latest version
  of every record it carries is checked, and a broken one is named so the officer fixes it.

The text limits are never longer than the store's column (``tests/domain/test_field_rules``
compares them); amounts are whole đồng, never negative, and at most :data:`MAX_AMOUNT`.
Tombstones (deleted records) are not checked: their values are no longer in use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.i18n import N_, _

#: the largest amount in đồng a record may hold: a million billion đồng (10^15), far above
#: any programme's budget, far below what a 64-bit column holds
MAX_AMOUNT = 10**15
#: whole numbers kept in 32-bit columns (the store's Integer) stay below this
MAX_INT32 = 2**31 - 1
#: a short remark (ghi chú)
NOTE = 1000
#: a long free text (content, description, narrative)
LONG_TEXT = 20_000
#: counts of people or households in one place or event
MAX_PEOPLE = 10_000_000


class FieldRuleBroken(BadArgument):
    """A value breaks its field's rule; ``field`` is the translated label."""

    template = N_("“{field}”: {problem}.")


@dataclass(frozen=True)
class FieldRule:
    """The rule of one field: ``label`` is an English msgid (translated where shown)."""

    label: str
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False

    def problem(self, value: Any) -> str | None:
        """Why ``value`` breaks the rule (a Vietnamese phrase), or None."""
        from ctmtqg_desktop.domain.formats import format_number

        if value is None or (isinstance(value, str) and not value.strip()):
            return _("cannot be empty") if self.required else None
        if isinstance(value, str):
            if self.max_length is not None and len(value) > self.max_length:
                return _("{count} characters; at most {limit} are allowed").format(
                    count=format_number(len(value)), limit=format_number(self.max_length))
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                if self.minimum == 0:
                    return _("cannot be negative")
                return _("{value} is below the lowest allowed, {limit}").format(
                    value=format_number(value), limit=format_number(self.minimum))
            if self.maximum is not None and value > self.maximum:
                return _("{value} is above the highest allowed, {limit}").format(
                    value=format_number(value), limit=format_number(self.maximum))
        return None

    def check(self, value: Any) -> None:
        problem = self.problem(value)
        if problem:
            raise FieldRuleBroken(field=_(self.label), problem=problem)


def _text(label: str, length: int, *, required: bool = False) -> FieldRule:
    return FieldRule(label, max_length=length, required=required)


def _amount(label: str, *, maximum: int = MAX_AMOUNT) -> FieldRule:
    return FieldRule(label, minimum=0, maximum=maximum)


def _count(label: str, maximum: int = MAX_PEOPLE) -> FieldRule:
    return FieldRule(label, minimum=0, maximum=maximum)


_NOTE = _text(N_("Note"), NOTE)
_DECISION = _text(N_("Decision number"), 60)

#: table → field → rule; every user-editable text and number of every synced record kind
RULES: dict[str, dict[str, FieldRule]] = {
    "village": {
        "name": _text(N_("Village name"), 120, required=True),
        "ethnic_groups": _text(N_("Ethnic groups"), 200),
        "households": _count(N_("Households"), 100_000),
        "population": _count(N_("Population"), 1_000_000),
    },
    "household": {
        "head_name": _text(N_("Head of household"), 120, required=True),
        "id_number": _text(N_("ID number"), 12),
        "birth_year": FieldRule(N_("Year of birth"), minimum=1900, maximum=2100),
        "ethnicity": _text(N_("Ethnicity"), 60),
        "members": _count(N_("Members"), 50),
        "note": _NOTE,
    },
    "household_support": {
        "amount": _amount(N_("Amount"), maximum=MAX_INT32),
        "note": _NOTE,
    },
    "project": {
        "name": _text(N_("Project name"), 300, required=True),
        "location": _text(N_("Location"), 300),
        "investor": _text(N_("Investor"), 200),
        "approval_number": _text(N_("Approval decision number"), 60),
        "approval_body": _text(N_("Approved by"), 200),
        "physical_progress": FieldRule(N_("Physical progress (%)"), minimum=0, maximum=100),
        "beneficiary_households": _count(N_("Beneficiary households")),
        "description": _text(N_("Description"), LONG_TEXT),
    },
    "project_funding": {"amount": _amount(N_("Amount"))},
    "project_score": {"note": _NOTE},
    "overlap_decision": {"reason": _text(N_("Reason"), LONG_TEXT),
                         "decided_by": _text(N_("Decided by"), 120)},
    "capital_line": {
        "year": FieldRule(N_("Year"), minimum=2000, maximum=2100),
        "amount": _amount(N_("Amount")),
        "quantity": _amount(N_("Quantity")),
        "quantity_unit": _text(N_("Unit of quantity"), 40),
        "unit_value": _amount(N_("Unit value")),
        "decision_number": _DECISION,
        "decision_body": _text(N_("Decided by"), 200),
        "note": _NOTE,
    },
    "capital_allocation": {"amount": _amount(N_("Amount")), "decision_number": _DECISION,
                           "note": _NOTE},
    "capital_payment": {"amount": _amount(N_("Amount")),
                        "voucher": _text(N_("Voucher"), 80), "note": _NOTE},
    "capital_carry_over": {"amount": _amount(N_("Amount")), "decision_number": _DECISION,
                           "note": _NOTE},
    "capital_return": {"amount": _amount(N_("Amount")),
                       "reason": _text(N_("Reason"), LONG_TEXT),
                       "decision_number": _DECISION},
    "counterpart_rule": {"legal_basis": _text(N_("Legal basis"), LONG_TEXT), "note": _NOTE},
    "task": {
        "section": _text(N_("Section"), 300),
        "text": _text(N_("Task"), 2000, required=True),
        "lead_agency": _text(N_("Lead agency"), 300),
        "coordinators": _text(N_("Coordinating agencies"), 1000),
        "expected_output": _text(N_("Expected output"), 1000),
        "target_quantity": _amount(N_("Target quantity")),
        "target_unit": _text(N_("Unit of quantity"), 40),
        "latest_percent": FieldRule(N_("Percent done"), minimum=0, maximum=100),
    },
    "task_progress": {
        "percent": FieldRule(N_("Percent done"), minimum=0, maximum=100),
        "quantity": _amount(N_("Quantity")),
        "narrative": _text(N_("Progress report"), LONG_TEXT),
    },
    "directive": {
        "number_symbol": _text(N_("Number and symbol"), 60),
        "issuing_body": _text(N_("Issued by"), 200),
        "title": _text(N_("Title"), 500, required=True),
        "summary": _text(N_("Summary"), LONG_TEXT),
    },
    "activity": {
        "title": _text(N_("Title"), 300, required=True),
        "campaign": _text(N_("Campaign"), 300),
        "place": _text(N_("Place"), 300),
        "organiser": _text(N_("Organiser"), 300),
        "participants": _count(N_("Participants")),
        "participants_women": _count(N_("of whom women")),
        "participants_ethnic": _count(N_("of whom ethnic minority")),
        "participants_poor": _count(N_("of whom poor households")),
        "content": _text(N_("Content"), LONG_TEXT),
        "results": _text(N_("Results"), LONG_TEXT),
        "recommendations": _text(N_("Recommendations"), LONG_TEXT),
        "cost": _amount(N_("Cost")),
    },
    "difficulty": {
        "title": _text(N_("Title"), 300, required=True),
        "content": _text(N_("Content"), LONG_TEXT),
        "proposal": _text(N_("Proposal"), LONG_TEXT),
    },
    "difficulty_answer": {
        "answered_by": _text(N_("Answered by"), 200),
        "document_ref": _text(N_("Document"), 200),
        "content": _text(N_("Content"), LONG_TEXT),
    },
    "dossier": {"note": _NOTE},
    "dossier_document": {
        "number": _text(N_("Number"), 60),
        "signer": _text(N_("Signer"), 200),
        "note": _NOTE,
    },
    "attachment": {"caption": _text(N_("Caption"), 300),
                   "original_name": _text(N_("File name"), 255)},
    "report_request": {"title": _text(N_("Title"), 300, required=True),
                       "legal_basis": _text(N_("Legal basis"), 300)},
    "issued_report": {
        "title": _text(N_("Title"), 300, required=True),
        "symbol": _text(N_("Symbol"), 40),
        "signer_name": _text(N_("Signer"), 120),
        "signer_title": _text(N_("Signer's title"), 120),
        "approved_by": _text(N_("Approving leader"), 120),
        "note": _NOTE,
    },
}

#: the field that names a record to the officer (a village by its name…)
NAMING_FIELD: dict[str, str] = {
    "village": "name", "household": "head_name",
    "project": "name", "task": "text", "directive": "number_symbol", "activity": "title",
    "difficulty": "title", "attachment": "original_name", "report_request": "title",
    "issued_report": "title", "capital_line": "decision_number",
    "capital_allocation": "decision_number", "capital_payment": "voucher",
    "capital_carry_over": "decision_number", "capital_return": "decision_number",
    "dossier_document": "document_code", "dossier": "template_id",
}


def rule(table: str, field: str) -> FieldRule:
    """The rule of ``table.field`` (KeyError when none is declared: a programming error)."""
    return RULES[table][field]


def problems(table: str, values: Mapping[str, Any]) -> Iterator[tuple[str, FieldRule, str]]:
    """``(field, rule, problem)`` for each value of ``values`` that breaks its rule; fields
    without a rule (and tables without rules) are not checked."""
    rules = RULES.get(table, {})
    for field, value in values.items():
        found = rules.get(field)
        if found is None:
            continue
        problem = found.problem(value)
        if problem:
            yield field, found, problem


def check(table: str, values: Mapping[str, Any]) -> None:
    """Raise :class:`FieldRuleBroken` for the first value of ``values`` that breaks its
    rule: what a service calls before it writes (so a form and the command line refuse
    what a receiver would refuse)."""
    for _field, found, problem in problems(table, values):
        raise FieldRuleBroken(field=_(found.label), problem=problem)


def record_problem(table: str, values: Mapping[str, Any]) -> tuple[str, FieldRule, str] | None:
    """The first broken rule of a whole record (None for a tombstone or a good record)."""
    if values.get("deleted"):
        return None
    return next(problems(table, values), None)


def record_name(table: str, values: Mapping[str, Any]) -> str:
    """How the officer finds the record: its name, title or number, cut to 60 characters."""
    field = NAMING_FIELD.get(table)
    text = str(values.get(field) or "") if field else ""
    if not text:
        return str(values.get("id", ""))
    return text if len(text) <= 60 else text[:59] + "…"
