"""``ctmtqg archive``: the register of issued reports (a commune: issue, sign off, list; a
parent: the same for its consolidated reports, the requests it sends down and who reported).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ctmtqg_desktop.cli.common import print_table, workspace_from
from ctmtqg_desktop.domain.formats import format_date, format_datetime, format_number, parse_date
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import archive

PERIOD_HELP = _("2023, 6t/2023, 9t/2023, q2/2023, t6/2023 or dd/mm/yyyy-dd/mm/yyyy")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "archive", parents=[common],
        help=_("issued reports: register, issue, sign off; at a parent, who reported"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    listing = actions.add_parser("list", parents=[common],
                                 help=_("the register of the reports this unit issued"))
    listing.add_argument("--year", type=int, metavar=_("YEAR"))
    listing.set_defaults(handler=_list)
    kinds = actions.add_parser("kinds", parents=[common],
                               help=_("the reports this unit can issue"))
    kinds.set_defaults(handler=_kinds)
    issue = actions.add_parser(
        "issue", parents=[common],
        help=_("issue a report under the next number of the register (at a parent: in its "
               "own name over its children, naming those that have not reported)"))
    issue.add_argument("--kind", required=True, metavar=_("REPORT"),
                       help=_("a report key (see: ctmtqg archive kinds)"))
    issue.add_argument("--period", required=True, metavar=_("PERIOD"), help=PERIOD_HELP)
    issue.add_argument("--date", metavar=_("DATE"),
                       help=_("the date of issue, dd/mm/yyyy (default: today)"))
    issue.add_argument("--number", type=int, metavar="N",
                       help=_("the number (default: the next free one of the year)"))
    issue.add_argument("--symbol", default=archive.DEFAULT_SYMBOL, metavar=_("SYMBOL"))
    issue.add_argument("--title", default="", metavar=_("TEXT"))
    issue.add_argument("--signer", metavar=_("NAME"),
                       help=_("who signs (default: the workspace's signer)"))
    issue.add_argument("--signer-title", metavar=_("TITLE"))
    issue.add_argument("--file", type=Path, action="append", default=[], metavar=_("FILE"),
                       help=_("a file to keep with it, e.g. the signed scan (repeatable)"))
    issue.add_argument("--no-generate", action="store_true",
                       help=_("do not write the report's files: keep only the given files"))
    issue.set_defaults(handler=_issue)
    sign = actions.add_parser("sign", parents=[common],
                              help=_("a leader's sign-off: locks the report"))
    sign.add_argument("report", metavar=_("REPORT"),
                      help=_("its id as the list prints it, or 12/BC-UBND/2023"))
    sign.add_argument("--approver", required=True, metavar=_("NAME"))
    sign.add_argument("--date", metavar=_("DATE"), help=_("dd/mm/yyyy (default: today)"))
    sign.add_argument("--signed-file", type=Path, metavar=_("FILE"),
                      help=_("the scan of the signed paper"))
    sign.set_defaults(handler=_sign)
    delete = actions.add_parser("delete", parents=[common],
                                help=_("withdraw a report issued by mistake (before sign-off)"))
    delete.add_argument("report", metavar=_("REPORT"))
    delete.set_defaults(handler=_delete)
    opened = actions.add_parser("open", parents=[common],
                                help=_("copy a report's signed file out, checked"))
    opened.add_argument("report", metavar=_("REPORT"))
    opened.add_argument("--out", type=Path, default=Path("."), metavar=_("FOLDER"))
    opened.add_argument("--name", metavar=_("FILE"), help=_("another of its files"))
    opened.set_defaults(handler=_open)
    request = actions.add_parser("request", parents=[common],
                                 help=_("a parent asks every child unit for a report"))
    request.add_argument("--kind", required=True, metavar=_("REPORT"))
    request.add_argument("--period", required=True, metavar=_("PERIOD"), help=PERIOD_HELP)
    request.add_argument("--due", required=True, metavar=_("DATE"),
                         help=_("the day it is due, dd/mm/yyyy"))
    request.add_argument("--title", default="", metavar=_("TEXT"))
    request.add_argument("--basis", default="", metavar=_("TEXT"),
                         help=_("the text that asks for it"))
    request.set_defaults(handler=_request)
    status = actions.add_parser(
        "completeness", parents=[common],
        help=_("what was due, what arrived and when (a parent: per child unit)"))
    status.add_argument("--year", type=int, metavar=_("YEAR"))
    status.add_argument("--kind", metavar=_("REPORT"))
    status.add_argument("--date", metavar=_("DATE"), help=_("as of dd/mm/yyyy"))
    status.set_defaults(handler=_completeness)


def _list(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    reports = archive.issued_reports(workspace, year=args.year)
    print_table([_("Id"), _("Number"), _("Date"), _("Period"), _("Signed off"), _("Report")],
                [[str(r.id)[:8], r.number_symbol, format_date(r.issued_on), r.period,
                  (r.approved_by + " " + format_date(r.approved_on)) if r.signed else "-",
                  r.title[:60]] for r in reports])
    return 0


def _kinds(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    for kind in archive.report_kinds(workspace):
        print(f"{kind.key}: {_(kind.title)}")
    return 0


def _issue(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    start, end = archive.parse_period(args.period)
    fields = dict(issued_on=parse_date(args.date) if args.date else None, title=args.title,
                  number=args.number, symbol=args.symbol, signer_name=args.signer,
                  signer_title=args.signer_title, files=args.file,
                  generate=not args.no_generate)
    info = workspace.installation()
    if info is not None and info.role == "parent":
        issued = archive.issue_consolidated(workspace, kind=args.kind, period_start=start,
                                            period_end=end, **fields)
    else:
        issued = archive.issue_report(workspace, kind=args.kind, period_start=start,
                                      period_end=end, **fields)
    print(_("Report issued: {number} of {date}, {title} (id {id}).").format(
        number=issued.number_symbol, date=format_date(issued.issued_on), title=issued.title,
        id=str(issued.id)[:8]))
    for item in issued.files:
        print(f"  {item.name}  SHA-256 {item.sha256}")
    if issued.consolidated:
        print(_("Child units that have not reported: {count}.").format(
            count=format_number(len(issued.not_reported))))
        for name in issued.not_reported:
            print("  " + name)
    return 0


def _sign(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    signed = archive.sign_off(workspace, archive.find_report(workspace, args.report),
                              approver=args.approver,
                              approved_on=parse_date(args.date) if args.date else None,
                              signed_file=args.signed_file)
    print(_("Report {number} signed off by {approver} on {date}; it can no longer be "
            "changed.").format(number=signed.number_symbol, approver=signed.approved_by,
                               date=format_date(signed.approved_on)))
    return 0


def _delete(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    report_id = archive.find_report(workspace, args.report)
    number = archive.get_report(workspace, report_id).number_symbol
    archive.delete_report(workspace, report_id)
    print(_("Report {number} withdrawn.").format(number=number))
    return 0


def _open(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    path = archive.open_file(workspace, archive.find_report(workspace, args.report),
                             args.out, args.name)
    print(_("File written: {path}").format(path=path))
    return 0


def _request(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    start, end = archive.parse_period(args.period)
    saved = archive.save_request(workspace, kind=args.kind, period_start=start,
                                 period_end=end, due_on=parse_date(args.due),
                                 title=args.title, legal_basis=args.basis)
    print(_("Every child unit is asked for “{title}” by {due}; the request goes down in the "
            "next packages.").format(title=saved.title, due=format_date(saved.due_on)))
    return 0


def _completeness(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    found = archive.completeness(workspace, on=parse_date(args.date) if args.date else None,
                                 year=args.year, kind=args.kind)
    print_table([_("Unit"), _("Report"), _("Period"), _("Due on"), _("Number"),
                 _("Signed off on"), _("Received"), _("State")],
                [[row.unit_name, row.request.kind, row.request.period,
                  format_date(row.request.due_on),
                  row.report.number_symbol if row.report else "",
                  format_date(row.report.approved_on) if row.report and row.report.signed
                  else "", format_date(row.received_on) if row.received_on else
                  format_datetime(row.received_at) if row.received_at else "",
                  archive.state_text(row)] for row in found.rows])
    counts = {state: found.count(state) for state in archive.STATES}
    print(_("On time {on_time}, late {late}, not signed off {unsigned}, missing {missing}, "
            "not due yet {not_due}.").format(**{k: format_number(v) for k, v in counts.items()}))
    return 0
