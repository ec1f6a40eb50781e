"""``ctmtqg report KEY --format xlsx|pdf --out FILE``: any registered report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmtqg_desktop.cli.common import workspace_from
from ctmtqg_desktop.domain.formats import parse_date
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import report_catalog


def register(subparsers, common) -> None:
    specs = report_catalog.all_reports()
    # a key may be made differently by a commune and a parent (capital, tasks): listed once
    keys = sorted({s.key for s in specs})
    parser = subparsers.add_parser(
        "report", parents=[common], help=_("produce a report as Excel or PDF"),
        description="\n".join(s.key + ": " + _(s.description) for s in specs))
    parser.add_argument("key", choices=keys, metavar=_("REPORT"), help=", ".join(keys))
    parser.add_argument("--format", choices=report_catalog.FORMATS, default="pdf")
    parser.add_argument("--out", type=Path, metavar=_("FILE"),
                        help=_("where to write (default: the report's name in this folder)"))
    parser.add_argument("--date", metavar=_("DATE"), help=_("the report's date (dd/mm/yyyy)"))
    parser.add_argument("--year", type=int, metavar=_("YEAR"),
                        help=_("the year a yearly report covers"))
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    options = report_catalog.ReportOptions(
        date=parse_date(args.date) if args.date else None, year=args.year)
    out = args.out or Path(f"{args.key}-{workspace.today():%Y%m%d}.{args.format}")
    report_catalog.build_report(workspace, args.key, args.format, out, options)
    print(_("Report written: {path}").format(path=out))
    return 0
