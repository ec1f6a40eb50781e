"""``ctmtqg history carry [--yes] [--record KEY…]``: carry a merged commune's predecessors'
unfinished work into 2026 (chuyển tiếp sau sắp xếp). Without ``--yes`` it only lists."""

from __future__ import annotations

import argparse
from typing import Any

from ctmtqg_desktop.cli.common import print_table, workspace_from
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import history


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "history", parents=[common],
        help=_("the work of the units before the merger: carry it over into 2026"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    carry = actions.add_parser(
        "carry", parents=[common],
        help=_("list the predecessors' unfinished projects, tasks and undisbursed 2025 "
               "capital with their 2026-2035 content; --yes carries them over"))
    mode = carry.add_mutually_exclusive_group()
    mode.add_argument("--preview", action="store_true",
                      help=_("only list (the default): nothing is changed"))
    mode.add_argument("--yes", action="store_true",
                      help=_("carry the listed records over, in one transaction"))
    carry.add_argument("--record", action="append", metavar=_("KEY"),
                       help=_("only this record (the start of its key, 4 characters or "
                              "more; may be repeated)"))
    carry.set_defaults(handler=_carry)


def _carry(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    if args.yes:
        outcome = history.carry(workspace, args.record)
        print(_("Carried over: {projects} projects ({dossiers} dossiers), {tasks} tasks, "
                "{lines} capital lines ({amount} đồng). They go up in the next package.")
              .format(projects=outcome.projects, dossiers=outcome.dossiers,
                      tasks=outcome.tasks, lines=outcome.capital_lines,
                      amount=format_number(outcome.amount)))
        return 0
    plan = history.preview(workspace)
    print(_("{unit} continues {units} from {date}.").format(
        unit=plan.unit_title, units=", ".join(plan.predecessors.values()),
        date=format_date(plan.merged_on)))
    print_table([_("Key"), _("Kind"), _("Unit before the merger"), _("Record"),
                 _("State"), _("2026-2035 content"), _("Mapping"), _("Amount (đồng)"),
                 _("Carry over")],
                [[item.key[:8], item.kind_label, item.unit_title, item.label,
                  item.detail, item.new_label, item.confidence_label,
                  format_number(item.amount) if item.amount is not None else "",
                  item.state_text] for item in plan.items])
    print(_("To carry over: {projects} projects, {tasks} tasks, {lines} capital lines "
            "({amount} đồng); {unverified} of them mapped by an entry not yet verified.")
          .format(projects=plan.count(history.PROJECT), tasks=plan.count(history.TASK),
                  lines=plan.count(history.CAPITAL),
                  amount=format_number(plan.pending_amount), unverified=plan.unverified))
    if plan.pending:
        print(_("Nothing was changed. To carry them over: ctmtqg history carry --yes"))
    return 0
