"""The parent unit's desk on the command line.

``ctmtqg children list|import|reorganise``, ``ctmtqg board``, ``ctmtqg send
answer|tasks|capital|template|handbook|catalog|list``; the consolidated report is
``ctmtqg report board``; the demo is ``ctmtqg demo --role parent --children N``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ctmtqg_desktop.cli.common import print_table, progress_printer, workspace_from
from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.formats import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    parse_date,
)
from ctmtqg_desktop.domain.money import parse_money
from ctmtqg_desktop.domain.unit_refs import parse_unit_ref
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, parent, sync


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    _register_children(subparsers, common)
    _register_board(subparsers, common)
    _register_send(subparsers, common)


def _register_children(subparsers: Any, common: argparse.ArgumentParser) -> None:
    children = subparsers.add_parser("children", parents=[common],
                                     help=_("the child units: reports, installations, "
                                            "packages received"))
    actions = children.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    listing = actions.add_parser("list", parents=[common],
                                 help=_("each child unit with its last package"))
    listing.add_argument("--state", choices=("late", "never", "stale", "current"),
                         help=_("only the late ones (never reported or stale), …"))
    listing.add_argument("--search", default="", metavar=_("TEXT"))
    listing.add_argument("--on", metavar=_("DATE"),
                         help=_("the child units on this date (dd/mm/yyyy)"))
    listing.set_defaults(handler=_children)
    load = actions.add_parser("import", parents=[common],
                              help=_("import every package in a folder (or the files given)"))
    load.add_argument("paths", nargs="+", type=Path, metavar=_("FOLDER_OR_FILE"))
    load.set_defaults(handler=_import)
    reorganise = actions.add_parser("reorganise", parents=[common],
                                    help=_("the reorganisations of units in the catalog; "
                                           "--apply applies those in force"))
    reorganise.add_argument("--apply", action="store_true")
    reorganise.set_defaults(handler=_reorganise)


def _register_board(subparsers: Any, common: argparse.ArgumentParser) -> None:
    board = subparsers.add_parser("board", parents=[common],
                                  help=_("the monitoring board: figures by child unit"))
    board.add_argument("--on", metavar=_("DATE"), help=_("the board on this date"))
    board.add_argument("--year", type=int, metavar=_("YEAR"),
                       help=_("the capital plan year (default: the year of the date)"))
    board.add_argument("--behind", action="store_true",
                       help=_("only the child units that are behind"))
    board.add_argument("--sort", choices=parent.BOARD_SORT_KEYS, default="name")
    board.add_argument("--descending", action="store_true")
    board.set_defaults(handler=_board)


def _register_send(subparsers: Any, common: argparse.ArgumentParser) -> None:
    send = subparsers.add_parser("send", parents=[common],
                                 help=_("answer, assign and send documents to child units"))
    what = send.add_subparsers(dest="what", metavar=_("WHAT"))
    what.required = True
    answer = what.add_parser("answer", parents=[common],
                             help=_("answer a child unit's difficulty"))
    answer.add_argument("difficulty", metavar=_("DIFFICULTY"),
                        help=_("the start of the difficulty's id"))
    answer.add_argument("--content", required=True, metavar=_("TEXT"))
    answer.add_argument("--document", default="", metavar=_("DOCUMENT"),
                        help=_("the document that carries the answer"))
    answer.set_defaults(handler=_answer)
    assign = what.add_parser("tasks", parents=[common],
                             help=_("a directive and its tasks, to several child units"))
    assign.add_argument("--to", required=True, metavar=_("CODES"),
                        help=_("child units' codes, separated by commas"))
    assign.add_argument("--title", required=True, metavar=_("TEXT"))
    assign.add_argument("--number", default="", metavar=_("NUMBER"))
    assign.add_argument("--type", default="Kế hoạch", metavar=_("TYPE"))
    assign.add_argument("--issued", metavar=_("DATE"))
    assign.add_argument("--task", action="append", required=True, metavar=_("TASK"),
                        help=_("a task and its deadline after a semicolon: "
                               "\"Báo cáo tiến độ;31/12/2023\""))
    assign.set_defaults(handler=_assign_tasks)
    money = what.add_parser("capital", parents=[common],
                            help=_("capital plan lines, one for each child unit"))
    money.add_argument("--year", type=int, required=True)
    money.add_argument("--program", required=True, metavar=_("PROGRAMME"))
    money.add_argument("--kind", required=True, metavar=_("KIND"), help="DTPT, SN")
    money.add_argument("--source", required=True, metavar=_("SOURCE"))
    money.add_argument("--component", default=None, metavar=_("COMPONENT"))
    money.add_argument("--amount", action="append", required=True, metavar=_("CODE=AMOUNT"),
                       help=_("a child unit and its amount in đồng: 23524=1.500.000.000"))
    money.add_argument("--decision", default="", metavar=_("NUMBER"))
    money.add_argument("--decision-date", metavar=_("DATE"))
    money.set_defaults(handler=_assign_capital)
    for name, kind, text in (("template", "dossier_template",
                              _("a dossier template file (.yaml) for child units")),
                             ("handbook", "handbook_page",
                              _("a handbook page file (.yaml) for child units"))):
        document = what.add_parser(name, parents=[common], help=text)
        document.add_argument("file", type=Path, metavar=_("FILE"))
        document.add_argument("--to", default="", metavar=_("CODES"),
                              help=_("child units' codes (default: every child unit)"))
        document.set_defaults(handler=_send_document, kind=kind)
    update = what.add_parser("catalog", parents=[common],
                             help=_("load a catalog update folder; it goes to every child"))
    update.add_argument("folder", type=Path, metavar=_("FOLDER"))
    update.set_defaults(handler=_catalog)
    sent = what.add_parser("list", parents=[common],
                           help=_("what was sent down and who has acknowledged it"))
    sent.set_defaults(handler=_sent)


# ---------------------------------------------------------------------------- helpers
def _unit_ids(workspace, text: str) -> list[str]:
    return [catalog.resolve_unit(workspace, parse_unit_ref(code.strip())).id
            for code in text.split(",") if code.strip()]


def _date(text: str | None):
    return parse_date(text) if text else None


# ---------------------------------------------------------------------------- children
def _children(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    listing = parent.list_children(workspace, on=_date(args.on))
    rows = parent.filter_children(listing, {"state": args.state, "text": args.search},
                                           "state")
    print_table([_("Code"), _("Child unit"), _("Enrollment"), _("Installations"),
                 _("Last package"), _("No."), _("Days"), _("State")],
                [[c.code, c.name, c.enrollment_label, str(c.trusted_nodes),
                  format_datetime(c.last_package_at), str(c.last_package_number or ""),
                  "" if c.age_days is None else str(c.age_days), c.state_label]
                 for c in rows])
    print(_("{count} child units on {date}; never reported: {never}; no package for more than "
            "{days} days: {stale}.").format(count=len(listing.children),
                                            date=format_date(listing.on), never=listing.never,
                                            days=listing.stale_days, stale=listing.stale))
    return 0


def _import(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    for path in args.paths:
        if not path.exists():
            raise BadArgument(detail=_("“{path}” does not exist.").format(path=path))
    files = parent.package_files(args.paths)
    if not files:
        raise BadArgument(detail=_("No package file (.ctsync) found."))
    show = progress_printer(_("Importing"))
    report = sync.import_packages(workspace, files,
                                         progress=lambda done, total, _text: show(done, total))
    for outcome in report.files + report.retried:
        print(f"{outcome.file_name}: {outcome.outcome_label}. {outcome.message}")
    applied = sum(1 for o in report.files if o.ok)
    print(_("{ok} of {total} files applied or already applied.").format(ok=applied,
                                                                        total=len(files)))
    return 0 if report.ok else 1


def _reorganise(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    if args.apply:
        result = parent.apply(workspace)
        for item in result.applied:
            print(_("Applied from {date}: {old} → {new}").format(
                date=format_date(item.effective_on), old=", ".join(item.old_unit_names),
                new=item.new_unit_name))
        if result.moved_to:
            names = parent.unit_map(workspace)
            print(_("This workspace now works for {unit}.").format(
                unit=names.title(result.moved_to)))
        return 0
    items = parent.reorganisations(workspace)
    print_table([_("From"), _("New unit"), _("Old units"), _("Applied")],
                [[format_date(i.effective_on), i.new_unit_name, ", ".join(i.old_unit_names),
                  _("yes") if i.applied else _("no")] for i in items])
    return 0


# ---------------------------------------------------------------------------- board
def _board(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    board = parent.compute(workspace, on=_date(args.on), year=args.year)
    rows = parent.filter_rows(board, {"behind": args.behind}, args.sort,
                                    args.descending)
    total = parent.total_of(rows, board.on_track)

    def line(row) -> list[str]:
        return [row.name, f"{row.tasks_done}/{row.tasks_total}", str(row.tasks_overdue),
                format_number(row.assigned), format_number(row.allocated),
                format_number(row.disbursed), format_percent(row.rate),
                format_percent(row.dossier_ratio), str(row.difficulties_open),
                f"{format_number(row.activities)} ({format_number(row.activity_participants)})",
                format_date(row.last_report_at.date()) if row.last_report_at else _("never"),
                f"{row.acknowledged}/{row.sent_down}"]

    print_table([_("Child unit"), _("Tasks done"), _("Overdue"), _("Assigned"),
                 _("Allocated"), _("Disbursed"), _("Rate"), _("Dossiers"),
                 _("Difficulties"), _("Activities (people)"), _("Last package"),
                 _("Acknowledged")],
                [line(r) for r in rows] + [line(total)])
    print(_("Capital of {year}; the on-track line on {date} is {share}.").format(
        year=board.year, date=format_date(board.on), share=format_percent(board.on_track)))
    return 0


# ---------------------------------------------------------------------------- sending
def _answer(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    wanted = args.difficulty.strip().lower()
    matches = [d for d in parent.children_difficulties(workspace)
               if len(wanted) >= 4 and str(d.id).startswith(wanted)]
    if len(matches) != 1:
        raise BadArgument(detail=_("No difficulty of a child unit matches “{ident}”.").format(
            ident=args.difficulty))
    answer = parent.answer(workspace, matches[0].id, content=args.content,
                                    document_ref=args.document)
    unit = catalog.get_unit(workspace, matches[0].owner_unit_id)
    print(_("Answer recorded ({body}); it goes to {unit} with the next package.").format(
        body=answer.answered_by, unit=unit.title))
    return 0


def _assign_tasks(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    drafts = []
    for item in args.task:
        text, _sep, deadline = item.rpartition(";") if ";" in item else (item, "", "")
        schedule = schedules.Schedule(schedules.ONCE, deadline=parse_date(deadline)) \
            if deadline.strip() else schedules.Schedule()
        drafts.append(parent.TaskDraft(text, schedule))
    result = parent.assign_directive(
        workspace, children=_unit_ids(workspace, args.to), title=args.title,
        number_symbol=args.number, doc_type=args.type, issued_on=_date(args.issued),
        task_drafts=drafts)
    print(_("Assigned to {count} child units ({records} records); they go with the next "
            "package to each.").format(count=len(result.children), records=result.records))
    return 0


def _assign_capital(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    amounts: dict[str, int] = {}
    for item in args.amount:
        code, sep, amount = item.partition("=")
        if not sep:
            raise BadArgument(detail=_("Write each amount as CODE=AMOUNT, e.g. "
                                       "23524=1.500.000.000."))
        unit = _unit_ids(workspace, code)[0]
        amounts[unit] = parse_money(amount)
    result = parent.assign_capital(
        workspace, amounts=amounts, year=args.year, program_id=args.program,
        capital_kind=args.kind, source=args.source, component_id=args.component,
        decision_number=args.decision, decision_date=_date(args.decision_date))
    print(_("{count} capital plan lines assigned; they go with the next package to each "
            "child unit.").format(count=result.records))
    return 0


def _send_document(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    queued = parent.send_reference(workspace, args.file, kind=args.kind,
                                            children=_unit_ids(workspace, args.to))
    print(_("“{title}” ({key}) goes with the next package to {count} recipients.").format(
        title=queued.title, key=queued.key, count=len(queued.audiences)))
    return 0


def _catalog(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    before, after = parent.install_catalog_update(workspace, args.folder)
    if after == before:
        print(_("The catalog here (version {version}) is already as new; nothing changed.")
              .format(version=before))
    else:
        print(_("Catalog version {version} loaded; it goes to every child unit whose catalog "
                "is older.").format(version=after))
    return 0


def _sent(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    items = parent.sent_items(workspace)
    print_table([_("Kind"), _("Content"), _("Sent"), _("Acknowledged")],
                [[i.kind_label, i.title[:70], format_datetime(i.created_at),
                  f"{len(i.acknowledged)}/{len(i.recipients)}"] for i in items])
    return 0


# ---------------------------------------------------------------------------- demo
def run_parent_demo(workspace, args: argparse.Namespace) -> int:
    """``ctmtqg demo --role parent [--children N]`` (see :mod:`services.parent_demo`)."""
    from ctmtqg_desktop.app_logging import setup_logging
    from ctmtqg_desktop.services import demo, parent, workspaces

    year = getattr(args, "year", None) or 2023
    if workspace.installation(refresh=True) is None:
        data = parent.demo_data(year)
        workspace = workspaces.init_workspace(
            args.workspace, args.database_url, unit=data["parent_unit"], role="parent",
            officer_name=data["officer_name"],
            simulated_today=demo.demo_today() if year == 2023 else parent.demo_today_of(year))
        setup_logging(workspace.logs_dir)
    count = args.children if args.children is not None else parent.DEFAULT_CHILDREN
    if count < 1:
        raise BadArgument(detail=_("The number of child units must be at least 1."))
    show = progress_printer(_("Demo child units"))
    result = parent.build(workspace, children=count, seed=args.seed, progress=show, year=year)
    summary = workspaces.summary(workspace)
    print(_("Demo workspace ready: {unit}, {count} child units, {records} records.").format(
        unit=summary.unit_name, count=len(result.children),
        records=format_number(sum(summary.records.values()))))
    if result.synthetic_units:
        print(_("{count} demo communes were added to this workspace's catalog (codes starting "
                "with 99).").format(count=result.synthetic_units))
    print(_("Folder: {folder}").format(folder=summary.folder))
    return 0


__all__ = ["register", "run_parent_demo"]
