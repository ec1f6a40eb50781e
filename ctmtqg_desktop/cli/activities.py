"""``ctmtqg activities list|add|template|import-xlsx``: the activity log on the command
line."""

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
from ctmtqg_desktop.domain.formats import format_date, format_number, parse_date
from ctmtqg_desktop.domain.money import parse_money
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import activities, villages


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "activities", parents=[common],
        help=_("communication, training, inspection and supervision activities"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    listing = actions.add_parser("list", parents=[common], help=_("list the activities"))
    listing.add_argument("--kind", choices=activities.KINDS)
    listing.add_argument("--search", default="", metavar=_("WORDS"),
                         help=_("words to look for (diacritics optional)"))
    listing.add_argument("--year", type=int, metavar=_("YEAR"))
    listing.add_argument("--program", metavar=_("PROGRAMME"),
                         help=_("a programme key, e.g. 2021-2025/NTM"))
    listing.add_argument("--campaign", metavar=_("NAME"),
                         help=_("a campaign or movement (diacritics optional)"))
    listing.set_defaults(handler=_list)
    add = actions.add_parser("add", parents=[common], help=_("record an activity"))
    add.add_argument("--kind", choices=activities.KINDS, required=True)
    add.add_argument("--title", required=True, metavar=_("TEXT"))
    add.add_argument("--date", required=True, metavar=_("DATE"),
                     help=_("the first day, dd/mm/yyyy"))
    add.add_argument("--to", metavar=_("DATE"), help=_("the last day, dd/mm/yyyy"))
    add.add_argument("--campaign", default="", metavar=_("NAME"))
    add.add_argument("--program", metavar=_("PROGRAMME"),
                     help=_("a programme key, e.g. 2021-2025/NTM"))
    add.add_argument("--component", metavar=_("COMPONENT"))
    add.add_argument("--place", default="", metavar=_("PLACE"),
                     help=_("a village of the commune, or any place"))
    add.add_argument("--organiser", default="", metavar=_("BODY"))
    add.add_argument("--participants", type=int, default=0, metavar="N")
    add.add_argument("--women", type=int, default=0, metavar="N")
    add.add_argument("--ethnic-minority", type=int, default=0, metavar="N")
    add.add_argument("--poor", type=int, default=0, metavar="N")
    add.add_argument("--content", default="", metavar=_("TEXT"))
    add.add_argument("--results", default="", metavar=_("TEXT"))
    add.add_argument("--recommendations", default="", metavar=_("TEXT"))
    add.add_argument("--cost", metavar=_("AMOUNT"), help=_("whole đồng, e.g. 2.500.000"))
    add.add_argument("--evidence", type=Path, action="append", default=[], metavar=_("FILE"),
                     help=_("a photo or the minutes (repeatable)"))
    add.set_defaults(handler=_add)
    template = actions.add_parser("template", parents=[common],
                                  help=_("write the empty Excel template"))
    template.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    template.set_defaults(handler=_template)
    load = actions.add_parser("import-xlsx", parents=[common],
                              help=_("add activities from a workbook (all rows or none)"))
    load.add_argument("file", type=Path, metavar=_("FILE"))
    add_legacy_option(load)
    load.set_defaults(handler=_import)


def _list(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    query = {"kind": args.kind, "text": args.search, "year": args.year,
             "program": args.program, "campaign": args.campaign}
    ids = activities.activity_ids(workspace, query)
    rows = activities.activity_rows(workspace, ids)
    print_table([_("Id"), _("Date"), _("Kind"), _("People"), _("Place"), _("Activity")],
                [[str(i)[:8], format_date(rows[i].start_on), activities.kind_label(rows[i].kind),
                  format_number(rows[i].participants), rows[i].where[:24], rows[i].title[:70]]
                 for i in ids])
    print(activities.summary_text(activities.summary(workspace, query)))
    return 0


def _add(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    start = parse_date(args.date)
    end = parse_date(args.to) if args.to else None
    cost = parse_money(args.cost) if args.cost else None
    village_id, place = None, args.place
    if args.place:
        found = [v for v in villages.list_villages(workspace) if fold(v.name) == fold(args.place)]
        if found:
            village_id, place = found[0].id, ""
    if args.program and args.program not in dict(activities.filter_options(workspace).programs):
        raise BadArgument(detail=_("“{program}” is not a programme key; for example "
                                   "2021-2025/NTM, 2021-2025/GNBV, 2021-2025/DTTS.").format(
            program=args.program))
    saved = activities.save_activity(workspace, activities.ActivityInput(
        kind=args.kind, title=args.title, start_on=start, end_on=end,
        campaign=args.campaign, program_id=args.program, component_id=args.component,
        village_id=village_id, place=place, organiser=args.organiser,
        participants=args.participants, women=args.women,
        ethnic_minority=args.ethnic_minority, poor=args.poor, content=args.content,
        results=args.results, recommendations=args.recommendations, cost=cost,
        evidence=args.evidence))
    print(_("Activity recorded: {title} ({date}), id {id}.").format(
        title=saved.title, date=saved.dates, id=str(saved.id)[:8]))
    return 0


def _template(args: argparse.Namespace) -> int:
    from ctmtqg_desktop.services import activities

    activities.write_activities_template(args.out)
    print(_("Template written: {path}").format(path=args.out))
    return 0


def _import(args: argparse.Namespace) -> int:
    from ctmtqg_desktop.services import activities

    workspace = workspace_from(args)
    result = import_workbook(lambda skip: activities.import_activities(
        workspace, args.file, legacy_encoding=args.legacy_encoding,
        skip_unknown_columns=skip), args.skip_unknown_columns)
    print(activities.result_text(result))
    return 0
