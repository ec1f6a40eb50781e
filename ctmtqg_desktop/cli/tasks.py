"""``ctmtqg tasks list|template|import-xlsx|progress`` and ``ctmtqg difficulties list``."""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from ctmtqg_desktop.cli.common import (
    add_legacy_option,
    import_workbook,
    print_table,
    workspace_from,
)
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.formats import format_date, parse_date
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import difficulties, tasks

STATES = {"late": lambda: _("overdue"), "due_soon": lambda: _("due soon"), "normal": lambda: ""}


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("tasks", parents=[common],
                                   help=_("directives, tasks and their progress"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    listing = actions.add_parser("list", parents=[common], help=_("list the tasks"))
    listing.add_argument("--search", default="", metavar=_("WORDS"),
                         help=_("words to look for (diacritics optional)"))
    listing.add_argument("--overdue", action="store_true", help=_("only overdue tasks"))
    listing.add_argument("--due-within", type=int, metavar=_("DAYS"),
                         help=_("only tasks due within this many days"))
    listing.add_argument("--program", metavar=_("PROGRAMME"),
                         help=_("a programme key, e.g. 2021-2025/NTM"))
    listing.set_defaults(handler=_list)
    template = actions.add_parser("template", parents=[common],
                                  help=_("write the empty Excel template"))
    template.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    template.set_defaults(handler=_template)
    load = actions.add_parser("import-xlsx", parents=[common],
                              help=_("add tasks from a workbook (all rows or none)"))
    load.add_argument("file", type=Path, metavar=_("FILE"))
    add_legacy_option(load)
    load.set_defaults(handler=_import)
    progress = actions.add_parser("progress", parents=[common],
                                  help=_("record a progress update of a task"))
    progress.add_argument("task", metavar=_("TASK_ID"), help=_("the task's id (from list)"))
    progress.add_argument("--status", required=True,
                          choices=("not_started", "in_progress", "done"))
    progress.add_argument("--date", metavar=_("DATE"), help=_("dd/mm/yyyy (default: today)"))
    progress.add_argument("--percent", type=int)
    progress.add_argument("--quantity", type=int)
    progress.add_argument("--note", default="", metavar=_("TEXT"))
    progress.add_argument("--evidence", type=Path, action="append", default=[],
                          metavar=_("FILE"), help=_("an evidence file (repeatable)"))
    progress.set_defaults(handler=_progress)

    problems = subparsers.add_parser("difficulties", parents=[common],
                                     help=_("difficulties and proposals, and the answers"))
    problem_actions = problems.add_subparsers(dest="action", metavar=_("ACTION"))
    problem_actions.required = True
    problem_list = problem_actions.add_parser("list", parents=[common],
                                              help=_("list the difficulties and proposals"))
    problem_list.add_argument("--unit", metavar=_("CODE"),
                              help=_("only the items raised by this unit"))
    problem_list.set_defaults(handler=_list_difficulties)


def _task_id(text: str, workspace) -> uuid.UUID:
    ids = tasks.task_ids(workspace, {})
    found = [i for i in ids if str(i).startswith(text.lower())] if len(text) >= 6 else []
    if len(found) != 1:
        raise BadArgument(detail=_("“{text}” does not name one task; give the id shown by "
                                   "“ctmtqg tasks list” (its first 8 characters are "
                                   "enough).").format(text=text))
    return found[0]


def _list(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    query = {"text": args.search, "overdue": args.overdue, "due_within": args.due_within,
             "program": args.program}
    ids = tasks.task_ids(workspace, query)
    rows = tasks.task_rows(workspace, ids)
    print_table([_("Id"), _("Deadline"), _("State"), _("Status"), _("Lead"), _("Task")],
                [[str(i)[:8], format_date(rows[i].next_due_on), STATES[rows[i].state](),
                  tasks.status_label(rows[i].status), rows[i].lead_label[:30],
                  rows[i].text[:70]] for i in ids])
    return 0


def _template(args: argparse.Namespace) -> int:
    tasks.write_tasks_template(args.out)
    print(_("Template written: {path}").format(path=args.out))
    return 0


def _import(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    result = import_workbook(lambda skip: tasks.import_tasks(
        workspace, args.file, legacy_encoding=args.legacy_encoding,
        skip_unknown_columns=skip), args.skip_unknown_columns)
    print(tasks.result_text(result))
    return 0


def _progress(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    task_id = _task_id(args.task, workspace)
    saved = tasks.add_progress(workspace, task_id,
                               reported_on=parse_date(args.date) if args.date
                               else workspace.today(),
                               status=args.status, percent=args.percent,
                               quantity=args.quantity, narrative=args.note,
                               evidence=args.evidence)
    print(_("Progress recorded on {date}: {status}.").format(
        date=format_date(saved.reported_on), status=tasks.status_label(saved.status)))
    return 0


def _list_difficulties(args: argparse.Namespace) -> int:
    """The list with the id that ``send answer`` takes (its first eight characters are
    enough) and the unit that raised each item (a parent sees its children's)."""
    from ctmtqg_desktop.services import catalog

    workspace = workspace_from(args)
    rows = difficulties.list_difficulties(workspace)
    if args.unit:
        rows = [d for d in rows if d.owner_unit_id == args.unit]
    names = {u.id: u.title for u in catalog.all_units(workspace)}
    print_table([_("Id"), _("Date"), _("Unit"), _("Kind"), _("Status"), _("Title")],
                [[str(d.id)[:8], format_date(d.raised_on),
                  names.get(d.owner_unit_id, d.owner_unit_id), difficulties.kind_label(d.kind),
                  difficulties.status_label(d.status), d.title[:70]] for d in rows])
    return 0
