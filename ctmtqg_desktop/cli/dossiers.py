"""``ctmtqg dossier …``, ``ctmtqg households …`` and ``ctmtqg handbook …``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmtqg_desktop.cli.common import (
    add_legacy_option,
    import_workbook,
    print_table,
    workspace_from,
)
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.money import format_money
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import dossiers, handbook, households

SHORT_ID = 8


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("dossier", parents=[common],
                                   help=_("project dossiers: checklists, forms, printing"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    listing = actions.add_parser("list", parents=[common],
                                 help=_("one dossier a line: id, kind, project, completeness"))
    listing.add_argument("--state", choices=dossiers.STATES, default="all")
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", parents=[common], help=_("a dossier's checklist"))
    show.add_argument("id", metavar="ID")
    show.set_defaults(handler=_show)
    printing = actions.add_parser("print", parents=[common],
                                  help=_("the dossier's filled forms as one PDF"))
    printing.add_argument("id", metavar="ID")
    printing.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    printing.add_argument("--show-ids", action="store_true",
                          help=_("print ID numbers in full (personal data)"))
    printing.set_defaults(handler=_print)
    blank = actions.add_parser("blank-form", parents=[common],
                               help=_("a template's form, blank, as PDF"))
    blank.add_argument("template", metavar=_("TEMPLATE"))
    blank.add_argument("document", metavar=_("DOCUMENT"))
    blank.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    blank.set_defaults(handler=_blank)
    templates = actions.add_parser("templates", parents=[common],
                                   help=_("the installed dossier templates"))
    templates.set_defaults(handler=_templates)
    install = actions.add_parser("install-template", parents=[common],
                                 help=_("install a dossier template (YAML) beside the others"))
    install.add_argument("file", type=Path, metavar=_("FILE"))
    install.set_defaults(handler=_install)

    people = subparsers.add_parser("households", parents=[common],
                                   help=_("beneficiary households"))
    people_actions = people.add_subparsers(dest="action", metavar=_("ACTION"))
    people_actions.required = True
    plist = people_actions.add_parser("list", parents=[common], help=_("list the households"))
    plist.add_argument("--search", default="", metavar=_("TEXT"))
    plist.add_argument("--show-ids", action="store_true",
                       help=_("show ID numbers in full (personal data)"))
    plist.add_argument("--history", action="store_true", help=_(
        "with the households of the units before the merger (read-only history)"))
    plist.set_defaults(handler=_households)
    template = people_actions.add_parser("template", parents=[common],
                                         help=_("write the empty Excel template"))
    template.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    template.set_defaults(handler=_household_template)
    load = people_actions.add_parser("import-xlsx", parents=[common],
                                     help=_("add or update households from a workbook (all rows "
                                            "or none)"))
    load.add_argument("file", type=Path, metavar=_("FILE"))
    add_legacy_option(load)
    load.set_defaults(handler=_household_import)
    export = people_actions.add_parser("export-xlsx", parents=[common],
                                       help=_("the households and their support as Excel"))
    export.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    export.add_argument("--show-ids", action="store_true",
                        help=_("write ID numbers in full (personal data)"))
    export.add_argument("--history", action="store_true", help=_(
        "with the households of the units before the merger (read-only history)"))
    export.set_defaults(handler=_household_export)
    twice = people_actions.add_parser("duplicates", parents=[common],
                                      help=_("households supported twice for the same content"))
    twice.set_defaults(handler=_duplicates)

    book = subparsers.add_parser("handbook", parents=[common], help=_("the handbook, offline"))
    book_actions = book.add_subparsers(dest="action", metavar=_("ACTION"))
    book_actions.required = True
    find = book_actions.add_parser("search", parents=[common],
                                   help=_("pages matching the words (diacritics optional)"))
    find.add_argument("query", nargs="*", metavar=_("TEXT"))
    find.set_defaults(handler=_handbook_search)
    page = book_actions.add_parser("show", parents=[common], help=_("one page, as text"))
    page.add_argument("code", metavar=_("CODE"))
    page.set_defaults(handler=_handbook_show)
    add = book_actions.add_parser("install", parents=[common],
                                  help=_("install a page sent by the parent unit"))
    add.add_argument("file", type=Path, metavar=_("FILE"))
    add.set_defaults(handler=_handbook_install)


def _list(args: argparse.Namespace) -> int:
    rows = dossiers.list_dossiers(workspace_from(args), state=args.state)
    print_table([_("Id"), _("Kind"), _("Project or work"), _("Completeness")],
                [[str(s.id)[:SHORT_ID], s.project_kind, s.project_name,
                  f"{s.percent}% ({s.required_done}/{s.required})"
                  + (" " + _("locked") if s.locked else "")] for s in rows])
    return 0


def _show(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    detail = dossiers.get_dossier(workspace, dossiers.find_dossier(workspace, args.id))
    summary = detail.summary
    print(f"{summary.project_name} ({summary.kind_name})")
    print(_("Template: {title}, version {version}").format(title=summary.template_title,
                                                            version=summary.template_version))
    print(_("Completeness: {percent}%").format(percent=summary.percent))
    for stage in summary.stages:
        print()
        print(f"{dossiers.stage_label(stage.stage).upper()} ({stage.required_done}/"
              f"{stage.required})")
        for line in detail.documents:
            if line.stage != stage.stage:
                continue
            mark = "*" if line.required else " "
            when = format_date(line.signed_on or line.document_date)
            print(f"  {mark} {dossiers.status_label(line.status):<10} {line.name}"
                  + (f" ({when})" if when else ""))
    for warning in detail.warnings:
        print(_("Warning: {warning}").format(warning=warning))
    return 0


def _print(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    dossiers.print_dossier(workspace, dossiers.find_dossier(workspace, args.id), args.out,
                                reveal_ids=args.show_ids)
    print(_("Written: {path}").format(path=args.out))
    return 0


def _blank(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    dossiers.print_blank_form(workspace, args.template, args.document, args.out)
    print(_("Written: {path}").format(path=args.out))
    return 0


def _templates(args: argparse.Namespace) -> int:
    rows = dossiers.list_templates(workspace_from(args))
    print_table([_("Template"), _("Kind"), _("Province"), _("Title")],
                [[t.id + ("" if t.latest else " " + _("(older)")), t.kind, t.province, t.title]
                 for t in rows])
    return 0


def _install(args: argparse.Namespace) -> int:
    info = dossiers.install_template_file(workspace_from(args), args.file)
    print(_("Installed dossier template {id}.").format(id=info.id))
    return 0


def _households(args: argparse.Namespace) -> int:
    rows = households.list_households(workspace_from(args), {"text": args.search},
                                      reveal=args.show_ids, history=args.history)
    print_table([_("Head of household"), _("ID number"), _("Village"), _("Household status"),
                 _("Supports received")],
                [[r.label, r.id_number, r.village_name, r.status_text,
                  format_number(r.supports) + (" !" if r.duplicated else "")] for r in rows])
    return 0


def _household_template(args: argparse.Namespace) -> int:
    households.write_households_template(args.out)
    print(_("Template written: {path}").format(path=args.out))
    return 0


def _household_import(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    outcome = import_workbook(lambda skip: households.import_households(
        workspace, args.file, legacy_encoding=args.legacy_encoding,
        skip_unknown_columns=skip), args.skip_unknown_columns)
    print(outcome.text(_("households")))
    return 0


def _household_export(args: argparse.Namespace) -> int:
    households.export_households(workspace_from(args), args.out, reveal=args.show_ids,
                                 history=args.history)
    print(_("Written: {path}").format(path=args.out))
    return 0


def _duplicates(args: argparse.Namespace) -> int:
    found = households.duplicate_supports(workspace_from(args))
    if not found:
        print(_("No household is supported twice for the same content."))
        return 0
    for duplicate in found:
        print(f"{duplicate.head_name} ({duplicate.village_name}): "
              + "; ".join(duplicate.content_names))
        for support in duplicate.supports:
            print(f"    {support.project_name}: {format_money(support.amount)}, "
                  f"{format_date(support.received_on)}")
    return 0


def _handbook_search(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    hits = handbook.search(handbook.load_pages(workspace), " ".join(args.query))
    for hit in hits:
        steps = ", ".join(str(i + 1) for i in hit.steps)
        print(f"{hit.page.code}: {hit.page.title}"
              + ("  " + _("(steps {steps})").format(steps=steps) if steps else ""))
    if not hits:
        print(_("No page matches."))
    return 0


def _handbook_show(args: argparse.Namespace) -> int:
    pages = {p.code: p for p in handbook.load_pages(workspace_from(args))}
    page = pages.get(args.code)
    if page is None:
        from ctmtqg_desktop.domain.errors import BadArgument

        raise BadArgument(detail=_("There is no handbook page “{code}”. Pages: {codes}.").format(
            code=args.code, codes=", ".join(sorted(pages))))
    print(page.title.upper())
    print(page.summary)
    for number, step in enumerate(page.steps, 1):
        print()
        print(f"{number}. {step.title}")
        print(f"   {step.body}")
        if step.who:
            print("   " + _("Who: {who}").format(who=step.who))
        if step.legal:
            print("   " + _("Legal basis: {legal}").format(legal=step.legal))
    return 0


def _handbook_install(args: argparse.Namespace) -> int:
    text = args.file.read_text(encoding="utf-8")
    page = handbook.install_page(workspace_from(args), text, name=args.file.name)
    print(_("Installed handbook page {code}, version {version}.").format(
        code=page.code, version=page.version))
    return 0
