"""``ctmtqg capital …`` and ``ctmtqg portfolio …``: capital plans, disbursement, the ranked
project list, overlaps and the capital-adjustment what-if, on the command line.

Reports (``ctmtqg report capital|portfolio|capital-proposal``) come from ``report_commands``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmtqg_desktop.cli.common import (
    add_legacy_option,
    import_workbook,
    print_table,
    workspace_from,
)
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital, projects

STATE_MARK = {"late": "!!", "due_soon": "!", "normal": ""}


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("capital", parents=[common],
                                   help=_("capital plans, allocation and disbursement"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    lines = actions.add_parser("lines", parents=[common],
                               help=_("list the capital plan lines with their figures"))
    lines.add_argument("--year", type=int, metavar=_("YEAR"))
    lines.add_argument("--program", metavar=_("PROGRAMME"),
                       help=_("NTM, GNBV or DTTS"))
    lines.set_defaults(handler=_lines)
    status = actions.add_parser("status", parents=[common],
                                help=_("the year's disbursement against the on-track line"))
    status.add_argument("--year", type=int, metavar=_("YEAR"))
    status.set_defaults(handler=_status)
    warn = actions.add_parser("alerts", parents=[common],
                              help=_("deadlines, unallocated capital, shortfalls"))
    warn.set_defaults(handler=_alerts)
    check = actions.add_parser("counterpart", parents=[common],
                               help=_("counterpart funds required, assigned and missing"))
    check.add_argument("--year", type=int, metavar=_("YEAR"))
    check.set_defaults(handler=_counterpart)
    template = actions.add_parser("template", parents=[common],
                                  help=_("write the empty Excel template of a capital plan"))
    template.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    template.set_defaults(handler=_template)
    load = actions.add_parser("import-xlsx", parents=[common],
                              help=_("import the capital plan assigned from above (all rows "
                                     "or none)"))
    load.add_argument("file", type=Path, metavar=_("FILE"))
    add_legacy_option(load)
    load.set_defaults(handler=_import)

    parser = subparsers.add_parser("portfolio", parents=[common],
                                   help=_("investment projects: priority rank, overlaps, "
                                          "capital adjustment"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    rank = actions.add_parser("rank", parents=[common],
                              help=_("projects in order of priority"))
    rank.add_argument("--year", type=int, metavar=_("YEAR"))
    rank.add_argument("--weights", metavar="F,E,D",
                      help=_("weights of feasibility, effectiveness and ability to disburse, "
                             "e.g. 40,30,30 (default: the workspace's)"))
    rank.set_defaults(handler=_rank)
    flagged = actions.add_parser("overlaps", parents=[common],
                                 help=_("possible overlaps between programmes"))
    flagged.set_defaults(handler=_overlaps)
    what_if = actions.add_parser("adjustment", parents=[common],
                                 help=_("the proposed moves of unspent capital (what-if)"))
    what_if.add_argument("--year", type=int, metavar=_("YEAR"))
    what_if.add_argument("--weights", metavar="F,E,D")
    what_if.set_defaults(handler=_adjustment)


def _program_id(text: str | None) -> str | None:
    if not text:
        return None
    return text if "/" in text else f"2021-2025/{text.upper()}"


def _money(amount: int) -> str:
    return format_number(amount)


def _lines(args: argparse.Namespace) -> int:
    rows = capital.list_lines(workspace_from(args), year=args.year,
                              program_id=_program_id(args.program))
    print_table([_("Year"), _("Capital plan line"), _("Assigned"), _("Allocated in detail"),
                 _("Disbursed"), _("Rate"), _("Disbursement deadline"), ""],
                [[str(r.year), r.label, _money(r.figures.assigned), _money(r.figures.allocated),
                  _money(r.figures.disbursed), format_percent(r.figures.rate or 0),
                  format_date(r.deadline), STATE_MARK[r.state]] for r in rows])
    return 0


def _status(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    year = args.year or workspace.today().year
    summary = capital.year_summary(workspace, year)
    total = summary.total
    print(_("Year {year}: assigned {assigned} đồng, allocated {allocated}, disbursed {disbursed} "
            "({rate}); on-track line {track}; forecast by 31/12: {forecast}.").format(
        year=str(year), assigned=_money(total.assigned), allocated=_money(total.allocated),
        disbursed=_money(total.disbursed), rate=format_percent(total.rate or 0),
        track=format_percent(summary.on_track),
        forecast=format_percent(summary.forecast.rate or 0)))
    for title, groups in ((_("By programme"), summary.by_program),
                          (_("By source"), summary.by_source)):
        print()
        print(title)
        print_table([_("Group"), _("Assigned"), _("Disbursed"), _("Rate"), _("Forecast"), ""],
                    [[g.label, _money(g.figures.assigned), _money(g.figures.disbursed),
                      format_percent(g.figures.rate or 0),
                      format_percent(g.forecast.rate or 0), STATE_MARK[g.state]]
                     for g in groups])
    return 0


def _alerts(args: argparse.Namespace) -> int:
    found = capital.alerts(workspace_from(args))
    for alert in found:
        print(f"{STATE_MARK[alert.state] or '-'} {alert.text}")
    if not found:
        print(_("No warnings."))
    return 0


def _counterpart(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    year = args.year or workspace.today().year
    rows = capital.check(workspace, year)
    print_table([_("Programme"), _("Capital kind"), _("Central budget capital"), _("Ratio"),
                 _("Counterpart required"), _("Counterpart assigned"), _("Shortfall"),
                 _("Rule")],
                [[c.program_label, c.kind_name, _money(c.central),
                  format_percent(c.rule.ratio if c.rule else 0), _money(c.required),
                  _money(c.assigned), _money(c.shortfall),
                  capital.origin_label(c.rule.origin) if c.rule else ""] for c in rows])
    return 0


def _template(args: argparse.Namespace) -> int:
    capital.write_template(args.out)
    print(_("Template written: {path}").format(path=args.out))
    return 0


def _import(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    outcome = import_workbook(lambda skip: capital.import_lines(
        workspace, args.file, legacy_encoding=args.legacy_encoding,
        skip_unknown_columns=skip), args.skip_unknown_columns)
    print(outcome.text(_("capital plan lines")))
    return 0


def _weights(text: str | None) -> dict[str, int] | None:
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise BadArgument(detail=_("Write three whole numbers separated by commas, "
                                   "e.g. 40,30,30."))
    return projects.check_weights(dict(zip(("feasibility", "effectiveness", "disbursement"),
                                            (int(p) for p in parts))))


def _rank(args: argparse.Namespace) -> int:
    rows = projects.portfolio(workspace_from(args), year=args.year,
                               weights=_weights(args.weights))
    print_table([_("Rank"), _("Project, work"), _("Programme"), _("Feasibility"),
                 _("Effectiveness"), _("Ability to disburse"), _("Priority"), ""],
                [[str(r.rank or "-"), r.name, r.program_label,
                  format_number(r.scores["feasibility"], decimals=1),
                  format_number(r.scores["effectiveness"], decimals=1),
                  format_number(r.scores["disbursement"], decimals=1),
                  format_number(r.priority, decimals=1), STATE_MARK[r.state]] for r in rows])
    return 0


def _overlaps(args: argparse.Namespace) -> int:
    flags = projects.detect(workspace_from(args))
    for flag in flags:
        status = _("open") if flag.is_open else _("not an overlap: {reason}").format(
            reason=flag.decision.reason)
        print(f"- {flag.first.name} ({flag.first.program_label}) ↔ {flag.second.name} "
              f"({flag.second.program_label}): {flag.reason_text} [{status}]")
    if not flags:
        print(_("No possible overlaps found."))
    return 0


def _adjustment(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    plan = projects.propose_adjustment(workspace, args.year, weights=_weights(args.weights))
    print_table([_("Capital plan line"), _("Move from"), _("To"), _("Amount (đồng)")],
                [[m.line_label, m.from_name, m.to_name, _money(m.amount)] for m in plan.moves])
    print(_("Total: {amount} đồng. The submission: ctmtqg report capital-proposal --format "
            "pdf").format(amount=_money(plan.total)))
    return 0
