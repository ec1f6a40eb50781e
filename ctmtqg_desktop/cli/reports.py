"""``ctmtqg report KEY --format xlsx|pdf --period 6t/2023 --out FILE``: any registered report
(the official forms are ``form-<id>``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmtqg_desktop.cli.common import known_role, workspace_from
from ctmtqg_desktop.domain.formats import parse_date
from ctmtqg_desktop.domain.report_periods import parse_period
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import report_catalog, report_forms


def register(subparsers, common) -> None:
    specs = report_catalog.all_reports()
    # a key may be made differently by a commune and a parent (capital, tasks): listed once
    keys = sorted({s.key for s in specs})
    # the help lists the reports of the workspace's role when it is known (a commune is not
    # offered board); any key is still accepted, and the service refuses with a sentence
    role = known_role()
    shown = [s for s in specs if role is None or role in s.roles]
    parser = subparsers.add_parser(
        "report", parents=[common], help=_("produce a report as Excel or PDF"),
        description="\n".join(s.key + ": " + _(s.title) + " (" + _(s.description) + ")"
                              for s in shown),
        epilog="\n".join(note for _title, note in report_forms.not_found_notes()))
    parser.add_argument("key", choices=keys, metavar=_("REPORT"),
                        help=", ".join(sorted({s.key for s in shown})))
    parser.add_argument("--format", choices=report_catalog.FORMATS, default="pdf")
    parser.add_argument("--out", type=Path, metavar=_("FILE"),
                        help=_("where to write (default: the report's name in this folder)"))
    parser.add_argument("--period", metavar=_("PERIOD"),
                        help=_("the period the report covers: 06/2023, Q2/2023, 6t/2023, "
                               "9t/2023, 2023 or 01/01/2023-30/06/2023 (default: the working "
                               "year so far; for a form, the last closed period)"))
    parser.add_argument("--date", "--on", dest="date", metavar=_("DATE"),
                        help=_("the figures as they stood on this day (dd/mm/yyyy)"))
    parser.add_argument("--year", type=int, metavar=_("YEAR"),
                        help=_("the year a yearly report covers"))
    parser.add_argument("--param", action="append", default=[], metavar=_("KEY=VALUE"),
                        help=_("a form's parameter, e.g. commune_group=\"Xã nhóm 3\""))
    parser.add_argument("--issued-on", metavar=_("DATE"),
                        help=_("the date written on the document (default: the working date)"))
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    period = parse_period(args.period) if args.period else None
    if period is None and not args.date and not args.year and args.key.startswith("form-"):
        period = report_catalog.default_period(workspace)  # a form: the last closed period
    extra = dict(item.partition("=")[::2] for item in args.param)
    options = report_catalog.ReportOptions(
        date=parse_date(args.date) if args.date else None, year=args.year, period=period,
        extra={key.strip(): value.strip() for key, value in extra.items()},
        issued_on=parse_date(args.issued_on) if args.issued_on else None)
    out = args.out or Path(report_catalog.file_name(workspace, args.key, args.format, options))
    report_catalog.build_report(workspace, args.key, args.format, out, options)
    print(_("Report written: {path}").format(path=out))
    return 0
