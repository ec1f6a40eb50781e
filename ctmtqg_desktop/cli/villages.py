"""``ctmtqg villages list|template|import-xlsx``: the commune's villages."""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmtqg_desktop.cli.common import (
    add_legacy_option,
    import_workbook,
    print_table,
    workspace_from,
)
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import villages


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("villages", parents=[common],
                                   help=_("the commune's villages"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    listing = actions.add_parser("list", parents=[common], help=_("list the villages"))
    listing.set_defaults(handler=_list)
    template = actions.add_parser("template", parents=[common],
                                  help=_("write the empty Excel template"))
    template.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    template.set_defaults(handler=_template)
    load = actions.add_parser("import-xlsx", parents=[common],
                              help=_("add or update villages from a workbook (all rows or none)"))
    load.add_argument("file", type=Path, metavar=_("FILE"))
    add_legacy_option(load)
    load.set_defaults(handler=_import)


def _list(args: argparse.Namespace) -> int:
    rows = villages.list_villages(workspace_from(args))
    print_table([_("Village"), _("Ethnic groups"), _("Households"), _("Population")],
                [[v.name, v.ethnic_groups, format_number(v.households),
                  format_number(v.population)] for v in rows])
    return 0


def _template(args: argparse.Namespace) -> int:
    villages.write_villages_template(args.out)
    print(_("Template written: {path}").format(path=args.out))
    return 0


def _import(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    outcome = import_workbook(lambda skip: villages.import_villages(
        workspace, args.file, legacy_encoding=args.legacy_encoding,
        skip_unknown_columns=skip), args.skip_unknown_columns)
    print(outcome.text(_("villages")))
    return 0
