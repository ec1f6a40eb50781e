"""The capital page's counterpart tab: the counterpart-fund rules in force, and the funds required,
assigned and missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_percent
from ctmtqg_desktop.gui.pages.capital._dialogs import (
    RuleDialog,
)
from ctmtqg_desktop.gui.tables import (
    CENTER,
    RIGHT,
    Cell,
    StateTable,
    money,
    short_program,
)
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.capital._page import CapitalPage


def _build_counterpart(page: CapitalPage) -> QWidget:
    tab = QWidget()
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(8, 8, 8, 8)
    bar = QHBoxLayout()
    page.counterpart_year_label = QLabel()
    page.counterpart_year = QComboBox()
    page.counterpart_year_label.setBuddy(page.counterpart_year)
    page.counterpart_year.currentIndexChanged.connect(page.load_counterpart)
    bar.addWidget(page.counterpart_year_label)
    bar.addWidget(page.counterpart_year)
    bar.addStretch(1)
    page.add_rule_button = QPushButton()
    page.edit_rule_button = QPushButton()
    page.delete_rule_button = QPushButton()
    page.adopt_button = QPushButton()
    page.add_rule_button.clicked.connect(page.add_rule)
    page.edit_rule_button.clicked.connect(page.edit_rule)
    page.delete_rule_button.clicked.connect(page.delete_rule)
    page.adopt_button.clicked.connect(page.adopt_defaults)
    for button in (page.add_rule_button, page.edit_rule_button, page.delete_rule_button,
                   page.adopt_button):
        bar.addWidget(button)
    layout.addLayout(bar)
    page.check_box = QGroupBox()
    check_layout = QVBoxLayout(page.check_box)
    page.check_table = StateTable(stretch=7)
    check_layout.addWidget(page.check_table)
    layout.addWidget(page.check_box, 1)
    page.rules_box = QGroupBox()
    rules_layout = QVBoxLayout(page.rules_box)
    page.rules_note = QLabel(wordWrap=True, objectName="muted")
    page.rules_table = StateTable(stretch=3)
    rules_layout.addWidget(page.rules_note)
    rules_layout.addWidget(page.rules_table)
    layout.addWidget(page.rules_box, 1)
    page.rules = []
    return tab


# -- counterpart --------------------------------------------------------------------
def load_counterpart(page: CapitalPage, *_args) -> None:
    if not page.loaded:
        return
    workspace = page.workspace
    year = page.counterpart_year.currentData()
    page.loading = True

    def load():
        in_force = capital.effective_rules(workspace, year)
        return (capital.check(workspace, year), capital.rule_records(workspace),
                capital.default_rules(), in_force)

    page.context.runner.run(load, on_done=page._counterpart_loaded, on_error=page._failed)


def _counterpart_loaded(page: CapitalPage, result) -> None:
    checks, records, defaults, in_force = result
    page.check_table.fill(
        [_("Programme"), _("Capital kind"), _("Central budget capital"), _("Ratio"),
         _("Counterpart required"), _("Counterpart assigned"), _("Shortfall"),
         _("Legal basis")],
        [[Cell(c.program_label), Cell(capital.short_kind(c.capital_kind, c.kind_name)),
          Cell(money(c.central), RIGHT),
          Cell(format_percent(c.rule.ratio) if c.rule else "", RIGHT),
          Cell(money(c.required), RIGHT), Cell(money(c.assigned), RIGHT),
          Cell(money(c.shortfall), RIGHT),
          Cell((c.rule.legal_basis + " (" + capital.origin_label(c.rule.origin) + ")")
               if c.rule else _("No rule"))] for c in checks],
        states=[c.state for c in checks])
    active = set(in_force.values())
    abbreviations = {p.id: p.abbreviation for p in page.meta.get("programs", [])}
    page.rules = records + defaults
    page.rules_table.fill(
        [_("Programme"), _("Capital kind"), _("Ratio"), _("Legal basis"), _("Validity"),
         _("Origin"), _("Data")],
        [[Cell(short_program(abbreviations.get(r.program_id, r.program_id))),
          Cell(capital.short_kind(r.capital_kind)),
          Cell(format_percent(r.ratio), RIGHT), Cell(r.legal_basis),
          Cell(format_date(r.valid_from) + " - " + format_date(r.valid_to), CENTER),
          Cell(capital.origin_label(r.origin)
               + ("" if r in active else " · " + _("not in force"))),
          Cell(capital.confidence_label(r.confidence))] for r in page.rules],
        keys=list(range(len(page.rules))))
    page.loading = False


def _selected_rule(page: CapitalPage) -> capital.RuleInfo | None:
    key = page.rules_table.current_key()
    return page.rules[key] if key is not None and 0 <= key < len(page.rules) else None


def _own_rule(page: CapitalPage) -> capital.RuleInfo | None:
    """The chosen rule if it is one of this unit's (the others cannot be changed here)."""
    rule = page._selected_rule()
    if rule is None or rule.origin != capital.OWN:
        page.show_message(_("Choose a rule of this unit: rules from the parent unit and "
                            "the defaults cannot be changed here (add a rule of the unit "
                            "instead)."), "due_soon")
        return None
    return rule


def add_rule(page: CapitalPage) -> None:
    values = RuleDialog.ask(page, programs=page.meta["programs"], kinds=page.meta["kinds"],
                            today=page.meta["today"])
    if values is None:
        return
    workspace = page.workspace
    page._run(lambda: capital.save_rule(workspace, **values),
              _("The counterpart-ratio rule was saved."))


def edit_rule(page: CapitalPage) -> None:
    rule = _own_rule(page)
    if rule is None:
        return
    values = RuleDialog.ask(page, programs=page.meta["programs"], kinds=page.meta["kinds"],
                            today=page.meta["today"], rule=rule)
    if values is None:
        return
    workspace = page.workspace
    page._run(lambda: capital.save_rule(workspace, rule_id=rule.id, **values),
              _("The counterpart-ratio rule was saved."))


def delete_rule(page: CapitalPage) -> None:
    rule = _own_rule(page)
    if rule is None:
        return
    if not page._confirm(_("Delete this counterpart-ratio rule?")):
        return
    workspace = page.workspace
    page._run(lambda: capital.delete_rule(workspace, rule.id),
              _("The counterpart-ratio rule was deleted."))


def adopt_defaults(page: CapitalPage) -> None:
    workspace = page.workspace
    page._run(lambda: capital.adopt_defaults(workspace),
              _("The default ratios were kept as rules of this unit."))
