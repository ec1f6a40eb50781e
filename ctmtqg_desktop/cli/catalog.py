"""``ctmtqg catalog units|programs``: look things up in the reference catalog."""

from __future__ import annotations

import argparse

from ctmtqg_desktop.cli.common import print_table, workspace_from
from ctmtqg_desktop.domain.formats import parse_date
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("catalog", parents=[common],
                                   help=_("look up units and programmes in the catalog"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    units = actions.add_parser("units", parents=[common],
                               help=_("find administrative units (diacritics optional)"))
    units.add_argument("query", nargs="?", default="", metavar=_("TEXT"))
    units.add_argument("--on", metavar=_("DATE"), help=_("only units valid on this date"))
    units.set_defaults(handler=_units)
    programs = actions.add_parser("programs", parents=[common],
                                  help=_("list programmes and their components"))
    programs.set_defaults(handler=_programs)


def _units(args: argparse.Namespace) -> int:
    workspace = workspace_from(args, require_initialized=False)
    on = parse_date(args.on) if args.on else None
    found = catalog.search_units(workspace, args.query, on=on)
    print_table([_("Key"), _("Unit"), _("Validity")],
                [[u.id, u.full_name, u.validity_text] for u in found])
    return 0


def _programs(args: argparse.Namespace) -> int:
    workspace = workspace_from(args, require_initialized=False)
    for program in catalog.program_tree(workspace):
        print(f"{program.period_id}  {program.code}: {program.name}")
        for node in program.walk():
            if node is program:
                continue
            depth = node.id.count("/") - 2
            print(f"{'  ' * depth}  {node.code}: {node.name}")
    return 0
